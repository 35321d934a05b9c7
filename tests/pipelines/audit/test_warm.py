"""Warm worker processes: started before the pipeline is built, joined by the runner's
worker command, never left behind."""

import json
import os
import subprocess
import sys
import time

import pytest
from corpusgate.detectors.base import DetectorContext
from corpusgate.detectors.near_duplicate import NearDuplicateDetector
from corpusgate.detectors.secrets import SecretsDetector
from corpusgate.pipelines.audit import scan, warm
from corpusgate.pipelines.audit.scan import DetectorSpec, ScanRecords

# Replaces the SDK worker's main in every process of the test (the warm worker is a
# child process): it records the environment it was given and the process it ran in.
# With CORPUSGATE_TEST_FORK_FAILS, os.fork fails as it does when no process is left.
SITECUSTOMIZE = """
import json, os
if os.environ.get("CORPUSGATE_TEST_FORK_FAILS"):
    def no_fork():
        raise OSError(11, "Resource temporarily unavailable")

    os.fork = no_fork
if os.environ.get("CORPUSGATE_TEST_HARNESS_LOG"):
    from apache_beam.runners.worker import sdk_worker_main

    def fake_main(argv):
        import sys
        preloaded = [
            d for _, _, d in getattr(sys.modules.get(
                "corpusgate.pipelines.audit.scan"), "_PRELOADED", [])
        ]
        engines = [getattr(d, "_engines", None) for d in preloaded]
        with open(os.environ["CORPUSGATE_TEST_HARNESS_LOG"], "a") as fh:
            fh.write(json.dumps({
                "pid": os.getpid(),
                "ppid": os.getppid(),
                "control": os.environ.get("CONTROL_API_SERVICE_DESCRIPTOR"),
                "presidio": "presidio_analyzer" in sys.modules,
                "preloaded": [d.name for d in preloaded],
                "chinese_names_loaded": any(
                    e is not None and e._zh_names is not None for e in engines
                ),
            }) + "\\n")
        if os.environ.get("CONTROL_API_SERVICE_DESCRIPTOR") == "fail":
            raise SystemExit(7)

    sdk_worker_main.main = fake_main
"""


@pytest.fixture
def fake_harness(tmp_path, monkeypatch):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "harness.jsonl"
    monkeypatch.setenv(
        "PYTHONPATH", os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")])
    )
    monkeypatch.setenv("CORPUSGATE_TEST_HARNESS_LOG", str(log))
    return log


def stand_in(pool: warm.WarmWorkers, control: str) -> subprocess.CompletedProcess:
    """The worker command as Beam's runner starts it."""
    return subprocess.run(
        pool.command(),
        shell=True,
        env=dict(os.environ, CONTROL_API_SERVICE_DESCRIPTOR=control),
        timeout=300,
    )


def test_the_runner_s_worker_command_joins_a_warm_worker(fake_harness):
    specs = [DetectorSpec("near_duplicate", NearDuplicateDetector().config)]
    with warm.WarmWorkers(2) as pool:
        pool.send(specs, b"salt")
        first = stand_in(pool, "first")
        second = stand_in(pool, "fail")
        (process,) = pool._procs
    assert first.returncode == 0
    assert second.returncode == 7  # the worker's exit code is the command's
    runs = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert [r["control"] for r in runs] == ["first", "fail"]
    # Each ran in a warm worker, not in the command's own process: the one process
    # the launcher started, and a fork of it that set up nothing itself (the
    # detector it holds is the first process's); a run without the pii detector
    # never imports Presidio.
    in_process = [r for r in runs if r["pid"] == process.pid]
    forked = [r for r in runs if r["ppid"] == process.pid]
    assert len(in_process) == len(forked) == 1
    assert all(r["preloaded"] == ["near_duplicate"] for r in runs)
    assert not any(r["presidio"] for r in runs)
    assert not os.path.exists(pool.directory)


def test_forked_warm_workers_share_what_the_detectors_build_on_first_use(
    fake_harness,
):
    """The Chinese name stage, which one process builds only for its first Chinese
    text, is built once before the fork (a process of its own would each build it
    again); alone, a warm worker leaves it for first use."""
    from corpusgate.detectors.pii import PiiDetector

    specs = [DetectorSpec("pii", PiiDetector().config)]
    with warm.WarmWorkers(2) as pool:
        pool.send(specs, b"salt")
        assert stand_in(pool, "a").returncode == stand_in(pool, "b").returncode == 0
    with warm.WarmWorkers(1) as pool:
        pool.send(specs, b"salt")
        assert stand_in(pool, "alone").returncode == 0
    runs = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert [r["chinese_names_loaded"] for r in runs] == [True, True, False]


