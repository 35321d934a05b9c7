"""`international.pattern_results` returns what Presidio's `PatternRecognizer.analyze`
returns - same spans, scores, metadata and order - for every pattern recognizer
corpusgate can run, on texts that hold their shapes (valid, invalid, glued, repeated);
the e-mail recognizer finds on the runs around each '@' what it finds on the whole
text."""

import json
from pathlib import Path

import pytest
from corpusgate.detectors.pii.international import (
    OfflineEmailRecognizer,
    ascii_view,
    pattern_results,
    presidio_pattern_recognizers,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from presidio_analyzer import PatternRecognizer

VECTORS = (
    Path(__file__).resolve().parents[3].parent / "shared/evalsets/pii/presidio_vectors"
)

TEXTS = [
    "Call 415-555-0100 or (415) 555-0100, fax +1 415 555 0199; not 2023-11-25.",
    "Card 4111 1111 1111 1111 and 4111-1111-1111-1112 (bad Luhn), 378282246310005.",
    "SSN 078-05-1120, 078 05 1120, 078051120; ITIN 912-70-1234; NHS 943 476 5919.",
    "Mail a.b@example.org, x@foo.com-bar@baz.org, nu@digifun.cnWAP, user@localhost.",
    "IPs 192.168.1.1, 8.8.8.8, 999.1.1.1, fe80::1, 2001:db8::ff00:42:8329, ::ffff:1.2.3.4.",
    "MAC 00:1A:2B:3C:4D:5E, 0011.2233.4455; IBAN GB82 WEST 1234 5698 7654 32, DE89370400440532013000.",
    "Wallet 1BoatSLRHtKNngkdXEeobR76b53LETtpyT; DEA AB1234563; licence A1234567, 123456789.",
    "Passport 912803456, bank 123456789012, +86 10746 1491, +919939198087.",
    "",
    "nothing to see here at all",
    "张伟的电话是13812345678，邮箱zhang@x.org，卡号6222021234567890123。",
]


def _recognizers():
    return [
        r
        for r in presidio_pattern_recognizers(countries=["all"])
        if isinstance(r, PatternRecognizer)
    ]


def _texts():
    texts = list(TEXTS)
    if (VECTORS / "corpus.jsonl").exists():
        for line in (VECTORS / "corpus.jsonl").open(encoding="utf-8"):
            texts.append(json.loads(line)["text"])
    return texts + [ascii_view(t) for t in texts]


def _rows(results):
    return [
        (r.entity_type, r.start, r.end, r.score, r.recognition_metadata)
        for r in results
    ]


@pytest.mark.parametrize(
    "recognizer", _recognizers(), ids=lambda r: f"{type(r).__name__}-{r.name}"
)
def test_same_results_as_presidios_loop(recognizer):
    found = 0
    for text in _texts():
        expected = PatternRecognizer.analyze(
            recognizer, text, recognizer.supported_entities, None
        )
        assert _rows(pattern_results(recognizer, text)) == _rows(expected), text
        found += len(expected)
    if type(recognizer).__name__ in ("CreditCardRecognizer", "OfflineEmailRecognizer"):
        assert found  # the table reaches the checks, not only empty results


def test_each_result_has_its_own_metadata():
    r = next(x for x in _recognizers() if "EMAIL_ADDRESS" in x.supported_entities)
    a, b = pattern_results(r, "a.b@example.org and c.d@example.org")
    assert a.recognition_metadata == b.recognition_metadata
    assert a.recognition_metadata is not b.recognition_metadata


@pytest.fixture(scope="module")
def email():
    return OfflineEmailRecognizer()


def _email_rows(recognizer, text, by_runs):
    recognizer.by_runs = by_runs
    try:
        return _rows(recognizer.analyze(text, ["EMAIL_ADDRESS"]))
    finally:
        recognizer.by_runs = True


def test_email_pattern_is_presidios_known_one(email):
    # a new Presidio pattern would be run on the whole text: this says to recheck
    # that its matches still lie in runs of _EMAIL_RUN's characters
    assert email.by_runs


@pytest.mark.parametrize("text", TEXTS + [ascii_view(t) for t in TEXTS])
def test_email_on_runs_as_on_the_whole_text(email, text):
    assert _email_rows(email, text, True) == _email_rows(email, text, False)


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.lists(
        st.sampled_from(
            ["a", "b1", ".", "-", "_", "@", "+", " ", "com", ".org", "é", "中", "'"]
        ),
        max_size=25,
    ).map("".join)
)
def test_email_on_runs_as_on_generated_text(email, text):
    assert _email_rows(email, text, True) == _email_rows(email, text, False)
