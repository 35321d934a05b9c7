"""Optional learned second stage: a classifier asked only about escalated documents
(docs/detectors/cbrn.md, "How it decides").

A logistic regression over hashed features, stored as a small versioned JSON file
(`data/stage2.json`: the non-zero weights only). Features: word uni- and bigrams,
6-letter word stems (so that "aerosolize" and "aerosolization" share evidence), and
rule tokens that the scorer derives from the lexicon and signal matches (entity
category / kind / tier, the signal families present, the rules' own severity, the
number of distinct threat-domain terms, the text's specificity: distinct technical
identifiers and numbers), each weighted by how typical it is of one class (NB-SVM).
The scorer asks it about mostly-English documents with enough biological
vocabulary: it raises such a document to `high` (signal `stage2_classifier`) at or
above its threshold, and below its veto threshold it lowers a weak rules-only
biology `high` that rests on technical vocabulary alone (no request, acquisition,
steps or intent cue; scorer.vetoable). Both thresholds ship in the file; they were
chosen by grouped cross-validation on the training data only. Nothing is
downloaded: the weights ship with the package, and
`bench_cbrn.py --write-stage2` rebuilds them (its `--cv` mode reports the grouped
cross-validation that justifies keeping the stage).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from itertools import repeat
from pathlib import Path

N_FEATURES = 2**18
NGRAM_RANGE = (1, 2)
STEM_CHARS = 6  # alphabetic words of at least this length also give a stem feature
FEATURE_SET = "words1-2+stems6+rules+specificity"
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b|[\u4e00-\u9fff]"
# Quotes and brackets carry layout, not meaning (answer lists, JSON): drop them.
_TOKEN = re.compile(TOKEN_PATTERN)
_LAYOUT = re.compile(r"[\[\]'\"“”‘’]")


def normalise(text: str) -> str:
    return _LAYOUT.sub(" ", text)


def _vectorizer():
    """sklearn's hashing of the n-gram features (tests check `ngrams` against it)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        ngram_range=NGRAM_RANGE,
        token_pattern=TOKEN_PATTERN,
        binary=True,
        norm="l2",
    )


def _tokens(text: str) -> list[str]:
    # normalise() only blanks quotes and brackets, which the token pattern never
    # matches and which are word boundaries anyway: it is skipped here.
    return _TOKEN.findall(text.lower())


def _bigrams(tokens: list[str]) -> list[str]:
    return list(map(" ".join, zip(tokens, tokens[1:], strict=False)))


def ngrams(text: str) -> list[str]:
    """Word uni- and bigrams, as sklearn's HashingVectorizer (settings above) forms
    them."""
    tokens = _tokens(text)
    return tokens + _bigrams(tokens)


def features(text: str, rule_tokens: Sequence[str] = ()) -> list[str]:
    """Every feature string of a document: n-grams, stems (`~stem`) and the rule
    tokens (`#token`; neither prefix can come out of the token pattern)."""
    tokens = _tokens(text)
    stems = {"~" + t[:STEM_CHARS] for t in tokens if len(t) >= STEM_CHARS}
    stems = {t for t in stems if t[1:].isalpha()}
    return tokens + _bigrams(tokens) + sorted(stems) + ["#" + t for t in rule_tokens]


@lru_cache(maxsize=1)
def _murmurhash() -> Callable[..., int]:
    """MurmurHash3 (32-bit, signed), the hash of sklearn's HashingVectorizer, from
    mmh3: importing scikit-learn for it cost every worker seconds of start-up
    (tests check the two agree)."""
    import mmh3

    return mmh3.hash


