"""Python's garbage collector during an audit.

An audit process holds a large, long-lived heap (the detectors' dictionaries and
models: hundreds of thousands of objects) and allocates millions of short-lived
objects per batch. With CPython's default thresholds the collector runs thousands of
times per audit and every older-generation pass walks the models again: about 10% of
a 10k-record audit's CPU time (docs/performance.md). Here young collections run less
often, and the objects alive once the detectors are loaded are frozen (left out of
every later pass; they live as long as the process anyway). Reference counting still
frees everything that is not in a cycle at once, so memory is unaffected.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

# Allocations between young collections (CPython's default is 700).
YOUNG_THRESHOLD = 50_000


def tune() -> tuple[int, int, int]:
    """Sets the audit's thresholds; returns the previous ones."""
    previous = gc.get_threshold()
    if previous[0] and previous[0] < YOUNG_THRESHOLD:
        gc.set_threshold(YOUNG_THRESHOLD, *previous[1:])
    return previous


def freeze_loaded() -> None:
    """Leaves every object alive now (the loaded detectors) out of later collections."""
    gc.freeze()


@contextlib.contextmanager
def tuned() -> Iterator[None]:
    """The audit's collector settings for the duration of a run in this process; the
    previous thresholds and the frozen objects are given back afterwards (a process
    that runs several audits, such as a test session, keeps collecting normally)."""
    previous = tune()
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
