"""The SDK worker process of a local multi-process run (`--direct_running_mode=
multi_processing`): Beam's own worker main, with corpusgate's log filter installed
first.

Beam starts its worker processes with `python -m apache_beam.runners.worker.
sdk_worker_main`, which logs to stderr at INFO with no filter and also prints a
failing bundle's traceback (which holds the element) straight to stderr. Here the
logging handler on stderr is at WARNING and masks every line from outside corpusgate
and every traceback (`log_filters`), and anything else written to stderr is masked
the same way, before Beam is imported. Each worker prints corpusgate's progress lines
(every 10 s) there too, unless the audit runs with -q. What the worker sends to the
launcher over Beam's logging channel is masked by the launcher's own handlers.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

from corpusgate.detectors.masking import mask_free_text
from corpusgate.pipelines import log_filters
from corpusgate.pipelines.audit import allocator, collector

MODULE = __name__
# Set by the launcher for -q: the workers print no progress lines either.
WORKER_QUIET_ENV = "CORPUSGATE_WORKERS_QUIET"


class _WarningsAndProgress(logging.Filter):
    """Warnings and errors, and corpusgate's progress lines unless quiet."""

    def __init__(self, quiet: bool) -> None:
        super().__init__()
        self._quiet = quiet

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.WARNING:
            return True
        return not self._quiet and record.name == "corpusgate.progress"


class MaskedStream:
    """A text stream that masks what is written to it (`mask_free_text`)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(mask_free_text(text, limit=len(text)))
        return len(text)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def main(argv: list[str]) -> None:
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    quiet = bool(os.environ.get(WORKER_QUIET_ENV))
    for handler in logging.getLogger().handlers:
        # Beam sets the root logger to INFO for what it sends to the launcher; the
        # worker's own stderr keeps warnings and the progress lines.
        handler.addFilter(_WarningsAndProgress(quiet))
    log_filters.install()
    # Beam's worker warns at every start that no semi-persistent directory is set
    # (a Dataflow feature): not actionable for a local run.
    logging.getLogger("apache_beam.runners.worker.sdk_worker_main").setLevel(
        logging.ERROR
    )
    sys.stderr = MaskedStream(sys.stderr)
    collector.tune()
    allocator.limit_arenas()
    from apache_beam.runners.worker import sdk_worker_main

    sdk_worker_main.main(argv)


if __name__ == "__main__":
    main(sys.argv)
