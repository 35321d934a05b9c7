"""The SDK worker process of a local multi-process run (`--direct_running_mode=
multi_processing`): Beam's own worker main, with corpusgate's log filter installed
first.

Beam starts its worker processes with `python -m apache_beam.runners.worker.
sdk_worker_main`, which logs to stderr at INFO with no filter and also prints a
failing bundle's traceback (which holds the element) straight to stderr. Here the
logging handler on stderr is at WARNING and masks every line from outside corpusgate
and every traceback (`log_filters`), and anything else written to stderr is masked
the same way, before Beam is imported. What the worker sends to the launcher over
Beam's logging channel is masked by the launcher's own handlers.
"""

from __future__ import annotations

import logging
import sys
from typing import TextIO

from corpusgate.detectors.masking import mask_free_text
from corpusgate.pipelines import log_filters

MODULE = __name__


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
    for handler in logging.getLogger().handlers:
        # Beam sets the root logger to INFO for what it sends to the launcher; the
        # worker's own stderr stays at warnings.
        handler.setLevel(logging.WARNING)
    log_filters.install()
    sys.stderr = MaskedStream(sys.stderr)
    from apache_beam.runners.worker import sdk_worker_main

    sdk_worker_main.main(argv)


if __name__ == "__main__":
    main(sys.argv)
