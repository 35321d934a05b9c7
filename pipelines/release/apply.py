"""`corpusgate apply OUT --dest DIR`: writes the release corpus.

Records whose decision is `drop` are removed, `redact` records have their PII and
secret spans masked, everything else is kept byte for byte, in the input's format
(JSONL lines are copied as raw bytes; only a redacted line is re-serialised; a file
with no change is copied whole). Records the audit could not scan (dead letters) are
removed unless --keep-unscanned. Records decided `review` are held back unless a
reviewer passed them (`corpusgate review`) or --include-unreviewed is given (recorded
in the manifest). A manifest of every change is written to
`DIR/_corpusgate/manifest.json` and `DIR/_corpusgate/changes.parquet`; the inputs'
provenance sidecars are copied beside the files they describe.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import json
import logging
import shutil
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.detectors.base import Record
from corpusgate.detectors.decision import REDACTABLE_DETECTORS
from corpusgate.pipelines.errors import UsageError
from corpusgate.pipelines.inputs import (
    RecordDecoder,
    decode_text_file,
    file_digest,
    file_exists,
    jsonl_lines,
    open_file,
    read_options,
)
from corpusgate.pipelines.outputs import AuditOutput, open_audit

log = logging.getLogger(__name__)

MANIFEST_DIR = "_corpusgate"
# A `review` record nobody has passed: not released (its change row says so).
HELD = "held_for_review"
REDACT_STYLES = ("tag", "mask")


# --- redaction -----------------------------------------------------------------------


Span = tuple[int, int, str]  # start, end (exclusive, code points), finding type


def merge_spans(spans: list[Span], length: int) -> list[Span]:
    """Spans clamped to the text, sorted, overlapping ones merged (first type wins)."""
    merged: list[list[Any]] = []
    for start, end, kind in sorted(spans):
        start, end = max(0, start), min(length, end)
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end, kind])
    return [(s, e, k) for s, e, k in merged]


def redact(text: str, spans: list[Span], style: str = "tag") -> tuple[str, int]:
    """`text` with every span replaced: `[FINDING_TYPE]` (tag) or one `*` per code
    point (mask, keeps every offset). Returns the text and the code points masked."""
    out = []
    pos = 0
    masked = 0
    for start, end, kind in merge_spans(spans, len(text)):
        out.append(text[pos:start])
        out.append(f"[{kind}]" if style == "tag" else "*" * (end - start))
        masked += end - start
        pos = end
    out.append(text[pos:])
    return "".join(out), masked


def redaction_spans(audit: AuditOutput) -> dict[tuple[str, int], list[Span]]:
    """Maskable spans (PII and secrets findings with offsets) per record."""
    f = audit.findings.select(
        ["source", "record_index", "detector", "finding_type", "start", "end"]
    ).to_pydict()
    spans: dict[tuple[str, int], list[Span]] = defaultdict(list)
    for source, index, detector, kind, start, end in zip(*f.values(), strict=True):
        if detector in REDACTABLE_DETECTORS and start is not None and end is not None:
            spans[(source, index)].append((start, end, kind))
    return spans


# --- the manifest --------------------------------------------------------------------


@dataclass
class FileChange:
    source: str
    dest: str | None
    format: str
    action: str  # copied | rewritten | removed
    records_in: int = 0
    records_out: int = 0
    dropped: int = 0
    redacted: int = 0
    unscanned_dropped: int = 0
    held_for_review: int = 0
    spans_masked: int = 0
    sha256_in: str = ""
    sha256_out: str | None = None


CHANGES_SCHEMA = pa.schema(
    [
        pa.field("source", pa.string(), nullable=False),
        pa.field("dest", pa.string()),
        pa.field("record_index", pa.int64(), nullable=False),
        pa.field("doc_id", pa.string()),
        # drop | redact | drop_unscanned | held_for_review
        pa.field("action", pa.string(), nullable=False),
        pa.field("finding_types", pa.list_(pa.string())),
        pa.field("spans", pa.int64()),
        pa.field("chars_masked", pa.int64()),
    ]
)


@dataclass
class _Plan:
    """What happens to the records of one source file."""

    decisions: dict[int, tuple[str, str]]  # record_index -> (decision, doc_id)
    spans: dict[int, list[Span]]
    keep_unscanned: bool
    style: str
    changes: list[dict[str, Any]] = field(default_factory=list)

    def has_changes(self, n_records: int) -> bool:
        if any(d in ("drop", "redact", HELD) for d, _ in self.decisions.values()):
            return True
        return not self.keep_unscanned and len(self.decisions) < n_records

    def action(self, index: int) -> str:
        """keep | drop | redact | drop_unscanned | held_for_review"""
        if index not in self.decisions:
            return "keep" if self.keep_unscanned else "drop_unscanned"
        decision = self.decisions[index][0]
        if decision in ("drop", HELD):
            return decision
        if decision == "redact" and self.spans.get(index):
            return "redact"
        return "keep"

    def transform(self, index: int, text: Callable[[], str]) -> tuple[bool, str | None]:
        """Whether record `index` stays in the release, and its redacted text (None:
        unchanged; `text` is only called for a record to redact). Records the change."""
        action = self.action(index)
        if action in ("drop", "drop_unscanned", HELD):
            self.record(index, action)
            return False, None
        if action == "redact":
            new_text, masked = redact(text(), self.spans[index], self.style)
            self.record(index, "redact", len(self.spans[index]), masked)
            return True, new_text
        return True, None

    def record(
        self, index: int, action: str, n_spans: int = 0, masked: int = 0
    ) -> None:
        doc_id = self.decisions.get(index, (None, None))[1]
        kinds = sorted({k for _, _, k in self.spans.get(index, [])})
        self.changes.append(
            {
                "record_index": index,
                "doc_id": doc_id,
                "action": action,
                "finding_types": kinds,
                "spans": n_spans,
                "chars_masked": masked,
            }
        )


# --- per format ----------------------------------------------------------------------


def _compress_writer(path: Path):
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "wb")
    if name.endswith(".zst"):
        import zstandard

        return zstandard.ZstdCompressor().stream_writer(open(path, "wb"))  # noqa: SIM115
    return open(path, "wb")  # noqa: SIM115


class _Reader:
    """One input file of the audit, read again with the audit's own decoder."""

    def __init__(self, uri: str, decoder: RecordDecoder) -> None:
        self.uri = uri
        self.decoder = decoder
        self.field = decoder.options.text_field

    def text(self, fields: Any, index: int) -> str:
        """The record's text as the audit saw it ("" if it is not a record now)."""
        record = self.decoder.record(fields, self.uri, index)
        return record.text if isinstance(record, Record) else ""

    def parse_text(self, body: bytes, fields: dict, index: int) -> str:
        """The text of a JSONL line; `fields` receives the parsed record."""
        fields.update(json.loads(body.decode("utf-8")))
        return self.text(fields, index)


