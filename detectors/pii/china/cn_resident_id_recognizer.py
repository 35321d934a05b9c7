"""CN_RESIDENT_ID: Resident Identity Card number, GB 11643-1999.

Layout and check character: docs/standards.md, "Identifier check digits"."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.checksums import ric_checksum_ok, ric_structure_ok
from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnResidentIdRecognizer(WindowContextRecognizer):
    """18-character numbers (region + birth date + sequence + MOD 11-2 check) and
    15-digit legacy numbers (no check). A failed check scores below 0.5; a bad region
    or birth date drops the match."""

    ENTITY = "CN_RESIDENT_ID"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "ric_18",
            r"(?<![0-9])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])"
            r"(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])",
            0.6,
        ),
        Pattern(
            "ric_15",
            r"(?<![0-9A-Za-z])[1-9]\d{7}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}"
            r"(?![0-9A-Za-z])",
            0.3,
        ),
    ]
    CONTEXT: ClassVar[list[str]] = [
        "身份证",
        "身份证号",
        "证件号",
        "公民身份号码",
        "居民身份证",
        "身份号码",
        "居住证",
        "ID card",
        "ID number",
        "identity",
        "resident id",
    ]
    VALID_SCORE = 0.95
    INVALID_SCORE = 0.3
    CONTEXT_BOOST = 0.35  # lifts a 15-digit legacy number with context to 0.65

    def validate_result(self, pattern_text: str) -> bool | None:
        if not ric_structure_ok(pattern_text):
            return False
        if len(pattern_text) == 15:
            return None  # no check digit in legacy numbers
        return ric_checksum_ok(pattern_text)

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        if valid is False and not ric_structure_ok(value):
            return 0.0  # not an ID number at all: bad region or date
        return super().score(base, value, valid, context)
