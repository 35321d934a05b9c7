"""Joins per-record and corpus-level results into the `documents` and `sources` rows,
and the run's counts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

import apache_beam as beam
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue
from corpusgate.detectors.base import SEVERITY_RANK, max_severity
from corpusgate.detectors.decision import decide
from corpusgate.pipelines.audit.scan import DocInfo, pack_doc_info, unpack_doc_info
from corpusgate.pipelines.corpus.base import ClusterAssignment
from corpusgate.pipelines.inputs import PROVENANCE_KEYS, FileStats, InputFile
from corpusgate.pipelines.release.policy import load_policy

# `flagged_records` counts what the default policy's per-source rule counts; the
# decision itself is the gate's, under whatever policy it is given.
FLAGGED_SEVERITY = SEVERITY_RANK[
    load_policy().rules["source_flagged_rate"]["min_severity"]
]
# Provenance keys whose presence makes a source's provenance complete: who supplied
# it, how it was acquired, under which licence (docs/configuration.md).
REQUIRED_PROVENANCE = ("source_id", "acquisition", "license")


def document_row(
    run_id: str, info: DocInfo, corpus_findings=(), clusters=()
) -> dict[str, Any]:
    """The `documents` row of a record: its facts with its record detectors'
    findings (`info.findings`), the corpus detectors' findings for it and its
    cluster assignment (the last one given)."""
    findings = [*info.findings, *corpus_findings]
    clusters = list(clusters)
    cluster = clusters[-1] if clusters else None
    is_duplicate = bool(cluster and cluster.is_duplicate)
    return {
        "run_id": run_id,
        "doc_id": info.ref.doc_id,
        "source": info.ref.source,
        "record_index": info.ref.record_index,
        "source_name": info.ref.source_name,
        "content_sha256": info.content_sha256,
        "n_chars": info.n_chars,
        "language": info.language,
        "text_kind": info.text_kind,
        "label": info.ref.label,
        "n_findings": len(findings),
        "max_severity": max_severity([f[1] for f in findings]),
        "finding_types": sorted({f[3] for f in findings}),
        "cluster_id": cluster.cluster_id if cluster else None,
        "is_duplicate": is_duplicate,
        "decision": decide(((f[0], f[1], f[2]) for f in findings), is_duplicate),
    }


# Tags of the values joined by record.
DOC, FINDING, CLUSTER = range(3)


def _tagged_doc(info: DocInfo) -> tuple:
    return (info.ref.key, (DOC, pack_doc_info(info)))


def _tagged_finding(key, fact) -> tuple:
    return (key, (FINDING, fact))


def _tagged_cluster(key, c: ClusterAssignment) -> tuple:
    return (
        key,
        (CLUSTER, (c.cluster_id, c.is_duplicate, c.representative_doc_id, c.size)),
    )


class _JoinedDocumentRow(beam.DoFn):
    def __init__(self, run_id: str) -> None:
        self._run_id = run_id

    def process(self, element) -> Iterator[Any]:
        _key, values = element
        info, findings, clusters = None, [], []
        for tag, value in values:
            if tag == DOC:
                info = value
            elif tag == FINDING:
                findings.append(value)
            else:
                clusters.append(ClusterAssignment(*value))
        if info is None:  # findings for a record that was not scanned cannot happen
            return
        yield document_row(self._run_id, unpack_doc_info(info), findings, clusters)


class AssembleDocuments(beam.PTransform):
    """(DocInfo, (record key, `FindingFact`) of corpus detectors' findings, cluster
    assignments) ->
    `documents` rows. Without corpus detectors there is nothing to join: each
    DocInfo already holds its findings, and no shuffle is made.

    The join is a Flatten of tagged tuples and one GroupByKey: the DocInfo and
    ClusterAssignment dataclasses would be pickled at each of the three crossings
    (the Flatten, the GroupByKey's write and the runner's grouping), tuples of
    primitives are encoded directly, and a CoGroupByKey adds a transform per input
    and the building of its result."""

    def __init__(self, run_id: str) -> None:
        super().__init__()
        self._run_id = run_id

    def expand(self, inputs: Mapping[str, beam.PCollection]) -> beam.PCollection:
        run_id = self._run_id
        if "findings" not in inputs and "clusters" not in inputs:
            return inputs["docs"] | "DocumentRow" >> beam.Map(
                lambda d: document_row(run_id, d)
            )
        tagged = [inputs["docs"] | "KeyDocs" >> beam.Map(_tagged_doc)]
        if "findings" in inputs:
            tagged.append(
                inputs["findings"] | "TagFindings" >> beam.MapTuple(_tagged_finding)
            )
        if "clusters" in inputs:
            tagged.append(
                inputs["clusters"] | "TagClusters" >> beam.MapTuple(_tagged_cluster)
            )
        return (
            tagged
            | "RecordValues" >> beam.Flatten()
            | "JoinByRecord" >> beam.GroupByKey()
            | "DocumentRow" >> beam.ParDo(_JoinedDocumentRow(run_id))
        )


class _SourceRow(beam.DoFn):
    def __init__(
        self, run_id: str, provenance: Mapping[str, Mapping[str, Any]]
    ) -> None:
        self._run_id = run_id
        self._provenance = dict(provenance)

    def process(self, element) -> Iterator[dict]:
        source, values = element
        stats_list: list[FileStats] = []
        scanned, flagged = 0, 0
        for tag, value in values:
            if tag == STATS:
                stats_list.append(value)
            elif tag == SCANNED:
                scanned += value
            else:
                flagged += value
        if not stats_list:
            return
        stats = stats_list[0]
        provenance = self._provenance.get(source, {})
        row = {
            "run_id": self._run_id,
            "source": source,
            "file_sha256": stats.file_sha256,
            "bytes": stats.bytes,
            "records": stats.records,
            "dead_letters": stats.dead_letters,
            "format": stats.format,
            **{k: provenance.get(k) for k in PROVENANCE_KEYS},
            "provenance_complete": all(provenance.get(k) for k in REQUIRED_PROVENANCE),
            "flagged_records": flagged,
            "flagged_rate": flagged / scanned if scanned else 0.0,
        }
        yield row


# Tags of the values joined by source.
STATS, SCANNED, FLAGGED = range(3)


def _count_flags(document: dict) -> list[tuple[tuple[str, int], int]]:
    """A document counts as scanned in its source, and as flagged when its most
    severe finding reaches FLAGGED_SEVERITY."""
    severity = document["max_severity"]
    flagged = severity is not None and SEVERITY_RANK[severity] >= FLAGGED_SEVERITY
    source = document["source"]
    return [((source, SCANNED), 1), ((source, FLAGGED), int(flagged))]


def _by_source(key: tuple[str, int], n: int) -> tuple:
    source, tag = key
    return (source, (tag, n))


class AssembleSources(beam.PTransform):
    """Per-file reading statistics + per-file flag counts + provenance -> `sources`.

    The flags are summed per bundle and joined with the statistics in one grouping
    by source (a combine per source before a CoGroupByKey took a stage more)."""

    def __init__(self, run_id: str, inputs: list[InputFile]) -> None:
        super().__init__()
        self._run_id = run_id
        # Bounded by the number of input files, not records.
        self._provenance = {f.uri: f.provenance for f in inputs}

    def expand(self, inputs: Mapping[str, beam.PCollection]) -> beam.PCollection:
        stats = inputs["stats"] | "KeyStats" >> beam.Map(
            lambda s: (s.source, (STATS, s))
        )
        flags = inputs["documents"] | "FlagsPerSource" >> beam.ParDo(
            _CountPerBundle(_count_flags, _by_source)
        )
        return (
            (stats, flags)
            | "SourceValues" >> beam.Flatten()
            | "JoinBySource" >> beam.GroupByKey()
            | "SourceRow" >> beam.ParDo(_SourceRow(self._run_id, self._provenance))
        )


class SumCountsFn(beam.CombineFn):
    """(counter name, n) pairs -> {counter name: sum}: the run's counts in one
    combine (a sum per key and then a dict of the sums took two, a stage each)."""

    def create_accumulator(self) -> dict[str, int]:
        return {}

    def add_input(self, acc: dict[str, int], value: tuple[str, int]) -> dict[str, int]:
        key, n = value
        acc[key] = acc.get(key, 0) + n
        return acc

    def merge_accumulators(self, accumulators) -> dict[str, int]:
        merged: dict[str, int] = {}
        for acc in accumulators:
            for key, n in acc.items():
                merged[key] = merged.get(key, 0) + n
        return merged

    def extract_output(self, acc: dict[str, int]) -> dict[str, int]:
        return acc


class _CountPerBundle(beam.DoFn):
    """(key, n) pairs of each element (`count`), summed over the bundle and sent
    when it ends, as (key, sum) or as `out(key, sum)`: a few elements per bundle
    instead of one per document or finding (every multi-input Flatten is written and
    read by the local runner, so each element costs its encoding twice before the
    counts are combined)."""

    def __init__(
        self,
        count: Callable[[Any], Iterable[tuple[Any, int]]],
        out: Callable[[Any, int], Any] | None = None,
    ) -> None:
        self._count = count
        self._out = out

    def start_bundle(self) -> None:
        self._sums: Counter = Counter()

    def process(self, element) -> None:
        sums = self._sums
        for key, n in self._count(element):
            sums[key] += n

    def finish_bundle(self) -> Iterator[WindowedValue]:
        window, out = GlobalWindow(), self._out
        for item in self._sums.items():
            value = item if out is None else out(*item)
            yield WindowedValue(value, window.max_timestamp(), (window,))


def _count_read(source: dict) -> list[tuple[str, int]]:
    return [("records_read", source["records"])]


def _count_scanned(_document: dict) -> list[tuple[str, int]]:
    return [("scanned", 1)]


def _count_dead_letter(row: dict) -> list[tuple[str, int]]:
    scan = row["stage"].startswith("scan:")
    return [("detector_errors" if scan else "dead_lettered", 1)]


def _count_finding_batch(batch: list[dict]) -> Iterable[tuple[str, int]]:
    return Counter("findings." + f["detector"] for f in batch).items()


def _count_finding(row: dict) -> list[tuple[str, int]]:
    return [("findings." + row["detector"], 1)]


def _count_over_cap(n: int) -> list[tuple[str, int]]:
    return [("findings_over_cap", n)]


def _count_input_file(source: dict) -> list[tuple[str, int]]:
    return [
        ("input\0" + source["source"] + "\0" + source["file_sha256"], source["bytes"])
    ]


class CountRun(beam.PTransform):
    """The run's counts as one small dict (bounded: one entry per counter name);
    findings come as `finding_batches` (lists of rows: the scan's) and `findings`
    (rows: the corpus detectors', when there are any).

    Every count is summed per bundle before the Flatten and combined before the
    shuffle (combiner lifting), so counting moves only a handful of partial sums;
    with no count at all the dict is empty.
    """

    def expand(self, inputs: Mapping[str, beam.PCollection]) -> beam.PCollection:
        counted = [
            ("CountRead", "sources", _count_read),
            ("CountScanned", "documents", _count_scanned),
            ("CountDeadLetters", "dead_letters", _count_dead_letter),
            ("CountFindingBatches", "finding_batches", _count_finding_batch),
            ("CountFindings", "findings", _count_finding),
            ("CountOverCap", "overflow", _count_over_cap),
            ("InputFiles", "sources", _count_input_file),
        ]
        keyed_counts = [
            inputs[name] | label >> beam.ParDo(_CountPerBundle(count))
            for label, name, count in counted
            if name in inputs
        ]
        return (
            keyed_counts
            | "FlattenCounts" >> beam.Flatten()
            | "SumCounts" >> beam.CombineGlobally(SumCountsFn())
        )
