"""Fixtures shared by the PII detector's tests."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import DetectorContext
from corpusgate.detectors.pii import PiiDetector
from corpusgate.detectors.pii.en_person_model import EnglishPersonCrfRecognizer


@pytest.fixture(scope="session")
def crf() -> EnglishPersonCrfRecognizer:
    """The English name recognizer with the shipped weights, loaded once."""
    r = EnglishPersonCrfRecognizer()
    r.load()
    return r


@pytest.fixture(scope="module")
def detector() -> PiiDetector:
    """The PII detector with its default configuration, set up once per module."""
    d = PiiDetector(context=DetectorContext(salt=b"t"))
    d.setup()
    return d
