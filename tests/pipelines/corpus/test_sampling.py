"""Reproducible bounded samples: same input, same sample; merge paths agree."""

import random

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.pipelines.corpus.sampling import BottomKByHashFn, SampleByHashPerKey


def test_sample_is_bounded_reproducible_and_order_independent():
    fn = BottomKByHashFn(5, identity=str)
    items = list(range(200))
    expected = None
    for seed in range(4):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        acc = fn.create_accumulator()
        for x in shuffled:
            acc = fn.add_input(acc, x)
        out = fn.extract_output(acc)
        assert len(out) == 5
        expected = expected or out
        assert out == expected


def test_merge_paths_agree_with_sequential():
    fn = BottomKByHashFn(7, identity=str)
    items = list(range(100))
    sequential = fn.create_accumulator()
    for x in items:
        sequential = fn.add_input(sequential, x)
    parts = []
    for chunk in (items[:10], items[10:60], [], items[60:]):
        acc = fn.create_accumulator()
        for x in chunk:
            acc = fn.add_input(acc, x)
        parts.append(acc)
    merged = fn.merge_accumulators(parts)
    compacted = fn.merge_accumulators([fn.merge_accumulators(parts[:2]), *parts[2:]])
    assert fn.extract_output(merged) == fn.extract_output(sequential)
    assert fn.extract_output(compacted) == fn.extract_output(sequential)


def test_small_groups_are_kept_whole(test_pipeline):
    with test_pipeline() as p:
        out = (
            p
            | beam.Create(
                [("a", 1), ("a", 2), ("b", 3)] + [("c", i) for i in range(50)]
            )
            | SampleByHashPerKey(10, identity=str)
            | beam.MapTuple(
                lambda k, xs: (k, len(xs), sorted(xs)[:2] if k != "c" else None)
            )
        )
        assert_that(out, equal_to([("a", 2, [1, 2]), ("b", 1, [3]), ("c", 10, None)]))
