"""The release commands on a real audit output."""

import json

import pytest
from corpusgate.pipelines import cli

from tests.support.sample_csv import read_sample, write_verdicts

SECRET = "AKIAQ3EGRTNS7PL4XW2M"  # made up; AWS's documented ...EXAMPLE key is only info


@pytest.mark.slow
def test_audit_then_gate_sample_review_report_apply(tmp_path, write_jsonl, capsys):
    d = tmp_path / "in"
    d.mkdir()
    records = [
        {"id": f"r{i}", "text": f"review number {i}: clean and quiet"}
        for i in range(30)
    ]
    records[3]["text"] = f"deploy key {SECRET} in the config"
    write_jsonl(d / "a.jsonl", records)
    out = tmp_path / "out"
    assert cli.main(["audit", str(d), "--out", str(out), "--detectors", "secrets"]) == 0

    assert cli.main(["gate", str(out)]) in (0, 1)
    gate = json.loads((out / "gate.json").read_text())
    manual = [r for r in gate["rules"] if r["rule_id"] == "manual_check"]
    assert manual[0]["result"] == "pending"

    assert cli.main(["sample", str(out), "--size", "10", "--seed", "1"]) == 0
    rows = read_sample(out)
    assert len(rows) == 10 and all(SECRET not in r["text"] for r in rows)
    for r in rows:
        r["verdict"] = "pass"
    verdicts = write_verdicts(tmp_path / "verdicts.csv", rows)
    assert cli.main(["review", str(out), "--verdicts", str(verdicts)]) == 0

    assert cli.main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert SECRET not in html and "SECRET_AWS_ACCESS_KEY" in html

    dest = tmp_path / "release"
    assert cli.main(["apply", str(out), "--dest", str(dest)]) == 0
    released = (dest / "a.jsonl").read_text(encoding="utf-8")
    assert SECRET not in released and "[SECRET_AWS_ACCESS_KEY]" in released
    original = (d / "a.jsonl").read_text(encoding="utf-8").splitlines()
    assert released.splitlines()[0] == original[0]
    assert len(released.splitlines()) == 30
