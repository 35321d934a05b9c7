"""Beam's Python job service and an external SDK worker pool on loopback.

This is the path Flink and Spark use, offline: the launching process only builds,
serializes and submits the pipeline; the job service runs it (its FnApiRunner holds
the shuffles, as a Flink or Spark cluster would); the pool's workers run the DoFns.
Used by the portable-runner test and the scaling benchmarks; a user with a real
cluster passes its endpoints instead (README, "Beyond one machine").
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

_MODULES = (
    ("job service", "apache_beam.runners.portability.local_job_service_main", "--port"),
    ("worker pool", "apache_beam.runners.worker.worker_pool_main", "--service_port"),
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.3)
    raise TimeoutError(f"nothing listens on port {port}")


def peak_rss_mib(pid: int) -> float | None:
    """Peak resident memory (VmHWM) of a live process, from /proc (Linux only)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants now, from /proc."""
    total, stack = 0.0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status", encoding="ascii") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) / 1024
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children", encoding="ascii") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except OSError:
            continue  # the process ended meanwhile
    return total


class LocalPortableServices:
    """Start both services with this interpreter; `with` stops them.

    The worker pool starts SDK workers with the interpreter first on PATH, so the
    project's virtual environment goes there (the workers must import corpusgate).
    """

    def __init__(self, log_dir: Path, python: str = sys.executable) -> None:
        self.env = dict(os.environ, PATH=f"{Path(python).parent}:{os.environ['PATH']}")
        self.ports = {name: free_port() for name, _, _ in _MODULES}
        self._logs = []
        self.procs: dict[str, subprocess.Popen] = {}
        try:
            for name, module, flag in _MODULES:
                log = open(log_dir / f"{name.replace(' ', '_')}.log", "w")  # noqa: SIM115
                self._logs.append(log)
                self.procs[name] = subprocess.Popen(
                    [python, "-m", module, flag, str(self.ports[name])],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            for port in self.ports.values():
                wait_for_port(port)
        except BaseException:
            self.close()
            raise
        # The pool starts SDK workers as child processes: their memory is sampled as
        # the peak of the whole process tree of each service.
        self._tree_peaks = dict.fromkeys(self.procs, 0.0)
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)
        self._sampler.start()

    def _sample(self, interval: float = 0.5) -> None:
        while not self._stop.wait(interval):
            for name, proc in self.procs.items():
                rss = tree_rss_mib(proc.pid)
                self._tree_peaks[name] = max(self._tree_peaks[name], rss)

    def beam_args(self) -> list[str]:
        """The Beam options that send a pipeline to these services."""
        return [
            "--runner=PortableRunner",
            f"--job_endpoint=localhost:{self.ports['job service']}",
            "--environment_type=EXTERNAL",
            f"--environment_config=localhost:{self.ports['worker pool']}",
        ]

    def peak_rss_mib(self) -> dict[str, float]:
        """Peak resident memory of each service with its child processes (sampled
        every 0.5 s, so a shorter spike can be missed; read before `close`)."""
        peaks = {}
        for name, proc in self.procs.items():
            own = peak_rss_mib(proc.pid) or 0.0
            peaks[name] = max(own, self._tree_peaks.get(name, 0.0))
        return peaks

    def close(self) -> None:
        if hasattr(self, "_stop"):
            self._stop.set()
        for p in self.procs.values():
            p.terminate()
        for p in self.procs.values():
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in self._logs:
            log.close()

    def __enter__(self) -> LocalPortableServices:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
