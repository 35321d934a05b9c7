"""The one generic DoFn that runs every per-record detector over batches of records.

A new record detector needs no Beam code: it is built from its registry entry in
`setup()` (once per worker) and called here. The same pass computes what corpus-level
detectors need from the text (their `features`), so the text is read once.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

import apache_beam as beam
from apache_beam.metrics import Metrics
from corpusgate.detectors import registry
from corpusgate.detectors.base import (
    SEVERITY_RANK,
    CorpusDetector,
    DetectorContext,
    Finding,
    Record,
    RecordDetector,
)
from corpusgate.detectors.language import document_language
from corpusgate.detectors.masking import mask_excerpt
from corpusgate.detectors.text import sha256_hex
from corpusgate.detectors.text_kind import text_kind
from corpusgate.pipelines.audit import collector
from corpusgate.pipelines.audit.progress import Progress

log = logging.getLogger(__name__)

METRICS_NAMESPACE = "corpusgate"
FINDINGS_TAG = "findings"
DEAD_LETTERS_TAG = "dead_letters"
OVERFLOW_TAG = "findings_over_cap"  # findings beyond the per-record cap: counted only
SCAN_USECS = "scan_usecs."  # counter prefix: time per detector in the scan pass


def features_tag(detector_name: str) -> str:
    return f"features.{detector_name}"


@dataclass(frozen=True)
class RecordRef:
    """A record's identity without its text: what corpus-level stages carry around."""

    doc_id: str
    source: str
    record_index: int
    label: str | None = None
    source_name: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        return (self.source, self.record_index)

    @classmethod
    def of(cls, record: Record) -> RecordRef:
        return cls(
            record.doc_id,
            record.source,
            record.record_index,
            record.label,
            record.source_name,
        )


# What the `documents` row needs of one finding: (detector, severity, has a span,
# finding type).
FindingFact = tuple[str, str, bool, str]


@dataclass(frozen=True)
class DocInfo:
    """Per-record facts for the `documents` table, computed in the scan pass, with
    the facts of the record detectors' findings stored for it (under the cap): only
    corpus detectors' findings still have to be joined to it."""

    ref: RecordRef
    content_sha256: str
    n_chars: int
    language: str
    text_kind: str
    findings: tuple[FindingFact, ...] = ()


def pack_doc_info(info: DocInfo) -> tuple:
    """A DocInfo as a flat tuple of its values: what crosses a shuffle (Beam encodes
    tuples of primitives directly and pickles a dataclass)."""
    ref = info.ref
    return (
        ref.doc_id,
        ref.source,
        ref.record_index,
        ref.label,
        ref.source_name,
        info.content_sha256,
        info.n_chars,
        info.language,
        info.text_kind,
        info.findings,
    )


def unpack_doc_info(values: tuple) -> DocInfo:
    return DocInfo(RecordRef(*values[:5]), *values[5:])


@dataclass(frozen=True)
class DetectorSpec:
    """How to build a detector on a worker: picklable, cheap to ship."""

    name: str
    config: dict[str, Any]
    # The detector class, when it is not (yet) in the registry (tests, plug-ins).
    factory: type | None = None

    def build(self, context: DetectorContext) -> RecordDetector | CorpusDetector:
        cls = self.factory or registry.get(self.name)
        return cls(self.config, context)


def finding_row(
    run_id: str,
    ref: RecordRef,
    detector: RecordDetector | CorpusDetector,
    finding: Finding,
) -> dict[str, Any]:
    """A `findings` table row from a detector's Finding and the record's identity."""
    return {
        "run_id": run_id,
        "doc_id": ref.doc_id,
        "source": ref.source,
        "record_index": ref.record_index,
        "source_name": ref.source_name,
        "detector": detector.name,
        "detector_version": detector.version_id(),
        "finding_type": finding.finding_type,
        "risk_code": finding.risk_code,
        "annex_a": finding.annex_a,
        "sensitive": finding.sensitive,
        "severity": finding.severity,
        "severity_rank": SEVERITY_RANK[finding.severity],
        "score": float(finding.score),
        "start": finding.start,
        "end": finding.end,
        "evidence": finding.evidence,
        "value_hash": finding.value_hash,
        "related_doc_id": finding.related_doc_id,
        "cluster_id": finding.cluster_id,
        "reference_id": finding.reference_id,
        "details": None
        if finding.details is None
        else json.dumps(
            finding.details, ensure_ascii=False, sort_keys=True, default=str
        ),
    }


