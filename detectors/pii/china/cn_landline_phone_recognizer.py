"""CN_LANDLINE_PHONE: area code + 7-8 digits; only next to a phone context word."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnLandlinePhoneRecognizer(WindowContextRecognizer):
    ENTITY = "CN_LANDLINE_PHONE"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "cn_landline",
            r"(?<![0-9])(?:\+86[- ]?|0086[- ]?)?"
            r"(?:\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}"
            r"(?:-\d{1,4})?(?![0-9])",
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
        "办公室",
        "tel",
        "phone",
        "fax",
        "call",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_BOOST = 0.25
