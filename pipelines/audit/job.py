"""The audit job: read -> scan -> corpus-level detectors -> assemble -> write.

INPUT --ReadCorpus--> records --ScanRecords--> findings, doc facts, features
                          |                         |
                     dead letters        corpus detectors (exact_duplicate, ...)
                                                     |
                     documents (join by record) <----+----> sources (join by file)
                                                     |
                        tables staged, moved into OUT, run.json last
"""

from __future__ import annotations

import datetime as _dt
import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from corpusgate.detectors.base import DetectorContext
from corpusgate.pipelines.audit import allocator, collector
from corpusgate.pipelines.audit.assemble import (
    AssembleDocuments,
    AssembleSources,
    CountRun,
)
from corpusgate.pipelines.audit.manifest import (
    ReconciliationError,
    read_counts,
    run_manifest,
    validate_manifest,
)
from corpusgate.pipelines.audit.output_guard import output_lock
from corpusgate.pipelines.audit.read import ReadCorpus, pack_batch, unpack_batch
from corpusgate.pipelines.audit.runner import in_one_process, runner_and_options
from corpusgate.pipelines.audit.scan import (
    DEAD_LETTERS_TAG,
    FINDINGS_TAG,
    MAX_FINDINGS_PER_RECORD,
    OVERFLOW_TAG,
    DetectorSpec,
    ScanRecords,
    features_tag,
    finding_fact,
    finding_row,
    unpack_finding,
)
from corpusgate.pipelines.audit.write import (
    ARCHIVE_DIR,
    COUNTS_FILE,
    RUN_MANIFEST,
    TableTarget,
    WriteTables,
    commit_tables,
    committed_files,
    drop_previous,
    previous_run_id,
    recover_set_aside,
    remove_stale_staging,
    restore_previous,
    set_aside_post_audit,
    set_aside_previous,
    staging_dir,
    table_file_digests,
    write_avro_record,
    write_counts,
    write_json,
)
from corpusgate.pipelines.corpus import base as corpus
from corpusgate.pipelines.inputs import (
    InputFile,
    ReadOptions,
)
from corpusgate.schemas import (
    DEAD_LETTERS,
    DOCUMENTS,
    FINDINGS,
    RUN,
    SOURCES,
)

log = logging.getLogger(__name__)


# File name prefix of the corpus detectors' findings shards (the scan's: "part").
CORPUS_FINDINGS_SHARDS = "part-corpus"
# Records a detector sees at once (the unit of one ScanRecords call).
BATCH_SIZE = 64


def new_run_id() -> str:
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(4)}"


@dataclass
class AuditConfig:
    """Everything a run needs, validated before the pipeline is built."""

    inputs: list[InputFile]
    out: str
    detectors: list[DetectorSpec]
    read: ReadOptions = field(default_factory=ReadOptions)
    run_id: str = field(default_factory=new_run_id)
    salt: bytes = b""
    references: tuple[str, ...] = ()
    baseline: str | None = None
    avro: bool = False
    overwrite: bool = False
    # With overwrite: delete the previous run's gate/report/sample/review files
    # instead of moving them into OUT/archive/<run_id>/.
    discard_post_audit: bool = False
    skipped_inputs: list[str] = field(default_factory=list)
    max_findings_per_record: int = MAX_FINDINGS_PER_RECORD
    batch_size: int = BATCH_SIZE
    argv: Sequence[str] = ()
    config_file: dict[str, Any] = field(default_factory=dict)

    def resolved(self) -> dict[str, Any]:
        """The resolved configuration as written to run.json (no salt)."""
        return {
            "out": self.out,
            "read": self.read.__dict__,
            "detectors": {s.name: s.config for s in self.detectors},
            "references": list(self.references),
            "baseline": self.baseline,
            "avro": self.avro,
            "max_findings_per_record": self.max_findings_per_record,
            "batch_size": self.batch_size,
            "salt": "configured"
            if self.config_file.get("salt_from")
            else "per-run (not stored)",
        }


