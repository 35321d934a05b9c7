"""The optional character CRF of the Chinese PERSON stage (its helpers)."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.china.cn_person_crf import (
    ALL_TEMPLATES,
    DEFAULT_TEMPLATES,
    CharFeatures,
    CharTagger,
    CrfView,
    _clip,
    labels,
    spans_of,
)
from corpusgate.detectors.pii.china.cn_person_model import PersonCandidateModel
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer


@pytest.fixture(scope="module")
def rec() -> CnPersonRecognizer:
    r = CnPersonRecognizer(use_model=False)
    r.load()
    return r


@pytest.mark.parametrize(
    "n, spans",
    [(8, [(0, 2), (2, 5)]), (6, [(1, 4)]), (3, []), (4, [(3, 4)])],
)
def test_labels_and_spans_round_trip(n, spans):
    assert spans_of(labels(n, spans)) == spans


def test_an_inside_label_without_a_start_opens_a_name():
    assert spans_of(["O", "I", "I", "O", "B"]) == [(1, 3), (4, 5)]


def test_one_feature_list_per_character(rec):
    text = "收件人王健，手机号码"
    feats = CharFeatures(rec, ALL_TEMPLATES)(text)
    assert len(feats) == len(text)
    assert "c=王" in feats[3] and "sur=1" in feats[3]
    # 王 follows a record label; jieba's word boundary and tag are features.
    assert "lx=1" in feats[3]
    assert any(f.startswith("wp=") for f in feats[3])
    assert len(feats[3]) == len(ALL_TEMPLATES)


@pytest.mark.parametrize(
    "at, expected",
    [
        (0, {"c=王", "l=#", "l2=#", "r=健", "r2=说", "lc=#王", "cr=王健", "k=SHH"}),
        (2, {"c=说", "l=健", "r=A", "r2=#", "lc=健说", "cr=说A", "k=HHL", "tr=000"}),
        (3, {"c=A", "r=#", "r2=#", "cr=A#", "k=HLS"}),
    ],
)
def test_attributes_of_the_character_window(rec, at, expected):
    feats = CharFeatures(rec)("王健说A")
    assert expected <= set(feats[at])
    assert len(feats[at]) == len(DEFAULT_TEMPLATES)


def test_transliteration_attribute_reads_the_neighbours(rec):
    feats = CharFeatures(rec, ("tr",))("说奥巴马")  # 马 is no TRANSLIT character
    assert [f[0] for f in feats] == ["tr=001", "tr=011", "tr=110", "tr=100"]


def test_given_words_are_those_of_a_cut(rec):
    text = "记者李建新报道"
    features = CharFeatures(rec, ("wpt",))
    given = features(text, ["记者", "李建新", "报道"])
    assert [f[0] for f in given[2:5]] == ["wpt=Boov", "wpt=Moov", "wpt=Eoov"]
    assert features(text) == features(text, ["记者", "李", "建新", "报道"])


def test_an_unknown_template_is_refused(rec):
    with pytest.raises(ValueError, match="unknown CRF templates"):
        CharFeatures(rec, ("c", "zz"))


@pytest.mark.parametrize(
    "ws, we, expected",
    [
        (0, 7, ["记者", "李建新", "报道"]),
        (2, 5, ["李建新"]),
        (1, 6, ["者", "李建新", "报"]),
        (3, 4, ["建"]),
    ],
)
def test_a_window_reads_the_cut_clipped_to_its_edges(ws, we, expected):
    assert _clip(["记者", "李建新", "报道"], ws, we) == expected


def test_span_probability_is_the_weakest_link():
    view = CrfView.from_labels(
        ["O", "B", "I", "O"], [0.0, 0.9, 0.1, 0.0], [0.0, 0.05, 0.8, 0.3]
    )
    assert view.spans == [(1, 3)]
    assert view.prob((1, 3)) == pytest.approx(0.7)  # 1 - P(I) after the span
    assert view.prob((1, 4)) == pytest.approx(0.3)


def test_characters_not_read_count_as_outside():
    view = CrfView([], {1: 0.9}, {2: 0.8}, 5)
    assert view.prob((1, 3)) == pytest.approx(0.8)
    assert view.prob((3, 4)) == 0.0  # no B read there


@pytest.mark.parametrize(
    "reads, cands, expected",
    [
        ("text", [(3, 6)], None),
        ("candidates", [(10, 13)], [(6, 17)]),
        ("candidates", [(10, 13), (15, 17), (40, 42)], [(6, 21), (36, 46)]),
        ("candidates", [(0, 2)], [(0, 6)]),
        ("candidates", [], []),
    ],
)
def test_where_the_crf_reads(rec, reads, cands, expected):
    model = PersonCandidateModel(rec, {"crf": {"reads": reads}})
    assert model.crf_windows("今天天气很好。" * 8, cands) == expected


def test_the_weights_set_how_far_the_crf_reads_around_a_candidate(rec):
    model = PersonCandidateModel(rec, {"crf": {"reads": "candidates", "pad": 2}})
    text = "今天天气很好。" * 8
    assert model.crf_windows(text, [(10, 13), (20, 22)]) == [(8, 15), (18, 24)]
    assert model.crf_windows(text, [(10, 13), (16, 18)]) == [(8, 20)]  # merged


def test_the_crf_reads_around_the_candidates_that_are_scored(rec):
    model = PersonCandidateModel(rec, {"crf": {"reads": "candidates"}})
    text = "记者李建新报道，连牛奶都没有。"
    tokens = model.tokens(text)
    kept = model.kept_candidates(text, rec.rule_spans(text, tokens), tokens)
    assert (2, 5) in kept
    assert all(
        span in model.candidates(text, rec.rule_spans(text, tokens), tokens)
        for span in kept
    )


def test_an_unknown_reading_is_refused(rec):
    with pytest.raises(ValueError, match="unknown CRF reading"):
        PersonCandidateModel(rec, {"crf": {"reads": "everywhere"}})


def test_the_segmenter_windows_lie_around_surnames_only(rec):
    text = "今天天气很好。" * 5 + "记者李建新报道。" + "今天天气很好。" * 5
    windows = PersonCandidateModel(rec, {"crf": {"windows": True}}).crf_windows(text)
    assert windows == PersonCandidateModel(
        rec, {"crf": {"reads": "segmenter"}}
    ).crf_windows(text)
    at = text.index("李建新")
    assert any(s <= at and at + 3 <= e for s, e in windows)
    assert sum(e - s for s, e in windows) < len(text) / 2
    assert all(a[1] < b[0] for a, b in zip(windows, windows[1:], strict=False))


@pytest.fixture(scope="module")
def tagger(rec, tmp_path_factory) -> CharTagger:
    """A small tagger fitted on a few sentences (the mechanism, not the weights)."""
    import pycrfsuite

    features = CharFeatures(rec)
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence, name in [
        ("记者李建新报道。", "李建新"),
        ("会长黄福华表示同意。", "黄福华"),
        ("收件人王健已签收。", "王健"),
        ("今天天气很好。", ""),
    ] * 3:
        at = sentence.find(name) if name else -1
        spans = [(at, at + len(name))] if name else []
        trainer.append(features(sentence), labels(len(sentence), spans))
    trainer.set_params({"c1": 0.01, "c2": 0.01, "max_iterations": 50})
    path = tmp_path_factory.mktemp("crf") / "tiny.crfsuite"
    trainer.train(str(path))
    return CharTagger(rec, str(path))


def test_marginals_of_wanted_spans_match_a_full_reading(tagger):
    text = "记者张伟报道，会长黄福华表示。"
    full = tagger.view(text)
    wanted = [(2, 4), (9, 12), (0, 3)]
    lazy = tagger.view(text, wanted=wanted)
    assert lazy.spans == full.spans
    for span in wanted + full.spans:
        assert lazy.prob(span) == pytest.approx(full.prob(span))


def test_a_window_reads_like_the_same_characters_in_training(tagger):
    text = "今天天气很好。记者张伟报道。"
    view = tagger.view(text, windows=[(7, 14)])
    assert all(7 <= s and e <= 14 for s, e in view.spans)
    assert view.prob((0, 2)) == 0.0


def test_text_without_chinese_is_not_read(tagger):
    view = tagger.view("Mr John Smith called.")
    assert view.spans == [] and view.prob((3, 7)) == 0.0
