"""English names: in a tropical cyclone's report or a taxonomic text, one word that
no name list holds (a storm's name, an island, a province, a genus) is no person;
listed names and full names stay people."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import report_of_things

STORMS = "Typhoon Halong was the third typhoon of the season and made landfall twice . "
TAXA = "The genus was split into three genera , and each species was moved . "


@pytest.mark.parametrize(
    "text, kind, report",
    [
        (STORMS, "storm", True),
        (
            "A tropical storm formed; the hurricane season ended; no landfall.",
            "storm",
            True,
        ),
        ("The hurricane missed us. A typhoon hit Japan.", "storm", False),  # twice only
        ("The Houston Hurricanes won the cup.", "storm", False),
        (TAXA, "taxon", True),
        ("The clade holds two taxa ; one subfamily is extinct .", "taxon", True),
        ("Each species is rare ; the genus is old .", "taxon", False),  # twice only
        (
            "The family of John Smith met his tribe .",
            "taxon",
            False,
        ),  # no taxonomic word
    ],
)
def test_a_report_holds_three_of_its_words(text, kind, report):
    assert (report_of_things(text) == kind) is report


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
def test_an_unlisted_word_in_a_report_of_things_is_no_person(crf, text, word, person):
    scores = {text[s:e]: p for s, e, p in crf.spans(text)}
    assert (scores.get(word, 0.0) >= 0.5) is person