@dataclass
class Stage2Model:
    version: str
    intercept: float
    weights: dict[int, float]
    threshold: float = 0.6
    # below this probability a rules `high` biology result goes back to `info`
    veto_threshold: float = 0.0

    def __post_init__(self) -> None:
        self._cache: dict[str, int] = {}

    def _index(self, gram: str) -> int:
        cache = self._cache
        i = cache.get(gram)
        if i is None:
            if len(cache) > 200_000:
                cache.clear()
            i = cache[gram] = abs(_murmurhash()(gram, seed=0)) % N_FEATURES
        return i

    def feature_indices(self, text: str, rule_tokens: Sequence[str] = ()) -> set[int]:
        """The hashed features of `text` (n-grams as sklearn's HashingVectorizer with
        the settings above computes them, plus stems) and of the scorer's rule
        tokens."""
        grams = features(text, rule_tokens)
        found = list(map(self._cache.get, grams))
        out = set(found)
        if None in out:  # features not seen before: hash them once, in bulk
            out.discard(None)
            h = _murmurhash()
            new = {
                g: abs(h(g, seed=0)) % N_FEATURES
                for g, i in zip(grams, found, strict=True)
                if i is None
            }
            if len(self._cache) > 200_000:
                self._cache.clear()
            self._cache.update(new)
            out.update(new.values())
        return out

    def probability(self, text: str, rule_tokens: Sequence[str] = ()) -> float:
        idx = self.feature_indices(text, rule_tokens)
        if not idx:
            return 1.0 / (1.0 + math.exp(-self.intercept))
        w = self.weights
        z = self.intercept + sum(map(w.get, idx, repeat(0.0))) / math.sqrt(len(idx))
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "n_features": N_FEATURES,
                "ngram_range": list(NGRAM_RANGE),
                "token_pattern": TOKEN_PATTERN,
                "features": FEATURE_SET,
                "threshold": self.threshold,
                "veto_threshold": self.veto_threshold,
                "intercept": round(self.intercept, 6),
                "weights": {
                    str(k): round(v, 5) for k, v in sorted(self.weights.items())
                },
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> Stage2Model:
        d = json.loads(text)
        if (
            d["n_features"] != N_FEATURES
            or d["token_pattern"] != TOKEN_PATTERN
            or d.get("features") != FEATURE_SET
        ):
            raise ValueError("stage2 model was built with other feature settings")
        return cls(
            version=d["version"],
            intercept=float(d["intercept"]),
            weights={int(k): float(v) for k, v in d["weights"].items()},
            threshold=float(d["threshold"]),
            veto_threshold=float(d.get("veto_threshold", 0.0)),
        )


def load_stage2(path: str | None = None) -> Stage2Model | None:
    """The packaged model (None when the package ships none)."""
    if path:
        return Stage2Model.from_json(Path(path).read_text(encoding="utf-8"))
    ref = resources.files("corpusgate.detectors.cbrn").joinpath("data", "stage2.json")
    if not ref.is_file():
        return None
    return Stage2Model.from_json(ref.read_text(encoding="utf-8"))


def _matrix(docs: Sequence[tuple[str, Sequence[str]]]):
    """Binary, l2-normalised sparse rows of the hashed features (as `probability`
    computes them)."""
    import numpy as np
    from scipy.sparse import csr_matrix

    probe = Stage2Model("probe", 0.0, {})
    indptr, indices = [0], []
    for text, tokens in docs:
        idx = sorted(probe.feature_indices(text, tokens))
        indices.extend(idx)
        indptr.append(len(indices))
    lengths = np.diff(indptr)
    data = np.repeat(1.0 / np.sqrt(np.maximum(lengths, 1)), lengths)
    return csr_matrix(
        (data, np.array(indices, dtype=np.int64), np.array(indptr)),
        shape=(len(docs), N_FEATURES),
    )


def train(
    docs: Sequence[tuple[str, Sequence[str]]],
    labels: Sequence[bool],
    version: str,
    c: float = 16.0,
    threshold: float = 0.5,
    min_weight: float = 0.05,
    alpha: float = 1.0,
    sample_weight: Sequence[float] | None = None,
) -> Stage2Model:
    """Fits the logistic regression (balanced classes, L2, liblinear) on
    `(text, rule tokens)` pairs.

    Each feature column is first scaled by 1 + |r|, with r its smoothed log-count
    ratio between the classes in the training data (`alpha` = add-alpha smoothing;
    the NB-SVM weighting of Wang & Manning, 2012), so that features typical of one
    class weigh more before regularisation. The model stays linear in the binary
    features: the shipped weights are the coefficients times the scale. Weights below
    `min_weight` in magnitude are dropped to keep the shipped file small.
    `sample_weight`: per-document weights (so that a small training set counts as
    much as a large one)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    x = _matrix(docs)
    y = np.array([bool(v) for v in labels])
    present = (x > 0).astype(np.float64)
    pos = alpha + np.asarray(present[y].sum(axis=0)).ravel()
    neg = alpha + np.asarray(present[~y].sum(axis=0)).ravel()
    scale = 1.0 + np.abs(np.log((pos / pos.sum()) / (neg / neg.sum())))
    model = LogisticRegression(C=c, solver="liblinear", class_weight="balanced")
    model.fit(x.multiply(scale).tocsr(), y, sample_weight=sample_weight)
    coef = model.coef_[0] * scale
    weights = {
        int(i): float(coef[i]) for i in coef.nonzero()[0] if abs(coef[i]) >= min_weight
    }
    return Stage2Model(version, float(model.intercept_[0]), weights, threshold)
