"""Arrow (Parquet) schemas derived from `schemas.tables`."""

from __future__ import annotations

import pyarrow as pa
from corpusgate.schemas.tables import (
    SCHEMA_VERSION,
    ListOf,
    LogicalType,
    Primitive,
    Struct,
    Table,
)

_PRIMITIVES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
}


def arrow_type(t: LogicalType) -> pa.DataType:
    if isinstance(t, Primitive):
        return _PRIMITIVES[t.name]
    if isinstance(t, ListOf):
        return pa.list_(arrow_type(t.item))
    if isinstance(t, Struct):
        return pa.struct(
            [
                pa.field(f.name, arrow_type(f.type), nullable=f.nullable)
                for f in t.fields
            ]
        )
    raise TypeError(f"unknown logical type {t!r}")


def arrow_schema(table: Table) -> pa.Schema:
    return pa.schema(
        [
            # The column's meaning travels with the file (pyarrow, pandas, Spark).
            pa.field(
                f.name,
                arrow_type(f.type),
                nullable=f.nullable,
                metadata={b"description": f.doc.encode()} if f.doc else None,
            )
            for f in table.fields
        ],
        metadata={
            b"corpusgate.table": table.name.encode(),
            b"corpusgate.schema_version": SCHEMA_VERSION.encode(),
        },
    )