def test_a_failed_fork_leaves_its_worker_to_the_runner_s_command(
    fake_harness, monkeypatch
):
    monkeypatch.setenv("CORPUSGATE_TEST_FORK_FAILS", "1")
    with warm.WarmWorkers(2) as pool:
        pool.send([], b"")
        codes = [stand_in(pool, "warm").returncode, stand_in(pool, "cold").returncode]
        (process,) = pool._procs
    assert codes == [0, 0]
    runs = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert [r["control"] for r in runs] == ["warm", "cold"]
    assert runs[0]["pid"] == process.pid
    assert process.pid not in (runs[1]["pid"], runs[1]["ppid"])


def test_without_a_warm_worker_the_command_is_an_ordinary_worker(fake_harness):
    with warm.WarmWorkers(1) as pool:
        pool.send([], b"")
        assert stand_in(pool, "warm").returncode == 0
        # The only warm worker is taken: the next command runs the worker itself.
        started = subprocess.run(
            [sys.executable, "-m", warm.MODULE, pool.directory],
            env=dict(os.environ, CONTROL_API_SERVICE_DESCRIPTOR="cold"),
            timeout=300,
        )
        assert started.returncode == 0
        warm_pid = pool._procs[0].pid
    runs = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert [r["control"] for r in runs] == ["warm", "cold"]
    assert runs[0]["pid"] == warm_pid != runs[1]["pid"]


@pytest.mark.parametrize("sent", [False, True])
def test_warm_workers_that_join_no_job_end_with_the_launcher(sent):
    pool = warm.WarmWorkers(2)
    if sent:
        pool.send([DetectorSpec("secrets", SecretsDetector().config)], b"s")
        forks = _children_once_forked(pool._procs[0].pid)
    started = time.monotonic()
    pool.close()
    assert all(p.returncode == 0 for p in pool._procs)  # ended, not killed
    # At once, mid-import or mid-set-up: a usage error is not held up by them.
    assert time.monotonic() - started < 3
    assert not os.path.exists(pool.directory)
    if sent:  # the forked copies too
        deadline = time.monotonic() + 3
        while any(map(_alive, forks)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, forks))


def _children_once_forked(pid: int, timeout: float = 120) -> list[int]:
    deadline = time.monotonic() + timeout
    path = f"/proc/{pid}/task/{pid}/children"
    while time.monotonic() < deadline:
        with open(path) as fh:
            children = [int(x) for x in fh.read().split()]
        if children:
            return children
        time.sleep(0.05)
    raise AssertionError("the warm process forked no copy")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_scan_takes_the_preloaded_detector_of_its_spec_and_salt(monkeypatch):
    monkeypatch.setattr(scan, "_PRELOADED", [])
    spec = DetectorSpec("secrets", SecretsDetector().config)
    scan.preload([spec], b"salt")
    preloaded = scan._PRELOADED[0][2]
    other_salt = ScanRecords("run", [spec], [], b"other")
    other_salt.setup()
    assert other_salt._record_detectors[0] is not preloaded
    same = ScanRecords("run", [spec], [], b"salt")
    same.setup()
    assert same._record_detectors[0] is preloaded
    # Taken once: a second instance (another thread) builds its own.
    again = ScanRecords("run", [spec], [], b"salt")
    again.setup()
    assert again._record_detectors[0] is not preloaded
    assert scan._PRELOADED == []
    fresh = spec.build(DetectorContext(salt=b"salt"))
    assert type(fresh) is type(preloaded)


def test_a_warm_worker_sets_up_the_pii_detector_only_when_the_run_has_it(
    fake_harness,
):
    from corpusgate.detectors.pii import PiiDetector

    with warm.WarmWorkers(1) as pool:
        pool.send([DetectorSpec("pii", PiiDetector().config)], b"salt")
        assert stand_in(pool, "pii").returncode == 0
    (run,) = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert run["presidio"]  # set up before the job reached it


