"""Near-duplicate clustering in Beam: LSH buckets -> verified pairs -> components.

Vertices are records, named by their order tuple `(doc_id, source, record_index)`,
so the minimum of a set of vertices is the record with the smallest doc_id (ties
broken by position): the representative.

1. **Buckets.** Every record emits one entry per band key. A combiner (lifted before
   the shuffle) keeps each bucket's minimum, its size and its members while there
   are at most `hot_bucket` of them; such a shared bucket yields its star edges
   (minimum, member) directly, never all pairs and with no join. A larger ("hot")
   bucket keeps only its minimum: the hot buckets' minima are a side input (one
   entry per hot bucket), and every record in a hot bucket links itself to the
   minimum, its edge salted by the record over `fanout` keys. A bucket of 100,000
   identical texts yields 100,000 star edges spread over `fanout` verification keys.
2. **Verification** needs both records' shingle sets. Edges are joined with the
   tail's features on the tail (a record is a tail of at most bands + 1 edges), then
   with the head's features on (head, salt): the head's features are sent only to
   the salts its edges use, and an edge from a bucket larger than `hot_bucket` is
   salted by its tail, so a giant cluster's head is verified on `fanout` workers.
3. **Connected components** by min-label propagation, `max_rounds` rounds, each
   round one join of labels with edges and one combiner: every vertex takes the
   smallest label among itself and its neighbours. Labels of hubs are fanned out
   to the salts of their edges, as in step 2, and the minimum per vertex is a
   lifted combiner, so no step holds a whole cluster.
4. Cluster sizes come from the same capped combiner per label (clusters larger than
   `hot_bucket` through a side input of their sizes). Every record (joined with its
   label, cluster size and best verified similarity on its own key) gets a
   `ClusterAssignment`; records in no verified pair are their own cluster. Members
   that are not the representative get a NEAR_DUPLICATE finding.

Features and record references cross the shuffles as primitives (tuples, ints,
bytes), which Beam encodes directly; dataclasses holding arrays would be pickled
element by element.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from typing import Any

import apache_beam as beam
import numpy as np
from corpusgate.detectors import clusters as cluster_ids
from corpusgate.detectors.near_duplicate import (
    NearDupFeatures,
    NearDuplicateDetector,
)
from corpusgate.pipelines.audit.scan import RecordRef
from corpusgate.pipelines.corpus.base import ClusterAssignment, JobContext

log = logging.getLogger(__name__)

Order = tuple[str, str, int]  # (doc_id, source, record_index)
TAIL = -1  # the salt that marks "as a tail" (a tail has few edges: never hot)


def order_of(ref: RecordRef) -> Order:
    return (ref.doc_id, ref.source, ref.record_index)


def salt_of(order: Order, fanout: int) -> int:
    return zlib.crc32(f"{order[1]}\0{order[2]}".encode()) % fanout


class BestVerdict(beam.CombineFn):
    """The highest (similarity, measure, neighbour doc_id) of a vertex's edges."""

    def create_accumulator(self):
        return None

    def add_input(self, acc, value):
        return value if acc is None or value > acc else acc

    def merge_accumulators(self, accumulators):
        best = None
        for a in accumulators:
            if a is not None and (best is None or a > best):
                best = a
        return best

    def extract_output(self, acc):
        return acc


class BucketMembers(beam.CombineFn):
    """(smallest member, count, members) of a bucket; the member list is dropped
    (None) once it holds more than `cap` entries, so a giant bucket's accumulator
    stays small. Lifted before the shuffle: a singleton bucket is one small tuple."""

    def __init__(self, cap: int) -> None:
        self._cap = cap

    def create_accumulator(self):
        return (None, 0, ())

    def add_input(self, acc, value):
        best, n, members = acc
        if members is not None:
            members = members + (value,) if len(members) < self._cap else None
        return (value if best is None or value < best else best, n + 1, members)

    def merge_accumulators(self, accumulators):
        best, n, members = None, 0, ()
        for b, c, ms in accumulators:
            if b is not None and (best is None or b < best):
                best = b
            n += c
            if members is not None:
                members = (
                    None
                    if ms is None or len(members) + len(ms) > self._cap
                    else members + ms
                )
        return (best, n, members)

    def extract_output(self, acc):
        return acc


