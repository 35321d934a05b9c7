"""Review rules as a release manager meets them: a small corpus reviewed whole passes
manual_check; `apply` holds back `review` records nobody passed (CLI in, files and
exit codes out)."""

import hashlib
import json

from corpusgate.pipelines import cli

from tests.support.audit_factory import doc, source_row, write_audit
from tests.support.sample_csv import read_sample, write_verdicts

RECORDS = [
    {"id": f"r{i}", "text": f"review number {i}: clean and quiet"} for i in range(12)
]


def test_small_corpus_reviewed_whole_passes_manual_check(tmp_path, write_jsonl, capsys):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", RECORDS)
    out = tmp_path / "out"
    argv = ["audit", str(tmp_path / "in"), "--out", str(out), "-q"]
    assert cli.main([*argv, "--detectors", "secrets"]) == 0
    assert cli.main(["sample", str(out), "--size", "4000", "--seed", "1"]) == 0
    rows = read_sample(out)
    assert len(rows) == len(RECORDS)  # the whole corpus
    for r in rows:
        r["verdict"] = "pass"
    verdicts = write_verdicts(tmp_path / "verdicts.csv", rows)
    assert cli.main(["review", str(out), "--verdicts", str(verdicts)]) == 0
    assert cli.main(["gate", str(out)]) in (0, 1)  # a 12-record source is "review"
    gate = json.loads((out / "gate.json").read_text())
    [manual] = [r for r in gate["rules"] if r["rule_id"] == "manual_check"]
    assert manual["result"] == "pass", manual
    assert "12 reviewed (the whole release corpus)" in manual["threshold"]


def test_apply_holds_back_unreviewed_review_records(tmp_path, capsys):
    src = tmp_path / "in" / "c.jsonl"
    src.parent.mkdir()
    src.write_text('{"text": "fine"}\n{"text": "someone should look"}\n')
    sha = hashlib.sha256(src.read_bytes()).hexdigest()
    docs = [doc(str(src), 0), doc(str(src), 1, decision="review")]
    out = write_audit(
        tmp_path / "out", docs, [], [source_row(str(src), 2, file_sha256=sha)]
    )

    assert cli.main(["apply", str(out), "--dest", str(tmp_path / "r1")]) == 0
    assert "1 held back for review" in capsys.readouterr().out
    assert (tmp_path / "r1" / "c.jsonl").read_text() == '{"text": "fine"}\n'
    manifest = json.loads(
        (tmp_path / "r1" / "_corpusgate" / "manifest.json").read_text()
    )
    assert manifest["include_unreviewed"] is False
    assert manifest["totals"]["held_for_review"] == 1

    argv = ["apply", str(out), "--dest", str(tmp_path / "r2"), "--include-unreviewed"]
    assert cli.main(argv) == 0
    assert (tmp_path / "r2" / "c.jsonl").read_bytes() == src.read_bytes()
    manifest = json.loads(
        (tmp_path / "r2" / "_corpusgate" / "manifest.json").read_text()
    )
    assert manifest["include_unreviewed"] is True


def test_report_lists_review_documents_and_links_to_them(tmp_path, capsys):
    import re

    from tests.support.audit_factory import finding

    src = str(tmp_path / "c.jsonl")
    docs = [doc(src, 0), doc(src, 1, decision="review"), doc(src, 2, decision="redact")]
    findings = [
        finding(src, 1, "cbrn", "CBRN_CHEMICAL", "medium"),
        finding(src, 2, "pii", "EMAIL_ADDRESS", "medium", 0, 5),
    ]
    out = write_audit(tmp_path / "out", docs, findings, [source_row(src, 3)])
    assert cli.main(["report", str(out)]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    review = html[html.index('id="review"') : html.index('id="top-documents"')]
    assert (
        f"{src}:1" in review and "not reviewed" in review and f"{src}:2" not in review
    )
    links = set(re.findall(r'href="#(doc-[0-9a-f]+)"', html))
    assert len(links) == 2  # the review document and the e-mail's
    for anchor in links:
        assert f'id="{anchor}"' in html
