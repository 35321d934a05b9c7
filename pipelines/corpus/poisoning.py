"""Poisoning signals in Beam (docs/detectors/poisoning.md).

    features ──┬─ POISON_TRIGGER: token x label counts (CombinePerKey, lifted)
               │    -> rare, label-pure candidates (top `trigger_max_candidates`)
               │    -> naive-Bayes vote of each candidate's documents without the
               │       token (hashed label counts, CombineGlobally, side input)
               │    -> group per candidate (bounded: a candidate is rare) -> findings
               ├─ POISON_BURST: token document frequencies in a count-min sketch
               │    (CombineGlobally, side input) -> per document, the break into
               │    unseen tokens and the n-grams just before it (CombinePerKey counts)
               │    -> candidates -> (breaks, documents containing) per candidate
               │    (CombinePerKey) -> coherent n-grams (side input) -> findings
               ├─ POISON_OUTLIER: bounded sample per group (SampleByHashPerKey)
               │    -> TruncatedSVD + IsolationForest per group (side input) ->
               │    candidates -> the most unusual per group (Top.PerKey, bounded)
               │    -> micro-clusters, joined with trigger/burst flags -> findings
               └─ SOURCE_TAMPERED (--baseline): baseline `documents` read in the
                    pipeline and joined by doc_id (CoGroupByKey); baseline `sources`
                    (one row per file) as a side input.

What one worker holds at once: a count-min sketch (`2 x cms_width` int32), hashed
label counts (`nb_buckets x labels` float64), at most `outlier_sample` records per
outlier group, the members of one trigger candidate (at most
`trigger_planted_max_df` of the labelled records), and the bounded candidate lists.
Nothing else gathers the corpus.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import apache_beam as beam
import numpy as np
from apache_beam.io.filesystems import FileSystems
from apache_beam.transforms.window import GlobalWindows
from corpusgate.detectors import clusters as cluster_ids
from corpusgate.detectors.poisoning import (
    FILE_FINDING_RECORD_INDEX,
    NaiveBayesVote,
    PoisonFeatures,
    PoisoningDetector,
    TriggerCandidate,
    coherent_burst,
    document_break,
    enough_breaks,
    file_change,
    fit_outlier_model,
    key_tokens,
    ngram_ends,
    ngrams_before_break,
    outlier_anomalies,
    outlier_group,
    outlier_groups,
    outlier_matrix,
    planted_with,
    prune_subsumed,
    record_tamper,
    strongest_burst,
    token_facts,
    token_hashes,
    trigger_candidate,
    trigger_verdict,
)
from corpusgate.pipelines.audit.assemble import SumCountsFn
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import JobContext
from corpusgate.pipelines.corpus.sampling import SampleByHashPerKey

log = logging.getLogger(__name__)

_CMS_SEEDS = (0x9E3779B1, 0x85EBCA77)
# Records scored together by the outlier step (numpy's per-call cost amortised).
OUTLIER_BATCH = 256


# --- combiners ------------------------------------------------------------------------


class LabelCounterFn(SumCountsFn):
    """label -> count (a dict; one entry per label, so bounded)."""

    def add_input(self, acc: dict[str, int], label: str) -> dict[str, int]:
        return super().add_input(acc, (label, 1))


class HashedLabelCountsFn(beam.CombineFn):
    """(label, tokens) -> label -> token counts hashed into `buckets` (numpy rows)."""

    def __init__(self, buckets: int) -> None:
        self._buckets = buckets

    def create_accumulator(self) -> dict[str, np.ndarray]:
        return {}

    def add_input(self, acc, item):
        label, tokens = item
        row = acc.get(label)
        if row is None:
            row = acc[label] = np.zeros(self._buckets, dtype=np.float64)
        uniq = set(tokens)
        idx = token_hashes(uniq, len(uniq)).astype(np.int64) % self._buckets
        np.add.at(row, idx, 1.0)
        return acc

    def merge_accumulators(self, accumulators):
        merged: dict[str, np.ndarray] = {}
        for acc in accumulators:
            for label, row in acc.items():
                if label in merged:
                    merged[label] = merged[label] + row
                else:
                    merged[label] = row.copy()
        return merged

    def extract_output(self, acc):
        return acc


def cms_columns(hashes: np.ndarray, width: int) -> np.ndarray:
    """The sketch column of each token hash in each row: shape (depth, tokens)."""
    h = hashes.astype(np.int64)
    return np.stack(
        [((h ^ seed) * 0x01000193 & 0xFFFFFFFF) % width for seed in _CMS_SEEDS]
    )


class _Sketch:
    """A count-min sketch being filled: the counts so far, and the token hashes of
    documents not yet counted (counted together, `CountMinFn.PENDING` at a time)."""

    __slots__ = ("counts", "pending", "n_pending")

    def __init__(self, counts: np.ndarray) -> None:
        self.counts = counts
        self.pending: list[np.ndarray] = []
        self.n_pending = 0

    def __getstate__(self):
        return (self.counts, self.pending, self.n_pending)

    def __setstate__(self, state) -> None:
        self.counts, self.pending, self.n_pending = state


class CountMinFn(beam.CombineFn):
    """Document frequency of every token in a count-min sketch (depth 2): bounded
    memory whatever the vocabulary; it can only over-count. A document's distinct
    token hashes wait in the accumulator and are counted `PENDING` hashes at a time
    (one bincount per sketch row instead of two scattered adds per document)."""

    PENDING = 1 << 16

    def __init__(self, width: int) -> None:
        self._width = width

    def create_accumulator(self) -> _Sketch:
        return _Sketch(np.zeros((len(_CMS_SEEDS), self._width), dtype=np.int32))

    def add_input(self, acc: _Sketch, tokens: Iterable[str]) -> _Sketch:
        uniq = set(tokens)
        if not uniq:
            return acc
        acc.pending.append(token_hashes(uniq, len(uniq)))
        acc.n_pending += len(uniq)
        if acc.n_pending >= self.PENDING:
            self._count(acc)
        return acc

    def _count(self, acc: _Sketch) -> _Sketch:
        if acc.pending:
            cols = cms_columns(np.concatenate(acc.pending), self._width)
            for d in range(len(_CMS_SEEDS)):
                acc.counts[d] += np.bincount(cols[d], minlength=self._width).astype(
                    np.int32
                )
            acc.pending, acc.n_pending = [], 0
        return acc

    def compact(self, acc: _Sketch) -> _Sketch:
        return self._count(acc)

    def merge_accumulators(self, accumulators: Iterable[_Sketch]) -> _Sketch:
        it = iter(accumulators)
        merged = _Sketch(self._count(next(it)).counts.copy())
        for acc in it:
            merged.counts += self._count(acc).counts
        return merged

    def extract_output(self, acc: _Sketch) -> np.ndarray:
        return self._count(acc).counts


def sketch_counts(sketch: np.ndarray, tokens: Sequence[str]) -> np.ndarray:
    """The sketch's document frequency of each token, in order."""
    return _hash_counts(sketch, token_hashes(tokens, len(tokens)))


