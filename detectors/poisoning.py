"""Model-free poisoning signals (docs/detectors/poisoning.md): the pure logic.

The Beam composite `pipelines.corpus.poisoning.PoisoningSignals` does the
corpus-level work (document frequencies with combiners, candidate groups, bounded
samples); all here is plain Python on one record or one bounded candidate group:

* `tokenize`: word tokens for Latin text, one token per character for Chinese, so
  token n-grams are word n-grams or character n-grams.
* POISON_TRIGGER (labelled data, BadNets-style): a rare token whose documents carry
  one label far more often than the corpus does (binomial tail, minimum support) *and*
  whose documents' remaining text argues for another label (a naive-Bayes vote over
  hashed token counts with the token removed). Natural sentiment words ("superb") are
  pure too, but their documents agree with their label; planted triggers sit in
  documents whose content disagrees with the flipped label.
* POISON_BURST (unlabelled, pretraining-style, Souly et al. 2025): a document whose
  tail turns into tokens the corpus has (almost) never seen is cut at that break; the
  n-gram just before the break is its candidate trigger. An n-gram that precedes such
  a break in a group of documents, and in nearly every document that contains it, is a
  planted trigger followed by planted continuation.
* POISON_OUTLIER: a record whose hashed bag of n-grams is far less similar to its
  group's profile (the mean of a bounded sample) than the group's records usually are
  is a candidate; a candidate is reported only as a member of a
  micro-cluster (at least `outlier_min_group` candidates linked by cosine similarity
  >= `outlier_group_similarity`: an injected batch is unusual for the corpus and close
  to itself) or when another poisoning signal flags the same record. A lone outlier is
  nothing (or `info`, with `outlier_lone_info`). Always below score 0.5: a hint for
  review, never a verdict.
* SOURCE_TAMPERED: with a baseline audit, the file or record hash changed.
"""

from __future__ import annotations

import functools
import math
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from corpusgate.detectors.base import (
    RISK_IMPROPER_CONTENT,
    CorpusDetector,
    Finding,
    Record,
)
from corpusgate.detectors.masking import mask_free_text
from corpusgate.detectors.text import sha256_hex

_TOKEN = re.compile(
    r"[A-Za-z0-9_]+(?:'[A-Za-z]+)?"  # a Latin word (with a clitic) or a number
    r"|[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # one CJK ideograph
    r"|[^\sA-Za-z0-9_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # any other symbol
)


def tokenize(text: str, limit: int = 5000) -> list[str]:
    """Lower-cased tokens: Latin words, single CJK characters, single symbols."""
    out: list[str] = []
    for m in _TOKEN.finditer(text):
        out.append(m.group(0).lower())
        if len(out) >= limit:
            break
    return out


def token_hash(token: str) -> int:
    """A stable 32-bit id (the same on every worker, unlike `hash`)."""
    return zlib.crc32(token.encode("utf-8", "surrogatepass"))


# --- token facts for whole documents at once (numpy) -----------------------------
#
# The corpus stages look at every token of every document several times (document
# frequencies, the break into unseen text, hashed n-gram vectors). Each distinct token's
# facts are computed once per process and packed in one int64 -- its `token_hash`, its
# UTF-8 length (capped at _LONG) and whether it is a number -- so a document's facts are
# one C-level dictionary pass, and everything after that is array arithmetic.

_LONG = 255  # UTF-8 lengths from here on are not packed (see `outlier_vector`)
_NUMBER_BIT = 40
_MAX_REMEMBERED_TOKENS = 1 << 18


class _TokenFacts(dict):
    def __missing__(self, token: str) -> int:
        raw = token.encode("utf-8", "surrogatepass")
        packed = (
            zlib.crc32(raw)
            | min(len(raw), _LONG) << 32
            | int(is_number(token)) << _NUMBER_BIT
        )
        self[token] = packed
        return packed


_TOKEN_FACTS = _TokenFacts()


def token_facts(tokens: Iterable[str], count: int = -1) -> np.ndarray:
    """The packed facts (int64) of each token, in order."""
    if len(_TOKEN_FACTS) > _MAX_REMEMBERED_TOKENS:
        _TOKEN_FACTS.clear()
    return np.fromiter(map(_TOKEN_FACTS.__getitem__, tokens), np.int64, count)


def token_hashes(tokens: Iterable[str], count: int = -1) -> np.ndarray:
    """`token_hash` of each token (uint32), in order."""
    return (token_facts(tokens, count) & 0xFFFFFFFF).astype(np.uint32)


def number_mask(facts: np.ndarray) -> np.ndarray:
    """Which tokens are numbers (`is_number`), from their packed facts."""
    return (facts >> _NUMBER_BIT & 1).astype(bool)


