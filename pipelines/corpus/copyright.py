"""Reference overlap in Beam: reference fingerprints joined with the corpus's.

The reference works (`--reference`) are read inside the pipeline with Beam I/O: JSONL
files line by line (`ReadFromText`, splittable, so one huge file is read by many
workers), other files whole, one work per file. Their winnowed fingerprints form
the index, which is never held by one process: it is joined with the corpus's
fingerprints by hash (`CoGroupByKey`), so it scales with the shuffle, not with memory.

    reference works -> (hash, RefShingle) --+
                                            +--join by hash--> (record, hit)
    features -> (hash, (record, position)) -+                        |
    features -> (record, features) --------------join by record------+--> findings
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import apache_beam as beam
import numpy as np
from apache_beam.io.filesystems import FileSystems
from corpusgate.detectors.copyright import (
    CopyrightDetector,
    CopyrightFeatures,
    RefShingle,
    parse_reference_line,
    reference_works,
)
from corpusgate.pipelines.corpus.base import JobContext

log = logging.getLogger(__name__)

_JSONL = (".jsonl", ".ndjson", ".json")
_NONE = np.zeros(0, dtype=np.int64)


def _read_whole(path: str) -> Iterator[tuple[str, str]]:
    with FileSystems.open(path) as f:
        data = f.read()
    yield from reference_works(path, data)


class ReadReferences(beam.PTransform):
    """--reference paths (globs allowed) -> (reference_id, text)."""

    def __init__(self, paths: tuple[str, ...]) -> None:
        super().__init__()
        self._paths = paths

    def expand(self, pbegin):
        jsonl = [p for p in self._paths if p.lower().endswith(_JSONL)]
        whole = [p for p in self._paths if not p.lower().endswith(_JSONL)]
        streams = []
        for i, path in enumerate(jsonl):
            streams.append(
                pbegin
                | f"ReadJsonl{i}" >> beam.io.ReadFromText(path)
                | f"ParseJsonl{i}" >> beam.Filter(lambda line: line.strip())
                | f"Work{i}" >> beam.Map(parse_reference_line, path)
            )
        if whole:
            files = [
                m.path
                for p in whole
                for r in FileSystems.match([p])
                for m in r.metadata_list
            ]
            streams.append(
                pbegin
                | "TextFiles" >> beam.Create(files)
                | "ReadTextFiles" >> beam.FlatMap(_read_whole)
            )
        if not streams:
            return pbegin | "NoReferences" >> beam.Create([])
        return streams | "AllReferences" >> beam.Flatten()


class _ReferenceShingles(beam.DoFn):
    def __init__(self, detector: CopyrightDetector) -> None:
        self._detector = detector

    def process(self, work: tuple[str, str]) -> Iterator[Any]:
        ref_id, text = work
        for h, shingle in self._detector.reference_shingles(ref_id, text):
            yield (h, _to_wire(shingle))


def _to_wire(shingle: RefShingle) -> tuple[str, bytes, int]:
    """A RefShingle as a tuple of primitives: Beam encodes those directly, where a
    dataclass holding an array would be pickled (the index is the largest
    PCollection of the detector, so this is most of its shuffle cost)."""
    return (
        shingle.reference_id,
        shingle.context.astype("<u4").tobytes(),
        shingle.offset,
    )


def _from_wire(wire: tuple[str, bytes, int]) -> RefShingle:
    ref_id, context, offset = wire
    return RefShingle(ref_id, np.frombuffer(context, dtype="<u4"), offset)


def _hits(element, max_positions: int) -> Iterator[Any]:
    _hash, grouped = element
    refs = list(grouped["ref"])[:max_positions]
    if not refs:
        return
    for order, pos in grouped["corpus"]:
        for ref in refs:
            yield (order, (pos, ref))


class _Passages(beam.DoFn):
    def __init__(self, detector: CopyrightDetector) -> None:
        self._detector = detector

    def process(self, element) -> Iterator[Any]:
        _order, grouped = element
        hits = list(grouped["hit"])
        if not hits:
            return
        feats = list(grouped["feat"])
        if not feats:
            return
        ref, features = feats[0]
        hits = [(pos, _from_wire(wire)) for pos, wire in hits]
        for finding in self._detector.passages(features, hits):
            yield (ref, finding)


class ReferenceOverlap(beam.PTransform):
    consumes_clusters = False
    produces_clusters = False

    def __init__(self, detector: CopyrightDetector, job: JobContext) -> None:
        super().__init__()
        self._detector = detector
        self._references = tuple(job.references)
        if not self._references:
            log.warning("copyright: no --reference given; nothing can match")

    def expand(self, inputs: dict) -> dict:
        feats = inputs["features"]
        pipeline = feats.pipeline
        detector = self._detector
        by_record = feats | "KeyByRecord" >> beam.Map(
            lambda rf: ((rf[0].source, rf[0].record_index), rf)
        )
        corpus_fp = by_record | "CorpusFingerprints" >> beam.FlatMapTuple(
            lambda key, rf: (
                (h, (key, p))
                for h, p in zip(
                    rf[1].fingerprints.tolist(), rf[1].positions.tolist(), strict=True
                )
            )
        )
        ref_fp = (
            pipeline
            | "ReadReferences" >> ReadReferences(self._references)
            | "ReferenceShingles" >> beam.ParDo(_ReferenceShingles(detector))
        )
        hits = (
            {"ref": ref_fp, "corpus": corpus_fp}
            | "JoinByFingerprint" >> beam.CoGroupByKey()
            | "Hits"
            >> beam.FlatMap(_hits, int(detector.config["max_reference_positions"]))
        )
        # Only the folded text (not the fingerprints) travels to the passages step.
        folded = by_record | "FoldedOnly" >> beam.MapTuple(
            lambda key, rf: (
                key,
                (rf[0], CopyrightFeatures(rf[1].folded, _NONE, _NONE)),
            )
        )
        findings = (
            {"hit": hits, "feat": folded}
            | "JoinHitsWithRecord" >> beam.CoGroupByKey()
            | "Passages" >> beam.ParDo(_Passages(detector))
        )
        return {"findings": findings}
