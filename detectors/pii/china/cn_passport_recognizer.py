"""CN_PASSPORT: PRC passport numbers (format only, context required; §3.2 (4))."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnPassportRecognizer(WindowContextRecognizer):
    ENTITY = "CN_PASSPORT"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "cn_passport",
            r"(?<![0-9A-Za-z])(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8}|[DSP]E\d{7}|[DSP]\d{7})"
            r"(?![0-9A-Za-z])",
            0.65,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "护照",
        "passport",
        "证件号",
        "证件号码",
        "旅行证件",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_BOOST = 0.25
