"""English names in a person's slot (X lives at, my son X, said X.): reported with
the slot's precision on the training sentences whatever the model reads there;
ordinary words, places, days and peoples in the same slots stay silent."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import (
    PERSON_SLOTS,
    EnglishPersonCrfRecognizer,
)

from tests.support.scripts import load_script


def names(crf, text):
    return {text[s:e] for s, e, p in crf.spans(text) if p >= 0.5}


@pytest.mark.parametrize(
    "text, name",
    [
        ("Ilse Vandermolen lives at 12 Harbour Road, Leeds.", "Ilse Vandermolen"),
        ("Brekkestad was born in a fishing village.", "Brekkestad"),
        ("Last spring I drove my daughter Solveig to the coast.", "Solveig"),
        ("Her husband, Teodor Brandl, repairs clocks.", "Teodor Brandl"),
        ('"We will appeal the ruling," said Oyelaran.', "Oyelaran"),
        (
            "Demand is weak, says Kazimiera Wojtasik, an economist.",
            "Kazimiera Wojtasik",
        ),
        # lower-case text: a given name opens it
        ("anna wolanska lives at 4 mill lane", "anna wolanska"),
    ],
)
def test_a_name_in_a_persons_slot_is_reported(crf, text, name):
    assert name in names(crf, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("Growth will slow, said Germany.", "Germany"),  # a place
        ("Prices rose sharply, traders said Wednesday.", "Wednesday"),  # a day
        ("Serbs lived there before the war.", "Serbs"),  # a people
        ("the tenants said Rev. Hale would come", "Rev"),  # a title opens it
        ("Nobody lives here anymore.", "Nobody"),  # an ordinary word
        ("my friend Mark Street is nice", "Mark Street"),  # a street
        # lower-case text: no given name first, or ordinary words inside
        ("the storm lives on in memory", "the storm"),
        ("julie and melissa lived there", "julie and melissa"),
    ],
)
def test_no_name_in_the_slot_stays_silent(crf, text, word):
    assert word not in names(crf, text)


def test_a_slot_scores_its_training_precision():
    scores = {kind: score for kind, _, score in PERSON_SLOTS}
    assert scores == {"life": 0.77, "relative": 0.87, "said": 0.96}


def test_person_slots_counts_gold_names():
    script = load_script("train_en_person")
    text = "Ilse Vandermolen lives in Leeds. Vexcorp said Monday. It is, said Tova."
    spans = [(0, 16, "PER"), (33, 40, "ORG")]
    counts = script.person_slots({"s": [("d", text, spans)]})
    # Ilse Vandermolen is gold; "said Monday" is no slot's name; Tova is no gold
    # span; the lower-cased copy is read as lower-case text
    assert counts["life"] == [1, 1] and counts["said"] == [1, 0]
    assert counts["life (lower case)"] == [1, 1]


@pytest.mark.parametrize(
    "span, pieces",
    [
        (
            "Chris Calger Rob Milnthorp Barry Tycholiz",
            ["Chris Calger", "Rob Milnthorp", "Barry Tycholiz"],
        ),
        # four words or more that are one name stay one span
        ("James Scott Brady Jr", ["James Scott Brady Jr"]),  # a suffix
        ("Gert Jan Van Doorn", ["Gert Jan Van Doorn"]),  # a particle
        ("Richard Milhous Nixon", ["Richard Milhous Nixon"]),  # three words
    ],
)
def test_a_run_of_names_is_cut_at_given_names(span, pieces):
    text = f"Attendees:  {span}  Thanks!"
    s = text.index(span)
    cut = EnglishPersonCrfRecognizer._run_of_names(text, (s, s + len(span), 0.9))
    assert [text[a:b] for a, b, _ in cut] == pieces


def test_a_listed_run_is_reported_name_by_name(crf):
    text = "Attendees:  Chris Calger Rob Milnthorp Barry Tycholiz Ed Sacks"
    assert {"Chris Calger", "Rob Milnthorp", "Barry Tycholiz"} <= names(crf, text)
