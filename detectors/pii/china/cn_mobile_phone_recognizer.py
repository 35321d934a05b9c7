"""CN_MOBILE_PHONE: mainland mobile numbers with +86/0086 and separators."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern

# Allocated 3-digit segments (operators and MVNOs, as of 2024-25), generously:
# a number in an unallocated segment still scores below 0.5.
_SEGMENTS = frozenset(
    [f"13{d}" for d in range(10)]
    + ["145", "146", "147", "148", "149"]
    + [f"15{d}" for d in range(10) if d != 4]
    + ["162", "165", "166", "167"]
    + [f"17{d}" for d in range(9)]
    + [f"18{d}" for d in range(10)]
    + [f"19{d}" for d in range(10) if d != 4]
)


class CnMobilePhoneRecognizer(WindowContextRecognizer):
    ENTITY = "CN_MOBILE_PHONE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "cn_mobile",
            r"(?<![0-9+])(?:\+86[- ]?|0086[- ]?|86[- ])?"
            r"1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?![0-9])",
            0.75,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "手机",
        "电话",
        "联系",
        "致电",
        "拨打",
        "来电",
        "号码",
        "微信",
        "mobile",
        "phone",
        "cell",
        "tel",
        "call",
        "contact",
        "whatsapp",
    ]
    CONTEXT_BOOST = 0.2
    INVALID_SCORE = 0.35

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = pattern_text.lstrip("+")
        for prefix in ("0086", "86"):
            if digits.startswith(prefix) and len(digits) == 11 + len(prefix):
                digits = digits[len(prefix) :]
        if len(digits) != 11:
            return False
        return None if digits[:3] in _SEGMENTS else False
