"""The exact-duplicate composite, on TestPipeline."""

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Record
from corpusgate.detectors.exact_duplicate import ExactDuplicateDetector
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import JobContext
from corpusgate.pipelines.corpus.exact_duplicate import (
    ElectRepresentativeFn,
    ExactDuplicates,
)


def refs_with_keys(texts):
    detector = ExactDuplicateDetector()
    out = []
    for i, (doc_id, text) in enumerate(texts):
        record = Record(doc_id, "src", i, text)
        out.append((RecordRef.of(record), detector.features(record)))
    return out


def test_exact_duplicates_cluster_and_elect_smallest_doc_id(test_pipeline):
    features = refs_with_keys(
        [
            ("d3", "Same  text"),
            ("d1", "same text"),
            ("d2", "Same text"),
            ("d9", "other"),
            ("d0", "Ｓａｍｅ text"),
        ]
    )
    with test_pipeline() as p:
        out = {"features": p | beam.Create(features)} | ExactDuplicates(
            ExactDuplicateDetector({"fanout": 4}), JobContext("run")
        )
        assert_that(
            out["clusters"]
            | beam.MapTuple(
                lambda key, c: (key[1], c.representative_doc_id, c.is_duplicate, c.size)
            ),
            # d0 (full-width), d2 and d3 normalize to "Same text"; d1 is lower case
            # (exact duplicates are case-sensitive).
            equal_to(
                [
                    (0, "d0", True, 3),
                    (1, "d1", False, 1),
                    (2, "d0", True, 3),
                    (3, "d9", False, 1),
                    (4, "d0", False, 3),
                ]
            ),
            label="clusters",
        )
        assert_that(
            out["findings"]
            | beam.MapTuple(
                lambda ref, f: (ref.doc_id, f.related_doc_id, f.finding_type)
            ),
            equal_to(
                [("d3", "d0", "EXACT_DUPLICATE"), ("d2", "d0", "EXACT_DUPLICATE")]
            ),
            label="findings",
        )


def test_giant_exact_cluster_is_spread_over_salted_keys(test_pipeline):
    n = 3000
    features = refs_with_keys(
        [(f"doc{i:05d}", "the same boilerplate") for i in range(n)]
    )
    with test_pipeline() as p:
        out = {"features": p | beam.Create(features)} | ExactDuplicates(
            ExactDuplicateDetector({"fanout": 16}), JobContext("run")
        )
        assert_that(
            out["clusters"]
            | beam.MapTuple(
                lambda key, c: (c.representative_doc_id, c.size, c.is_duplicate)
            )
            | beam.combiners.Count.PerElement(),
            equal_to([(("doc00000", n, False), 1), (("doc00000", n, True), n - 1)]),
            label="one cluster",
        )


def test_elect_representative_combiner_merge_paths():
    fn = ElectRepresentativeFn()
    items = [("b", "s", 1), ("a", "s", 5), ("c", "s", 0), ("a", "r", 9)]
    sequential = fn.create_accumulator()
    for item in items:
        sequential = fn.add_input(sequential, item)
    left = fn.add_input(fn.add_input(fn.create_accumulator(), items[0]), items[1])
    right = fn.add_input(fn.add_input(fn.create_accumulator(), items[2]), items[3])
    merged = fn.merge_accumulators([left, fn.create_accumulator(), right])
    assert (
        fn.extract_output(sequential) == fn.extract_output(merged) == (("a", "r", 9), 4)
    )
