"""English names: in a tropical cyclone's report or a taxonomic text, one word that
no name list holds (a storm's name, an island, a province, a genus) is no person;
listed names and full names stay people."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import report_of_things

STORMS = "Typhoon Halong was the third typhoon of the season and made landfall twice . "
TAXA = "The genus was split into three genera , and each species was moved . "


@pytest.mark.parametrize(
    "text, report",
    [
        (STORMS, True),
        ("A tropical storm formed; the hurricane season ended; no landfall.", True),
        ("The hurricane missed us. A typhoon hit Japan.", False),  # twice only
        ("The Houston Hurricanes won the cup.", False),
    ],
)
def test_a_storm_report_holds_three_storm_words(text, report):
    assert (report_of_things(text) == "storm") is report


@pytest.mark.parametrize(
    "text, word, person",
    [
        (STORMS + "Later , Tavoka would bring heavy rain to Luzon .", "Tavoka", False),
        # a person in the same report, and the same sentence outside one
        (
            STORMS + "Later , Tavoka would bring heavy rain , said Maria Santos .",
            "Maria Santos",
            True,
        ),
        ("Later , Tavoka would bring heavy rain to Luzon .", "Tavoka", True),
    ],
)
def test_an_unlisted_word_in_a_storm_report_is_no_person(crf, text, word, person):
    scores = {text[s:e]: p for s, e, p in crf.spans(text)}
    assert (scores.get(word, 0.0) >= 0.5) is person


@pytest.mark.parametrize(
    "text, report",
    [
        (TAXA, True),
        ("The clade holds two taxa ; one subfamily is extinct .", True),
        ("Each species is rare ; the genus is old .", False),  # twice only
        ("The family of John Smith met his tribe .", False),  # no taxonomic word
    ],
)
def test_a_taxonomic_text_holds_three_taxonomic_words(text, report):
    assert (report_of_things(text) == "taxon") is report


@pytest.mark.parametrize(
    "text, word, person",
    [
        (
            TAXA + "Later , Varrolia was described by John Dransfield .",
            "Varrolia",
            False,
        ),
        (
            TAXA + "Later , Varrolia was described by John Dransfield .",
            "John Dransfield",
            True,
        ),
        ("Later , Varrolia was described in 1857 .", "Varrolia", True),
    ],
)
def test_an_unlisted_word_in_a_taxonomic_text_is_no_person(crf, text, word, person):
    scores = {text[s:e]: p for s, e, p in crf.spans(text)}
    assert (scores.get(word, 0.0) >= 0.5) is person