def _hash_counts(sketch: np.ndarray, hashes: np.ndarray) -> np.ndarray:
    cols = cms_columns(hashes, sketch.shape[1])
    return sketch[np.arange(len(_CMS_SEEDS))[:, None], cols].min(axis=0)


def cms_estimate(sketch: np.ndarray, token: str) -> int:
    return int(sketch_counts(sketch, [token])[0])


class PairSumFn(beam.CombineFn):
    """Element-wise sum of (breaks, documents containing) pairs."""

    def create_accumulator(self) -> tuple[int, int]:
        return (0, 0)

    def add_input(self, acc, item):
        return (acc[0] + item[0], acc[1] + item[1])

    def merge_accumulators(self, accumulators):
        a = b = 0
        for x, y in accumulators:
            a += x
            b += y
        return (a, b)

    def extract_output(self, acc):
        return acc


# --- POISON_TRIGGER -------------------------------------------------------------------


class _CandidateSet:
    """The side input's candidates by token, rebuilt only when the side input is a
    new object (once per worker and side input, not per element)."""

    def __init__(self) -> None:
        self._source: Any = None
        self.by_token: dict[str, TriggerCandidate] = {}

    def of(self, candidates) -> dict[str, TriggerCandidate]:
        if self._source is not candidates:
            self.by_token = {c.token: c for c in candidates}
            self._source = candidates
        return self.by_token


