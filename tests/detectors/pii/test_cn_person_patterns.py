"""The first-character lookaheads of the Chinese name patterns: a speed-up that
must find exactly what the pattern without it finds."""

from __future__ import annotations

import re

import pytest
from corpusgate.detectors.pii.china.cn_person_recognizer import first_chars


@pytest.mark.parametrize(
    "words, expected",
    [
        (["王", "欧阳", "李"], "(?=[李欧王])"),
        (["-b", "]x", "^y"], r"(?=[\-\]\^])"),
        (["说", ""], ""),  # an empty word matches anywhere: no lookahead
    ],
)
def test_first_chars(words, expected):
    assert first_chars(words) == expected


@pytest.mark.parametrize(
    "text",
    [
        "记者李建新报道，会长黄福华表示，欧阳中石说。",
        "王-小明]^说",
        "",
        "没有姓氏的句子。",
    ],
)
def test_a_lookahead_finds_what_the_pattern_finds(text):
    words = ["李", "黄", "欧阳", "王", "-", "]", "^"]
    plain = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    ahead = re.compile(first_chars(words) + f"(?:{plain.pattern})")
    assert [m.span() for m in ahead.finditer(text)] == [
        m.span() for m in plain.finditer(text)
    ]
