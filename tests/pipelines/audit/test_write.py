"""Committing and replacing audits on the filesystem (no runner)."""

import json

from corpusgate.pipelines.audit.write import (
    PREVIOUS_PREFIX,
    drop_previous,
    recover_set_aside,
    restore_previous,
    set_aside_previous,
)


def finished_audit(out, run_id="old", extra=()):
    """A finished audit's files: run.json listing two table files."""
    files = ["findings/part-00000-of-00001.parquet", "documents/part-00000.parquet"]
    for f in [*files, *extra]:
        path = out / f
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{run_id}:{f}".encode())
    manifest = {"run_id": run_id, "files": [{"path": f} for f in files]}
    (out / "run.json").write_text(json.dumps(manifest))
    return files


def snapshot(out):
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_set_aside_moves_the_audit_and_leaves_foreign_files(tmp_path):
    out = tmp_path / "out"
    finished_audit(out, extra=["findings/notes.txt"])
    aside = set_aside_previous(str(out), "new")
    assert aside == str(out / f"{PREVIOUS_PREFIX}new")
    assert not (out / "run.json").exists()  # OUT no longer looks finished
    assert not (out / "documents").exists()  # emptied table directory removed
    assert (out / "findings" / "notes.txt").exists()  # not the audit's
    assert (out / f"{PREVIOUS_PREFIX}new" / "run.json").exists()


