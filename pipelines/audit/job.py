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
import json
import logging
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Any

import apache_beam as beam
from apache_beam.io.filesystems import FileSystems
from apache_beam.options.pipeline_options import PipelineOptions, StandardOptions
from corpusgate.detectors import registry
from corpusgate.detectors.base import DetectorContext
from corpusgate.pipelines.audit.assemble import (
    AssembleDocuments,
    AssembleSources,
    CountRun,
)
from corpusgate.pipelines.audit.output_guard import output_lock
from corpusgate.pipelines.audit.progress import Progress
from corpusgate.pipelines.audit.scan import (
    DEAD_LETTERS_TAG,
    FINDINGS_TAG,
    MAX_FINDINGS_PER_RECORD,
    OVERFLOW_TAG,
    DetectorSpec,
    ScanRecords,
    features_tag,
    finding_row,
)
from corpusgate.pipelines.audit.write import (
    RUN_MANIFEST,
    WriteTable,
    commit_tables,
    committed_files,
    drop_previous,
    recover_set_aside,
    remove_stale_staging,
    restore_previous,
    set_aside_previous,
    staging_dir,
    table_file_digests,
    write_avro_record,
    write_json,
)
from corpusgate.pipelines.corpus import base as corpus
from corpusgate.pipelines.inputs import (
    DeadLetter,
    FileStats,
    InputFile,
    ReadOptions,
    RecordDecoder,
)
from corpusgate.schemas import (
    DEAD_LETTERS,
    DOCUMENTS,
    FINDINGS,
    RUN,
    SCHEMA_VERSION,
    SOURCES,
)

log = logging.getLogger(__name__)


def runtime_dependencies() -> list[str]:
    """The distributions corpusgate requires at run time, from its package metadata
    (pyproject.toml `dependencies`; extras such as dev are left out)."""
    try:
        requirements = metadata.requires("corpusgate") or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        if "extra ==" in requirement.replace('"', "").replace("'", ""):
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if match:
            names.append(match.group(0))
    return sorted(set(names), key=str.lower)


# Records a detector sees at once (the unit of one ScanRecords call).
BATCH_SIZE = 64


