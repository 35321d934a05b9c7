"""Writing the manifest tables: into a staging directory first, then moved into place.

Tables are written by the Beam job under `OUT/.staging-<run_id>/`; only after the job
succeeded are they moved to `OUT/<table>/` and `run.json` written last, so a run that
fails or is killed never looks finished.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms import window
from corpusgate.schemas import SHARDED_TABLES, Table, conform
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.avro import avro_schema

log = logging.getLogger(__name__)

STAGING_PREFIX = ".staging-"
COUNTS_FILE = "_counts"  # in the staging directory: the job's counts (read_counts)
AVRO_DIR = "avro"  # OUT/avro/<table>/ with --avro
RUN_MANIFEST = "run.json"


def staging_dir(out: str, run_id: str) -> str:
    return FileSystems.join(out, STAGING_PREFIX + run_id)


# Rows gathered into one Parquet row group (Beam's WriteToParquet default).
ROW_GROUP_BYTES = 64 * 1024 * 1024
# Rows turned into one Arrow record batch at a time by the table writers (non-batched
# tables), as Beam's WriteToParquet did with record_batch_size.
RECORD_BATCH_ROWS = 10_000
# Where the table writers put their files until the finalize step names them: a
# folder of the staging directory (removed with it when the tables are committed).
TEMP_DIR = ".temp"


@dataclass(frozen=True)
class TableTarget:
    """One set of shards of a table: `<shards>-SSSSS-of-NNNNN.parquet` in its folder.
    `batched`: the elements are lists of rows (how findings travel)."""

    table: Table
    shards: str = "part"
    batched: bool = False


class _WriteParquetFiles(beam.DoFn):
    """Rows (or lists of rows) of one table -> one Parquet file per bundle in the
    temporary folder, a row group per ROW_GROUP_BYTES of rows; yields the file's
    (table name, shards, path) once it is closed. Small batches of rows are gathered,
    not written as row groups of their own."""

    def __init__(self, target: TableTarget, temp_dir: str) -> None:
        self._target = target
        self._temp_dir = temp_dir

    def setup(self) -> None:
        self._schema = arrow_schema(self._target.table)

    def start_bundle(self) -> None:
        self._rows: list[dict[str, Any]] = []
        self._batches: list[Any] = []
        self._bytes = 0
        self._file = None
        self._writer = None
        self._path: str | None = None

    def process(self, element: Any) -> None:
        if self._target.batched:
            self._add(element)
        else:
            self._rows.append(element)
            if len(self._rows) >= RECORD_BATCH_ROWS:
                self._add(self._rows)
                self._rows = []

    def finish_bundle(self) -> Iterator[Any]:
        self._add(self._rows)
        self._rows = []
        if self._batches:
            self._write_row_group()
        if self._writer is not None:
            self._writer.close()
            self._file.close()
            target = self._target
            yield window.GlobalWindows.windowed_value_at_end_of_window(
                (target.table.name, target.shards, self._path)
            )

    def _add(self, rows: list[dict[str, Any]]) -> None:
        import pyarrow as pa

        if not rows:
            return
        batch = pa.RecordBatch.from_pylist(rows, schema=self._schema)
        self._batches.append(batch)
        self._bytes += batch.nbytes
        if self._bytes >= ROW_GROUP_BYTES:
            self._write_row_group()

    def _write_row_group(self) -> None:
        import uuid

        import pyarrow as pa
        import pyarrow.parquet as pq

        if self._writer is None:
            target = self._target
            # A name of its own per bundle attempt: a retried bundle's file is never
            # the committed one's.
            self._path = FileSystems.join(
                self._temp_dir,
                target.table.name,
                f"{target.shards}-{uuid.uuid4().hex}.parquet",
            )
            self._file = FileSystems.create(self._path)
            self._writer = pq.ParquetWriter(
                self._file,
                self._schema,
                compression="zstd",
                use_compliant_nested_type=False,
            )
        table = pa.Table.from_batches(self._batches, schema=self._schema)
        self._writer.write_table(table, row_group_size=max(1, table.num_rows))
        self._batches, self._bytes = [], 0


class _NameTableFiles(beam.DoFn):
    """Once: moves every written file from the temporary folder to its table's folder
    as `<shards>-SSSSS-of-NNNNN.parquet`, writes an empty file (with the schema) for a
    set of shards that got no rows, and removes the temporary folder. Only files of
    committed bundles reach it (its side input); a retry finds the files named."""

    def __init__(self, directory: str, targets: Sequence[TableTarget]) -> None:
        self._directory = directory
        self._targets = tuple(targets)

    def process(self, _, written: Iterable[tuple[str, str, str]]) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        paths: dict[tuple[str, str], list[str]] = {}
        for name, shards, path in written:
            paths.setdefault((name, shards), []).append(path)
        for target in self._targets:
            name = target.table.name
            folder = FileSystems.join(self._directory, name)
            if not FileSystems.exists(folder):
                FileSystems.mkdirs(folder)
            found = sorted(paths.get((name, target.shards), []))
            n = max(1, len(found))
            finals = [
                FileSystems.join(folder, f"{target.shards}-{i:05d}-of-{n:05d}.parquet")
                for i in range(n)
            ]
            if not found:
                if not FileSystems.exists(finals[0]):
                    schema = arrow_schema(target.table)
                    with FileSystems.create(finals[0]) as fh:
                        pq.write_table(
                            pa.Table.from_pylist([], schema=schema),
                            fh,
                            compression="zstd",
                            use_compliant_nested_type=False,
                        )
                continue
            pending = [
                (src, dst)
                for src, dst in zip(found, finals, strict=True)
                if FileSystems.exists(src)
            ]
            if pending:
                FileSystems.rename([s for s, _ in pending], [d for _, d in pending])
        temp = FileSystems.join(self._directory, TEMP_DIR)
        if FileSystems.exists(temp):
            FileSystems.delete([temp])


class WriteTables(beam.PTransform):
    """Rows of several tables (one PCollection per `TableTarget`, in that order) ->
    Parquet files under `directory` (and Avro copies with `avro=True`).

    Each bundle writes one file into a temporary folder, in the stage that produced
    its rows; one step at the end names them all. Beam's file sinks take four stages
    and a dozen transforms per table for the same protocol (a file per bundle attempt,
    only the committed ones named), which is most of a small audit's stages."""

    def __init__(
        self, directory: str, targets: Sequence[TableTarget], avro: bool = False
    ) -> None:
        super().__init__()
        self._directory = directory
        self._targets = tuple(targets)
        self._avro = avro

    def expand(self, pcolls) -> beam.PCollection:
        temp_dir = FileSystems.join(self._directory, TEMP_DIR)
        written = []
        for target, rows in zip(self._targets, pcolls, strict=True):
            table = target.table
            label = f"{table.name}_{target.shards}"
            if target.batched:
                conformed = rows | f"Conform_{label}" >> beam.Map(
                    lambda batch, t=table: [conform(t, r) for r in batch]
                )
            else:
                conformed = rows | f"Conform_{label}" >> beam.Map(
                    lambda r, t=table: conform(t, r)
                )
            written.append(
                conformed
                | f"Parquet_{label}" >> beam.ParDo(_WriteParquetFiles(target, temp_dir))
            )
            if self._avro:
                if target.batched:
                    conformed = conformed | f"Rows_{label}" >> beam.FlatMap(
                        lambda batch: batch
                    )
                # A folder of its own: Parquet readers take a table folder whole.
                avro_prefix = FileSystems.join(
                    self._directory, AVRO_DIR, table.name, target.shards
                )
                conformed | f"Avro_{label}" >> beam.io.WriteToAvro(
                    avro_prefix, avro_schema(table), file_name_suffix=".avro"
                )
        files = written | "TableFiles" >> beam.Flatten()
        return (
            files.pipeline
            | "Once" >> beam.Create([None])
            | "NameTableFiles"
            >> beam.ParDo(
                _NameTableFiles(self._directory, self._targets),
                beam.pvalue.AsList(files),
            )
        )


