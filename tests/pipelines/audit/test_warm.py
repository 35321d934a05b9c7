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
SITECUSTOMIZE = """
import json, os
if os.environ.get("CORPUSGATE_TEST_HARNESS_LOG"):
    from apache_beam.runners.worker import sdk_worker_main

    def fake_main(argv):
        import sys
        with open(os.environ["CORPUSGATE_TEST_HARNESS_LOG"], "a") as fh:
            fh.write(json.dumps({
                "pid": os.getpid(),
                "control": os.environ.get("CONTROL_API_SERVICE_DESCRIPTOR"),
                "presidio": "presidio_analyzer" in sys.modules,
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
        pids = {p.pid for p in pool._procs}
    assert first.returncode == 0
    assert second.returncode == 7  # the worker's exit code is the command's
    runs = [json.loads(line) for line in fake_harness.read_text().splitlines()]
    assert [r["control"] for r in runs] == ["first", "fail"]
    # Each ran in a warm worker, not in the command's own process; a run without
    # the pii detector never imports Presidio.
    assert {r["pid"] for r in runs} == pids
    assert not any(r["presidio"] for r in runs)
    assert not os.path.exists(pool.directory)


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
    started = time.monotonic()
    pool.close()
    assert all(p.returncode == 0 for p in pool._procs)  # ended, not killed
    # At once, mid-import or mid-set-up: a usage error is not held up by them.
    assert time.monotonic() - started < 3
    assert not os.path.exists(pool.directory)


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
