"""Optional learned second stage (standards.md §4.2 stage 3, scaled down).

A logistic regression over hashed word uni- and bigrams, stored as a small versioned
JSON file (`data/stage2.json`: the non-zero weights only). It runs only on documents
that the lexicon already found dense in biological / chemical terms, and can only
raise such a document to `high` (signal `stage2_classifier`); it never lowers a
rule-based result. Nothing is downloaded: the weights ship with the package, and
`bench_cbrn.py --write-stage2` rebuilds them (its `--cv` mode reports the grouped
cross-validation that justifies keeping the stage).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from itertools import repeat
from pathlib import Path

N_FEATURES = 2**18
NGRAM_RANGE = (1, 2)
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z0-9\-]+\b|[\u4e00-\u9fff]"
# Quotes and brackets carry layout, not meaning (answer lists, JSON): drop them.
_TOKEN = re.compile(TOKEN_PATTERN)
_LAYOUT = re.compile(r"[\[\]'\"“”‘’]")


def normalise(text: str) -> str:
    return _LAYOUT.sub(" ", text)


def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(
        n_features=N_FEATURES,
        alternate_sign=False,
        ngram_range=NGRAM_RANGE,
        token_pattern=TOKEN_PATTERN,
        binary=True,
        norm="l2",
    )


@dataclass
class Stage2Model:
    version: str
    intercept: float
    weights: dict[int, float]
    threshold: float = 0.6

    def __post_init__(self) -> None:
        self._hash = None
        self._cache: dict[str, int] = {}

    def feature_indices(self, text: str) -> set[int]:
        """The hashed features of `text`, as sklearn's HashingVectorizer (with the
        settings above) computes them, without its per-call overhead."""
        if self._hash is None:
            from sklearn.utils import murmurhash3_32

            self._hash = murmurhash3_32
        cache = self._cache
        if len(cache) > 200_000:
            cache.clear()
        # normalise() only blanks quotes and brackets, which the token pattern never
        # matches and which are word boundaries anyway: skip it here.
        tokens = _TOKEN.findall(text.lower())
        grams = tokens + list(map(" ".join, zip(tokens, tokens[1:], strict=False)))
        out = set(map(cache.get, grams))
        if None in out:  # grams not seen before: hash them once
            out.discard(None)
            for g in grams:
                if g not in cache:
                    cache[g] = abs(self._hash(g, seed=0)) % N_FEATURES
                out.add(cache[g])
        return out

    def probability(self, text: str) -> float:
        idx = self.feature_indices(text)
        if not idx:
            return 1.0 / (1.0 + math.exp(-self.intercept))
        w = self.weights
        z = self.intercept + math.fsum(map(w.get, idx, repeat(0.0))) / math.sqrt(
            len(idx)
        )
        return 1.0 / (1.0 + math.exp(-z))

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": self.version,
                "n_features": N_FEATURES,
                "ngram_range": list(NGRAM_RANGE),
                "token_pattern": TOKEN_PATTERN,
                "threshold": self.threshold,
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
        if d["n_features"] != N_FEATURES or d["token_pattern"] != TOKEN_PATTERN:
            raise ValueError("stage2 model was built with other feature settings")
        return cls(
            version=d["version"],
            intercept=float(d["intercept"]),
            weights={int(k): float(v) for k, v in d["weights"].items()},
            threshold=float(d["threshold"]),
        )


def load_stage2(path: str | None = None) -> Stage2Model | None:
    """The packaged model (None when the package ships none)."""
    if path:
        return Stage2Model.from_json(Path(path).read_text(encoding="utf-8"))
    ref = resources.files("corpusgate.detectors.cbrn").joinpath("data", "stage2.json")
    if not ref.is_file():
        return None
    return Stage2Model.from_json(ref.read_text(encoding="utf-8"))


def train(
    texts: Sequence[str],
    labels: Sequence[bool],
    version: str,
    c: float = 4.0,
    threshold: float = 0.6,
    min_weight: float = 0.1,
) -> Stage2Model:
    """Fits the logistic regression (balanced classes, L2); weights below
    `min_weight` in magnitude are dropped to keep the shipped file small."""
    from sklearn.linear_model import LogisticRegression

    x = _vectorizer().transform([normalise(t) for t in texts])
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(x, list(labels))
    coef = model.coef_[0]
    weights = {
        int(i): float(coef[i]) for i in coef.nonzero()[0] if abs(coef[i]) >= min_weight
    }
    return Stage2Model(version, float(model.intercept_[0]), weights, threshold)


def fit_predict(
    train_texts: Sequence[str],
    train_labels: Sequence[bool],
    test_texts: Sequence[str],
    c: float = 4.0,
) -> list[float]:
    """Probabilities for held-out texts (cross-validation helper)."""
    model = train(train_texts, train_labels, "cv", c=c)
    return [model.probability(t) for t in test_texts]
