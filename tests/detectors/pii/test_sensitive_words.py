"""The word groups `SensitiveStatements.find` tests before a relation's regex: every
text the regex matches holds a word of each group (so skipping the regex where one
is missing loses nothing), and statements of every object form are still found."""

import re

import pytest
from corpusgate.detectors.pii.prescan import Folded
from corpusgate.detectors.pii.sensitive import SensitiveStatements
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

STATEMENTS = SensitiveStatements()


def _holds_every_group(text, groups):
    low = Folded(text).lower()
    return not low or all(any(w in low for w in g) for g in groups)


def _relations():
    rows = list(zip(STATEMENTS._relations, STATEMENTS._words, strict=True))
    rows += [
        (("MINOR_INFO", rx), groups)
        for rx, groups in zip(STATEMENTS._ages, STATEMENTS._age_words, strict=True)
    ]
    return [
        pytest.param(rx, groups, id=f"{category}-{i}")
        for i, ((category, rx), groups) in enumerate(rows)
    ]


@pytest.mark.parametrize("rx, groups", _relations())
def test_generated_matches_hold_every_group(rx, groups):
    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(st.from_regex(rx))
    def check(text):
        if rx.search(text):
            assert _holds_every_group(text, groups), text

    check()


@pytest.mark.parametrize(
    "text, category",
    [
        ("张伟患有糖尿病", "HEALTH_INFO"),  # a listed term
        ("张伟被诊断出骨质疏松症", "HEALTH_INFO"),  # …症
        ("Tom Baker has Crohn's disease", "HEALTH_INFO"),  # Xxx disease
        ("Tom Baker suffers from DEPRESSION", "HEALTH_INFO"),  # case-insensitive
        ("张伟因犯盗窃罪被判刑", "SPECIFIC_IDENTITY"),  # …罪
        ("Tom Baker was sentenced to 5 YEARS in prison", "SPECIFIC_IDENTITY"),
        ("张伟（9岁）", "MINOR_INFO"),
        ("Tom Baker, a 9-year-old boy", "MINOR_INFO"),
        ("Tom Baker, 9 YEARS OLD,", "MINOR_INFO"),
    ],
)
def test_statements_of_every_form_are_found(text, category):
    name = re.search(r"张伟|Tom Baker", text).span()
    found = STATEMENTS.find(text, [name], labelled=False)
    assert category in {s.category for s in found}


@pytest.mark.parametrize(
    "text",
    [
        "Tom Baker has a new car",  # a predicate word, no object word
        "张伟得了一等奖",
        "Tom Baker is 9",  # no unit of age
    ],
)
def test_no_statement_without_an_object_word(text):
    name = re.search(r"张伟|Tom Baker", text).span()
    assert STATEMENTS.find(text, [name], labelled=False) == []


def _every_word():
    groups = (*STATEMENTS._words, *STATEMENTS._age_words)
    return {w for gs in groups for g in gs for w in g}


@settings(max_examples=300, deadline=None, database=None)
@given(
    st.lists(
        st.sampled_from(
            sorted(_every_word())
            + ["has", "ha", "s ", "year", "years", "患", "病", " ", "x", "\u212a"]
        ),
        max_size=12,
    ).map("".join)
)
def test_one_pass_finds_every_word_a_substring_test_finds(text):
    low = Folded(text).lower()
    expected = {w for w in _every_word() if w in low}
    found = set(STATEMENTS._all_words.find_matches_as_strings(low, overlapping=True))
    assert found == expected