def _apply_jsonl(src: _Reader, dst: Path, plan: _Plan, fc: FileChange) -> None:
    field_name = src.field
    with open_file(src.uri) as raw, _compress_writer(dst) as out:
        for index, line in jsonl_lines(raw, src.uri):
            if index is None:
                out.write(line)  # a blank line is not a record: kept as it was
                continue
            fc.records_in += 1
            body = line.rstrip(b"\r\n")
            fields: dict = {}  # parsed only when the record is redacted
            stays, new_text = plan.transform(
                index, functools.partial(src.parse_text, body, fields, index)
            )
            if not stays:
                continue
            if new_text is not None:
                fields[field_name] = new_text
                ending = line[len(body) :]
                line = json.dumps(fields, ensure_ascii=False).encode("utf-8") + ending
            out.write(line)
            fc.records_out += 1


def _apply_rows(
    rows: list[Any], plan: _Plan, src: _Reader, fc: FileChange
) -> tuple[list[int], dict[int, Any]]:
    """Indexes of the rows to keep and the new text value of redacted ones."""
    field_name = src.field
    keep, new_text = [], {}
    for index, row in enumerate(rows):
        fc.records_in += 1
        stays, text = plan.transform(index, lambda r=row, i=index: src.text(r, i))
        if not stays:
            continue
        if text is not None:
            value = row.get(field_name) if isinstance(row, dict) else None
            new_text[index] = text.encode("utf-8") if isinstance(value, bytes) else text
        keep.append(index)
    fc.records_out = len(keep)
    return keep, new_text


