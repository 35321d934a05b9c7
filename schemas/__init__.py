"""Manifest tables (docs/tables.md): one definition, Arrow and Avro derived from it."""

from corpusgate.schemas.tables import (
    DEAD_LETTERS,
    DOCUMENTS,
    FINDINGS,
    RUN,
    SCHEMA_VERSION,
    SHARDED_TABLES,
    SOURCES,
    TABLES,
    Table,
    conform,
)

__all__ = [
    "DEAD_LETTERS",
    "DOCUMENTS",
    "FINDINGS",
    "RUN",
    "SCHEMA_VERSION",
    "SHARDED_TABLES",
    "SOURCES",
    "TABLES",
    "Table",
    "conform",
]
