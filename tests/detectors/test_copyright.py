"""Copyright overlap logic: folding with offsets, winnowing, exact passages."""

import numpy as np
import pytest
from corpusgate.detectors.base import ConfigError, Record
from corpusgate.detectors.copyright import (
    CopyrightDetector,
    fold_with_offsets,
    reference_works,
    shingle_hashes,
    winnow,
)
from hypothesis import given, settings
from hypothesis import strategies as st

REF_EN = (
    "Among the vicissitudes incident to life no event could have filled me with "
    "greater anxieties than that of which the notification was transmitted by your "
    "order, and received on the 14th day of the present month. On the one hand, I "
    "was summoned by my Country, whose voice I can never hear but with veneration "
    "and love, from a retreat which I had chosen with the fondest predilection."
)
REF_ZH = (
    "滚滚长江东逝水，浪花淘尽英雄。是非成败转头空。青山依旧在，几度夕阳红。白发渔樵"
    "江渚上，惯看秋月春风。一壶浊酒喜相逢。古今多少事，都付笑谈中。话说天下大势，分久"
    "必合，合久必分。周末七国分争，并入于秦。及秦灭之后，楚、汉分争，又并入于汉。"
)


def overlap(det, text, refs):
    feats = det.features(Record("d", "f", 0, text))
    index = {}
    for ref_id, ref_text in refs.items():
        for h, shingle in det.reference_shingles(ref_id, ref_text):
            index.setdefault(h, []).append(shingle)
    hits = [
        (pos, s)
        for h, pos in zip(
            feats.fingerprints.tolist(), feats.positions.tolist(), strict=True
        )
        for s in index.get(h, [])
    ]
    return det.passages(feats, hits)


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Hello,  World!", "hello world"),
        ("ＡＢＣ，１２３", "abc 123"),
        ("ﬁne Straße", "fine strasse"),  # one character folds to two
        ("滚滚长江，东逝水。", "滚滚长江 东逝水"),
        ("a😀b", "a b"),  # astral symbol: a separator, one code point
    ],
)
def test_fold_with_offsets_maps_every_folded_char_into_the_original(text, folded):
    f = fold_with_offsets(text)
    assert f.text == folded
    assert len(f.starts) == len(f.ends) == len(folded)
    for ch, s, e in zip(f.text, f.starts, f.ends, strict=True):
        assert 0 <= s < e <= len(text)
        if ch != " ":
            assert ch in fold_with_offsets(text[s:e]).text or ch in text[s:e].casefold()


def test_winnow_guarantees_a_fingerprint_in_every_window():
    h = shingle_hashes(np.arange(500, dtype=np.uint32), 50)
    picks = winnow(h, 24)
    assert len(h) == 451 and np.all(np.diff(picks) <= 24)
    assert len(picks) < len(h) / 5


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 200), st.integers(57, 180), st.integers(0, 60))
def test_any_copy_longer_than_shingle_plus_window_is_found_exactly(cut, length, pad):
    det = CopyrightDetector({"min_words": 1, "min_cjk_chars": 1})
    c = det.config
    assert c["shingle_chars"] + c["window"] - 1 == 57  # the guaranteed length
    ref = " ".join(f"w{i:03d}x" for i in range(120))  # no repeated 50-char shingle
    passage = ref[cut : cut + length]
    text = "Z" * pad + "|" + passage + "|" + "Q" * pad
    [finding] = overlap(det, text, {"r": ref})
    assert finding.reference_id == "r"
    assert text[finding.start : finding.end].strip() == passage.strip()


def test_cjk_passage_offsets_in_text_with_full_width_punctuation():
    det = CopyrightDetector()
    copied = REF_ZH[10:90]
    text = "酒店很好，服务一般。" + copied + "下次还会再来！"
    [f] = overlap(det, text, {"sanguo/1": REF_ZH})
    assert (f.start, f.end) == (10, 10 + len(copied.rstrip("，。、")))
    assert text[f.start : f.end] == copied.rstrip("，。、")
    assert f.annex_a == "A.3.a" and f.risk_code == "AISGF-1.0:3.1.2(b)"
    assert 0.7 < f.details["covered_fraction"] < 1.0


def test_overlap_at_both_boundaries_of_corpus_and_reference():
    det = CopyrightDetector()
    # The document starts with the reference's first words and ends with its last.
    head, tail = REF_EN[:160], REF_EN[-170:]
    text = head + " — I thought so too. " + tail
    found = overlap(det, text, {"w": REF_EN})
    # Spans are the verbatim characters; the final full stop/comma is folded away.
    assert [(f.start, f.end) for f in found] == [
        (0, len(head.rstrip(" ,."))),
        (len(text) - len(tail), len(text) - 1),
    ]
    assert all(f.reference_id == "w" and f.severity == "high" for f in found)


def test_short_quotation_is_not_reported_but_a_long_one_is():
    det = CopyrightDetector()
    short = "no event could have filled me with greater anxieties"  # 9 words
    assert overlap(det, f"As he said, {short}, indeed.", {"w": REF_EN}) == []
    long_ = REF_EN[:140]  # 24 words
    [f] = overlap(det, f"He wrote: {long_} and so on.", {"w": REF_EN})
    assert f.evidence.endswith("reference w") and REF_EN[:20] not in f.evidence


def _cjk_prefix(text: str, n: int) -> str:
    """The shortest prefix of text holding n CJK characters."""
    count = 0
    for i, ch in enumerate(text):
        count += "\u4e00" <= ch <= "\u9fff"
        if count == n:
            return text[: i + 1]
    raise ValueError(n)


@pytest.mark.parametrize(
    ("config", "passage", "reported"),
    [
        ({}, " ".join(REF_EN.split()[:19]), False),  # default: >= 20 words
        ({}, " ".join(REF_EN.split()[:20]), True),
        ({"min_words": 50}, " ".join(REF_EN.split()[:49]), False),  # issue's 50
        ({"min_words": 50}, " ".join(REF_EN.split()[:50]), True),
        ({}, _cjk_prefix(REF_ZH, 49), False),  # >= 50 CJK characters
        ({}, _cjk_prefix(REF_ZH, 50), True),
        ({}, _cjk_prefix(REF_ZH[30:], 50), True),  # a passage inside the work
    ],
)
def test_reporting_threshold_in_words_and_cjk_characters(config, passage, reported):
    det = CopyrightDetector(config)
    filler = "酒店不错。" if "\u4e00" <= passage[0] <= "\u9fff" else "Quote: "
    found = overlap(det, filler + passage + " ###", {"w": REF_EN, "z": REF_ZH})
    assert bool(found) is reported
    if reported:
        [f] = found
        assert f.reference_id in ("w", "z")


def test_two_references_and_case_or_spacing_changes_still_match():
    det = CopyrightDetector()
    text = REF_EN[:200].upper().replace(" ", "  ") + " 然后 " + REF_ZH[:70]
    found = overlap(det, text, {"en": REF_EN, "zh": REF_ZH})
    assert sorted(f.reference_id for f in found) == ["en", "zh"]


def test_reference_works_jsonl_and_text():
    jsonl = b'{"id": "a", "text": "x"}\n\n{"id": "b", "text": "y"}\n'
    assert list(reference_works("/r/refs.jsonl", jsonl)) == [("a", "x"), ("b", "y")]
    assert list(reference_works("/r/book.txt", "\ufeffhello".encode())) == [
        ("book.txt", "hello")
    ]


def test_window_must_be_shorter_than_shingle():
    with pytest.raises(ConfigError):
        CopyrightDetector({"window": 50})