def _apply_parquet(src: _Reader, dst: Path, plan: _Plan, fc: FileChange) -> None:
    field_name = src.field
    with open_file(src.uri) as raw:
        parquet = pq.ParquetFile(raw)
        table = parquet.read()
    compression = "snappy"
    if parquet.metadata.num_row_groups and parquet.metadata.num_columns:
        compression = parquet.metadata.row_group(0).column(0).compression.lower()
        compression = "none" if compression == "uncompressed" else compression
    column = (
        table.column(field_name).to_pylist() if field_name in table.column_names else []
    )
    rows = [{field_name: v} for v in column] if column else [{}] * table.num_rows
    keep, new_text = _apply_rows(rows, plan, src, fc)
    if new_text:
        i = table.column_names.index(field_name)
        values = [new_text.get(j, v) for j, v in enumerate(column)]
        table = table.set_column(
            i, table.schema.field(i), pa.array(values, type=table.schema.field(i).type)
        )
    table = table.take(pa.array(keep, type=pa.int64()))
    pq.write_table(table, dst, compression=compression)


def _apply_avro(src: _Reader, dst: Path, plan: _Plan, fc: FileChange) -> None:
    import fastavro

    field_name = src.field
    with open_file(src.uri) as f:
        reader = fastavro.reader(f)
        schema = reader.writer_schema
        codec = reader.codec
        metadata = {
            k: v for k, v in reader.metadata.items() if not k.startswith("avro.")
        }
        rows = list(reader)
    keep, new_text = _apply_rows(rows, plan, src, fc)
    out_rows = []
    for index in keep:
        row = rows[index]
        if index in new_text:
            row = {**row, field_name: new_text[index]}
        out_rows.append(row)
    with open(dst, "wb") as f:
        fastavro.writer(f, schema, out_rows, codec=codec, metadata=metadata)


def _apply_text(src: _Reader, dst: Path, plan: _Plan, fc: FileChange) -> None:
    with open_file(src.uri) as raw:
        data = raw.read()
    fc.records_in = 1
    # The text as the audit decoded it (a byte-order mark dropped), so that the
    # findings' offsets fall where they did.
    stays, text = plan.transform(0, lambda: decode_text_file(data))
    if not stays:
        return
    if text is not None:
        data = text.encode("utf-8")
    dst.write_bytes(data)
    fc.records_out = 1


_APPLIERS = {
    "jsonl": _apply_jsonl,
    "parquet": _apply_parquet,
    "avro": _apply_avro,
    "text": _apply_text,
}


# --- the command ---------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _parent(uri: str) -> str:
    return uri.rsplit("/", 1)[0]


def _common_directory(uris: Iterable[str]) -> str:
    """The deepest directory holding every file (URIs compared by path segment)."""
    split = [_parent(u).split("/") for u in uris]
    common = split[0]
    for parts in split[1:]:
        n = 0
        while n < min(len(common), len(parts)) and common[n] == parts[n]:
            n += 1
        common = common[:n]
    return "/".join(common)


def _relative(uri: str, root: str) -> str:
    return uri[len(root) :].lstrip("/")


def _copy_file(uri: str, target: Path) -> None:
    with open_file(uri) as src, open(target, "wb") as out:
        shutil.copyfileobj(src, out, 1 << 20)


def _copy_provenance(uris: Iterable[str], root: str, dest: Path) -> None:
    """Copies the provenance sidecars of the inputs (docs/configuration.md), so the
    release corpus stays traceable and a new audit of it sees the same provenance."""
    for uri in uris:
        for sidecar in (uri + ".provenance.json", _parent(uri) + "/provenance.json"):
            target = dest / _relative(sidecar, root)
            if not target.exists() and file_exists(sidecar):
                target.parent.mkdir(parents=True, exist_ok=True)
                _copy_file(sidecar, target)