class _FrequentPairs(beam.DoFn):
    """((frequent candidate, other candidate of its label), 1) per labelled document
    holding both: how often the words of a planted sentence come together."""

    def setup(self) -> None:
        self._cands = _CandidateSet()

    def process(self, element, candidates) -> Iterator[Any]:
        cands = self._cands.of(candidates)
        present = [t for t in set(element[1].tokens) if t in cands]
        for f in present:
            if cands[f].frequent:
                for u in present:
                    if u != f and cands[u].label == cands[f].label:
                        yield (f, u), 1


class _VoteDocs(beam.DoFn):
    """Leave-one-out naive-Bayes vote of every labelled document, with any rare
    candidate token it carries left out; a frequent candidate is left out only of its
    own vote, with the candidates planted with it (`planted_with`): a label-pure word
    in a fifth of the corpus may be what carries the vote. Main output: (label,
    (disagrees, 1)) for the base rates; `candidates` output: (token, (ref, label,
    disagrees))."""

    def __init__(self, buckets: int) -> None:
        self._buckets = buckets
        self._nb: NaiveBayesVote | None = None
        self._nb_source: Any = None  # the side input the model was built from

    def setup(self) -> None:
        self._cands = _CandidateSet()

    def process(
        self, element, candidates, nb_counts, label_totals, together
    ) -> Iterator[Any]:
        ref, feats = element
        if len(label_totals) < 2:
            return
        if self._nb is None or self._nb_source is not nb_counts:
            self._nb = NaiveBayesVote(nb_counts, label_totals, self._buckets)
            self._nb_source = nb_counts
        cands = self._cands.of(candidates)
        present = {t for t in set(feats.tokens) if t in cands}
        rare = {t for t in present if not cands[t].frequent}
        predicted = self._nb.predict(feats.tokens, feats.label, exclude=rare)
        disagrees = predicted != feats.label
        yield (feats.label, (1 if disagrees else 0, 1))
        for token in present:
            own = disagrees
            if token not in rare:
                left_out = (
                    rare | {token} | planted_with(token, present, cands, together)
                )
                own = (
                    self._nb.predict(feats.tokens, feats.label, exclude=left_out)
                    != feats.label
                )
            yield beam.pvalue.TaggedOutput(
                "candidates", (token, (ref, feats.label, own))
            )


class _TriggerFindings(beam.DoFn):
    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def setup(self) -> None:
        self._cands = _CandidateSet()

    def process(self, element, candidates, base_rates) -> Iterator[Any]:
        token, members = element
        cand = self._cands.of(candidates).get(token)
        if cand is None:
            return
        members = list(members)
        verdict = trigger_verdict(
            cand, [(label, dis) for _, label, dis in members], base_rates
        )
        if verdict is None or (cand.frequent and verdict.score < 0.5):
            return  # a frequent token below the bar is ordinary vocabulary
        finding = self._detector.trigger_finding(
            cand,
            verdict.disagreeing,
            verdict.target,
            verdict.base_rate,
            verdict.log10_p,
            verdict.score,
            cluster_ids.poison_trigger(token),
        )
        for ref, label, _ in members:
            if label == cand.label:
                yield (ref, finding)


