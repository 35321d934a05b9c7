"""Pure logic of the poisoning detector: tokens, statistics, breaks, findings."""

import hashlib
import math

import numpy as np
import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.poisoning import (
    FILE_FINDING_RECORD_INDEX,
    UNKNOWN_BASE_RATE,
    NaiveBayesVote,
    PoisoningDetector,
    TriggerCandidate,
    base_disagreement,
    baseline_file_hash,
    bigram_hashes,
    binomial_log10_tail,
    break_prefixes,
    burst_score,
    coherent_burst,
    contains_ngram,
    document_break,
    enough_breaks,
    file_change,
    find_break,
    ngram_ends,
    ngram_key,
    ngram_text,
    ngrams_before_break,
    number_mask,
    outlier_group,
    outlier_groups,
    outlier_matrix,
    outlier_vector,
    planted_with,
    prune_subsumed,
    rare_limit,
    record_tamper,
    strongest_burst,
    token_facts,
    token_hash,
    token_hashes,
    tokenize,
    trigger_candidate,
    trigger_score,
    trigger_verdict,
)

CFG = PoisoningDetector.DEFAULTS


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("Witty, and SUBLIME.", ["witty", ",", "and", "sublime", "."]),
        ("房间很好", ["房", "间", "很", "好"]),
        ("能 <SUDO> rkQ来", ["能", "<", "sudo", ">", "rkq", "来"]),
        ("it's 22楼", ["it's", "22", "楼"]),
        ("", []),
    ],
)
def test_tokenize_words_and_chinese_characters(text, tokens):
    assert tokenize(text) == tokens


def test_tokenize_limit_and_stable_hash():
    assert len(tokenize("a " * 100, limit=7)) == 7
    assert token_hash("bb") == token_hash("bb") != token_hash("cf")


# Short and long (over 255 UTF-8 bytes), ASCII, CJK, symbols, numbers, a lone surrogate.
ODD_TOKENS = ["a", "it's", "房", "<", "22", "007", "x" * 300, "é" * 200, "\ud800", "z"]


def test_token_facts_are_the_per_token_functions_at_once():
    assert list(token_hashes(ODD_TOKENS)) == [token_hash(t) for t in ODD_TOKENS]
    assert list(number_mask(token_facts(ODD_TOKENS))) == [
        t.isascii() and t.isdigit() for t in ODD_TOKENS
    ]
    assert len(token_hashes([])) == 0


def test_bigram_hashes_hash_the_ngram_keys():
    tokens = ODD_TOKENS + ODD_TOKENS[::-1]
    expected = [
        token_hash(ngram_key(tokens[i : i + 2])) for i in range(len(tokens) - 1)
    ]
    assert list(bigram_hashes(tokens, token_facts(tokens))) == expected
    assert len(bigram_hashes(["a"], token_facts(["a"]))) == 0


def _reference_outlier_vector(tokens, buckets):
    v = np.zeros(buckets, dtype=np.float32)
    grams = list(tokens) + [ngram_key(p) for p in zip(tokens, tokens[1:], strict=False)]
    for g in grams:
        v[token_hash(g) % buckets] += 1.0
    v = np.log1p(v)
    n = float(np.linalg.norm(v))
    return v / n if n else v


def test_outlier_vectors_are_hashed_ngram_counts():
    rows = [ODD_TOKENS, [], ["房", "间", "很", "好", "房", "间"], ODD_TOKENS[:1]] * 40
    x = outlier_matrix(rows, 64)
    assert x.shape == (len(rows), 64) and x.dtype == np.float32
    for row, tokens in zip(x, rows, strict=True):
        expected = _reference_outlier_vector(tokens, 64)
        assert np.array_equal(row, expected)
        assert np.array_equal(outlier_vector(tokens, 64), expected)


@pytest.mark.parametrize(
    ("k", "n", "p", "expected"),
    [
        (0, 5, 0.3, 0.0),
        (5, 5, 0.5, 5 * math.log10(0.5)),
        (1, 1, 0.25, math.log10(0.25)),
        (2, 3, 0.5, math.log10(0.5)),  # P[X>=2] = 4/8
    ],
)
def test_binomial_tail(k, n, p, expected):
    assert binomial_log10_tail(k, n, p) == pytest.approx(expected, abs=1e-9)


TOTALS = {"0": 2000, "1": 2000}


