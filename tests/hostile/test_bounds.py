"""Bounded reading, masking and output guards without a runner (fast)."""

from __future__ import annotations

import gzip
import json
import os
import tracemalloc

import pytest
import zstandard
from corpusgate.detectors.masking import mask_excerpt
from corpusgate.pipelines.audit.output_guard import (
    OutputPlacementError,
    check_out_placement,
    check_run_id,
)
from corpusgate.pipelines.inputs import (
    DeadLetter,
    OversizeLine,
    ReadOptions,
    Record,
    RecordDecoder,
    bounded_lines,
    expand_inputs,
)
from corpusgate.pipelines.release.csv_cells import escape_cell, unescape_cell

MIB = 1024 * 1024


def lines(chunks, limit):
    return [
        x if isinstance(x, bytes) else ("over", x.length)
        for x in bounded_lines(iter(chunks), limit)
    ]


@pytest.mark.parametrize(
    ("chunks", "limit", "expected"),
    [
        ([b"ab\ncd", b"ef\n"], 10, [b"ab\n", b"cdef\n"]),
        ([b"a" * 5, b"b" * 5, b"c\n", b"ok\n"], 10, [("over", 12), b"ok\n"]),
        ([b"a" * 5, b"b" * 4, b"\n"], 10, [b"aaaaabbbb\n"]),  # exactly the limit
        ([b"a" * 50], 10, [("over", 50)]),  # no newline at all
        ([b"\xef\xbb\xbf{}\n"], 10, [b"{}\n"]),  # byte-order mark
        ([b"x\xef\xbb\xbf\n"], 10, [b"x\xef\xbb\xbf\n"]),  # only at the start
        ([b"tail"], 10, [b"tail"]),
    ],
)
def test_bounded_lines(chunks, limit, expected):
    assert lines(chunks, limit) == expected


def test_oversize_head_is_kept_for_the_excerpt():
    [over] = list(bounded_lines(iter([b"abc" * 100, b"\n"]), 50, head_bytes=8))
    assert isinstance(over, OversizeLine) and over.head == b"abcabcab"


def _peak_reading(path, limit):
    [f] = expand_inputs([str(path)])
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()  # the test's own buffers are not the reader's
    before = tracemalloc.get_traced_memory()[0]
    items = list(RecordDecoder(ReadOptions(max_record_bytes=limit)).read(f))
    peak = tracemalloc.get_traced_memory()[1] - before
    if not was_tracing:
        tracemalloc.stop()
    return items, peak


@pytest.mark.parametrize("kind", ["plain", "gzip", "zstd"])
def test_a_long_line_costs_the_limit_not_the_line(tmp_path, kind):
    limit, size = 1 * MIB, 48 * MIB
    body = b'{"text": "' + b"a" * size  # never ends its line
    path = (
        tmp_path
        / {"plain": "l.jsonl", "gzip": "l.jsonl.gz", "zstd": "l.jsonl.zst"}[kind]
    )
    if kind == "gzip":
        path.write_bytes(gzip.compress(body, 9))
    elif kind == "zstd":
        path.write_bytes(zstandard.compress(body, 19))
    else:
        path.write_bytes(body)
    items, peak = _peak_reading(path, limit)
    dead = [i for i in items if isinstance(i, DeadLetter)]
    assert [d.error_type for d in dead] == ["RecordTooLarge"]
    assert str(size + 10) in dead[0].message
    # the limit, a read chunk and the readers' own 1 MiB buffers
    assert peak < limit + 6 * MIB, f"peak {peak / MIB:.1f} MiB"


def test_a_text_file_is_read_up_to_the_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"word " * (4 * MIB))
    items, peak = _peak_reading(path, 1 * MIB)
    assert [i.error_type for i in items if isinstance(i, DeadLetter)] == [
        "RecordTooLarge"
    ]
    stats = items[-1]
    assert stats.bytes == 20 * MIB and stats.file_sha256
    assert peak < 6 * MIB


def test_deep_metadata_is_a_dead_letter_and_shallow_is_kept(tmp_path):
    deep = shallow = {}
    for _ in range(65):
        deep = {"m": deep}
    for _ in range(10):
        shallow = {"m": shallow}
    path = tmp_path / "m.jsonl"
    path.write_text(
        json.dumps({"text": "a", "meta": deep})
        + "\n"
        + json.dumps({"text": "b", "meta": shallow})
        + "\n"
    )
    [f] = expand_inputs([str(path)])
    items = [i for i in RecordDecoder(ReadOptions()).read(f)]
    assert items[0].error_type == "MetadataTooDeep"
    assert isinstance(items[1], Record)


def test_excerpts_hide_names_and_values_before_the_cut():
    text = "欧阳娜娜 Bartholomew Quisling " + "x " * 80 + "li.lei.private@example.com"
    masked = mask_excerpt(text, 180)
    for raw in ("欧阳", "Bartholomew", "Quisling", "li.lei", "li."):
        assert raw not in masked
    assert (
        mask_excerpt('{"id": "a", "text": "hello"}') == '{"id": "a", "text": "hello"}'
    )


@pytest.mark.parametrize(
    "value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain", ""]
)
def test_csv_cells_escape_and_round_trip(value):
    escaped = escape_cell(value)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_cell(escaped) == value


@pytest.mark.parametrize("run_id", ["20261204T101010Z-ab12cd34", "run.1", "A_b-c"])
def test_run_ids_in_the_charset(run_id):
    check_run_id(run_id)


def test_out_placement_follows_symlinks(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.jsonl").write_text("{}\n")
    link = tmp_path / "link"
    os.symlink(data, link)
    with pytest.raises(OutputPlacementError, match="input directory"):
        check_out_placement(str(link / "out"), [str(data)], [])
    with pytest.raises(OutputPlacementError, match="holds the input file"):
        check_out_placement(str(link), [], [str(data / "a.jsonl")])
    check_out_placement(
        str(tmp_path / "elsewhere"), [str(data)], [str(data / "a.jsonl")]
    )


def test_run_json_files_are_checked_without_leaving_the_output(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from corpusgate.pipelines.outputs import UsageError, file_entry, verify_files

    root = tmp_path / "out"
    (root / "findings").mkdir(parents=True)
    pq.write_table(pa.table({"x": [1]}), root / "findings" / "part-0.parquet")
    good = [file_entry(root, root / "findings" / "part-0.parquet")]
    verify_files(root, {"files": good})
    for files, message in (
        ([], "lists no table files"),
        ([{"path": "../secret", "bytes": 1, "sha256": "x"}], "bad entry"),
        ([{"path": "/etc/passwd", "bytes": 1, "sha256": "x"}], "bad entry"),
        ([{**good[0], "bytes": good[0]["bytes"] + 1}], "changed since the audit"),
        ([{**good[0], "sha256": "0" * 64}], "changed since the audit"),
        ([{**good[0], "path": "findings/part-1.parquet"}], "missing"),
    ):
        with pytest.raises(UsageError, match=message):
            verify_files(root, {"files": files})
    pq.write_table(pa.table({"x": [2]}), root / "findings" / "part-extra.parquet")
    with pytest.raises(UsageError, match="not written by run"):
        verify_files(root, {"files": good, "run_id": "r"})
