"""Inputs as a data engineer hands them over: what a directory skips is said, .ndjson is
JSON lines, .txt documents get a source that is not the file itself (CLI in, tables
and log out)."""

import json

import pyarrow.parquet as pq
from corpusgate.pipelines import cli


def audit(out, *inputs, extra=()):
    argv = ["audit", *map(str, inputs), "--out", str(out), "--detectors", "secrets"]
    return cli.main([*argv, *extra])


def test_directory_lists_skips_reads_ndjson_and_groups_text(tmp_path, caplog, capsys):
    d = tmp_path / "in"
    (d / "notes").mkdir(parents=True)
    (d / "licensed").mkdir()
    (d / "a.ndjson").write_text(json.dumps({"text": "one line of json"}) + "\n")
    for name in ("readme.md", "table.csv", "x.docx", "y.html", "z.xml", "w.rtf"):
        (d / name).write_text("not read")
    for i in range(3):
        (d / "notes" / f"n{i}.txt").write_text(f"note {i}: a plain text document")
    (d / "licensed" / "l0.txt").write_text("a licensed text")
    (d / "licensed" / "provenance.json").write_text(
        json.dumps({"source_id": "press-archive", "acquisition": "commercial"})
    )
    out = tmp_path / "out"
    assert audit(out, d) == 0
    [warning] = [
        r.getMessage() for r in caplog.records if "skipped 6 file" in r.getMessage()
    ]
    assert "readme.md" in warning and "and 1 more" in warning and "--format" in warning
    assert "not read: 6 file(s) of unknown type" in capsys.readouterr().out
    run = json.loads((out / "run.json").read_text())
    assert sorted(p.rsplit("/", 1)[-1] for p in run["skipped_inputs"])[0] == "readme.md"
    assert len(run["skipped_inputs"]) == 6
    assert cli.main(["report", str(out)]) == 0
    assert "input files skipped" in (out / "report.html").read_text(encoding="utf-8")

    docs = pq.read_table(out / "documents").to_pylist()
    by_file = {doc["source"].rsplit("/", 1)[-1]: doc["source_name"] for doc in docs}
    assert "a.ndjson" in by_file
    assert {by_file[f"n{i}.txt"] for i in range(3)} == {str(d / "notes")}
    assert by_file["l0.txt"] == "press-archive"

    assert audit(tmp_path / "o2", d / "notes", extra=["--text-source", "file"]) == 0
    docs = pq.read_table(tmp_path / "o2" / "documents").to_pylist()
    assert {doc["source_name"] for doc in docs} == {None}


def test_summary_groups_by_source_field_and_shows_the_cap(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    keys = " ".join(f'password = "Zq8!mNp4Lw{i}x"' for i in range(4))
    rows = [{"text": f"post {i}", "site": f"site-{i % 2}"} for i in range(6)]
    rows.append({"text": keys, "site": "site-0"})
    (d / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    config = tmp_path / "c.toml"
    config.write_text("[audit]\nmax_findings_per_record = 1\n")
    out = tmp_path / "out"
    extra = ["--source-field", "site", "--config", str(config), "-q"]
    assert audit(out, d, extra=extra) == 0
    printed = capsys.readouterr().out
    assert "logical source" in printed
    assert "site-0" in printed and "site-1" in printed
    assert "findings over the cap of 1 per record (counted, not stored)" in printed
    findings = pq.read_table(out / "findings").to_pylist()
    assert findings and {f["source_name"] for f in findings} == {"site-0"}
    ranks = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}
    assert all(f["severity_rank"] == ranks[f["severity"]] for f in findings)
