"""The manifest tables (docs/contract.md), defined once; docs/tables.md is generated
from these definitions by scripts/gen_docs.py.

Every table is a tuple of `Field`s built from a handful of logical types. The Arrow
schema (Parquet) and the Avro schema (fastavro) are derived from these definitions in
`schemas.arrow` and `schemas.avro`; nothing else spells out a column.

Bump SCHEMA_VERSION when a column is renamed or removed (adding columns is free).
"""

from __future__ import annotations

from dataclasses import dataclass

SCHEMA_VERSION = "2.0"  # 2.0: sources.source_decision removed (the gate decides)


# --- logical types -----------------------------------------------------------------


@dataclass(frozen=True)
class Primitive:
    name: str  # string | int64 | float64 | bool


@dataclass(frozen=True)
class ListOf:
    item: LogicalType


@dataclass(frozen=True)
class Struct:
    name: str  # record name, needed by Avro
    fields: tuple[Field, ...]


LogicalType = Primitive | ListOf | Struct

STRING = Primitive("string")
INT64 = Primitive("int64")
FLOAT64 = Primitive("float64")
BOOL = Primitive("bool")


@dataclass(frozen=True)
class Field:
    name: str
    type: LogicalType
    nullable: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Table:
    name: str
    fields: tuple[Field, ...]
    doc: str = ""

    @property
    def column_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name} has no column {name!r}")


def _f(name: str, type_: LogicalType, doc: str = "", nullable: bool = False) -> Field:
    return Field(name, type_, nullable, doc)


def _opt(name: str, type_: LogicalType, doc: str = "") -> Field:
    return Field(name, type_, True, doc)


# --- the tables ----------------------------------------------------------------------

FINDINGS = Table(
    "findings",
    (
        _f("run_id", STRING, "id of this audit run"),
        _f("doc_id", STRING, "the record's id"),
        _f("source", STRING, "input file URI"),
        _f("record_index", INT64, "0-based position of the record in its source"),
        _opt("source_name", STRING, "logical source (--source-field), else null"),
        _f("detector", STRING, "detector name"),
        _f("detector_version", STRING, "bumped when the detector's behaviour changes"),
        _f("finding_type", STRING, "UPPER_SNAKE finding type (docs/contract.md)"),
        _f("risk_code", STRING, "Framework clause, e.g. AISGF-1.0:3.1.2(a)"),
        _opt("annex_a", STRING, "GB/T 45654 Annex A risk, e.g. A.4.f"),
        _f("sensitive", BOOL, "sensitive personal information (PIPL Art. 28)"),
        _f("severity", STRING, "info | low | medium | high | critical"),
        _opt(
            "severity_rank",
            INT64,
            "severity as a number to sort by: info 0 .. critical 4",
        ),
        _f("score", FLOAT64, "0..1, higher = more certain that this is a real issue"),
        _opt("start", INT64, "span start, Unicode code point offset"),
        _opt("end", INT64, "span end (exclusive), Unicode code point offset"),
        _f("evidence", STRING, "masked excerpt; never a raw identifier or secret"),
        _opt("value_hash", STRING, "salted HMAC-SHA256 of the normalized value"),
        _opt("related_doc_id", STRING, "the other document"),
        _opt("cluster_id", STRING, "duplicate or poisoning cluster"),
        _opt("reference_id", STRING, "matched reference work"),
        _opt("details", STRING, "JSON with detector-specific facts"),
    ),
    "one row per finding",
)

DOCUMENTS = Table(
    "documents",
    (
        _f("run_id", STRING, "id of this audit run"),
        _f("doc_id", STRING, "the record's id"),
        _f("source", STRING, "input file URI"),
        _f("record_index", INT64, "0-based position of the record in its source"),
        _opt("source_name", STRING, "logical source (--source-field), else the file"),
        _f("content_sha256", STRING, "SHA-256 of the record's text as UTF-8"),
        _f("n_chars", INT64, "length of the text in code points"),
        _f(
            "language",
            STRING,
            "zh-Hans | zh-Hant | ja | ko | en | other: the document's language (CLD2;"
            " the script decides short text; other = any other language or no letters)",
        ),
        _f(
            "text_kind",
            STRING,
            "prose | code | markup: from the record's file extension (a path, file,"
            " filename or url field), else from its content",
        ),
        _opt("label", STRING, "the record's label, as a string"),
        _f("n_findings", INT64, "findings written for the record"),
        _opt("max_severity", STRING, "highest severity among the findings"),
        _f("finding_types", ListOf(STRING), "distinct finding types of the record"),
        _opt("cluster_id", STRING, "duplicate cluster (shared by exact and near)"),
        _f(
            "is_duplicate", BOOL, "a duplicate that is not its cluster's representative"
        ),
        _f("decision", STRING, "keep | redact | review | drop"),
    ),
    "one row per scanned record, findings or not",
)

