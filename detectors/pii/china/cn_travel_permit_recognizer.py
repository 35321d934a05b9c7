"""CN_TRAVEL_PERMIT: HK/Macau/Taiwan travel and home-return permits.

Context is required."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnTravelPermitRecognizer(WindowContextRecognizer):
    ENTITY = "CN_TRAVEL_PERMIT"
    PATTERNS: ClassVar[list[Pattern]] = [
        # 往来港澳通行证 (card), 往来台湾通行证, 回乡证 (+ optional issue count).
        Pattern(
            "cn_travel_permit",
            r"(?<![0-9A-Za-z])(?:C[0-9A-HJ-NP-Z]\d{7}|L\d{8}|[HM]\d{8}(?:\d{2})?)"
            r"(?![0-9A-Za-z])",
            0.6,
        ),
        # 台湾居民来往大陆通行证 (2015+ card): 8 digits.
        Pattern("tw_mainland_permit", r"(?<![0-9A-Za-z])\d{8}(?![0-9A-Za-z])", 0.55),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "通行证",
        "回乡证",
        "台胞证",
        "港澳通行证",
        "往来港澳",
        "往来台湾",
        "来往内地",
        "来往大陆",
        "travel permit",
        "home return permit",
        "exit-entry permit",
    ]
    CONTEXT_REQUIRED = True
    CONTEXT_WINDOW = 15
    CONTEXT_BOOST = 0.3