def test_restore_puts_everything_back(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    before = snapshot(out)
    aside = set_aside_previous(str(out), "new")
    restore_previous(aside, str(out))
    assert snapshot(out) == before


def test_drop_after_success(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    aside = set_aside_previous(str(out), "new")
    finished_audit(out, run_id="new")  # the new run committed
    drop_previous(aside)
    assert json.loads((out / "run.json").read_text())["run_id"] == "new"
    assert not list(out.glob(f"{PREVIOUS_PREFIX}*"))


def test_nothing_to_set_aside_without_a_finished_audit(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert set_aside_previous(str(out), "new") is None


def test_a_killed_run_s_set_aside_audit_is_recovered(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    before = snapshot(out)
    set_aside_previous(str(out), "killed")  # ... and the run died here
    assert recover_set_aside(str(out)) == [str(out / f"{PREVIOUS_PREFIX}killed")]
    assert snapshot(out) == before


def test_a_set_aside_audit_older_than_the_finished_one_is_deleted(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    set_aside_previous(str(out), "r2")
    finished_audit(out, run_id="r2")  # r2 committed, but died before dropping
    recover_set_aside(str(out))
    assert json.loads((out / "run.json").read_text())["run_id"] == "r2"
    assert not list(out.glob(f"{PREVIOUS_PREFIX}*"))


def test_row_batches_are_written_as_one_row_group_per_shard(tmp_path, test_pipeline):
    """Findings travel in batches (lists of rows); the writer gathers the small
    batches of a bundle into one Arrow table, so the Parquet shard holds one row
    group, not one per batch, and the Avro copy gets the rows one by one."""
    import apache_beam as beam
    import fastavro
    import pyarrow.parquet as pq
    from corpusgate.detectors.base import Finding
    from corpusgate.pipelines.audit.scan import RecordRef, finding_row
    from corpusgate.pipelines.audit.write import AVRO_DIR, WriteTable
    from corpusgate.schemas import FINDINGS

    class Det:
        name = "probe"

        @staticmethod
        def version_id():
            return "1"

    def row(i):
        ref = RecordRef(f"d{i}", "f.jsonl", i)
        finding = Finding("EMAIL_ADDRESS", "medium", 0.9, "r", "a***", start=0, end=4)
        return finding_row("run", ref, Det, finding)

    batches = [[row(0), row(1)], [], [row(2)], [row(3), row(4), row(5)]]
    with test_pipeline() as p:
        _ = (
            p
            | beam.Create([batches])
            | beam.FlatMap(lambda bs: bs)  # one bundle
            | WriteTable(FINDINGS, str(tmp_path), avro=True, batched=True)
        )
    [shard] = sorted((tmp_path / "findings").glob("*.parquet"))
    parquet = pq.ParquetFile(shard)
    assert parquet.metadata.num_row_groups == 1
    assert sorted(parquet.read().column("doc_id").to_pylist()) == [
        f"d{i}" for i in range(6)
    ]
    avro_rows = []
    for path in (tmp_path / AVRO_DIR / "findings").glob("*.avro"):
        with open(path, "rb") as fh:
            avro_rows += list(fastavro.reader(fh))
    assert sorted(r["doc_id"] for r in avro_rows) == [f"d{i}" for i in range(6)]


def test_tables_are_named_once_and_an_empty_one_still_gets_its_file(
    tmp_path, test_pipeline
):
    """One step names every table's files; a table with no rows gets one empty file
    with its schema; nothing is left in the temporary folder."""
    import apache_beam as beam
    import pyarrow.parquet as pq
    from corpusgate.pipelines.audit.write import (
        TEMP_DIR,
        TableTarget,
        WriteTables,
    )
    from corpusgate.schemas import DEAD_LETTERS, SOURCES
    from corpusgate.schemas.arrow import arrow_schema

    def source(i):
        return {
            "run_id": "r",
            "source": f"f{i}.jsonl",
            "file_sha256": "0" * 64,
            "bytes": i,
            "records": i,
            "dead_letters": 0,
            "format": "jsonl",
            "provenance_complete": False,
            "flagged_records": 0,
            "flagged_rate": 0.0,
        }

    targets = [TableTarget(SOURCES), TableTarget(DEAD_LETTERS, shards="extra")]
    with test_pipeline() as p:
        rows = p | "Rows" >> beam.Create([source(i) for i in range(5)])
        none = p | "None" >> beam.Create([]).with_output_types(dict)
        _ = (rows, none) | WriteTables(str(tmp_path), targets)
    assert not (tmp_path / TEMP_DIR).exists()
    shards = sorted((tmp_path / "sources").glob("part-*-of-*.parquet"))
    assert shards
    assert sorted(
        r["source"] for s in shards for r in pq.read_table(s).to_pylist()
    ) == [f"f{i}.jsonl" for i in range(5)]
    [empty] = (tmp_path / "dead_letters").glob("*.parquet")
    assert empty.name == "extra-00000-of-00001.parquet"
    table = pq.read_table(empty)
    assert table.num_rows == 0
    assert table.schema.equals(arrow_schema(DEAD_LETTERS), check_metadata=True)


def test_naming_again_changes_nothing(tmp_path):
    """A retried naming step finds the files already named."""
    import pyarrow as pa
    import pyarrow.parquet as pq
    from corpusgate.pipelines.audit.write import TEMP_DIR, TableTarget, _NameTableFiles
    from corpusgate.schemas import DEAD_LETTERS

    temp = tmp_path / TEMP_DIR / "dead_letters"
    temp.mkdir(parents=True)
    written = []
    for name in ("b", "a"):
        path = temp / f"part-{name}.parquet"
        pq.write_table(pa.table({"x": [name]}), path)
        written.append(("dead_letters", "part", str(path)))
    step = _NameTableFiles(str(tmp_path), [TableTarget(DEAD_LETTERS)])
    step.process(None, written)
    named = sorted((tmp_path / "dead_letters").glob("*.parquet"))
    assert [p.name for p in named] == [
        "part-00000-of-00002.parquet",
        "part-00001-of-00002.parquet",
    ]
    assert [pq.read_table(p).column("x")[0].as_py() for p in named] == ["a", "b"]
    before = {p: p.read_bytes() for p in named}
    step.process(None, written)
    assert {p: p.read_bytes() for p in named} == before
    assert not (tmp_path / TEMP_DIR).exists()
