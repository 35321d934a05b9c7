"""English names: a place the document puts right after a contest's words is a
team there, wherever the document names it; a person's name is no team."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import contest_places


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