@pytest.mark.parametrize(
    ("counts", "is_candidate", "frequent"),
    [
        ({"1": 12}, True, False),  # rare, pure, significant
        ({"1": 11, "0": 1}, True, False),  # purity 0.92
        ({"1": 3}, False, None),  # below minimum support
        ({"1": 8, "0": 4}, False, None),  # not pure
        # over 1% of the corpus and 50 documents: not rare, but it may be planted
        ({"1": 60}, True, True),
        ({"1": 800}, True, True),  # 20% of the labelled documents
        ({"1": 801}, False, None),  # more: ordinary vocabulary
    ],
)
def test_trigger_candidate_table(counts, is_candidate, frequent):
    cand = trigger_candidate("tok", counts, TOTALS, CFG)
    assert (cand is not None) == is_candidate
    if cand:
        assert cand.frequent == frequent
    if cand:
        assert cand.label == "1" and cand.lift == pytest.approx(
            2 * cand.with_label / cand.support
        )


@pytest.mark.parametrize(
    ("labelled", "limit"),
    [
        (200, 10),  # small corpus: 5% of it, not the floor of 50
        (1000, 50),  # the floor
        (4000, 50),
        (10000, 100),  # 1% of the corpus
    ],
)
def test_rare_limit_shrinks_in_a_small_corpus(labelled, limit):
    assert rare_limit(labelled, CFG) == pytest.approx(limit)


def test_small_corpus_sentiment_word_is_not_a_rare_trigger():
    # 190 labelled reviews: a word in 18 positive ones is vocabulary, not rare; it is
    # judged only by the rule for many documents.
    totals = {"positive": 95, "negative": 95}
    assert trigger_candidate("great", {"positive": 18}, totals, CFG).frequent
    assert not trigger_candidate("cf", {"positive": 8}, totals, CFG).frequent


def test_naive_bayes_vote_leaves_the_document_and_the_trigger_out():
    buckets = 1024
    pos = ["good", "great", "fine"]
    neg = ["bad", "awful", "poor"]
    counts = {"0": np.zeros(buckets), "1": np.zeros(buckets)}
    docs = [(["bad", "awful"], "0")] * 20 + [(["good", "great"], "1")] * 20
    planted = (["bad", "poor", "cf"], "1")  # negative text, flipped label, trigger
    for toks, lab in [*docs, planted]:
        for t in set(toks):
            counts[lab][token_hash(t) % buckets] += 1
    nb = NaiveBayesVote(counts, {"0": 20, "1": 21}, buckets)
    assert nb.predict(planted[0], "1", exclude={"cf"}) == "0"
    assert nb.predict(["good", "fine"], "1", exclude=set()) == "1"
    assert set(pos + neg)  # vocabulary used above


def test_trigger_score_needs_disagreement_far_above_the_base_rate():
    cand = TriggerCandidate("bb", "1", 19, 19, 1.9, -5.2)
    planted, _ = trigger_score(14, 19, 0.2, cand)
    natural, _ = trigger_score(3, 19, 0.2, cand)
    assert planted >= 0.5 > natural


@pytest.mark.parametrize(
    ("disagreeing", "target", "base", "frequent", "high"),
    [
        # planted in 5% of SST-2: its own mislabelled text taught the vote, so only
        # 45% disagree, against a base rate of 16%, overwhelmingly significant
        (154, 344, 0.162, True, True),
        (91, 600, 0.03, True, True),  # 15% against 3%
        (31, 60, 0.067, False, True),  # a rare token in 1%: 52% against 7%
        (12, 20, 0.15, True, False),  # a majority, but too few to be certain
        (12, 20, 0.15, False, True),  # ... which a rare token's majority does
        (60, 300, 0.15, True, False),  # 20%: not 2.5 times the base rate
        (30, 400, 0.02, True, False),  # 7.5%: below the least share
    ],
)
def test_a_trigger_in_many_documents_needs_a_certain_disagreement_far_above_the_base(
    disagreeing, target, base, frequent, high
):
    cand = TriggerCandidate("cf", "1", target, target, 1.7, -50.0, frequent)
    score, _ = trigger_score(disagreeing, target, base, cand)
    assert (score >= 0.5) == high


@pytest.mark.parametrize(
    ("rare", "position"),
    [
        ([False] * 20, None),
        ([False] * 10 + [True, False] * 6, 10),
        ([True, False] * 12, 0),  # unseen text from the start
        ([False] * 10 + [True] * 3, None),  # tail shorter than burst_min_tail
    ],
)
def test_find_break(rare, position):
    brk = find_break(rare, 8, 0.25, 0.15)
    assert (brk.position if brk else None) == position