class WriteTable(beam.PTransform):
    """Rows (dicts) -> Parquet shards (and Avro with `avro=True`) of one table, named
    `<shards>-SSSSS-of-NNNNN` in its folder (one table may be written by several).
    With `batched=True` the elements are lists of rows (how findings travel)."""

    def __init__(
        self,
        table: Table,
        directory: str,
        avro: bool = False,
        batched: bool = False,
        shards: str = "part",
    ) -> None:
        super().__init__()
        self._write = WriteTables(
            directory, [TableTarget(table, shards, batched)], avro
        )

    def expand(self, rows: beam.PCollection) -> beam.PCollection:
        return (rows,) | self._write


def table_files(directory: str, table: Table) -> list[str]:
    pattern = FileSystems.join(directory, table.name, "*")
    return sorted(m.path for m in FileSystems.match([pattern])[0].metadata_list)


def table_file_digests(out: str) -> list[dict[str, Any]]:
    """Every file of the committed tables (and run.avro) with its size and SHA-256, for
    run.json `files`: commands that read the audit verify them first."""
    from corpusgate.pipelines.inputs import file_digest

    paths = [p for table in SHARDED_TABLES for p in table_files(out, table)]
    avro = FileSystems.join(out, AVRO_DIR)
    paths += [p for table in SHARDED_TABLES for p in table_files(avro, table)]
    run_avro = FileSystems.join(out, "run.avro")
    if FileSystems.exists(run_avro):
        paths.append(run_avro)
    prefix = out.rstrip("/") + "/"
    rows = []
    for path in paths:
        sha256, size = file_digest(path)
        relative = path[len(prefix) :] if path.startswith(prefix) else path
        rows.append(
            {"path": relative.replace(os.sep, "/"), "bytes": size, "sha256": sha256}
        )
    return rows