# The columns of a `finding_row`, in its order.
FINDING_COLUMNS = (
    "run_id",
    "doc_id",
    "source",
    "record_index",
    "source_name",
    "detector",
    "detector_version",
    "finding_type",
    "risk_code",
    "annex_a",
    "sensitive",
    "severity",
    "severity_rank",
    "score",
    "start",
    "end",
    "evidence",
    "value_hash",
    "related_doc_id",
    "cluster_id",
    "reference_id",
    "details",
)


def finding_fact(row: dict[str, Any]) -> FindingFact:
    return (
        row["detector"],
        row["severity"],
        row["start"] is not None,
        row["finding_type"],
    )


def pack_finding(row: dict[str, Any]) -> tuple:
    """A finding row as the tuple of its values (FINDING_COLUMNS): what travels
    between stages. A local runner holds what crosses from one stage to the next in
    the launching process (the corpus detectors' findings until all are done), and a
    dict repeats its 22 column names in each row."""
    return tuple(row[c] for c in FINDING_COLUMNS)


def unpack_finding(values: tuple) -> dict[str, Any]:
    return dict(zip(FINDING_COLUMNS, values, strict=True))


def detector_error_row(
    run_id: str, record: Record, detector_name: str, error: Exception
):
    # The exception text can quote the record (e.g. a regex or decode error): mask it.
    return {
        "run_id": run_id,
        "source": record.source,
        "record_index": record.record_index,
        "stage": f"scan:{detector_name}",
        "error_type": type(error).__name__,
        "message": mask_excerpt(str(error), limit=500),
        "raw_excerpt": mask_excerpt(record.text, limit=200),
    }


# Findings kept per record; more are counted (findings_over_cap), not written.
MAX_FINDINGS_PER_RECORD = 1000

# Detectors built and set up in this process before a job reached it (a warm worker,
# `warm.py`), as (spec, salt, detector); each is taken by the first ScanRecords
# instance that needs one equal to it (instances may run on several threads).
_PRELOADED: list[tuple[DetectorSpec, bytes, RecordDetector | CorpusDetector]] = []
_PRELOADED_LOCK = threading.Lock()


def preload(specs: Sequence[DetectorSpec], salt: bytes, shared: bool = False) -> None:
    """Builds and sets up the detectors of `specs` (as ScanRecords.setup would) and
    imports the Beam composites of the corpus detectors among them; `shared`: the
    workers will be forks of this process, so also what each detector leaves for
    first use (`load_deferred`), built once for all of them."""
    context = DetectorContext(salt=salt)
    for spec in specs:
        detector = spec.build(context)
        detector.setup()
        if shared:
            detector.load_deferred()
        if detector.kind == "corpus" and spec.factory is None:
            registry.load(
                registry.entry(spec.name).transform, "corpusgate.pipelines.corpus"
            )
        with _PRELOADED_LOCK:
            _PRELOADED.append((spec, salt, detector))
    collector.freeze_loaded()


def _set_up(
    spec: DetectorSpec, salt: bytes, context: DetectorContext
) -> RecordDetector | CorpusDetector:
    """A preloaded detector equal to `spec`, or a new one, set up."""
    with _PRELOADED_LOCK:
        for i, (preloaded, preloaded_salt, detector) in enumerate(_PRELOADED):
            if preloaded == spec and preloaded_salt == salt:
                del _PRELOADED[i]
                return detector
    detector = spec.build(context)
    detector.setup()
    return detector