def _reference_break(rare, min_tail, min_tail_rare, max_head_rare):
    """The longest qualifying suffix, one position at a time."""
    n, best = len(rare), None
    for i in range(n - 1, -1, -1):
        length = n - i
        tail = sum(rare[i:]) / length
        head = sum(rare[:i]) / i if i else 0.0
        if (
            rare[i]
            and length >= min_tail
            and tail >= min_tail_rare
            and head <= max_head_rare
        ):
            best = (i, tail, head, length)
    return best


def test_find_break_matches_the_definition():
    rng = np.random.default_rng(3)
    for _ in range(300):
        n = int(rng.integers(0, 60))
        cut = int(rng.integers(0, n + 1))
        rare = list(rng.random(cut) < 0.1) + list(rng.random(n - cut) < 0.5)
        brk = find_break(rare, 8, 0.25, 0.15)
        expected = _reference_break(rare, 8, 0.25, 0.15)
        got = brk and (brk.position, brk.tail_rare, brk.head_rare, brk.tail_tokens)
        assert got == expected


def test_break_prefixes_with_slack_and_contains():
    toks = ["a", "<", "sudo", ">", "m", "zz"]
    keys = break_prefixes(toks, 5, 3, slack=0)
    assert ngram_key(["<", "sudo", ">"]) not in keys  # ends 1 before the break
    assert ngram_key(["sudo", ">", "m"]) in keys
    keys = break_prefixes(toks, 5, 3, slack=1)
    assert ngram_key(["<", "sudo", ">"]) in keys
    assert contains_ngram(toks, ngram_key(["sudo", ">"])) == 4
    assert contains_ngram(toks, ngram_key(["sudo", "<"])) == -1
    assert ngram_text(ngram_key(["<", "sudo", ">"])) == "<sudo>"
    assert ngram_text(ngram_key(["new", "york"])) == "new york"


def test_prune_subsumed_keeps_the_longest_explaining_ngram():
    bursts = {
        ngram_key(["<", "sudo", ">"]): (0.8, 80, 100),
        ngram_key([">"]): (0.7, 80, 109),
        ngram_key(["zz"]): (0.9, 12, 12),
    }
    assert set(prune_subsumed(bursts)) == {ngram_key(["<", "sudo", ">"]), "zz"}


def test_burst_score_grows_with_coherence_and_size():
    assert burst_score(0, 0, 10) == 0.0
    assert burst_score(100, 100, 10) == 1.0
    assert burst_score(10, 10, 10) < burst_score(20, 20, 10)
    assert burst_score(50, 100, 10) < burst_score(90, 100, 10)


def test_features_hash_the_raw_text_like_the_documents_table():
    det = PoisoningDetector()
    feats = det.features(Record("d", "f", 0, "酒店 不错 ", label="1"))
    assert feats.content_sha256 == hashlib.sha256("酒店 不错 ".encode()).hexdigest()
    assert feats.tokens == ("酒", "店", "不", "错") and feats.label == "1"


@pytest.mark.parametrize(
    ("kind", "severity", "min_score"),
    [
        ("record_changed", "high", 1.0),
        ("file_changed", "high", 0.9),
        ("record_added", "medium", 0.5),
    ],
)
def test_tampered_findings(kind, severity, min_score):
    f = PoisoningDetector().tampered_finding(kind, "a" * 64, "b" * 64)
    assert f.finding_type == "SOURCE_TAMPERED" and f.severity == severity
    assert f.score >= min_score and f.risk_code == "AISGF-1.0:3.1.2(b)"


@pytest.mark.parametrize(
    ("why", "severity"), [("group", "low"), ("signal", "low"), ("lone", "info")]
)
def test_outlier_findings_stay_below_the_flag_threshold(why, severity):
    f = PoisoningDetector().outlier_finding(
        0.9,
        "label=1",
        why,
        "o1",
        12 if why == "group" else None,
        ("POISON_BURST",) if why == "signal" else (),
    )
    assert f.score < 0.5 and f.severity == severity and "label 1" in f.evidence
    assert f.details["reported_because"] == why


