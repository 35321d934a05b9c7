"""Policy files: overlays on the default policy, and errors that name the line."""

import pytest
from corpusgate.pipelines.release.policy import (
    RULE_IDS,
    KeyLines,
    PolicyError,
    default_policy,
    load_policy,
)


def test_default_policy_has_every_rule_with_a_clause():
    policy = default_policy()
    assert set(policy.rules) == set(RULE_IDS)
    for params in policy.rules.values():
        assert params["enabled"] is True
        assert params["clause"]
    assert policy.rules["source_flagged_rate"]["max_rate"] == 0.05
    assert policy.rules["manual_check"]["min_reviewed"] == 4000
    assert policy.rules["manual_check"]["min_pass_rate"] == 0.96
    assert policy.rules["technical_check"]["min_coverage"] == 0.10
    assert policy.rules["technical_check"]["min_pass_rate"] == 0.98


def test_overlay_changes_only_what_it_names(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        'name = "strict"\nstrict = true\n\n'
        "[rules.source_flagged_rate]\nmax_rate = 0.03\n"
        "\n[rules.manual_check]\nenabled = false\n"
    )
    policy = load_policy(path)
    assert policy.name == "strict" and policy.strict
    assert policy.rules["source_flagged_rate"]["max_rate"] == 0.03
    assert policy.rules["source_flagged_rate"]["confidence"] == 0.95  # from default
    assert "manual_check" not in dict(policy.enabled_rules())
    assert policy.source == str(path)


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("[rules.no_such_rule]\nmax_rate = 0.1\n", 1, "unknown rule 'no_such_rule'"),
        (
            "\n[rules.critical_findings]\nmax_cont = 1\n",
            3,
            "unknown parameter 'max_cont'",
        ),
        (
            '[rules.source_flagged_rate]\nclause = "x"\nmax_rate = "5%"\n',
            3,
            "text '5%'",
        ),
        ("[rules.source_flagged_rate]\n\nmax_rate = 5\n", 3, "between 0 and 1, got 5"),
        ("[rules.source_flagged_rate]\nconfidence = 1.0\n", 2, "strictly between"),
        ("[rules.critical_findings]\nmax_count = -1\n", 2, ">= 0, got -1"),
        ("[rules.critical_findings]\nmax_count = 0.5\n", 2, "whole number"),
        ("[rules.manual_check]\nmin_reviewed = 0\n", 2, ">= 1"),
        ("[rules.manual_check]\nenabled = 1\n", 2, "true or false"),
        (
            '[rules.technical_check]\ndetectors = ["cbrn", "nope"]\n',
            2,
            "unknown detector",
        ),
        ('[rules.technical_check]\nmin_severity = "severe"\n', 2, "one of info"),
        ('[rules.source_flagged_rate]\non_review = "ignore"\n', 2, "review, fail"),
        ("strict = true\nthreshold = 3\n", 2, "unknown key 'threshold'"),
        ('name = "x"\nrules.critical_findings.max_count = "a"\n', 2, "whole number"),
        ("[rules.critical_findings]\nmax_count = \n", 2, "invalid TOML"),
        ("[rules]\ncritical_findings = 3\n", 2, "expected a table"),
    ],
)
def test_policy_errors_name_the_line(tmp_path, text, line, words):
    path = tmp_path / "policy.toml"
    path.write_text(text)
    with pytest.raises(PolicyError) as e:
        load_policy(path)
    message = str(e.value)
    assert message.startswith(f"{path}:{line}: "), message
    assert words in message
    assert "\n" not in message


def test_missing_policy_file(tmp_path):
    with pytest.raises(PolicyError, match="no such policy file"):
        load_policy(tmp_path / "absent.toml")


def test_key_lines_understands_headers_dotted_and_quoted_keys():
    text = (
        "# comment\n"
        "[rules.critical_findings]\n"
        "max_count = 0\n"
        '[rules."manual_check"]\n'
        'doc = """\nmax_count = 1\n"""\n'
        "min_pass_rate = 0.9\n"
        "[rules]\n"
        "technical_check.min_coverage = 0.2\n"
    )
    lines = KeyLines(text)
    assert lines.line_of(("rules", "critical_findings", "max_count")) == 3
    assert lines.line_of(("rules", "manual_check")) == 4
    assert lines.line_of(("rules", "manual_check", "min_pass_rate")) == 8
    assert lines.line_of(("rules", "technical_check", "min_coverage")) == 10
    assert lines.line_of(("rules", "technical_check", "absent")) == 10
