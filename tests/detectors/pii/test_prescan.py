"""The pre-scan derived from the recognizers' regexes never skips a recognizer that
would match: strings generated from every pattern (hypothesis `from_regex`) and
Presidio's own test vectors must all pass it."""

import json
import re
from pathlib import Path

import pytest
from corpusgate.detectors.pii.china import PATTERN_RECOGNIZERS
from corpusgate.detectors.pii.international import (
    predefined_classes,
    presidio_pattern_recognizers,
)
from corpusgate.detectors.pii.prescan import PreScan, necessary, recognizer_patterns
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

VECTORS = Path(__file__).resolve().parents[3].parent / "shared/evalsets/pii/presidio_vectors"


def all_recognizers():
    return [cls() for cls in PATTERN_RECOGNIZERS] + presidio_pattern_recognizers(
        countries=["all"]
    )


@pytest.mark.parametrize(
    "pattern, text, expected",
    [
        (r"\d{3}-\d{2}-\d{4}", "ssn 123-45-6789", True),
        (r"\d{3}-\d{2}-\d{4}", "call 123 45 6789", False),
        (r"[\w.]+@\w+\.\w+", "a@b.org", True),
        (r"[\w.]+@\w+\.\w+", "no at sign here", False),
        (r"(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", True),
        (r"\b[0-9A-F]{2}([:-])(?:[0-9A-F]{2}\1){4}[0-9A-F]{2}\b", "AB-CD-EF-AB-CD-EF", True),
        (r"(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|::1", "host ::1", True),
        (r"(?<!\d)1[3-9]\d{9}(?!\d)", "手机13812345678", True),
    ],
)
def test_condition_table(pattern, text, expected):
    cond = necessary(pattern)
    assert cond is not None
    assert (re.search(cond, text) is not None) == expected
    if re.search(pattern, text):
        assert re.search(cond, text)  # sound: a match implies the condition


def test_every_recognizer_gets_a_condition_or_always_runs():
    scan = PreScan(all_recognizers())
    assert len(scan.conditions) == len(scan.recognizers)
    # most recognizers are filtered; the few without a condition always run
    assert sum(c is not None for c in scan.conditions) >= 0.9 * len(scan.conditions)


def _cases():
    for r in all_recognizers():
        for i, (pattern, flags) in enumerate(recognizer_patterns(r) or []):
            try:
                re.compile(pattern, flags)
            except re.error:
                continue  # `regex`-only syntax: no condition, the recognizer always runs
            yield pytest.param(r, pattern, flags, id=f"{type(r).__name__}-{i}")


@pytest.mark.parametrize("recognizer, pattern, flags", list(_cases()))
def test_generated_matches_pass_the_prescan(recognizer, pattern, flags):
    """Property: any text the pattern matches passes the recognizer's condition."""
    scan = PreScan([recognizer])
    cond = necessary(pattern, flags)

    @settings(
        max_examples=10,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(st.from_regex(re.compile(pattern, flags)))
    def check(text):
        if cond is not None and re.compile(pattern, flags).search(text):
            assert re.search(cond, text), (cond, text)
        assert scan.candidates(text) == [recognizer] or not re.compile(
            pattern, flags
        ).search(text)

    check()


@pytest.mark.skipif(not VECTORS.exists(), reason="shared evaluation data not present")
def test_no_presidio_vector_is_lost_to_the_prescan():
    texts = {}
    for line in (VECTORS / "corpus.jsonl").open(encoding="utf-8"):
        d = json.loads(line)
        texts[d["id"]] = d["text"]
    recognizers = all_recognizers()
    scan = PreScan(recognizers)
    by_entity = {}
    for r in recognizers:
        for e in r.supported_entities:
            by_entity.setdefault(e, []).append(r)
    lost, checked = [], 0
    for line in (VECTORS / "vectors.jsonl").open(encoding="utf-8"):
        v = json.loads(line)
        if not v["expected_len"] or v["entity"] not in by_entity:
            continue
        text = texts[v["doc_id"]]
        view = re.sub(r"[^\x00-\x7f]", " ", text)
        # only vectors that the recognizer itself finds count
        hits = [
            r
            for r in by_entity[v["entity"]]
            if r.analyze(view, r.supported_entities, None)
            or r.analyze(text, r.supported_entities, None)
        ]
        if not hits:
            continue
        checked += 1
        runs = scan.candidates(view) + scan.candidates(text)
        if not any(r in runs for r in hits):
            lost.append(v["doc_id"])
    assert checked > 800
    assert lost == []


def test_predefined_catalog_covers_presidio():
    names = set(predefined_classes())
    for expected in ("UkNinoRecognizer", "InAadhaarRecognizer", "SgFinRecognizer",
                     "UrlRecognizer", "UsItinRecognizer", "EsNifRecognizer"):
        assert expected in names


@pytest.mark.parametrize(
    "pattern, k",
    [
        (r"\d{3}-\d{2}-\d{4}", 4),
        (r"(?:\d{15}|\d{17}[\dX])", 15),
        (r"[A-Z]{2}\d{2}", 2),
        (r"[\w.]+@\w+", 0),
        (r"(?:1[3-9]\d{9})", 9),
    ],
)
def test_digits_needed(pattern, k):
    from corpusgate.detectors.pii.prescan import digits_needed

    assert digits_needed(pattern) == k