def build_pipeline(
    pipeline: beam.Pipeline, config: AuditConfig, spread: bool = True
) -> None:
    """The audit's graph. With `spread`, files and then batches of records are
    spread over the workers by shuffles; without (a run in one process, which has
    nothing to spread them over), each file's records go from the reader to the scan
    in the same step."""
    run_id = config.run_id
    staging = staging_dir(config.out, run_id)
    context = DetectorContext(salt=config.salt)
    detectors = {s.name: s.build(context) for s in config.detectors}
    record_specs = [s for s in config.detectors if detectors[s.name].kind == "record"]
    corpus_specs = [s for s in config.detectors if detectors[s.name].kind == "corpus"]
    job = corpus.JobContext(
        run_id, config.references, config.baseline, in_one_process=not spread
    )

    # Records travel in batches from the reader on (a batch is the unit of work a
    # detector sees at once; kept small).
    read = pipeline | "ReadCorpus" >> ReadCorpus(
        run_id, config.inputs, config.read, config.batch_size, spread
    )

    batches = read.batches
    if spread:
        # Batches, not files, are spread over workers: one large file would
        # otherwise be scanned by a single worker process. They cross the shuffle
        # packed (pack_batch).
        batches = (
            batches
            | "PackBatches" >> beam.Map(pack_batch)
            | "SpreadBatches" >> beam.Reshuffle()
            | "UnpackBatches" >> beam.Map(unpack_batch)
        )
    scanned = batches | "ScanRecords" >> beam.ParDo(
        ScanRecords(
            run_id,
            record_specs,
            corpus_specs,
            config.salt,
            config.max_findings_per_record,
        )
    ).with_outputs(
        FINDINGS_TAG,
        DEAD_LETTERS_TAG,
        OVERFLOW_TAG,
        *(features_tag(s.name) for s in corpus_specs),
        main="docs",
    )

    # The scan's findings rows travel in batches (a list of `pack_finding` tuples per
    # batch of records) and are written in the scan's own stage: nothing waits for the
    # corpus detectors, and the launching process never holds them. The corpus
    # detectors' findings (far fewer) are rows with shards of their own in the same
    # table folder, and go to the documents join as (record key, FindingFact); a
    # record detector's facts are in its DocInfo already.
    corpus_rows = []
    corpus_facts = []
    clusters = None
    transforms = {s.name: corpus.transform_class(s.name) for s in corpus_specs}
    # Cluster producers first, so every consumer gets the clusters (the last
    # producer's: near duplicates contain the exact ones).
    ordered = sorted(
        corpus_specs, key=lambda s: not transforms[s.name].produces_clusters
    )
    for spec in ordered:
        detector = detectors[spec.name]
        transform_cls = transforms[spec.name]
        inputs = {"features": scanned[features_tag(spec.name)]}
        if transform_cls.consumes_clusters and clusters is not None:
            inputs["clusters"] = clusters
        outputs = inputs | f"Detect_{spec.name}" >> transform_cls(detector, job)
        rows = outputs["findings"] | f"Rows_{spec.name}" >> beam.MapTuple(
            lambda ref, f, d=detector: finding_row(run_id, ref, d, f)
        )
        corpus_rows.append(rows)
        corpus_facts.append(
            rows
            | f"Facts_{spec.name}"
            >> beam.Map(lambda r: ((r["source"], r["record_index"]), finding_fact(r)))
        )
        if transform_cls.produces_clusters:
            clusters = outputs["clusters"]

    finding_batches = scanned[FINDINGS_TAG] | "FindingRows" >> beam.Map(
        lambda batch: [unpack_finding(t) for t in batch]
    )
    corpus_findings = (
        corpus_rows | "CorpusFindings" >> beam.Flatten() if corpus_rows else None
    )
    dead_letters = (read[DEAD_LETTERS_TAG], scanned[DEAD_LETTERS_TAG]) | (
        "AllDeadLetters" >> beam.Flatten()
    )
    to_join: dict[str, Any] = {"docs": scanned.docs}
    if corpus_facts:
        to_join["findings"] = corpus_facts | "CorpusFindingFacts" >> beam.Flatten()
    if clusters is not None:
        to_join["clusters"] = clusters
    documents = to_join | "AssembleDocuments" >> AssembleDocuments(run_id)
    sources = {"stats": read.stats, "documents": documents} | (
        "AssembleSources" >> AssembleSources(run_id, config.inputs)
    )

    tables = [(TableTarget(FINDINGS, batched=True), finding_batches)]
    if corpus_findings is not None:
        tables.append((TableTarget(FINDINGS, CORPUS_FINDINGS_SHARDS), corpus_findings))
    tables += [
        (TableTarget(DOCUMENTS), documents),
        (TableTarget(SOURCES), sources),
        (TableTarget(DEAD_LETTERS), dead_letters),
    ]
    tuple(rows for _, rows in tables) | "WriteTables" >> WriteTables(
        staging, [target for target, _ in tables], config.avro
    )

    (
        {
            "sources": sources,
            "documents": documents,
            "dead_letters": dead_letters,
            "finding_batches": finding_batches,
            **({"findings": corpus_findings} if corpus_findings is not None else {}),
            "overflow": scanned[OVERFLOW_TAG],
        }
        | "CountRun" >> CountRun()
        | "WriteCounts"
        >> beam.Map(write_counts, FileSystems.join(staging, COUNTS_FILE))
    )