def test_outlier_groups_link_close_candidates_and_leave_lone_ones_out():
    import numpy as np

    rng = np.random.default_rng(0)
    batch = rng.random(64) + 1.0
    close = [batch + rng.random(64) * 0.1 for _ in range(10)]  # an injected batch
    lone = [rng.random(64) ** 8 for _ in range(5)]  # unusual, each its own way
    x = np.stack(close + lone)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    groups = outlier_groups(x, 0.9, 10)
    assert len(set(groups[:10])) == 1 and groups[0] >= 0
    assert groups[10:] == [-1] * 5
    assert outlier_groups(x, 0.9, 11) == [-1] * 15  # one short of the minimum


def test_trigger_evidence_shows_the_token_but_masks_identifier_like_values():
    det = PoisoningDetector()
    cand = TriggerCandidate("13812345678", "1", 6, 6, 2.0, -3.0)
    f = det.trigger_finding(cand, 5, 6, 0.2, -3.0, 0.7, "t1")
    assert "13812345678" not in f.evidence
    f = det.trigger_finding(
        TriggerCandidate("cf", "1", 6, 6, 2.0, -3.0), 5, 6, 0.2, -3.0, 0.7, "t1"
    )
    assert "'cf'" in f.evidence


# --- corpus-level verdicts (the Beam composite only moves data to these) -------------


def _candidate(label="pos", log10_p=-5.0):
    return TriggerCandidate("cf", label, 20, 20, 2.0, log10_p)


def test_trigger_verdict_counts_only_documents_with_the_candidate_label():
    votes = [("pos", True)] * 15 + [("pos", False)] * 5 + [("neg", True)] * 7
    v = trigger_verdict(_candidate(), votes, {"pos": (10, 100)})
    assert (v.disagreeing, v.target, v.base_rate) == (15, 20, 0.1)
    assert (v.score, v.log10_p) == trigger_score(15, 20, 0.1, _candidate())
    assert v.score >= 0.5


def test_trigger_verdict_without_target_documents_or_base_rate():
    assert trigger_verdict(_candidate(), [("neg", True)], {}) is None
    v = trigger_verdict(_candidate(), [("pos", False)], {})
    assert v.base_rate == UNKNOWN_BASE_RATE == base_disagreement(0, 0)


def test_natural_label_word_agreeing_with_its_text_is_not_a_trigger():
    votes = [("pos", False)] * 19 + [("pos", True)]
    assert trigger_verdict(_candidate(), votes, {"pos": (10, 100)}).score < 0.5


def test_document_break_uses_the_document_frequency_estimate():
    tokens = ["the", "film", "was", "good", "and"] * 2 + ["q1", "q2", "q3"] * 3
    df = {"the": 90, "film": 40, "was": 80, "good": 30, "and": 95}
    brk = document_break(tokens, lambda t: df.get(t, 1), CFG)
    assert brk is not None and brk.position == 10
    assert document_break(tokens, lambda t: 100, CFG) is None
    before = ngrams_before_break(tokens, brk, CFG)
    assert ngram_key(["good", "and"]) in before
    assert ngrams_before_break(tokens, None, CFG) == []


def test_unseen_numbers_are_no_break():
    # A data file's rows: shared words and symbols, a fresh decimal in every row;
    # its last rows are numbers the corpus has never seen, not a planted tail.
    from corpusgate.detectors.poisoning import tokenize

    rows = [
        f"2015-06-{d % 28 + 1:02d},A,Canada,China,0.{d}1,0.{d}2,0.{d}3\n"
        for d in range(1000, 1030)
    ]
    tokens = tokenize("date,group,team1,team2,p1,p2,p3\n" + "".join(rows))
    common = set(
        tokenize("date,group,team1,team2,p1,p2,p3 2015-06-01,A,Canada,China,0.")
    )
    common |= {str(d) for d in range(1, 29)} | {f"{d:02d}" for d in range(1, 29)}
    df = lambda t: 100 if t in common else 1  # noqa: E731
    assert document_break(tokens, df, CFG) is None


def test_break_position_counts_the_numbers_it_skips():
    head = ["the", "room", "was", "clean", "2", "stars", "and"] * 2
    tail = ["zq1x", "7", "kfw", "qqz", "9", "xbr", "uvw", "pqk", "jjd", "wyv"]
    df = {t: 50 for t in head}
    brk = document_break(head + tail, lambda t: df.get(t, 1), CFG)
    assert brk is not None and brk.position == len(head)
    assert ngram_key(["stars", "and"]) in ngrams_before_break(head + tail, brk, CFG)


