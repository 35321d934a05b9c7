"""The English name model does not read long prose in another language; the Chinese
name stage reads no written-Cantonese function word as a name."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import Record

GERMAN = (
    "Wenn Sie das Programm zum ersten Mal starten, legt es im Heimatverzeichnis eine "
    "neue Konfigurationsdatei an. Die Werte in dieser Datei gelten für alle weiteren "
    "Aufrufe, bis Sie sie ändern. Die Optionen auf der Befehlszeile haben Vorrang vor "
    "den Einstellungen in der Datei. Weitere Informationen über die einzelnen Felder "
    "finden Sie im Abschnitt über die Umgebungsvariablen weiter unten. Bei Fehlern "
    "schreiben Sie an support@example.org oder rufen Sie +49 30 12345678 an."
)


def kinds(detector, text):
    return [
        (f.finding_type, text[f.start : f.end])
        for f in detector.scan(Record("d", "s", 0, text))
    ]


def test_german_prose_has_no_english_names_but_keeps_identifiers(detector):
    found = kinds(detector, GERMAN)
    assert not [v for t, v in found if t == "PERSON"]
    assert ("EMAIL_ADDRESS", "support@example.org") in found


def test_a_short_foreign_line_is_still_read(detector):
    # Short text stays with the English model (CLD2 is unsure there): a name in an
    # English sentence that CLD2 would call Danish is not lost.
    text = "Søren Kierkegaard lives at Nørrebrogade 12."
    assert ("PERSON", "Søren Kierkegaard") in kinds(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "問題係 ︰ 點解十年後嘅今日 我哋仲喺阿富汗 ？",  # 仲喺: still at
        "呢兩部相機我用咗七年幾，仲冇問題。",  # 仲冇: still no
        "嗱，呢張相就係我老豆㗎。",  # 呢張相: this photo
        "公司靜到我爭啲喺張枱度瞌眼瞓。",  # 喺張枱: at the table
        "2016年底，梁喺社交網站發表一部改編自日本漫畫嘅短片",  # 梁喺: Leung at
        "請問我想去西貢大埔仔要搭乜嘢車先去到",  # 乜嘢: what
    ],
)
def test_written_cantonese_function_words_are_no_names(detector, text):
    assert not [
        text[f.start : f.end]
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= 0.5
    ]


def test_names_in_written_cantonese_are_found(detector):
    text = "鄧楨已婚，妻子係大律師林勁思。有兩個仔。"
    names = {
        text[f.start : f.end]
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= 0.5
    }
    assert {"鄧楨", "林勁思"} <= names
