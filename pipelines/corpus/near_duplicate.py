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
   minimum (in step 2, where its band keys are at hand), its edge salted by the
   record over `fanout` keys. A bucket of 100,000 identical texts yields 100,000
   star edges spread over `fanout` verification keys.
2. **Verification** needs both records' shingle sets. One grouping by record brings
   together a record's features and band keys, the edges it is the tail of
   (deduplicated there: a record is a tail of at most bands + 1 edges) and one mark
   per bucket it heads (never one per edge); the record then sends its features with
   each of its tail edges and, as a head, to salt 0, or to all `fanout` salts when it
   heads a hot bucket, whose edges are salted by their tail. A second grouping by
   (head, salt) verifies each tail against the head, so a giant cluster's head is
   verified on `fanout` workers.
3. **Connected components** by min-label propagation, `max_rounds` rounds. Each
   vertex's state (smallest label, the salts its label goes to, its best verified
   similarity) is a lifted combiner per vertex; each round sends the state's label to
   each salt, groups it with the edges routed there and offers it to the
   neighbours. Labels of hubs are fanned out to the salts of their edges, as in step
   2, so no step holds a whole cluster.
4. Cluster sizes come from the same capped combiner per label (clusters larger than
   `hot_bucket` through a side input of their sizes). Every record (grouped with its
   label, cluster size and best verified similarity on its own key) gets a
   `ClusterAssignment`; records in no verified pair are their own cluster. Members
   that are not the representative get a NEAR_DUPLICATE finding.

Everything that crosses a shuffle is primitives (tuples, ints, bytes), which Beam
encodes directly (a dataclass holding arrays would be pickled element by element),
and each join is a Flatten of tagged values and one GroupByKey: fewer transforms and
stages than a CoGroupByKey, whose fixed cost per stage dominates on small corpora.

The steps are written once (`_near_duplicates`, `_components`) over a small set of
operations (do, group, combine, flatten, a dict side input) with two
implementations: Beam transforms (`BeamSteps`), and lists in memory
(`InMemorySteps`). A run in one process (the local runner's default for a small
corpus) sends all records to one key and runs the steps in memory in one DoFn: the
runner would hold every shuffled value in memory anyway, and the 19 stages of the
Beam steps cost more to build, translate and start than their work on such a corpus
(English dup set: 0.4-0.8 s wall, 0.5 s CPU of a 3.7-4.1 s audit; a cluster of 20,000
copies forced into one process: 14.1 -> 9.9 s, 508 -> 432 MB). Both give the same
outputs (tests).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import apache_beam as beam
import numpy as np
from apache_beam.transforms.window import GlobalWindow
from apache_beam.utils.windowed_value import WindowedValue
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
HOT = -2  # a head mark: heads a hot bucket, so its features go to every salt

# Tags of the values grouped by record and by (head, salt).
FEAT, TAIL_OF, HEAD_OF, LABEL, ROUTE, REF, SIZE, BEST, STATE = range(9)


def order_of(ref: RecordRef) -> Order:
    return (ref.doc_id, ref.source, ref.record_index)


def salt_of(order: Order, fanout: int) -> int:
    return zlib.crc32(f"{order[1]}\0{order[2]}".encode()) % fanout


class BucketMembers(beam.CombineFn):
    """(smallest member, count, members) of a bucket; the member list is dropped
    (None) once it holds more than `cap` entries, so a giant bucket's accumulator
    stays small. Lifted before the shuffle.

    The accumulator is the tuple of members while there are at most `cap` of them
    (a singleton bucket crosses the shuffle as a one-element tuple, the record
    once), else (None, count, smallest member)."""

    def __init__(self, cap: int) -> None:
        self._cap = cap

    def create_accumulator(self):
        return ()

    def add_input(self, acc, value):
        if acc and acc[0] is None:
            _, n, best = acc
            return (None, n + 1, value if value < best else best)
        if len(acc) < self._cap:
            return (*acc, value)
        return (None, len(acc) + 1, min(value, *acc))

    def merge_accumulators(self, accumulators):
        members, n, best = (), 0, None  # members: None once the bucket is hot
        for acc in accumulators:
            if not acc:
                continue
            if acc[0] is not None:  # a member tuple
                if members is not None and len(members) + len(acc) <= self._cap:
                    members = (*members, *acc)
                    continue
                c, b = len(acc), min(acc)
            else:
                _, c, b = acc
            if members is not None:  # the bucket turns hot: count what was kept
                if members:
                    n += len(members)
                    b = min(b, *members)
                members = None
            n += c
            if best is None or b < best:
                best = b
        return members if members is not None else (None, n, best)

    def extract_output(self, acc):
        if acc and acc[0] is None:
            return (acc[2], acc[1], None)
        return (min(acc) if acc else None, len(acc), acc)


