"""The label-quality composite on TestPipeline: conflicting duplicates (exact and
near clusters), a flipped-label fixture, and the label-count combiner's merge path."""

import random

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Record
from corpusgate.detectors.labels import LabelsDetector
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import ClusterAssignment, JobContext
from corpusgate.pipelines.corpus.labels import HistogramFn, LabelCountsFn, LabelQuality

POS = "great superb lovely moving charming witty fresh bright warm".split()
NEG = "awful boring dull flat tired clumsy weak bland stale".split()
NEUTRAL = "the film story plot actor scene music camera script".split()


def _corpus():
    """200 reviews, 8 of them with flipped labels; two exact duplicates with different
    labels; a near-duplicate cluster with a split vote; one unlabelled record."""
    rng = random.Random(3)
    records, flipped = [], set()
    for i in range(200):
        label = "1" if i % 2 else "0"
        text = " ".join(
            rng.choices(POS if label == "1" else NEG, k=4) + rng.choices(NEUTRAL, k=6)
        )
        if i % 25 == 0:
            label = "1" if label == "0" else "0"
            flipped.add(f"d{i}")
        records.append(Record(f"d{i}", "f.jsonl", i, text, label))
    same = "the plot is a plot and the film is a film"
    records += [
        Record("x1", "f.jsonl", 300, same, "1"),
        Record("x2", "f.jsonl", 301, same + "  ", "0"),  # same normalized text
        Record("n1", "f.jsonl", 302, "near copy one", "1"),
        Record("n2", "f.jsonl", 303, "near copy two", "0"),
        Record("n3", "f.jsonl", 304, "near copy three", "1"),
        Record("u1", "f.jsonl", 305, same, None),  # unlabelled: skipped
    ]
    clusters = [
        ((("f.jsonl", 302 + k)), ClusterAssignment("near1", k > 0, "n1", 3))
        for k in range(3)
    ]
    return records, flipped, clusters


def _check(flipped):
    def check(rows):
        by_type = {}
        for doc_id, ftype, score in rows:
            if score >= 0.5:
                by_type.setdefault(ftype, set()).add(doc_id)
        assert by_type["LABEL_CONFLICT"] == {"x1", "x2", "n1", "n2", "n3"}
        suspects = by_type.get("LABEL_SUSPECT", set())
        assert len(suspects & flipped) >= 6, suspects
        assert len(suspects - flipped - {"x1", "x2", "n1", "n2", "n3"}) <= 2, suspects
        assert not any(d == "u1" for d, _, _ in rows)

    return check


def test_conflicts_and_flipped_labels_are_found(test_pipeline):
    records, flipped, clusters = _corpus()
    detector = LabelsDetector({"buckets": 4096, "min_labelled": 20})
    feats = [(RecordRef.of(r), detector.features(r)) for r in records]
    with test_pipeline() as p:
        out = {
            "features": p | "Features" >> beam.Create(feats),
            "clusters": p | "Clusters" >> beam.Create(clusters),
        } | LabelQuality(detector, JobContext("run"))
        rows = out["findings"] | beam.Map(
            lambda rf: (rf[0].doc_id, rf[1].finding_type, rf[1].score)
        )
        assert_that(rows, _check(flipped))


def test_label_counts_merge_equals_sequential(test_pipeline):
    items = [("1", "d3"), ("0", "d9"), ("1", "d1"), ("0", "d2"), ("1", "d7")]
    fn = LabelCountsFn()
    seq = fn.create_accumulator()
    for item in items:
        seq = fn.add_input(seq, item)
    parts = []
    for k in range(2):
        acc = fn.create_accumulator()
        for item in items[k::2]:
            acc = fn.add_input(acc, item)
        parts.append(acc)
    expected = {"1": (3, "d1"), "0": (2, "d2")}
    assert fn.extract_output(fn.merge_accumulators(parts)) == expected
    assert fn.extract_output(fn.merge_accumulators([seq])) == expected
    with test_pipeline() as p:
        out = p | beam.Create([("k", i) for i in items]) | beam.CombinePerKey(fn)
        assert_that(out, equal_to([("k", expected)]))


def test_margin_histogram_merge_equals_sequential():
    import numpy as np

    fn = HistogramFn(16)
    items = [0, 3, 3, 15, 7, 3, 0]
    seq = fn.create_accumulator()
    for b in items:
        seq = fn.add_input(seq, b)
    parts = []
    for k in range(3):
        acc = fn.create_accumulator()
        for b in items[k::3]:
            acc = fn.add_input(acc, b)
        parts.append(acc)
    merged = fn.extract_output(fn.merge_accumulators(parts))
    np.testing.assert_array_equal(merged, fn.extract_output(seq))
    assert merged[3] == 3 and merged.sum() == len(items)
