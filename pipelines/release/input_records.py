"""Reading the audited input files again, outside Beam, for `sample` and `apply`.

Record numbering follows the audit's reader (`pipelines/io.py`): in JSONL, lines that
are blank (whitespace only) are not records and do not take an index; Parquet rows are
numbered across row groups; an Avro file's records in order; a text file is record 0.
Only local files are supported here.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from corpusgate.pipelines.outputs import AuditOutput, UsageError


def local_path(uri: str) -> Path:
    if uri.startswith("file://"):
        uri = uri[len("file://") :]
    if "://" in uri:
        raise UsageError(f"{uri}: only local input files are supported by this command")
    return Path(uri)


def text_field(audit: AuditOutput) -> str:
    """The --text-field the audit ran with (run.json config), else "text"."""
    value = _find_key(audit.config(), "text_field")
    return value if isinstance(value, str) and value else "text"


def _find_key(node: Any, key: str) -> Any:
    if isinstance(node, dict):
        if key in node:
            return node[key]
        for child in node.values():
            found = _find_key(child, key)
            if found is not None:
                return found
    return None


def open_jsonl(path: Path) -> IO[bytes]:
    """The decompressed byte stream of a .jsonl / .jsonl.gz / .jsonl.zst file."""
    name = path.name.lower()
    raw = open(path, "rb")  # noqa: SIM115 - returned to the caller, who closes it
    if name.endswith(".gz"):
        return gzip.GzipFile(fileobj=raw)
    if name.endswith(".zst"):
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw))
    return raw


def iter_jsonl(path: Path) -> Iterator[tuple[int | None, bytes]]:
    """(record_index, line bytes including its newline); blank lines get None."""
    index = 0
    with open_jsonl(path) as stream:
        for line in stream:
            if not line.strip():
                yield None, line
                continue
            yield index, line
            index += 1


def text_of(fields: Any, field: str) -> str | None:
    """The record's text as the audit saw it, or None if it had none."""
    if not isinstance(fields, dict):
        return None
    value = fields.get(field)
    if isinstance(value, bytes):
        try:
            value = value.decode("utf-8")
        except UnicodeDecodeError:
            return None
    return value if isinstance(value, str) else None


def iter_rows(path: Path, fmt: str) -> Iterator[tuple[int, Any]]:
    """(record_index, decoded record) for every record of a file; undecodable JSONL
    lines come back as None."""
    if fmt == "jsonl":
        for index, line in iter_jsonl(path):
            if index is None:
                continue
            try:
                yield index, json.loads(line.decode("utf-8"))
            except (UnicodeDecodeError, ValueError, RecursionError):
                yield index, None
    elif fmt == "parquet":
        import pyarrow.parquet as pq

        parquet = pq.ParquetFile(path)
        index = 0
        for group in range(parquet.num_row_groups):
            for row in parquet.read_row_group(group).to_pylist():
                yield index, row
                index += 1
    elif fmt == "avro":
        import fastavro

        with open(path, "rb") as f:
            for index, row in enumerate(fastavro.reader(f)):
                yield index, row
    elif fmt == "text":
        data = path.read_bytes()
        try:
            yield 0, {"__text__": data.decode("utf-8")}
        except UnicodeDecodeError:
            yield 0, None
    else:
        raise UsageError(f"{path}: unknown format {fmt!r}")


def read_texts(
    uri: str, fmt: str, wanted: Iterable[int], field: str = "text"
) -> dict[int, str]:
    """The texts of the records `wanted` (record indexes) of one input file."""
    wanted = set(wanted)
    path = local_path(uri)
    if not path.is_file():
        raise UsageError(f"{path}: input file of the audit is missing")
    out: dict[int, str] = {}
    key = "__text__" if fmt == "text" else field
    try:
        for index, row in iter_rows(path, fmt):
            if index in wanted:
                text = text_of(row, key)
                if text is not None:
                    out[index] = text
                if len(out) == len(wanted):
                    break
    except (OSError, ValueError, EOFError) as e:  # corrupt data after the last wanted
        if len(out) < len(wanted):
            raise UsageError(
                f"{path}: cannot be read ({type(e).__name__}: {e})"
            ) from None
    return out
