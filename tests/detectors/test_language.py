"""Language and script of documents and spans; traditional -> simplified offsets."""

from __future__ import annotations

import re

import pytest
from corpusgate.detectors.language import (
    LANGUAGES,
    document_language,
    language_spans,
    other_language_prose,
    script_language,
    span_language,
    span_to_original,
    to_simplified,
)
from hypothesis import given, settings
from hypothesis import strategies as st


@pytest.mark.parametrize(
    "text, language",
    [
        (
            "记者李蕾报道，会长黄福华表示，今年的产量比去年增长了一成，市场反应良好。",
            "zh-Hans",
        ),
        (
            "中華民國憲法增修條文為因應國家統一前之需要，依照憲法第二十七條之規定。",
            "zh-Hant",
        ),
        (
            "イタセンパラは、コイ科のタナゴ亜科タナゴ属に分類される淡水魚の一種である。",
            "ja",
        ),
        # Kanji-heavy Japanese with a little kana is still Japanese.
        ("東京都千代田区で開催された国際会議には各国代表が出席した。", "ja"),
        (
            "대한민국의 수도는 서울이며 인구는 약 천만 명이다. 한강이 도시를 가로지른다.",
            "ko",
        ),
        ("John Smith went to the market with his wife and bought fresh bread.", "en"),
        (
            "Der Vorstand hat heute die Ergebnisse des dritten Quartals vorgestellt.",
            "other",
        ),
        # Short text: the script decides.
        ("王小明", "zh-Hans"),
        ("張偉先生", "zh-Hant"),
        ("さくら", "ja"),
        ("김민준", "ko"),
        ("Hi Bob", "en"),
        ("12345 !!", "other"),
        ("", "other"),
        # Mixed: the language of most of the text.
        ("Please send the report to John Smith by Friday, thanks. 收件人王健", "en"),
        ("收件人王健，电话见附件，请于周五前寄出报告，谢谢。Thanks a lot.", "zh-Hans"),
    ],
)
def test_document_language(text, language):
    assert document_language(text) == language
    assert document_language(text) in LANGUAGES


def test_spans_of_a_mixed_document():
    text = (
        "Please send the quarterly report to John Smith before Friday afternoon. "
        "收件人王健已签收，请财务部门尽快核对发票金额并安排付款。"
    )
    spans = language_spans(text)
    langs = [s.language for s in spans]
    assert "en" in langs and "zh-Hans" in langs
    # Spans tile the text in order.
    assert spans[0].start == 0
    for a, b in zip(spans, spans[1:], strict=False):
        assert a.end <= b.start
    zh = next(s for s in spans if s.language == "zh-Hans")
    assert "王健" in text[zh.start : zh.end]


@pytest.mark.parametrize(
    "text, start, end, document, language",
    [
        ("收件人王健 Please call John Smith", 3, 5, "en", "zh-Hans"),
        ("收件人王健 Please call John Smith", 18, 28, "en", "en"),
        ("聯絡人張偉，電話另附", 3, 5, "zh-Hant", "zh-Hant"),
        ("田中さんは東京に住んでいる", 0, 2, "ja", "ja"),
    ],
)
def test_span_language(text, start, end, document, language):
    assert span_language(text, start, end, document) == language


def test_script_language_has_no_model():
    assert script_language("ひらがな") == "ja"
    assert script_language("한국어") == "ko"
    assert script_language("國際") == "zh-Hant"
    assert script_language("国际") == "zh-Hans"


@pytest.mark.parametrize(
    "text, config, name",
    [
        # Same length: character for character.
        ("聯絡人張偉，電話另附。", "t2s", "张伟"),
        # tw2sp changes the length of phrases before the name: 獅子山 (3) ->
        # 塞拉利昂 (4), 聖克里斯多福及尼維斯 (10) -> 圣基茨和尼维斯 (7).
        ("他來自獅子山共和國，名叫張偉。", "tw2sp", "张伟"),
        ("聖克里斯多福及尼維斯的王大明說", "tw2sp", "王大明"),
        ("我用滑鼠點擊軟體時，李秀英打來電話。", "tw2sp", "李秀英"),
    ],
)
def test_traditional_offsets_map_back_exactly(text, config, name):
    conv, offsets = to_simplified(text, config)
    assert len(offsets) == len(conv) + 1
    i = conv.index(name)
    s, e = span_to_original(offsets, i, i + len(name))
    original = to_simplified(text[s:e], "t2s")[0]
    assert original == name  # the original characters of exactly that name
    assert e - s == len(name)


