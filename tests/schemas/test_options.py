"""The one validation layer: every configuration key has a type and a range, and a
value outside it is one line naming the key, the value and what is allowed."""

import pytest
from corpusgate.detectors import registry
from corpusgate.detectors.base import ConfigError
from corpusgate.schemas.options import (
    AUDIT_OPTIONS,
    DETECTOR_OPTIONS,
    OptionError,
    check_audit_section,
)


def test_every_detector_option_has_a_rule_and_its_default_passes_it():
    for name in registry.available():
        cls = registry.get(name)
        rules = DETECTOR_OPTIONS.get(name, {})
        assert set(rules) == set(cls.DEFAULTS), name
        for key, default in cls.DEFAULTS.items():
            rules[key].check(name, key, default)


@pytest.mark.parametrize(
    ("detector", "key", "value", "message"),
    [
        ("near_duplicate", "bands", 100_000_000, "bands = 100000000: expected int in"),
        ("poisoning", "cms_width", 0, "cms_width = 0: expected int in [16, 2^26]"),
        ("labels", "folds", 0, "folds = 0: expected int in [2, 50]"),
        ("secrets", "severity", "urgent", "expected one of info, low, medium"),
        ("near_duplicate", "jaccard_threshold", 0.0, "expected float in (0, 1]"),
        ("pii", "min_score", float("nan"), "min_score = nan"),
        ("labels", "folds", True, "folds = True: expected int"),
        ("pii", "countries", ["us", 3], "expected a list of str"),
    ],
)
def test_detector_values_out_of_range_are_refused(detector, key, value, message):
    with pytest.raises(ConfigError) as e:
        registry.get(detector)({key: value})
    assert message in str(e.value)
    assert f"[detectors.{detector}] {key}" in str(e.value)
    assert "\n" not in str(e.value)


def test_an_int_is_accepted_for_a_float_option():
    assert registry.get("pii")({"min_score": 1}).config["min_score"] == 1.0


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ({"max_findings_per_record": -1}, "max_findings_per_record = -1: expected"),
        ({"batch_size": 0}, "batch_size = 0: expected int in [1, 100000]"),
        ({"max_record_bytes": 0}, "max_record_bytes = 0: expected int in"),
        ({"max_record_bytes": 2**40}, "max_record_bytes = 1099511627776"),
        ({"text_field": ""}, "text_field = '': expected a non-empty str"),
        ({"nope": 1}, "unknown key 'nope'"),
    ],
)
def test_audit_section_out_of_range(section, message):
    with pytest.raises(OptionError, match=None) as e:
        check_audit_section(section)
    assert message in str(e.value)


def test_a_salt_error_never_shows_the_salt():
    with pytest.raises(OptionError) as e:
        check_audit_section({"salt": "s3cr"})
    assert "s3cr" not in str(e.value) and "<4 characters>" in str(e.value)
    assert check_audit_section({"salt": "long enough"}) == {"salt": "long enough"}


def test_audit_defaults_are_inside_their_ranges():
    from corpusgate.pipelines.inputs import ReadOptions

    AUDIT_OPTIONS["max_record_bytes"].check("", "", ReadOptions.max_record_bytes)
