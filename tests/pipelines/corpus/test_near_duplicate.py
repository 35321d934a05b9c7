"""The near-duplicate composite and its connected components, on TestPipeline."""

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors import clusters
from corpusgate.detectors.base import Record
from corpusgate.detectors.near_duplicate import NearDuplicateDetector
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import JobContext
from corpusgate.pipelines.corpus.near_duplicate import (
    BucketMembers,
    Components,
    InMemorySteps,
    NearDuplicates,
    _components,
    _near_duplicates,
)

from tests.detectors.test_near_duplicate import (
    BASE,
    NEAR_1,
    NEAR_2,
    PARAPHRASE,
    ZH,
    ZH_NEAR,
)


def feature_pairs(detector, texts):
    detector.setup()
    out = []
    for i, (doc_id, text) in enumerate(texts):
        record = Record(doc_id, "f.jsonl", i, text)
        out.append((RecordRef.of(record), detector.features(record)))
    return out


# Both ways of running the composite: its steps as Beam transforms, or (a run in one
# process) all records to one DoFn that runs the same steps in memory.
IN_ONE_PROCESS = pytest.mark.parametrize("in_one_process", [False, True])


@IN_ONE_PROCESS
def test_planted_pairs_cluster_with_smallest_doc_id_as_representative(
    test_pipeline, in_one_process
):
    det = NearDuplicateDetector({"max_rounds": 2})  # fewer stages: a faster test
    texts = [
        ("c", BASE),
        ("a", NEAR_1),
        ("b", NEAR_2),
        ("p", PARAPHRASE),
        ("z2", ZH_NEAR),
        ("z1", ZH),
        ("lonely", "completely unrelated words here"),
    ]
    with test_pipeline() as p:
        out = {"features": p | beam.Create(feature_pairs(det, texts))} | NearDuplicates(
            det, JobContext("run", in_one_process=in_one_process)
        )
        rep_a = clusters.near_duplicate(("f.jsonl", 1))
        rep_z = clusters.near_duplicate(("f.jsonl", 5))
        assert_that(
            out["clusters"]
            | beam.MapTuple(
                lambda key, c: (
                    key[1],
                    c.cluster_id,
                    c.is_duplicate,
                    c.representative_doc_id,
                    c.size,
                )
            ),
            equal_to(
                [
                    (0, rep_a, True, "a", 3),
                    (1, rep_a, False, "a", 3),
                    (2, rep_a, True, "a", 3),
                    (3, clusters.near_duplicate(("f.jsonl", 3)), False, "p", 1),
                    (4, rep_z, True, "z1", 2),
                    (5, rep_z, False, "z1", 2),
                    (6, clusters.near_duplicate(("f.jsonl", 6)), False, "lonely", 1),
                ]
            ),
            label="clusters",
        )

        def check_findings(items):
            got = sorted(
                (ref.doc_id, f.related_doc_id, f.finding_type) for ref, f in items
            )
            assert got == [
                ("b", "a", "NEAR_DUPLICATE"),
                ("c", "a", "NEAR_DUPLICATE"),
                ("z2", "z1", "NEAR_DUPLICATE"),
            ]
            for _, f in items:
                assert 0.5 <= f.details["similarity"] <= 1.0
                assert f.details["cluster_size"] in (2, 3)

        assert_that(out["findings"], check_findings, label="findings")


@IN_ONE_PROCESS
def test_giant_exact_cluster_spreads_over_salts_and_stays_one_cluster(
    test_pipeline, in_one_process
):
    # Small bands and a low hot-bucket limit exercise the salted paths; the
    # 100,000-copy case is measured in scripts/bench_dedup.py.
    det = NearDuplicateDetector(
        {"bands": 2, "rows": 2, "hot_bucket": 8, "fanout": 4, "max_rounds": 1}
    )
    texts = [(f"d{i:05d}", BASE) for i in range(2000)] + [("x", PARAPHRASE)]
    with test_pipeline() as p:
        out = {"features": p | beam.Create(feature_pairs(det, texts))} | NearDuplicates(
            det, JobContext("run", in_one_process=in_one_process)
        )
        assert_that(
            out["clusters"]
            | beam.MapTuple(
                lambda _k, c: (c.representative_doc_id, c.size, c.is_duplicate)
            )
            | beam.combiners.Count.PerElement(),
            equal_to(
                [
                    (("d00000", 2000, True), 1999),
                    (("d00000", 2000, False), 1),
                    (("x", 1, False), 1),
                ]
            ),
            label="clusters",
        )
        assert_that(
            out["findings"] | beam.combiners.Count.Globally(),
            equal_to([1999]),
            label="findings",
        )


def o(name):
    return (name, "f", int(name[1:]))


def test_components_follow_chains_and_hubs(test_pipeline):
    # v1-v2-v3-v4 chain (one round per hop), a hub v10 spread over salts, and a
    # separate pair v20-v21; edges are (head, tail, salt, similarity, measure).
    chain = [(o("v3"), o("v4"), 0), (o("v2"), o("v3"), 0), (o("v1"), o("v2"), 0)]
    hub = [(o("v10"), o(f"v{i}"), i % 3) for i in range(11, 16)]
    pair = [(o("v20"), o("v21"), 0)]
    edges = [(h, t, s, 0.9, "jaccard") for h, t, s in chain + hub + pair]
    expected = (
        [(f"v{i}", "v1") for i in range(1, 5)]
        + [(f"v{i}", "v10") for i in range(10, 16)]
        + [("v20", "v20"), ("v21", "v20")]
    )
    with test_pipeline() as p:
        labels = p | beam.Create(edges) | Components(max_rounds=2)
        assert_that(
            labels | beam.MapTuple(lambda v, lb: (v[0], lb[0][0])),
            equal_to(expected),
        )
    in_memory = _components(InMemorySteps(), edges, 2)
    assert sorted((v[0], lb[0][0]) for v, lb in in_memory) == sorted(expected)
    # One round fewer: the chain's far end has not heard of v1 yet, in both.
    short = {v[0]: lb[0][0] for v, lb in _components(InMemorySteps(), edges, 1)}
    assert short["v4"] == "v2"


