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

With `--warm FD[,FD...]` the process is a warm worker (`warm.py`): started by the CLI
before the pipeline exists, it imports Beam and sets up the run's detectors, forks a
copy of itself for each further socket, then each runs the same worker main once the
runner's worker command hands it the job's addresses.
"""

from __future__ import annotations

import json
import logging
import os
import pickle
import sys
import threading
from typing import TextIO

from corpusgate.detectors.masking import mask_free_text
from corpusgate.pipelines import log_filters
from corpusgate.pipelines.audit import allocator, collector
from corpusgate.pipelines.audit.pandas_free import hide_pandas

MODULE = __name__
log = logging.getLogger(__name__)
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


def _configure(quiet: bool) -> None:
    logging.basicConfig(
        level=logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        # Beam sets the root logger to INFO for what it sends to the launcher; the
        # worker's own stderr keeps warnings and the progress lines.
        handler.addFilter(_WarningsAndProgress(quiet))
        handler.addFilter(log_filters.drop_optional_client_warnings)
    log_filters.install()
    # Beam's worker warns at every start that no semi-persistent directory is set
    # (a Dataflow feature): not actionable for a local run.
    logging.getLogger("apache_beam.runners.worker.sdk_worker_main").setLevel(
        logging.ERROR
    )
    sys.stderr = MaskedStream(sys.stderr)
    collector.tune()
    allocator.limit_arenas()


def main(argv: list[str]) -> None:
    hide_pandas()  # never used, imported by Beam and pyarrow if they can
    if len(argv) == 3 and argv[1] == "--warm":
        sys.exit(warm([int(fd) for fd in argv[2].split(",")]))
    _configure(quiet=bool(os.environ.get(WORKER_QUIET_ENV)))
    from apache_beam.runners.worker import sdk_worker_main

    sdk_worker_main.main(argv)


def warm(listener_fds: list[int]) -> int:
    """Warm workers (`warm.py`), one per listening socket the launcher passed
    (`listener_fds`): this process imports Beam and the audit's code and sets up the
    run's detectors once their specifications arrive on stdin, then forks one copy of
    itself per further socket (the copies share its loaded models, copy-on-write:
    no worker imports or sets up anything of its own). Each waits for the runner's
    stand-in on its socket and runs the SDK worker with the environment it hands
    over. Each ends as soon as stdin closes before that, whatever it is doing."""
    import socket

    stdin = sys.stdin.fileno()
    run: list = []
    received = threading.Event()
    joined = _watch_launcher(stdin, run, received)
    # The launcher sets the quiet flag before it starts warm workers.
    _configure(quiet=bool(os.environ.get(WORKER_QUIET_ENV)))
    from apache_beam.runners.worker import sdk_worker_main
    from corpusgate.pipelines.audit import scan

    received.wait()
    if run[0] is None:
        return 0
    # Here, not in the reading thread: it imports modules the main thread imports.
    specs, salt = pickle.loads(run[0])
    scan.preload(specs, salt, shared=len(listener_fds) > 1)
    listener_fd, children = listener_fds[0], []
    for fd in listener_fds[1:]:
        try:
            pid = os.fork()
        except OSError as e:
            # The sockets left unserved refuse their stand-ins, which then run
            # as ordinary workers.
            log.warning("no more warm workers (fork: %s)", e)
            break
        if pid == 0:  # a copy: its own socket, its own watch on stdin
            listener_fd, children = fd, []
            joined = _watch_launcher(stdin, None, None)
            break
        children.append(pid)
    for fd in listener_fds:
        if fd != listener_fd:
            os.close(fd)
    listener = socket.socket(fileno=listener_fd)
    connection, _ = listener.accept()
    joined.set()
    listener.close()
    with connection:
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
        os.environ.update(json.loads(data))
        try:
            sdk_worker_main.main([sys.argv[0]])
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except Exception:
            log.exception("the SDK worker failed")
            code = 1
        connection.sendall(str(code).encode())
    for pid in children:
        os.waitpid(pid, 0)
    if listener_fd != listener_fds[0]:
        # A copy ends here: the exit handlers it inherited are the first process's.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    return code


def _watch_launcher(
    stdin: int, run: list | None, received: threading.Event | None
) -> threading.Event:
    """A thread that reads the run's specifications from stdin into `run` (unless
    None), then waits for stdin's end (the launcher closed it) and ends the process
    there unless it has joined a job by then (the event returned, set on joining)."""
    from corpusgate.pipelines.audit import warm as pool

    joined = threading.Event()

    def read_stdin() -> None:
        if run is not None:
            run.append(pool.read_specs(stdin))
            received.set()
        # Unbuffered: a thread blocked in a buffered read would hold its lock when
        # the interpreter shuts down. b"" is end of file: the launcher closed it.
        while os.read(stdin, 4096):
            pass
        if not joined.is_set():
            os._exit(0)

    threading.Thread(target=read_stdin, daemon=True).start()
    return joined


if __name__ == "__main__":
    main(sys.argv)