def apply_release(
    audit: AuditOutput,
    dest: Path,
    style: str = "tag",
    keep_unscanned: bool = False,
    overwrite: bool = False,
    include_unreviewed: bool = False,
) -> dict[str, Any]:
    """Writes the release corpus into `dest`; returns the manifest."""
    if dest.exists() and any(dest.iterdir()) and not overwrite:
        raise UsageError(
            f"{dest}: destination exists and is not empty (use --overwrite)"
        )
    sources = audit.sources.select(
        ["source", "format", "file_sha256", "records"]
    ).to_pylist()
    docs = audit.documents.select(
        ["source", "record_index", "decision", "doc_id"]
    ).to_pydict()
    # review -> sample -> apply (spans): imported here, not at the top.
    from corpusgate.pipelines.release.review import passed_doc_ids

    passed = set() if include_unreviewed else passed_doc_ids(audit)
    decisions: dict[str, dict[int, tuple[str, str]]] = defaultdict(dict)
    for source, index, decision, doc_id in zip(*docs.values(), strict=True):
        if decision == "review" and not include_unreviewed and doc_id not in passed:
            decision = HELD
        decisions[source][index] = (decision, doc_id)
    spans_by_record = redaction_spans(audit)
    spans: dict[str, dict[int, list[Span]]] = defaultdict(dict)
    for (source, index), s in spans_by_record.items():
        spans[source][index] = s
    decoder = RecordDecoder(read_options(audit.config()))
    # A record to redact whose findings are gone would be released raw: refuse.
    unredactable = [
        (source, index)
        for source, by_index in decisions.items()
        for index, (decision, _) in by_index.items()
        if decision == "redact" and not spans[source].get(index)
    ]
    if unredactable:
        source, index = min(unredactable)
        raise UsageError(
            f"{audit.path('findings')}: {len(unredactable)} record(s) to redact have "
            f"no finding spans (first: record {index} of {source}); the findings do "
            "not match the documents table"
        )

    uris = [s["source"] for s in sources]
    for s in sources:
        uri = s["source"]
        if not file_exists(uri):
            raise UsageError(f"{uri}: input file of the audit is missing")
        if s["file_sha256"] and file_digest(uri)[0] != s["file_sha256"]:
            raise UsageError(f"{uri}: file changed since the audit (SHA-256 differs)")
    root = _common_directory(uris) if uris else ""
    dest.mkdir(parents=True, exist_ok=True)
    files, changes = [], []
    for s in sources:
        src = s["source"]
        dst = dest / _relative(src, root)
        dst.parent.mkdir(parents=True, exist_ok=True)
        plan = _Plan(decisions[s["source"]], spans[s["source"]], keep_unscanned, style)
        fc = FileChange(
            s["source"], str(dst), s["format"], "copied", sha256_in=s["file_sha256"]
        )
        if not plan.has_changes(s["records"]):
            _copy_file(src, dst)
            fc.records_in = fc.records_out = s["records"]
        else:
            try:
                _APPLIERS[s["format"]](_Reader(src, decoder), dst, plan, fc)
            except (OSError, ValueError, EOFError) as e:  # corrupt input past the audit
                raise UsageError(
                    f"{src}: cannot be rewritten ({type(e).__name__}: {e})"
                ) from None
            fc.action = "rewritten"
            if fc.records_out == 0 and s["format"] == "text":
                fc.action, fc.dest = "removed", None
        for c in plan.changes:
            fc.dropped += c["action"] == "drop"
            fc.unscanned_dropped += c["action"] == "drop_unscanned"
            fc.redacted += c["action"] == "redact"
            fc.held_for_review += c["action"] == HELD
            fc.spans_masked += c["spans"]
            changes.append({"source": s["source"], "dest": fc.dest, **c})
        fc.sha256_out = _sha256(dst) if fc.dest else None
        files.append(fc)
    _copy_provenance(uris, root, dest)
    totals = {
        k: sum(getattr(f, k) for f in files)
        for k in (
            "records_in",
            "records_out",
            "dropped",
            "redacted",
            "unscanned_dropped",
            "held_for_review",
            "spans_masked",
        )
    }
    manifest = {
        "run_id": audit.run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "audit_output": str(audit.root),
        "dest": str(dest),
        "redact_style": style,
        "keep_unscanned": keep_unscanned,
        "include_unreviewed": include_unreviewed,
        "totals": totals,
        "files": [asdict(f) for f in files],
    }
    meta = dest / MANIFEST_DIR
    meta.mkdir(exist_ok=True)
    (meta / "manifest.json").write_text(
        json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    pq.write_table(
        pa.Table.from_pylist(changes, schema=CHANGES_SCHEMA), meta / "changes.parquet"
    )
    return manifest


def apply(
    out: str,
    dest: str,
    style: str = "tag",
    keep_unscanned: bool = False,
    overwrite: bool = False,
    include_unreviewed: bool = False,
) -> dict[str, Any]:
    """Writes the release corpus of the audit in OUT into `dest`; returns the
    manifest (also written to DEST/_corpusgate/manifest.json)."""
    return apply_release(
        open_audit(out),
        Path(dest),
        style,
        keep_unscanned,
        overwrite,
        include_unreviewed,
    )
