"""End to end: the CLI on small corpora in tmp_path, tables read back with pyarrow."""

import json
import subprocess
import sys

import fastavro
import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines import cli
from corpusgate.pipelines.audit import job
from corpusgate.pipelines.outputs import open_audit
from corpusgate.schemas import SCHEMA_VERSION, TABLES
from corpusgate.schemas.arrow import arrow_schema

GOOD = [
    {
        "id": "r1",
        "text": "The hotel was clean. Key AKIAQ3EGRTNS7PL4XW2M leaked.",
        "label": "pos",
    },
    {"id": "r2", "text": "这家酒店很干净，服务也很好。", "label": "pos"},
    {"id": "r3", "text": " 这家酒店很干净，服务也很好。\n", "label": "neg"},
    {"id": "r0", "text": "这家酒店很干净，服务也很好。", "label": "pos"},
    {"id": "r4", "text": 'Mixed 中英文 text with a password = "Zq8!mNp4Lw" inside'},
]
BAD = ['{"id": "broken", ', '{"id": "no-text"}', '{"id": "num", "text": 3}']


def corpus(tmp_path, write_jsonl):
    d = tmp_path / "in"
    d.mkdir()
    write_jsonl(d / "a.jsonl", [GOOD[0], BAD[0], GOOD[1], BAD[1], GOOD[2]])
    write_jsonl(d / "b.jsonl", [GOOD[3], BAD[2], GOOD[4]])
    (d / "c.jsonl").write_bytes(b'{"id": "latin1", "text": "caf\xe9"}\n')
    (d / "empty.jsonl").write_text("")
    (d / "a.jsonl.provenance.json").write_text(
        json.dumps(
            {"source_id": "A", "acquisition": "open_source", "license": "CC-BY-4.0"}
        )
    )
    return d


def read(out, name):
    files = sorted((out / name).glob("*.parquet"))
    assert files, f"no {name} shards"
    tables = [pq.read_table(f) for f in files]
    for t in tables:
        assert t.schema.equals(arrow_schema(TABLES[name]), check_metadata=False)
    return [row for t in tables for row in t.to_pylist()]


BASE_DETECTORS = "secrets,exact_duplicate"


def run_cli(*argv):
    argv = [str(a) for a in argv]
    if argv[0] == "audit" and "--detectors" not in argv:
        # Pin the detectors these tests are about; others have their own tests.
        argv += ["--detectors", BASE_DETECTORS]
    return cli.main(argv)


