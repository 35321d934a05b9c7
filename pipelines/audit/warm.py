"""Worker processes started before the pipeline is built ("warm" workers).

A local multi-process run's SDK workers would otherwise start only once the launching
process has imported Beam, built the pipeline and translated it for the runner, and
each would then spend seconds importing Beam and loading the run's detectors while
the launcher waits. `WarmWorkers` starts them as soon as the CLI knows the run will
use worker processes, so those imports and set-ups overlap the launcher's own.

How a warm worker joins the job: Beam's runner still starts each SDK worker with a
command (`SubprocessSDKEnvironment`), and that command is this module's `main`, a
light stand-in that hands the worker's environment (the control and logging
addresses, the pipeline options) to one waiting warm worker over a Unix socket (the
launcher listens on each before starting its worker, which inherits it), waits for it
to finish and exits with its exit code. When none is waiting (more workers than
warm ones, or one died) the stand-in becomes an ordinary worker (`worker.py`) itself.

One process is started for all the warm workers: it reads the run's detector
specifications and salt from its stdin (sent once the configuration is known), builds
and sets up those detectors (`scan.preload`, with what they would otherwise build on
first use), then forks one copy of itself per further worker. The copies share the
loaded models copy-on-write, so the imports and set-up are paid once per run instead
of once per worker, in CPU and in memory (where `os.fork` is missing, each warm worker
is a process of its own). Closing that stdin before a worker joined a job ends it at
once, so no warm worker outlives its launcher or holds up a command that stops early.
This module imports nothing heavy: the stand-in starts in tens of milliseconds.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
from collections.abc import Sequence

MODULE = __name__
WORKER_MODULE = "corpusgate.pipelines.audit.worker"
SOCKET_SUFFIX = ".sock"
CLAIM_SUFFIX = ".claimed"
# How long `close` waits for a warm worker to end before killing it.
STOP_TIMEOUT_S = 10.0
# A launcher's sockets' folder: <temporary folder>/corpusgate-workers-<pid>-<random>.
FOLDER_PREFIX = "corpusgate-workers-"


def remove_stale_folders() -> list[str]:
    """Removes the sockets' folders of launchers that have ended without removing
    them (killed): the folder's name holds the launcher's process id."""
    import glob

    removed = []
    for folder in glob.glob(os.path.join(tempfile.gettempdir(), FOLDER_PREFIX + "*")):
        pid = os.path.basename(folder)[len(FOLDER_PREFIX) :].split("-", 1)[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        except OSError:  # alive, another user's
            pass
    return removed


def _socket_paths(directory: str) -> list[str]:
    return sorted(
        os.path.join(directory, name)
        for name in os.listdir(directory)
        if name.endswith(SOCKET_SUFFIX)
    )


class WarmWorkers:
    """`count` warm workers, importing Beam and corpusgate from now on (one process,
    forked into `count` once the detectors are set up); `send` gives them the run's
    detectors to set up, `command` is the worker command for the runner, `close`
    ends those that did not join a job."""

    def __init__(self, count: int, python: str = sys.executable) -> None:
        remove_stale_folders()
        self.directory = tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{os.getpid()}-")
        self._python = python
        self._procs: list[subprocess.Popen] = []
        self._senders: list[threading.Thread] = []
        try:
            self._start(count)
        except BaseException:
            self.close()
            raise

    def _start(self, count: int) -> None:
        # Listening here, before the workers start: a stand-in can connect at once
        # and waits until its worker accepts; a worker that has ended refuses.
        listeners = []
        for i in range(count):
            listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            listeners.append(listener)
            listener.bind(os.path.join(self.directory, f"worker-{i}{SOCKET_SUFFIX}"))
            listener.listen(1)
        # One process sets up the detectors and forks the others from itself
        # (worker.warm); without fork, each sets up its own.
        if not hasattr(os, "fork"):
            groups = [[x] for x in listeners]
        else:
            groups = [listeners] if listeners else []
        try:
            for group in groups:
                fds = [x.fileno() for x in group]
                self._procs.append(
                    subprocess.Popen(
                        [
                            self._python,
                            "-m",
                            WORKER_MODULE,
                            "--warm",
                            ",".join(map(str, fds)),
                        ],
                        stdin=subprocess.PIPE,
                        pass_fds=fds,
                    )
                )
        finally:
            for listener in listeners:
                listener.close()

    def send(self, specs: Sequence, salt: bytes) -> None:
        """The detectors the warm workers build and set up before they join a job
        (written by a thread per process: the launcher never waits on a full pipe)."""
        payload = pickle.dumps((tuple(specs), salt))
        message = struct.pack(">I", len(payload)) + payload
        for proc in self._procs:
            sender = threading.Thread(
                target=_write, args=(proc.stdin, message), daemon=True
            )
            sender.start()
            self._senders.append(sender)

    def command(self) -> str:
        """The SDK worker command that joins a warm worker."""
        import shlex

        return f"{shlex.quote(self._python)} -m {MODULE} {shlex.quote(self.directory)}"

    def close(self) -> None:
        """Ends the warm workers that did not join a job (their stdin closes) and
        waits for all of them; removes the sockets' folder."""
        for sender in self._senders:
            sender.join(STOP_TIMEOUT_S)
        for proc in self._procs:
            try:
                proc.stdin.close()
            except OSError:
                pass
        for proc in self._procs:
            try:
                proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> WarmWorkers:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _write(stream, message: bytes) -> None:
    try:
        stream.write(message)
        stream.flush()
    except (OSError, ValueError):  # the worker ended, or close() came first
        pass


def _read_exactly(fd: int, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(fd, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def read_specs(fd: int) -> bytes | None:
    """The pickled (specs, salt) `WarmWorkers.send` wrote to the file descriptor `fd`
    (read unbuffered, nothing past them); None at end of file. Unpickling them
    imports the audit's modules: the caller does it where that is safe."""
    header = _read_exactly(fd, 4)
    if header is None:
        return None
    (size,) = struct.unpack(">I", header)
    return _read_exactly(fd, size)


def join(directory: str, environment: dict[str, str]) -> int | None:
    """Hands `environment` to a waiting warm worker in `directory` and returns its
    exit code once it has finished; None when no warm worker is waiting."""
    try:
        paths = _socket_paths(directory)
    except OSError:  # the folder is gone
        return None
    for path in paths:
        try:  # each warm worker serves the first stand-in that claims it
            os.close(os.open(path + CLAIM_SUFFIX, os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        except OSError:  # the folder is gone: the launcher has closed the pool
            return None
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(path)
        except OSError:  # that worker has ended
            connection.close()
            continue
        reply = b""
        with connection:
            try:
                connection.sendall(json.dumps(environment).encode() + b"\n")
                connection.shutdown(socket.SHUT_WR)
                while chunk := connection.recv(64):
                    reply += chunk
            except OSError:
                pass
        # No reply: the worker died before or during the job.
        return int(reply) if reply.strip() else 1
    return None


def main(argv: list[str]) -> None:
    """The SDK worker command of a run with warm workers: `python -m <this module>
    DIRECTORY`."""
    code = join(argv[1], dict(os.environ))
    if code is None:
        # No warm worker left: this process becomes an ordinary one.
        os.execv(sys.executable, [sys.executable, "-m", WORKER_MODULE])
    sys.exit(code)


if __name__ == "__main__":
    main(sys.argv)
