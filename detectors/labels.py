"""Label quality (docs/detectors/labels.md): the pure logic.

* LABEL_CONFLICT: records with the same normalized text (or in the same near-duplicate
  cluster) that carry different labels. Exact duplicates with different labels are a
  definite inconsistency (severity high, every member flagged); a near-duplicate
  cluster is flagged when its majority label holds less than `conflict_majority` of
  the members, otherwise only its minority members are (medium).
* LABEL_SUSPECT: confident learning (Northcutt et al. 2021). Out-of-fold predicted
  probabilities come from a scikit-learn model per fold (fold = hash of doc_id mod K),
  each trained on a bounded sample of the other folds' records; per-class thresholds
  t_j = mean p_j over records labelled j; a record whose confident class (the argmax
  over classes with p_j >= t_j) differs from its label is off-diagonal and flagged
  with score = 1 - self-confidence.

Records without a label are skipped by every label check. The Beam composite is
`pipelines.corpus.labels.LabelQuality`.
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar

from corpusgate.detectors.base import RISK_ANNOTATION, CorpusDetector, Finding, Record
from corpusgate.detectors.poisoning import tokenize
from corpusgate.detectors.text import normalize_for_hash, sha256_hex


@dataclass(frozen=True)
class LabelFeatures:
    label: str | None
    content_key: str  # SHA-256 of the normalized text
    fold: int
    # Hashed n-gram ids (sorted, unique) and their sublinear-tf, L2-normalised weights:
    # packed int32 / float32 bytes (compact to ship) or plain tuples.
    indices: bytes | tuple[int, ...]
    values: bytes | tuple[float, ...]


def fold_of(doc_id: str, folds: int) -> int:
    return zlib.crc32(doc_id.encode("utf-8", "surrogatepass")) % folds


def hashed_ngrams(
    text: str, buckets: int, max_n: int = 2, max_tokens: int = 5000
) -> tuple[tuple[int, ...], tuple[float, ...]]:
    """Word (or, for Chinese, character) 1..max_n-grams hashed into `buckets`,
    weighted 1 + log(tf) and L2-normalised."""
    toks = tokenize(text, max_tokens)
    counts: Counter[int] = Counter()
    for n in range(1, max_n + 1):
        for i in range(len(toks) - n + 1):
            g = "\x1f".join(toks[i : i + n])
            counts[zlib.crc32(g.encode("utf-8", "surrogatepass")) % buckets] += 1
    if not counts:
        return (), ()
    idx = sorted(counts)
    vals = [1.0 + math.log(counts[i]) for i in idx]
    norm = math.sqrt(sum(v * v for v in vals)) or 1.0
    return tuple(idx), tuple(v / norm for v in vals)


def pack(indices: Sequence[int], values: Sequence[float]) -> tuple[bytes, bytes]:
    import numpy as np

    return (
        np.asarray(indices, dtype=np.int32).tobytes(),
        np.asarray(values, dtype=np.float32).tobytes(),
    )


def _unpack(r: LabelFeatures):
    import numpy as np

    if isinstance(r.indices, bytes):
        return np.frombuffer(r.indices, np.int32), np.frombuffer(r.values, np.float32)
    return np.asarray(r.indices, np.int32), np.asarray(r.values, np.float32)


def to_matrix(rows: Sequence[LabelFeatures], buckets: int):
    """Sparse CSR matrix of hashed features."""
    import numpy as np
    from scipy.sparse import csr_matrix

    parts = [_unpack(r) for r in rows]
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    if parts:
        np.cumsum([len(i) for i, _ in parts], out=indptr[1:])
    indices = np.concatenate([i for i, _ in parts]) if parts else np.zeros(0, np.int32)
    data = np.concatenate([v for _, v in parts]) if parts else np.zeros(0, np.float32)
    return csr_matrix(
        (data.astype(np.float64), indices.astype(np.int64), indptr),
        shape=(len(rows), buckets),
    )


def train_model(rows: Sequence[LabelFeatures], buckets: int, c: float):
    """A logistic regression on one fold's bounded training sample (None if it cannot
    be trained: fewer than two labels).

    L-BFGS fits the binary and the multinomial (3+ classes) model alike, so one
    solver serves every label set; liblinear, which is one-vs-rest, refuses 3+
    classes in the pinned scikit-learn. The multinomial softmax gives probabilities
    that sum to one over all classes, which confident learning's thresholds need."""
    from sklearn.linear_model import LogisticRegression

    labels = [r.label for r in rows]
    if len(set(labels)) < 2:
        return None
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=1000)
    model.fit(to_matrix(rows, buckets), labels)
    return model


