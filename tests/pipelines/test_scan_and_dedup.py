"""The generic scan DoFn and the exact-duplicate composite, on TestPipeline."""

from typing import ClassVar

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Finding, Record, RecordDetector
from corpusgate.detectors.exact_duplicate import ExactDuplicateDetector
from corpusgate.pipelines.corpus import JobContext
from corpusgate.pipelines.dedup import ElectRepresentativeFn, ExactDuplicates
from corpusgate.pipelines.scan import (
    DEAD_LETTERS_TAG,
    FINDINGS_TAG,
    DetectorSpec,
    RecordRef,
    ScanRecords,
    features_tag,
)


class FlakyDetector(RecordDetector):
    """Raises on records whose text contains 'boom'; finds 'word' otherwise."""

    name: ClassVar[str] = "flaky"
    version: ClassVar[str] = "0.1"

    def scan(self, record):
        if "boom" in record.text:
            raise ValueError(f"cannot handle {record.text}")
        return (
            [Finding("WORD", "info", 0.9, "r", "w***", start=0, end=4)]
            if (record.text.startswith("word"))
            else []
        )


class CountingDetector(RecordDetector):
    name: ClassVar[str] = "counting"
    version: ClassVar[str] = "0.1"

    def scan(self, record):
        return [Finding("ANY", "low", 0.5, "r", "*")]


def test_scan_dead_letters_one_detector_and_keeps_the_others(test_pipeline):
    records = [Record("a", "f", 0, "word one"), Record("b", "f", 1, "boom 13812345678")]
    specs = [
        DetectorSpec("flaky", {}, FlakyDetector),
        DetectorSpec("counting", {}, CountingDetector),
    ]
    corpus = [DetectorSpec("exact_duplicate", ExactDuplicateDetector().config)]
    with test_pipeline() as p:
        out = (
            p
            | beam.Create([records])
            | beam.ParDo(ScanRecords("run", specs, corpus, b"salt")).with_outputs(
                FINDINGS_TAG,
                DEAD_LETTERS_TAG,
                features_tag("exact_duplicate"),
                main="docs",
            )
        )
        assert_that(
            out.docs | beam.Map(lambda d: (d.ref.doc_id, d.n_chars, d.language)),
            equal_to([("a", 8, "en"), ("b", 16, "en")]),
            label="docs",
        )
        assert_that(
            out[FINDINGS_TAG]
            | beam.Map(
                lambda kv: (kv[1]["doc_id"], kv[1]["detector"], kv[1]["finding_type"])
            ),
            equal_to(
                [
                    ("a", "flaky", "WORD"),
                    ("a", "counting", "ANY"),
                    ("b", "counting", "ANY"),
                ]
            ),
            label="findings",
        )

        def check_dead(rows):
            [row] = rows
            assert (row["stage"], row["error_type"], row["record_index"]) == (
                "scan:flaky",
                "ValueError",
                1,
            )
            assert "13812345678" not in row["message"] + row["raw_excerpt"]

        assert_that(out[DEAD_LETTERS_TAG], check_dead, label="dead")
        assert_that(
            out[features_tag("exact_duplicate")] | beam.Map(lambda rf: rf[0].doc_id),
            equal_to(["a", "b"]),
            label="features",
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
