"""The read stage: records leave the decoder in batches, dead letters and file
statistics beside them."""

import apache_beam as beam
import pytest
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.pipelines.audit import read
from corpusgate.pipelines.audit.read import ReadCorpus
from corpusgate.pipelines.audit.scan import DEAD_LETTERS_TAG
from corpusgate.pipelines.inputs import ReadOptions, expand_inputs


@pytest.mark.parametrize("spread", [True, False])  # files over workers, or not
@pytest.mark.parametrize(
    ("batch_size", "batch_chars", "sizes"),
    [
        (3, 10**9, [1, 3, 3]),  # by count: 7 records -> 3 + 3 + 1
        (64, 10**9, [7]),
        (64, 25, [1, 2, 2, 2]),  # by characters: each text is 12-13 characters
        (1, 10**9, [1] * 7),
    ],
)
def test_records_travel_in_batches(
    tmp_path,
    write_jsonl,
    test_pipeline,
    monkeypatch,
    batch_size,
    batch_chars,
    sizes,
    spread,
):
    monkeypatch.setattr(read, "BATCH_CHARS", batch_chars)
    records = [{"id": f"r{i}", "text": f"record text {i}"} for i in range(7)]
    path = write_jsonl(tmp_path / "c.jsonl", [*records[:3], "{broken", *records[3:]])
    inputs = expand_inputs([str(path)])
    with test_pipeline() as p:
        out = p | ReadCorpus("run", inputs, ReadOptions(), batch_size, spread)
        assert_that(
            out.batches | "Sizes" >> beam.Map(len),
            equal_to(sizes),
            label="BatchSizes",
        )
        assert_that(
            out.batches
            | "Ids" >> beam.FlatMap(lambda batch: [r.doc_id for r in batch]),
            equal_to([r["id"] for r in records]),
            label="EveryRecordOnce",
        )
        assert_that(
            out[DEAD_LETTERS_TAG] | "Count" >> beam.combiners.Count.Globally(),
            equal_to([1]),
            label="DeadLetter",
        )


def test_a_packed_batch_unpacks_to_the_same_records():
    from corpusgate.detectors.base import Record

    batch = [
        Record(
            "a", "f.jsonl", 0, "数据 text 🦠", "pos", "web", {"k": [1, {"x": None}]}
        ),
        Record("b", "f.jsonl", 1, "x" * 5000, None, None, {}),
    ]
    packed = read.pack_batch(batch)
    assert isinstance(packed, bytes)
    assert len(packed) < 5000  # compressed
    assert read.unpack_batch(packed) == batch