class ScanRecords(beam.DoFn):
    """Batches of `Record` in; out:

    * main: `DocInfo` per record, with the facts of its findings;
    * `findings`: per batch, the list of its findings rows (`pack_finding`): rows
      travel and are written in batches, not one Beam element each;
    * `features.<name>`: (RecordRef, features) per record for each corpus detector;
    * `dead_letters`: a row per (record, detector) that raised — the record's other
      detectors' findings survive.
    """

    def __init__(
        self,
        run_id: str,
        record_detectors: Sequence[DetectorSpec],
        corpus_detectors: Sequence[DetectorSpec],
        salt: bytes,
        max_findings_per_record: int = MAX_FINDINGS_PER_RECORD,
    ) -> None:
        self._run_id = run_id
        self._record_specs = tuple(record_detectors)
        self._corpus_specs = tuple(corpus_detectors)
        self._salt = salt
        self._max_findings = max_findings_per_record
        self._scanned = Metrics.counter(METRICS_NAMESPACE, "records_scanned")
        self._findings = {
            s.name: Metrics.counter(METRICS_NAMESPACE, f"findings.{s.name}")
            for s in (*record_detectors, *corpus_detectors)
        }
        self._errors = {
            s.name: Metrics.counter(METRICS_NAMESPACE, f"errors.{s.name}")
            for s in (*record_detectors, *corpus_detectors)
        }
        self._capped_total = Metrics.counter(METRICS_NAMESPACE, "findings_over_cap")
        # Microseconds spent per detector (and on the documents' own facts: hash,
        # language, text kind), for `bench_pipeline.py --profile`.
        self._usecs = {
            name: Metrics.counter(METRICS_NAMESPACE, f"{SCAN_USECS}{name}")
            for name in (
                "facts",
                *(s.name for s in (*record_detectors, *corpus_detectors)),
            )
        }

    def setup(self) -> None:
        context = DetectorContext(salt=self._salt)
        self._record_detectors = [
            _set_up(s, self._salt, context) for s in self._record_specs
        ]
        self._corpus_detectors = [
            _set_up(s, self._salt, context) for s in self._corpus_specs
        ]
        # The models live as long as the worker: no collection needs to walk them.
        collector.freeze_loaded()
        self._progress = Progress("scan")

    def teardown(self) -> None:
        progress = getattr(self, "_progress", None)
        if progress is not None:
            progress.report()

    def process(self, batch: Sequence[Record]) -> Iterator[Any]:
        # Detector by detector over the whole batch: each detector's loop stays hot,
        # and its time is taken once per batch (the profile's per-detector split).
        refs = [RecordRef.of(r) for r in batch]
        clock = time.perf_counter_ns
        t0 = clock()
        infos = [
            DocInfo(
                ref=ref,
                content_sha256=sha256_hex(record.text),
                n_chars=len(record.text),
                language=document_language(record.text),
                text_kind=text_kind(record.text, record.meta),
            )
            for record, ref in zip(batch, refs, strict=True)
        ]
        batch = [
            replace(record, language=info.language, text_kind=info.text_kind)
            for record, info in zip(batch, infos, strict=True)
        ]
        self._usecs["facts"].inc((clock() - t0) // 1000)
        self._scanned.inc(len(batch))
        self._progress.add("scanned", len(batch))
        rows: list[list[dict[str, Any]]] = [[] for _ in batch]
        for detector in self._record_detectors:
            t0 = clock()
            n_found = 0
            for record, ref, record_rows in zip(batch, refs, rows, strict=True):
                try:
                    findings = detector.scan(record)
                except Exception as e:  # one detector failing must not lose the others
                    yield self._detector_error(record, detector, e)
                    continue
                n_found += len(findings)
                record_rows.extend(
                    finding_row(self._run_id, ref, detector, f) for f in findings
                )
            self._usecs[detector.name].inc((clock() - t0) // 1000)
            self._findings[detector.name].inc(n_found)
            if n_found:
                self._progress.add(f"findings.{detector.name}", n_found)
        packed: list[tuple] = []
        for info, record_rows in zip(infos, rows, strict=True):
            kept, over = self._capped(record_rows)
            if over:
                yield beam.pvalue.TaggedOutput(OVERFLOW_TAG, over)
            packed += map(pack_finding, kept)
            yield replace(info, findings=tuple(map(finding_fact, kept)))
        if packed:
            yield beam.pvalue.TaggedOutput(FINDINGS_TAG, packed)
        for detector in self._corpus_detectors:
            # Outputs are yielded after the clock stops: downstream steps run inside
            # a yield, and Beam times them as their own.
            t0 = clock()
            out = []
            for record, ref in zip(batch, refs, strict=True):
                try:
                    out.append((ref, detector.features(record)))
                except Exception as e:
                    out.append(self._detector_error(record, detector, e, warn=False))
            self._usecs[detector.name].inc((clock() - t0) // 1000)
            tag = features_tag(detector.name)
            for item in out:
                yield (
                    item
                    if isinstance(item, beam.pvalue.TaggedOutput)
                    else beam.pvalue.TaggedOutput(tag, item)
                )

    def _detector_error(self, record: Record, detector, error: Exception, warn=True):
        self._errors[detector.name].inc()
        if warn:
            self._progress.add(f"errors.{detector.name}")
            log.warning(
                "detector %s failed on %s#%d: %s",
                detector.name,
                record.source,
                record.record_index,
                type(error).__name__,
            )
        return beam.pvalue.TaggedOutput(
            DEAD_LETTERS_TAG,
            detector_error_row(self._run_id, record, detector.name, error),
        )

    def _capped(self, rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], int]:
        """A record's rows to store, and how many are over the cap."""
        if len(rows) <= self._max_findings:
            return rows, 0
        # Keep the most severe, most certain findings; the excess is counted.
        rows.sort(
            key=lambda r: (
                -SEVERITY_RANK[r["severity"]],
                -r["score"],
                r["start"] or 0,
            )
        )
        over = len(rows) - self._max_findings
        self._capped_total.inc(over)
        return rows[: self._max_findings], over
