"""The post-audit commands on a real audit output, and record numbering shared with
the audit's reader (pipelines/inputs.py)."""

import csv
import json

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines import cli
from corpusgate.pipelines.inputs import (
    DeadLetter,
    InputFile,
    ReadOptions,
    RecordDecoder,
)
from corpusgate.pipelines.release.input_records import iter_rows, text_of

SECRET = "AKIAQ3EGRTNS7PL4XW2M"  # made up; AWS's documented ...EXAMPLE key is only info


def decoder_view(path, fmt):
    """record_index -> text (or None for a dead letter), as the audit reads it."""
    out = {}
    for item in RecordDecoder(ReadOptions()).read(InputFile(str(path), fmt, 0)):
        if isinstance(item, DeadLetter):
            out[item.record_index] = None
        elif hasattr(item, "text"):
            out[item.record_index] = item.text
    return out


def my_view(path, fmt):
    key = "__text__" if fmt == "text" else "text"
    return {i: text_of(row, key) for i, row in iter_rows(path, fmt)}


def test_jsonl_numbering_matches_the_audit_reader(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        b'{"text": "one"}\n\n{"text": \n{"text": "two"}\n   \r\n'
        b'{"no_text": 1}\n{"text": 5}\n{"text": "three"}'
    )
    assert my_view(path, "jsonl") == decoder_view(path, "jsonl")


def test_parquet_and_avro_numbering_match_the_audit_reader(tmp_path):
    texts = [f"t{i}" for i in range(7)]
    pq.write_table(pa.table({"text": texts}), tmp_path / "a.parquet", row_group_size=3)
    schema = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "text", "type": "string"}],
    }
    with open(tmp_path / "a.avro", "wb") as f:
        fastavro.writer(f, schema, [{"text": t} for t in texts])
    for name, fmt in (("a.parquet", "parquet"), ("a.avro", "avro")):
        assert my_view(tmp_path / name, fmt) == decoder_view(tmp_path / name, fmt)


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
    with open(out / "sample" / "sample.csv", encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 10 and all(SECRET not in r["text"] for r in rows)
    for r in rows:
        r["verdict"] = "pass"
    verdicts = tmp_path / "verdicts.csv"
    with open(verdicts, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
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