@functools.cache
def _crc_shift_tables() -> np.ndarray:
    """tables[n, k, v]: the CRC-32 register byte k = v after n zero bytes, for
    n <= _LONG. CRC-32 is linear, so for byte strings a and b,
    crc32(a + b) = shift(crc32(a), len(b)) ^ crc32(b), where shift(x, n) is the XOR of
    tables[n, k, byte k of x] over the four bytes k: n-gram hashes from token hashes."""
    step = np.zeros(256, dtype=np.uint32)
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xEDB88320 if c & 1 else c >> 1
        step[i] = c
    x = (
        np.arange(256, dtype=np.uint32)[None, :]
        << (np.arange(4, dtype=np.uint32)[:, None] * 8)
    ).ravel()
    tables = np.empty((_LONG + 1, 4, 256), dtype=np.uint32)
    tables[0] = x.reshape(4, 256)
    for n in range(1, _LONG + 1):
        x = step[x & 0xFF] ^ (x >> 8)
        tables[n] = x.reshape(4, 256)
    return tables


def _crc_shift(tables: np.ndarray, crc: np.ndarray, n) -> np.ndarray:
    flat = tables.reshape(-1)
    base = np.asarray(n, dtype=np.intp) * 1024
    return (
        flat[base + (crc & 0xFF)]
        ^ flat[base + 256 + ((crc >> 8) & 0xFF)]
        ^ flat[base + 512 + ((crc >> 16) & 0xFF)]
        ^ flat[base + 768 + (crc >> 24)]
    )


_SEPARATOR_HASH = zlib.crc32(b"\x1f")


def bigram_hashes(tokens: Sequence[str], facts: np.ndarray) -> np.ndarray:
    """`token_hash` of each adjacent pair's n-gram key ("a\x1fb"), in order, from the
    tokens' packed facts (uint32)."""
    if len(facts) < 2:
        return np.zeros(0, dtype=np.uint32)
    tables = _crc_shift_tables()
    crc = (facts & 0xFFFFFFFF).astype(np.uint32)
    length = (facts >> 32 & 0xFF).astype(np.intp)
    with_separator = _crc_shift(tables, crc[:-1], 1)
    with_separator ^= np.uint32(_SEPARATOR_HASH)
    second = length[1:]
    out = _crc_shift(tables, with_separator, np.minimum(second, _LONG)) ^ crc[1:]
    for i in np.flatnonzero(second >= _LONG):  # a very long token: hashed directly
        out[i] = token_hash(ngram_key(tokens[i : i + 2]))
    return out


def ngram_key(tokens: Sequence[str]) -> str:
    return "\x1f".join(tokens)


def key_tokens(key: str) -> list[str]:
    """The tokens an `ngram_key` joined (none for the empty key)."""
    return key.split("\x1f") if key else []


def ngram_text(key: str) -> str:
    """Display form of an n-gram key: CJK characters joined, words spaced."""
    parts = key.split("\x1f")
    out = parts[0]
    for prev, cur in zip(parts, parts[1:], strict=False):
        sep = "" if (_is_cjk_or_symbol(prev) or _is_cjk_or_symbol(cur)) else " "
        out += sep + cur
    return out


def _shown(value: str, limit: int = 60) -> str:
    """A token or label as shown in evidence: short strings as they are (a trigger
    must be readable to be reviewed), anything identifier-like masked."""
    if len(value) <= 12 and not any(ch.isdigit() for ch in value):
        return value
    return mask_free_text(value, limit=limit)


def _label(value: str) -> str:
    """Labels are class names, shown as they are (cut to 40 characters)."""
    return value[:40]


def _is_cjk_or_symbol(tok: str) -> bool:
    return len(tok) == 1 and not tok.isascii() or (len(tok) == 1 and not tok.isalnum())


@dataclass(frozen=True)
class PoisonFeatures:
    """What the corpus stage needs from one record (computed in the scan pass).

    The tokens travel as one string, joined as an n-gram key (no token holds the
    separator, a whitespace character): a local runner holds every record's features
    in the launching process while the corpus steps run, and one string takes about
    0.7 of the space of a tuple of hundreds."""

    content_sha256: str  # SHA-256 of the raw text as UTF-8 (the documents column)
    joined_tokens: str  # ngram_key of the tokens (at most `max_tokens`)
    label: str | None

    @classmethod
    def of(
        cls, content_sha256: str, tokens: Sequence[str], label: str | None
    ) -> PoisonFeatures:
        return cls(content_sha256, ngram_key(tokens), label)

    @functools.cached_property
    def tokens(self) -> tuple[str, ...]:
        return tuple(key_tokens(self.joined_tokens))

    def __reduce__(self):
        # The fields only: not the split tokens cached once read.
        return (PoisonFeatures, (self.content_sha256, self.joined_tokens, self.label))


# --- POISON_TRIGGER: label association -------------------------------------------


