"""Hostile inputs: every record is scanned or dead-lettered with a reason, counts
reconcile, the job exits 0 unless nothing at all could be read; interrupted runs never
look finished."""

import gzip
import json
import os
import signal
import subprocess
import sys
import time

import fastavro
import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.text import normalize_for_hash
from corpusgate.pipelines import cli
from corpusgate.pipelines.inputs import (
    DeadLetter,
    FileStats,
    ReadOptions,
    RecordDecoder,
    expand_inputs,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

DETECTORS = ["--detectors", "secrets,exact_duplicate"]


def decode(path, options=None):
    [input_file] = expand_inputs([str(path)])
    return list(RecordDecoder(options or ReadOptions()).read(input_file))


def kinds(items):
    return [
        i.error_type if isinstance(i, DeadLetter) else "ok"
        for i in items
        if not isinstance(i, FileStats)
    ]


def test_duplicate_keys_and_deep_nesting_are_dead_letters(tmp_path):
    path = tmp_path / "tricky.jsonl"
    deep = '{"text": "x", "meta": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(
        '{"id": "d", "text": "shown to one parser", "text": "shown to another"}\n'
        + deep
        + "\n"
        + '{"id": "ok", "text": "fine", "meta": {"a": {"b": [1, 2, {"c": null}]}}}\n'
    )
    assert kinds(decode(path)) == ["DuplicateKey", "JSONTooDeep", "ok"]


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (12.5, "TextNotString"),
        (["a", "b"], "TextNotString"),
        ({"t": 1}, "TextNotString"),
        (None, "TextNotString"),
        (True, "TextNotString"),
    ],
)
def test_text_field_of_the_wrong_type(tmp_path, value, error):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps({"text": value}) + "\n")
    assert kinds(decode(path)) == [error]