def predict(
    model, rows: Sequence[LabelFeatures], buckets: int, classes: Sequence[str]
) -> list[dict[str, float]]:
    """Probabilities over every class of the corpus (0 for one the fold never saw)."""
    probs = model.predict_proba(to_matrix(rows, buckets))
    out = []
    for row in probs:
        p = dict.fromkeys(classes, 0.0)
        for cls, v in zip(model.classes_, row, strict=True):
            p[str(cls)] = float(v)
        out.append(p)
    return out


def confident_class(
    probs: Mapping[str, float], thresholds: Mapping[str, float]
) -> str | None:
    """The argmax over classes whose probability reaches their threshold, or None."""
    above = [(p, c) for c, p in probs.items() if p >= thresholds.get(c, math.inf)]
    if not above:
        return None
    return max(above)[1]


def noise_counts(
    joint: Mapping[tuple[str, str], int], label_totals: Mapping[str, int]
) -> dict[tuple[str, str], int]:
    """How many records labelled i to prune towards j (cleanlab's prune_by_noise_rate).

    `joint` is the confident joint C[(given, confident)]; each row is calibrated to
    the number of records with that label, normalised to the joint Q, and the count
    for (i, j) is n * Q[i][j]."""
    n = sum(label_totals.values())
    rows: dict[str, dict[str, float]] = {}
    for (i, j), c in joint.items():
        rows.setdefault(i, {})[j] = float(c)
    calibrated: dict[tuple[str, str], float] = {}
    for i, row in rows.items():
        total = sum(row.values())
        for j, c in row.items():
            calibrated[(i, j)] = c / total * label_totals.get(i, 0) if total else 0.0
    z = sum(calibrated.values()) or 1.0
    return {(i, j): int(round(n * c / z)) for (i, j), c in calibrated.items() if i != j}


MARGIN_BINS = 20000  # histogram resolution of the margin p_j - p_i in [-1, 1]


def margin_bin(margin: float, bins: int = MARGIN_BINS) -> int:
    return min(bins - 1, max(0, int((margin + 1.0) / 2.0 * bins)))


def margin_cut(histogram: Sequence[int], count: int, bins: int = MARGIN_BINS) -> float:
    """The margin of the `count`-th largest value (the lower edge of its bin), or +inf
    when nothing is to be pruned."""
    if count <= 0:
        return math.inf
    seen = 0
    for b in range(len(histogram) - 1, -1, -1):
        seen += histogram[b]
        if seen >= count:
            return b / bins * 2.0 - 1.0
    return -1.0


def can_learn(label_totals: Mapping[str, int], min_labelled: int) -> bool:
    """Confident learning needs at least two labels and `min_labelled` records."""
    return sum(label_totals.values()) >= min_labelled and len(label_totals) >= 2


def predicted_class(probs: Mapping[str, float]) -> str:
    """The most probable class (ties: the larger class name, so it is total)."""
    return max(probs.items(), key=lambda kv: (kv[1], kv[0]))[0]