# Band keys are spread over this many shuffle keys (key % BUCKET_PARTITIONS); each
# record adds its entries to per-bundle tables, sent every BUCKET_FLUSH entries.
BUCKET_PARTITIONS = 1024
BUCKET_FLUSH = 100_000


class _PerRecord(beam.DoFn):
    """One pass over each record's features: its band entries into the bucket tables
    (main output: (partition, {band key: BucketMembers accumulator})), and, keyed by
    its order, what verification needs with its band keys (for hot buckets) and the
    rest of its identity.

    Combining band entries into tables before the shuffle makes one shuffled element
    per partition and flush instead of one per band key (17 per record): Beam's cost
    per element, not the work per entry, is what dominated this step."""

    def __init__(self, cap: int) -> None:
        self._members = BucketMembers(cap)

    def start_bundle(self) -> None:
        self._tables: dict[int, dict] = {}
        self._entries = 0

    def process(self, element) -> Iterator[Any]:
        ref, f = element
        order = (ref.doc_id, ref.source, ref.record_index)
        tables, add = self._tables, self._members.add_input
        for key in f.band_keys:
            table = tables.get(key % BUCKET_PARTITIONS)
            if table is None:
                table = tables[key % BUCKET_PARTITIONS] = {}
            table[key] = add(table.get(key, ()), order)
        self._entries += len(f.band_keys)
        yield beam.pvalue.TaggedOutput(
            "feats",
            (order, (FEAT, (*_to_wire(f), _band_bytes(f), ref.label, ref.source_name))),
        )
        if self._entries >= BUCKET_FLUSH:
            yield from self._flush()

    def _flush(self):
        tables, self._tables, self._entries = self._tables, {}, 0
        return iter(tables.items())

    def finish_bundle(self) -> Iterator[Any]:
        window = GlobalWindow()
        for item in self._flush():
            yield WindowedValue(item, window.max_timestamp(), (window,))


# Links a _BucketLinks bundle remembers having sent; past this many it forgets them
# (a repeat is harmless: the grouping by record deduplicates links).
LINKS_SEEN_MAX = 1_000_000


class _BucketLinks(beam.DoFn):
    """The bucket tables of one partition merged; per shared bucket whose members
    were kept, its star edges on the tail's key and one head mark (salt 0) on the
    head's; a hot bucket (members dropped) goes to the "hot" output as (key, head).

    A pair of near duplicates shares most of its bands, hence the same star edge
    and head mark from several buckets: each is sent once per bundle (on the English
    dup set, 1,605 distinct links of 17,482), as Beam's cost is per element."""

    def __init__(self, cap: int) -> None:
        self._members = BucketMembers(cap)

    def start_bundle(self) -> None:
        self._sent: set = set()

    def process(self, element) -> Iterator[Any]:
        _partition, tables = element
        merged: dict = {}
        merge = self._members.merge_accumulators
        for table in tables:
            if not merged:
                merged = dict(table)
                continue
            for key, acc in table.items():
                seen = merged.get(key)
                merged[key] = acc if seen is None else merge((seen, acc))
        extract = self._members.extract_output
        sent = self._sent
        if len(sent) > LINKS_SEEN_MAX:
            sent.clear()
        for key, acc in merged.items():
            if len(acc) < 2:
                continue  # a bucket of one record
            head, n, members = extract(acc)
            if n < 2:
                continue
            if members is None:
                yield beam.pvalue.TaggedOutput("hot", (key, head))
                continue
            if head not in sent:
                sent.add(head)
                yield (head, (HEAD_OF, 0))
            edge = (TAIL_OF, (head, 0))
            for member in members:
                if member != head and (member, head) not in sent:
                    sent.add((member, head))
                    yield (member, edge)