class _Triggers(beam.PTransform):
    def __init__(self, detector: PoisoningDetector) -> None:
        super().__init__()
        self._detector = detector

    def expand(self, features):
        cfg = self._detector.config
        labelled = features | "Labelled" >> beam.Filter(
            lambda rf: rf[1].label is not None
        )
        label_totals = (
            labelled
            | "Labels" >> beam.Map(lambda rf: rf[1].label)
            | "CountPerLabel" >> beam.combiners.Count.PerElement()
        )
        totals_side = beam.pvalue.AsDict(label_totals)
        scored = (
            labelled
            | "TokenLabel"
            >> beam.FlatMap(lambda rf: ((t, rf[1].label) for t in set(rf[1].tokens)))
            | "CountTokenLabels" >> beam.CombinePerKey(LabelCounterFn())
            | "Candidates"
            >> beam.FlatMap(
                lambda kv, totals: [
                    c for c in [trigger_candidate(kv[0], kv[1], totals, cfg)] if c
                ],
                totals=totals_side,
            )
        )
        # The strongest of each kind, each with its own budget: label-pure vocabulary
        # of a topic corpus must not crowd out rare tokens, nor a large corpus's many
        # rare words a trigger planted in a few percent of it.
        strongest = [
            scored
            | f"Only{kind}" >> beam.Filter(lambda c, f=frequent: c.frequent == f)
            | f"Strongest{kind}"
            >> beam.combiners.Top.Of(
                int(cfg["trigger_max_candidates"]), key=lambda c: (-c.log10_p, c.token)
            )
            for kind, frequent in (("Rare", False), ("Frequent", True))
        ]
        candidates = (
            strongest
            | "BothKinds" >> beam.Flatten()
            | "OneList"
            >> beam.CombineGlobally(lambda lists: [c for part in lists for c in part])
        )
        cand_side = beam.pvalue.AsSingleton(candidates)
        nb_counts = (
            labelled
            | "LabelTokens" >> beam.Map(lambda rf: (rf[1].label, rf[1].tokens))
            | "HashedLabelCounts"
            >> beam.CombineGlobally(HashedLabelCountsFn(int(cfg["nb_buckets"])))
        )
        together = (
            labelled
            | "FrequentPairs" >> beam.ParDo(_FrequentPairs(), candidates=cand_side)
            | "CountPairs" >> beam.CombinePerKey(sum)
        )
        votes = labelled | "VoteWithoutToken" >> beam.ParDo(
            _VoteDocs(int(cfg["nb_buckets"])),
            candidates=cand_side,
            nb_counts=beam.pvalue.AsSingleton(nb_counts),
            label_totals=totals_side,
            together=beam.pvalue.AsDict(together),
        ).with_outputs("candidates", main="base")
        base_rates = votes.base | "BaseDisagreement" >> beam.CombinePerKey(PairSumFn())
        return (
            votes.candidates
            # Bounded groups: a candidate is in at most trigger_planted_max_df of the
            # labelled records.
            | "GroupPerCandidate" >> beam.GroupByKey()
            | "TriggerFindings"
            >> beam.ParDo(
                _TriggerFindings(self._detector),
                candidates=cand_side,
                base_rates=beam.pvalue.AsDict(base_rates),
            )
        )


# --- POISON_BURST ---------------------------------------------------------------------


def _doc_break(feats: PoisonFeatures, sketch: np.ndarray, cfg: dict):
    # The tokens' facts once, for both the sketch lookup and the break.
    facts = token_facts(feats.tokens, len(feats.tokens))
    counts = _hash_counts(sketch, facts & 0xFFFFFFFF)
    return document_break(feats.tokens, counts, cfg, facts=facts)


class _BreakPrefixes(beam.DoFn):
    def __init__(self, cfg: dict) -> None:
        self._cfg = cfg

    def process(self, element, sketch) -> Iterator[Any]:
        _ref, feats = element
        brk = _doc_break(feats, sketch, self._cfg)
        for key in ngrams_before_break(feats.tokens, brk, self._cfg):
            yield (key, 1)


class _CountContaining(beam.DoFn):
    """(key, (1 if the document breaks right after the key else 0, 1))."""

    def __init__(self, cfg: dict) -> None:
        self._cfg = cfg

    def setup(self) -> None:
        self._first_token_index = _FirstTokenIndex()

    def process(self, element, candidates, sketch) -> Iterator[Any]:
        _ref, feats = element
        if not candidates:
            return
        keys = self._first_token_index.keys_in(candidates, feats.tokens)
        if not keys:
            return
        brk = _doc_break(feats, sketch, self._cfg)
        breaks_at = set(ngrams_before_break(feats.tokens, brk, self._cfg))
        for key in ngram_ends(feats.tokens, keys):
            yield (key, (1 if key in breaks_at else 0, 1))


class _FirstTokenIndex:
    """Candidate n-grams by their first token, so a document checks only its own.

    Held by one DoFn instance (Beam runs one bundle at a time per instance, so no
    locking and no module-level state): the side input is the same object for every
    element of a bundle, so the index is rebuilt only when that object changes.
    """

    def __init__(self) -> None:
        self._source = None
        self._index: dict[str, list[str]] = {}

    def __call__(self, candidates) -> dict[str, list[str]]:
        if self._source is not candidates:
            index: dict[str, list[str]] = {}
            for key in candidates:
                index.setdefault(key.split("\x1f")[0], []).append(key)
            self._source, self._index = candidates, index
        return self._index

    def keys_in(self, candidates, tokens) -> list[str]:
        """The candidates whose first token occurs in `tokens`."""
        index = self(candidates)
        return [k for t in set(tokens) for k in index.get(t, ())]


