"""A Latin-script span that glosses a Chinese term is no PERSON."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.name_routing import (
    english_words_in_chinese,
    latin_gloss_of_a_term,
)
from presidio_analyzer import RecognizerResult


def result(text: str, span: str) -> RecognizerResult:
    s = text.index(span)
    return RecognizerResult("PERSON", s, s + len(span), 0.9)


def gloss(text: str, span: str, names: tuple[str, ...] = (), lang="zh-Hant") -> bool:
    found = [result(text, n) for n in names]
    return latin_gloss_of_a_term(text, result(text, span), lang, found)


@pytest.mark.parametrize(
    "text, span",
    [
        # An ordinary word before the parenthesis: a lake, a router, a protein.
        ("市區的地標是星光湖（Starlight Lake），每年吸引大批遊客。", "Starlight Lake"),
        ("5.核心交換器（Core Switch）。", "Core Switch"),
        ("這種血清球蛋白（Serum Globulin）可以注射。", "Serum Globulin"),
        # Latin words of the term before the span, inside the parenthesis.
        ("指安全雜湊演算法（Secure Hash Algorithm）。", "Hash Algorithm"),
        # The span spelled out before its abbreviation.
        ("資料量以千位元組（Kilo Byte，以下簡稱KB）計算。", "Kilo Byte"),
        (
            "一种近似梯度算法(Proximal Gradient Method, PGM)被提出。",
            "Proximal Gradient Method",
        ),
        # The term in Chinese after the Latin span.
        ("他在當地建立了Sabar Ashram（修行所）。", "Sabar Ashram"),
    ],
)
def test_a_gloss_of_a_term_is_no_name(text, span):
    assert gloss(text, span)


@pytest.mark.parametrize(
    "text, span, names",
    [
        # A PERSON finding of the Chinese stage ends before the parenthesis.
        (
            "外交部長岡薩雷斯（Maria Gonzalez）表示歡迎。",
            "Maria Gonzalez",
            ("岡薩雷斯",),
        ),
        # A middle-dot name.
        ("議員約翰·劉易斯（John Lewis）昨日辭世。", "John Lewis", ()),
        # A role or title ends the Chinese side.
        ("新書描寫哈利王子（Prince Harry）的生活。", "Prince Harry", ()),
        # A word the dictionary lacks: a Chinese or transliterated name.
        ("歌手薛之謙（Joker Xue）出生於上海。", "Joker Xue", ()),
        # Not in parentheses after Han text.
        ("顧問醫生Tom Buckley作供時批評。", "Tom Buckley", ()),
        ("（President Bush, he said to me）", "Bush", ()),
        # Han text between the parenthesis and the span (英语：...).
        ("普里姆（英語：Robert Prim）獨立發現。", "Robert Prim", ()),
    ],
)
def test_names_glossed_or_not_in_parentheses_stay(text, span, names):
    assert not gloss(text, span, names)


def test_only_in_chinese_documents():
    text = "市區的地標是星光湖（Starlight Lake），每年吸引大批遊客。"
    assert not gloss(text, "Starlight Lake", lang="en")


def test_a_place_character_ends_a_term_the_dictionary_lacks():
    text = "聖米格爾堂（Iglesia de San Miguel）是一座教堂。"
    assert gloss(text, "Iglesia de San Miguel")


@pytest.mark.parametrize(
    "span, mixed",
    [
        ("Cu、Cd", True),  # a list of two words
        ("GIS、Web", True),
        ("G（Shear", True),
        ("Mary Jo White", False),
        ("O’Neil", False),
        # a symbol: a table's box drawing, an arrow
        ("Alice│       │Bob", True),
        ("LAN→WAN", True),
        ("Jean‐Luc Møller", False),
    ],
)
def test_cjk_punctuation_splits_a_latin_span(span, mixed):
    from corpusgate.detectors.pii.name_routing import mixed_script_person

    text = f"土壤重金属{span}含量"
    assert mixed_script_person(text, result(text, span)) is mixed


@pytest.mark.parametrize(
    "span, lang, is_words",
    [
        ("Silk Wedding", "zh-Hans", True),
        ("Universally Unique Identifier", "zh-Hans", True),
        ("Logistics Routing Problem", "zh-Hant", True),
        # capitals: a title or a product, not a name
        ("DRAGON BALL", "zh-Hans", True),
        ("BTC BARON", "zh-Hant", True),
        # a given name or a common surname: a person's name
        ("Bill Gates", "zh-Hans", False),
        ("Chlorophyll Wong", "zh-Hans", False),
        ("Steven Weissberg", "zh-Hans", False),
        # one word is lone_latin_word's; English text is the name model's
        ("Logistics", "zh-Hans", False),
        ("Silk Wedding", "en", False),
    ],
)
def test_english_words_in_chinese_text(span, lang, is_words):
    text = f"十二周年:丝婚 {span} 是什么"
    assert english_words_in_chinese(text, result(text, span), lang) is is_words


SERIES = (
    "十周年:锡婚 Tin Wedding 十四周年:象牙婚 Ivory Wedding 十五周年:水晶婚 Crystal "
    "Wedding 五十周年 金婚 Golden Wedding"
)


@pytest.mark.parametrize(
    "text, span, is_words",
    [
        # a series of terms sharing an ordinary last word: each one, even after
        # a given name (Crystal, Golden)
        (SERIES, "Crystal Wedding", True),
        (SERIES, "Golden Wedding", True),
        # two are no series
        ("象牙婚 Ivory Wedding 水晶婚 Crystal Wedding", "Crystal Wedding", False),
        # a family shares a surname, a common one: names
        (
            "家人 John Brown、Mary Brown 和 Tom Brown 都来了",
            "Mary Brown",
            False,
        ),
    ],
)
def test_a_series_of_english_terms_in_chinese_text(text, span, is_words):
    assert english_words_in_chinese(text, result(text, span), "zh-Hans") is is_words