def _singleton(order: Order) -> tuple:
    """The cluster assignment of a record in no verified pair: its own cluster."""
    key = (order[1], order[2])
    return (key, ClusterAssignment(cluster_ids.near_duplicate(key), False, order[0], 1))


def _route_features(element, hot: dict, fanout: int) -> Iterator[Any]:
    """One record's features to where its edges are verified: with each of its tail
    edges to (head, salt), and as a head to its own salts. Its band keys in hot
    buckets (`hot`, a side input: one entry per bucket larger than `hot_bucket`)
    add the edges to those buckets' minima, salted by the record so that the head's
    verification is spread over `fanout` keys; a hot bucket's minimum sends its
    features to every salt. A record that shares no bucket is its own cluster right
    here ("singles"); the others send their identity to the final assignment
    ("refs")."""
    order, values = element
    feat, tails, salts = None, set(), set()
    for tag, value in values:
        if tag == FEAT:
            feat = value
        elif tag == TAIL_OF:
            tails.add(value)
        else:
            salts.add(value)
    if feat is None:
        return
    content_key, shingles, band_bytes, label, source_name = feat
    wire = (content_key, shingles)
    if hot:
        for key in np.frombuffer(band_bytes, dtype="<i8").tolist():
            head = hot.get(key)
            if head is None:
                continue
            if head == order:
                salts.add(HOT)
            else:
                tails.add((head, salt_of(order, fanout)))
    if not tails and not salts:
        yield beam.pvalue.TaggedOutput("singles", _singleton(order))
        return
    yield beam.pvalue.TaggedOutput("refs", (order, (REF, (label, source_name))))
    for head_salt in tails:
        yield (head_salt, (TAIL_OF, (order, wire)))
    for salt in range(fanout) if HOT in salts else salts:
        yield ((order, salt), (FEAT, wire))


_NO_SIGNATURE = np.zeros(0, dtype=np.uint32)


def _band_bytes(f: NearDupFeatures) -> bytes:
    """The band keys as 8 bytes each: a tuple of 17 ints costs Beam more to encode."""
    return np.array(f.band_keys, dtype="<i8").tobytes()


def _to_wire(f: NearDupFeatures) -> tuple[int, bytes]:
    """What verification needs, as primitives: Beam encodes a tuple of int and bytes
    directly, where the dataclass with its arrays would be pickled."""
    return (f.content_key, np.asarray(f.shingles, dtype="<u8").tobytes())


def _from_wire(wire: tuple[int, bytes], band_bytes: bytes = b"") -> NearDupFeatures:
    content_key, shingles = wire
    return NearDupFeatures(
        tuple(np.frombuffer(band_bytes, dtype="<i8").tolist()),
        np.frombuffer(shingles, dtype="<u8"),
        _NO_SIGNATURE,
        content_key,
    )


class _Verify(beam.DoFn):
    def __init__(self, detector: NearDuplicateDetector) -> None:
        self._detector = detector

    def setup(self) -> None:
        self._detector.setup()

    def process(self, element) -> Iterator[Any]:
        (head, salt), values = element
        fh, tails = None, []
        for tag, value in values:
            if tag == FEAT:
                fh = value
            else:
                tails.append(value)
        if fh is None or not tails:
            return
        fh = _from_wire(fh)
        verify = self._detector.verify
        for tail, ft in tails:
            verdict = verify(fh, _from_wire(ft))
            if verdict.similar:
                yield (head, tail, salt, verdict.similarity, verdict.measure)


class VertexState(beam.CombineFn):
    """Per vertex: the smallest label offered, the salts its label goes to and its
    best (similarity, measure, neighbour doc_id).

    Inputs and output are (label, salts, best) with `salts` a sorted tuple and
    label/best None when not offered; a vertex has at most fanout + 1 salts, so the
    accumulator stays small however many labels a hub receives."""

    def create_accumulator(self):
        return (None, (), None)

    def add_input(self, acc, value):
        label, salts, best = acc
        lab, ss, b = value
        if lab is not None and (label is None or lab < label):
            label = lab
        if ss and ss != salts:
            salts = tuple(sorted(set(salts).union(ss)))
        if b is not None and (best is None or b > best):
            best = b
        return (label, salts, best)

    def merge_accumulators(self, accumulators):
        acc = self.create_accumulator()
        for a in accumulators:
            acc = self.add_input(acc, a)
        return acc

    def extract_output(self, acc):
        return acc


