"""Progress lines from inside the workers, at most one per interval per DoFn instance.

Beam's metrics are read after the run; a person watching a long local run wants to see
it move. Each reading or scanning DoFn instance keeps its own tallies (no module-level
state) and logs them every `interval` seconds and once at teardown.
"""

from __future__ import annotations

import logging
import os
import time
from collections import Counter

log = logging.getLogger("corpusgate.progress")


class Progress:
    def __init__(self, stage: str, interval: float = 10.0) -> None:
        self._stage = stage
        self._interval = interval
        self._counts: Counter[str] = Counter()
        self._last = time.monotonic()

    def add(self, key: str, n: int = 1) -> None:
        self._counts[key] += n
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self.report()

    def report(self) -> None:
        if self._counts:
            parts = ", ".join(f"{k} {v:,}" for k, v in sorted(self._counts.items()))
            log.info("progress [%s, pid %d]: %s", self._stage, os.getpid(), parts)
