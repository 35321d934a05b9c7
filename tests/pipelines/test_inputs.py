"""Readers: every record becomes a Record or a dead letter with its reason."""

import gzip
import io
import json
import random

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from corpusgate.detectors.base import Record
from corpusgate.pipelines.inputs import (
    DeadLetter,
    FileStats,
    InputError,
    InputFile,
    ReadOptions,
    RecordDecoder,
    expand_inputs,
    jsonl_lines,
    read_options,
)


def read_all(path, options=None):
    options = options or ReadOptions()
    [input_file] = expand_inputs([str(path)])
    items = list(RecordDecoder(options).read(input_file))
    records = [i for i in items if isinstance(i, Record)]
    dead = [i for i in items if isinstance(i, DeadLetter)]
    [stats] = [i for i in items if isinstance(i, FileStats)]
    assert stats.records == len(records) + len(dead)  # counts reconcile per file
    assert stats.dead_letters == len(dead)
    return records, dead, stats


MIXED_LINES = [
    b'{"id": "ok-1", "text": "first good record", "label": "pos", "site": "a"}',
    b'{"id": "broken", "text": "unterminated',
    b'{"id": "no-text", "body": "x"}',
    b'{"id": "num", "text": 42}',
    b'{"id": "bad-bytes", "text": "caf\xe9"}',
    b"",
    b'{"text": "no id, label list", "label": ["a", "b"]}',
    b'["not", "an", "object"]',
    b'{"id": 7, "text": "int id \\ud800 lone surrogate"}',
    b'{"id": 8, "text": "NUL \\u0000 inside is fine"}',
]


def test_jsonl_mixed_good_and_bad_lines(tmp_path):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(b"\n".join(MIXED_LINES) + b"\n")
    records, dead, stats = read_all(path)
    assert [r.doc_id for r in records] == ["ok-1", f"{path}:5", "8"]
    first = records[0]
    assert (first.label, first.meta, first.record_index) == ("pos", {"site": "a"}, 0)
    assert records[1].label == '["a", "b"]'
    assert [(d.record_index, d.error_type) for d in dead] == [
        (1, "JSONDecodeError"),
        (2, "MissingTextField"),
        (3, "TextNotString"),
        (4, "InvalidUTF8"),
        (6, "NotAnObject"),
        (7, "InvalidUnicode"),
    ]
    assert all(d.stage == "read" and len(d.raw_excerpt) <= 200 for d in dead)
    assert stats.records == 9 and stats.bytes == path.stat().st_size


def test_dead_letter_excerpts_are_masked(tmp_path):
    path = tmp_path / "leak.jsonl"
    path.write_text(
        '{"id": "x", "text": "call 13812345678 token ghp_abcdefghijklmnop0123 \n'
    )
    _, [dead], _ = read_all(path)
    assert "13812345678" not in dead.raw_excerpt
    assert "ghp_abcdefghijklmnop0123" not in dead.raw_excerpt