class _BurstFindings(beam.DoFn):
    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def setup(self) -> None:
        self._first_token_index = _FirstTokenIndex()

    def process(self, element, bursts, sketch) -> Iterator[Any]:
        ref, feats = element
        if not bursts:
            return
        keys = self._first_token_index.keys_in(bursts, feats.tokens)
        if not keys:
            return
        cfg = self._detector.config
        occ = ngram_ends(feats.tokens, keys)
        if not occ:
            return
        brk = _doc_break(feats, sketch, cfg)
        breaks_at = set(ngrams_before_break(feats.tokens, brk, cfg))
        key = strongest_burst(occ, bursts, breaks_at)
        score, with_break, containing = bursts[key]
        yield (
            ref,
            self._detector.burst_finding(
                key,
                score,
                with_break,
                containing,
                key in breaks_at,
                cluster_ids.poison_burst(key),
                brk.position if (brk is not None and key in breaks_at) else None,
            ),
        )


class _Bursts(beam.PTransform):
    def __init__(self, detector: PoisoningDetector) -> None:
        super().__init__()
        self._detector = detector

    def expand(self, features):
        cfg = self._detector.config
        sketch = (
            features
            | "Tokens" >> beam.Map(lambda rf: rf[1].tokens)
            | "DocumentFrequencySketch"
            >> beam.CombineGlobally(CountMinFn(int(cfg["cms_width"])))
        )
        sketch_side = beam.pvalue.AsSingleton(sketch)
        candidates = (
            features
            | "NgramsBeforeBreak" >> beam.ParDo(_BreakPrefixes(cfg), sketch=sketch_side)
            | "CountBreaks" >> beam.CombinePerKey(sum)
            | "EnoughBreaks" >> beam.Filter(lambda kv: enough_breaks(kv[1], cfg))
            | "MostBreaks"
            >> beam.combiners.Top.Of(
                int(cfg["burst_max_candidates"]), key=lambda kv: (kv[1], kv[0])
            )
            | "CandidateKeys" >> beam.Map(lambda top: sorted(k for k, _ in top))
        )
        bursts = (
            features
            | "DocumentsContaining"
            >> beam.ParDo(
                _CountContaining(cfg),
                candidates=beam.pvalue.AsSingleton(candidates),
                sketch=sketch_side,
            )
            | "CountContaining" >> beam.CombinePerKey(PairSumFn())
            | "Coherent"
            >> beam.FlatMapTuple(
                lambda k, c: [
                    (k, (score, c[0], c[1]))
                    for score in [coherent_burst(c[0], c[1], cfg)]
                    if score is not None
                ]
            )
            # At most burst_max_candidates entries: one dict is fine.
            | "CollectBursts" >> beam.combiners.ToDict()
            | "PruneSubsumed" >> beam.Map(prune_subsumed)
        )
        return features | "BurstFindings" >> beam.ParDo(
            _BurstFindings(self._detector),
            bursts=beam.pvalue.AsSingleton(bursts),
            sketch=sketch_side,
        )


# --- POISON_OUTLIER -------------------------------------------------------------------


def _outlier_group(ref: RecordRef, feats: PoisonFeatures) -> str:
    return outlier_group(feats.label, ref.source_name, ref.source)


class _OutlierCandidates(beam.DoFn):
    """(group, (anomaly, ref, vector)) for records a group's forest calls unusual.

    Reads the same features as the other poisoning steps (no batched copy of them
    crosses a shuffle) and scores them `OUTLIER_BATCH` at a time within a bundle."""

    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def start_bundle(self) -> None:
        self._pending: list = []
        self._models = None

    def process(self, element, models) -> Iterator[Any]:
        self._models = models
        self._pending.append(element)
        if len(self._pending) >= OUTLIER_BATCH:
            yield from self._flush()

    def finish_bundle(self) -> Iterator[Any]:
        for item in self._flush():
            yield GlobalWindows.windowed_value(item)

    def _flush(self) -> Iterator[Any]:
        batch, self._pending = self._pending, []
        if not batch:
            return
        models = self._models
        buckets = self._detector.config["outlier_buckets"]
        by_group: dict[str, list] = {}
        for ref, feats in batch:
            by_group.setdefault(_outlier_group(ref, feats), []).append((ref, feats))
        for group, items in by_group.items():
            model = models.get(group)
            if model is None:
                continue
            x = outlier_matrix([f.tokens for _, f in items], buckets)
            for (ref, _), row, anomaly in zip(
                items, x, outlier_anomalies(model, x), strict=True
            ):
                if anomaly is not None:
                    # float16 halves what the bounded candidate list ships.
                    yield (group, (anomaly, ref, row.astype(np.float16)))