def existing_audit(out: str) -> bool:
    """True when OUT already holds a finished audit or any of its tables."""
    if FileSystems.exists(FileSystems.join(out, RUN_MANIFEST)):
        return True
    return any(
        FileSystems.exists(FileSystems.join(out, t.name)) for t in SHARDED_TABLES
    )


def foreign_tables(out: str) -> list[str]:
    """Table directories in OUT that no finished corpusgate audit accounts for (no
    run.json): a user's own folders, or what a killed run left. corpusgate never
    deletes them, even with --overwrite."""
    if FileSystems.exists(FileSystems.join(out, RUN_MANIFEST)):
        return []
    return [
        FileSystems.join(out, t.name)
        for t in SHARDED_TABLES
        if FileSystems.exists(FileSystems.join(out, t.name))
    ]


PREVIOUS_PREFIX = ".previous-"


def _previous_files(out: str) -> list[str]:
    """What the finished audit in OUT wrote, run.json first: then run.avro and the
    table files run.json lists (files a user put into a table directory are not
    the audit's and stay)."""
    manifest = FileSystems.join(out, RUN_MANIFEST)
    if not FileSystems.exists(manifest):
        return []
    with FileSystems.open(manifest) as f:
        try:
            previous = json.loads(f.read().decode("utf-8"))
        except ValueError:
            previous = {}
    files = previous.get("files") if isinstance(previous, dict) else None
    if isinstance(files, list):
        listed = [
            FileSystems.join(out, e["path"])
            for e in files
            if isinstance(e, dict)
            and isinstance(e.get("path"), str)
            and ".." not in e["path"].split("/")
            and not e["path"].startswith("/")
        ]
    else:  # written before run.json listed its files: the job's shard names
        listed = [
            p
            for t in SHARDED_TABLES
            for p in table_files(out, t)
            if p.rsplit("/", 1)[-1].startswith("part-")
        ]
    run_avro = FileSystems.join(out, "run.avro")
    if FileSystems.exists(run_avro):
        listed.append(run_avro)
    return [manifest] + [p for p in dict.fromkeys(listed) if FileSystems.exists(p)]


def _move(sources: list[str], root_from: str, root_to: str) -> None:
    prefix = root_from.rstrip("/") + "/"
    destinations = [FileSystems.join(root_to, p[len(prefix) :]) for p in sources]
    if "://" not in root_to:  # a local rename needs its directory
        for d in destinations:
            os.makedirs(os.path.dirname(d), exist_ok=True)
    for src, dst in zip(sources, destinations, strict=True):
        FileSystems.rename([src], [dst])  # one by one: run.json moves first