def test_audit_writes_every_table_and_counts_reconcile(tmp_path, write_jsonl, capsys):
    inputs = corpus(tmp_path, write_jsonl)
    out = tmp_path / "out"
    assert run_cli("audit", inputs, "--out", out, "--avro") == 0
    printed = capsys.readouterr().out
    assert "records read" in printed and str(out) in printed

    manifest = json.loads((out / "run.json").read_text())
    counts = manifest["counts"]
    assert counts == {
        "records_read": 9,
        "scanned": 5,
        "dead_lettered": 4,
        "detector_errors": 0,
        "findings_over_cap": 0,
        "findings": 4,
        "findings_by_detector": [
            {"detector": "exact_duplicate", "findings": 2},
            {"detector": "secrets", "findings": 2},
        ],
    }
    assert [d["name"] for d in manifest["detectors"]] == ["secrets", "exact_duplicate"]
    assert len(manifest["inputs"]) == 4 and all(
        len(i["sha256"]) == 64 for i in manifest["inputs"]
    )
    assert "salt" not in json.loads(manifest["config"]) or json.loads(
        manifest["config"]
    )["salt"].startswith("per-run")

    documents = {d["doc_id"]: d for d in read(out, "documents")}
    assert sorted(documents) == ["r0", "r1", "r2", "r3", "r4"]
    # r0, r2, r3 are one normalized text: r0 is the representative.
    assert {documents[k]["cluster_id"] for k in ("r0", "r2", "r3")} == {
        documents["r0"]["cluster_id"]
    }
    assert [documents[k]["is_duplicate"] for k in ("r0", "r2", "r3")] == [
        False,
        True,
        True,
    ]
    assert (
        documents["r2"]["decision"] == "drop" and documents["r0"]["decision"] == "keep"
    )
    assert documents["r1"]["decision"] == "redact"
    assert documents["r1"]["finding_types"] == ["SECRET_AWS_ACCESS_KEY"]
    assert (
        documents["r2"]["language"] == "zh-Hans" and documents["r4"]["language"] == "en"
    )
    assert documents["r3"]["label"] == "neg"
    assert {d["text_kind"] for d in documents.values()} == {"prose"}

    findings = read(out, "findings")
    secret = next(f for f in findings if f["finding_type"] == "SECRET_AWS_ACCESS_KEY")
    assert secret["doc_id"] == "r1"
    assert GOOD[0]["text"][secret["start"] : secret["end"]] == "AKIAQ3EGRTNS7PL4XW2M"
    assert "AKIAQ3EGRTNS7PL4XW2M" not in json.dumps(findings)

    dead = read(out, "dead_letters")
    assert sorted(d["error_type"] for d in dead) == [
        "InvalidUTF8",
        "JSONDecodeError",
        "MissingTextField",
        "TextNotString",
    ]

    sources = {s["source"].rsplit("/", 1)[-1]: s for s in read(out, "sources")}
    assert (
        sources["a.jsonl"]["records"] == 5 and sources["a.jsonl"]["dead_letters"] == 2
    )
    assert sources["a.jsonl"]["provenance_complete"] is True
    assert sources["b.jsonl"]["provenance_complete"] is False
    assert sources["empty.jsonl"]["records"] == 0
    assert sum(s["records"] for s in sources.values()) == counts["records_read"]

    # Avro in a folder of its own: the Parquet table folders stay readable whole.
    assert not list((out / "documents").glob("*.avro"))
    assert pq.read_table(out / "documents").num_rows == len(documents)
    avro_files = sorted((out / "avro" / "documents").glob("*.avro"))
    assert avro_files
    with open(avro_files[0], "rb") as f:
        reader = fastavro.reader(f)
        assert reader.writer_schema["corpusgate.schema_version"] == SCHEMA_VERSION
        assert {r["doc_id"] for r in reader} == set(documents)
    field = pq.read_schema(next((out / "findings").glob("*.parquet"))).field("severity")
    assert field.metadata[b"description"]
    with open(out / "run.avro", "rb") as f:
        [run_record] = list(fastavro.reader(f))
    assert run_record["counts"]["records_read"] == 9
    assert run_record["run_id"] == manifest["run_id"]
    assert not list(out.glob(".staging-*"))


def test_rerun_is_refused_then_overwritten(tmp_path, write_jsonl, capsys):
    inputs = corpus(tmp_path, write_jsonl)
    out = tmp_path / "out"
    assert run_cli("audit", inputs, "--out", out, "--detectors", "secrets") == 0
    assert run_cli("audit", inputs, "--out", out) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert (
        run_cli(
            "audit",
            inputs,
            "--out",
            out,
            "--overwrite",
            "--detectors",
            "exact_duplicate",
        )
        == 0
    )
    findings = read(out, "findings")
    assert {f["detector"] for f in findings} == {"exact_duplicate"}


def tables(out):
    result = {}
    for name in ("findings", "documents", "sources", "dead_letters"):
        rows = read(out, name)
        result[name] = sorted(
            json.dumps(r, sort_keys=True, ensure_ascii=False) for r in rows
        )
    return result


def test_same_input_same_rows_across_runs_and_worker_modes(tmp_path, write_jsonl):
    inputs = corpus(tmp_path, write_jsonl)
    config = tmp_path / "cfg.toml"
    config.write_text('[audit]\nsalt = "fixed-for-test"\n')
    common = ["audit", inputs, "--config", config, "--run-id", "fixed"]
    assert run_cli(*common, "--out", tmp_path / "o1") == 0
    assert run_cli(*common, "--out", tmp_path / "o2") == 0
    assert (
        run_cli(
            *common,
            "--out",
            tmp_path / "o3",
            "--direct_num_workers=2",
            "--direct_running_mode=multi_processing",
        )
        == 0
    )
    first = tables(tmp_path / "o1")
    assert first == tables(tmp_path / "o2") == tables(tmp_path / "o3")
    assert first["findings"]  # something to compare


def test_failed_job_leaves_no_run_manifest(tmp_path, write_jsonl, monkeypatch, capsys):
    inputs = corpus(tmp_path, write_jsonl)

    def broken_commit(staging, out):
        raise OSError("disk full")

    monkeypatch.setattr(job, "commit_tables", broken_commit)
    out = tmp_path / "out"
    assert run_cli("audit", inputs, "--out", out) == 3
    assert "disk full" in capsys.readouterr().err
    assert not (out / "run.json").exists()


