"""The cross-validated curve behind EnglishPersonCrfRecognizer.ONE_WORD_MIN
(scripts/train_en_person.py --one-word-curve): which decided findings a threshold
keeps, how they count against the gold spans, and which threshold is chosen."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import address_part, thing_frame

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def script():
    return load_script("train_en_person")


GOLD = {"a": [(0, 5), (10, 15)], "b": [(0, 4)], "c": []}
BASE = {"a": [(0, 5)], "b": [], "c": []}
# b's name at 0.9 is true; c's word at 0.7 and a's half-overlap at 0.6 are false
# (20..30 does not touch 10..15).
DECIDED = {"a": [(20, 30, 0.6)], "b": [(0, 4, 0.9)], "c": [(3, 8, 0.7)]}


@pytest.mark.parametrize(
    "t, kept_true, kept_false, tp, fp",
    [
        (0.5, 1, 2, 2, 2),  # everything decided is kept
        (0.65, 1, 1, 2, 1),
        (0.75, 1, 0, 2, 0),
        (0.95, 0, 0, 1, 0),  # only the threshold-free finding
    ],
)
def test_curve_counts(script, t, kept_true, kept_false, tp, fp):
    [row] = script.one_word_curve(BASE, DECIDED, GOLD, [t])
    fn = 3 - tp
    assert row[:3] == (t, kept_true, kept_false)
    assert row[3] == pytest.approx(tp / (tp + fp))
    assert row[4] == pytest.approx(tp / (tp + fn))


def test_overlap_needs_half_of_the_longer_span(script):
    assert script.overlaps((0, 10), (5, 10))
    assert not script.overlaps((0, 10), (6, 10))
    assert not script.overlaps((0, 4), (4, 8))


def test_chosen_is_the_highest_threshold_within_the_tolerance_of_the_best(script):
    rows = [
        (0.5, 0, 0, 0.8, 0.9, 0.8471),
        (0.6, 0, 0, 0.85, 0.89, 0.8695),  # the best
        (0.7, 0, 0, 0.86, 0.88, 0.8681),  # 0.002 below it: as good
        (0.8, 0, 0, 0.9, 0.8, 0.8671),  # 0.003 below it
    ]
    assert script.F1_TOLERANCE == 0.002
    assert script.chosen(rows) == 0.7
    assert script.chosen(rows[:2] + rows[3:]) == 0.6


@pytest.mark.parametrize(
    "text, word",
    [
        # (Enron itself is a listed organisation: test_en_organisations.py)
        ("I will then have them executed by Maltrane.", "Maltrane"),
        ("Bralic played 19 tests for the country .", "Bralic"),
    ],
)
def test_one_word_min_decides_an_unknown_word_without_person_context(text, word):
    """What the curve measures: such a word is reported with the rule off and
    capped below 0.5 when its marginal is under ONE_WORD_MIN."""
    from corpusgate.detectors.pii.en_person_model import EnglishPersonCrfRecognizer

    r = EnglishPersonCrfRecognizer()
    r.load()
    r.ONE_WORD_MIN = 0.0
    [(s, e, p)] = [x for x in r.spans(text) if text[x[0] : x[1]] == word]
    assert p >= 0.5
    r.ONE_WORD_MIN = p + 0.01
    assert [text[s:e] for s, e, q in r.spans(text) if q >= 0.5] == []


def test_org_evidence_counts_gold_names_and_organisations(script):
    text = "Talk to Jeff Holzschuh at Morgan Stanley or at Vexley Power today."
    spans = [(8, 22, "PER"), (26, 40, "ORG"), (47, 59, "ORG")]
    counts = script.org_evidence({"s": [("d", text, spans)]})
    assert dict(counts["PER"]) == {None: 1}
    assert dict(counts["ORG"]) == {None: 2, "listed": 1, "trade": 1}


def test_world_names_are_latin_one_word_and_no_ordinary_words(script):
    pytest.importorskip("faker")
    given, surnames = script.world_names({"rose", "long"})
    assert "Halldór" in given and "Rose" not in given
    assert "Long" not in surnames and surnames
    assert all(" " not in w and w[:1].isupper() for w in given + surnames)
    assert not any("\u4e00" <= c <= "\u9fff" for w in given for c in w)  # no Han


def test_address_parts_counts_gold_spans(script):
    text = "Mail 12 rue Victor Hugo to Ana Lima at 3 Oak Hill."
    spans = [(12, 23, "LOC"), (27, 35, "PER")]
    counts = script.span_vetoes({"s": [("d", text, spans)]}, address_part)
    assert dict(counts["LOC"]) == {None: 1, "street": 1}
    assert dict(counts["PER"]) == {None: 1}


def test_thing_frames_counts_gold_spans(script):
    text = "Ana Lima starred in Magnolia , north of Lyon ."
    spans = [(0, 8, "PER"), (20, 28, "MISC"), (40, 44, "LOC")]
    counts = script.span_vetoes({"s": [("d", text, spans)]}, thing_frame)
    assert dict(counts["MISC"]) == {None: 1, "work": 1}
    assert dict(counts["LOC"]) == {None: 1, "bearing": 1}
    assert dict(counts["PER"]) == {None: 1}