def set_aside_previous(out: str, run_id: str) -> str | None:
    """For --overwrite: moves the previous audit's files (run.json first, so OUT
    never holds half a finished audit) under OUT/.previous-<run_id>/, where the new
    run's tables cannot meet them. Returns that directory, or None when OUT held no
    finished audit. `restore_previous` puts them back if the new run fails to
    commit; `drop_previous` deletes them once it has."""
    files = _previous_files(out)
    if not files:
        return None
    aside = FileSystems.join(out, PREVIOUS_PREFIX + run_id)
    _move(files, out, aside)
    _remove_empty_table_dirs(out)
    return aside


def restore_previous(aside: str, out: str) -> None:
    """Moves a set-aside audit back into OUT, run.json last."""
    prefix = aside.rstrip("/") + "/"
    files = [
        m.path
        for m in FileSystems.match([FileSystems.join(aside, "**")])[0].metadata_list
    ]
    manifest = FileSystems.join(aside, RUN_MANIFEST)
    files = sorted(p for p in files if p != manifest and p.startswith(prefix))
    if FileSystems.exists(manifest):
        files.append(manifest)
    _move(files, aside, out)
    FileSystems.delete([aside])


def drop_previous(aside: str) -> None:
    FileSystems.delete([aside])


def recover_set_aside(out: str) -> list[str]:
    """Set-aside audits left by runs killed between setting the previous audit aside
    and committing their own: the newest goes back into OUT when OUT holds no
    finished audit; the others are deleted. Returns what was found."""
    if "://" in out or not os.path.isdir(out):
        return []  # object stores: left for the user (named in the warning below)
    found = sorted(
        os.path.join(out, d) for d in os.listdir(out) if d.startswith(PREVIOUS_PREFIX)
    )
    keep = None
    if found and not FileSystems.exists(FileSystems.join(out, RUN_MANIFEST)):
        keep = max(found, key=os.path.getmtime)
        restore_previous(keep, out)
    stale = [d for d in found if d != keep]
    if stale:
        FileSystems.delete(stale)
    return found


def _remove_empty_table_dirs(out: str) -> None:
    if "://" not in out:  # object stores have no empty directories to remove
        for table in SHARDED_TABLES:
            for directory in (
                os.path.join(out, table.name),
                os.path.join(out, AVRO_DIR, table.name),
            ):
                if os.path.isdir(directory) and not os.listdir(directory):
                    os.rmdir(directory)
        avro = os.path.join(out, AVRO_DIR)
        if os.path.isdir(avro) and not os.listdir(avro):
            os.rmdir(avro)


# What the release commands write into OUT about one audit run: they describe that
# run only, so a new audit into OUT sets them aside.
POST_AUDIT_FILES = (
    "gate.json",
    "gate",
    "report.html",
    "sample",
    "review",
    "croissant.json",
)
ARCHIVE_DIR = "archive"


def previous_run_id(out: str) -> str | None:
    """The run id in OUT/run.json, if OUT holds a readable finished audit."""
    try:
        with FileSystems.open(FileSystems.join(out, RUN_MANIFEST)) as f:
            run_id = json.loads(f.read().decode("utf-8")).get("run_id")
    except Exception:  # missing or unreadable: no previous run to name
        return None
    return run_id if isinstance(run_id, str) and run_id else None


