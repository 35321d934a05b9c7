"""The street-address pattern opens with the house number's first digit and checks
what precedes the number behind it; it finds exactly what the same pattern written
with those checks before the number finds (lookbehinds and a word boundary at the
number's start), on a table of addresses and on generated text."""

import re

import pytest
from corpusgate.detectors.pii.international import EnglishAddressRecognizer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CHECKS_BEFORE = (
    r"(?<![\d.,:$/])(?<!\d{4}-\d\d-)(?<!\d{4}/\d\d/)\b(?P<num>\d{1,6}[A-Z]?)"
)
CHECKS_BEHIND = (
    r"(?P<num>\d(?<![\d.,:$/]\d)(?<!\d{4}-\d\d-\d)(?<!\d{4}/\d\d/\d)(?<!\w\d)"
    r"\d{0,5}[A-Z]?)"
)


@pytest.fixture(scope="module")
def patterns():
    r = EnglishAddressRecognizer()
    r.load()
    shipped = r._american
    assert shipped.pattern.startswith(CHECKS_BEHIND)
    rest = shipped.pattern[len(CHECKS_BEHIND) :]
    return shipped, re.compile(CHECKS_BEFORE + rest)


def _found(rx, text):
    return [(m.span(), m.groupdict()) for m in rx.finditer(text)]


@pytest.mark.parametrize(
    "text",
    [
        "1405 Hickory Avenue Apt. 3, Springfield, IL 62704",
        "She lives at 221B Baker Street.",
        "x1405 Hickory Avenue",  # glued to a word: no house number
        "$36.00 Main Street, 20,000 Elm Road, 2:00 Oak Lane, 2/5 Pine Drive",
        "2012-12-20 42 Tom Lane and 2012/12/20 7 Elm Street",
        "12 N Main St and 9 Rue Street, 100 West 42nd Street",
        "1405 Hickory Avenue",  # at the text's start
        "٣ Main Street 12 Main Street",  # a digit of another script
        "",
    ],
)
def test_same_matches_as_the_checks_before_the_number(patterns, text):
    shipped, before = patterns
    assert _found(shipped, text) == _found(before, text)


def test_the_table_finds_addresses(patterns):
    shipped, _ = patterns
    assert _found(shipped, "She lives at 221B Baker Street.")
    assert not _found(shipped, "x1405 Hickory Avenue")


_PIECES = st.sampled_from(
    ["1", "42", "1405", "2012", "-", "/", ".", ",", ":", "$", " ", "x", "B", "_"]
    + ["Main ", "Hickory ", "Street", "Avenue", "St", " N ", "\n", "٣", "Apt 3"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_same_matches_on_generated_text(patterns, text):
    shipped, before = patterns
    assert _found(shipped, text) == _found(before, text)