def _small_bucket_edges(element) -> Iterator[Any]:
    """Star edges (head, tail, salt 0) of a shared bucket whose members the combiner
    kept; a hot bucket (members dropped) goes to the "hot" output as (key, head)."""
    key, (head, n, members) = element
    if n < 2:
        return
    if members is None:
        yield beam.pvalue.TaggedOutput("hot", (key, head))
        return
    for member in members:
        if member != head:
            yield (head, member, 0)


def _hot_bucket_edges(element, hot: dict, fanout: int) -> Iterator[Any]:
    """Star edges of a record in hot buckets, to each bucket's minimum (a side input:
    one entry per bucket larger than `hot_bucket`), salted by the record so that the
    head's verification is spread over `fanout` keys."""
    order, band_keys = element
    if not hot:
        return
    for key in band_keys:
        head = hot.get(key)
        if head is not None and head != order:
            yield (head, order, salt_of(order, fanout))


def _route_features(element) -> Iterator[Any]:
    """One record's features to where its edges are verified."""
    order, grouped = element
    feats = list(grouped["feat"])
    if not feats:
        return
    f = feats[0]
    for head, salt in grouped["as_tail"]:
        yield beam.pvalue.TaggedOutput("tails", ((head, salt), (order, f)))
    for salt in set(grouped["head_salts"]):
        yield ((order, salt), f)


_NO_SIGNATURE = np.zeros(0, dtype=np.uint32)


def _to_wire(f: NearDupFeatures) -> tuple[int, bytes]:
    """What verification needs, as primitives: Beam encodes a tuple of int and bytes
    directly, where the dataclass with its arrays would be pickled."""
    return (f.content_key, f.shingles.astype("<u8").tobytes())


def _from_wire(wire: tuple[int, bytes]) -> NearDupFeatures:
    content_key, shingles = wire
    return NearDupFeatures(
        (), np.frombuffer(shingles, dtype="<u8"), _NO_SIGNATURE, content_key
    )


class _Verify(beam.DoFn):
    def __init__(self, detector: NearDuplicateDetector) -> None:
        self._detector = detector

    def setup(self) -> None:
        self._detector.setup()

    def process(self, element) -> Iterator[Any]:
        (head, salt), grouped = element
        heads = list(grouped["head"])
        if not heads:
            return
        fh = _from_wire(heads[0])
        for tail, ft in grouped["tail"]:
            verdict = self._detector.verify(fh, _from_wire(ft))
            if verdict.similar:
                yield (head, tail, salt, verdict.similarity, verdict.measure)


class MinLabelAndSalts(beam.CombineFn):
    """Per vertex: the smallest label offered and the salts its label goes to.

    Inputs are ("label", order) or ("salt", int); a vertex has at most fanout + 1
    salts, so the accumulator stays small however many messages a hub receives."""

    def create_accumulator(self):
        return (None, frozenset())

    def add_input(self, acc, value):
        label, salts = acc
        kind, x = value
        if kind == "label":
            return (x if label is None or x < label else label, salts)
        return (label, salts | {x})

    def merge_accumulators(self, accumulators):
        label, salts = None, frozenset()
        for lab, ss in accumulators:
            if lab is not None and (label is None or lab < label):
                label = lab
            salts = salts | ss
        return (label, salts)

    def extract_output(self, acc):
        return acc


def _messages(element) -> Iterator[Any]:
    _key, grouped = element
    labels = list(grouped["label"])
    if not labels:
        return
    label = labels[0]
    for neighbour in grouped["to"]:
        yield (neighbour, ("label", label))


def _small_cluster_sizes(element) -> Iterator[Any]:
    """(vertex, (label, size)) for a cluster whose members the combiner kept; a
    larger one goes to the "hot" output as (label, size)."""
    label, (_min, n, members) = element
    if members is None:
        yield beam.pvalue.TaggedOutput("hot", (label, n))
        return
    for vertex in members:
        yield (vertex, (label, n))


