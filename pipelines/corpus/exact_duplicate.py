"""Exact-duplicate clustering in Beam.

Records are keyed by content key (SHA-256 of normalized text). The representative of
each key (smallest doc_id) is elected with a combiner, which Beam lifts before the
shuffle, so one text repeated 100,000 times is summed in parts, not on one worker.
Members of duplicate clusters are then joined with their representative on
(content key, salt): the representative is fanned out to every salt, so a giant
cluster is spread over `fanout` keys instead of one hot key.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Iterator
from typing import Any

import apache_beam as beam
from corpusgate.detectors import clusters as cluster_ids
from corpusgate.detectors.exact_duplicate import (
    ExactDuplicateDetector,
    representative_order,
)
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import ClusterAssignment, JobContext


class ElectRepresentativeFn(beam.CombineFn):
    """(order tuple, count) over a key's records: the smallest order tuple wins."""

    def create_accumulator(self) -> tuple[Any, int]:
        return (None, 0)

    def add_input(self, acc, order):
        best, count = acc
        return (order if best is None or order < best else best, count + 1)

    def merge_accumulators(self, accumulators: Iterable[tuple[Any, int]]):
        best, count = None, 0
        for b, c in accumulators:
            if b is not None and (best is None or b < best):
                best = b
            count += c
        return (best, count)

    def extract_output(self, acc):
        return acc


def _salt(ref: RecordRef, fanout: int) -> int:
    return zlib.crc32(f"{ref.source}\0{ref.record_index}".encode()) % fanout


class _AssignMembers(beam.DoFn):
    def __init__(self, detector: ExactDuplicateDetector) -> None:
        self._detector = detector

    def process(self, element) -> Iterator[Any]:
        (content_key, _salt_value), grouped = element
        reps = list(grouped["rep"])
        if not reps:
            return
        (rep_doc_id, rep_source, rep_index), size = reps[0]
        cluster_id = cluster_ids.exact_duplicate(content_key)
        for ref in grouped["member"]:
            is_rep = (ref.source, ref.record_index) == (rep_source, rep_index)
            yield beam.pvalue.TaggedOutput(
                "clusters",
                (ref.key, ClusterAssignment(cluster_id, not is_rep, rep_doc_id, size)),
            )
            if not is_rep:
                yield (
                    ref,
                    self._detector.duplicate_finding(rep_doc_id, cluster_id, size),
                )


class ExactDuplicates(beam.PTransform):
    consumes_clusters = False
    produces_clusters = True

    def __init__(self, detector: ExactDuplicateDetector, job: JobContext) -> None:
        super().__init__()
        self._detector = detector
        self._fanout = max(1, int(detector.config["fanout"]))

    def expand(self, inputs: dict) -> dict:
        fanout = self._fanout
        keyed = inputs["features"] | "KeyByContent" >> beam.Map(
            lambda rf: (rf[1], rf[0])
        )
        elected = (
            keyed
            | "OrderTuple"
            >> beam.MapTuple(
                lambda key, ref: (key, representative_order(ref.doc_id, ref.key))
            )
            | "ElectRepresentative" >> beam.CombinePerKey(ElectRepresentativeFn())
        )
        # A text seen once is its own cluster: no join needed.
        singles = (
            elected
            | "Singletons" >> beam.Filter(lambda kv: kv[1][1] == 1)
            | "SingletonCluster"
            >> beam.MapTuple(
                lambda key, acc: (
                    (acc[0][1], acc[0][2]),
                    ClusterAssignment(
                        cluster_ids.exact_duplicate(key), False, acc[0][0], 1
                    ),
                )
            )
        )
        reps = (
            elected
            | "DuplicateClusters" >> beam.Filter(lambda kv: kv[1][1] > 1)
            | "FanOutRepresentative"
            >> beam.FlatMapTuple(
                lambda key, acc: (((key, s), acc) for s in range(fanout))
            )
        )
        members = keyed | "SaltMembers" >> beam.MapTuple(
            lambda key, ref: ((key, _salt(ref, fanout)), ref)
        )
        joined = (
            {"rep": reps, "member": members}
            | "JoinMembersWithRepresentative" >> beam.CoGroupByKey()
            | "AssignMembers"
            >> beam.ParDo(_AssignMembers(self._detector)).with_outputs(
                "clusters", main="findings"
            )
        )
        clusters = (joined.clusters, singles) | "AllClusters" >> beam.Flatten()
        return {"findings": joined.findings, "clusters": clusters}