def _initial_states(edge) -> list:
    """A verified edge offers the head as label to both ends, each end's salt (the
    head's salt, TAIL for the tail) and the similarity towards the other end."""
    head, tail, salt, similarity, measure = edge
    return [
        (head, (head, (salt,), (similarity, measure, tail[0]))),
        (tail, (head, (TAIL,), (similarity, measure, head[0]))),
    ]


def _fan_out_label(element) -> Iterator[Any]:
    """A vertex's label to each of its salts; the first salt gets the whole state,
    which the vertex offers itself again next round (no Flatten of states and
    messages: Beam's local runner writes and reads every multi-input Flatten)."""
    vertex, state = element
    label, salts, _best = state
    yield ((vertex, salts[0] if salts else TAIL), (STATE, state))
    for salt in salts[1:]:
        yield ((vertex, salt), (LABEL, label))


def _messages(element) -> Iterator[Any]:
    """A vertex's label, offered to its neighbours routed through this salt (and its
    own state, to itself, from its first salt)."""
    (vertex, _salt), values = element
    label, to = None, []
    for tag, value in values:
        if tag == LABEL:
            label = value
        elif tag == STATE:
            label = value[0]
            yield (vertex, value)
        else:
            to.append(value)
    if label is None:
        return
    offer = (label, (), None)
    for neighbour in to:
        yield (neighbour, offer)


def _edge_routes(edge) -> list:
    # Messages flow both ways: (head, salt) -> tail, and (tail, TAIL) -> head.
    head, tail, salt = edge[0], edge[1], edge[2]
    return [((head, salt), (ROUTE, tail)), ((tail, TAIL), (ROUTE, head))]


def _label_and_best(element) -> list:
    vertex, (label, _salts, best) = element
    return [(vertex, (label, best))]


def _components(steps, edges, rounds: int):
    """Verified edges -> (vertex, (label, best)) (`Components`), in `steps`."""
    routes = steps.do("Routes", edges, _edge_routes)
    offers = steps.do("InitialStates", edges, _initial_states)
    for i in range(rounds):
        state = steps.combine(f"State{i}", offers, VertexState())
        fanned = steps.do(f"FanOutLabels{i}", state, _fan_out_label)
        # Next round's offers: the neighbours' labels and each vertex's state.
        joined = steps.group(
            f"JoinRoutes{i}", steps.flatten(f"LabelsAndRoutes{i}", fanned, routes)
        )
        offers = steps.do(f"Messages{i}", joined, _messages)
    final = steps.combine("FinalState", offers, VertexState())
    return steps.do("LabelAndBest", final, _label_and_best)


class Components(beam.PTransform):
    """Verified edges (head, tail, salt, similarity, measure) -> (vertex, (label,
    best)): label is the smallest vertex of its connected component, after at most
    `max_rounds` propagation rounds; best is the vertex's best verified (similarity,
    measure, neighbour doc_id)."""

    def __init__(self, max_rounds: int) -> None:
        super().__init__()
        self._rounds = max_rounds

    def expand(self, edges):
        return _components(BeamSteps(), edges, self._rounds)


def _small_cluster_sizes(element) -> Iterator[Any]:
    """(vertex, (SIZE, (label, size))) for a cluster whose members the combiner kept;
    a larger one goes to the "hot" output as (label, size)."""
    label, (_min, n, members) = element
    if members is None:
        yield beam.pvalue.TaggedOutput("hot", (label, n))
        return
    value = (SIZE, (label, n))
    for vertex in members:
        yield (vertex, value)


