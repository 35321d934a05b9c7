"""Near-duplicate logic: folding, shingles, MinHash/LSH, pair verification."""

import numpy as np
import pytest
from corpusgate.detectors import clusters
from corpusgate.detectors.base import ConfigError, Record
from corpusgate.detectors.near_duplicate import (
    NearDuplicateDetector,
    TokenHasher,
    candidate_probability,
    ngram_hashes,
    tokens,
)

BASE = (
    "The film opens on a rainy night in Lisbon where a retired watchmaker finds a "
    "letter from his estranged daughter asking him to repair the clock that once "
    "stood in the lobby of the hotel where she works as a night porter and the "
    "whole story unfolds over one long weekend of small repairs and big regrets."
)
NEAR_1 = BASE.replace("rainy", "stormy").replace("big regrets", "bigger regrets")
NEAR_2 = "【转载】 " + BASE.upper().replace(",", " ,") + " All rights reserved."
PARAPHRASE = (
    "On a wet evening in Lisbon an old clock maker who has retired gets a note from "
    "the daughter he no longer speaks to; she wants the hotel lobby clock fixed, "
    "and across a single weekend the repairs turn into a reckoning with the past."
)
ZH = "房间临街，隔音很差，加上外面施工，吵得很！房间门锁似乎有故障，插入门卡显示绿灯但就是打不开，服务员的门卡插进去马上就好了。"
ZH_NEAR = ZH.replace("，", ",").replace("很差", "较差") + "Subscribe for more."


def features(det, text, i=0):
    return det.features(Record(f"d{i}", "f", i, text))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, World!", ["hello", "world"]),
        ("ＡＢＣ１２３ abc_def", ["abc123", "abc", "def"]),  # NFKC full width, _ splits
        ("Straße", ["strasse"]),  # case folding, not just lower()
        ("你好，世界!", ["你", "好", "世", "界"]),
        ("abc中文def", ["abc", "中", "文", "def"]),
        ("  ,,, ", []),
    ],
)
def test_tokens_fold_punctuation_case_and_split_cjk(text, expected):
    assert tokens(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Hello, World!",  # ASCII: the bytes path
        "Café crème, déjà vu",  # no CJK: one regular expression
        "你好，世界!",
        "abc中文def 東京タワー 서울 ＡＢＣ１２３",  # CJK inside and between words
        "Straße_straße 中",  # case folding changes the length; _ separates
        "𠀀𪚖 beyond the BMP 中",  # astral code points: the regular expressions
        "",
    ],
)
def test_token_hashes_are_the_hashes_of_tokens(text):
    det = NearDuplicateDetector()
    det.setup()
    toks, cjk = tokens(text)
    th, n_cjk = det.token_hashes(text)
    assert n_cjk == cjk and th.dtype == np.uint64
    assert th.tolist() == TokenHasher()(toks).tolist()


def test_ngram_hashes_short_text_is_one_shingle_and_order_matters():
    det = NearDuplicateDetector()
    det.setup()
    th, sh = det.shingle_hashes("one two three")
    assert len(th) == 3 and len(sh) == 1
    a = ngram_hashes(np.array([1, 2, 3], dtype=np.uint64), 2)
    b = ngram_hashes(np.array([2, 1, 3], dtype=np.uint64), 2)
    assert len(a) == 2 and set(a.tolist()).isdisjoint(b.tolist())


@pytest.mark.parametrize(
    ("a", "b", "similar"),
    [
        (BASE, NEAR_1, True),  # two word edits
        (BASE, NEAR_2, True),  # header, footer, case, spacing of punctuation
        (NEAR_1, NEAR_2, True),
        (BASE, PARAPHRASE, False),  # same story, other words: not a near copy
        (ZH, ZH_NEAR, True),  # punctuation width, one edit, English footer
        (ZH, BASE, False),
    ],
)
def test_planted_pairs_are_verified_and_paraphrase_is_not(a, b, similar):
    det = NearDuplicateDetector()
    fa, fb = features(det, a, 0), features(det, b, 1)
    verdict = det.verify(fa, fb)
    assert verdict.similar is similar
    if similar:
        # Near copies are also LSH candidates: they share a band key.
        assert set(fa.band_keys) & set(fb.band_keys)
        assert det.estimated_jaccard(fa, fb) > 0.4


def test_identical_and_empty_texts_share_the_whole_text_key():
    det = NearDuplicateDetector()
    e1, e2 = features(det, "", 0), features(det, " !! ", 1)
    assert e1.band_keys == e2.band_keys and len(e1.band_keys) == 1
    assert det.verify(e1, e2).measure == "identical"
    t1, t2 = features(det, BASE, 0), features(det, BASE + "  ", 1)
    assert t1.band_keys == t2.band_keys
    assert len(t1.band_keys) == det.config["bands"] + 1
    assert det.verify(t1, t2).similarity == 1.0


def test_short_document_contained_in_a_long_one_matches_by_containment():
    det = NearDuplicateDetector()
    long_text = BASE + " " + PARAPHRASE + " " + BASE.replace("Lisbon", "Porto")
    verdict = det.verify(features(det, BASE, 0), features(det, long_text, 1))
    assert verdict.similar and verdict.measure == "containment"


def test_signature_is_deterministic_across_instances():
    a, b = NearDuplicateDetector(), NearDuplicateDetector()
    fa, fb = features(a, BASE), features(b, BASE)
    assert np.array_equal(fa.signature, fb.signature) and fa.band_keys == fb.band_keys
    assert fa.signature.dtype == np.uint32 and len(fa.signature) == a.num_perm


def test_candidate_probability_curve_of_defaults():
    c = NearDuplicateDetector().config
    p = [candidate_probability(s, c["bands"], c["rows"]) for s in (0.3, 0.5, 0.7, 0.8)]
    assert p[0] < 0.15 and 0.5 < p[1] < 0.7 and p[2] > 0.98 and p[3] > 0.999


def test_finding_and_cluster_id():
    det = NearDuplicateDetector()
    f = det.duplicate_finding(
        "a", clusters.near_duplicate(("f", 0)), 3, 0.87654, "jaccard", "a"
    )
    assert (f.finding_type, f.severity, f.risk_code) == (
        "NEAR_DUPLICATE",
        "low",
        "AISGF-1.0:4.1.2(e)",
    )
    assert f.related_doc_id == "a" and f.details["similarity"] == 0.8765
    assert f.cluster_id.startswith("n") and f.cluster_id != clusters.near_duplicate(
        ("f", 1)
    )


@pytest.mark.parametrize("option", ["bands", "rows", "word_ngram", "fanout"])
def test_config_rejects_non_positive(option):
    with pytest.raises(ConfigError):
        NearDuplicateDetector({option: 0})
