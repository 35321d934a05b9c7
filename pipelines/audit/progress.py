"""Progress of a running audit: tallies inside the workers, one display in the launcher.

Beam's metrics are read after the run; a person watching a long local run wants to see
it move. Each reading or scanning DoFn instance keeps its own tallies. When the job runs
in the launching process (the default FnApiRunner), the launcher's `LiveProgress` is
registered as a listener and shows one line on stderr (a bar on a terminal); otherwise
(worker processes, remote runners) each instance logs its tallies every `interval`
seconds and once at teardown.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections import Counter
from typing import TextIO

log = logging.getLogger("corpusgate.progress")

# The launcher's display, when the workers run in its process. A list so that a
# pickled DoFn, unpickled in the same process, finds the one the CLI registered.
_listeners: list[LiveProgress] = []


class Progress:
    def __init__(self, stage: str, interval: float = 10.0) -> None:
        self._stage = stage
        self._interval = interval
        self._counts: Counter[str] = Counter()
        self._last = time.monotonic()

    def add(self, key: str, n: int = 1) -> None:
        self._counts[key] += n
        for listener in _listeners:
            listener.add(key, n)
        now = time.monotonic()
        if now - self._last >= self._interval:
            self._last = now
            self.report()

    def report(self) -> None:
        if self._counts:
            parts = ", ".join(f"{k} {v:,}" for k, v in sorted(self._counts.items()))
            # With a live display the same figures are on screen already.
            level = logging.DEBUG if _listeners else logging.INFO
            log.log(level, "progress [%s, pid %d]: %s", self._stage, os.getpid(), parts)


def _elapsed(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}:{m:02d}:{s:02d}"


class LiveProgress:
    """One progress display on stderr for the whole local run.

    On a terminal, a tqdm bar over the records read (rate and elapsed time included);
    elsewhere (CI logs, pipes) a plain line every `interval` seconds and one at the end.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        interval: float = 10.0,
        bar: bool | None = None,
    ) -> None:
        self._stream = stream or sys.stderr
        self._interval = interval
        self._bar_wanted = self._stream.isatty() if bar is None else bar
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._bar = None
        self._start = self._last_scan = time.monotonic()

    def add(self, key: str, n: int = 1) -> None:
        with self._lock:
            self._counts[key] += n
            if key == "scanned":
                self._last_scan = time.monotonic()

    def line(self) -> str:
        with self._lock:
            read = self._counts["records read"]
            scanned = self._counts["scanned"]
            dead = self._counts["dead letters"]
            files = self._counts["files"]
        elapsed = time.monotonic() - self._start
        scanning = self._last_scan - self._start
        rate = scanned / scanning if scanning > 0 else 0.0
        text = f"corpusgate: read {read:,} record(s) from {files:,} file(s), "
        text += f"scanned {scanned:,} ({rate:,.0f}/s)"
        if dead:
            text += f", {dead:,} dead-lettered"
        return f"{text}, {_elapsed(elapsed)} elapsed"

    def __enter__(self) -> LiveProgress:
        self._start = self._last_scan = time.monotonic()
        if self._bar_wanted:
            from tqdm import tqdm

            self._bar = tqdm(
                desc="corpusgate: scanned",
                unit=" rec",
                file=self._stream,
                dynamic_ncols=True,
                leave=False,
            )
        _listeners.append(self)
        self._thread = threading.Thread(
            target=self._refresh, name="corpusgate-progress", daemon=True
        )
        self._thread.start()
        return self

    def _refresh(self) -> None:
        tick = 0.5 if self._bar is not None else self._interval
        while not self._stop.wait(tick):
            self._show()

    def _show(self) -> None:
        if self._bar is not None:
            with self._lock:
                scanned = self._counts["scanned"]
            self._bar.update(scanned - self._bar.n)
            self._bar.set_postfix_str(
                f"read {self._counts['records read']:,}", refresh=True
            )
        else:
            print(self.line(), file=self._stream, flush=True)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
        if self in _listeners:
            _listeners.remove(self)
        if self._bar is not None:
            self._bar.close()
        if exc[0] is None:
            print(self.line(), file=self._stream, flush=True)
