"""Masked evidence and salted value hashes: nothing raw ever leaves a detector."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata

MASK_CHAR = "*"


def mask_value(value: str, keep_start: int = 0, keep_end: int = 0) -> str:
    """Masks every character of `value` except `keep_start` leading and `keep_end`
    trailing ones; never more than half of the value is shown."""
    n = len(value)
    budget = n // 2
    keep_start = min(keep_start, budget)
    keep_end = min(keep_end, budget - keep_start)
    middle = n - keep_start - keep_end
    return (
        value[:keep_start]
        + MASK_CHAR * middle
        + (value[n - keep_end :] if keep_end else "")
    )


class ValueHasher:
    """HMAC-SHA256 of a normalized value under the run's salt.

    The same value hashes the same within a run (and across runs that share a salt), so
    owners can count distinct identifiers without ever seeing them.
    """

    def __init__(self, salt: bytes) -> None:
        self._salt = salt

    def __call__(self, value: str) -> str:
        normalized = normalize_value(value)
        return hmac.new(
            self._salt, normalized.encode("utf-8"), hashlib.sha256
        ).hexdigest()


_SEPARATORS = re.compile(r"[\s\-_.()/:]+")


def normalize_value(value: str) -> str:
    """NFKC, case folded, separators removed: `138 1234-5678` == `13812345678`."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", value).casefold())


# Conservative masking for free text we did not analyse (dead-letter excerpts, log
# lines): digits, long opaque tokens and e-mail local parts are hidden wholesale.
_LONG_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]{16,}")
_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)")
_DIGIT = re.compile(r"\d")
_PEM = re.compile(
    r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.S
)


def mask_free_text(text: str, limit: int = 200) -> str:
    """Masks anything in `text` that could be an identifier or a secret, then cuts it
    to `limit` characters. Used where no detector has looked at the text."""
    text = _PEM.sub("[PRIVATE KEY]", text)
    text = _EMAIL.sub(lambda m: "***@" + m.group(1), text)
    text = _LONG_TOKEN.sub(lambda m: MASK_CHAR * len(m.group(0)), text)
    text = _DIGIT.sub(MASK_CHAR, text)
    return text[:limit]


# Dead-letter excerpts: a record that could not be read was never scanned, so no
# detector found its names. Only its shape is kept: punctuation, whitespace and
# lower-case ASCII words (JSON keys, common words); capitalised words, any non-ASCII
# letter (Chinese names) and everything mask_free_text hides are masked.
_CAPITALISED = re.compile(r"\b[A-Z][A-Za-z]*")
_NON_ASCII_ALNUM = re.compile(r"[^\x00-\x7f]")


def mask_excerpt(text: str, limit: int = 200) -> str:
    """Masks `text` for a dead-letter excerpt, then cuts it to `limit` characters;
    masking runs on a window well past the cut, so no value straddles it raw."""
    text = mask_free_text(text[: limit * 8], limit=limit * 8)
    text = _CAPITALISED.sub(lambda m: MASK_CHAR * len(m.group(0)), text)
    text = _NON_ASCII_ALNUM.sub(
        lambda m: MASK_CHAR if m.group(0).isalnum() else m.group(0), text
    )
    return text[:limit]