def pruned_by_noise_rate(
    label: str, probs: Mapping[str, float], cuts: Mapping[tuple[str, str], float]
) -> bool:
    """Confident learning's prune-by-noise-rate rule: the record is predicted as
    another class and its margin p_j - p_label towards some class j reaches the cut
    for (label, j), i.e. it is among the n * Q[label][j] largest such margins."""
    if predicted_class(probs) == label:
        return False
    return any(
        probs[j] - probs[label] >= cuts.get((label, j), math.inf)
        for j in probs
        if j != label
    )


@dataclass(frozen=True)
class SuspectVerdict:
    suggested: str  # the confident class off the diagonal, else the predicted one
    pruned: bool  # by noise rate
    off_diagonal: bool  # of the confident joint


def suspect_verdict(
    label: str,
    probs: Mapping[str, float],
    confident: str | None,
    cuts: Mapping[tuple[str, str], float],
) -> SuspectVerdict | None:
    """Why a record's label looks wrong: off the diagonal of the confident joint (its
    confident class is another label) and/or pruned by noise rate; None for a record
    that keeps its label."""
    pruned = pruned_by_noise_rate(label, probs, cuts)
    off_diagonal = confident is not None and confident != label
    if not (pruned or off_diagonal):
        return None
    suggested = confident if off_diagonal else predicted_class(probs)
    return SuspectVerdict(suggested, pruned, off_diagonal)


# --- which confident-learning filter flags a record --------------------------------

BASE_FILTERS = ("prune_by_noise_rate", "confident_learning", "both")
SELF_CONFIDENCE_BOUNDS = (1.0, 0.5, 0.4, 0.3)


@dataclass(frozen=True)
class SuspectFilter:
    """Which records confident learning flags (score >= 0.5).

    `prune_by_noise_rate` (cleanlab's default): among the records labelled i, the
    n*Q[i][j] with the largest margin p_j - p_i, when the model's top class is not i.
    `confident_learning`: off the diagonal of the confident joint (the confident class
    differs from the label). `both`: the two at once. Each optionally also needs the
    model to give the label at most `max_self_confidence`."""

    base: str
    max_self_confidence: float = 1.0

    @property
    def name(self) -> str:
        bound = self.max_self_confidence
        return self.base + (f"+self_confidence<={bound:g}" if bound < 1.0 else "")

    def flags(self, pruned: bool, off_diagonal: bool, self_confidence: float) -> bool:
        hit = {
            "prune_by_noise_rate": pruned,
            "confident_learning": off_diagonal,
            "both": pruned and off_diagonal,
        }[self.base]
        return hit and self_confidence <= self.max_self_confidence


# What cross-validation chooses from: cleanlab's default filter with or without a
# bound on self-confidence. (The off-diagonal and combined filters scored as well on
# injected flips but worse on real noise: they are for a fixed choice only.)
CANDIDATE_FILTERS = tuple(
    SuspectFilter("prune_by_noise_rate", s) for s in SELF_CONFIDENCE_BOUNDS
)
DEFAULT_FILTER = CANDIDATE_FILTERS[0]
# A gain (or loss) in F1 smaller than this is within what the draw of flips changes.
MIN_FILTER_GAIN = 0.01


def confident_learning_masks(labels, probs):
    """(pruned, off_diagonal, self_confidence) arrays for integer `labels` and a
    probability matrix: the same rules as the Beam stages, computed exactly (sorted
    margins instead of histograms) on a bounded sample."""
    import numpy as np

    n, k = probs.shape
    rows = np.arange(n)
    self_conf = probs[rows, labels]
    present = [c for c in range(k) if np.any(labels == c)]
    thresholds = np.full(k, np.inf)
    for c in present:
        thresholds[c] = probs[labels == c, c].mean()
    above = np.where(probs >= thresholds, probs, -1.0)
    confident = np.where(above.max(axis=1) >= 0, above.argmax(axis=1), -1)
    off_diagonal = (confident >= 0) & (confident != labels)
    joint = {}
    for i, j in zip(labels[confident >= 0], confident[confident >= 0], strict=True):
        key = (str(i), str(j))
        joint[key] = joint.get(key, 0) + 1
    totals = {str(c): int(np.sum(labels == c)) for c in present}
    counts = noise_counts(joint, totals)
    predicted = probs.argmax(axis=1)
    pruned = np.zeros(n, dtype=bool)
    for (i, j), count in counts.items():
        i, j = int(i), int(j)
        members = np.flatnonzero(labels == i)
        if count <= 0 or not len(members):
            continue
        margins = probs[members, j] - probs[members, i]
        cut = np.sort(margins)[::-1][min(count, len(margins)) - 1]
        pruned[members[(margins >= cut) & (predicted[members] != i)]] = True
    return pruned, off_diagonal, self_conf


