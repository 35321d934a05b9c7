"""Guards on the output directory: where it may be, and one writer at a time.

`--out` may not be an input, sit inside an input directory, or contain an input file
(a re-run would read the previous run's tables as corpus, and `--overwrite` could
delete input). `--run-id` names a directory inside OUT, so it is a plain name.

One writer per output directory: `OUT/.corpusgate.lock`.

The lock file is created atomically (O_CREAT | O_EXCL) and holds the run id, the
process id and the host; it is removed when the run ends, however it ends. A second
audit into the same OUT is refused while the first runs. A lock left by a process that
no longer exists on this host (killed) is broken with a warning that names the run;
one from another host is reported and left (a live process there cannot be seen): the
user removes it after checking that no audit is writing.

Object stores (gs://, s3://) have no atomic create-if-absent through Beam's
FileSystems; there one writer per OUT is the user's to ensure (docs/security.md).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import re
import socket
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger(__name__)

LOCK_NAME = ".corpusgate.lock"
RUN_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


class OutputPlacementError(ValueError):
    """--out or --run-id would put output where it must not go (one line)."""


def check_run_id(run_id: str) -> None:
    if not RUN_ID_PATTERN.fullmatch(run_id):
        raise OutputPlacementError(
            f"--run-id {run_id[:80]!r}: use 1-128 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )


def check_out_placement(
    out: str, input_dirs: list[str], input_files: list[str]
) -> None:
    """Refuses an OUT that is a file, is or sits inside an input directory, or holds
    an input file (local paths; symlinks resolved)."""
    if "://" in out:
        return
    real_out = os.path.realpath(out)
    if os.path.exists(real_out) and not os.path.isdir(real_out):
        raise OutputPlacementError(f"--out {out}: is a file, not a directory")
    for directory in input_dirs:
        real = os.path.realpath(directory)
        if real_out == real or _inside(real_out, real):
            raise OutputPlacementError(
                f"--out {out}: is or sits inside the input directory {directory}; "
                "write the audit elsewhere"
            )
    for uri in input_files:
        if "://" in uri:
            continue
        real = os.path.realpath(uri)
        if real == real_out or _inside(real, real_out):
            raise OutputPlacementError(
                f"--out {out}: holds the input file {uri}; write the audit elsewhere"
            )


def _inside(path: str, directory: str) -> bool:
    return os.path.commonpath([path, directory]) == directory and path != directory


class OutputLockedError(Exception):
    """OUT is locked by another run (or by a dead one); the message is one line."""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return True


def _holder(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            holder = json.load(f)
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


@contextmanager
def output_lock(out: str, run_id: str) -> Iterator[None]:
    """Holds OUT's lock for the duration of the block (local outputs only)."""
    if "://" in out:
        yield
        return
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, LOCK_NAME)
    holder = {
        "run_id": run_id,
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        _break_if_stale(path)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            raise OutputLockedError(_locked_message(path)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(holder, f)
        yield
    finally:
        # Only our own lock is removed (never one a user replaced meanwhile).
        if (
            _holder(path).get("run_id") == run_id
            and _holder(path).get("pid") == os.getpid()
        ):
            os.unlink(path)


def _stale(holder: dict) -> bool:
    """The lock's process ran on this host and is gone (killed)."""
    pid = holder.get("pid")
    return (
        isinstance(pid, int)
        and holder.get("host") == socket.gethostname()
        and not _alive(pid)
    )


def _break_if_stale(path: str) -> None:
    """Moves a dead process's lock aside (one rename: of two runs breaking it at
    once, one wins) and says so; a live or foreign lock is left alone."""
    holder = _holder(path)
    if not _stale(holder):
        return
    aside = f"{path}.stale-{os.getpid()}"
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return  # another run broke it first
    if not _stale(_holder(aside)):  # replaced by a live run between read and rename
        os.rename(aside, path)
        return
    os.unlink(aside)
    log.warning(
        "%s: removed a stale lock: run %s (pid %s) stopped without finishing",
        path,
        holder.get("run_id"),
        holder.get("pid"),
    )


def _locked_message(path: str) -> str:
    holder = _holder(path)
    run_id, pid, host = holder.get("run_id"), holder.get("pid"), holder.get("host")
    who = f"run {run_id} (pid {pid} on {host})"
    if not holder:
        return f"{path}: locked by an audit whose lock file cannot be read"
    return (
        f"{path}: {who} is writing to this directory; wait for it or use another --out"
    )