def set_aside_post_audit(out: str, run_id: str | None, discard: bool) -> list[str]:
    """Moves the release commands' files of the previous run into
    OUT/archive/<run_id>/ (or deletes them with `discard`); returns their names."""
    present = [
        name
        for name in POST_AUDIT_FILES
        if FileSystems.exists(FileSystems.join(out, name))
    ]
    if not present:
        return []
    if discard:
        FileSystems.delete([FileSystems.join(out, name) for name in present])
        return present
    # The run id comes from a file in OUT: keep it to the run-id charset.
    safe = "".join(c if c.isalnum() or c in "._-" else "_" for c in run_id or "")
    target = FileSystems.join(out, ARCHIVE_DIR, safe.strip(".") or "unknown-run")
    for name in present:
        source = FileSystems.join(out, name)
        destination = FileSystems.join(target, name)
        if FileSystems.exists(destination):
            FileSystems.delete([destination])
        if "://" in out:  # object stores: move the objects under the prefix
            matches = FileSystems.match([source + "/**", source])
            paths = sorted({m.path for r in matches for m in r.metadata_list})
            FileSystems.rename(paths, [destination + p[len(source) :] for p in paths])
        else:
            os.makedirs(target, exist_ok=True)
            os.replace(source, destination)
    return present


def remove_stale_staging(out: str) -> list[str]:
    """Deletes staging directories left by runs that were killed before they finished
    (a run that finished removed its own). Returns what was removed."""
    if "://" not in out:
        stale = (
            sorted(
                os.path.join(out, d)
                for d in os.listdir(out)
                if d.startswith(STAGING_PREFIX)
            )
            if os.path.isdir(out)
            else []
        )
        if stale:
            FileSystems.delete(stale)
        return stale
    # Match the files inside: object stores have no directories to match.
    pattern = FileSystems.join(out, STAGING_PREFIX + "*", "**")
    try:
        stale = sorted(
            {
                m.path[: m.path.index(STAGING_PREFIX)]
                + m.path[m.path.index(STAGING_PREFIX) :].split("/")[0]
                for m in FileSystems.match([pattern])[0].metadata_list
            }
        )
    except Exception:  # nothing to match on a fresh or remote OUT
        return []
    if stale:
        FileSystems.delete(stale)
    return stale


def commit_tables(staging: str, out: str) -> None:
    """Moves every staged table into OUT and removes the staging directory."""
    for table in SHARDED_TABLES:
        sources = table_files(staging, table)
        if not sources:
            raise RuntimeError(f"the job wrote no {table.name} files under {staging}")
        destinations = [
            FileSystems.join(out, table.name, src.rsplit("/", 1)[-1]) for src in sources
        ]
        target = FileSystems.join(out, table.name)
        if not FileSystems.exists(target):
            FileSystems.mkdirs(target)
        FileSystems.rename(sources, destinations)
    staged_avro = FileSystems.join(staging, AVRO_DIR)
    for table in SHARDED_TABLES:
        sources = table_files(staged_avro, table)
        if not sources:
            continue
        target = FileSystems.join(out, AVRO_DIR, table.name)
        if not FileSystems.exists(target):
            FileSystems.mkdirs(target)
        FileSystems.rename(
            sources, [FileSystems.join(target, s.rsplit("/", 1)[-1]) for s in sources]
        )
    FileSystems.delete([staging])


def committed_files(out: str) -> list[str]:
    """The files in OUT that a commit writes: table files (Parquet and, with
    --avro, Avro), run.avro, run.json."""
    avro = FileSystems.join(out, AVRO_DIR)
    paths = [
        p
        for table in SHARDED_TABLES
        for p in (*table_files(out, table), *table_files(avro, table))
    ]
    for name in ("run.avro", RUN_MANIFEST):
        path = FileSystems.join(out, name)
        if FileSystems.exists(path):
            paths.append(path)
    return paths


def write_avro_record(path: str, table: Table, record: dict[str, Any]) -> None:
    import io

    import fastavro
    from corpusgate.schemas.avro import parsed_avro_schema

    buffer = io.BytesIO()
    fastavro.writer(buffer, parsed_avro_schema(table), [conform(table, record)])
    with FileSystems.create(path) as f:
        f.write(buffer.getvalue())


def write_counts(counts: dict[str, int], path: str) -> None:
    """The job's counts as one small JSON file (`manifest.read_counts`); a retried
    step writes the same file again."""
    with FileSystems.create(path) as f:
        f.write(json.dumps(counts, sort_keys=True).encode() + b"\n")


def write_json(path: str, payload: dict[str, Any]) -> None:
    data = json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=False).encode()
    with FileSystems.create(path) as f:
        f.write(data)
