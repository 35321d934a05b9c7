"""Spans looked up by position: the detectors' selections that keep the best of
overlapping results, or drop a hit inside another, ask for each candidate which
spans it overlaps. A bisect over the spans' sorted starts answers in logarithmic
time; a scan of every span made those steps quadratic in the hits of a document (a
list of thousands of names, a long text dense with CBRN terms, took minutes)."""

from __future__ import annotations

import bisect


class DisjointSpans:
    """Non-overlapping half-open spans [start, end), sorted by start."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: list[tuple[int, int]] = ()) -> None:
        """`spans`: disjoint spans to keep, sorted by start."""
        self._starts: list[int] = [s for s, _ in spans]
        self._ends: list[int] = [e for _, e in spans]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether [start, end) overlaps a kept span. Kept spans are disjoint, so
        only the last one starting at or before `start` and the first one after it
        can."""
        i = bisect.bisect_right(self._starts, start) - 1
        if i >= 0 and self._ends[i] > start:
            return True
        return i + 1 < len(self._starts) and self._starts[i + 1] < end

    def add(self, start: int, end: int) -> None:
        """Keeps [start, end), which overlaps no kept span."""
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


class SpanIndex:
    """Spans that may overlap each other, for asking which of them overlap a given
    span: they are sorted by start, and one that overlaps [start, end) starts after
    start - longest and before end."""

    __slots__ = ("_longest", "_spans", "_starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self._spans = sorted(spans)
        self._starts = [s for s, _ in self._spans]
        self._longest = max((e - s for s, e in self._spans), default=0)

    def __bool__(self) -> bool:
        return bool(self._spans)

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that overlap [start, end), by start."""
        lo = bisect.bisect_left(self._starts, start - self._longest + 1)
        hi = bisect.bisect_left(self._starts, end)
        return [sp for sp in self._spans[lo:hi] if sp[1] > start]

    def containing(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that hold [start, end) whole, by start."""
        return [
            (s, e) for s, e in self.overlapping(start, end) if s <= start and end <= e
        ]


class ScoredSpans(dict):
    """A dictionary of span -> score that also answers which of its spans overlap a
    given span, in the dictionary's own order (the order of insertion, as a plain
    dict iterates): spans by start beside it, and the longest span so far. For
    selections that add and remove spans as they go over thousands of them (a
    roll of names), where a scan of every span per question was quadratic."""

    def __init__(self, items=()) -> None:
        super().__init__()
        self._by_start: dict[int, list[tuple[int, int]]] = {}
        self._order: dict[tuple[int, int], int] = {}
        self._next = 0
        self._longest = 0
        for span, score in items:
            self[span] = score

    def __setitem__(self, span: tuple[int, int], score: float) -> None:
        if span not in self:
            self._by_start.setdefault(span[0], []).append(span)
            self._order[span] = self._next
            self._next += 1
            self._longest = max(self._longest, span[1] - span[0])
        super().__setitem__(span, score)

    def __delitem__(self, span: tuple[int, int]) -> None:
        super().__delitem__(span)
        self._by_start[span[0]].remove(span)
        del self._order[span]

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        """The spans that overlap [start, end), in the dictionary's order."""
        found = [
            sp
            for s in range(max(0, start - self._longest + 1), end)
            for sp in self._by_start.get(s, ())
            if sp[1] > start
        ]
        return sorted(found, key=self._order.__getitem__)