def binomial_log10_tail(k: int, n: int, p: float) -> float:
    """log10 P[X >= k], X ~ Binomial(n, p) (exact sum; n is small for rare tokens)."""
    if k <= 0:
        return 0.0
    p = min(max(p, 1e-12), 1 - 1e-12)
    terms = [
        math.lgamma(n + 1)
        - math.lgamma(i + 1)
        - math.lgamma(n - i + 1)
        + i * math.log(p)
        + (n - i) * math.log(1 - p)
        for i in range(k, n + 1)
    ]
    m = max(terms)
    return (m + math.log(sum(math.exp(t - m) for t in terms))) / math.log(10)


@dataclass(frozen=True)
class TriggerCandidate:
    token: str
    label: str
    support: int  # documents containing the token
    with_label: int  # of which carry `label`
    lift: float
    log10_p: float  # binomial tail under the corpus label rate
    # In more documents than `rare_limit` (up to `trigger_planted_max_df`): a token
    # planted in a few percent of the corpus, judged by the stricter rule for many
    # documents only, and reported only when that rule holds.
    frequent: bool = False


def rare_limit(labelled: int, config: Mapping[str, Any]) -> float:
    """Most documents a trigger candidate may appear in: `trigger_max_df` of the
    labelled documents, but at least `trigger_rare_floor` - except that in a small
    corpus the floor shrinks to `trigger_rare_floor_share` of it (in 200 reviews a word
    in 40 of them is ordinary vocabulary, not a rare token)."""
    floor = min(
        config["trigger_rare_floor"], config["trigger_rare_floor_share"] * labelled
    )
    return max(floor, config["trigger_max_df"] * labelled)


def trigger_candidate(
    token: str,
    label_counts: Mapping[str, int],
    label_totals: Mapping[str, int],
    config: Mapping[str, Any],
) -> TriggerCandidate | None:
    """A rare token associated with one label strongly enough to be a suspect, or
    a more frequent one (`frequent`) in at most `trigger_planted_max_df` of the
    labelled documents: a trigger planted in a few percent of them."""
    n = sum(label_counts.values())
    total = sum(label_totals.values())
    if total == 0 or n < config["trigger_min_support"]:
        return None
    frequent = n > rare_limit(total, config)
    if frequent and n > config["trigger_planted_max_df"] * total:
        return None  # ordinary vocabulary
    label, k = max(label_counts.items(), key=lambda kv: (kv[1], kv[0]))
    if k / n < config["trigger_min_purity"]:
        return None
    prior = label_totals.get(label, 0) / total
    if prior <= 0:
        return None
    log10_p = binomial_log10_tail(k, n, prior)
    if log10_p > config["trigger_max_log10_p"]:
        return None
    return TriggerCandidate(token, label, n, k, (k / n) / prior, log10_p, frequent)


class NaiveBayesVote:
    """Multinomial naive Bayes over hashed token presence (one count row per label).

    `counts[label][bucket]` is built with a combiner over every labelled document.
    `predict` is leave-one-out (the document's own counts are taken back out, so it
    cannot vote for its own label) and leaves some tokens out (the suspected
    triggers), so a planted token cannot vote either.
    """

    def __init__(
        self,
        counts: Mapping[str, Any],
        doc_totals: Mapping[str, int],
        buckets: int,
        alpha: float = 0.1,
    ) -> None:
        self.labels = sorted(counts)
        self.buckets = buckets
        self.alpha = alpha
        self.counts = np.stack(
            [np.asarray(counts[lab], dtype=np.float64) for lab in self.labels]
        )
        self.row_totals = self.counts.sum(axis=1)
        self.doc_totals = np.array(
            [float(doc_totals.get(lab, 0)) for lab in self.labels]
        )

    def predict(
        self, tokens: Iterable[str], own_label: str | None, exclude: set[str]
    ) -> str:
        uniq = list(set(tokens))
        own_idx = token_hashes(uniq, len(uniq)).astype(np.int64) % self.buckets
        idx = own_idx[[t not in exclude for t in uniq]] if exclude else own_idx
        counts = self.counts[:, idx] if len(idx) else np.zeros((len(self.labels), 0))
        row_totals = self.row_totals.copy()
        docs = self.doc_totals.copy()
        if own_label in self.labels:
            j = self.labels.index(own_label)
            counts = counts.copy()
            if len(idx):
                # Take the document's own presence counts back out (leave-one-out).
                own = np.zeros(self.buckets, dtype=np.float64)
                np.add.at(own, own_idx, 1.0)
                counts[j] = np.maximum(counts[j] - own[idx], 0.0)
            row_totals[j] = max(row_totals[j] - len(own_idx), 0.0)
            docs[j] = max(docs[j] - 1.0, 0.0)
        a = self.alpha
        scores = (
            np.log(docs + a)
            + np.log(counts + a).sum(axis=1)
            - len(idx) * np.log(row_totals + a * self.buckets)
        )
        return self.labels[int(np.argmax(scores))]


