"""`apply`: drop removed, redact spans masked, the rest byte for byte, per format."""

import gzip
import hashlib
import json
import os

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard
from corpusgate.pipelines import cli
from corpusgate.pipelines.outputs import open_audit, write_parquet  # noqa: E402
from corpusgate.pipelines.release import apply  # noqa: E402
from corpusgate.pipelines.release.review import (  # noqa: E402
    VERDICTS_SCHEMA,
    verdicts_path,
)

from tests.support.audit_factory import doc, finding, source_row, write_audit  # noqa: E402

EMAIL = "zhang.wei@example.com"
TEXTS = [
    "plain record",
    f"联系 {EMAIL} 谢谢",  # redact: the e-mail is at code points 3..24
    "weapon procedure",  # drop
    "needs review",  # review: kept as is
    "another plain 🙂 record",
    "not scanned",  # no documents row: a dead letter in the audit
]
DECISIONS = ["keep", "redact", "drop", "review", "keep"]
SPAN = (3, 3 + len(EMAIL))


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def jsonl_bytes():
    lines = [
        json.dumps({"id": i, "text": t, "meta": {"k": i}}, ensure_ascii=False)
        for i, t in enumerate(TEXTS)
    ]
    lines[0] = '{"id":0,  "text":"plain record","meta":{"k":0}}'  # odd spacing kept
    lines.insert(3, "   ")  # a blank line is not a record
    return ("\n".join(lines) + "\n").encode("utf-8")


def audit_for(tmp_path, path, fmt, n_docs=5):
    docs = [doc(str(path), i, decision=d) for i, d in enumerate(DECISIONS[:n_docs])]
    findings = [
        finding(str(path), 1, "pii", "EMAIL_ADDRESS", "medium", *SPAN),
        finding(str(path), 2, "cbrn", "CBRN_CHEMICAL", "critical"),
        finding(str(path), 3, "cbrn", "CBRN_CHEMICAL", "high"),
    ]
    sources = [source_row(str(path), len(TEXTS), fmt=fmt, file_sha256=sha(path))]
    return write_audit(tmp_path / "out", docs, findings, sources)


def run_apply(root, dest, **kw):
    # The format tests release the `review` record; holding it back has its own tests.
    kw.setdefault("include_unreviewed", True)
    return apply.apply_release(open_audit(root), dest, **kw)


def passed_verdicts(root, doc_ids):
    rows = [{"run_id": "run-test", "doc_id": d, "verdict": "pass"} for d in doc_ids]
    write_parquet(
        verdicts_path(open_audit(root)),
        pa.Table.from_pylist(rows, schema=VERDICTS_SCHEMA),
    )


@pytest.mark.parametrize(
    "verdict, include_unreviewed, released",
    [(None, False, False), ("pass", False, True), (None, True, True)],
)
def test_review_records_are_held_back_unless_passed(
    tmp_path, verdict, include_unreviewed, released
):
    src = tmp_path / "corpus.jsonl"
    src.write_bytes(jsonl_bytes())
    root = audit_for(tmp_path, src, "jsonl")
    review_doc = open_audit(root).documents.to_pylist()[3]
    assert review_doc["decision"] == "review"
    if verdict:
        passed_verdicts(root, [review_doc["doc_id"]])
    manifest = apply.apply_release(
        open_audit(root), tmp_path / "rel", include_unreviewed=include_unreviewed
    )
    out = (tmp_path / "rel" / "corpus.jsonl").read_text(encoding="utf-8")
    assert ("needs review" in out) == released
    assert manifest["totals"]["held_for_review"] == (0 if released else 1)
    assert manifest["include_unreviewed"] == include_unreviewed
    changes = pq.read_table(tmp_path / "rel" / "_corpusgate" / "changes.parquet")
    held = [
        i
        for i, a in zip(
            changes["record_index"].to_pylist(),
            changes["action"].to_pylist(),
            strict=True,
        )
        if a == "held_for_review"
    ]
    assert held == ([] if released else [3])