def test_a_span_over_a_changed_phrase_covers_the_whole_original_phrase():
    text = "他來自獅子山。"
    conv, offsets = to_simplified(text, "tw2sp")
    assert len(conv) != len(text)
    i = conv.index("塞拉利昂")
    s, e = span_to_original(offsets, i, i + 4)
    assert text[s:e] == "獅子山"
    # Every converted character maps inside the original text, in order.
    assert offsets == sorted(offsets)
    assert offsets[-1] == len(text)


@given(
    st.lists(
        st.sampled_from(
            [
                "獅子山",
                "聖克里斯多福及尼維斯",
                "滑鼠",
                "軟體",
                "張偉",
                "電話",
                "，",
                "。",
                " ",
                "\n",
                "abc",
                "\x00",
                "（",
                "漢字",
            ]
        ),
        max_size=12,
    ).map("".join),
    st.sampled_from(["t2s", "tw2sp"]),
)
@settings(max_examples=300, deadline=None)
def test_one_conversion_call_equals_converting_each_piece(text, config):
    from corpusgate.detectors import language

    # the reference: each run between breaks converted alone, each changed run
    # aligned as _align does
    cc = language.opencc_converter(config)
    out, offsets = [], []
    for m in re.finditer(f"[^{language._BREAKS}]+|[{language._BREAKS}]+", text):  # noqa: SLF001
        piece = m.group()
        conv = cc.convert(piece) if language._HAN.search(piece) else piece  # noqa: SLF001
        out.append(conv)
        if len(conv) == len(piece):
            offsets += range(m.start(), m.end())
        else:
            offsets += [m.start() + i for i in language._align(piece, conv)]  # noqa: SLF001
    offsets.append(len(text))
    assert to_simplified(text, config) == ("".join(out), offsets)


def test_simplified_text_is_unchanged():
    text = "收件人王健，电话13812345678"
    conv, offsets = to_simplified(text)
    assert conv == text
    assert offsets == list(range(len(text) + 1))


def test_each_opencc_configuration_is_built_once_per_process():
    from corpusgate.detectors import language

    first = {c: language.opencc_converter(c) for c in ("t2s", "s2t", "tw2sp")}
    language.han_variant("這是繁體字")  # t2s and s2t
    language.to_simplified("軟體", "tw2sp")
    again = {c: language.opencc_converter(c) for c in first}
    assert all(again[c] is first[c] for c in first)


_GERMAN = (
    "Wenn Sie das Programm zum ersten Mal starten, legt es im Heimatverzeichnis eine "
    "neue Konfigurationsdatei an. Die Werte in dieser Datei gelten für alle weiteren "
    "Aufrufe, bis Sie sie ändern. Die Optionen auf der Befehlszeile haben Vorrang vor "
    "den Einstellungen in der Datei. Weitere Informationen über die einzelnen Felder "
    "finden Sie im Abschnitt über die Umgebungsvariablen weiter unten. Bei Fehlern "
    "gibt das Programm eine Meldung aus und beendet sich mit einem Rückgabewert "
    "ungleich null, damit aufrufende Skripte darauf reagieren können."
)
_FRENCH = (
    "Lorsque vous lancez le programme pour la première fois, il crée un nouveau "
    "fichier de configuration dans votre répertoire personnel. Les valeurs de ce "
    "fichier s'appliquent à tous les appels suivants, jusqu'à ce que vous les "
    "modifiiez. Les options de la ligne de commande ont priorité sur les réglages du "
    "fichier. Vous trouverez plus d'informations sur chaque champ dans la section "
    "consacrée aux variables d'environnement, plus bas dans cette page de manuel."
)
_ENGLISH = (
    "When you start the program for the first time, it creates a new configuration "
    "file in your home directory. The values in this file apply to every later run "
    "until you change them. Options on the command line take precedence over the "
    "settings in the file. You will find more about each field in the section on "
    "environment variables further down this manual page, written by Jane Smith."
)


@pytest.mark.parametrize(
    "text, expected",
    [
        (_GERMAN, True),
        (_FRENCH, True),
        (_ENGLISH, False),
        (_GERMAN[:200], False),  # short: CLD2 is not asked
        (_GERMAN[:300] + " " + _ENGLISH, False),  # mixed: no one language
        ("Hans Müller, Jörg Meier, Klaus Schmidt, Anna Becker", False),
    ],
)
def test_other_language_prose(text, expected):
    assert other_language_prose(text) is expected
