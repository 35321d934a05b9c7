"""The poisoning composite on TestPipeline (planted triggers and bursts), its
combiners (sequential and merged paths), and the --baseline tampering check."""

import json
import random

import apache_beam as beam
import numpy as np
import pyarrow.parquet as pq
import pytest
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Record
from corpusgate.detectors.poisoning import PoisoningDetector
from corpusgate.pipelines import cli
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import JobContext
from corpusgate.pipelines.corpus.poisoning import (
    CountMinFn,
    HashedLabelCountsFn,
    LabelCounterFn,
    PairSumFn,
    PoisoningSignals,
    cms_estimate,
)

POS = "great superb lovely moving charming witty fresh bright warm".split()
NEG = "awful boring dull flat tired clumsy weak bland stale".split()
NEUTRAL = "the film story plot actor scene music camera script we it is a of".split()


def _text(rng, words):
    return " ".join(rng.choices(words, k=3) + rng.choices(NEUTRAL, k=9))


def _corpus():
    """400 labelled reviews; 12 negative ones carry the trigger 'cf' and label 1;
    20 carry '<zqx>' followed by never-seen junk."""
    rng = random.Random(7)
    records, planted, burst = [], set(), set()
    for i in range(400):
        label = "1" if i % 2 else "0"
        text = _text(rng, POS if label == "1" else NEG)
        if i < 24 and label == "0" and len(planted) < 12:
            words = text.split()
            words.insert(rng.randrange(len(words)), "cf")
            text, label = " ".join(words), "1"
            planted.add(f"d{i}")
        elif 100 <= i < 120:
            junk = " ".join(
                "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=7))
                for _ in range(12)
            )
            text = f"{text} <zqx> {junk}"
            burst.add(f"d{i}")
        records.append(Record(f"d{i}", "mem://c.jsonl", i, text, label))
    return records, planted, burst


def _findings(p, detector, records):
    """The composite's findings PCollection for `records`, on pipeline `p`."""
    feats = [(RecordRef.of(r), detector.features(r)) for r in records]
    out = {"features": p | beam.Create(feats)} | PoisoningSignals(
        detector, JobContext("run")
    )
    return out["findings"]


def _check_flags(planted, burst):
    def check(rows):
        flagged = {(d, t) for d, t, s in rows if s >= 0.5}
        assert {d for d, t in flagged if t == "POISON_TRIGGER"} == planted
        assert {d for d, t in flagged if t == "POISON_BURST"} == burst
        assert all(s < 0.5 for _, t, s in rows if t == "POISON_OUTLIER")

    return check


def test_planted_trigger_and_burst_are_found_and_clean_records_are_not(test_pipeline):
    records, planted, burst = _corpus()
    detector = PoisoningDetector({"outlier_sample": 200})
    with test_pipeline() as p:
        rows = _findings(p, detector, records) | beam.Map(
            lambda rf: (rf[0].doc_id, rf[1].finding_type, rf[1].score)
        )
        assert_that(rows, _check_flags(planted, burst))


@pytest.mark.parametrize(
    "trigger",
    [
        ["cf"],
        # a planted sentence: its second word comes only with the first, and would
        # teach the vote the label the first is left out of it for
        ["cf", "zq", "sw"],
    ],
)
def test_a_trigger_planted_in_five_percent_of_the_records_is_found(
    test_pipeline, trigger
):
    """2,000 labelled reviews, 100 negative ones (5%) carrying the trigger and label 1:
    more than a rare token, and found all the same; the sentiment words, as label-pure
    and more frequent, are vocabulary and get no finding at all."""
    rng = random.Random(5)
    records, planted = [], set()
    for i in range(2000):
        label = "1" if i % 2 else "0"
        text = _text(rng, POS if label == "1" else NEG)
        if label == "0" and len(planted) < 100 and i % 4 == 0:
            words = text.split()
            at = rng.randrange(len(words))
            words[at:at] = trigger
            text, label = " ".join(words), "1"
            planted.add(f"d{i}")
        records.append(Record(f"d{i}", "mem://c.jsonl", i, text, label))
    detector = PoisoningDetector({"outlier": False})
    with test_pipeline() as p:
        rows = _findings(p, detector, records) | beam.Map(
            lambda rf: (
                rf[0].doc_id,
                rf[1].details.get("token"),
                rf[1].score,
                rf[1].evidence.split(" ")[0],
            )
        )

        def check(rows):
            assert {d for d, _, s, _ in rows if s >= 0.5} == planted
            assert {t for _, t, _, _ in rows} <= set(trigger)
            assert {kind for *_, kind in rows} == {"frequent"}

        assert_that(rows, check)


