"""The portable path Flink and Spark use, offline: Beam's Python job service with an
external worker pool. The pipeline is serialized, submitted and run in other processes;
its manifests must equal the local runner's."""

import json
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines.audit.runner import staging_args

from tests.support.portable_services import LocalPortableServices

DETECTORS = "secrets,exact_duplicate"


@pytest.fixture
def portable_services(tmp_path):
    with LocalPortableServices(tmp_path) as services:
        yield services.ports["job service"], services.ports["worker pool"], services.env


def rows(out: Path) -> dict[str, list[str]]:
    result = {}
    for name in ("findings", "documents", "sources", "dead_letters"):
        result[name] = sorted(
            json.dumps(r, sort_keys=True, ensure_ascii=False)
            for f in sorted((out / name).glob("*.parquet"))
            for r in pq.read_table(f).to_pylist()
        )
    return result


def demo(out: Path, env: dict, *beam_args: str) -> None:
    cmd = [
        sys.executable,
        "-m",
        "corpusgate.pipelines.cli",
        "demo",
        "--out",
        str(out),
        "--detectors",
        DETECTORS,
        "--run-id",
        "portable-check",
        *beam_args,
    ]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]


def test_demo_on_portable_runner_equals_local(tmp_path, portable_services):
    job_port, pool_port, env = portable_services
    env = dict(env, CORPUSGATE_SALT="portable-test-salt")
    demo(tmp_path / "local", env)
    demo(
        tmp_path / "portable",
        env,
        "--runner",
        "PortableRunner",
        "--job_endpoint",
        f"localhost:{job_port}",
        "--environment_type",
        "EXTERNAL",
        "--environment_config",
        f"localhost:{pool_port}",
    )
    local, portable = rows(tmp_path / "local"), rows(tmp_path / "portable")
    assert local["documents"] and local["findings"]
    assert portable == local
    manifest = json.loads((tmp_path / "portable" / "run.json").read_text())
    assert manifest["runner"] == "PortableRunner"


@pytest.mark.parametrize(
    ("argv", "runner", "staged"),
    [
        (["--runner=FlinkRunner"], "FlinkRunner", True),
        (
            ["--runner=DataflowRunner", "--sdk_container_image=x"],
            "DataflowRunner",
            True,
        ),
        (
            ["--runner=PortableRunner", "--environment_type=EXTERNAL"],
            "PortableRunner",
            False,
        ),
        (
            ["--runner=DataflowRunner", "--setup_file=/elsewhere/setup.py"],
            "DataflowRunner",
            False,
        ),
        (
            ["--runner=SparkRunner", "--extra_package=/w/corpusgate.whl"],
            "SparkRunner",
            False,
        ),
        ([], "DirectRunner", False),
    ],
)
def test_project_is_staged_to_remote_workers(argv, runner, staged):
    extra = staging_args(argv, runner)
    if staged:
        assert len(extra) == 1 and extra[0].startswith("--setup_file=")
        assert Path(extra[0].split("=", 1)[1]).is_file()
    else:
        assert extra == []


def test_job_api_runners_get_a_long_stream_deadline():
    import socket

    from corpusgate.pipelines.audit.runner import (
        JOB_STREAM_TIMEOUT_S,
        JobEndpointError,
        job_service_args,
    )

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        endpoint = f"localhost:{server.getsockname()[1]}"
        args = ["--runner=PortableRunner", f"--job_endpoint={endpoint}"]
        # Beam's default (300 s) is the deadline of the job's state stream: a
        # longer audit would fail on the client while the job goes on.
        assert job_service_args(args, "PortableRunner") == [
            f"--job_server_timeout={JOB_STREAM_TIMEOUT_S}"
        ]
        assert (
            job_service_args([*args, "--job_server_timeout=60"], "PortableRunner") == []
        )
    assert job_service_args([], "FnApiRunner") == []
    # A job server Beam starts itself keeps Beam's timeout (it also bounds start-up).
    assert job_service_args(["--flink_master=localhost:8081"], "FlinkRunner") == []
    with pytest.raises(JobEndpointError, match="no job service there"):
        job_service_args(
            ["--runner=PortableRunner", f"--job_endpoint={endpoint}"], "PortableRunner"
        )
