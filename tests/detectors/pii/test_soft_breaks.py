"""Quoted-printable mail read without decoding: a soft line break inside a word
("Jim H= ughes") is read as the whole word, with the text's own offsets."""

from __future__ import annotations

from corpusgate.detectors.base import Record
from corpusgate.detectors.pii.international import in_text, soft_breaks_joined

MAIL = (
    "We are pleased to announce that Rebecca McD= onald will focus on Asia=20 "
    "and Jim H= ughes joins Gas Pipeline Co. of America, Mi= d-Continent Pool =09 "
    "said Ann Brant."
)


def test_a_soft_break_inside_a_word_is_taken_out_in_a_view_of_the_same_length():
    view, moved = soft_breaks_joined(MAIL)
    assert len(view) == len(MAIL)
    assert "Rebecca McDonald   will" in view and "Jim Hughes   joins" in view
    s = view.index("Jim Hughes")
    assert MAIL[slice(*in_text(moved, s, s + len("Jim Hughes")))] == "Jim H= ughes"
    # Offsets outside the joined words do not move.
    assert view.index("Ann Brant") == MAIL.index("Ann Brant")


def test_text_without_the_encoding_is_left_alone():
    # "x= y" outside quoted-printable text is no soft break (code, formulas).
    text = "set x= y and call Jim Hughes"
    assert soft_breaks_joined(text) == (text, [])


def test_names_broken_by_soft_line_breaks_are_found_whole(detector):
    found = [
        MAIL[f.start : f.end]
        for f in detector.scan(Record("d", "s", 0, MAIL))
        if f.finding_type == "PERSON" and f.score >= 0.5
    ]
    assert found == ["Rebecca McD= onald", "Jim H= ughes", "Ann Brant"]
