"""A finished audit output directory (docs/tables.md): the one reader of its tables.

Used by the console summary after a run and by every release command (gate, report,
sample, review, apply), which also add their own files under the audit (gate.json,
report.html, sample/, review/). Everything goes through Beam's FileSystems, so an
audit written to gs://, s3:// or hdfs:// opens like a local one (with that scheme's
Beam extra installed). A directory without `run.json` is an audit that did not
finish and is refused.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from os import PathLike
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from apache_beam.io.filesystem import CompressionTypes
from apache_beam.io.filesystems import FileSystems
from corpusgate.pipelines.errors import UsageError
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import DEAD_LETTERS, DOCUMENTS, FINDINGS, SOURCES, Table

RUN_MANIFEST = "run.json"
TABLES_BY_NAME = {t.name: t for t in (FINDINGS, DOCUMENTS, SOURCES, DEAD_LETTERS)}
_RAW = CompressionTypes.UNCOMPRESSED  # never guess a compression from the name


def join(root: str, *parts: str) -> str:
    return FileSystems.join(root, *parts) if parts else root


def exists(path: str) -> bool:
    return FileSystems.exists(path)


def read_bytes(path: str) -> bytes:
    with FileSystems.open(path, compression_type=_RAW) as f:
        return f.read()


def write_bytes(path: str, data: bytes) -> None:
    """Writes (replaces) one file; local parent directories are created."""
    with FileSystems.create(path, compression_type=_RAW) as f:
        f.write(data)


def read_parquet(path: str, columns: list[str] | None = None) -> pa.Table:
    with FileSystems.open(path, compression_type=_RAW) as f:
        return pq.read_table(f, columns=columns)


def write_parquet(path: str, table: pa.Table) -> None:
    sink = io.BytesIO()
    pq.write_table(table, sink)
    write_bytes(path, sink.getvalue())


def delete(path: str) -> None:
    if FileSystems.exists(path):
        FileSystems.delete([path])


def list_files(pattern: str) -> list[str]:
    try:
        result = FileSystems.match([pattern])[0]
    except Exception:  # BeamIOError when nothing matches on some filesystems
        return []
    return sorted(m.path for m in result.metadata_list)


@dataclass
class AuditOutput:
    root: str  # a local path or a URI (gs://, s3://, ...)
    run: dict[str, Any]
    tables: dict[str, pa.Table] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return str(self.run.get("run_id", ""))

    def path(self, *parts: str) -> str:
        """A file under the audit output: `audit.path("review", "verdicts.parquet")`."""
        return join(self.root, *parts)

    def table(self, name: str) -> pa.Table:
        if name not in self.tables:
            self.tables[name] = read_table(self.root, TABLES_BY_NAME[name])
        return self.tables[name]

    @property
    def findings(self) -> pa.Table:
        return self.table("findings")

    @property
    def documents(self) -> pa.Table:
        return self.table("documents")

    @property
    def sources(self) -> pa.Table:
        return self.table("sources")

    @property
    def dead_letters(self) -> pa.Table:
        return self.table("dead_letters")

    def config(self) -> dict[str, Any]:
        """The resolved configuration of the run (run.json `config`, JSON)."""
        raw = self.run.get("config")
        if isinstance(raw, dict):
            return raw
        if isinstance(raw, str) and raw:
            try:
                value = json.loads(raw)
            except ValueError:
                return {}
            return value if isinstance(value, dict) else {}
        return {}


def open_audit(out: str) -> AuditOutput:
    """Opens OUT; raises UsageError when it is missing or unfinished."""
    root = str(out)
    if "://" not in root:
        root = root.rstrip("/") or "/"
    run_path = join(root, RUN_MANIFEST)
    if not exists(run_path):
        if not exists(root) and not list_files(join(root, "*")):
            raise UsageError(f"{root}: no such audit output directory")
        raise UsageError(
            f"{run_path}: missing; the audit did not finish (or {root} is not an "
            "audit output)"
        )
    try:
        run = json.loads(read_bytes(run_path).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise UsageError(f"{run_path}: not valid JSON ({e})") from None
    if not isinstance(run, dict):
        raise UsageError(f"{run_path}: expected a JSON object")
    verify_files(root, run)
    return AuditOutput(root, run)


def _relative(path: str, root: str) -> str:
    prefix = root.rstrip("/") + "/"
    relative = path[len(prefix) :] if path.startswith(prefix) else path
    return relative.replace("\\", "/")


def file_entry(root: str | PathLike, path: str | PathLike) -> dict[str, Any]:
    """A run.json `files` entry: path relative to root, size, SHA-256."""
    from corpusgate.pipelines.inputs import file_digest

    sha256, size = file_digest(str(path))
    return {"path": _relative(str(path), str(root)), "bytes": size, "sha256": sha256}


def verify_files(root: str | PathLike, run: dict[str, Any]) -> None:
    """Every table file listed in run.json is there with its size and SHA-256, and no
    table holds a file the run did not write; else UsageError naming the file. A
    command must never act on part of an audit (apply would leave records unredacted
    whose findings are gone)."""
    root = str(root)
    run_path = join(root, RUN_MANIFEST)
    files = run.get("files")
    if not isinstance(files, list) or not files:
        raise UsageError(
            f"{run_path}: lists no table files with checksums (written by an older "
            "corpusgate, or edited); run the audit again"
        )
    listed = set()
    for entry in files:
        relative = entry.get("path") if isinstance(entry, dict) else None
        if (
            not isinstance(relative, str)
            or relative.startswith("/")
            or ".." in relative.split("/")
        ):
            raise UsageError(f"{run_path}: files holds a bad entry {entry!r:.80}")
        listed.add(relative)
        path = join(root, *relative.split("/"))
        if not exists(path):
            raise UsageError(
                f"{path}: missing; the audit output is incomplete (run.json lists it)"
            )
        actual = file_entry(root, path)
        if actual["bytes"] != entry.get("bytes") or actual["sha256"] != entry.get(
            "sha256"
        ):
            raise UsageError(
                f"{path}: changed since the audit "
                "(size or SHA-256 differs from run.json)"
            )
    for table in TABLES_BY_NAME.values():
        for path in list_files(join(root, table.name, "*")):
            if path.endswith((".parquet", ".avro")) and (
                _relative(path, root) not in listed
            ):
                raise UsageError(
                    f"{path}: not written by run {run.get('run_id', '?')} "
                    "(not in run.json files)"
                )


def read_table(root: str, table: Table) -> pa.Table:
    """All shards of one table, conformed to its schema (missing nullable columns
    become nulls; a missing required column is an error naming the shard)."""
    schema = arrow_schema(table)
    parts = []
    for path in list_files(join(root, table.name, "*.parquet")):
        try:
            shard = read_parquet(path)
        except Exception as e:  # pyarrow raises several types for unreadable files
            raise UsageError(f"{path}: not a readable Parquet file ({e})") from None
        parts.append(_conform(shard, schema, path))
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts)


def _conform(shard: pa.Table, schema: pa.Schema, path: str) -> pa.Table:
    columns = []
    for f in schema:
        if f.name in shard.column_names:
            column = shard.column(f.name)
            if column.type != f.type:
                try:
                    column = column.cast(f.type)
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
                    raise UsageError(
                        f"{path}: column {f.name} has type {column.type}, "
                        f"expected {f.type} ({e})"
                    ) from None
            columns.append(column)
        elif f.nullable:
            columns.append(pa.nulls(shard.num_rows, f.type))
        else:
            raise UsageError(f"{path}: required column {f.name} is missing")
    return pa.Table.from_arrays(columns, schema=schema)
