"""CN_LANDLINE_PHONE: area code + 7-8 digits; only next to a phone context word.

Layouts: 010-82051776, 010 8205 1776, (010)82051776, 0755-8888-6666, +86 10 8205 1776
(the trunk 0 dropped after +86), with an extension (-801)."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnLandlinePhoneRecognizer(WindowContextRecognizer):
    ENTITY = "CN_LANDLINE_PHONE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "cn_landline",
            r"(?<![0-9])(?:(?:\+86|0086)[- ]?(?:\(0?\d{2,3}\)|0?[1-9]\d{1,2})"
            r"|\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[- ]?"
            r"(?:[2-9]\d{6,7}|[2-9]\d{2,3}[- ]\d{4})"
            r"(?:(?:-|转|ext\.?\s?)\d{1,4})?(?![0-9])",
            0.6,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "电话",
        "座机",
        "固话",
        "联系",
        "致电",
        "拨打",
        "传真",
        "热线",
        "客服",
        "咨询",
        "总机",
        "前台",
        "预订",
        "订票",
        "报名",
        "垂询",
        "联络",
        "TEL",
        "Tel",
        "电 话",
        "办公室",
        "tel",
        "phone",
        "fax",
        "call",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_BOOST = 0.25
    INVALID_SCORE = 0.0  # a layout that no Chinese numbering plan has is not one

    def validate_result(self, pattern_text: str) -> bool | None:
        """Beijing, Shanghai, Guangzhou... (10, 2x) have 8-digit local numbers,
        the 3-digit area codes 7 or 8 (an extension may follow)."""
        digits = "".join(c for c in pattern_text if c.isdigit())
        for prefix in ("0086", "86"):
            if pattern_text.lstrip("+(（").startswith(prefix) and digits.startswith(
                prefix
            ):
                digits = digits[len(prefix) :]
                break
        digits = digits.removeprefix("0")
        if digits[:2] == "10" or digits[:1] == "2":
            return None if len(digits) - 2 >= 8 else False
        return None if len(digits) - 3 >= 7 else False
