"""English names: a list lends a word the support of its other items only where one
of them is a person some name list knows (or a pair); a comma and a region after a
word, or a state's code before a ZIP code, make a place."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import (
    EnglishPersonCrfRecognizer,
    before_a_region,
    state_code,
    tokenize,
)

from tests.support.spans import at


def _tagged(text: str, persons: dict[str, str]) -> tuple[list, list[str]]:
    """Tokens of `text` and tags: `persons` maps a word to its tag, others O."""
    tokens = tokenize(text)
    return tokens, [persons.get(w, "O") for _, _, w in tokens]


@pytest.mark.parametrize(
    "text, persons, word, lends",
    [
        # unknown words read as persons only beside each other: no support
        (
            "towns such as Ordvale , Pennick , Strathbay , and Kelloran grew",
            {"Ordvale": "B-PER", "Pennick": "B-PER", "Kelloran": "B-PER"},
            "Strathbay",
            False,
        ),
        (
            "palms : Vorrima , Quellia , Tarsophora , Mebbia and Ostrana",
            {w: "B-PER" for w in ("Vorrima", "Quellia", "Mebbia", "Ostrana")},
            "Tarsophora",
            False,
        ),
        # a known given name among the items: a list of people
        (
            "John , Lou , Cutty , Bill , I want to raise it again",
            {"John": "B-PER", "Lou": "B-PER", "Cutty": "B-PER"},
            "Bill",
            True,
        ),
        # an item that is part of a longer name: a list of people
        (
            "with Zarkel , Bob Westwick , Ombry and Quist",
            {"Zarkel": "B-PER", "Bob": "B-PER", "Westwick": "I-PER", "Quist": "B-PER"},
            "Ombry",
            True,
        ),
        # a pair keeps the support it had (Kutuzov and Miloradovich waited)
        (
            "while Zhirkov and Tambrovich waited for news",
            {"Zhirkov": "B-PER"},
            "Tambrovich",
            True,
        ),
    ],
)
def test_a_list_lends_support_only_through_a_known_person(text, persons, word, lends):
    tokens, tags = _tagged(text, persons)
    i = [t[2] for t in tokens].index(word)
    assert EnglishPersonCrfRecognizer._list_of_people(tokens, tags, i) is lends


@pytest.mark.parametrize(
    "text, span, place",
    [
        ("the seminar in Brackwell, Colorado January 24", "Brackwell", True),
        ("exports from Salvana, Greece rose", "Salvana", True),
        ("offices in Tormel, United Kingdom and abroad", "Tormel", True),
        ("Jack is heading to Ordway, Tx to make arrangements", "Ordway", True),
        ("the plant near Kelso, TX. It runs", "Kelso", True),
        # a code that is also a word or a name needs its ZIP code
        ("a house in Quincy, MA 02169 with a yard", "Quincy", True),
        ("Thanks Jim, OK? See you", "Jim", False),
        ("Lunch with Sonja, Al and Petra", "Sonja", False),
        # a degree, and a given name that is also a state, are no regions
        ("signed by Jane Roe, MD on Monday", "Jane Roe", False),
        ("invite Mary, Georgia and Tom", "Mary", False),
        ("Smith, who called", "Smith", False),
        # a region opening a longer name is an organisation's; a date may follow
        ("researcher Mei Tang, Hong Kong Confederation of Unions", "Mei Tang", False),
        ("clients such as Humbolt Labs, Texas Instruments and", "Humbolt Labs", False),
        ("the meeting in Brackwell, Colorado March 3", "Brackwell", True),
    ],
)
def test_a_region_after_a_comma_makes_a_place(text, span, place):
    assert before_a_region(text, at(text, span)[1]) is place


@pytest.mark.parametrize(
    "text, span, code",
    [
        ("Home: 90 Revere St. Boston, MA 02114 (cell to come)", "MA", True),
        ("Ship to Austin, TX 78701 by Friday", "TX", True),
        ("Boston, MA is cold", "MA", False),  # no ZIP code
        ("Dear JO 12345 holders", "JO", False),  # no comma, no state
    ],
)
def test_a_state_code_before_a_zip_code_is_no_name(text, span, code):
    s, e = at(text, span)
    assert state_code(text, s, e) is code


@pytest.mark.parametrize(
    "text, place, person",
    [
        (
            "Our team visited Harlan, Kentucky and then Morley last week.",
            "Harlan",
            None,
        ),
        ("Brad will be driving to Fenwick, Tx on Sunday.", "Fenwick", "Brad"),
    ],
)
def test_a_town_before_its_region_is_no_person(crf, text, place, person):
    scores = {text[s:e]: p for s, e, p in crf.spans(text)}
    assert scores.get(place, 0.0) < 0.5
    if person:
        assert scores[person] >= 0.5