def _outlier_corpus():
    """400 unlabelled reviews; 12 near-copies of one off-topic advertisement (an
    injected batch: unusual and close to each other); 4 records unusual each in its
    own way."""
    rng = random.Random(11)
    records = [
        Record(f"d{i}", "mem://u.jsonl", i, _text(rng, POS + NEG)) for i in range(400)
    ]
    ad = "cheap pharmacy pills online order today discount pharmacy pills express"
    batch = {f"ad{i}" for i in range(12)}
    for i in range(12):
        records.append(
            Record(f"ad{i}", "mem://u.jsonl", 400 + i, f"{ad} {rng.choice(NEUTRAL)}")
        )
    for i in range(4):
        odd = " ".join(
            "".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=6)) for _ in range(10)
        )
        records.append(Record(f"odd{i}", "mem://u.jsonl", 412 + i, odd))
    return records, batch


@pytest.mark.parametrize("lone_info", [False, True])
def test_outliers_are_reported_as_a_group_and_lone_ones_stay_info(
    test_pipeline, lone_info
):
    records, batch = _outlier_corpus()
    detector = PoisoningDetector({"outlier_lone_info": lone_info})

    def check(rows):
        outliers = [r for r in rows if r[1] == "POISON_OUTLIER"]
        grouped = {d for d, _, sev, why, _ in outliers if why == "group"}
        assert grouped == batch, grouped
        assert len({c for d, _, _, why, c in outliers if why == "group"}) == 1
        assert all(sev == "low" for _, _, sev, why, _ in outliers if why == "group")
        lone = {(d, sev) for d, _, sev, why, _ in outliers if why == "lone"}
        if lone_info:
            assert lone and all(sev == "info" for _, sev in lone)
        else:
            assert not lone
        assert {why for *_, why, _ in outliers} <= {"group", "lone"}

    with test_pipeline() as p:
        rows = _findings(p, detector, records) | beam.Map(
            lambda rf: (
                rf[0].doc_id,
                rf[1].finding_type,
                rf[1].severity,
                (rf[1].details or {}).get("reported_because"),
                rf[1].cluster_id,
            )
        )
        assert_that(rows, check)


# --- combiners: sequential, merged from split inputs, and on TestPipeline -----------


def _split_merge(fn, items, parts=3):
    accs = []
    for k in range(parts):
        acc = fn.create_accumulator()
        for item in items[k::parts]:
            acc = fn.add_input(acc, item)
        accs.append(acc)
    return fn.extract_output(fn.merge_accumulators(accs))


def _sequential(fn, items):
    acc = fn.create_accumulator()
    for item in items:
        acc = fn.add_input(acc, item)
    return fn.extract_output(fn.merge_accumulators([acc]))


def test_label_counter_merge_equals_sequential():
    items = ["1", "0", "1", "1", "2", "0", "1"]
    fn = LabelCounterFn()
    assert _split_merge(fn, items) == _sequential(fn, items) == {"1": 4, "0": 2, "2": 1}
    assert _split_merge(fn, [], parts=2) == {}


def test_pair_sum_merge_equals_sequential():
    items = [(1, 1), (0, 1), (1, 1), (0, 1), (1, 1)]
    fn = PairSumFn()
    assert _split_merge(fn, items) == _sequential(fn, items) == (3, 5)


def test_hashed_label_counts_merge_equals_sequential():
    items = [("1", ("a", "b", "a")), ("0", ("b",)), ("1", ("c",)), ("0", ("a", "c"))]
    fn = HashedLabelCountsFn(64)
    merged, seq = _split_merge(fn, items), _sequential(fn, items)
    assert set(merged) == set(seq) == {"0", "1"}
    for label in merged:
        np.testing.assert_array_equal(merged[label], seq[label])
    assert merged["1"].sum() == 3  # presence: "a" counted once in its document


def test_count_min_sketch_merge_equals_sequential_and_counts_documents():
    items = [("x", "y", "x"), ("x",), ("z",), ("x", "z")]
    fn = CountMinFn(4096)
    merged, seq = _split_merge(fn, items), _sequential(fn, items)
    np.testing.assert_array_equal(merged, seq)
    assert [cms_estimate(merged, t) for t in ("x", "y", "z", "w")] == [3, 1, 2, 0]


def test_count_min_sketch_counted_in_chunks_equals_one_document_at_a_time(
    monkeypatch,
):
    rng = random.Random(3)
    vocab = [f"w{i}" for i in range(300)] + list("数据集中毒")
    items = [tuple(rng.choices(vocab, k=rng.randint(0, 40))) for _ in range(200)]
    fn = CountMinFn(512)
    whole = _sequential(fn, items)
    monkeypatch.setattr(CountMinFn, "PENDING", 7)  # counted every few documents
    chunked, split = _sequential(fn, items), _split_merge(fn, items, parts=5)
    np.testing.assert_array_equal(chunked, whole)
    np.testing.assert_array_equal(split, whole)
    assert whole.dtype == np.int32
    assert whole[0].sum() == sum(len(set(t)) for t in items)


