"""Reading a finished audit output directory (docs/tables.md) with pyarrow alone.

Shared by the post-audit commands (gate, sample, review, report, apply). A directory
without `run.json` is an audit that did not finish and is refused.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import DEAD_LETTERS, DOCUMENTS, FINDINGS, SOURCES, Table


class UsageError(Exception):
    """A problem the user must fix (exit 2). The message is one line that names the
    file and the problem; commands print it without a traceback."""


TABLES_BY_NAME = {t.name: t for t in (FINDINGS, DOCUMENTS, SOURCES, DEAD_LETTERS)}


@dataclass
class AuditOutput:
    root: Path
    run: dict[str, Any]
    tables: dict[str, pa.Table] = field(default_factory=dict)

    @property
    def run_id(self) -> str:
        return str(self.run.get("run_id", ""))

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


def open_audit(out: str | Path) -> AuditOutput:
    """Opens OUT; raises UsageError when it is missing or unfinished."""
    root = Path(out)
    if not root.is_dir():
        raise UsageError(f"{root}: no such audit output directory")
    run_path = root / "run.json"
    if not run_path.is_file():
        raise UsageError(
            f"{run_path}: missing; the audit did not finish (or {root} is not an "
            "audit output)"
        )
    try:
        run = json.loads(run_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as e:
        raise UsageError(f"{run_path}: not valid JSON ({e})") from None
    if not isinstance(run, dict):
        raise UsageError(f"{run_path}: expected a JSON object")
    verify_files(root, run)
    return AuditOutput(root, run)


def file_entry(root: Path, path: Path) -> dict[str, Any]:
    """A run.json `files` entry for a local file: path relative to root, size and
    SHA-256."""
    with open(path, "rb") as f:
        sha256 = hashlib.file_digest(f, "sha256").hexdigest()
    return {
        "path": path.relative_to(root).as_posix(),
        "bytes": path.stat().st_size,
        "sha256": sha256,
    }


def verify_files(root: Path, run: dict[str, Any]) -> None:
    """Every table file listed in run.json is there with its size and SHA-256, and no
    table holds a file the run did not write; else UsageError naming the file. A
    command must never act on part of an audit (apply would leave records unredacted
    whose findings are gone)."""
    run_path = root / "run.json"
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
        path = root / relative
        if not path.is_file():
            raise UsageError(
                f"{path}: missing; the audit output is incomplete (run.json lists it)"
            )
        actual = file_entry(root, path)
        if actual["bytes"] != entry.get("bytes") or actual["sha256"] != entry.get(
            "sha256"
        ):
            raise UsageError(
                f"{path}: changed since the audit (its size or SHA-256 differs from "
                "run.json)"
            )
    for table in TABLES_BY_NAME.values():
        directory = root / table.name
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            if path.suffix in (".parquet", ".avro") and (
                path.relative_to(root).as_posix() not in listed
            ):
                raise UsageError(
                    f"{path}: not written by run {run.get('run_id', '?')} "
                    "(not in run.json files)"
                )


def read_table(root: Path, table: Table) -> pa.Table:
    """All shards of one table, conformed to its schema (missing nullable columns
    become nulls; a missing required column is an error naming the shard)."""
    schema = arrow_schema(table)
    directory = root / table.name
    parts = []
    for path in sorted(directory.glob("*.parquet")) if directory.is_dir() else []:
        try:
            shard = pq.read_table(path)
        except Exception as e:  # pyarrow raises several types for unreadable files
            raise UsageError(f"{path}: not a readable Parquet file ({e})") from None
        parts.append(_conform(shard, schema, path))
    if not parts:
        return schema.empty_table()
    return pa.concat_tables(parts)


def _conform(shard: pa.Table, schema: pa.Schema, path: Path) -> pa.Table:
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
