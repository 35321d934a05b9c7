"""Reproducible bounded samples.

`beam.combiners.Sample.FixedSizePerKey` draws at random, so a model fitted on its sample
(and every finding that model produces) changes from run to run. Here the sample is the
`k` elements with the smallest hash of a stable id: the same input always gives the
same sample, in the same order, on any runner and any number of workers, and the
combiner is mergeable (Beam lifts it before the shuffle).
"""

from __future__ import annotations

import hashlib
import heapq
from collections.abc import Callable, Iterable
from typing import Any

import apache_beam as beam


def stable_hash(identity: str) -> int:
    return int.from_bytes(
        hashlib.blake2b(identity.encode(), digest_size=8).digest(), "big"
    )


class BottomKByHashFn(beam.CombineFn):
    """The `k` inputs whose `identity(x)` hashes smallest, sorted by that hash.

    The accumulator is a max-heap of at most k (-hash, identity, element) entries, so
    memory is bounded by k whatever the group size.
    """

    def __init__(self, k: int, identity: Callable[[Any], str]) -> None:
        self._k = k
        self._identity = identity

    def create_accumulator(self) -> list:
        return []

    def _push(self, heap: list, entry: tuple) -> list:
        if len(heap) < self._k:
            heapq.heappush(heap, entry)
        elif entry > heap[0]:  # smaller hash than the current largest kept
            heapq.heapreplace(heap, entry)
        return heap

    def add_input(self, heap: list, element: Any) -> list:
        identity = self._identity(element)
        return self._push(heap, (-stable_hash(identity), identity, element))

    def merge_accumulators(self, heaps: Iterable[list]) -> list:
        merged: list = []
        for heap in heaps:
            for entry in heap:
                merged = self._push(merged, entry)
        return merged

    def extract_output(self, heap: list) -> list:
        return [element for _, _, element in sorted(heap, key=lambda e: (-e[0], e[1]))]


class SampleByHashPerKey(beam.PTransform):
    """(key, element) -> (key, [at most k elements]), reproducibly."""

    def __init__(self, k: int, identity: Callable[[Any], str]) -> None:
        super().__init__()
        self._fn = BottomKByHashFn(k, identity)

    def expand(self, pcoll):
        return pcoll | "BottomKByHash" >> beam.CombinePerKey(self._fn)
