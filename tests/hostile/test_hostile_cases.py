"""Every case of the hostile-input probe, from the outside: CLI in, exit code, files
and logs out. Each asserts the exit code, that counts reconcile, that no planted raw
value is in any file written or line logged, and that nothing is written outside the
directories the command may write."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines.audit.output_guard import LOCK_NAME, output_lock
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import FINDINGS

from tests.hostile.harness import (
    DETECTORS,
    IDENTIFIERS,
    PLANTED,
    assert_no_leak,
    assert_reconciled,
    assert_written_only_in,
    audit,
    clean_record,
    files_under,
    run,
    secret_record,
    write_jsonl,
)
from tests.support.sample_csv import read_sample, write_verdicts

# Whole audits: left out of the inner loop (`make test-fast`) like tests/e2e/.
pytestmark = pytest.mark.e2e


@pytest.fixture
def corpus(tmp_path):
    return write_jsonl(
        tmp_path / "in" / "corpus.jsonl",
        [secret_record(0), clean_record(1), secret_record(2), clean_record(3)],
    )


def one_line_error(result, *words):
    # "corpusgate: error: ..." (audit) or "corpusgate <command>: ..." (the others)
    lines = [
        line
        for line in result.output.splitlines()
        if line.startswith("corpusgate: error:") or re.match(r"corpusgate \w+: ", line)
    ]
    assert len(lines) == 1, result.output[-2000:]
    for w in words:
        assert w in lines[0], lines[0]
    return lines[0]


# --- integrity: apply never releases what it could not read ----------------------


@pytest.mark.parametrize("damage", ["deleted", "emptied", "truncated", "added"])
def test_apply_refuses_a_damaged_findings_table(
    tmp_path, corpus, capsys, caplog, damage
):
    out, dest = tmp_path / "out", tmp_path / "release"
    assert audit(capsys, caplog, [corpus], out).code == 0
    assert_reconciled(out, 4)
    # The scan's shard (the corpus detectors' findings are in part-corpus-* shards).
    shard = sorted((out / "findings").glob("part-0*.parquet"))[0]
    if damage == "deleted":
        shard.unlink()
    elif damage == "emptied":
        pq.write_table(arrow_schema(FINDINGS).empty_table(), shard)
    elif damage == "truncated":
        shard.write_bytes(shard.read_bytes()[:100])
    else:
        pq.write_table(
            pa.table({"x": [1]}), out / "findings" / "part-99999-of-99999.parquet"
        )
    before = files_under(tmp_path)
    result = run(capsys, caplog, "apply", out, "--dest", dest)
    assert result.code == 2
    one_line_error(result, "findings")
    assert not dest.exists()
    assert files_under(tmp_path) == before
    for command in ("gate", "sample", "report"):
        assert run(capsys, caplog, command, out).code == 2


# --- one writer per output --------------------------------------------------------


def test_a_second_audit_is_refused_while_the_first_holds_the_lock(
    tmp_path, corpus, capsys, caplog
):
    out = tmp_path / "out"
    with output_lock(str(out), "first-run"):
        result = audit(capsys, caplog, [corpus], out)
        assert result.code == 2
        one_line_error(result, LOCK_NAME, "first-run", str(os.getpid()))
        assert (out / LOCK_NAME).exists()
        assert not list(out.glob(".staging-*")) and not (out / "run.json").exists()
    assert not (out / LOCK_NAME).exists()
    assert audit(capsys, caplog, [corpus], out).code == 0
    assert not (out / LOCK_NAME).exists()


def test_two_audit_processes_into_one_out(tmp_path, corpus, capsys, caplog):
    out = tmp_path / "out"
    big = tmp_path / "in" / "big.jsonl"
    with open(big, "w") as f:
        for i in range(30_000):
            f.write(json.dumps({"id": i, "text": f"record number {i} " * 8}) + "\n")
    first = subprocess.Popen(
        [sys.executable, "-m", "corpusgate.pipelines.cli", "audit", str(big)]
        + ["--out", str(out), "--run-id", "first", *DETECTORS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not (out / LOCK_NAME).exists():
        time.sleep(0.1)
    second = audit(capsys, caplog, [corpus], out, "--overwrite", "--run-id", "second")
    _, err = first.communicate(timeout=900)
    assert first.returncode == 0, err[-2000:]
    assert second.code == 2
    one_line_error(second, "run first", "is writing to this directory")
    assert json.loads((out / "run.json").read_text())["run_id"] == "first"
    assert_reconciled(out, 30_000)
    assert run(capsys, caplog, "gate", out).code in (0, 1)


def test_a_dead_runs_lock_is_broken_with_a_warning_another_hosts_is_reported(
    tmp_path, corpus, capsys, caplog
):
    import socket

    out = tmp_path / "out"
    out.mkdir()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    lock = out / LOCK_NAME
    lock.write_text(
        json.dumps({"run_id": "killed", "pid": dead.pid, "host": socket.gethostname()})
    )
    result = audit(capsys, caplog, [corpus], out)
    assert result.code == 0
    assert "removed a stale lock: run killed" in result.output
    lock.write_text(json.dumps({"run_id": "far", "pid": 1, "host": "elsewhere"}))
    result = audit(capsys, caplog, [corpus], out, "--overwrite")
    assert result.code == 2
    one_line_error(result, "run far", "elsewhere")
    assert lock.exists()


@pytest.mark.parametrize(
    "run_id",
    ["x/../../../ESCAPED", "..", "a b", "/abs", "x\\y", "é", "_lead", ".hidden"],
)
def test_run_id_outside_the_safe_charset(tmp_path, corpus, capsys, caplog, run_id):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    before = files_under(tmp_path)
    result = audit(capsys, caplog, [corpus], deep / "out", "--run-id", run_id)
    assert result.code == 2
    one_line_error(result, "--run-id")
    assert files_under(tmp_path) == before
    assert not (deep / "out").exists()
    assert not list(tmp_path.rglob("ESCAPED*"))


# --- --out placement --------------------------------------------------------------


def test_out_equal_to_or_inside_an_input_or_holding_one(
    tmp_path, corpus, capsys, caplog
):
    inputs = corpus.parent
    before = files_under(tmp_path)
    for out, words in (
        (inputs, "input directory"),
        (inputs / "sub" / "out", "input directory"),
        (tmp_path, "holds the input file"),
    ):
        for extra in ((), ("--overwrite",)):
            result = audit(capsys, caplog, [inputs], out, *extra)
            assert result.code == 2
            one_line_error(result, words)
    assert files_under(tmp_path) == before
    assert not (inputs / "sub").exists()


def test_out_pointing_to_a_file(tmp_path, corpus, capsys, caplog):
    target = tmp_path / "file.txt"
    target.write_text("mine")
    result = audit(capsys, caplog, [corpus], target)
    assert result.code == 2
    one_line_error(result, "is a file")
    assert "Traceback" not in result.output and target.read_text() == "mine"


def test_overwrite_never_deletes_a_users_own_folder(tmp_path, corpus, capsys, caplog):
    out = tmp_path / "out"
    (out / "findings").mkdir(parents=True)
    (out / "findings" / "notes.txt").write_text("my notes")
    result = audit(capsys, caplog, [corpus], out, "--overwrite")
    assert result.code == 2
    one_line_error(result, "findings", "no finished audit")
    assert (out / "findings" / "notes.txt").read_text() == "my notes"


def test_overwrite_replaces_only_corpusgates_files(tmp_path, corpus, capsys, caplog):
    out = tmp_path / "out"
    assert audit(capsys, caplog, [corpus], out, "--run-id", "one").code == 0
    (out / "my-notes.txt").write_text("keep me")
    before = files_under(tmp_path)
    assert (
        audit(capsys, caplog, [corpus], out, "--overwrite", "--run-id", "two").code == 0
    )
    assert (out / "my-notes.txt").read_text() == "keep me"
    assert json.loads((out / "run.json").read_text())["run_id"] == "two"
    assert run(capsys, caplog, "gate", out).code in (0, 1)  # integrity holds
    assert_written_only_in(before, tmp_path, out)


def test_kill_9_during_an_overwrite_keeps_the_previous_audit(tmp_path, capsys, caplog):
    out = tmp_path / "out"
    small = write_jsonl(tmp_path / "in" / "small.jsonl", [secret_record(0)])
    assert audit(capsys, caplog, [small], out, "--run-id", "previous").code == 0
    big = tmp_path / "in" / "big.jsonl"
    with open(big, "w") as f:
        for i in range(60_000):
            f.write(json.dumps({"id": i, "text": f"record number {i} " * 8}) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "corpusgate.pipelines.cli", "audit", str(big)]
        + ["--out", str(out), "--overwrite", *DETECTORS],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not list(out.glob(".staging-*")):
        time.sleep(0.2)
    assert list(out.glob(".staging-*")), "the run never started writing"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    # The previous audit is whole: its run.json and every file it lists.
    assert json.loads((out / "run.json").read_text())["run_id"] == "previous"
    assert run(capsys, caplog, "gate", out).code in (0, 1)
    result = run(capsys, caplog, "apply", out, "--dest", tmp_path / "release")
    assert result.code == 0, result.output[-2000:]
    assert_no_leak(files_under(tmp_path / "release"), result.output)


# --- no raw value anywhere ----------------------------------------------------------


def test_verbose_logs_never_carry_record_contents(tmp_path):
    records = [secret_record(0)] + [
        {"id": f"i{i}", "text": f"record holding {name}: {value}"}
        for i, (name, value) in enumerate(IDENTIFIERS.items())
    ]
    broken = '{"id": "broken", "text": "' + " ".join(PLANTED.values())
    corpus = write_jsonl(tmp_path / "in" / "c.jsonl", [*records, broken])
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "corpusgate.pipelines.cli", "audit", str(corpus)]
        + ["--out", str(out), *DETECTORS, "-vv"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert " apache_beam." in proc.stderr  # -vv shows Beam's own lines (filtered)
    assert_reconciled(out, len(records) + 1)
    assert_no_leak(files_under(out), proc.stdout, proc.stderr)


def test_oversize_record_excerpt_is_masked_before_it_is_cut(tmp_path, capsys, caplog):
    # The e-mail straddles the excerpt's 200-character cut; names come first.
    head = f"{IDENTIFIERS['cn_name']} {IDENTIFIERS['en_name']} "
    text = head + "x " * ((185 - len(head) - 10) // 2)
    text += IDENTIFIERS["email"] + " " + IDENTIFIERS["resident_id"] + " pad" * 1000
    corpus = write_jsonl(
        tmp_path / "in" / "c.jsonl", [{"id": "big", "text": text}, clean_record(1)]
    )
    config = tmp_path / "cfg.toml"
    config.write_text("[audit]\nmax_record_bytes = 2048\n")
    out = tmp_path / "out"
    result = audit(capsys, caplog, [corpus], out, "--config", config)
    assert result.code == 0
    assert_reconciled(out, 2)
    [dead] = pq.read_table(out / "dead_letters").to_pylist()
    assert dead["error_type"] == "RecordTooLarge"
    assert 0 < len(dead["raw_excerpt"]) <= 200
    assert_no_leak(files_under(out), result.output)


def test_ids_labels_and_source_names_are_copied_as_documented(tmp_path, capsys, caplog):
    """doc_id, label and source_name are the user's keys into their corpus and are
    written as they are (docs/security.md says so); the text is what is scanned."""
    record = {
        "id": IDENTIFIERS["resident_id"],
        "text": "an ordinary sentence",
        "label": IDENTIFIERS["email"],
        "origin": IDENTIFIERS["bank_card"],
    }
    corpus = write_jsonl(tmp_path / "in" / "c.jsonl", [record, clean_record(1)])
    out = tmp_path / "out"
    result = audit(capsys, caplog, [corpus], out, "--source-field", "origin")
    assert result.code == 0
    [doc] = [
        d
        for d in pq.read_table(out / "documents").to_pylist()
        if d["doc_id"] == record["id"]
    ]
    assert (doc["label"], doc["source_name"]) == (record["label"], record["origin"])
    security = (
        open(os.path.join(os.path.dirname(__file__), "../../docs/security.md"))
        .read()
        .lower()
    )
    for field in ("doc_id", "label", "source_name"):
        assert f"`{field}`" in security
    assert "copied as they are" in security


def test_formula_cells_are_escaped_in_the_sample_csv(tmp_path, capsys, caplog):
    texts = ['=HYPERLINK("http://evil.example","click")', "@SUM(1+1)", "+1-2", "-3"]
    records = [{"id": f"=id{i}", "text": t} for i, t in enumerate(texts)]
    records.append({"id": "+plain", "text": "\tcarriage\r"})
    corpus = write_jsonl(tmp_path / "in" / "c.jsonl", records)
    out = tmp_path / "out"
    assert audit(capsys, caplog, [corpus], out).code == 0
    assert run(capsys, caplog, "sample", out, "--size", "10", "--seed", "1").code == 0
    path = out / "sample" / "sample.csv"
    rows = read_sample(out)
    assert len(rows) == len(records)
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert {r["doc_id"] for r in rows} == {"'" + r["id"] for r in records}
    # Reviewers' verdicts come back through the same file: ids are unescaped.
    for row in rows:
        row["verdict"] = "pass"
    write_verdicts(path, rows, encoding="utf-8-sig")
    result = run(capsys, caplog, "review", out, "--verdicts", path)
    assert result.code == 0, result.output[-2000:]


# --- bounded resources and odd files ---------------------------------------------


def test_metadata_nested_500_levels_is_a_dead_letter(tmp_path, capsys, caplog):
    deep = {"id": "deep", "text": "fine text"}
    meta = {}
    cursor = meta
    for _ in range(500):
        cursor["m"] = {}
        cursor = cursor["m"]
    deep["meta"] = meta
    corpus = write_jsonl(tmp_path / "in" / "c.jsonl", [deep, clean_record(1)])
    out = tmp_path / "out"
    result = audit(capsys, caplog, [corpus], out)
    assert result.code == 0, result.output[-2000:]
    counts = assert_reconciled(out, 2)
    assert counts["dead_lettered"] == 1
    [dead] = pq.read_table(out / "dead_letters").to_pylist()
    assert dead["error_type"] == "MetadataTooDeep"


def test_fifo_named_is_refused_and_skipped_inside_a_directory(
    tmp_path, corpus, capsys, caplog
):
    fifo = corpus.parent / "pipe.jsonl"
    os.mkfifo(fifo)
    out = tmp_path / "out"
    result = audit(capsys, caplog, [fifo], out)
    assert result.code == 2
    one_line_error(result, "FIFO")
    result = audit(capsys, caplog, [corpus.parent], out)
    assert result.code == 0
    assert "pipe.jsonl: skipped, a FIFO is not a regular file" in result.output
    assert_reconciled(out, 4)


def test_a_device_is_refused(tmp_path, capsys, caplog):
    start = time.monotonic()
    result = run(
        capsys,
        caplog,
        "audit",
        "/dev/zero",
        "--format",
        "jsonl",
        "--out",
        tmp_path / "out",
        *DETECTORS,
    )
    assert result.code == 2 and time.monotonic() - start < 60
    one_line_error(result, "/dev/zero", "device")


def test_byte_order_mark_at_the_start_is_accepted(tmp_path, capsys, caplog):
    path = tmp_path / "in" / "bom.jsonl"
    path.parent.mkdir()
    path.write_bytes(
        b"\xef\xbb\xbf"
        + json.dumps(clean_record(0)).encode()
        + b"\n"
        + json.dumps(clean_record(1)).encode()
        + b"\n"
    )
    text = tmp_path / "in" / "bom.txt"
    text.write_bytes(b"\xef\xbb\xbfplain text file")
    out = tmp_path / "out"
    assert audit(capsys, caplog, [path.parent], out).code == 0
    counts = assert_reconciled(out, 3)
    assert counts["dead_lettered"] == 0
    docs = pq.read_table(out / "documents").to_pylist()
    assert "c0" in {d["doc_id"] for d in docs}


@pytest.mark.parametrize(
    ("section", "key"),
    [
        ("[audit]\nmax_findings_per_record = -1", "max_findings_per_record = -1"),
        ("[audit]\nbatch_size = 0", "batch_size = 0"),
        ("[audit]\nmax_record_bytes = 0", "max_record_bytes = 0"),
        ('[audit]\nsalt = ""', "salt = <0 characters>"),
        ("[detectors.near_duplicate]\nbands = 100000000", "bands = 100000000"),
        ("[detectors.poisoning]\ncms_width = 0", "cms_width = 0"),
        ("[detectors.labels]\nfolds = 0", "folds = 0"),
        ('[detectors.secrets]\nseverity = "urgent"', "severity = 'urgent'"),
    ],
)
def test_out_of_range_options_stop_before_the_job(
    tmp_path, corpus, capsys, caplog, section, key
):
    config = tmp_path / "cfg.toml"
    config.write_text(section + "\n")
    before = files_under(tmp_path)
    result = run(
        capsys,
        caplog,
        "audit",
        corpus,
        "--out",
        tmp_path / "out",
        "--detectors",
        "all",
        "--reference",
        corpus,
        "--config",
        config,
    )
    assert result.code == 2
    one_line_error(result, key, "expected")
    assert files_under(tmp_path) == before and not (tmp_path / "out").exists()