def new_run_id() -> str:
    stamp = _dt.datetime.now(_dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return f"{stamp}-{secrets.token_hex(4)}"


def corpusgate_version() -> str:
    try:
        return metadata.version("corpusgate")
    except metadata.PackageNotFoundError:
        return "0+unknown"


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


class _ReadFiles(beam.DoFn):
    def __init__(self, run_id: str, options: ReadOptions) -> None:
        self._run_id = run_id
        self._options = options

    def setup(self) -> None:
        self._decoder = RecordDecoder(self._options)
        self._progress = Progress("read")

    def teardown(self) -> None:
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.report()

    def process(self, input_file: InputFile):
        for item in self._decoder.read(input_file):
            if isinstance(item, DeadLetter):
                self._progress.add("records read")
                self._progress.add("dead letters")
                yield beam.pvalue.TaggedOutput(DEAD_LETTERS_TAG, item.row(self._run_id))
            elif isinstance(item, FileStats):
                self._progress.add("files")
                yield beam.pvalue.TaggedOutput("stats", item)
            else:
                self._progress.add("records read")
                yield item


class ReadCorpus(beam.PTransform):
    """Input files -> records (main), dead-letter rows, per-file statistics."""

    def __init__(
        self, run_id: str, inputs: list[InputFile], options: ReadOptions
    ) -> None:
        super().__init__()
        self._run_id = run_id
        self._inputs = inputs
        self._options = options

    def expand(self, pbegin):
        return (
            pbegin
            | "InputFiles" >> beam.Create(self._inputs)
            # Spread files over workers before the (expensive) decoding.
            | "SpreadFiles" >> beam.Reshuffle()
            | "DecodeRecords"
            >> beam.ParDo(_ReadFiles(self._run_id, self._options)).with_outputs(
                DEAD_LETTERS_TAG, "stats", main="records"
            )
        )


def build_pipeline(pipeline: beam.Pipeline, config: AuditConfig) -> None:
    run_id = config.run_id
    staging = staging_dir(config.out, run_id)
    context = DetectorContext(salt=config.salt)
    detectors = {s.name: s.build(context) for s in config.detectors}
    record_specs = [s for s in config.detectors if detectors[s.name].kind == "record"]
    corpus_specs = [s for s in config.detectors if detectors[s.name].kind == "corpus"]
    job = corpus.JobContext(run_id, config.references, config.baseline)

    read = pipeline | "ReadCorpus" >> ReadCorpus(run_id, config.inputs, config.read)

    scanned = (
        read.records
        # Keep batches small: a batch is the unit of work a detector sees at once.
        | "Batch"
        >> beam.BatchElements(min_batch_size=1, max_batch_size=config.batch_size)
        | "ScanRecords"
        >> beam.ParDo(
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
    )

    finding_streams = [scanned[FINDINGS_TAG]]
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
        finding_streams.append(
            outputs["findings"]
            | f"Rows_{spec.name}"
            >> beam.MapTuple(
                lambda ref, f, d=detector: (ref.key, finding_row(run_id, ref, d, f))
            )
        )
        if transform_cls.produces_clusters:
            clusters = outputs["clusters"]
    if clusters is None:
        clusters = pipeline | "NoClusters" >> beam.Create([])

    keyed_findings = finding_streams | "AllFindings" >> beam.Flatten()
    findings = keyed_findings | "FindingRows" >> beam.Values()
    dead_letters = (read[DEAD_LETTERS_TAG], scanned[DEAD_LETTERS_TAG]) | (
        "AllDeadLetters" >> beam.Flatten()
    )
    documents = {
        "docs": scanned.docs,
        "findings": keyed_findings,
        "clusters": clusters,
    } | "AssembleDocuments" >> AssembleDocuments(run_id)
    sources = {"stats": read.stats, "documents": documents} | (
        "AssembleSources" >> AssembleSources(run_id, config.inputs)
    )

    findings | "WriteFindings" >> WriteTable(FINDINGS, staging, config.avro)
    documents | "WriteDocuments" >> WriteTable(DOCUMENTS, staging, config.avro)
    sources | "WriteSources" >> WriteTable(SOURCES, staging, config.avro)
    dead_letters | "WriteDeadLetters" >> WriteTable(DEAD_LETTERS, staging, config.avro)

    (
        {
            "sources": sources,
            "documents": documents,
            "dead_letters": dead_letters,
            "findings": findings,
            "overflow": scanned[OVERFLOW_TAG],
        }
        | "CountRun" >> CountRun()
        | "CountsJson" >> beam.Map(lambda d: json.dumps(d, sort_keys=True))
        | "WriteCounts"
        >> beam.io.WriteToText(
            FileSystems.join(staging, "_counts"), num_shards=1, shard_name_template=""
        )
    )


class ReconciliationError(RuntimeError):
    pass


def _read_counts(staging: str) -> dict[str, int]:
    with FileSystems.open(FileSystems.join(staging, "_counts")) as f:
        lines = [line for line in f.read().decode().splitlines() if line.strip()]
    return json.loads(lines[0]) if lines else {}


def run_manifest(
    config: AuditConfig, raw_counts: dict[str, int], started_at: str, runner: str
) -> dict[str, Any]:
    findings_by_detector = sorted(
        (k.split(".", 1)[1], v)
        for k, v in raw_counts.items()
        if k.startswith("findings.")
    )
    inputs = sorted(
        (k.split("\0")[1], k.split("\0")[2], v)
        for k, v in raw_counts.items()
        if k.startswith("input\0")
    )
    counts = {
        "records_read": raw_counts.get("records_read", 0),
        "scanned": raw_counts.get("scanned", 0),
        "dead_lettered": raw_counts.get("dead_lettered", 0),
        "detector_errors": raw_counts.get("detector_errors", 0),
        "findings_over_cap": raw_counts.get("findings_over_cap", 0),
        "findings": sum(v for _, v in findings_by_detector),
        "findings_by_detector": [
            {"detector": d, "findings": n} for d, n in findings_by_detector
        ],
    }
    versions = {}
    for dist in runtime_dependencies():
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    detectors = [
        {
            "name": s.name,
            "version": registry.get(s.name).version_id(),
            "config_fingerprint": registry.get(s.name).config_fingerprint(s.config),
        }
        for s in config.detectors
    ]
    return {
        "run_id": config.run_id,
        "corpusgate_version": corpusgate_version(),
        "schema_version": SCHEMA_VERSION,
        "started_at": started_at,
        "finished_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "runner": runner,
        "argv": list(config.argv),
        "detectors": detectors,
        "inputs": [{"uri": u, "sha256": h, "bytes": b} for u, h, b in inputs],
        "counts": counts,
        "config": json.dumps(config.resolved(), sort_keys=True, default=str),
        "dependencies": json.dumps(versions, sort_keys=True),
        "files": [],  # filled in once the tables are committed
    }


LOCAL_RUNNERS = frozenset(
    {
        "directrunner",
        "switchingdirectrunner",
        "bundlebaseddirectrunner",
        "fnapirunner",
        "prismrunner",
        "interactiverunner",
    }
)
# Environments whose workers run in a Python the user prepared (nothing is installed).
PREPARED_ENVIRONMENTS = frozenset({"EXTERNAL", "LOOPBACK"})


def project_setup_file() -> str | None:
    """setup.py of the corpusgate source tree this code runs from, if it runs from one
    (an editable or source install); None for an installed wheel."""
    from pathlib import Path

    import corpusgate.pipelines as package

    candidate = Path(package.__file__).resolve().parent.parent / "setup.py"
    return str(candidate) if candidate.is_file() else None


def staging_args(beam_args: Sequence[str], runner_name: str) -> list[str]:
    """Beam options that ship corpusgate to remote workers, unless the user already
    chose how (`--setup_file`, `--extra_package(s)`), the runner is local, or the
    workers run in an environment the user prepared (EXTERNAL worker pools)."""
    if runner_name.rsplit(".", 1)[-1].lower() in LOCAL_RUNNERS:
        return []
    from apache_beam.options.pipeline_options import PortableOptions, SetupOptions

    options = PipelineOptions(list(beam_args))
    setup = options.view_as(SetupOptions)
    if setup.setup_file or setup.extra_packages:
        return []
    environment = (options.view_as(PortableOptions).environment_type or "").upper()
    if environment in PREPARED_ENVIRONMENTS:
        return []
    setup_file = project_setup_file()
    if setup_file is None:
        log.warning(
            "corpusgate is installed from a wheel: pass --extra_package=<wheel> or "
            "--sdk_container_image with corpusgate installed, so workers have it"
        )
        return []
    log.info("staging corpusgate to the workers with --setup_file=%s", setup_file)
    return [f"--setup_file={setup_file}"]


def _quiet_workers(beam_args: Sequence[str]) -> list[str]:
    """Beam's SDK workers log every channel they open at INFO; keep their logs to
    warnings and corpusgate's own progress lines unless the user set a level."""
    args = list(beam_args)
    if not any(a.startswith("--default_sdk_harness_log_level") for a in args):
        args.append("--default_sdk_harness_log_level=WARNING")
    if not any(a.startswith("--sdk_harness_log_level_overrides") for a in args):
        args.append('--sdk_harness_log_level_overrides={"corpusgate": "INFO"}')
    return args


def _runner_and_options(beam_args: Sequence[str]):
    beam_args = _quiet_workers(beam_args)
    options = PipelineOptions(list(beam_args))
    runner_name = options.view_as(StandardOptions).runner
    if runner_name is None:
        # Beam's default DirectRunner first tries to download a Prism binary; the
        # FnApiRunner runs in-process (or multi-process) with no network at all.
        from apache_beam.runners.portability.fn_api_runner import FnApiRunner

        return FnApiRunner(), options, "FnApiRunner"
    extra = staging_args(beam_args, runner_name) + job_service_args(
        beam_args, runner_name
    )
    if extra:
        options = PipelineOptions([*beam_args, *extra])
    return None, options, runner_name


# Runners that talk to a job service through Beam's job API.
JOB_API_RUNNERS = frozenset({"portablerunner", "flinkrunner", "sparkrunner"})
# Beam opens the job's state and message streams with `job_server_timeout` (300 s
# by default) as their deadline, so any audit longer than that fails on the client
# with a gRPC error while the job goes on. An audit may run for days.
JOB_STREAM_TIMEOUT_S = 7 * 24 * 3600
JOB_ENDPOINT_CONNECT_S = 30.0


def job_service_args(beam_args: Sequence[str], runner_name: str) -> list[str]:
    """`--job_server_timeout` long enough for a long audit when the job goes to a
    running job service (`--job_endpoint`), unless the user set it; first, a quick
    check that the endpoint accepts connections, because with the long timeout Beam
    would wait that long for a wrong one."""
    if runner_name.rsplit(".", 1)[-1].lower() not in JOB_API_RUNNERS:
        return []
    if any(
        a.startswith(("--job_server_timeout", "--job-server-timeout"))
        for a in beam_args
    ):
        return []
    from apache_beam.options.pipeline_options import PortableOptions

    endpoint = PipelineOptions(list(beam_args)).view_as(PortableOptions).job_endpoint
    if not endpoint or endpoint == "embed":
        # A job server Beam starts itself: the same timeout bounds the wait for it
        # to come up, so a long one could hide a server that never starts. Users
        # of long audits pass --job_server_timeout (README).
        return []
    check_job_endpoint(endpoint)
    return [f"--job_server_timeout={JOB_STREAM_TIMEOUT_S}"]


class JobEndpointError(RuntimeError):
    """The job service named by --job_endpoint does not accept connections."""


def check_job_endpoint(endpoint: str, timeout: float = JOB_ENDPOINT_CONNECT_S) -> None:
    import socket

    host, _, port = endpoint.rpartition(":")
    try:
        with socket.create_connection((host or "localhost", int(port)), timeout):
            pass
    except (OSError, ValueError) as e:
        raise JobEndpointError(
            f"--job_endpoint={endpoint}: no job service there ({e})"
        ) from None


def run_audit(config: AuditConfig, beam_args: Sequence[str] = ()) -> dict[str, Any]:
    """Runs the audit and returns the run manifest, written to OUT/run.json last.

    OUT is locked for the whole run; with `overwrite`, the previous audit is removed
    only once the new one has succeeded and reconciled."""
    with output_lock(config.out, config.run_id):
        return _run_locked(config, beam_args)


def _run_locked(config: AuditConfig, beam_args: Sequence[str]) -> dict[str, Any]:
    started_at = _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")
    runner, options, runner_name = _runner_and_options(beam_args)
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
    build_pipeline(pipeline, config)
    result = pipeline.run()
    result.wait_until_finish()
    raw_counts = _read_counts(staging)
    manifest = run_manifest(config, raw_counts, started_at, runner_name)
    c = manifest["counts"]
    if c["records_read"] != c["scanned"] + c["dead_lettered"]:
        raise ReconciliationError(
            f"counts do not reconcile: records_read={c['records_read']} != "
            f"scanned={c['scanned']} + dead_lettered={c['dead_lettered']}"
        )
    _validate_manifest(manifest)
    # The previous audit stays whole until the new one is committed: set aside,
    # then dropped on success or moved back on any failure.
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
    return manifest


def _validate_manifest(manifest: dict[str, Any]) -> None:
    """run.json must fit the RUN table definition (so its Avro/Arrow forms do too)."""
    import pyarrow as pa
    from corpusgate.schemas.arrow import arrow_schema

    pa.Table.from_pylist([manifest], schema=arrow_schema(RUN))