def test_failed_overwrite_keeps_the_previous_audit(
    tmp_path, write_jsonl, monkeypatch, capsys
):
    inputs = corpus(tmp_path, write_jsonl)
    out = tmp_path / "out"
    assert run_cli("audit", inputs, "--out", out, "--detectors", "secrets") == 0
    before = tables(out)
    run_json = (out / "run.json").read_bytes()

    def broken_pipeline(pipeline, config, spread=True):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(job, "build_pipeline", broken_pipeline)
    assert run_cli("audit", inputs, "--out", out, "--overwrite") == 3
    assert "worker lost" in capsys.readouterr().err
    # the previous finished audit is untouched and still opens (files verified)
    assert (out / "run.json").read_bytes() == run_json
    assert tables(out) == before
    assert open_audit(str(out)).run_id == json.loads(run_json)["run_id"]
    assert not list(out.glob(".staging-*"))


def test_overwrite_that_fails_to_commit_puts_the_previous_audit_back(
    tmp_path, write_jsonl, monkeypatch, capsys
):
    inputs = corpus(tmp_path, write_jsonl)
    out = tmp_path / "out"
    assert run_cli("audit", inputs, "--out", out, "--detectors", "secrets") == 0
    before = tables(out)
    run_json = (out / "run.json").read_bytes()
    commit = job.commit_tables

    def commit_then_fail(staging, target):
        commit(staging, target)  # the new tables are in OUT, then the disk fills
        raise OSError("disk full")

    monkeypatch.setattr(job, "commit_tables", commit_then_fail)
    args = ("audit", inputs, "--out", out, "--overwrite", "--detectors", "pii")
    assert run_cli(*args) == 3
    assert "disk full" in capsys.readouterr().err
    assert (out / "run.json").read_bytes() == run_json
    assert tables(out) == before
    open_audit(str(out))  # every listed file is back, nothing foreign
    assert not list(out.glob(".previous-*"))


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["audit", "{tmp}/missing.jsonl", "--out", "{tmp}/o"],
            "missing.jsonl: no such file",
        ),
        (
            ["audit", "{in}", "--out", "{tmp}/o", "--detectors", "secrets,nope"],
            "unknown detector 'nope'",
        ),
        (
            ["audit", "{in}", "--out", "{tmp}/o", "--detectors", "copyright"],
            "--detectors copyright needs --reference",
        ),
        (
            [
                "audit",
                "{in}",
                "--out",
                "{tmp}/o",
                "--config",
                "{tmp}/bad.toml",
                "--detectors",
                "secrets",
            ],
            "bad.toml: [detectors.secrets] assignments = 'yes': expected bool",
        ),
        (
            [
                "audit",
                "{in}",
                "--out",
                "{tmp}/o",
                "--config",
                "{tmp}/unknown.toml",
                "--detectors",
                "secrets",
            ],
            "unknown.toml: [audit] has unknown key 'colour'",
        ),
    ],
)
def test_user_errors_exit_2_with_one_line(tmp_path, write_jsonl, argv, message):
    inputs = corpus(tmp_path, write_jsonl)
    (tmp_path / "bad.toml").write_text('[detectors.secrets]\nassignments = "yes"\n')
    (tmp_path / "unknown.toml").write_text('[audit]\ncolour = "blue"\n')
    args = [a.format(tmp=tmp_path, **{"in": inputs}) for a in argv]
    proc = subprocess.run(
        [sys.executable, "-m", "corpusgate.pipelines.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_demo_audits_the_shipped_corpus(tmp_path, capsys):
    out = tmp_path / "demo"
    assert run_cli("demo", "--out", out, "--detectors", BASE_DETECTORS) == 0
    for name in ("findings", "documents", "sources", "dead_letters"):
        assert read(out, name), name
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["counts"]["records_read"] >= 300
    assert "manifests:" in capsys.readouterr().out


def test_all_detectors_reproducible_on_the_demo_corpus(tmp_path, monkeypatch):
    """Every detector, two runs (in-process and multi-process): identical tables."""
    monkeypatch.setenv("CORPUSGATE_SALT", "reproducible")
    common = ["demo", "--run-id", "same", "--detectors", "all"]
    assert cli.main([*common, "--out", str(tmp_path / "a")]) == 0
    assert (
        cli.main(
            [
                *common,
                "--out",
                str(tmp_path / "b"),
                "--direct_num_workers=2",
                "--direct_running_mode=multi_processing",
            ]
        )
        == 0
    )
    first = tables(tmp_path / "a")
    assert first == tables(tmp_path / "b")
    detectors = {json.loads(r)["detector"] for r in first["findings"]}
    assert {"pii", "secrets", "exact_duplicate"} <= detectors