class _GroupCandidates(beam.DoFn):
    """One group's bounded candidate list -> (record key, verdict) per candidate."""

    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def process(self, element) -> Iterator[Any]:
        group, candidates = element
        cfg = self._detector.config
        x = np.stack([c[2].astype(np.float32) for c in candidates])
        components = outlier_groups(
            x, cfg["outlier_group_similarity"], cfg["outlier_min_group"]
        )
        members: dict[int, list] = {}
        for (_, ref, _), comp in zip(candidates, components, strict=True):
            if comp >= 0:
                members.setdefault(comp, []).append(ref.doc_id)
        for (anomaly, ref, _), comp in zip(candidates, components, strict=True):
            cluster = None
            if comp >= 0:
                ids = members[comp]
                cluster = (cluster_ids.poison_outlier(group, ids), len(ids))
            yield (ref.key, (ref, anomaly, group, cluster))


class _OutlierFindings(beam.DoFn):
    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def process(self, element) -> Iterator[Any]:
        _key, grouped = element
        signals = sorted(set(grouped["signal"]))
        for ref, anomaly, group, cluster in grouped["candidate"]:
            d = self._detector
            if cluster is not None:
                yield (ref, d.outlier_finding(anomaly, group, "group", *cluster))
            elif signals:
                yield (
                    ref,
                    d.outlier_finding(anomaly, group, "signal", signals=signals),
                )
            elif d.config["outlier_lone_info"]:
                yield (ref, d.outlier_finding(anomaly, group, "lone"))


class _Outliers(beam.PTransform):
    """Candidates from a forest per group, reported in micro-clusters or where another
    signal (`signals`: (ref, finding) of triggers and bursts) flags the record."""

    def __init__(self, detector: PoisoningDetector, signals) -> None:
        super().__init__()
        self._detector = detector
        self._signals = signals

    def expand(self, features):
        cfg = self._detector.config
        models = (
            features
            | "ByGroup"
            >> beam.Map(
                lambda rf: (
                    _outlier_group(*rf),
                    # The tokens as one string: a sampled record is held (and
                    # shuffled) as one object instead of a tuple of hundreds.
                    (f"{rf[0].source}\0{rf[0].record_index}", rf[1].joined_tokens),
                )
            )
            # Reproducible: the same records are sampled on every run.
            | "BoundedSample"
            >> SampleByHashPerKey(int(cfg["outlier_sample"]), identity=lambda e: e[0])
            | "FitIsolationForest"
            >> beam.MapTuple(
                lambda g, rows: (
                    g,
                    fit_outlier_model([key_tokens(t) for _, t in rows], cfg),
                )
            ).with_output_types(tuple[str, Any])
        )
        candidates = (
            features
            | "OutlierCandidates"
            >> beam.ParDo(
                _OutlierCandidates(self._detector), models=beam.pvalue.AsDict(models)
            )
            # Bounded: the most unusual `outlier_max_candidates` of each group.
            | "MostUnusual"
            >> beam.combiners.Top.PerKey(
                int(cfg["outlier_max_candidates"]), key=lambda c: c[0]
            )
            | "MicroClusters" >> beam.ParDo(_GroupCandidates(self._detector))
        )
        signals = self._signals | "SignalKeys" >> beam.FlatMap(
            lambda rf: [(rf[0].key, rf[1].finding_type)] if rf[1].score >= 0.5 else []
        )
        return (
            {"candidate": candidates, "signal": signals}
            | "JoinSignals" >> beam.CoGroupByKey()
            | "OutlierFindings" >> beam.ParDo(_OutlierFindings(self._detector))
        )


# --- SOURCE_TAMPERED ------------------------------------------------------------------


