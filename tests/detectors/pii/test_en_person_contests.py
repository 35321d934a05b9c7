"""English names: a place the document puts right after a contest's words (a team)
or after a preposition of place is no person wherever the document names it alone;
a word of a person's longer name stays a person's."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import contest_places, preposition_places


@pytest.mark.parametrize(
    "text, teams",
    [
        ("He was picked to start against Valencia at home .", {"valencia"}),
        ("He will miss Saturday's game versus Carolina.", {"carolina"}),
        (
            "They settled for a draw with Leeds and lost to Bologna .",
            {"leeds", "bologna"},
        ),
        ("At the final , Lesnar defeated Cena .", set()),  # no place
        ("The Bulls lost to Jordan in 1991 .", set()),  # a common given name
        ("He travelled to Valencia in May .", set()),  # no contest
    ],
)
def test_a_place_after_a_contests_words_is_a_team(text, teams):
    assert contest_places(text) == teams


@pytest.mark.parametrize(
    "text, word, person",
    [
        (
            "Ruiz was picked to start against Bilbao at home . "
            "Mario Gomez scored Bilbao 's only goal .",
            "Bilbao",
            False,
        ),
        # part of a longer person's name in the document: a person
        ("Brian Lara made 80 . Later , Walsh beat Lara with a yorker .", "Lara", True),
    ],
)
def test_a_team_is_no_person_in_the_whole_document(crf, text, word, person):
    scores = {}
    for s, e, p in crf.spans(text):
        scores[text[s:e]] = max(p, scores.get(text[s:e], 0.0))
    assert (scores.get(word, 0.0) >= 0.5) is person


@pytest.mark.parametrize(
    "text, places",
    [
        ("The office in Modesto is new .", {"modesto"}),
        ("We drove through Kingman and into Victorville .", {"kingman", "victorville"}),
        ("He was angry at Modesto .", set()),  # people are looked and angry at
        ("in Florence 's absence", set()),  # a possessive: a person's
        ("in Jordan and near Lee", set()),  # common given names
    ],
)
def test_a_place_after_a_preposition_is_the_documents_place(text, places):
    assert preposition_places(text) == places


@pytest.mark.parametrize(
    "text, word, person",
    [
        (
            "All the staff will come to Modesto . The office in Modesto is new .",
            "Modesto",
            False,
        ),
        (
            "I spoke with Tom Modesto today . The office in Modesto is new .",
            "Tom Modesto",
            True,
        ),
    ],
)
def test_a_place_of_the_document_is_no_person(crf, text, word, person):
    scores = {}
    for s, e, p in crf.spans(text):
        scores[text[s:e]] = max(p, scores.get(text[s:e], 0.0))
    assert (scores.get(word, 0.0) >= 0.5) is person
