"""A per-user cache of what the detector derives from its data at start-up.

Some set-up is pure computation over files that never change between runs (jieba's
dictionary parsed into dicts, statistics counted over it) and costs a second of CPU
in every worker process of every audit. `cached` keeps the result in a file under
the user's cache directory, named by a digest of everything the result depends on
(the data's bytes, the code that derives it, the Python version), so a changed
input is a new file, never a stale one. Files are written whole to a temporary name
and renamed into place, so several processes building at once are safe: each reads
either nothing (and builds) or a complete file.

Directory: $CORPUSGATE_CACHE_DIR, else $XDG_CACHE_HOME/corpusgate, else
~/.cache/corpusgate; CORPUSGATE_CACHE_DIR set to the empty string turns the cache
off. A directory that cannot be written only means the result is built each time.
Values are stored with `marshal` (dicts, lists, tuples, strings, numbers: it loads
several times faster than parsing the data again).
"""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

logger = logging.getLogger(__name__)

ENV = "CORPUSGATE_CACHE_DIR"
# Part of every key: a change to the file layout below starts new files.
FORMAT = "corpusgate-setup-cache/1"

T = TypeVar("T")


def cache_dir() -> Path | None:
    """Where cached set-up lives, or None when the cache is off."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(
        os.path.expanduser("~"), ".cache"
    )
    return Path(base) / "corpusgate"


def digest(parts: Iterable[bytes | str]) -> str:
    """A key over `parts` (each length-prefixed, so their boundaries count)."""
    h = hashlib.sha256(FORMAT.encode())
    h.update(f"{sys.version_info[0]}.{sys.version_info[1]}".encode())  # marshal
    for p in parts:
        b = p.encode("utf-8") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.hexdigest()[:32]


def cached(name: str, key_parts: Iterable[bytes | str], build: Callable[[], T]) -> T:
    """`build()`, or the value an earlier `build()` with the same `name` and
    `key_parts` stored. The value must be marshal-able."""
    folder = cache_dir()
    if folder is None:
        return build()
    path = folder / f"{name}-{digest(key_parts)}.marshal"
    try:
        with open(path, "rb") as fh:
            # loads of the whole file: marshal.load reads a file object piece by
            # piece, several times slower
            return marshal.loads(fh.read())
    except FileNotFoundError:
        pass
    except (OSError, EOFError, ValueError, TypeError) as exc:
        logger.debug("setup cache %s unreadable (%s): building it again", path, exc)
    value = build()
    _store(path, value)
    return value


def _store(path: Path, value: Any) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(marshal.dumps(value))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        # Files of earlier keys (older data or code) would only fill the disk.
        for old in path.parent.glob(path.name.rsplit("-", 1)[0] + "-*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError) as exc:  # read-only home, full disk, not marshal-able
        logger.debug("setup cache %s not written: %s", path, exc)
