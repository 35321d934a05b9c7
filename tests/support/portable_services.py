"""A Beam job server and an external SDK worker pool on loopback.

The job server is Beam's Python job service (its FnApiRunner holds the shuffles, as a
cluster would) or one of Beam's Java job servers, which runs the job on an embedded
Flink cluster or a local Spark. The launching process only builds, serializes and
submits the pipeline; the pool's workers run the DoFns, in this virtual environment
(no Docker). Used by the runner tests and the scaling benchmarks; a user with a real
cluster passes its endpoints instead (docs/runners.md).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import TracebackType

REPO = Path(__file__).resolve().parents[2]

# What each Java job server needs to run its engine inside its own process.
ENGINE_ARGS = {
    "flink": ["--flink-master", "[local]"],
    "spark": ["--spark-master-url", "local[2]"],
}


class MissingJobServer(RuntimeError):
    """No job-server jar (scripts/fetch_runners.sh fetches them) or no `java`."""


def job_server_jar(engine: str) -> Path:
    """The job-server jar of `engine` for the installed Beam SDK: the path in
    CORPUSGATE_<ENGINE>_JOB_SERVER_JAR, else the one scripts/fetch_runners.sh put in
    CORPUSGATE_RUNNERS_DIR (default .cache/runners). A job server must be of the
    SDK's own release."""
    import apache_beam

    given = os.environ.get(f"CORPUSGATE_{engine.upper()}_JOB_SERVER_JAR")
    if given:
        return Path(given)
    folder = Path(os.environ.get("CORPUSGATE_RUNNERS_DIR", REPO / ".cache" / "runners"))
    name = {
        "flink": "beam-runners-flink-*-job-server",
        "spark": "beam-runners-spark-3-job-server",
    }[engine]
    jars = sorted(folder.glob(f"{name}-{apache_beam.__version__}.jar"))
    if not jars:
        raise MissingJobServer(
            f"no {engine} job-server jar for Beam {apache_beam.__version__} in {folder} "
            "(scripts/fetch_runners.sh fetches it)"
        )
    return jars[-1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(
    port: int, timeout: float = 60.0, proc: subprocess.Popen | None = None
) -> None:
    """Wait until something listens on `port`; stop early if `proc` (the server
    that should listen there) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited with code {proc.returncode} before listening")
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
    """Start a job server and a worker pool; `with` stops them.

    `engine` "python" is Beam's Python job service, started with this interpreter;
    "flink" and "spark" are Beam's Java job servers (`job_server_jar`). The worker pool
    starts SDK workers with the interpreter first on PATH, so the project's virtual
    environment goes there (the workers must import corpusgate).
    """

    def __init__(
        self, log_dir: Path, python: str = sys.executable, *, engine: str = "python"
    ) -> None:
        self.env = dict(os.environ, PATH=f"{Path(python).parent}:{os.environ['PATH']}")
        self.ports = {"job service": free_port(), "worker pool": free_port()}
        job_port = str(self.ports["job service"])
        if engine == "python":
            job_service = [
                python,
                "-m",
                "apache_beam.runners.portability.local_job_service_main",
                "--port",
                job_port,
            ]
        else:
            jar, java = job_server_jar(engine), shutil.which("java")
            if not java:
                raise MissingJobServer("java is not installed")
            (log_dir / "artifacts").mkdir(exist_ok=True)
            # The same arguments Beam gives the jar when it starts it itself.
            job_service = [
                java,
                "-jar",
                str(jar),
                *ENGINE_ARGS[engine],
                "--artifacts-dir",
                str(log_dir / "artifacts"),
                "--job-port",
                job_port,
                "--artifact-port",
                "0",
                "--expansion-port",
                "0",
            ]
        commands = {
            "job service": job_service,
            "worker pool": [
                python,
                "-m",
                "apache_beam.runners.worker.worker_pool_main",
                "--service_port",
                str(self.ports["worker pool"]),
            ],
        }
        self.logs = {
            name: log_dir / f"{name.replace(' ', '_')}.log" for name in commands
        }
        self._logs = []
        self.procs: dict[str, subprocess.Popen] = {}
        try:
            for name, command in commands.items():
                log = open(self.logs[name], "w")  # noqa: SIM115
                self._logs.append(log)
                self.procs[name] = subprocess.Popen(
                    command, env=self.env, stdout=log, stderr=subprocess.STDOUT
                )
            # A JVM job server takes longer to start than Python's.
            timeout = 60 if engine == "python" else 180
            for name, port in self.ports.items():
                try:
                    wait_for_port(port, timeout, self.procs[name])
                except (RuntimeError, TimeoutError) as failed:
                    raise RuntimeError(
                        f"{name} ({engine}): {failed}; log {self.logs[name]}"
                    ) from None
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