def _hot_cluster_size(element, hot: dict) -> Iterator[Any]:
    vertex, label = element
    if hot:
        n = hot.get(label)
        if n is not None:
            yield (vertex, (label, n))


class _Assign(beam.DoFn):
    def __init__(self, detector: NearDuplicateDetector) -> None:
        self._detector = detector

    def process(self, element) -> Iterator[Any]:
        order, grouped = element
        refs = list(grouped["ref"])
        if not refs:
            return
        ref = RecordRef(*refs[0])
        labels = list(grouped["label"])
        if not labels:
            yield beam.pvalue.TaggedOutput(
                "clusters",
                (
                    ref.key,
                    ClusterAssignment(
                        cluster_ids.near_duplicate(ref.key), False, ref.doc_id, 1
                    ),
                ),
            )
            return
        label, size = labels[0]
        rep_doc_id = label[0]
        cluster_id = cluster_ids.near_duplicate((label[1], label[2]))
        is_dup = label != order
        yield beam.pvalue.TaggedOutput(
            "clusters",
            (ref.key, ClusterAssignment(cluster_id, is_dup, rep_doc_id, size)),
        )
        if is_dup:
            best = list(grouped["best"])
            similarity, measure, neighbour = (
                best[0] if best and best[0] else (0.0, "jaccard", rep_doc_id)
            )
            yield (
                ref,
                self._detector.duplicate_finding(
                    rep_doc_id, cluster_id, size, similarity, measure, neighbour
                ),
            )


class Components(beam.PTransform):
    """Verified edges (head, tail, salt, ...) -> (vertex, label): the smallest vertex
    of its connected component, after at most `max_rounds` propagation rounds."""

    def __init__(self, max_rounds: int) -> None:
        super().__init__()
        self._rounds = max_rounds

    def expand(self, edges):
        # Where each vertex's label must be sent: to each salt of its head edges
        # (hubs are spread) and, as a tail, to TAIL. Static: rides along each round.
        salts = (
            edges
            | "VertexSalts" >> beam.FlatMap(lambda e: [(e[0], e[2]), (e[1], TAIL)])
            | "DistinctVertexSalts" >> beam.Distinct()
            | "AsSalt" >> beam.MapTuple(lambda v, s: (v, ("salt", s)))
        )
        # Messages flow both ways: (head, salt) -> tail, and (tail, TAIL) -> head.
        routes = edges | "Routes" >> beam.FlatMap(
            lambda e: [((e[0], e[2]), e[1]), ((e[1], TAIL), e[0])]
        )
        offers = edges | "InitialLabels" >> beam.FlatMap(
            lambda e: [(e[0], ("label", e[0])), (e[1], ("label", e[0]))]
        )
        for i in range(self._rounds):
            state = (
                (offers, salts)
                | f"Offers{i}" >> beam.Flatten()
                | f"MinLabel{i}" >> beam.CombinePerKey(MinLabelAndSalts())
            )
            fanned = state | f"FanOutLabels{i}" >> beam.FlatMapTuple(
                lambda v, acc: (((v, s), acc[0]) for s in acc[1])
            )
            messages = (
                {"label": fanned, "to": routes}
                | f"JoinRoutes{i}" >> beam.CoGroupByKey()
                | f"Messages{i}" >> beam.FlatMap(_messages)
            )
            # A vertex keeps its own label too: offer it again next round.
            own = state | f"OwnLabel{i}" >> beam.MapTuple(
                lambda v, acc: (v, ("label", acc[0]))
            )
            offers = (own, messages) | f"NextOffers{i}" >> beam.Flatten()
        labels = (
            offers
            | "FinalLabel" >> beam.CombinePerKey(MinLabelAndSalts())
            | "LabelOnly" >> beam.MapTuple(lambda v, acc: (v, acc[0]))
        )
        return labels