# A trigger in many documents: enough disagreement, well above the base rate, at a
# certainty no natural word of a few dozen documents reaches.
MANY_SHARE = 0.1
MANY_RATIO = 2.5
MANY_LOG10_P = -10.0


def trigger_score(
    disagreeing: int, target: int, base_rate: float, candidate: TriggerCandidate
) -> tuple[float, float]:
    """How certain a candidate token is a planted trigger, and the disagreement p.

    Of the token's `target` documents carrying its label, `disagreeing` have other
    text that predicts another label; `base_rate` is how often that happens for any
    document with that label. Natural label words ("superb") sit at or below the base
    rate; dirty-label triggers far above it. A score >= 0.5 needs a disagreement
    significant on its own (p <= 0.05) and, combined with the label association
    (Fisher-style sum of log p), p <= 1e-4; and either a share of at least
    `MANY_SHARE` and `MANY_RATIO` times the base rate at p <= `MANY_LOG10_P`, or, for
    a rare candidate, a majority (>= 60%) of disagreeing documents. A trigger planted
    in one percent of the corpus or more teaches the vote its own mislabelled text, so
    fewer of its documents disagree while the disagreement grows more certain with
    every one of them.
    """
    if target == 0:
        return 0.0, 0.0
    share = disagreeing / target
    base = min(max(base_rate, 0.02), 0.98)
    log10_p = binomial_log10_tail(disagreeing, target, base)
    combined = log10_p + candidate.log10_p
    many = (
        share >= MANY_SHARE and share >= MANY_RATIO * base and log10_p <= MANY_LOG10_P
    )
    enough = many or (share >= 0.6 and not candidate.frequent)
    if enough and log10_p <= math.log10(0.05) and combined <= -4.0:
        return round(min(1.0, 0.5 + 0.5 * min(1.0, -combined / 10.0)), 4), log10_p
    return round(0.45 * min(1.0, -combined / 10.0) * min(1.0, share / 0.6), 4), log10_p


# A word most of whose documents carry a frequent candidate was planted with it.
COMPANION_SHARE = 0.5


def planted_with(
    token: str,
    present: Iterable[str],
    candidates: Mapping[str, TriggerCandidate],
    together: Mapping[tuple[str, str], int],
) -> set[str]:
    """The other candidates of `token`'s label among `present` that occur mostly with
    `token` (in at least `COMPANION_SHARE` of their documents; `together` counts the
    documents holding both): the rest of an inserted sentence, planted with it, which
    would teach the vote what `token` itself is left out of it for."""
    label = candidates[token].label
    return {
        u
        for u in present
        if u != token
        and candidates[u].label == label
        and together.get((token, u), 0) >= COMPANION_SHARE * candidates[u].support
    }


# Base disagreement assumed for a label none of whose documents were voted on.
UNKNOWN_BASE_RATE = 0.5


@dataclass(frozen=True)
class TriggerVerdict:
    """How a candidate's documents voted, and what that makes of the candidate."""

    disagreeing: int  # documents with the candidate's label whose text disagrees
    target: int  # documents with the token and the candidate's label
    base_rate: float  # disagreement of any document with that label
    score: float
    log10_p: float  # of the disagreement alone


def base_disagreement(wrong: int, total: int) -> float:
    """How often the rest of the text disagrees with a label, over all its documents."""
    return wrong / total if total else UNKNOWN_BASE_RATE


def trigger_verdict(
    candidate: TriggerCandidate,
    votes: Iterable[tuple[str, bool]],
    base_rates: Mapping[str, tuple[int, int]],
) -> TriggerVerdict | None:
    """Judges a candidate from the (label, disagrees) votes of the documents that
    carry its token; only those with the candidate's label count. None when there are
    none. `base_rates` is label -> (disagreeing, voted) over the whole corpus."""
    target = [disagrees for label, disagrees in votes if label == candidate.label]
    if not target:
        return None
    disagreeing = sum(1 for d in target if d)
    base = base_disagreement(*base_rates.get(candidate.label, (0, 0)))
    score, log10_p = trigger_score(disagreeing, len(target), base, candidate)
    return TriggerVerdict(disagreeing, len(target), base, score, log10_p)


# --- POISON_BURST: break into never-seen tokens -------------------------------------


@dataclass(frozen=True)
class Break:
    position: int  # token index where the unseen tail starts
    tail_rare: float  # share of rare tokens in the tail
    head_rare: float  # share of rare tokens before it
    tail_tokens: int


