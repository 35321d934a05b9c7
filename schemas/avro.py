"""Avro schemas (fastavro) derived from `schemas.tables`."""

from __future__ import annotations

from typing import Any

import fastavro
from corpusgate.schemas.tables import (
    SCHEMA_VERSION,
    ListOf,
    LogicalType,
    Primitive,
    Struct,
    Table,
)

_PRIMITIVES = {
    "string": "string",
    "int64": "long",
    "float64": "double",
    "bool": "boolean",
}
NAMESPACE = "corpusgate.v" + SCHEMA_VERSION.replace(".", "_")


def _avro_type(t: LogicalType, seen: set[str]) -> Any:
    if isinstance(t, Primitive):
        return _PRIMITIVES[t.name]
    if isinstance(t, ListOf):
        return {"type": "array", "items": _avro_type(t.item, seen)}
    if isinstance(t, Struct):
        if t.name in seen:  # Avro allows a named type only once; refer to it after
            return t.name
        seen.add(t.name)
        return {
            "type": "record",
            "name": t.name,
            "fields": [_avro_field(f, seen) for f in t.fields],
        }
    raise TypeError(f"unknown logical type {t!r}")


def _avro_field(f, seen: set[str]) -> dict:
    avro_t = _avro_type(f.type, seen)
    field = {"name": f.name, "type": ["null", avro_t] if f.nullable else avro_t}
    if f.nullable:
        field["default"] = None
    if f.doc:
        field["doc"] = f.doc
    return field


def avro_schema(table: Table) -> dict:
    """The table as an Avro record schema (plain dict, JSON-serialisable)."""
    seen: set[str] = set()
    return {
        "type": "record",
        "name": table.name.title().replace("_", ""),
        "namespace": NAMESPACE,
        "doc": table.doc,
        # Kept in every file's avro.schema header, as Parquet keeps it in its metadata.
        "corpusgate.table": table.name,
        "corpusgate.schema_version": SCHEMA_VERSION,
        "fields": [_avro_field(f, seen) for f in table.fields],
    }


def parsed_avro_schema(table: Table) -> dict:
    return fastavro.parse_schema(avro_schema(table))