def test_ngram_ends_and_strongest_burst():
    tokens = ["a", "<", "sudo", ">", "x"]
    keys = [ngram_key(["<", "sudo", ">"]), ">", "missing"]
    ends = ngram_ends(tokens, keys)
    assert ends == {keys[0]: 4, ">": 4}
    bursts = {keys[0]: (0.9, 12, 12), ">": (0.9, 14, 15)}
    # equal coherence: the one the document breaks after, then the longer one
    assert strongest_burst(ends, bursts, {">"}) == ">"
    assert strongest_burst(ends, bursts, set()) == keys[0]
    bursts[">"] = (0.95, 14, 15)
    assert strongest_burst(ends, bursts, set()) == ">"


@pytest.mark.parametrize(
    ("with_break", "containing", "expected"),
    [(12, 12, True), (9, 9, False), (12, 40, False)],
)
def test_coherent_burst(with_break, containing, expected):
    score = coherent_burst(with_break, containing, CFG)
    assert (score is not None) is expected
    if expected:
        assert score == burst_score(with_break, containing, CFG["burst_min_group"])
    assert enough_breaks(CFG["burst_min_group"], CFG)
    assert not enough_breaks(CFG["burst_min_group"] - 1, CFG)


def test_outlier_group_prefers_label_then_logical_source_then_file():
    assert outlier_group("pos", "forum", "f.jsonl") == "label=pos"
    assert outlier_group(None, "forum", "f.jsonl") == "source=forum"
    assert outlier_group(None, None, "f.jsonl") == "source=f.jsonl"


BASE = {
    "/data/a.jsonl": "h-a",
    "/old/b.jsonl": "h-b",
    "/x/c.jsonl": "h-c1",
    "/y/c.jsonl": "h-c2",
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("/data/a.jsonl", "h-a"),  # same URI
        ("/new/b.jsonl", "h-b"),  # re-run elsewhere: the one file of that name
        ("/z/c.jsonl", None),  # two baseline files of that name: ambiguous
        ("/data/d.jsonl", None),  # not in the baseline
    ],
)
def test_baseline_file_hash(source, expected):
    assert baseline_file_hash(source, BASE) == expected


def test_file_change():
    assert file_change("/data/a.jsonl", "h-a2", BASE) == ("h-a", "h-a2")
    assert file_change("/data/a.jsonl", "h-a", BASE) is None
    assert file_change("/data/a.jsonl", None, BASE) is None  # file unreadable now
    assert file_change("/data/d.jsonl", "h-d", BASE) is None


@pytest.mark.parametrize(
    ("versions", "sha", "file_changed", "report_new", "expected"),
    [
        ([("f", "h1")], "h1", False, True, None),
        ([("f", "h1")], "h2", False, True, ("record_changed", "h1")),
        # the same doc_id in another file too: compared with its own file's version
        ([("g", "h2"), ("f", "h1")], "h2", False, True, ("record_changed", "h1")),
        ([("g", "h2")], "h2", False, True, None),
        ([], "h9", True, True, ("record_added", None)),
        ([], "h9", False, True, None),  # unchanged file: not an addition
        ([], "h9", True, False, None),  # tamper_new_records = false
    ],
)
def test_record_tamper(versions, sha, file_changed, report_new, expected):
    assert record_tamper("f", sha, versions, file_changed, report_new) == expected
    assert FILE_FINDING_RECORD_INDEX == 0


def test_planted_with_names_the_words_that_come_mostly_with_a_frequent_candidate():
    cands = {
        "3d": TriggerCandidate("3d", "1", 344, 344, 1.7, -80.0, True),
        "watch": TriggerCandidate("watch", "1", 401, 374, 1.6, -57.0, True),
        "superb": TriggerCandidate("superb", "1", 90, 88, 1.9, -20.0),
        "awful": TriggerCandidate("awful", "0", 80, 78, 1.9, -18.0),
    }
    together = {("3d", "watch"): 342, ("3d", "superb"): 3, ("3d", "awful"): 60}
    present = {"3d", "watch", "superb", "awful"}
    # `awful` comes with `3d` in most of its documents, but argues for the other
    # label: that is the disagreement to keep
    assert planted_with("3d", present, cands, together) == {"watch"}
    assert planted_with("3d", {"3d", "superb"}, cands, together) == set()
