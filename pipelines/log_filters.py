"""Log lines never carry record contents.

corpusgate's own log lines name files, counts and stages, never values. Other
libraries' lines (Beam, gRPC, Presidio) can quote the elements they process: Beam logs
elements at DEBUG, and a failing DoFn's traceback holds the element's repr. So Beam's
loggers are never set below INFO, and every line from outside corpusgate, and every
traceback, passes through `mask_free_text` before any handler writes it.
"""

from __future__ import annotations

import logging

from corpusgate.detectors.masking import mask_free_text

# Loggers that log elements at DEBUG; capped at INFO whatever -v asks for.
ELEMENT_LOGGERS = ("apache_beam",)


def _own(record: logging.LogRecord) -> bool:
    return record.name == "corpusgate" or record.name.startswith("corpusgate.")


class MaskForeignLines(logging.Filter):
    """On a handler: masks lines from other libraries and every traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if _own(record) and not record.exc_info and not record.exc_text:
            return True
        message = record.getMessage()
        if record.exc_info or record.exc_text:
            trace = record.exc_text or logging.Formatter().formatException(
                record.exc_info
            )
            message = f"{message}\n{trace}"
        record.msg = mask_free_text(message, limit=len(message))
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        return True


def drop_optional_client_warnings(record: logging.LogRecord) -> bool:
    """A handler filter: Beam warns at import that optional Google Cloud clients are
    missing; they are only needed for gs:// and BigQuery, and the warning confuses
    local users."""
    return not str(record.msg).startswith("apitools not found")


def install() -> None:
    """Adds the filter to the root logger's handlers and caps element loggers."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, MaskForeignLines) for f in handler.filters):
            handler.addFilter(MaskForeignLines())
    for name in ELEMENT_LOGGERS:
        logger = logging.getLogger(name)
        if logger.getEffectiveLevel() < logging.INFO:
            logger.setLevel(logging.INFO)