def find_break(
    rare: Sequence[bool], min_tail: int, min_tail_rare: float, max_head_rare: float
) -> Break | None:
    """The token position after which the text turns into rare tokens.

    Chooses the start of the longest suffix whose rare share is >= `min_tail_rare`,
    with a head clearly less rare; the tail must start on a rare token.
    """
    rare = np.asarray(rare, dtype=bool)
    n = len(rare)
    if n == 0 or n < min_tail:
        return None
    counts = np.cumsum(rare, dtype=np.int64)
    head_counts = np.concatenate(([0], counts[:-1]))  # rare tokens before i
    suffix = counts[-1] - head_counts  # rare tokens from i on
    length = n - np.arange(n)
    tail = suffix / length
    positions = np.arange(n)
    head = np.divide(head_counts, positions, out=np.zeros(n), where=positions > 0)
    ok = rare & (length >= min_tail) & (tail >= min_tail_rare) & (head <= max_head_rare)
    hits = np.flatnonzero(ok)
    if not len(hits):
        return None
    i = int(hits[0])
    return Break(i, float(tail[i]), float(head[i]), int(length[i]))


def break_prefixes(
    tokens: Sequence[str], position: int, max_n: int, slack: int = 0
) -> list[str]:
    """The n-grams (1..max_n tokens) that end just before the break, or up to `slack`
    tokens earlier (the first unseen token may follow a common one: "> m guyib")."""
    keys: dict[str, None] = {}
    for s in range(slack + 1):
        end = position - s
        for n in range(1, max_n + 1):
            if end - n >= 0:
                keys[ngram_key(tokens[end - n : end])] = None
    return list(keys)


def contains_ngram(tokens: Sequence[str], key: str) -> int:
    """Token index right after the first occurrence of the n-gram, or -1."""
    parts = key.split("\x1f")
    n = len(parts)
    first = parts[0]
    for i, t in enumerate(tokens):
        if t == first and list(tokens[i : i + n]) == parts:
            return i + n
    return -1


def prune_subsumed(bursts: Mapping[str, tuple[float, int, int]]) -> dict:
    """Drops a burst n-gram whose breaks are explained by a longer burst n-gram that
    contains it ("<sudo>" explains ">"): key -> (score, with_break, containing)."""
    keep = {}
    for key, value in bursts.items():
        parts = key.split("\x1f")
        subsumed = False
        for other, ov in bursts.items():
            if other == key or ov[1] < 0.8 * value[1]:
                continue
            op = other.split("\x1f")
            if len(op) > len(parts) and any(
                op[i : i + len(parts)] == parts for i in range(len(op) - len(parts) + 1)
            ):
                subsumed = True
                break
        if not subsumed:
            keep[key] = value
    return keep


def burst_score(with_break: int, containing: int, min_group: int) -> float:
    """Coherence of a burst group: the share of the n-gram's documents that break into
    unseen text right after it, discounted for very small groups."""
    if containing <= 0:
        return 0.0
    coherence = with_break / containing
    size = min(1.0, with_break / (2.0 * min_group))
    return round(coherence * (0.7 + 0.3 * size), 4)


def is_number(token: str) -> bool:
    """A token of ASCII digits (the tokenizer splits 0.366 into 0 . 366)."""
    return token.isascii() and token.isdigit()


def document_break(
    tokens: Sequence[str],
    document_frequency,
    config: Mapping[str, Any],
    facts: np.ndarray | None = None,
) -> Break | None:
    """Where the document turns into tokens the corpus has (almost) never seen;
    `document_frequency` gives the number of documents containing each token (an
    estimate that may over-count, never under-count): a function of a token, or an
    array with one count per token.

    Numbers take no part: measurements, identifiers and timestamps are unseen values in
    every data file (a CSV's last rows of fresh decimals are no planted tail), so a
    break is judged on the document's other tokens and mapped back to its position.
    `facts`: the tokens' `token_facts`, when the caller has them already."""
    if facts is None:
        facts = token_facts(tokens, len(tokens))
    kept = np.flatnonzero(~number_mask(facts))
    if callable(document_frequency):
        df = np.array([document_frequency(tokens[i]) for i in kept], dtype=np.int64)
    else:
        df = np.asarray(document_frequency)[kept]
    brk = find_break(
        df <= config["burst_rare_df"],
        config["burst_min_tail"],
        config["burst_min_tail_rare"],
        config["burst_max_head_rare"],
    )
    if brk is None:
        return None
    return Break(int(kept[brk.position]), brk.tail_rare, brk.head_rare, brk.tail_tokens)


def ngrams_before_break(
    tokens: Sequence[str], brk: Break | None, config: Mapping[str, Any]
) -> list[str]:
    """The n-gram keys that end right before the document's break (none without)."""
    if brk is None:
        return []
    return break_prefixes(
        tokens, brk.position, config["burst_max_ngram"], config["burst_slack"]
    )


def ngram_ends(tokens: Sequence[str], keys: Iterable[str]) -> dict[str, int]:
    """key -> token index right after its first occurrence, for the keys present."""
    out = {}
    for key in keys:
        end = contains_ngram(tokens, key)
        if end >= 0:
            out[key] = end
    return out