def _file_sha256(uri: str) -> str | None:
    import hashlib

    h = hashlib.sha256()
    try:
        with FileSystems.open(uri, compression_type="uncompressed") as f:
            while chunk := f.read(1 << 20):
                h.update(chunk)
    except Exception as e:  # a vanished input: reported by the reader, not here
        log.warning("cannot hash %s for the tampering check: %s", uri, type(e).__name__)
        return None
    return h.hexdigest()


class _CompareRecords(beam.DoFn):
    def __init__(self, detector: PoisoningDetector) -> None:
        self._detector = detector

    def process(self, element, changed_files) -> Iterator[Any]:
        _doc_id, grouped = element
        old = list(grouped["baseline"])
        report_new = self._detector.config["tamper_new_records"]
        for ref, sha in grouped["current"]:
            verdict = record_tamper(
                ref.source, sha, old, ref.source in changed_files, report_new
            )
            if verdict is not None:
                kind, old_sha = verdict
                yield (ref, self._detector.tampered_finding(kind, old_sha, sha))


def _changed_file(source_hash: tuple[str, str | None], base: dict[str, str]):
    source, current = source_hash
    change = file_change(source, current, base)
    if change is not None:
        yield (source, change)


class _Tampering(beam.PTransform):
    def __init__(self, detector: PoisoningDetector, baseline: str) -> None:
        super().__init__()
        self._detector = detector
        self._baseline = baseline.rstrip("/")

    def expand(self, features):
        d = self._detector
        base_sources = (
            features.pipeline
            | "BaselineSources"
            >> beam.io.ReadFromParquet(
                f"{self._baseline}/sources/*.parquet", columns=["source", "file_sha256"]
            )
            | "SourceHash" >> beam.Map(lambda r: (r["source"], r["file_sha256"]))
        )
        # Bounded: one row per input file of the baseline run.
        baseline_side = beam.pvalue.AsDict(base_sources)
        changed = (
            features
            | "Sources" >> beam.Map(lambda rf: rf[0].source)
            | "DistinctSources" >> beam.Distinct()
            | "HashSourceFiles" >> beam.Map(lambda s: (s, _file_sha256(s)))
            | "ChangedFiles" >> beam.FlatMap(_changed_file, base=baseline_side)
        )
        changed_side = beam.pvalue.AsDict(changed)
        file_findings = features | "FileChanged" >> beam.FlatMap(
            lambda rf, ch: (
                [(rf[0], d.tampered_finding("file_changed", *ch[rf[0].source]))]
                if rf[0].record_index == FILE_FINDING_RECORD_INDEX
                and rf[0].source in ch
                else []
            ),
            ch=changed_side,
        )
        baseline_docs = (
            features.pipeline
            | "BaselineDocuments"
            >> beam.io.ReadFromParquet(
                f"{self._baseline}/documents/*.parquet",
                columns=["doc_id", "source", "content_sha256"],
            )
            | "BaselineByDocId"
            >> beam.Map(lambda r: (r["doc_id"], (r["source"], r["content_sha256"])))
        )
        current = features | "CurrentByDocId" >> beam.Map(
            lambda rf: (rf[0].doc_id, (rf[0], rf[1].content_sha256))
        )
        record_findings = (
            {"baseline": baseline_docs, "current": current}
            | "JoinBaseline" >> beam.CoGroupByKey()
            | "CompareRecords"
            >> beam.ParDo(_CompareRecords(d), changed_files=changed_side)
        )
        return (file_findings, record_findings) | "TamperFindings" >> beam.Flatten()


# --- the composite --------------------------------------------------------------------


class PoisoningSignals(beam.PTransform):
    consumes_clusters = False
    produces_clusters = False

    def __init__(self, detector: PoisoningDetector, job: JobContext) -> None:
        super().__init__()
        self._detector = detector
        self._baseline = job.baseline

    def expand(self, inputs: dict) -> dict:
        features = inputs["features"]
        streams = [
            features | "Trigger" >> _Triggers(self._detector),
            features | "Burst" >> _Bursts(self._detector),
        ]
        if self._detector.config["outlier"]:
            signals = streams | "OtherSignals" >> beam.Flatten()
            streams.append(features | "Outlier" >> _Outliers(self._detector, signals))
        if self._baseline:
            streams.append(
                features | "Tampered" >> _Tampering(self._detector, self._baseline)
            )
        return {"findings": streams | "PoisonFindings" >> beam.Flatten()}