SOURCES = Table(
    "sources",
    (
        _f("run_id", STRING, "id of this audit run"),
        _f("source", STRING, "input file URI"),
        _opt("source_id", STRING, "from the provenance sidecar"),
        _f("file_sha256", STRING, "SHA-256 of the file as read"),
        _f("bytes", INT64, "size of the file"),
        _f("records", INT64, "records read from the file (scanned + dead-lettered)"),
        _f("dead_letters", INT64, "records of this file that could not be scanned"),
        _f("format", STRING, "jsonl | parquet | avro | text"),
        _opt("acquisition", STRING, "open_source|self_collected|commercial|user_input"),
        _opt("license", STRING, "from the provenance sidecar: SPDX id or contract"),
        _opt("collected_at", STRING, "from the provenance sidecar"),
        _opt("collection_record", STRING, "from the provenance sidecar"),
        _opt("consent_record", STRING, "from the provenance sidecar"),
        _f(
            "provenance_complete",
            BOOL,
            "source_id, acquisition and license are all present",
        ),
        _f(
            "flagged_records",
            INT64,
            "scanned records with a finding of severity >= high (the default "
            "policy's per-source rule; the decision is `corpusgate gate`'s)",
        ),
        _f("flagged_rate", FLOAT64, "flagged_records / scanned records"),
    ),
    "one row per input file",
)

DEAD_LETTERS = Table(
    "dead_letters",
    (
        _f("run_id", STRING, "id of this audit run"),
        _f("source", STRING, "input file URI"),
        _opt("record_index", INT64, "position in the source, when known"),
        _f("stage", STRING, "read | scan:<detector> | size_limit"),
        _f("error_type", STRING, "the reason, as a name (e.g. InvalidUTF8)"),
        _f("message", STRING, "the reason, readable; never raw record content"),
        _f("raw_excerpt", STRING, "masked, at most 200 characters"),
    ),
    "one row per record that could not be scanned (or detector that failed on it)",
)

_DETECTOR_RUN = Struct(
    "DetectorRun",
    (
        _f("name", STRING),
        _f("version", STRING),
        _f("config_fingerprint", STRING),
    ),
)
_INPUT_FILE = Struct(
    "InputFile", (_f("uri", STRING), _f("sha256", STRING), _f("bytes", INT64))
)
_TABLE_FILE = Struct(
    "TableFile",
    (
        _f("path", STRING, "relative to the output directory, '/'-separated"),
        _f("bytes", INT64),
        _f("sha256", STRING),
    ),
)
_DETECTOR_COUNT = Struct(
    "DetectorCount", (_f("detector", STRING), _f("findings", INT64))
)
_COUNTS = Struct(
    "Counts",
    (
        _f("records_read", INT64),
        _f("scanned", INT64),
        _f("dead_lettered", INT64),
        _f("detector_errors", INT64, "(record, detector) pairs that failed"),
        _f("findings_over_cap", INT64, "findings beyond max_findings_per_record"),
        _f("findings", INT64),
        _f("findings_by_detector", ListOf(_DETECTOR_COUNT)),
    ),
)

RUN = Table(
    "run",
    (
        _f("run_id", STRING),
        _f("corpusgate_version", STRING),
        _f("schema_version", STRING),
        _f("started_at", STRING, "ISO 8601, UTC"),
        _f("finished_at", STRING, "ISO 8601, UTC"),
        _f("runner", STRING),
        _f("argv", ListOf(STRING)),
        _f("detectors", ListOf(_DETECTOR_RUN)),
        _f("inputs", ListOf(_INPUT_FILE)),
        _opt(
            "skipped_inputs",
            ListOf(STRING),
            "files under an INPUT directory or glob not read: unknown file type",
        ),
        _f("counts", _COUNTS),
        _f("config", STRING, "resolved configuration, JSON (secrets removed)"),
        _f("dependencies", STRING, "JSON: versions of the libraries that ran"),
        _f(
            "files",
            ListOf(_TABLE_FILE),
            "every table file the run wrote, with its size and SHA-256; commands that "
            "read the audit refuse it when a file is missing, added or changed",
        ),
    ),
    "run manifest (run.json): its presence means the audit finished",
)

TABLES: dict[str, Table] = {
    t.name: t for t in (FINDINGS, DOCUMENTS, SOURCES, DEAD_LETTERS, RUN)
}
# The tables written as Parquet shards by the Beam job (run.json is written by the CLI).
SHARDED_TABLES = (FINDINGS, DOCUMENTS, SOURCES, DEAD_LETTERS)


def conform(table: Table, row: dict) -> dict:
    """Returns `row` restricted to the table's columns, with nulls where allowed.

    Raises ValueError naming the column when a required value is missing, so a bug in a
    detector is caught where the row is built rather than when Parquet is written.
    """
    out = {}
    for f in table.fields:
        value = row.get(f.name)
        if value is None and not f.nullable:
            if isinstance(f.type, ListOf):
                value = []
            else:
                raise ValueError(f"{table.name}.{f.name} is required")
        out[f.name] = value
    return out