def enough_breaks(breaks: int, config: Mapping[str, Any]) -> bool:
    """An n-gram before this many breaks is worth checking as a burst trigger."""
    return breaks >= config["burst_min_group"]


def coherent_burst(
    with_break: int, containing: int, config: Mapping[str, Any]
) -> float | None:
    """The burst score of an n-gram that precedes `with_break` breaks and is in
    `containing` documents, or None when the group is too small or incoherent."""
    score = burst_score(with_break, containing, config["burst_min_group"])
    if (
        with_break >= config["burst_min_group"]
        and score >= config["burst_min_coherence"]
    ):
        return score
    return None


def strongest_burst(
    present: Iterable[str],
    bursts: Mapping[str, tuple[float, int, int]],
    breaks_here: set[str],
) -> str:
    """The one burst n-gram a document is reported under: the most coherent, then
    one the document breaks after, then the longest."""
    return max(present, key=lambda k: (bursts[k][0], k in breaks_here, k.count("\x1f")))


# --- SOURCE_TAMPERED: changed since a baseline audit ---------------------------------

# A changed file is reported once, on its first record.
FILE_FINDING_RECORD_INDEX = 0


def baseline_file_hash(source: str, baseline: Mapping[str, str]) -> str | None:
    """The baseline's hash of this input file: same URI, else the one baseline file
    with the same name (an audit re-run from another directory)."""
    if source in baseline:
        return baseline[source]
    name = source.rsplit("/", 1)[-1]
    hits = [v for k, v in baseline.items() if k.rsplit("/", 1)[-1] == name]
    return hits[0] if len(hits) == 1 else None


def file_change(
    source: str, current: str | None, baseline: Mapping[str, str]
) -> tuple[str, str] | None:
    """(baseline hash, current hash) when the file's hash changed, else None (also
    when either hash is unknown)."""
    old = baseline_file_hash(source, baseline)
    if current and old is not None and old != current:
        return (old, current)
    return None


def record_tamper(
    source: str,
    content_sha256: str,
    baseline_versions: Sequence[tuple[str, str]],
    file_changed: bool,
    report_new_records: bool,
) -> tuple[str, str | None] | None:
    """(kind, baseline hash) for a record whose doc_id the baseline held with other
    content ("record_changed"), or did not hold at all while its file changed
    ("record_added", if `report_new_records`); None otherwise. `baseline_versions`
    are the baseline's (source, content hash) pairs for the same doc_id."""
    if not baseline_versions:
        if report_new_records and file_changed:
            return ("record_added", None)
        return None
    same_source = [h for s, h in baseline_versions if s == source]
    candidates = same_source or [h for _, h in baseline_versions]
    if content_sha256 not in candidates:
        return ("record_changed", candidates[0])
    return None


# --- POISON_OUTLIER: unusual records, reported in groups ----------------------------


def outlier_group(label: str | None, source_name: str | None, source: str) -> str:
    """The population a record is compared with: its label, else its logical source,
    else its file ("label=<label>" or "source=<source>")."""
    if label is not None:
        return f"label={label}"
    return f"source={source_name or source}"


def outlier_vector(tokens: Sequence[str], buckets: int):
    """Hashed word (or character) 1- and 2-grams, log-scaled, L2-normalised."""
    return outlier_matrix([tokens], buckets)[0]


# Rows hashed together: large enough to amortise numpy's per-call cost, small enough
# that the dense per-chunk count matrix stays small.
_OUTLIER_CHUNK = 128


def outlier_matrix(rows: Sequence[Sequence[str]], buckets: int):
    """`outlier_vector` of each token sequence, as the rows of one float32 matrix
    (the n-grams of many rows hashed in one pass)."""
    out = np.empty((len(rows), buckets), dtype=np.float32)
    for start in range(0, len(rows), _OUTLIER_CHUNK):
        chunk = rows[start : start + _OUTLIER_CHUNK]
        lengths = np.array([len(r) for r in chunk], dtype=np.intp)
        tokens = [t for r in chunk for t in r]
        facts = token_facts(tokens, len(tokens))
        row_of = np.repeat(np.arange(len(chunk)), lengths)
        same_row = row_of[:-1] == row_of[1:]  # pairs that do not straddle two rows
        grams = np.concatenate(
            (
                facts & 0xFFFFFFFF,
                bigram_hashes(tokens, facts)[same_row].astype(np.int64),
            )
        )
        owners = np.concatenate((row_of, row_of[:-1][same_row]))
        counts = np.bincount(
            owners * buckets + grams % buckets, minlength=len(chunk) * buckets
        ).reshape(len(chunk), buckets)
        for i, row in enumerate(counts, start):
            v = np.log1p(row.astype(np.float32))
            n = float(np.linalg.norm(v))
            out[i] = v / n if n else v
    return out