class _Assign(beam.DoFn):
    """A record's cluster assignment and finding from its identity (REF), its
    cluster's size (SIZE, for a cluster whose members the combiner kept) and its
    (label, best verified similarity) (BEST); the size of a larger cluster comes
    from `hot` (a side input: label -> size), looked up by the record's label."""

    def __init__(self, detector: NearDuplicateDetector) -> None:
        self._detector = detector

    def process(self, element, hot: dict) -> Iterator[Any]:
        order, values = element
        ref = sized = labelled = None
        for tag, value in values:
            if tag == REF:
                ref = value
            elif tag == SIZE:
                sized = value
            else:
                labelled = value
        if ref is None:
            return
        best = None
        if labelled is not None:
            label, best = labelled
            if sized is None and hot:
                n = hot.get(label)
                if n is not None:
                    sized = (label, n)
        ref = RecordRef(*order, *ref)
        if sized is None:  # its candidate pairs all failed verification
            yield beam.pvalue.TaggedOutput("clusters", _singleton(order))
            return
        label, size = sized
        rep_doc_id = label[0]
        cluster_id = cluster_ids.near_duplicate((label[1], label[2]))
        is_dup = label != order
        yield beam.pvalue.TaggedOutput(
            "clusters",
            (ref.key, ClusterAssignment(cluster_id, is_dup, rep_doc_id, size)),
        )
        if is_dup:
            similarity, measure, neighbour = best or (0.0, "jaccard", rep_doc_id)
            yield (
                ref,
                self._detector.duplicate_finding(
                    rep_doc_id, cluster_id, size, similarity, measure, neighbour
                ),
            )


def _by_label(element) -> list:
    vertex, (label, _best) = element
    return [(label, vertex)]


def _tagged_best(element) -> list:
    vertex, labelled = element
    return [(vertex, (BEST, labelled))]


def _near_duplicates(steps, features, detector, fanout: int, hot: int, rounds: int):
    """The composite's steps (`NearDuplicates`) in `steps`: (RecordRef,
    NearDupFeatures) -> {"findings", "clusters"}."""
    records = steps.do(
        "PerRecord", features, _PerRecord(hot), tags=("bucket_tables", "feats")
    )

    # 1. LSH buckets -> star edges to each bucket's minimum.
    buckets = steps.do(
        "BucketLinks",
        steps.group("BucketTables", records.bucket_tables),
        _BucketLinks(hot),
        tags=("links", "hot"),
    )

    # 2. Verify each edge with both records' features.
    routed = steps.do(
        "RouteFeatures",
        steps.group(
            "JoinFeaturesByRecord",
            steps.flatten("FeaturesAndLinks", records.feats, buckets.links),
        ),
        _route_features,
        steps.as_dict(buckets.hot),
        fanout,
        tags=("routed", "singles", "refs"),
    )
    verified = steps.do(
        "Verify", steps.group("JoinHeadAndTails", routed.routed), _Verify(detector)
    )

    # 3. Connected components (with each vertex's best verified similarity).
    labels = _components(steps.scope("Components"), verified, rounds)

    # 4. Sizes, best similarity, assignment of every record.
    sizes = steps.do(
        "SmallClusterSizes",
        steps.combine(
            "ClusterMembers", steps.do("ByLabel", labels, _by_label), BucketMembers(hot)
        ),
        _small_cluster_sizes,
        tags=("sized", "hot"),
    )
    # Each vertex's label goes with its best similarity, so that _Assign finds
    # a hot cluster's size itself: no second pass over the labels, which would
    # be written and read between stages.
    best = steps.do("Best", labels, _tagged_best)
    assigned = steps.do(
        "Assign",
        steps.group(
            "JoinByRecord",
            steps.flatten("RecordValues", routed.refs, sizes.sized, best),
        ),
        _Assign(detector),
        steps.as_dict(sizes.hot),
        tags=("findings", "clusters"),
    )
    clusters = steps.flatten("AllClusters", routed.singles, assigned.clusters)
    return {"findings": assigned.findings, "clusters": clusters}


