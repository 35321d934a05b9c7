"""Gate decisions on crafted audit outputs: every rule passing and failing."""

import json

import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines import cli
from corpusgate.pipelines.outputs import open_audit  # noqa: E402
from corpusgate.pipelines.release import gate  # noqa: E402
from corpusgate.pipelines.release.policy import load_policy  # noqa: E402
from corpusgate.pipelines.release.review import VERDICTS_SCHEMA  # noqa: E402

from tests.support.audit_factory import (  # noqa: E402
    doc,
    finding,
    many_docs,
    refresh_files,
    source_row,
    write_audit,
)


def evaluate(root, policy_text=None, tmp_path=None):
    policy_path = None
    if policy_text is not None:
        policy_path = root.parent / "policy.toml"
        policy_path.write_text(policy_text)
    return gate.evaluate(open_audit(root), load_policy(policy_path))


def rule(result, rule_id):
    (found,) = [r for r in result.rules if r.rule_id == rule_id]
    return found


def clean(tmp_path, n=100, **kw):
    return write_audit(tmp_path / "out", many_docs("/data/a.jsonl", n), **kw)


# --- source_flagged_rate -------------------------------------------------------------


@pytest.mark.parametrize(
    "n, flagged, expected, source_result",
    [
        (59, 0, "pass", "pass"),
        (58, 0, "review", "review"),
        (100, 10, "fail", "fail"),  # lower bound 5.5% > 5%: blocked
        (100, 4, "review", "review"),
        (600, 20, "pass", "pass"),
    ],
)
def test_source_flagged_rate(tmp_path, n, flagged, expected, source_result):
    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", n, flagged))
    result = evaluate(root)
    r = rule(result, "source_flagged_rate")
    assert r.result == expected
    (subject,) = [s for s in result.subjects if s.rule_id == "source_flagged_rate"]
    assert subject.result == source_result
    assert (subject.n, subject.k) == (n, flagged)


def test_one_blocked_source_among_passing_ones_fails(tmp_path):
    docs = many_docs("/data/good.jsonl", 200) + many_docs("/data/bad.jsonl", 50, 20)
    result = evaluate(write_audit(tmp_path / "out", docs))
    assert rule(result, "source_flagged_rate").result == "fail"
    by_subject = {s.subject: s.result for s in result.subjects}
    assert by_subject == {"/data/good.jsonl": "pass", "/data/bad.jsonl": "fail"}


def test_sources_grouped_by_logical_source_name(tmp_path):
    docs = many_docs("/data/a.jsonl", 40, source_name="site-x") + many_docs(
        "/data/b.jsonl", 40, source_name="site-x"
    )
    result = evaluate(write_audit(tmp_path / "out", docs))
    (subject,) = result.subjects
    assert subject.subject == "site-x" and subject.n == 80 and subject.result == "pass"


def test_on_review_fail_makes_undecided_sources_fail(tmp_path):
    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", 20))
    result = evaluate(root, '[rules.source_flagged_rate]\non_review = "fail"\n')
    assert rule(result, "source_flagged_rate").result == "fail"


# --- critical_findings ---------------------------------------------------------------


@pytest.mark.parametrize("severity, expected", [("high", "pass"), ("critical", "fail")])
def test_critical_findings(tmp_path, severity, expected):
    f = finding("/data/a.jsonl", 3, "cbrn", "CBRN_CHEMICAL", severity)
    result = evaluate(clean(tmp_path, findings=[f]))
    r = rule(result, "critical_findings")
    assert r.result == expected
    assert r.measured == (1.0 if severity == "critical" else 0.0)


# --- sensitive_pi_without_consent ----------------------------------------------------


@pytest.mark.parametrize(
    "consent, decision, span, expected",
    [
        (None, "keep", None, "fail"),
        ("consent-form-7", "keep", None, "pass"),  # separate consent on record
        (None, "redact", (0, 5), "pass"),  # apply masks the span
        (None, "redact", None, "fail"),  # no span: redaction cannot remove it
        (None, "drop", None, "pass"),
    ],
)
def test_sensitive_pi(tmp_path, consent, decision, span, expected):
    src = "/data/a.jsonl"
    docs = many_docs(src, 99) + [doc(src, 99, decision=decision, max_severity="medium")]
    start, end = span or (None, None)
    f = finding(src, 99, "pii", "HEALTH_INFO", "medium", start, end, sensitive=True)
    sources = [source_row(src, 100, consent_record=consent)]
    root = write_audit(tmp_path / "out", docs, [f], sources)
    assert rule(evaluate(root), "sensitive_pi_without_consent").result == expected