# How injected flips are drawn (see `inject_flips`); a filter is judged on their mean.
NOISE_KINDS = ("uniform", "ambiguous")


def inject_flips(labels, probs, flips: int, rng, kind: str):
    """`labels` with `flips` records moved to another class.

    `uniform`: records at random, the new class in proportion to the class sizes
    (class-conditional noise, what confident learning assumes). `ambiguous`: records
    drawn in proportion to min(p_label, 1 - p_label), so those near the model's
    boundary, where annotators err, and rarely those the model already contradicts;
    the new class in proportion to the model's probability of it (instance-dependent
    noise: a review that reads half positive is the one labelled wrong)."""
    import numpy as np

    n, k = probs.shape
    noisy = labels.copy()
    prior = np.bincount(labels, minlength=k).astype(float)
    if kind == "uniform":
        weights = np.ones(n)
    else:
        own = probs[np.arange(n), labels]
        weights = np.maximum(np.minimum(own, 1.0 - own), 1e-6)
    chosen = rng.choice(n, size=min(flips, n), replace=False, p=weights / weights.sum())
    for r in chosen:
        towards = prior.copy() if kind == "uniform" else np.maximum(probs[r], 1e-6)
        towards[labels[r]] = 0.0
        if towards.sum() <= 0:
            continue
        noisy[r] = rng.choice(k, p=towards / towards.sum())
    return noisy


def choose_filter(
    labels,
    probs,
    rounds: int = 5,
    flip_share: float = 0.05,
    seed: int = 0,
    candidates: Sequence[SuspectFilter] = CANDIDATE_FILTERS,
    kinds: Sequence[str] = NOISE_KINDS,
) -> tuple[SuspectFilter, dict[str, float]]:
    """The candidate filter that best finds labels flipped on purpose.

    Each round flips `flip_share` of the sample's labels once per noise kind
    (`inject_flips`), recomputes thresholds, joint and margins, and scores every
    filter's F1 at finding the flipped records; a round's F1 is the mean over the
    kinds. The probabilities stay as they are, since out-of-fold probabilities never
    depended on a record's own label. The first candidate (cleanlab's default) is kept
    unless another one's mean F1 gain over it, across rounds, exceeds both two
    standard errors and `MIN_FILTER_GAIN`, and it loses no more than that on any noise
    kind alone: a bound that finds clear errors better but ambiguous ones worse is not
    taken. Returns the chosen filter and the mean F1 of each."""
    import numpy as np

    labels = np.asarray(labels)
    n, _ = probs.shape
    rng = np.random.default_rng(seed)
    per_round: dict[str, list[float]] = {f.name: [] for f in candidates}
    per_kind: dict[tuple[str, str], list[float]] = {}
    flips = max(1, int(round(flip_share * n)))
    for _ in range(rounds):
        f1s: dict[str, list[float]] = {f.name: [] for f in candidates}
        for kind in kinds:
            noisy = inject_flips(labels, probs, flips, rng, kind)
            truth = noisy != labels
            pruned, off_diagonal, self_conf = confident_learning_masks(noisy, probs)
            for f in candidates:
                flagged = np.array(
                    [
                        f.flags(p, o, s)
                        for p, o, s in zip(pruned, off_diagonal, self_conf, strict=True)
                    ],
                    dtype=bool,
                )
                tp = int(np.sum(flagged & truth))
                denom = int(flagged.sum()) + int(truth.sum())
                f1 = 2 * tp / denom if denom else 0.0
                f1s[f.name].append(f1)
                per_kind.setdefault((f.name, kind), []).append(f1)
        for name, values in f1s.items():
            per_round[name].append(float(np.mean(values)))
    mean = {name: float(np.mean(v)) for name, v in per_round.items()}
    by_kind = {key: float(np.mean(v)) for key, v in per_kind.items()}
    default = candidates[0].name
    best, best_gain = candidates[0], 0.0
    for f in candidates[1:]:
        gain = clear_gain(
            per_round[default],
            per_round[f.name],
            {kind: by_kind[(default, kind)] for kind in kinds},
            {kind: by_kind[(f.name, kind)] for kind in kinds},
        )
        if gain is not None and gain > best_gain:
            best, best_gain = f, gain
    return best, mean


