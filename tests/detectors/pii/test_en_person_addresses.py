"""English names: address lines in other languages' layouts, places opened by a
natural feature's word, ships and numbered sites are no person, though streets are
often named after one; names in tables and sentences with numbers stay names."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.en_person_model import (
    address_part,
)

from tests.support.spans import at


@pytest.mark.parametrize(
    "text, span, why",
    [
        (
            "Send it to Rua Almirante Tamandaré 88, Recife.",
            "Almirante Tamandaré",
            "street",
        ),
        ("Send it to 12 rue Victor Hugo, Lyon.", "Victor Hugo", "street"),
        ("We moved to 4 ul. Mikołaja Kopernika 9.", "Mikołaja Kopernika", "street"),
        ("Rua Tiradentes 40 is on the left.", "Rua Tiradentes", "street"),
        ("Office: 217 Petőfi Sándor utca 5. Apt. 3", "Petőfi Sándor", "number"),
        ("Ship to 902 Holbergsgade 14, 2nd floor", "Holbergsgade", "number"),
        ("Apt. 946  Szentendre  Hungary 2000", "Szentendre", "unit"),
        ("Suite 12, Ravensworth, NSW", "Ravensworth", "unit"),
        # a results table: a second number follows, or an English word does
        ("128 Ian Woosnam 64 64 , Stephen Ames", "Ian Woosnam", None),
        ("- 5 Paul Goydos through 2 holes", "Paul Goydos", None),
        # a table's columns, tab-separated
        ("5 Joe Quenet\t\t6 Jeff Miller\t\t6 Reagan Mathews\t6", "Jeff Miller", None),
        ("Vice Admiral Tamura met 3 of the crew", "Tamura", None),
        ("He saw Viana at 10 am.", "Viana", None),
    ],
)
def test_address_part(text, span, why):
    assert address_part(text, *at(text, span)) == why


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        ("The flood reached Lake Okeechobee by noon.", "Lake Okeechobee", None),
        ("They sailed past Cape Engaño at dawn.", "Cape Engaño", None),
        ("Lake Bell and Jim Carter arrived.", None, "Jim Carter"),
        ("The guns of HMS Warrior fired first.", "HMS Warrior", None),
        ("B Company held Hill 209 until dawn.", "Hill", None),
        ("Faith Hill sang and Hill 's band played.", None, "Faith Hill"),
        (
            "Contact: Ilona Varga, 217 Petőfi Sándor utca 5.",
            "Petőfi Sándor",
            "Ilona Varga",
        ),
    ],
)
def test_places_go_and_people_stay(crf, text, gone, kept):
    found = {text[s:e] for s, e, p in crf.spans(text) if p >= 0.5}
    if gone:
        assert gone not in found
    if kept:
        assert kept in found


@pytest.mark.parametrize(
    "text, ship",
    [
        ("Ise 's AA armament was upgraded in 1931 . Later Ise sailed south .", "Ise"),
        ("Ise was scuttled in 1945 . Later Ise sailed south .", "Ise"),
        ("Later Ise sailed south . Ise reached 25 knots .", "Ise"),
        ("the screw two-decker SMS Kaiser survived . Kaiser was repaired .", "Kaiser"),
    ],
)
def test_a_ship_named_like_a_person_is_none(crf, text, ship):
    # (without the ship's evidence the model reads Ise and Kaiser as people)
    found = {text[s:e] for s, e, p in crf.spans(text) if p >= 0.5}
    assert ship not in found


def test_an_officer_commissioned_stays_a_person(crf):
    text = "Kowalski was commissioned as a lieutenant in 1942 ."
    assert "Kowalski" in {text[s:e] for s, e, p in crf.spans(text) if p >= 0.5}


@pytest.mark.parametrize(
    "text, gone, kept",
    [
        (
            "Both Rolling Stone 's Jon Dolan and others praised it .",
            "Rolling Stone",
            "Jon Dolan",
        ),
        ("Allmusic 's Steve Huey wrote that it was slow .", "Allmusic", "Steve Huey"),
        # a possessive with a relative between: both people
        ("Smith 's wife Mary Smith came .", None, "Smith"),
    ],
)
def test_the_possessive_before_a_persons_name_is_none(crf, text, gone, kept):
    found = {text[s:e] for s, e, p in crf.spans(text) if p >= 0.5}
    assert gone not in found and kept in found
