"""English names: organisations the text names without marking them as such (the
organisation list, trade words, employers, tickers, signatures, mail domains)."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.pii.en_person_model import (
    bio,
    listed_organisation,
    org_key,
    organisation_evidence,
    organisations,
    tokenize,
)


def model_names(crf, text):
    return [text[s:e] for s, e, p in crf.spans(text) if p >= 0.5]


def test_the_list_loads_and_keys_are_normalised():
    one, caps, longer = organisations()
    assert "enron" in one and "doe" in caps and "morgan stanley" in longer
    assert org_key("J.P. Morgan") == org_key("JP Morgan") == "jp morgan"
    assert org_key("Procter & Gamble") == "procter and gamble"


@pytest.mark.parametrize(
    "text, span, kind",
    [
        ("talk with him at Morgan Stanley today", "Morgan Stanley", "whole"),
        ("the letter that kinder Morgan signed", "Morgan", "part"),
        ("an analyst with J.P. Morgan said", "Morgan", "part"),
        ("the rate for Nevada Power has changed", "Nevada Power", "whole"),
        ("York sued Enron last week", "Enron", "one"),
        # an acronym in the list is only ever one in capitals
        ("the DOE issued an order", "DOE", "one"),
        ("John Doe signed it", "Doe", None),
        # joined by "and" and made of name-list words: two people as often
        ("our founders: Gerste, Johnson and Johnson.", "Johnson", None),
        # ...joined by "&", the firm
        ("the drug is made by Johnson & Johnson in Texas", "Johnson", "part"),
        ("Has Baker & McKenzie recommended this?", "McKenzie", "part"),
        ("Morgan Freeman starred in it", "Morgan Freeman", None),
        ("Ken Lay spoke to the board", "Ken Lay", None),
    ],
)
def test_listed_organisation(text, span, kind):
    s = text.rindex(span) if span == "Johnson" else text.index(span)
    assert listed_organisation(text, s, s + len(span)) == kind


def _evidence(text, span, persons=()):
    """organisation_evidence for `span` with the given person spans as the tags
    around it (as the model's tags are in the recognizer)."""
    tokens = tokenize(text)
    gold = []
    for p in persons:
        s = text.index(p)
        gold.append((s, s + len(p), "PER"))
    tags = bio(tokens, gold)
    s = text.index(span)
    return organisation_evidence(text, tokens, tags, s, s + len(span))


@pytest.mark.parametrize(
    "text, span, persons, reason",
    [
        # the organisation list
        ("Talk with Jeff Holzschuh at Morgan Stanley.", "Morgan Stanley", (), "listed"),
        ("York sued Enron and Eric Holzer.", "Enron", ("Eric Holzer",), "listed"),
        ("Mr. Enron came in.", "Enron", (), None),
        ("This is Blackstone's fund.", "Blackstone", (), "listed"),
        # a common name is left to the document (Koch, Pearson)
        ("Nekolná and Pearson were engineers.", "Pearson", (), None),
        # a trade word ending the name or after it; a given name first keeps it
        ("The rate for Nevada Power changed.", "Nevada Power", (), "listed"),
        ("The rate for Vexley Power changed.", "Vexley Power", (), "trade"),
        ("The rate for Vexley Gas changed.", "Vexley", (), "trade"),
        ("Samantha Power spoke.", "Samantha Power", (), None),
        ("Tyrone Power starred.", "Tyrone Power", (), None),
        # the employer after a job or a person's name
        ("She is a trader at Vexley Hadlow.", "Vexley Hadlow", (), "employer"),
        ("He is the CEO of Vexley.", "Vexley", (), "employer"),
        ("Call Jim Brant at Vexley.", "Vexley", ("Jim Brant",), "employer"),
        ("Ask Pete Brant (Vexley) about it.", "Vexley", ("Pete Brant",), "employer"),
        ("He was a student of Plato.", "Plato", (), None),
        (
            "Charlie finds Eddie Brant at Sarah 's and leaves.",
            "Sarah",
            ("Eddie Brant",),
            None,
        ),
        ("Ask Robert Brant (Bob) about it.", "Bob", ("Robert Brant",), None),
        ("A letter of Vexley Hadlow arrived.", "Vexley Hadlow", (), None),
        # a stock ticker
        ("Vexley (VXL) shares rose.", "Vexley", (), "ticker"),
        ("Vexley Hadlow (NYSE: VXL) rose.", "Vexley Hadlow", (), "ticker"),
        ("Mark Brant (MB) agreed.", "Mark Brant", (), None),
        # the line after a signature's title
        (
            "John Brant\nVice President\nVexley Hadlow\n",
            "Vexley Hadlow",
            (),
            "signature",
        ),
        ("Regards,\nVexley Hadlow\n", "Vexley Hadlow", (), None),
        ("Vice President:\nVexley Hadlow\n", "Vexley Hadlow", (), None),
        ("at sites 3, 4 and 5.\nVexley Hadlow came.", "Vexley Hadlow", (), None),
        ("Ann Brant\nVice President\nJohn Hadlow\n", "John Hadlow", (), None),
        # a mail domain of the document; a person's own domain is no firm's
        (
            "Vexley Hadlow called. Mail jbrant@vexleyhadlow.com now.",
            "Vexley Hadlow",
            (),
            "domain",
        ),
        (
            "Tom Solomon leads. Mail tsolomon@tomsolomon.com now.",
            "Tom Solomon",
            (),
            None,
        ),
        # its owner writes from it under a first name or as "me"
        ("Erik Wickstrom <erik@erikwickstrom.com>", "Erik Wickstrom", (), None),
        ("Kenneth Reitz <me@kennethreitz.org>", "Kenneth Reitz", (), None),
        ("Geoffrey Booth <webadmin@geoffreybooth.com>", "Geoffrey Booth", (), None),
        (
            "Kenneth Reitz <me@kennethreitz.org>, ask bob@kennethreitz.org",
            "Kenneth Reitz",
            (),
            "domain",
        ),
    ],
)
def test_organisation_evidence(text, span, persons, reason):
    assert _evidence(text, span, persons) == reason


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        (
            "My suggestions: talk with Jeff Holzschuh at Morgan Stanley or Bruce "
            "Wasserstein.",
            "Morgan Stanley",
            "Jeff Holzschuh",
        ),
        (
            "York filed two summonses against Enron and Eric Holzer last week.",
            "Enron",
            "Eric Holzer",
        ),
        (
            "Morgan Freeman starred in the film. Ken Lay spoke to Morgan Stanley.",
            "Morgan Stanley",
            "Morgan Freeman",
        ),
        (
            "Morgan Freeman starred in the film. Ken Lay spoke to Morgan Stanley.",
            "Morgan Stanley",
            "Ken Lay",
        ),
        (
            "The ancillary services rate for Nevada Power has been changed. "
            "Samantha Power said so.",
            "Nevada Power",
            "Samantha Power",
        ),
        (
            "Ken tried to reach Pete Peterson (Blackstone) but did not make contact.",
            "Blackstone",
            "Pete Peterson",
        ),
    ],
)
def test_organisations_go_and_people_stay(crf, text, gone, kept):
    found = model_names(crf, text)
    assert gone not in found and kept in found


def test_names_that_are_also_firms_stay_people(crf):
    text = "Is there a better song on this list? Nekolná and Pearson were engineers."
    assert "Pearson" in model_names(crf, text)
    text = "Our 3 founders: Gerste, Johnson and Johnson. The idea was born on a beach."
    assert model_names(crf, text).count("Johnson") == 2


def test_the_given_name_list_recognizer_obeys_the_list(detector):
    text = "It helps them, said Anatol Feygin, an analyst with J.P. Morgan."
    found = [
        text[f.start : f.end]
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= 0.5
    ]
    assert "Anatol Feygin" in found and not [f for f in found if "Morgan" in f]