def clear_gain(
    default_rounds: Sequence[float],
    rounds: Sequence[float],
    default_by_kind: Mapping[str, float],
    by_kind: Mapping[str, float],
) -> float | None:
    """A candidate's mean F1 gain over the default filter across rounds, or None when
    the gain is not clear: at most two standard errors or `MIN_FILTER_GAIN`, or the
    candidate's mean F1 on some noise kind alone is more than `MIN_FILTER_GAIN` below
    the default's (a smaller difference is within what the draw of flips changes)."""
    import numpy as np

    gain = np.asarray(rounds, dtype=float) - np.asarray(default_rounds, dtype=float)
    stderr = float(gain.std(ddof=1)) / math.sqrt(len(gain)) if len(gain) > 1 else 0.0
    if any(
        by_kind[kind] < default_by_kind[kind] - MIN_FILTER_GAIN
        for kind in default_by_kind
    ):
        return None
    if gain.mean() <= max(2 * stderr, MIN_FILTER_GAIN):
        return None
    return float(gain.mean())


def choose_filter_from_rows(
    rows: Sequence[tuple[str, tuple[str, Mapping[str, float]]]], seed: int = 0
) -> SuspectFilter:
    """`choose_filter` on a bounded sample of (record identity, (given label,
    probabilities)) rows, taken in identity order so the choice does not depend on the
    order a runner delivers them; the default filter when the sample is too small to
    judge (< 50 rows, < 2 classes)."""
    import numpy as np

    rows = [r for _, r in sorted(rows, key=lambda e: e[0])]
    classes = sorted({c for _, p in rows for c in p})
    if len(rows) < 50 or len(classes) < 2:
        return DEFAULT_FILTER
    index = {c: i for i, c in enumerate(classes)}
    labels = np.array([index[label] for label, _ in rows])
    probs = np.array([[p.get(c, 0.0) for c in classes] for _, p in rows])
    return choose_filter(labels, probs, seed=seed)[0]


@dataclass(frozen=True)
class ConflictVerdict:
    kind: str  # "exact" | "near"
    labels: tuple[tuple[str, int], ...]  # label counts, most common first
    size: int

    @property
    def majority_share(self) -> float:
        return self.labels[0][1] / self.size if self.size else 1.0


