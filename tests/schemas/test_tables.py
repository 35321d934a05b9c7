"""The manifest tables: contract columns, and Arrow/Avro forms derived from one definition."""

import io
import json

import fastavro
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpusgate.schemas import TABLES, conform
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.avro import avro_schema, parsed_avro_schema
from corpusgate.schemas.tables import ListOf, Primitive, Struct

CONTRACT_COLUMNS = {
    "findings": "run_id doc_id source record_index detector detector_version finding_type "
    "risk_code annex_a sensitive severity score start end evidence value_hash "
    "related_doc_id cluster_id reference_id details",
    "documents": "run_id doc_id source record_index content_sha256 n_chars language text_kind label "
    "n_findings max_severity finding_types cluster_id is_duplicate decision",
    "sources": "run_id source source_id file_sha256 bytes records dead_letters format "
    "acquisition license provenance_complete flagged_records flagged_rate",
    "dead_letters": "run_id source record_index stage error_type message raw_excerpt",
    "run": "run_id corpusgate_version schema_version started_at finished_at runner argv "
    "detectors inputs counts",
}


def sample_value(t):
    if isinstance(t, Primitive):
        return {"string": "x", "int64": 7, "float64": 0.5, "bool": True}[t.name]
    if isinstance(t, ListOf):
        return [sample_value(t.item), sample_value(t.item)]
    if isinstance(t, Struct):
        return {f.name: sample_value(f.type) for f in t.fields}
    raise TypeError(t)


def sample_rows(table):
    full = {f.name: sample_value(f.type) for f in table.fields}
    sparse = {
        f.name: (None if f.nullable else sample_value(f.type)) for f in table.fields
    }
    return [full, sparse]


@pytest.mark.parametrize("name", sorted(CONTRACT_COLUMNS))
def test_every_contract_column_is_defined(name):
    assert set(CONTRACT_COLUMNS[name].split()) <= set(TABLES[name].column_names)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_arrow_and_avro_schemas_have_the_same_columns_and_nullability(name):
    table = TABLES[name]
    arrow = arrow_schema(table)
    avro = avro_schema(table)
    assert arrow.names == [f["name"] for f in avro["fields"]] == table.column_names
    for arrow_field, avro_field in zip(arrow, avro["fields"], strict=True):
        avro_nullable = (
            isinstance(avro_field["type"], list) and "null" in avro_field["type"]
        )
        assert arrow_field.nullable == avro_nullable, arrow_field.name
    assert arrow.metadata[b"corpusgate.schema_version"]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_parquet_round_trip(name):
    table = TABLES[name]
    rows = sample_rows(table)
    buffer = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(table)), buffer)
    buffer.seek(0)
    back = pq.read_table(buffer)
    assert back.schema.equals(arrow_schema(table), check_metadata=False)
    assert back.to_pylist() == rows


@pytest.mark.parametrize("name", sorted(TABLES))
def test_avro_round_trip(name):
    table = TABLES[name]
    rows = sample_rows(table)
    buffer = io.BytesIO()
    fastavro.writer(buffer, parsed_avro_schema(table), rows)
    buffer.seek(0)
    assert list(fastavro.reader(buffer)) == rows


def test_avro_schema_is_plain_json():
    for table in TABLES.values():
        assert json.loads(json.dumps(avro_schema(table)))["fields"]


def test_conform_fills_nullable_and_rejects_missing_required():
    table = TABLES["dead_letters"]
    row = conform(
        table,
        {
            "run_id": "r",
            "source": "s",
            "stage": "read",
            "error_type": "E",
            "message": "m",
            "raw_excerpt": "",
            "extra": "dropped",
        },
    )
    assert row["record_index"] is None and "extra" not in row
    with pytest.raises(ValueError, match="dead_letters.message is required"):
        conform(
            table, {"run_id": "r", "source": "s", "stage": "read", "error_type": "E"}
        )
