"""The C allocator of an audit process (glibc's malloc).

The launcher of a local run receives every stage's output from the workers on gRPC
threads, and glibc gives each thread that allocates its own memory arena (up to 8 per
core); memory freed in one arena is not reused by another, so the launcher's resident
memory grew about three times faster than the data it held (docs/performance.md).
Audit processes use at most `ARENAS` arenas instead. Elsewhere (musl, macOS) this
is a no-op.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools

ARENAS = 2
_M_ARENA_MAX = -8  # mallopt parameter, from glibc's malloc.h


@functools.cache
def _libc():
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        libc = ctypes.CDLL(name)
        return libc if hasattr(libc, "mallopt") else None
    except OSError:
        return None


def limit_arenas(arenas: int = ARENAS) -> bool:
    """Caps the number of malloc arenas of this process (threads started later share
    them); True if the allocator took the setting."""
    libc = _libc()
    return bool(libc is not None and libc.mallopt(_M_ARENA_MAX, arenas) == 1)