class NearDuplicates(beam.PTransform):
    consumes_clusters = False
    produces_clusters = True

    def __init__(self, detector: NearDuplicateDetector, job: JobContext) -> None:
        super().__init__()
        self._detector = detector
        c = detector.config
        self._fanout = max(1, int(c["fanout"]))
        self._hot_bucket = int(c["hot_bucket"])
        self._rounds = int(c["max_rounds"])

    def expand(self, inputs: dict) -> dict:
        fanout, hot = self._fanout, self._hot_bucket
        feats = inputs["features"]
        by_order = feats | "KeyByOrder" >> beam.MapTuple(
            lambda ref, f: (order_of(ref), f)
        )

        # 1. LSH buckets -> star edges to each bucket's minimum.
        bands = by_order | "BandKeys" >> beam.MapTuple(
            lambda order, f: (order, f.band_keys)
        )
        buckets = (
            bands
            | "BandEntries"
            >> beam.FlatMapTuple(lambda order, keys: ((key, order) for key in keys))
            | "BucketMembers" >> beam.CombinePerKey(BucketMembers(hot))
            | "SmallBucketEdges"
            >> beam.FlatMap(_small_bucket_edges).with_outputs("hot", main="edges")
        )
        hot_edges = bands | "HotBucketEdges" >> beam.FlatMap(
            _hot_bucket_edges, beam.pvalue.AsDict(buckets.hot), fanout
        )
        edges = (
            (buckets.edges, hot_edges)
            | "AllStarEdges" >> beam.Flatten()
            | "DistinctEdges" >> beam.Distinct()
        )

        # 2. Verify each edge with both records' features.
        as_tail = edges | "ByTail" >> beam.Map(lambda e: (e[1], (e[0], e[2])))
        # At most `fanout` (head, salt) pairs per head: a lifted Distinct, so a
        # giant cluster's head does not bring 100,000 entries to its record key.
        head_salts = (
            edges
            | "HeadSalts" >> beam.Map(lambda e: (e[0], e[2]))
            | "DistinctHeadSalts" >> beam.Distinct()
        )
        routed = (
            {
                "feat": by_order
                | "VerifyFeatures" >> beam.MapTuple(lambda o, f: (o, _to_wire(f))),
                "as_tail": as_tail,
                "head_salts": head_salts,
            }
            | "JoinFeaturesByRecord" >> beam.CoGroupByKey()
            | "RouteFeatures"
            >> beam.FlatMap(_route_features).with_outputs("tails", main="heads")
        )
        verified = (
            {"head": routed.heads, "tail": routed.tails}
            | "JoinHeadAndTails" >> beam.CoGroupByKey()
            | "Verify" >> beam.ParDo(_Verify(self._detector))
        )

        # 3. Connected components.
        labels = verified | "Components" >> Components(self._rounds)

        # 4. Sizes, best similarity, assignment of every record.
        sizes = (
            labels
            | "ByLabel" >> beam.MapTuple(lambda v, label: (label, v))
            | "ClusterMembers" >> beam.CombinePerKey(BucketMembers(hot))
            | "SmallClusterSizes"
            >> beam.FlatMap(_small_cluster_sizes).with_outputs("hot", main="sized")
        )
        hot_sized = labels | "HotClusterSizes" >> beam.FlatMap(
            _hot_cluster_size, beam.pvalue.AsDict(sizes.hot)
        )
        sized = (sizes.sized, hot_sized) | "LabelAndSize" >> beam.Flatten()
        best = (
            verified
            | "VerdictBothWays"
            >> beam.FlatMap(
                lambda e: [(e[1], (e[3], e[4], e[0][0])), (e[0], (e[3], e[4], e[1][0]))]
            )
            | "BestVerdict" >> beam.CombinePerKey(BestVerdict())
        )
        refs = feats | "RefByOrder" >> beam.MapTuple(
            lambda ref, _f: (
                order_of(ref),
                # Primitives (Beam encodes them directly; a dataclass is pickled).
                (ref.doc_id, ref.source, ref.record_index, ref.label, ref.source_name),
            )
        )
        assigned = (
            {"ref": refs, "label": sized, "best": best}
            | "JoinByRecord" >> beam.CoGroupByKey()
            | "Assign"
            >> beam.ParDo(_Assign(self._detector)).with_outputs(
                "clusters", main="findings"
            )
        )
        return {"findings": assigned.findings, "clusters": assigned.clusters}
