"""The optional character CRF of the Chinese PERSON stage (its helpers)."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.china.cn_person_crf import (
    CharFeatures,
    CrfView,
    labels,
    spans_of,
)
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer


@pytest.mark.parametrize(
    "n, spans",
    [(8, [(0, 2), (2, 5)]), (6, [(1, 4)]), (3, []), (4, [(3, 4)])],
)
def test_labels_and_spans_round_trip(n, spans):
    assert spans_of(labels(n, spans)) == spans


def test_an_inside_label_without_a_start_opens_a_name():
    assert spans_of(["O", "I", "I", "O", "B"]) == [(1, 3), (4, 5)]


def test_one_feature_list_per_character():
    rec = CnPersonRecognizer(use_model=False)
    rec.load()
    text = "收件人王健，手机号码"
    feats = CharFeatures(rec)(text)
    assert len(feats) == len(text)
    assert "c=王" in feats[3] and "sur=1" in feats[3]
    # 王 follows a record label; jieba's word boundary and tag are features.
    assert "lx=1" in feats[3]
    assert any(f.startswith("wp=") for f in feats[3])


def test_span_probability_is_the_weakest_link():
    view = CrfView(["O", "B", "I", "O"], [0.0, 0.9, 0.1, 0.0], [0.0, 0.05, 0.8, 0.3])
    assert view.spans == [(1, 3)]
    assert view.prob((1, 3)) == pytest.approx(0.7)  # 1 - P(I) after the span
    assert view.prob((1, 4)) == pytest.approx(0.3)


def test_the_windowed_crf_reads_around_surnames_only():
    from corpusgate.detectors.pii.china.cn_person_model import PersonCandidateModel

    rec = CnPersonRecognizer(use_model=False)
    rec.load()
    text = "今天天气很好。" * 5 + "记者李建新报道。" + "今天天气很好。" * 5
    assert PersonCandidateModel(rec, {}).crf_windows(text) is None  # whole text
    windows = PersonCandidateModel(rec, {"crf": {"windows": True}}).crf_windows(text)
    at = text.index("李建新")
    assert any(s <= at and at + 3 <= e for s, e in windows)
    assert sum(e - s for s, e in windows) < len(text) / 2
    assert all(a[1] < b[0] for a, b in zip(windows, windows[1:], strict=False))
