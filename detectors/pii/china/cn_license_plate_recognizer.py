"""CN_LICENSE_PLATE: motor-vehicle plates, GA 36
(docs/standards.md, "Identifier check digits")."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern

_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


class CnLicensePlateRecognizer(WindowContextRecognizer):
    ENTITY = "CN_LICENSE_PLATE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "cn_plate",
            rf"[{_PROVINCES}][A-Z][·• ]?(?:[DF][0-9A-HJ-NP-Z]\d{{4}}|\d{{5}}[DF]"
            r"|[0-9A-HJ-NP-Z]{4}[挂学警港澳使领]|[0-9A-HJ-NP-Z]{5})(?![0-9A-Za-z])",
            0.7,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "车牌",
        "牌照",
        "车辆",
        "车主",
        "驾驶",
        "号牌",
        "plate",
    ]
    CONTEXT_BOOST = 0.25

    def validate_result(self, pattern_text: str) -> bool | None:
        # An all-letter tail (京AABCDE) is a word, not a plate.
        return None if any(c.isdigit() for c in pattern_text) else False

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        if valid is False:
            return 0.0
        if value[1] in "IO":
            # GA 36 issues no I or O as the authority letter: a typo or a made-up
            # plate, reported only after a plate label.
            return 0.6 if context else 0.0
        return super().score(base, value, valid, context)