def test_jsonl_lines_kept_byte_for_byte(tmp_path):
    src = tmp_path / "in" / "corpus.jsonl"
    src.parent.mkdir()
    src.write_bytes(jsonl_bytes())
    sidecar = src.parent / "corpus.jsonl.provenance.json"
    sidecar.write_text('{"acquisition": "open_source", "license": "MIT"}')
    root = audit_for(tmp_path, src, "jsonl")
    manifest = run_apply(root, tmp_path / "rel")
    copied = tmp_path / "rel" / "corpus.jsonl.provenance.json"
    assert copied.read_bytes() == sidecar.read_bytes()
    out = (tmp_path / "rel" / "corpus.jsonl").read_bytes().split(b"\n")
    original = jsonl_bytes().split(b"\n")
    assert out[0] == original[0]  # unusual spacing survives
    redacted = json.loads(out[1])
    assert redacted == {"id": 1, "text": "联系 [EMAIL_ADDRESS] 谢谢", "meta": {"k": 1}}
    assert list(redacted) == ["id", "text", "meta"]
    assert out[2:] == [original[3], original[4], original[5], b""]  # blank, review, 🙂
    assert EMAIL.encode() not in (tmp_path / "rel" / "corpus.jsonl").read_bytes()
    t = manifest["totals"]
    assert (t["records_in"], t["records_out"]) == (6, 4)
    assert (t["dropped"], t["redacted"], t["unscanned_dropped"]) == (1, 1, 1)
    changes = pq.read_table(tmp_path / "rel" / "_corpusgate" / "changes.parquet")
    pairs = zip(
        changes["record_index"].to_pylist(), changes["action"].to_pylist(), strict=True
    )
    assert sorted(pairs) == [(1, "redact"), (2, "drop"), (5, "drop_unscanned")]
    saved = json.loads((tmp_path / "rel" / "_corpusgate" / "manifest.json").read_text())
    assert saved["files"][0]["action"] == "rewritten"


def test_keep_unscanned_and_mask_style(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_bytes(jsonl_bytes())
    root = audit_for(tmp_path, src, "jsonl")
    run_apply(root, tmp_path / "rel", style="mask", keep_unscanned=True)
    out = (tmp_path / "rel" / "corpus.jsonl").read_bytes().split(b"\n")
    assert json.loads(out[1])["text"] == "联系 " + "*" * len(EMAIL) + " 谢谢"
    assert out[-2] == jsonl_bytes().split(b"\n")[-2]  # the unscanned record kept


@pytest.mark.parametrize("suffix", [".jsonl.gz", ".jsonl.zst"])
def test_compressed_jsonl_stays_compressed(tmp_path, suffix):
    data = jsonl_bytes()
    src = tmp_path / f"corpus{suffix}"
    if suffix.endswith(".gz"):
        src.write_bytes(gzip.compress(data))
    else:
        src.write_bytes(zstandard.ZstdCompressor().compress(data))
    root = audit_for(tmp_path, src, "jsonl")
    run_apply(root, tmp_path / "rel")
    raw = (tmp_path / "rel" / src.name).read_bytes()
    if suffix.endswith(".gz"):
        text = gzip.decompress(raw)
    else:
        text = zstandard.ZstdDecompressor().stream_reader(raw).read()
    lines = text.split(b"\n")
    assert len(lines) == 6 and b"[EMAIL_ADDRESS]" in lines[1]


def test_unchanged_file_is_copied_whole(tmp_path):
    src = tmp_path / "corpus.jsonl"
    src.write_bytes(b'{"text": "a"}\n\n{"text": "b"}')
    docs = [doc(str(src), 0), doc(str(src), 1, decision="review")]
    sources = [source_row(str(src), 2, file_sha256=sha(src))]
    root = write_audit(tmp_path / "out", docs, [], sources)
    manifest = run_apply(root, tmp_path / "rel")
    assert (tmp_path / "rel" / "corpus.jsonl").read_bytes() == src.read_bytes()
    assert manifest["files"][0]["action"] == "copied"


def test_parquet(tmp_path):
    src = tmp_path / "corpus.parquet"
    table = pa.table(
        {"id": list(range(6)), "text": TEXTS, "score": [0.5] * 6},
        schema=pa.schema(
            [("id", pa.int32()), ("text", pa.string()), ("score", pa.float32())]
        ),
    )
    pq.write_table(table, src, row_group_size=2)
    root = audit_for(tmp_path, src, "parquet")
    run_apply(root, tmp_path / "rel")
    out = pq.read_table(tmp_path / "rel" / "corpus.parquet")
    assert out.schema == table.schema
    assert out["id"].to_pylist() == [0, 1, 3, 4]
    assert out["text"].to_pylist() == [
        TEXTS[0],
        "联系 [EMAIL_ADDRESS] 谢谢",
        TEXTS[3],
        TEXTS[4],
    ]


def test_avro(tmp_path):
    src = tmp_path / "corpus.avro"
    schema = {
        "type": "record",
        "name": "Doc",
        "fields": [{"name": "id", "type": "long"}, {"name": "text", "type": "string"}],
    }
    with open(src, "wb") as f:
        fastavro.writer(
            f,
            schema,
            [{"id": i, "text": t} for i, t in enumerate(TEXTS)],
            codec="deflate",
        )
    root = audit_for(tmp_path, src, "avro")
    run_apply(root, tmp_path / "rel")
    with open(tmp_path / "rel" / "corpus.avro", "rb") as f:
        reader = fastavro.reader(f)
        assert reader.codec == "deflate"
        rows = list(reader)
    assert [r["id"] for r in rows] == [0, 1, 3, 4]
    assert rows[1]["text"] == "联系 [EMAIL_ADDRESS] 谢谢"


def test_text_files_dropped_redacted_and_copied(tmp_path):
    d = tmp_path / "in"
    (d / "sub").mkdir(parents=True)
    files = {
        "a.txt": ("keep", TEXTS[0]),
        "sub/b.txt": ("redact", TEXTS[1]),
        "c.txt": ("drop", TEXTS[2]),
    }
    docs, findings, sources = [], [], []
    for name, (decision, text) in files.items():
        p = d / name
        p.write_text(text, encoding="utf-8")
        docs.append(doc(str(p), 0, decision=decision))
        sources.append(source_row(str(p), 1, fmt="text", file_sha256=sha(p)))
    findings.append(
        finding(str(d / "sub/b.txt"), 0, "pii", "EMAIL_ADDRESS", "medium", *SPAN)
    )
    root = write_audit(tmp_path / "out", docs, findings, sources)
    manifest = run_apply(root, tmp_path / "rel")
    rel = tmp_path / "rel"
    assert (rel / "a.txt").read_text() == TEXTS[0]
    assert (rel / "sub" / "b.txt").read_text() == "联系 [EMAIL_ADDRESS] 谢谢"
    assert not (rel / "c.txt").exists()
    actions = {os.path.basename(f["source"]): f["action"] for f in manifest["files"]}
    assert actions == {"a.txt": "copied", "b.txt": "rewritten", "c.txt": "removed"}


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + TEXTS[1].encode("utf-8"),  # a byte-order mark
        TEXTS[1].encode("utf-16"),
    ],
)
def test_text_file_spans_fall_where_the_audit_read_them(tmp_path, data):
    """Offsets are the decoder's: a UTF-8 byte-order mark is not a character."""
    p = tmp_path / "in" / "b.txt"
    p.parent.mkdir()
    p.write_bytes(data)
    docs = [doc(str(p), 0, decision="redact")]
    findings = [finding(str(p), 0, "pii", "EMAIL_ADDRESS", "medium", *SPAN)]
    sources = [source_row(str(p), 1, fmt="text", file_sha256=sha(p))]
    root = write_audit(tmp_path / "out", docs, findings, sources)
    run_apply(root, tmp_path / "rel")
    released = (tmp_path / "rel" / "b.txt").read_text(encoding="utf-8")
    assert released == "联系 [EMAIL_ADDRESS] 谢谢"