def test_sensitive_pi_rate_threshold(tmp_path):
    src = "/data/a.jsonl"
    f = finding(src, 1, "pii", "HEALTH_INFO", sensitive=True)
    root = write_audit(tmp_path / "out", many_docs(src, 100), [f])
    policy = "[rules.sensitive_pi_without_consent]\nmax_rate = 0.01\n"
    r = rule(evaluate(root, policy), "sensitive_pi_without_consent")
    assert r.result == "pass" and r.measured == pytest.approx(0.01)


# --- source_traceability -------------------------------------------------------------


@pytest.mark.parametrize(
    "prov, require, expected",
    [
        ({"acquisition": "open_source", "license": "CC-BY-4.0"}, False, "pass"),
        ({"acquisition": "open_source"}, False, "fail"),
        ({"acquisition": "user_input"}, False, "fail"),
        ({"acquisition": "user_input", "consent_record": "c-1"}, False, "pass"),
        (
            {"acquisition": "self_collected", "collection_record": "crawl-9"},
            False,
            "pass",
        ),
        ({}, False, "pass"),
        ({}, True, "fail"),
    ],
)
def test_source_traceability(tmp_path, prov, require, expected):
    sources = [source_row("/data/a.jsonl", 100, **prov)]
    root = clean(tmp_path, sources=sources)
    policy = (
        f"[rules.source_traceability]\nrequire_acquisition = {str(require).lower()}\n"
    )
    assert rule(evaluate(root, policy), "source_traceability").result == expected


# --- technical_check -----------------------------------------------------------------


@pytest.mark.parametrize(
    "n_bad, decision, expected",
    [
        (2, "review", "pass"),  # 98.0% pass
        (3, "review", "fail"),  # 97.0%
        (3, "drop", "pass"),  # dropped records leave the corpus
        (3, "keep", "fail"),
    ],
)
def test_technical_check_pass_rate(tmp_path, n_bad, decision, expected):
    src = "/data/a.jsonl"
    docs = [
        doc(src, i, decision=decision if i < n_bad else "keep", max_severity="high")
        if i < n_bad
        else doc(src, i)
        for i in range(100)
    ]
    findings = [finding(src, i, "cbrn", "CBRN_CHEMICAL", "high") for i in range(n_bad)]
    r = rule(evaluate(write_audit(tmp_path / "out", docs, findings)), "technical_check")
    assert r.result == expected


def test_technical_check_needs_a_content_detector(tmp_path):
    root = clean(tmp_path, detectors=("exact_duplicate",))
    r = rule(evaluate(root), "technical_check")
    assert (
        r.result == "fail" and "no keyword/classifier detector ran" in r.measured_text
    )


def test_technical_check_coverage(tmp_path):
    # 100 records read, only 9 scanned: coverage 9% < 10%
    src = "/data/a.jsonl"
    sources = [source_row(src, 100, dead_letters=91)]
    root = write_audit(tmp_path / "out", many_docs(src, 9), sources=sources)
    r = rule(evaluate(root), "technical_check")
    assert r.result == "fail" and "coverage 9.00%" in r.measured_text


def test_technical_check_counts_failed_scans_as_not_covered(tmp_path):
    src = "/data/a.jsonl"
    dead = [
        {
            "run_id": "run-test",
            "source": src,
            "record_index": i,
            "stage": "scan:cbrn",
            "error_type": "ValueError",
            "message": "x",
            "raw_excerpt": "",
        }
        for i in range(95)
    ]
    policy = '[rules.technical_check]\ndetectors = ["cbrn"]\n'
    root = write_audit(tmp_path / "out", many_docs(src, 100), dead_letters=dead)
    r = rule(evaluate(root, policy), "technical_check")
    assert r.result == "fail" and "coverage 5.00%" in r.measured_text


# --- manual_check --------------------------------------------------------------------


def write_verdicts(root, n, n_fail):
    import pyarrow as pa

    rows = [
        {
            "run_id": "run-test",
            "doc_id": f"d{i}",
            "verdict": "fail" if i < n_fail else "pass",
        }
        for i in range(n)
    ]
    (root / "review").mkdir(exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=VERDICTS_SCHEMA),
        root / "review" / "verdicts.parquet",
    )


@pytest.mark.parametrize(
    "corpus, n, n_fail, expected",
    [
        (5000, None, None, "pending"),
        (5000, 4000, 160, "pass"),  # 96.0%
        (5000, 4000, 161, "fail"),
        (5000, 4100, 163, "pass"),
        (5000, 100, 0, "pending"),  # too few yet
        (5000, 1000, 161, "fail"),  # already more failures than 4,000 may hold
        # A release corpus under 4,000 records is checked whole.
        (177, 177, 0, "pass"),
        (177, 177, 7, "pass"),  # 170/177 = 96.0%
        (177, 177, 8, "fail"),
        (177, 100, 0, "pending"),
    ],
)
def test_manual_check(tmp_path, corpus, n, n_fail, expected):
    root = clean(tmp_path, corpus)
    if n is not None:
        write_verdicts(root, n, n_fail)
    r = rule(evaluate(root), "manual_check")
    assert r.result == expected
    if n:
        assert r.n == n and r.k == n_fail and r.lower < r.measured
    if corpus < 4000:
        assert f">= {corpus} reviewed (the whole release corpus)" in r.threshold
    if expected == "pending" and n:
        assert r.detail == f"{min(corpus, 4000) - n} more records to review"


