"""Near duplicates: MinHash over normalized shingles, LSH bands, verified pairs.

Per record (`features`, in the scan pass):

* the text is folded: NFKC, case folded, punctuation and whitespace dropped, so a
  changed comma or a re-spaced line does not change the shingles;
* tokens are words for spaced scripts and single characters for CJK (a CJK character
  is its own token even inside mixed text);
* shingles are word `word_ngram`-grams, or character `cjk_ngram`-grams when most
  tokens are CJK characters; a text shorter than one shingle is one shingle;
* each shingle is hashed to 64 bits (vectorised in numpy), the MinHash signature has
  `bands * rows` values (one multiply-shift hash per row over all shingles at once,
  never one object per document), and each band of `rows` values is hashed to a
  band key. One extra key, the hash of the whole token sequence, makes identical
  texts (including texts too short to have shingles) candidates in every case.

Candidate pairs share a band key; the Beam composite
(`pipelines/corpus/near_duplicate.py`) links each bucket's members to the bucket's
smallest member and verifies every such pair here (`verify`): exact Jaccard of the
shingle sets, or containment of a short text inside a long one. Clusters are the
connected components of verified pairs.

The probability that a pair at Jaccard s shares at least one band is
1 - (1 - s**rows) ** bands (`candidate_probability`); the defaults (16 bands x 4
rows = 64 hashes, threshold (1/16)**(1/4) = 0.5) give P = 0.64 at s = 0.5, 0.89 at
0.6, 0.988 at 0.7 and 0.9998 at 0.8; candidates are kept at verified Jaccard >= 0.5
(docs/detectors/near_duplicate.md). The signatures are numpy rather than datasketch's
MinHash: the same pair F1 on the dev sets at half the CPU time, measured by
`scripts/bench_dedup.py --datasketch`.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
import zlib
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
from corpusgate.detectors.base import RISK_DATA_QUALITY, CorpusDetector, Finding, Record

_U64 = np.uint64
_M1 = _U64(0xBF58476D1CE4E5B9)
_M2 = _U64(0x94D049BB133111EB)
_GOLDEN = _U64(0x9E3779B97F4A7C15)
_POLY = _U64(0x100000001B3)  # FNV prime: odd, spreads each token over the word
_CHUNK = 1024  # shingles per signature step

_CJK_CLASS = (
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af"
    "\U00020000-\U0002fa1f"
)
_CJK = re.compile(f"[{_CJK_CLASS}]")
_WORD = re.compile(f"[{_CJK_CLASS}]|[^\\W_{_CJK_CLASS}]+")


def splitmix64(x: np.ndarray) -> np.ndarray:
    """The splitmix64 finaliser, elementwise on uint64 (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = x + _GOLDEN
        z = (z ^ (z >> _U64(30))) * _M1
        z = (z ^ (z >> _U64(27))) * _M2
        return z ^ (z >> _U64(31))


def fold(text: str) -> str:
    """NFKC, case folded: the text the shingles are taken from."""
    return unicodedata.normalize("NFKC", text).casefold()


def tokens(text: str) -> tuple[list[str], int]:
    """(tokens, how many are CJK): words of spaced scripts and single CJK characters;
    punctuation and spaces go."""
    folded = fold(text)
    toks = _WORD.findall(folded)
    return toks, 0 if folded.isascii() else len(_CJK.findall(folded))


# Folded ASCII text: letters and digits are the word characters (case folding left no
# capitals); every other byte separates words. The same tokens as `_WORD`, as bytes,
# three times faster than the regular expression.
_ASCII_SEPARATORS = bytes(
    c if chr(c).isascii() and chr(c).isalnum() else 0x20 for c in range(256)
)


_CJK_CHAR, _WORD_CHAR = 1, 2  # other code points: 0
_BMP_CLASSES: np.ndarray | None = None


def bmp_classes() -> np.ndarray:
    """Per code point of the Basic Multilingual Plane: CJK (a token by itself), word
    character (`[^\\W_]`, runs of them are words) or other (separates tokens); taken
    from the same regular expressions as `tokens`, once per process (25 ms)."""
    global _BMP_CLASSES
    if _BMP_CLASSES is None:
        chars = "".join(map(chr, range(0x10000)))

        def matches(pattern: re.Pattern) -> np.ndarray:
            # Each match becomes NUL; code point 0 itself matches neither class.
            marked = pattern.sub("\0", chars).encode("utf-32-le", "surrogatepass")
            found = np.frombuffer(marked, dtype="<u4") == 0
            found[0] = False
            return found

        classes = np.zeros(0x10000, dtype=np.uint8)
        classes[matches(re.compile(r"[^\W_]"))] = _WORD_CHAR
        classes[matches(_CJK)] = _CJK_CHAR
        _BMP_CLASSES = classes
    return _BMP_CLASSES


def is_cjk_token(token: str) -> bool:
    return len(token) == 1 and _CJK.match(token) is not None


class TokenHasher:
    """Deterministic 64-bit token hashes (never Python's per-process `hash`): the
    splitmix64 of two CRC-32s of the token's UTF-8 bytes, cached per token (str or
    bytes) so that a frequent word is hashed once."""

    def __init__(self, cache_size: int = 200_000) -> None:
        self._cache: dict[str | bytes, int] = {}
        self._cache_size = cache_size
        self._cp_hashes: np.ndarray | None = None  # by BMP code point
        self._cp_known: np.ndarray | None = None

    def __call__(self, toks: list[str] | list[bytes]) -> np.ndarray:
        cache = self._cache
        new = list(set(toks).difference(cache))
        if new:
            raw = []
            for t in new:
                b = t if isinstance(t, bytes) else t.encode("utf-8", "surrogatepass")
                raw.append((zlib.crc32(b) << 32) | zlib.crc32(b, 0x5BD1E995))
            mixed = splitmix64(np.array(raw, dtype=np.uint64)).tolist()
            cache.update(zip(new, mixed, strict=True))
        out = np.fromiter(
            map(cache.__getitem__, toks), dtype=np.uint64, count=len(toks)
        )
        if len(cache) > self._cache_size:
            cache.clear()
        return out

    def code_points(self, cps: np.ndarray) -> np.ndarray:
        """The hashes of single-character tokens given as BMP code points (uint32):
        the same values as for the characters as strings, from a table indexed by
        code point, filled as characters are first seen."""
        if self._cp_hashes is None:
            self._cp_hashes = np.zeros(0x10000, dtype=np.uint64)
            self._cp_known = np.zeros(0x10000, dtype=bool)
        table = self._cp_hashes
        unknown = cps[~self._cp_known[cps]]
        if len(unknown):
            new = np.unique(unknown).tolist()
            table[new] = self([chr(c) for c in new])
            self._cp_known[new] = True
        return table[cps]


def ngram_hashes(token_hashes: np.ndarray, n: int) -> np.ndarray:
    """Hashes of every n-gram of the token sequence (one if there are fewer than n)."""
    m = len(token_hashes)
    if m == 0:
        return np.empty(0, dtype=np.uint64)
    n = min(n, m)
    width = m - n + 1
    with np.errstate(over="ignore"):
        h = token_hashes[:width].copy()
        for k in range(1, n):
            h = h * _POLY + token_hashes[k : k + width]
    return splitmix64(h ^ _U64(n))


def unique_sorted(h: np.ndarray) -> np.ndarray:
    """np.unique of a uint64 array, by sorting: numpy 2's hash-based unique is several
    times slower on these arrays."""
    if len(h) < 2:
        return h.copy()
    h = np.sort(h)
    keep = np.empty(len(h), dtype=bool)
    keep[0] = True
    np.not_equal(h[1:], h[:-1], out=keep[1:])
    return h[keep]


@dataclass(frozen=True)
class NearDupFeatures:
    """What the corpus stage needs from one record."""

    band_keys: tuple[int, ...]  # LSH band keys, then the whole-text key (int64)
    shingles: np.ndarray  # sorted unique uint64 shingle hashes (verification)
    signature: np.ndarray  # uint32 MinHash values (similarity estimate)
    content_key: int  # hash of the folded token sequence (int64)


@dataclass(frozen=True)
class Verdict:
    similar: bool
    similarity: float  # Jaccard, or containment when that is what matched
    measure: str  # "jaccard" | "containment" | "identical"


class NearDuplicateDetector(CorpusDetector):
    name: ClassVar[str] = "near_duplicate"
    version: ClassVar[str] = "1.0.0"
    finding_types: ClassVar[tuple[str, ...]] = ("NEAR_DUPLICATE",)
    DEFAULTS: ClassVar[dict] = {
        "severity": "low",
        "word_ngram": 5,  # shingle width for spaced scripts (words)
        "cjk_ngram": 3,  # shingle width for CJK text (characters)
        "bands": 16,
        "rows": 4,
        "jaccard_threshold": 0.5,  # verified Jaccard to link two documents
        "containment_threshold": 0.85,  # or: the short one's shingles inside the long
        "containment_min_ratio": 0.3,  # ... when the short one is this long at least
        "min_shingles_containment": 20,  # ... and has this many shingles
        "hot_bucket": 64,  # buckets larger than this spread their pairs over salts
        "fanout": 16,  # salts spreading a giant cluster's joins over workers
        "max_rounds": 3,  # connected-components rounds (labels reach the minimum)
        "seed": 1,
    }

    def __init__(self, config=None, context=None) -> None:
        super().__init__(config, context)
        c = self.config
        for key in ("word_ngram", "cjk_ngram", "bands", "rows", "fanout", "max_rounds"):
            if c[key] < 1:
                from corpusgate.detectors.base import ConfigError

                raise ConfigError(f"detector 'near_duplicate': {key} must be >= 1")
        self.num_perm = c["bands"] * c["rows"]
        rng = np.random.default_rng(c["seed"])
        # Multiply-shift hashing: odd multipliers, the high 32 bits are the value.
        self._a = rng.integers(1, 2**63, size=self.num_perm, dtype=np.uint64) | _U64(1)
        self._b = rng.integers(0, 2**63, size=self.num_perm, dtype=np.uint64)
        self._band_salt = splitmix64(
            np.arange(c["bands"] + 1, dtype=np.uint64) + _U64(7)
        )
        powers = [1]
        for _ in range(c["rows"] - 1):
            powers.append(powers[-1] * int(_POLY) % 2**64)
        self._row_powers = np.array(powers[::-1], dtype=np.uint64)
        self._hasher: TokenHasher | None = None
        self._buffer: np.ndarray | None = None  # signature products, reused

    def setup(self) -> None:
        self._hasher = TokenHasher()

    # ---- per record -------------------------------------------------------------

    def shingle_hashes(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        """(token hashes, unique sorted shingle hashes) of a text."""
        th, cjk = self.token_hashes(text)
        n = (
            self.config["cjk_ngram"]
            if len(th) and cjk * 2 >= len(th)
            else (self.config["word_ngram"])
        )
        return th, unique_sorted(ngram_hashes(th, n))

    def token_hashes(self, text: str) -> tuple[np.ndarray, int]:
        """(hashes of the tokens of `tokens`, how many are CJK). Text with CJK
        characters is classified per code point in numpy (`bmp_classes`) instead of
        by two regular expression passes and one Python string per character: the
        same tokens, three times faster on Chinese text."""
        if self._hasher is None:
            self.setup()
        hasher = self._hasher
        folded = fold(text)
        if folded.isascii():  # the common case: words as bytes, no regex
            words = folded.encode("ascii").translate(_ASCII_SEPARATORS).split()
            return hasher(words), 0
        cps = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype="<u4")
        if int(cps.max()) > 0xFFFF:  # beyond the BMP (rare): the regular expressions
            return hasher(_WORD.findall(folded)), len(_CJK.findall(folded))
        classes = bmp_classes()[cps]
        # Words: runs of word characters (a CJK character ends a run). The changes
        # of the word mask padded with False at both ends alternate: a run's start,
        # then its end.
        word = np.zeros(len(classes) + 2, dtype=bool)
        np.equal(classes, _WORD_CHAR, out=word[1:-1])
        changes = np.flatnonzero(word[1:] != word[:-1])
        starts = changes[::2]
        words = [
            folded[a:b]
            for a, b in zip(starts.tolist(), changes[1::2].tolist(), strict=True)
        ]
        cjk_at = np.flatnonzero(classes == _CJK_CHAR)
        if len(cjk_at) == 0:
            return hasher(words), 0
        cjk_hashes = hasher.code_points(cps[cjk_at])
        if not words:
            return cjk_hashes, len(cjk_at)
        at = np.concatenate((cjk_at, starts))
        hashes = np.concatenate((cjk_hashes, hasher(words)))
        return hashes[np.argsort(at)], len(cjk_at)

    def signature(self, shingles: np.ndarray) -> np.ndarray:
        """MinHash values (uint32), all permutations at once, in chunks of shingles.

        The products go to one buffer kept by the detector: a fresh array per chunk
        (512 KiB and more) costs page faults that made long documents three times
        slower."""
        sig = np.full(self.num_perm, np.iinfo(np.uint64).max, dtype=np.uint64)
        if self._buffer is None:
            self._buffer = np.empty((_CHUNK, self.num_perm), dtype=np.uint64)
        with np.errstate(over="ignore"):
            for i in range(0, len(shingles), _CHUNK):
                chunk = shingles[i : i + _CHUNK, None]
                vals = self._buffer[: len(chunk)]
                np.multiply(chunk, self._a, out=vals)
                vals += self._b
                np.minimum(sig, vals.min(axis=0), out=sig)
        # The high 32 bits are the value; the shift is monotonic, so it can follow
        # the minimum instead of preceding it.
        return (sig >> _U64(32)).astype(np.uint32)

    def band_keys(self, signature: np.ndarray) -> list[int]:
        b, r = self.config["bands"], self.config["rows"]
        rows = signature.astype(np.uint64).reshape(b, r)
        with np.errstate(over="ignore"):
            # Horner's ((r0 * P + r1) * P + ...) written as sum(r_k * P^(r-1-k)),
            # both modulo 2**64: one vectorised product instead of a loop.
            h = (rows * self._row_powers).sum(axis=1, dtype=np.uint64)
        # Signed: Beam encodes an int below 2**63 as a varint, a larger one slowly.
        return splitmix64(h ^ self._band_salt[:b]).view(np.int64).tolist()

    def features(self, record: Record) -> NearDupFeatures:
        th, shingles = self.shingle_hashes(record.text)
        content = int.from_bytes(
            hashlib.blake2b(th.tobytes(), digest_size=8).digest(), "little", signed=True
        )
        if len(shingles) == 0:
            # No words at all: only identical (empty) texts can match.
            return NearDupFeatures(
                (content,), shingles, np.zeros(0, np.uint32), content
            )
        sig = self.signature(shingles)
        return NearDupFeatures(
            tuple(self.band_keys(sig)) + (content,), shingles, sig, content
        )

    # ---- per candidate pair -----------------------------------------------------

    def verify(self, a: NearDupFeatures, b: NearDupFeatures) -> Verdict:
        if a.content_key == b.content_key:
            return Verdict(True, 1.0, "identical")
        na, nb = len(a.shingles), len(b.shingles)
        if na == 0 or nb == 0:
            return Verdict(False, 0.0, "jaccard")
        inter = int(np.intersect1d(a.shingles, b.shingles, assume_unique=True).size)
        jaccard = inter / (na + nb - inter)
        c = self.config
        if jaccard >= c["jaccard_threshold"]:
            return Verdict(True, jaccard, "jaccard")
        small, large = min(na, nb), max(na, nb)
        containment = inter / small
        if (
            containment >= c["containment_threshold"]
            and small >= c["min_shingles_containment"]
            and small >= c["containment_min_ratio"] * large
        ):
            return Verdict(True, containment, "containment")
        return Verdict(False, jaccard, "jaccard")

    def estimated_jaccard(self, a: NearDupFeatures, b: NearDupFeatures) -> float:
        if len(a.signature) == 0 or len(b.signature) == 0:
            return 1.0 if a.content_key == b.content_key else 0.0
        return float(np.mean(a.signature == b.signature))

    def duplicate_finding(
        self,
        representative_doc_id: str,
        cluster_id: str,
        size: int,
        similarity: float,
        measure: str,
        neighbour_doc_id: str,
    ) -> Finding:
        return Finding(
            finding_type="NEAR_DUPLICATE",
            severity=self.config["severity"],
            score=round(min(1.0, max(0.0, similarity)), 4),
            risk_code=RISK_DATA_QUALITY,
            evidence=f"near duplicate of {representative_doc_id}",
            related_doc_id=representative_doc_id,
            cluster_id=cluster_id,
            details={
                "cluster_size": size,
                "similarity": round(similarity, 4),
                "measure": measure,
                "similar_to": neighbour_doc_id,
            },
        )


def candidate_probability(s: float, bands: int, rows: int) -> float:
    """P(a pair at Jaccard s shares at least one of `bands` bands of `rows` rows)."""
    return 1.0 - (1.0 - s**rows) ** bands