def test_field_options_and_source_field(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text(
        json.dumps({"key": "k1", "body": "hello", "y": 1, "site": "s1"}) + "\n"
    )
    options = ReadOptions(
        text_field="body", id_field="key", label_field="y", source_field="site"
    )
    [record], [], _ = read_all(path, options)
    assert (record.doc_id, record.text, record.label, record.source_name) == (
        "k1",
        "hello",
        "1",
        "s1",
    )


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_and_truncated_stream(tmp_path, suffix):
    rng = random.Random(5)
    lines = "".join(
        json.dumps({"id": i, "text": " ".join(str(rng.random()) for _ in range(20))})
        + "\n"
        for i in range(1000)  # several zstd blocks, so a cut keeps the first ones
    )
    data = lines.encode()
    packed = gzip.compress(data) if suffix.endswith("gz") else zstandard.compress(data)
    good = tmp_path / ("good" + suffix)
    good.write_bytes(packed)
    records, dead, stats = read_all(good)
    assert len(records) == 1000 and not dead
    truncated = tmp_path / ("cut" + suffix)
    truncated.write_bytes(packed[: len(packed) // 2])
    records, dead, stats = read_all(truncated)
    assert 0 < len(records) < 1000
    assert [d.error_type for d in dead] == ["CorruptCompressedStream"]
    assert stats.bytes == len(packed) // 2


def test_parquet_reader_and_corrupt_row_group(tmp_path):
    path = tmp_path / "t.parquet"
    table = pa.table(
        {"id": [f"p{i}" for i in range(30)], "text": [f"t{i}" for i in range(30)]}
    )
    pq.write_table(table, path, row_group_size=10, compression="NONE")
    records, dead, _ = read_all(path)
    assert [r.doc_id for r in records][:2] == ["p0", "p1"] and len(records) == 30
    # Overwrite the middle row group's data pages: its 10 rows become dead letters.
    meta = pq.ParquetFile(path).metadata.row_group(1).column(1)
    raw = bytearray(path.read_bytes())
    start = meta.dictionary_page_offset or meta.data_page_offset
    raw[start : start + meta.total_compressed_size] = (
        b"\xff" * meta.total_compressed_size
    )
    path.write_bytes(bytes(raw))
    records, dead, stats = read_all(path)
    assert stats.records == 30
    assert {d.error_type for d in dead} == {"CorruptRowGroup"} and len(dead) == 10
    assert [d.record_index for d in dead] == list(range(10, 20))


def test_avro_reader(tmp_path):
    schema = {
        "type": "record",
        "name": "Doc",
        "fields": [
            {"name": "id", "type": "string"},
            {"name": "text", "type": "string"},
        ],
    }
    path = tmp_path / "d.avro"
    with open(path, "wb") as f:
        fastavro.writer(
            f, schema, [{"id": "a0", "text": "hello"}, {"id": "a1", "text": "x"}]
        )
    records, dead, _ = read_all(path)
    assert [r.doc_id for r in records] == ["a0", "a1"] and not dead


def test_text_files_one_document_each(tmp_path):
    (tmp_path / "good.txt").write_text("整篇文档。\nSecond line.", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe broken")
    records, dead, _ = read_all(tmp_path / "good.txt")
    assert records[0].text == "整篇文档。\nSecond line."
    _, dead, _ = read_all(tmp_path / "bad.txt")
    assert dead[0].error_type == "InvalidUTF8"


def test_size_cap_dead_letters_whole_record(tmp_path):
    path = tmp_path / "big.jsonl"
    path.write_text(
        json.dumps({"id": "big", "text": "x" * 5000})
        + "\n"
        + json.dumps({"id": "small", "text": "y"})
        + "\n"
    )
    records, dead, _ = read_all(path, ReadOptions(max_record_bytes=1000))
    assert [r.doc_id for r in records] == ["small"]
    assert (dead[0].stage, dead[0].error_type) == ("size_limit", "RecordTooLarge")


def test_expand_inputs_directories_globs_and_sidecars(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.jsonl").write_text("")
    (tmp_path / "sub" / "b.parquet").write_bytes(b"")
    (tmp_path / "notes.md").write_text("ignored in directories")
    (tmp_path / "provenance.json").write_text(json.dumps({"source_id": "dir-level"}))
    (tmp_path / "a.jsonl.provenance.json").write_text(
        json.dumps({"source_id": "a", "acquisition": "open_source", "license": "MIT"})
    )
    files = expand_inputs([str(tmp_path)])
    assert [(f.uri.rsplit("/", 1)[-1], f.format) for f in files] == [
        ("a.jsonl", "jsonl"),
        ("b.parquet", "parquet"),
    ]
    assert files[0].provenance["license"] == "MIT"
    assert (
        files[1].provenance == {}
    )  # provenance.json applies to its own directory only
    assert [f.format for f in expand_inputs([str(tmp_path / "*.jsonl")])] == ["jsonl"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: [str(p / "missing.jsonl")], "no such file or directory"),
        (lambda p: [str(p / "*.nothing")], "no input files to read"),
        (lambda p: [str(p / "empty-dir")], "no input files to read"),
        (lambda p: [str(p / "x.csv")], "unknown file type"),
        (lambda p: [str(p / "bad.jsonl")], "not valid JSON"),
    ],
)
def test_expand_inputs_errors_name_the_file(tmp_path, make, message):
    (tmp_path / "empty-dir").mkdir()
    (tmp_path / "x.csv").write_text("a,b")
    (tmp_path / "bad.jsonl").write_text("")
    (tmp_path / "bad.jsonl.provenance.json").write_text("{oops")
    with pytest.raises(InputError, match=message):
        expand_inputs(make(tmp_path))


def test_file_that_disappears_becomes_a_dead_letter(tmp_path, monkeypatch):
    path = tmp_path / "gone.jsonl"
    path.write_text('{"text": "a"}\n')
    [input_file] = expand_inputs([str(path)])
    path.unlink()
    items = list(RecordDecoder(ReadOptions()).read(input_file))
    [dead] = [i for i in items if isinstance(i, DeadLetter)]
    assert dead.error_type == "FileNotFoundError"
    assert io  # keep import for readers of this file


# --- the same decoder for the release commands (sample, apply) -----------------------


def _decoded(path, fmt, options=None):
    """record_index -> text, or None for a dead letter, as the audit reads the file."""
    out = {}
    for item in RecordDecoder(options or ReadOptions()).read(
        InputFile(str(path), fmt, 0)
    ):
        if isinstance(item, DeadLetter):
            out[item.record_index] = None
        elif isinstance(item, Record):
            out[item.record_index] = item.text
    return out


JSONL = (
    b'{"text": "one"}\n\n{"text": \n{"text": "two"}\n   \r\n'
    b'{"no_text": 1}\n{"text": 5}\n{"text": "three"}'
)


@pytest.mark.parametrize("suffix", ["", ".gz", ".zst"])
def test_jsonl_lines_number_records_as_the_decoder_and_keep_blank_lines(
    tmp_path, suffix
):
    path = tmp_path / f"a.jsonl{suffix}"
    data = {
        "": JSONL,
        ".gz": gzip.compress(JSONL),
        ".zst": zstandard.ZstdCompressor().compress(JSONL),
    }[suffix]
    path.write_bytes(data)
    with open(path, "rb") as f:
        lines = list(jsonl_lines(f, str(path)))
    assert b"".join(line for _, line in lines) == JSONL  # apply can write it back
    numbered = [i for i, _ in lines if i is not None]
    assert numbered == sorted(_decoded(path, "jsonl"))
    assert [i for i, line in lines if not line.strip()] == [None, None]


def test_texts_of_wanted_records_match_the_decoder(tmp_path):
    texts = [f"t{i}" for i in range(7)]
    pq.write_table(pa.table({"text": texts}), tmp_path / "a.parquet", row_group_size=3)
    schema = {
        "type": "record",
        "name": "R",
        "fields": [{"name": "text", "type": "string"}],
    }
    with open(tmp_path / "a.avro", "wb") as f:
        fastavro.writer(f, schema, [{"text": t} for t in texts])
    (tmp_path / "a.jsonl").write_bytes(JSONL)
    decoder = RecordDecoder(ReadOptions())
    for name, fmt, wanted in (
        ("a.parquet", "parquet", {0, 4, 6}),
        ("a.avro", "avro", {1, 5}),
        ("a.jsonl", "jsonl", {0, 1, 2, 3, 4}),  # 1, 2 and 3 are dead letters
    ):
        path = tmp_path / name
        expected = {
            i: t
            for i, t in _decoded(path, fmt).items()
            if i in wanted and t is not None
        }
        assert decoder.texts(InputFile(str(path), fmt, 0), wanted) == expected
    assert decoder.texts(InputFile(str(tmp_path / "a.avro"), "avro", 0), []) == {}


def test_read_options_come_from_the_audit_configuration():
    config = {"read": {"text_field": "body", "id_field": "key", "source_field": None}}
    options = read_options(config)
    assert (options.text_field, options.id_field) == ("body", "key")
    assert options.label_field == ReadOptions.label_field
    assert read_options({}) == ReadOptions()
    assert read_options({"read": {"unknown": 1}}) == ReadOptions()


# -- files of other origins: encodings, JSON that is not JSON Lines -------------------
@pytest.mark.parametrize(
    "data, text",
    [
        (b"\xef\xbb\xbfLine one\r\nLine two", "Line one\r\nLine two"),
        ("张伟\r\nSecond".encode("utf-16"), "张伟\r\nSecond"),
        ("繁體".encode("utf-16-be").join([b"\xfe\xff", b""]), "繁體"),
        (b"plain", "plain"),
    ],
)
def test_text_files_in_utf8_with_a_mark_or_utf16_are_read(tmp_path, data, text):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    [record], dead, stats = read_all(path)
    assert record.text == text and not dead and stats.bytes == len(data)


@pytest.mark.parametrize(
    "data, reason",
    [
        ("张伟的电话，中文文本。".encode("gbk"), "decodes as GBK"),
        ("張偉的電話，繁體中文。".encode("big5"), "BIG5"),
        (b"\x7fELF\x02\x01\x01\x00\x00\x00\xff\xfe\x80", "NUL bytes"),
        (gzip.compress(b"hello"), "gzip-compressed"),
        ("utf-32 text".encode("utf-32"), "UTF-32"),
        (b"\xff\xfe broken", "not valid UTF-16"),
    ],
)
def test_text_files_in_other_encodings_say_what_they_seem(tmp_path, data, reason):
    path = tmp_path / "doc.txt"
    path.write_bytes(data)
    records, [dead], _ = read_all(path)
    assert not records and dead.error_type == "InvalidUTF8" and reason in dead.message


def test_utf16_json_lines_dead_letters_name_the_encoding(tmp_path):
    path = tmp_path / "utf16.jsonl"
    data = '{"id": "a", "text": "x"}\n{"id": "b", "text": "y"}\n'.encode("utf-16")
    path.write_bytes(data)
    records, dead, stats = read_all(path)
    assert not records and dead and stats.bytes == len(data)
    assert all("UTF-16" in d.message for d in dead if d.error_type == "InvalidUTF8")


@pytest.mark.parametrize(
    "content, reason",
    [
        ('[{"id": "a", "text": "x"}, {"id": "b", "text": "y"}]', "a JSON array"),
        ('{\n  "id": "a",\n  "text": "x"\n}\n', "looks like indented JSON"),
    ],
)
def test_json_that_is_not_json_lines_says_so(tmp_path, content, reason):
    path = tmp_path / "data.json"
    path.write_text(content, encoding="utf-8")
    records, dead, _ = read_all(path)
    assert not records and dead and all(reason in d.message for d in dead)


def test_a_missing_text_field_names_the_string_fields(tmp_path):
    path = tmp_path / "other.jsonl"
    path.write_text('{"id": "a", "content": "x", "n": 3}\n', encoding="utf-8")
    _, [dead], _ = read_all(path)
    assert dead.error_type == "MissingTextField"
    assert "string fields: id, content; --text-field chooses" in dead.message