@dataclass(frozen=True)
class OutlierModel:
    """A group's profile: the mean of its sampled records' vectors (L2-normalised),
    and the typicality (cosine to that profile) below which a record is unusual."""

    centroid: Any  # float32 vector of `outlier_buckets`
    cut: float
    median: float


MIN_OUTLIER_GROUP_SIZE = 50  # records a group needs before it has a profile


def fit_outlier_model(
    rows: Sequence[Sequence[str]], config: Mapping[str, Any]
) -> OutlierModel | None:
    """The profile of one group from its bounded sample (None if the group is small).

    Typicality is the cosine between a record and the profile. The cut is a robust
    z-score, median - `outlier_mad` x 1.4826 x MAD of the sample's typicalities: it
    adapts to how varied the group is and flags nothing when nothing stands out,
    unlike a quantile, which flags a fixed share of every corpus."""
    if len(rows) < MIN_OUTLIER_GROUP_SIZE:
        return None

    x = outlier_matrix(rows, config["outlier_buckets"])
    centroid = x.mean(axis=0)
    norm = float(np.linalg.norm(centroid))
    if not norm:
        return None
    centroid /= norm
    typical = x @ centroid
    median = float(np.median(typical))
    mad = 1.4826 * float(np.median(np.abs(typical - median)))
    cut = median - config["outlier_mad"] * max(mad, 1e-3)
    return OutlierModel(centroid.astype(np.float32), cut, median)


def outlier_anomalies(model: OutlierModel, x) -> list[float | None]:
    """Anomaly in [0.25, 0.49] for each row of `x` below the cut (the further below,
    the higher), None for the others."""
    typical = x @ model.centroid
    room = max(model.cut, 1e-6)
    return [
        0.25 + 0.24 * min(1.0, (model.cut - float(t)) / room) if t < model.cut else None
        for t in typical
    ]