def test_nul_bytes_are_scanned_and_lone_surrogates_dead_lettered(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text('{"text": "a\\u0000b"}\n{"text": "\\udc80 lone"}\n')
    items = decode(path)
    assert kinds(items) == ["ok", "InvalidUnicode"]
    assert items[0].text == "a\x00b"


def test_avro_with_a_different_schema(tmp_path):
    schema = {
        "type": "record",
        "name": "Other",
        "fields": [{"name": "body", "type": "string"}, {"name": "n", "type": "long"}],
    }
    path = tmp_path / "other.avro"
    with open(path, "wb") as f:
        fastavro.writer(f, schema, [{"body": "no text field", "n": 1}])
    assert kinds(decode(path)) == ["MissingTextField"]
    # The same file read with --text-field body is fine.
    assert kinds(decode(path, ReadOptions(text_field="body"))) == ["ok"]


def test_corrupt_avro_block(tmp_path):
    schema = {
        "type": "record",
        "name": "Doc",
        "fields": [{"name": "text", "type": "string"}],
    }
    path = tmp_path / "c.avro"
    with open(path, "wb") as f:
        fastavro.writer(
            f,
            schema,
            [{"text": f"record {i}"} for i in range(2000)],
            sync_interval=2000,
        )
    raw = bytearray(path.read_bytes())
    raw[len(raw) // 2 : len(raw) // 2 + 64] = b"\xff" * 64
    path.write_bytes(bytes(raw))
    result = kinds(decode(path))
    assert result[-1] == "CorruptAvro" and result.count("CorruptAvro") == 1
    assert 0 < result.count("ok") < 2000


def test_a_50_mb_record_is_dead_lettered_whole_not_scanned_in_part(tmp_path):
    path = tmp_path / "big.jsonl"
    with open(path, "w") as f:
        f.write('{"id": "huge", "text": "' + "x" * (50 * 1024 * 1024) + '"}\n')
        f.write('{"id": "small", "text": "y"}\n')
    items = decode(path)
    assert kinds(items) == ["RecordTooLarge", "ok"]
    assert items[0].stage == "size_limit" and len(items[0].raw_excerpt) <= 200
    # With a larger cap the same record is read in full.
    items = decode(path, ReadOptions(max_record_bytes=64 * 1024 * 1024))
    assert kinds(items) == ["ok", "ok"] and len(items[0].text) == 50 * 1024 * 1024


def test_job_exits_2_when_nothing_could_be_read(tmp_path, capsys):
    path = tmp_path / "all-bad.jsonl.gz"
    path.write_bytes(gzip.compress(b'{"broken\n{"id": 1}\n')[:-8])
    out = tmp_path / "out"
    assert cli.main(["audit", str(path), "--out", str(out), *DETECTORS]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("corpusgate: error:")]
    assert len(errors) == 1 and "nothing could be read" in errors[0]
    # the line names a file and the reason of its dead letters
    assert f"{path}: JSONDecodeError: " in errors[0] and "(and 2 other)" in errors[0]
    manifest = json.loads((out / "run.json").read_text())
    c = manifest["counts"]
    assert c["scanned"] == 0 and c["records_read"] == c["dead_lettered"] > 0


@pytest.mark.parametrize(
    "name, data, message",
    [
        ("empty.jsonl", b"", "the input files hold no records"),
        ("other.jsonl", b'{"id": 1, "content": "x"}\n', "MissingTextField"),
        ("gbk.txt", "中文文本".encode("gbk"), "decodes as GBK"),
    ],
)
def test_nothing_read_says_what_is_wrong_where(tmp_path, capsys, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    out = tmp_path / "out"
    assert cli.main(["audit", str(path), "--out", str(out), *DETECTORS]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    errors = [line for line in err if line.startswith("corpusgate: error:")]
    assert len(errors) == 1 and message in errors[0]


def test_findings_over_the_cap_are_counted_not_written(tmp_path):
    path = tmp_path / "many.jsonl"
    keys = " ".join(f"AKIA{i:016d}" for i in range(30))
    path.write_text(json.dumps({"id": "m", "text": keys}) + "\n")
    config = tmp_path / "cfg.toml"
    config.write_text("[audit]\nmax_findings_per_record = 10\n")
    out = tmp_path / "out"
    assert (
        cli.main(
            ["audit", str(path), "--out", str(out), "--config", str(config), *DETECTORS]
        )
        == 0
    )
    counts = json.loads((out / "run.json").read_text())["counts"]
    assert (counts["findings"], counts["findings_over_cap"]) == (10, 20)


def test_killed_run_leaves_no_run_manifest_and_rerun_succeeds(tmp_path):
    corpus = tmp_path / "c.jsonl"
    with open(corpus, "w") as f:
        for i in range(60_000):
            f.write(json.dumps({"id": i, "text": f"record number {i} " * 8}) + "\n")
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "corpusgate.pipelines.cli",
        "audit",
        str(corpus),
        "--out",
        str(out),
        *DETECTORS,
    ]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(out.glob(".staging-*")):
        time.sleep(0.2)
    assert list(out.glob(".staging-*")), "the run never started writing"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert not (out / "run.json").exists()
    assert not (out / "documents").exists()
    # A rerun into the same OUT clears the dead run's staging and finishes.
    small = tmp_path / "small.jsonl"
    small.write_text('{"text": "hello"}\n')
    assert cli.main(["audit", str(small), "--out", str(out), *DETECTORS]) == 0
    assert (out / "run.json").exists() and not list(out.glob(".staging-*"))


# --- property-based -------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=8,
)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    lines=st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.builds(lambda v: json.dumps(v).encode(), json_values),
            st.builds(
                lambda t, i: json.dumps({"id": i, "text": t}).encode(),
                st.text(),
                st.integers() | st.text(max_size=5),
            ),
        ),
        max_size=12,
    )
)
def test_jsonl_reader_accounts_for_every_line(tmp_path, lines):
    path = tmp_path / "prop.jsonl"
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    path.write_bytes(b"\n".join(lines) + b"\n")
    items = decode(path)
    [stats] = [i for i in items if isinstance(i, FileStats)]
    produced = [i for i in items if not isinstance(i, FileStats)]
    # A byte-order mark at the start of the file is accepted, not content.
    content = lines[:1] and [lines[0].removeprefix(b"\xef\xbb\xbf")] + lines[1:]
    non_blank = [line for line in content if line.strip()]
    # Every non-blank line is exactly one record or one dead letter, in order.
    assert len(produced) == len(non_blank) == stats.records
    for item in produced:
        if isinstance(item, Record):
            item.text.encode("utf-8")  # always valid Unicode
        else:
            assert item.error_type and item.message and len(item.raw_excerpt) <= 200


@given(st.text())
def test_normalizer_is_idempotent_and_whitespace_insensitive(text):
    once = normalize_for_hash(text)
    assert normalize_for_hash(once) == once
    assert normalize_for_hash(" \t" + text + "\n ") == once
    assert "  " not in once and once == once.strip()