@pytest.mark.parametrize(
    ("beam_args", "size", "detectors", "count"),
    [
        ([], 3_000_000, "all", 2),  # worker processes by default: warm from the start
        ([], 3_000_000, "near_duplicate", 0),  # in one process
        ([], 10_000, "all", 0),
        (["--direct_running_mode=multi_processing"], 10, "secrets", 2),
        (
            ["--direct_running_mode", "multi_processing", "--direct_num_workers=3"],
            10,
            "secrets",
            3,
        ),
        (["--direct_running_mode=in_memory"], 3_000_000, "all", 0),
        (["--runner=PortableRunner"], 3_000_000, "all", 0),
    ],
)
def test_the_cli_starts_warm_workers_for_runs_on_worker_processes(
    tmp_path, monkeypatch, beam_args, size, detectors, count
):
    from corpusgate.pipelines import cli
    from corpusgate.pipelines.audit import runner

    corpus = tmp_path / "in"
    corpus.mkdir()
    (corpus / "a.jsonl").write_bytes(b"x" * (size // 2))
    (corpus / "b.jsonl").write_bytes(b"x" * (size - size // 2))
    from corpusgate.pipelines.audit.worker import WORKER_QUIET_ENV

    monkeypatch.setenv(WORKER_QUIET_ENV, "")  # set by the CLI: restored after
    started = []
    monkeypatch.setattr(runner, "usable_cores", lambda: 2)
    monkeypatch.setattr(warm, "WarmWorkers", lambda n: started.append(n) or "pool")
    argv = [
        "audit",
        str(corpus),
        "--out",
        str(tmp_path / "out"),
        "--detectors",
        detectors,
    ]
    args = cli.build_parser().parse_args(argv)
    pool = cli._start_warm_workers(args, [str(corpus)], beam_args)
    assert started == ([count] if count else [])
    assert pool == ("pool" if count else None)
    assert cli._local_bytes([str(corpus / "*.jsonl")]) == size
    assert cli._local_bytes(["gs://bucket/corpus"]) is None


def test_no_warm_workers_where_a_socket_cannot_be_made(tmp_path, monkeypatch):
    """A temporary folder whose path is too long for a Unix socket: the run starts
    its workers the ordinary way, and nothing is left behind."""
    from corpusgate.pipelines import cli
    from corpusgate.pipelines.audit import runner
    from corpusgate.pipelines.audit.worker import WORKER_QUIET_ENV

    deep = tmp_path / ("d" * 120)
    deep.mkdir()
    monkeypatch.setattr(warm.tempfile, "mkdtemp", lambda prefix: str(deep))
    monkeypatch.setattr(runner, "usable_cores", lambda: 2)
    monkeypatch.setenv(WORKER_QUIET_ENV, "")
    args = cli.build_parser().parse_args(
        ["audit", str(tmp_path), "--out", str(tmp_path / "out"), "--detectors", "pii"]
    )
    beam_args = ["--direct_running_mode=multi_processing"]
    assert cli._start_warm_workers(args, [str(tmp_path)], beam_args) is None
    assert not deep.exists()


def test_the_size_estimate_stops_counting_once_it_is_enough(tmp_path, monkeypatch):
    from corpusgate.pipelines import cli

    for i in range(5):
        (tmp_path / f"{i}.jsonl").write_bytes(b"x" * 100)
    assert cli._local_bytes([str(tmp_path)]) == 500
    monkeypatch.setattr(cli, "LOCAL_BYTES_ENOUGH", 250)
    assert cli._local_bytes([str(tmp_path)]) == 300  # three files seen, not five


def test_a_killed_launcher_s_sockets_folder_is_removed_by_the_next(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(warm.tempfile, "tempdir", str(tmp_path))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])  # its id: unused after
    dead.wait()
    stale = tmp_path / f"{warm.FOLDER_PREFIX}{dead.pid}-abc"
    live = tmp_path / f"{warm.FOLDER_PREFIX}{os.getpid()}-def"
    other = tmp_path / f"{warm.FOLDER_PREFIX}x-ghi"
    for folder in (stale, live, other):
        folder.mkdir()
        (folder / "worker-0.sock").write_text("")
    with warm.WarmWorkers(0) as pool:
        assert os.path.basename(pool.directory).startswith(
            f"{warm.FOLDER_PREFIX}{os.getpid()}-"
        )
    assert not stale.exists()
    assert live.exists() and other.exists()
    assert warm.join(str(stale), {}) is None  # a folder gone: no warm worker