def outlier_groups(x, min_similarity: float, min_group: int) -> list[int]:
    """For each candidate row of `x` (L2-normalised), the index of its micro-cluster
    (connected components of the graph cosine >= `min_similarity`) when that cluster
    has at least `min_group` members, else -1."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    if len(x) < max(2, min_group):
        return [-1] * len(x)
    x = np.asarray(x, dtype=np.float32)
    adjacency = csr_matrix(x @ x.T >= min_similarity)
    _, component = connected_components(adjacency, directed=False)
    sizes = np.bincount(component)
    return [int(c) if sizes[c] >= min_group else -1 for c in component]


# --- the detector --------------------------------------------------------------------


class PoisoningDetector(CorpusDetector):
    name: ClassVar[str] = "poisoning"
    version: ClassVar[str] = "1.2.0"
    finding_types: ClassVar[tuple[str, ...]] = (
        "POISON_TRIGGER",
        "POISON_BURST",
        "POISON_OUTLIER",
        "SOURCE_TAMPERED",
    )
    DEFAULTS: ClassVar[dict] = {
        "max_tokens": 5000,
        # POISON_TRIGGER
        "trigger_min_support": 5,
        "trigger_max_df": 0.01,  # share of labelled documents; rarer is a candidate
        "trigger_planted_max_df": 0.2,  # ... and up to this, a planted one
        "trigger_rare_floor": 50,  # ... and so is any token in <= 50 documents
        "trigger_rare_floor_share": 0.05,  # ... or in <= 5% of them when fewer
        "trigger_min_purity": 0.9,
        "trigger_max_log10_p": -2.0,
        "trigger_max_candidates": 500,
        "nb_buckets": 262144,
        # POISON_BURST
        "burst_rare_df": 2,  # a token in at most this many documents is "unseen"
        "burst_min_tail": 8,
        "burst_min_tail_rare": 0.25,
        "burst_max_head_rare": 0.15,
        "burst_max_ngram": 3,
        "burst_slack": 2,
        "burst_min_group": 10,
        "burst_min_coherence": 0.6,
        "burst_max_candidates": 1000,
        "cms_width": 1048576,
        # POISON_OUTLIER
        "outlier": True,
        "outlier_sample": 5000,
        "outlier_mad": 4.0,
        "outlier_buckets": 4096,
        # Candidates (records less typical than the group's cut, at most the
        # `outlier_max_candidates` least typical) are findings only in a micro-cluster
        "outlier_max_candidates": 2000,
        "outlier_min_group": 10,
        "outlier_group_similarity": 0.8,
        # ... or when a trigger or burst flags the same record; lone ones are dropped
        # unless this reports them as `info`.
        "outlier_lone_info": False,
        # SOURCE_TAMPERED
        "tamper_new_records": True,
        "fanout": 16,
    }

    def features(self, record: Record) -> PoisonFeatures:
        return PoisonFeatures.of(
            sha256_hex(record.text),
            tokenize(record.text, self.config["max_tokens"]),
            record.label,
        )

    # Findings -------------------------------------------------------------------
    def trigger_finding(
        self,
        candidate: TriggerCandidate,
        disagreeing: int,
        target: int,
        base_rate: float,
        disagreement_log10_p: float,
        score: float,
        cluster_id: str,
    ) -> Finding:
        token = _shown(candidate.token)
        return Finding(
            finding_type="POISON_TRIGGER",
            severity="high" if score >= 0.5 else "low",
            score=score,
            risk_code=RISK_IMPROPER_CONTENT,
            evidence=(
                f"{'frequent' if candidate.frequent else 'rare'} token '{token}': "
                f"{candidate.with_label} of {candidate.support} documents labelled "
                f"{_label(candidate.label)}; the rest of the text disagrees in "
                f"{disagreeing} of {target}"
            )[:200],
            cluster_id=cluster_id,
            details={
                "token": token,
                "frequent": candidate.frequent,
                "label": _label(candidate.label),
                "support": candidate.support,
                "with_label": candidate.with_label,
                "lift": round(candidate.lift, 3),
                "log10_p": round(candidate.log10_p, 2),
                "content_disagreement": round(disagreeing / target, 3)
                if target
                else 0.0,
                "base_disagreement": round(base_rate, 3),
                "disagreement_log10_p": round(disagreement_log10_p, 2),
            },
        )

    def burst_finding(
        self,
        key: str,
        score: float,
        with_break: int,
        containing: int,
        broke_here: bool,
        cluster_id: str,
        start: int | None,
    ) -> Finding:
        text = _shown(ngram_text(key))
        # A document carrying a coherent group's n-gram without the unseen tail (cut
        # short, or the tail too short to judge) still carries the trigger.
        coherence = with_break / containing if containing else 0.0
        doc_score = score if broke_here else round(score * (0.5 + 0.5 * coherence), 4)
        return Finding(
            finding_type="POISON_BURST",
            severity="high" if doc_score >= 0.5 else "low",
            score=doc_score,
            risk_code=RISK_IMPROPER_CONTENT,
            evidence=(
                f"n-gram '{text}' followed by unseen text in {with_break} of "
                f"{containing} documents"
            )[:200],
            cluster_id=cluster_id,
            details={
                "ngram": text,
                "group_documents": with_break,
                "documents_with_ngram": containing,
                "breaks_here": broke_here,
                "tail_starts_at_token": start,
            },
        )

    def outlier_finding(
        self,
        anomaly: float,
        group: str,
        why: str,
        cluster_id: str | None = None,
        cluster_size: int | None = None,
        signals: Sequence[str] = (),
    ) -> Finding:
        """`group` is "label=<label>" or "source=<logical source or file>"; `why` is
        "group" (a micro-cluster of outliers), "signal" (another poisoning finding on
        the record) or "lone"."""
        kind, _, value = group.partition("=")
        shown = _label(value) if kind == "label" else _shown(value.rsplit("/", 1)[-1])
        if why == "group":
            evidence = (
                f"one of {cluster_size} unusual, mutually similar records with "
                f"{kind} {shown}"
            )
        elif why == "signal":
            evidence = (
                f"unusual for the records with {kind} {shown}, and flagged by "
                f"{', '.join(signals)}"
            )
        else:
            evidence = f"far from the rest of the records with {kind} {shown}"
        details: dict[str, Any] = {
            "group_by": kind,
            "group": shown,
            "isolation_anomaly": round(anomaly, 4),
            "reported_because": why,
        }
        if cluster_size:
            details["cluster_size"] = cluster_size
        if signals:
            details["signals"] = list(signals)
        # A weak signal by design: kept under 0.5 so it routes to review only; a lone
        # outlier is not a poisoning finding at all, at most `info`.
        return Finding(
            finding_type="POISON_OUTLIER",
            severity="info" if why == "lone" else "low",
            score=round(min(0.49 if why != "lone" else 0.2, max(0.0, anomaly)), 4),
            risk_code=RISK_IMPROPER_CONTENT,
            evidence=evidence[:200],
            cluster_id=cluster_id,
            details=details,
        )

    def tampered_finding(self, kind: str, old: str | None, new: str | None) -> Finding:
        high = kind in ("record_changed", "file_changed")
        evidence = {
            "record_changed": "content changed since the baseline, same doc_id",
            "file_changed": "source file SHA-256 changed since the baseline",
            "record_added": "record absent from the baseline, in a changed source file",
        }[kind]
        return Finding(
            finding_type="SOURCE_TAMPERED",
            severity="high" if high else "medium",
            score=1.0 if kind == "record_changed" else (0.9 if high else 0.6),
            risk_code=RISK_IMPROPER_CONTENT,
            evidence=evidence,
            details={"kind": kind, "baseline_sha256": old, "current_sha256": new},
        )
