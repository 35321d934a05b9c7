"""The English name model does not read long prose in another language."""

from __future__ import annotations

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