@pytest.mark.parametrize(
    "spans, style, expected",
    [
        ([(0, 3, "A")], "tag", "[A]defgh"),
        ([(1, 3, "A"), (2, 5, "B")], "tag", "a[A]fgh"),  # overlap merged
        ([(6, 99, "A"), (0, 1, "B")], "mask", "*bcdef**"),  # sorted and clamped
        ([(4, 4, "A")], "tag", "abcdefgh"),  # empty span ignored
    ],
)
def test_redact(spans, style, expected):
    assert apply.redact("abcdefgh", spans, style)[0] == expected


def test_redact_counts_code_points_not_bytes():
    text, masked = apply.redact("😀张三😀", [(1, 3, "PERSON")], "mask")
    assert text == "😀**😀" and masked == 2


def test_changed_input_and_nonempty_dest_are_exit_two(tmp_path, capsys):
    src = tmp_path / "corpus.jsonl"
    src.write_bytes(jsonl_bytes())
    root = audit_for(tmp_path, src, "jsonl")
    dest = tmp_path / "rel"
    dest.mkdir()
    (dest / "x").write_text("x")
    args = ["apply", str(root), "--dest", str(dest)]
    assert cli.main(args) == 2
    assert "not empty" in capsys.readouterr().err
    src.write_bytes(jsonl_bytes() + b'{"text": "appended"}\n')
    assert cli.main([*args, "--overwrite"]) == 2
    err = capsys.readouterr().err
    assert "changed since the audit" in err and str(src) in err