# --- overall result, outputs, exit codes ---------------------------------------------


def test_overall_incomplete_is_not_a_failure_unless_strict(tmp_path):
    root = clean(tmp_path)  # everything passes but the manual check is pending
    result = evaluate(root)
    assert result.result == "incomplete" and result.exit_code == 0
    strict = evaluate(root, "strict = true\n")
    assert strict.result == "fail" and strict.exit_code == 1


def test_pass_with_review_disabled(tmp_path):
    root = clean(tmp_path)
    result = evaluate(root, "[rules.manual_check]\nenabled = false\n")
    assert result.result == "pass" and result.exit_code == 0
    assert [r.result for r in result.rules] == ["pass"] * 5


def test_run_writes_json_and_parquet_and_exit_codes(tmp_path, capsys):
    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", 100, 20))
    code = cli.main(["gate", str(root)])
    assert code == 1
    printed = capsys.readouterr().out
    assert "source_flagged_rate" in printed and "Gate FAILED" in printed
    data = json.loads((root / "gate.json").read_text())
    assert data["result"] == "fail" and data["exit_code"] == 1
    assert {r["rule_id"] for r in data["rules"]} == set(gate.RULES)
    for r in data["rules"]:
        assert r["clause"] and r["threshold"] and r["result"] in gate.RESULTS
    table = pq.read_table(root / "gate" / "gate.parquet")
    assert table.schema.names == gate.GATE.column_names
    assert table.num_rows == len(data["rules"]) + len(data["subjects"])


def test_run_pass_exit_zero(tmp_path, capsys):
    root = clean(tmp_path)
    policy = tmp_path / "p.toml"
    policy.write_text("[rules.manual_check]\nenabled = false\n")
    assert cli.main(["gate", str(root), "--policy", str(policy)]) == 0
    assert "Gate PASSED" in capsys.readouterr().out


def test_unfinished_audit_is_refused(tmp_path, capsys):
    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", 5), finish=False)
    assert cli.main(["gate", str(root)]) == 2
    err = capsys.readouterr().err.strip()
    assert "run.json" in err and "did not finish" in err and "\n" not in err


def test_policy_error_is_exit_two_with_one_line(tmp_path, capsys):
    root = clean(tmp_path)
    policy = tmp_path / "p.toml"
    policy.write_text("[rules.critical_findings]\nmax_count = 'none'\n")
    assert cli.main(["gate", str(root), "--policy", str(policy)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"{policy}:2:" in err and "\n" not in err


def test_missing_required_column_is_an_input_error(tmp_path, capsys):
    root = clean(tmp_path)
    import pyarrow as pa

    pq.write_table(pa.table({"x": [1]}), root / "documents" / "part-00000.parquet")
    refresh_files(root)
    assert cli.main(["gate", str(root)]) == 2
    err = capsys.readouterr().err
    assert "required column" in err and "part-00000.parquet" in err


# --- one decision source ---------------------------------------------------------------


def test_gate_report_and_summary_take_a_source_decision_from_one_place(tmp_path):
    """20 of 1000 records flagged: pass under the default 5%, block under 0.3%;
    the gate, the report and the audit summary must all say the same."""
    from corpusgate.pipelines.audit.summary import summary_text
    from corpusgate.pipelines.release import report

    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", 1000, 20))
    assert "source_decision" not in open_audit(root).sources.column_names
    strict = 'name = "strict"\n[rules.source_flagged_rate]\nmax_rate = 0.003\n'
    for policy_text, decision in ((None, "pass"), (strict, "block")):
        result = evaluate(root, policy_text)
        (subject,) = [s for s in result.subjects if s.rule_id == "source_flagged_rate"]
        assert subject.detail == f"source {decision}"
        rates = gate.audit_source_rates(
            open_audit(root), result.policy.rules["source_flagged_rate"]
        )
        assert [(r.source, r.decision) for r in rates] == [("/data/a.jsonl", decision)]
        html = report.render(open_audit(root), result)
        assert f'<span class="res {decision}">{decision}</span>' in html
    manifest = {
        "run_id": "run-test",
        "runner": "test",
        "counts": open_audit(root).run["counts"],
    }
    summary = summary_text(str(root), manifest)
    assert "a.jsonl" in summary and "pass" in summary  # default policy
