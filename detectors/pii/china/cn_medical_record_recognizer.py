"""CN_MEDICAL_RECORD_NO: hospital-assigned numbers, found only after their label."""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.pii.china.base import WindowContextRecognizer
from presidio_analyzer import Pattern


class CnMedicalRecordRecognizer(WindowContextRecognizer):
    """There is no national format: the label (病案号, 住院号, MRN...) is the
    pattern."""

    ENTITY = "CN_MEDICAL_RECORD_NO"
    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "medical_record_labelled",
            r"(?:病案号|病历号|住院号|门诊号|就诊卡号|医保卡号|就诊号"
            r"|MRN|medical record "
            r"(?:no\.?|number|#))\s*(?:为|是)?[:：#\s]*(?P<v>[A-Z0-9][A-Z0-9\-]{4,19})"
            r"(?![0-9A-Za-z])",
            0.8,
        )
    ]
    VALUE_GROUP = "v"
    CASE_INSENSITIVE = True
    CONTEXT: ClassVar[list[str]] = [
        "病案",
        "住院",
        "门诊",
        "医院",
        "hospital",
        "patient",
    ]
    CONTEXT_BOOST = 0.1

    @staticmethod
    def normalize(value: str) -> str:
        return value