class BeamSteps:
    """The composite's steps as Beam transforms (labels prefixed by `scope`)."""

    def __init__(self, prefix: str = "") -> None:
        self._prefix = prefix

    def scope(self, name: str) -> BeamSteps:
        return BeamSteps(f"{self._prefix}{name}/")

    def do(self, label, pcoll, fn, *args, tags=()):
        """fn: a DoFn, or a function of an element returning its outputs; with
        `tags`, the main output's name then the tagged outputs'."""
        step = (
            beam.ParDo(fn, *args)
            if isinstance(fn, beam.DoFn)
            else beam.FlatMap(fn, *args)
        )
        if tags:
            step = step.with_outputs(*tags[1:], main=tags[0])
        return pcoll | self._prefix + label >> step

    def group(self, label, pcoll):
        return pcoll | self._prefix + label >> beam.GroupByKey()

    def combine(self, label, pcoll, fn: beam.CombineFn):
        return pcoll | self._prefix + label >> beam.CombinePerKey(fn)

    def flatten(self, label, *pcolls):
        return pcolls | self._prefix + label >> beam.Flatten()

    def as_dict(self, pcoll):
        return beam.pvalue.AsDict(pcoll)


class InMemorySteps:
    """The same steps on lists, at once: for a run in one process, where Beam's cost
    of each stage (building, translating and starting it, coding what crosses into
    it) is most of the composite's time on a small corpus. A grouping keeps its
    values in arrival order; every step's result is independent of that order (sets,
    minima, a combiner per key)."""

    def scope(self, name: str) -> InMemorySteps:
        return self

    def do(self, label, items, fn, *args, tags=()):
        if isinstance(fn, beam.DoFn):
            fn.setup()
            fn.start_bundle()
            out = [o for item in items for o in fn.process(item, *args)]
            out += [o.value for o in fn.finish_bundle() or ()]  # WindowedValues
        else:
            out = [o for item in items for o in fn(item, *args)]
        if not tags:
            return out
        split: dict[str, list] = {tag: [] for tag in tags}
        for o in out:
            if isinstance(o, beam.pvalue.TaggedOutput):
                split[o.tag].append(o.value)
            else:
                split[tags[0]].append(o)
        return SimpleNamespace(**split)

    def group(self, label, items):
        groups: dict = {}
        for key, value in items:
            groups.setdefault(key, []).append(value)
        return list(groups.items())

    def combine(self, label, items, fn: beam.CombineFn):
        accumulators: dict = {}
        for key, value in items:
            acc = accumulators.get(key)
            if acc is None:
                acc = fn.create_accumulator()
            accumulators[key] = fn.add_input(acc, value)
        return [(key, fn.extract_output(acc)) for key, acc in accumulators.items()]

    def flatten(self, label, *lists):
        return [item for items in lists for item in items]

    def as_dict(self, items):
        return dict(items)


def _record_to_wire(element) -> tuple:
    """(0, a record's identity, features and band keys as primitives): all records
    to one key."""
    ref, f = element
    identity = (ref.doc_id, ref.source, ref.record_index, ref.label, ref.source_name)
    return (0, (identity, _to_wire(f), _band_bytes(f)))


class _InMemory(beam.DoFn):
    """All records' features at once -> the composite's steps in memory
    (InMemorySteps): findings (main) and "clusters"."""

    def __init__(self, detector: NearDuplicateDetector, fanout, hot, rounds) -> None:
        self._detector = detector
        self._params = (fanout, hot, rounds)

    def process(self, element) -> Iterator[Any]:
        _key, records = element
        features = [
            (RecordRef(*identity), _from_wire(wire, band_bytes))
            for identity, wire, band_bytes in records
        ]
        out = _near_duplicates(InMemorySteps(), features, self._detector, *self._params)
        yield from out["findings"]
        for item in out["clusters"]:
            yield beam.pvalue.TaggedOutput("clusters", item)


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
        self._in_memory = job.in_one_process

    def expand(self, inputs: dict) -> dict:
        params = (self._fanout, self._hot_bucket, self._rounds)
        if not self._in_memory:
            return _near_duplicates(
                BeamSteps(), inputs["features"], self._detector, *params
            )
        # In one process, the runner holds every shuffled value in memory anyway:
        # all records go to one key, and one DoFn runs the steps.
        out = (
            inputs["features"]
            | "AllRecords" >> beam.Map(_record_to_wire)
            | "GroupAll" >> beam.GroupByKey()
            | "InMemory"
            >> beam.ParDo(_InMemory(self._detector, *params)).with_outputs(
                "clusters", main="findings"
            )
        )
        return {"findings": out.findings, "clusters": out.clusters}
