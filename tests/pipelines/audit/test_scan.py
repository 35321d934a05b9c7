"""The generic scan DoFn, on TestPipeline."""

from typing import ClassVar

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Finding, Record, RecordDetector
from corpusgate.detectors.exact_duplicate import ExactDuplicateDetector
from corpusgate.pipelines.audit.scan import (
    DEAD_LETTERS_TAG,
    FINDINGS_TAG,
    DetectorSpec,
    ScanRecords,
    features_tag,
    finding_row,
    pack_finding,
    unpack_finding,
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
            out.docs
            | beam.Map(
                lambda d: (d.ref.doc_id, d.n_chars, d.language, sorted(d.findings))
            ),
            equal_to(
                [
                    (
                        "a",
                        8,
                        "en",
                        [
                            ("counting", "low", False, "ANY"),
                            ("flaky", "info", True, "WORD"),
                        ],
                    ),
                    ("b", 16, "en", [("counting", "low", False, "ANY")]),
                ]
            ),
            label="docs",
        )
        assert_that(
            out[FINDINGS_TAG]
            # One element per batch of records: its findings rows, packed.
            | beam.FlatMap(
                lambda batch: [
                    tuple(
                        unpack_finding(t)[c]
                        for c in ("doc_id", "detector", "finding_type")
                    )
                    for t in batch
                ]
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


def test_a_finding_row_crosses_shuffles_as_a_tuple_of_its_columns():
    from corpusgate.pipelines.audit.scan import RecordRef

    ref = RecordRef("d1", "f.jsonl", 3, "lbl", "web")
    finding = Finding("WORD", "low", 0.5, "r", "w***", start=0, end=4, details={"k": 1})
    row = finding_row("run", ref, FlakyDetector({}), finding)
    packed = pack_finding(row)
    assert isinstance(packed, tuple) and len(packed) == len(row)
    assert unpack_finding(packed) == row
    assert list(unpack_finding(packed)) == list(row)  # same column order
