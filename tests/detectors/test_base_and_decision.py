"""Detector configuration, the decision rule, language routing and masking."""

import pytest
from corpusgate.detectors import registry
from corpusgate.detectors.base import ConfigError, Finding
from corpusgate.detectors.decision import decide
from corpusgate.detectors.masking import ValueHasher, mask_free_text, mask_value
from corpusgate.detectors.secrets import SecretsDetector
from corpusgate.detectors.text import normalize_for_hash


def test_config_rejects_unknown_keys_and_wrong_types():
    with pytest.raises(ConfigError, match="unknown option"):
        SecretsDetector({"nope": 1})
    with pytest.raises(ConfigError, match="assignments = 'yes': expected bool"):
        SecretsDetector({"assignments": "yes"})
    assert SecretsDetector({"assignments": False}).config["assignments"] is False


def test_finding_validates_severity_and_score():
    with pytest.raises(ValueError):
        Finding("X", "severe", 0.5, "r", "e")
    with pytest.raises(ValueError):
        Finding("X", "high", 1.5, "r", "e")


def test_registry_selection():
    assert registry.parse_selection("exact_duplicate,secrets") == [
        "secrets",
        "exact_duplicate",
    ]
    with pytest.raises(registry.UnknownDetectorError, match="unknown detector 'bogus'"):
        registry.parse_selection("secrets,bogus")


@pytest.mark.parametrize(
    ("findings", "is_duplicate", "expected"),
    [
        ([], False, "keep"),
        ([("cbrn", "info", False)], False, "keep"),
        ([("secrets", "high", True)], False, "redact"),
        ([("pii", "medium", True)], False, "redact"),
        ([("pii", "low", True)], False, "keep"),
        ([("cbrn", "high", False)], False, "review"),
        ([("cbrn", "high", False), ("pii", "medium", True)], False, "review"),
        ([("cbrn", "critical", False)], False, "drop"),
        ([], True, "drop"),
        ([("pii", "medium", True)], True, "drop"),
    ],
)
def test_decision_rule(findings, is_duplicate, expected):
    assert decide(findings, is_duplicate) == expected


def test_normalize_for_hash_folds_width_and_whitespace():
    assert normalize_for_hash("ＡＢＣ\u3000 x\n\ty ") == "ABC x y"


def test_masking_never_shows_most_of_a_value():
    assert (
        mask_value("11010519491231002X", keep_start=4, keep_end=4)
        == "1101**********002X"
    )
    assert mask_value("abcd", keep_start=4) == "ab**"
    masked = mask_free_text(
        "call 13812345678 or a@b.example.com key ghp_abcdefghijklmnopqrstuvwxyz"
    )
    assert (
        "13812345678" not in masked
        and "a@b" not in masked
        and "ghp_abcdef" not in masked
    )
    h = ValueHasher(b"s")
    assert h("138 1234-5678") == h("13812345678")