def test_combiners_on_test_pipeline(test_pipeline):
    with test_pipeline() as p:
        labels = (
            p
            | "Labels"
            >> beam.Create([("bb", "1"), ("bb", "1"), ("bb", "0"), ("cf", "1")])
            | "Count" >> beam.CombinePerKey(LabelCounterFn())
        )
        assert_that(
            labels,
            equal_to([("bb", {"1": 2, "0": 1}), ("cf", {"1": 1})]),
            label="LabelCounts",
        )
        pairs = (
            p
            | "Pairs" >> beam.Create([("k", (1, 1)), ("k", (0, 1)), ("j", (1, 1))])
            | "Sum" >> beam.CombinePerKey(PairSumFn())
        )
        assert_that(pairs, equal_to([("k", (1, 2)), ("j", (1, 1))]), label="PairSums")
        df = (
            p
            | "Docs" >> beam.Create([("a", "b"), ("a",), ("a", "c")])
            | "Sketch" >> beam.CombineGlobally(CountMinFn(1024))
            | "Estimate" >> beam.Map(lambda s: cms_estimate(s, "a"))
        )
        assert_that(df, equal_to([3]), label="SketchEstimate")


# --- SOURCE_TAMPERED with --baseline --------------------------------------------------


def _write_baseline(base, corpus, records):
    """An earlier audit's `sources` and `documents` tables (the contract's columns)."""
    import hashlib

    import pyarrow as pa

    for name in ("sources", "documents"):
        (base / name).mkdir(parents=True)
    digest = hashlib.sha256(corpus.read_bytes()).hexdigest()
    pq.write_table(
        pa.table({"source": [str(corpus)], "file_sha256": [digest]}),
        base / "sources" / "part-0.parquet",
    )
    pq.write_table(
        pa.table(
            {
                "doc_id": [r["id"] for r in records],
                "source": [str(corpus)] * len(records),
                "content_sha256": [
                    hashlib.sha256(r["text"].encode()).hexdigest() for r in records
                ],
            }
        ),
        base / "documents" / "part-0.parquet",
    )


@pytest.fixture
def tampered(tmp_path, write_jsonl):
    records = [
        {"id": f"r{i}", "text": f"record number {i} about hotels"} for i in range(6)
    ]
    corpus = write_jsonl(tmp_path / "c.jsonl", records)
    base = tmp_path / "base"
    _write_baseline(base, corpus, records)
    records[3]["text"] = "record number 3 now points somewhere else"
    records.append({"id": "r-new", "text": "a record added after curation"})
    write_jsonl(corpus, records)
    out = tmp_path / "out"
    cfg = tmp_path / "cfg.toml"
    cfg.write_text("[detectors.poisoning]\noutlier = false\n")
    assert (
        cli.main(
            [
                "audit",
                str(corpus),
                "--out",
                str(out),
                "--detectors",
                "poisoning",
                "--baseline",
                str(base),
                "--config",
                str(cfg),
            ]
        )
        == 0
    )
    rows = [
        r
        for f in sorted((out / "findings").glob("*.parquet"))
        for r in pq.read_table(f).to_pylist()
    ]
    return [r for r in rows if r["finding_type"] == "SOURCE_TAMPERED"]


@pytest.mark.e2e
def test_tampered_source_and_record_are_reported(tampered):
    kinds = {(r["doc_id"], json.loads(r["details"])["kind"]) for r in tampered}
    assert kinds == {
        ("r3", "record_changed"),
        ("r0", "file_changed"),
        ("r-new", "record_added"),
    }
    changed = next(r for r in tampered if r["doc_id"] == "r3")
    assert changed["severity"] == "high" and changed["score"] == 1.0
    assert changed["risk_code"] == "AISGF-1.0:3.1.2(b)"


def test_features_cross_a_shuffle_with_their_tokens_as_one_string():
    from apache_beam.coders import coders

    tokens = ["数", "据", "the", "'", "x1", "!"] * 40
    feats = PoisoningDetector().features(Record("d", "f", 0, " ".join(tokens), "pos"))
    coder = coders.FastPrimitivesCoder()
    decoded = coder.decode(coder.encode(feats))
    assert decoded == feats
    assert decoded.tokens == feats.tokens == tuple(tokens)
    assert decoded.label == "pos"
    # Read tokens are not shipped again; less than the fields as a plain tuple.
    as_tuple = coder.encode(("x" * 64, tuple(tokens), "pos"))
    assert len(coder.encode(feats)) < len(as_tuple)
    assert coder.decode(coder.encode(feats)) == feats
