"""The reference-overlap composite on TestPipeline, references read from files."""

import json

import apache_beam as beam
from apache_beam.testing.util import assert_that, equal_to
from corpusgate.detectors.base import Record
from corpusgate.detectors.copyright import CopyrightDetector
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import JobContext
from corpusgate.pipelines.corpus.copyright import ReferenceOverlap

from tests.detectors.test_copyright import REF_EN, REF_ZH


def test_reference_overlap_from_jsonl_and_text_references(test_pipeline, tmp_path):
    (tmp_path / "refs.jsonl").write_text(
        json.dumps({"id": "sanguo/1", "text": REF_ZH}, ensure_ascii=False) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "washington.txt").write_text(REF_EN, encoding="utf-8")
    det = CopyrightDetector()
    texts = [
        ("zh", "房间不错。" + REF_ZH[:80] + "早餐一般。"),
        ("en", "Loved it. " + REF_EN[100:300]),
        ("quote", "As he said: no event could have filled me with greater anxieties."),
        ("clean", "Nothing copied here at all, just a review of a quiet hotel."),
    ]
    feats = []
    for i, (doc_id, text) in enumerate(texts):
        r = Record(doc_id, "c.jsonl", i, text)
        feats.append((RecordRef.of(r), det.features(r)))
    job = JobContext(
        "run",
        references=(str(tmp_path / "refs.jsonl"), str(tmp_path / "washington.txt")),
    )
    with test_pipeline() as p:
        out = {"features": p | beam.Create(feats)} | ReferenceOverlap(det, job)
        assert_that(
            out["findings"]
            | beam.MapTuple(
                lambda ref, f: (ref.doc_id, f.reference_id, f.start, f.finding_type)
            ),
            equal_to(
                [
                    ("zh", "sanguo/1", 5, "REFERENCE_OVERLAP"),
                    ("en", "washington.txt", 10, "REFERENCE_OVERLAP"),
                ]
            ),
        )