def conflict_verdict(
    label_counts: Mapping[str, int], kind: str
) -> ConflictVerdict | None:
    if len(label_counts) < 2:
        return None
    ordered = tuple(sorted(label_counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return ConflictVerdict(kind, ordered, sum(label_counts.values()))


class LabelsDetector(CorpusDetector):
    name: ClassVar[str] = "labels"
    version: ClassVar[str] = "1.3.0"
    finding_types: ClassVar[tuple[str, ...]] = ("LABEL_CONFLICT", "LABEL_SUSPECT")
    DEFAULTS: ClassVar[dict] = {
        "conflict_majority": 0.8,
        "folds": 5,
        "max_train_per_fold": 50000,  # the bound on what one worker holds
        "buckets": 262144,
        "ngram": 2,
        "max_tokens": 5000,
        "c": 1.0,
        "min_labelled": 50,  # fewer labelled records: no LABEL_SUSPECT
        # Which records score >= 0.5: chosen in the run by cross-validation on
        # injected label flips (cleanlab's prune_by_noise_rate, with or without a
        # self-confidence bound), or, with choose_filter = false, prune_by_noise_rate
        # AND the model gives the label at most max_self_confidence.
        "choose_filter": True,
        "filter_sample": 20000,  # scored records the choice is made on (bounded)
        "max_self_confidence": 0.4,
        "fanout": 16,
    }

    def features(self, record: Record) -> LabelFeatures | None:
        if record.label is None:
            return None
        idx, vals = hashed_ngrams(
            record.text,
            self.config["buckets"],
            self.config["ngram"],
            self.config["max_tokens"],
        )
        packed_idx, packed_vals = pack(idx, vals)
        return LabelFeatures(
            label=record.label,
            content_key=sha256_hex(normalize_for_hash(record.text)),
            fold=fold_of(record.doc_id, self.config["folds"]),
            indices=packed_idx,
            values=packed_vals,
        )

    def conflict_finding(
        self,
        verdict: ConflictVerdict,
        own_label: str,
        cluster_id: str,
        related_doc_id: str | None,
    ) -> Finding | None:
        majority_label, _ = verdict.labels[0]
        if verdict.kind == "exact":
            severity, score = "high", 1.0
        elif verdict.majority_share < self.config["conflict_majority"]:
            severity, score = "medium", 0.8
        elif own_label != majority_label:
            severity, score = "medium", 0.6
        else:
            return None
        labels = ", ".join(f"{lab}×{n}" for lab, n in verdict.labels)
        return Finding(
            finding_type="LABEL_CONFLICT",
            severity=severity,
            score=score,
            risk_code=RISK_ANNOTATION,
            evidence=f"{verdict.kind} duplicates with different labels: {labels}"[:200],
            related_doc_id=related_doc_id,
            cluster_id=cluster_id,
            details={
                "kind": verdict.kind,
                "labels": dict(verdict.labels),
                "group_size": verdict.size,
                "majority_share": round(verdict.majority_share, 4),
                "own_label": own_label,
            },
        )

    def suspect_filter(self, chosen: SuspectFilter | None) -> SuspectFilter:
        """The filter in force: the one cross-validation chose, or the fixed one."""
        if self.config["choose_filter"] and chosen is not None:
            return chosen
        return SuspectFilter("prune_by_noise_rate", self.config["max_self_confidence"])

    def suspect_finding(
        self,
        label: str,
        probs: Mapping[str, float],
        confident: str,
        thresholds: Mapping[str, float],
        pruned: bool = True,
        off_diagonal: bool = True,
        chosen: SuspectFilter | None = None,
    ) -> Finding:
        self_conf = probs.get(label, 0.0)
        score = round(min(1.0, max(0.0, 1.0 - self_conf)), 4)
        active = self.suspect_filter(chosen)
        if not active.flags(pruned, off_diagonal, self_conf):
            score = min(score, 0.49)  # a candidate for review, not a flag
        return Finding(
            finding_type="LABEL_SUSPECT",
            severity="medium" if score >= 0.5 else "low",
            score=score,
            risk_code=RISK_ANNOTATION,
            evidence=(
                f"labelled {label} but out-of-fold model says {confident} "
                f"(p={probs.get(confident, 0.0):.2f}, self-confidence {self_conf:.2f})"
            )[:200],
            details={
                "given_label": label,
                "suggested_label": confident,
                "self_confidence": round(self_conf, 4),
                "probabilities": {k: round(v, 4) for k, v in sorted(probs.items())},
                "thresholds": {k: round(v, 4) for k, v in sorted(thresholds.items())},
                "pruned_by_noise_rate": pruned,
                "off_diagonal": off_diagonal,
                "filter": active.name,
            },
        )