def run_audit(
    config: AuditConfig,
    beam_args: Sequence[str] = (),
    on_result: Callable[[Any], None] | None = None,
    worker_command: str | None = None,
) -> dict[str, Any]:
    """Runs the audit and returns the run manifest, written to OUT/run.json last.

    OUT is locked for the whole run; with `overwrite`, the previous audit is removed
    only once the new one has succeeded and reconciled. `on_result` gets Beam's
    pipeline result once the job has finished (its metrics: the profile).
    `worker_command` starts a local multi-process run's workers (warm workers)."""
    # Before the runner starts its threads (they would each get an arena).
    allocator.limit_arenas()
    with output_lock(config.out, config.run_id), collector.tuned():
        return _run_locked(config, beam_args, on_result, worker_command)


def _run_locked(
    config: AuditConfig,
    beam_args: Sequence[str],
    on_result: Callable[[Any], None] | None = None,
    worker_command: str | None = None,
) -> dict[str, Any]:
    started_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    runner, options, runner_name = runner_and_options(beam_args, worker_command)
    # With OUT locked, any staging directory is a killed run's.
    for stale in remove_stale_staging(config.out):
        log.warning("removed %s, left by an audit that did not finish", stale)
    for found in recover_set_aside(config.out):
        log.warning("recovered %s, set aside by an audit that did not finish", found)
    staging = staging_dir(config.out, config.run_id)
    log.info(
        "run %s: %d input file(s), detectors %s, runner %s",
        config.run_id,
        len(config.inputs),
        ",".join(s.name for s in config.detectors),
        runner_name,
    )
    pipeline = beam.Pipeline(runner=runner, options=options)
    build_pipeline(pipeline, config, spread=not in_one_process(options, runner_name))
    result = pipeline.run()
    result.wait_until_finish()
    if on_result is not None:
        on_result(result)
    raw_counts = read_counts(staging)
    manifest = run_manifest(config, raw_counts, started_at, runner_name)
    c = manifest["counts"]
    if c["records_read"] != c["scanned"] + c["dead_lettered"]:
        raise ReconciliationError(
            f"counts do not reconcile: records_read={c['records_read']} != "
            f"scanned={c['scanned']} + dead_lettered={c['dead_lettered']}"
        )
    validate_manifest(manifest)
    # The previous audit stays whole until the new one is committed: set aside,
    # then dropped on success or moved back on any failure.
    previous = previous_run_id(config.out) if config.overwrite else None
    aside = set_aside_previous(config.out, config.run_id) if config.overwrite else None
    before = set(committed_files(config.out))
    try:
        commit_tables(staging, config.out)
        if config.avro:
            write_avro_record(FileSystems.join(config.out, "run.avro"), RUN, manifest)
        manifest["files"] = table_file_digests(config.out)
        write_json(FileSystems.join(config.out, RUN_MANIFEST), manifest)
    except BaseException:
        if aside is not None:
            # What this run committed goes, so the previous audit can move back.
            for path in sorted(set(committed_files(config.out)) - before):
                FileSystems.delete([path])
            restore_previous(aside, config.out)
        raise
    if aside is not None:
        drop_previous(aside)
    if config.overwrite:
        # The release commands' files describe the previous run, not this one.
        moved = set_aside_post_audit(config.out, previous, config.discard_post_audit)
        if moved:
            archive = FileSystems.join(config.out, ARCHIVE_DIR, previous or "")
            where = "deleted" if config.discard_post_audit else f"moved to {archive}"
            log.warning(
                "previous run %s: %s %s (they describe that run, not this one)",
                previous or "(unknown)",
                ", ".join(moved),
                where,
            )
    return manifest