def test_in_memory_steps_give_the_beam_steps_outputs(test_pipeline):
    # Hot buckets, salts, chains and pairs that fail verification: every output of
    # the two ways compared whole (findings with their details, cluster rows).
    import random

    rng = random.Random(5)
    words = BASE.split()
    texts = [(f"d{i:03d}", BASE) for i in range(12)]
    for i in range(60):
        mutated = list(words)
        for _ in range(rng.randint(0, 12)):
            mutated[rng.randrange(len(mutated))] = rng.choice(["x", "y", "z", "w"])
        texts.append((f"m{i:03d}", " ".join(mutated)))
    texts += [("p", PARAPHRASE), ("z1", ZH), ("z2", ZH_NEAR), ("e1", ""), ("e2", "")]
    rng.shuffle(texts)
    config = {"hot_bucket": 8, "fanout": 3, "max_rounds": 2}

    det = NearDuplicateDetector(config)
    features = feature_pairs(det, texts)
    in_memory = _near_duplicates(InMemorySteps(), features, det, 3, 8, 2)
    with test_pipeline() as p:
        out = {"features": p | beam.Create(features)} | NearDuplicates(
            NearDuplicateDetector(config), JobContext("run")
        )
        for name in ("findings", "clusters"):
            assert_that(out[name], equal_to(in_memory[name]), label=name)
    assert len(in_memory["clusters"]) == len(texts)
    assert len(in_memory["findings"]) > 20


def _accumulators(fn, parts):
    """One accumulator per part, as each bundle of a combine would build it."""
    accs = []
    for part in parts:
        acc = fn.create_accumulator()
        for value in part:
            acc = fn.add_input(acc, value)
        accs.append(acc)
    return accs


@pytest.mark.parametrize(
    ("parts", "cap", "expected"),
    [
        ([[3, 1, 2]], 4, (1, 3, (1, 2, 3))),
        ([[3, 1], [2, 5]], 4, (1, 4, (1, 2, 3, 5))),
        ([[3, 1], [2, 5, 4]], 4, (1, 5, None)),  # over the cap: members dropped
        ([[9, 8, 7, 6, 5]], 4, (5, 5, None)),
        ([[4], []], 4, (4, 1, (4,))),
    ],
)
def test_bucket_members_keeps_members_up_to_the_cap(parts, cap, expected):
    fn = BucketMembers(cap)
    accs = _accumulators(fn, parts)
    best, n, members = fn.extract_output(fn.merge_accumulators(accs))
    assert (best, n, None if members is None else tuple(sorted(members))) == expected


def test_bucket_members_matches_a_plain_count_on_random_splits():
    import random

    rng = random.Random(3)
    fn = BucketMembers(4)
    for _ in range(300):
        values = rng.sample(range(100), rng.randint(1, 9))
        parts, i = [], 0
        while i < len(values):
            k = rng.randint(0, 4)
            parts.append(values[i : i + k])
            i += k
        accs = _accumulators(fn, parts)
        while len(accs) > 1:  # merged in random pairs, as bundles are
            a, b = accs.pop(rng.randrange(len(accs))), accs.pop()
            accs.append(fn.merge_accumulators([a, b]))
        best, n, members = fn.extract_output(accs[0])
        assert (best, n) == (min(values), len(values))
        if len(values) <= 4:
            assert sorted(members) == sorted(values)
        else:
            assert members is None


def test_bucket_tables_flushed_in_parts_give_the_same_links(monkeypatch):
    # Records' band entries go to per-bundle tables sent every BUCKET_FLUSH entries;
    # however the tables are cut, merging them per partition yields the same edges.
    from corpusgate.pipelines.corpus import near_duplicate as nd

    det = NearDuplicateDetector()
    texts = [(f"d{i}", BASE) for i in range(3)] + [("n", NEAR_1), ("x", PARAPHRASE)]
    elements = feature_pairs(det, texts)

    def links(flush):
        monkeypatch.setattr(nd, "BUCKET_FLUSH", flush)
        fn = nd._PerRecord(cap=64)
        fn.start_bundle()
        tables = {}
        for element in elements:
            for out in fn.process(element):
                if not isinstance(out, beam.pvalue.TaggedOutput):
                    tables.setdefault(out[0], []).append(out[1])
        for wv in fn.finish_bundle():
            tables.setdefault(wv.value[0], []).append(wv.value[1])
        bucket_links = nd._BucketLinks(64)
        bucket_links.start_bundle()
        got = [
            out
            for partition, parts in tables.items()
            for out in bucket_links.process((partition, parts))
        ]
        # A bundle sends each link once, however many buckets repeat it.
        assert len(got) == len(set(got))
        return set(got)

    whole = links(10**9)
    assert whole == links(1) == links(7)
    heads = {order for order, (tag, _v) in whole if tag == nd.HEAD_OF}
    assert ("d0", "f.jsonl", 0) in heads
    d0 = ("d0", "f.jsonl", 0)
    assert (("d1", "f.jsonl", 1), (nd.TAIL_OF, (d0, 0))) in whole
    assert (("x", "f.jsonl", 4), (nd.TAIL_OF, (("d0", "f.jsonl", 0), 0))) not in whole
