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

VECTORS = (
    Path(__file__).resolve().parents[3].parent / "shared/evalsets/pii/presidio_vectors"
)


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
        (
            r"(?:bc1|[13])[a-zA-HJ-NP-Z0-9]{25,39}",
            "1BoatSLRHtKNngkdXEeobR76b53LETtpyT",
            True,
        ),
        (
            r"\b[0-9A-F]{2}([:-])(?:[0-9A-F]{2}\1){4}[0-9A-F]{2}\b",
            "AB-CD-EF-AB-CD-EF",
            True,
        ),
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
    for expected in (
        "UkNinoRecognizer",
        "InAadhaarRecognizer",
        "SgFinRecognizer",
        "UrlRecognizer",
        "UsItinRecognizer",
        "EsNifRecognizer",
    ):
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


def test_folding_characters_are_all_that_re_equates_with_ascii_letters():
    """The substring tests (`Folded`) are sound only if no other non-ASCII character
    matches an ASCII letter case-insensitively or lower-cases to one."""
    import string

    from corpusgate.detectors.pii.prescan import FOLDS_TO_ASCII

    letter = re.compile("[a-z]", re.IGNORECASE)
    found = {
        chr(c)
        for c in range(0x80, 0x110000)
        if letter.fullmatch(chr(c))
        or any(ch in string.ascii_letters for ch in chr(c).lower())
    }
    assert found == set(FOLDS_TO_ASCII)


@pytest.mark.parametrize(
    "pattern, plain",
    [
        (r"\b[0-9A-F]{2}[:-][0-9A-F]{2}", r"[0-9A-F]{2}[:\-][0-9A-F]{2}"),
        (r"[a-zA-HJ-NP-Z0-9]{25,39}", r"[a-zA-HJ-NP-Z0-9]{25}"),
        (r"\d{3}-\d{2}-\d{4}", r"\d{3}-\d{2}-\d{4}"),
    ],
)
@given(
    st.text(alphabet="AF09:-x I", max_size=40)
    | st.from_regex(r"[0-9A-F]{2,30}[:-]?[0-9A-F]{2,30}")
)
@settings(max_examples=150, suppress_health_check=list(HealthCheck), deadline=None)
def test_rewritten_condition_equals_the_plain_window(pattern, plain, text):
    cond = necessary(pattern)
    assert "(?<" in cond  # the rewritten form
    assert (re.search(cond, text) is not None) == (re.search(plain, text) is not None)


@pytest.mark.parametrize(
    "pattern, texts",
    [
        # rotated to start at the rarest character; a run searched from its start
        (r"\b[0-9A-F]{2}[:-][0-9A-F]{2}", ["AB:CD", "ab-cd", "x AB CD", "ABCD:"]),
        (r"[A-Z]{2}\d{6}[A-Z]", ["AB123456C", "A123456C", "xAB123456C"]),
        (r"[a-zA-HJ-NP-Z0-9]{25,39}", ["a" * 24, "a" * 25, "I" * 30, "b" * 40 + "I"]),
        # literal alternations answered by substring tests
        (
            r"(?i)(?:病案号|MRN|medical record )\s*\d+",
            ["mrn 12", "MrN", "病案号", "ſ", "MEDICAL RECORD 1", "K"],
        ),
        (r"(?:微信号|WeChat|wx)[:：]?\w+", ["wechat", "WeChat", "微信号x", "WX"]),
    ],
)
def test_rewritten_conditions_decide_like_the_plain_ones(pattern, texts):
    """The faster forms of a condition (rarest character first, run starts, literal
    words) hold in exactly the texts where the pattern's plain condition holds,
    also with characters that fold to ASCII letters (ſ, K)."""
    from corpusgate.detectors.pii.prescan import Folded, _Literals

    cond = necessary(pattern)
    literals = _Literals.of(cond)
    for text in texts + [t.upper() for t in texts] + ["ſ" + t for t in texts]:
        plain = re.search(cond, text) is not None
        if literals is not None:
            fast = literals.search(text, Folded(text))
            assert fast in (None, plain), (cond, text)
        if re.search(pattern, text, re.IGNORECASE if "(?i)" in pattern else 0):
            assert plain


@pytest.mark.parametrize(
    "text",
    [
        "Driver's License: X123",
        "DRIVING",
        "licenſe",
        "LİCENSE",
        "unlicensed",
        "no word",
        "驾照 license",
    ],
)
def test_context_word_gate_agrees_with_its_regex(text):
    from corpusgate.detectors.pii.detector import ContextWords
    from corpusgate.detectors.pii.prescan import Folded

    gate = ContextWords(["license", "driving", "Driver"])
    assert gate.found(text, Folded(text)) == (gate.regex.search(text) is not None)


@given(
    st.lists(st.sampled_from(["lic", "license", "Lic#", "us", "驾照", "e-mail地址"])),
    st.text(alphabet="licenseuUsS#驾照e-mail地址 ", max_size=30),
)
@settings(max_examples=300, deadline=None)
def test_context_regex_matches_as_one_lookbehind_per_word(words, text):
    from corpusgate.detectors.pii.detector import _context_regex

    # the form with a look-behind per word that _context_regex groups
    plain = re.compile(
        "|".join(
            rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w)
            for w in sorted(set(words), key=len, reverse=True)
        ),
        re.IGNORECASE,
    )
    spans = [m.span() for m in _context_regex(words).finditer(text)]
    assert spans == [m.span() for m in plain.finditer(text)]


@given(st.text(alphabet="0123456789.:aFx ", max_size=30))
@settings(max_examples=300, deadline=None)
def test_ip_shape_gate_holds_where_the_plain_shape_does(text):
    from corpusgate.detectors.pii.international import GatedIpRecognizer

    plain = r"\d{1,3}\.\d{1,3}\.\d{1,3}\.\d|[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:"
    assert (GatedIpRecognizer._SHAPE.search(text) is None) == (
        re.search(plain, text) is None
    )
