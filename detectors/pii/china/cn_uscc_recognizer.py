"""CN_USCC: unified social credit code, GB 32100-2015
(docs/standards.md, "Identifier check digits").

An organisation code, not personal information: reported with severity `info`. A
failed check character next to a USCC context word is "likely USCC, unverified"
(a few early codes were issued with non-conforming check characters)."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.checksums import (
    ric_structure_ok,
    uscc_charset_ok,
    uscc_checksum_ok,
)
from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnUsccRecognizer(WindowContextRecognizer):
    ENTITY = "CN_USCC"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "uscc",
            r"(?<![0-9A-Za-z])[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}"
            r"(?![0-9A-Za-z])",
            0.5,
        )
    ]
    CONTEXT: ClassVar[list[str]] = [
        "统一社会信用代码",
        "信用代码",
        "社会信用",
        "纳税人识别号",
        "税号",
        "营业执照",
        "注册号",
        "USCC",
        "credit code",
    ]
    CONTEXT_WINDOW = 25

    def validate_result(self, pattern_text: str) -> bool | None:
        if not uscc_charset_ok(pattern_text):
            return False
        return uscc_checksum_ok(pattern_text)

    def score(
        self, base: float, value: str, valid: bool | None, context: bool
    ) -> float:
        if context:
            return 0.95 if valid else 0.6
        if value.isdigit() and ric_structure_ok(value):
            return 0.0  # shaped like an ID number (region + birth date)
        if valid and not value.isdigit():
            return 0.75
        # An all-digit 18-character number passes the check 1 time in 31: without
        # context it is more likely a serial or an ID number.
        return 0.35 if valid else 0.0
