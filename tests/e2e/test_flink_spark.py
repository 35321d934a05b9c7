"""The demo audit on a real local Flink or Spark, through Beam's job servers.

Beam's Flink and Spark job-server jars come from a Maven repository, which this
project's CI cannot reach; point these variables at downloaded jars to run the tests:

    CORPUSGATE_FLINK_JOB_SERVER_JAR=/path/beam-runners-flink-1.19-job-server-2.77.0.jar
    CORPUSGATE_SPARK_JOB_SERVER_JAR=/path/beam-runners-spark-3-job-server-2.77.0.jar

The job server runs an embedded local Flink (`--flink-master=[local]`) or Spark
(`--spark-master-url=local[2]`); the SDK workers run in this process (LOOPBACK).
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from tests.e2e.test_portable_runner import rows
from tests.support.portable_services import free_port, wait_for_port

JOB_SERVERS = {
    "flink": ("CORPUSGATE_FLINK_JOB_SERVER_JAR", ["--flink-master=[local]"]),
    "spark": ("CORPUSGATE_SPARK_JOB_SERVER_JAR", ["--spark-master-url=local[2]"]),
}


@pytest.mark.parametrize("engine", sorted(JOB_SERVERS))
def test_demo_on_local_engine_equals_local_runner(tmp_path, engine):
    variable, engine_args = JOB_SERVERS[engine]
    jar = os.environ.get(variable)
    if not jar:
        pytest.skip(f"{variable} is not set (the {engine} job-server jar needs Maven)")
    if not shutil.which("java"):
        pytest.skip("java is not installed")
    port = free_port()
    server = subprocess.Popen(
        [
            "java",
            "-jar",
            jar,
            f"--job-port={port}",
            "--artifact-port=0",
            "--expansion-port=0",
            *engine_args,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    env = dict(os.environ, CORPUSGATE_SALT=f"{engine}-test")
    try:
        wait_for_port(port, timeout=180)
        base = [
            sys.executable,
            "-m",
            "corpusgate.pipelines.cli",
            "demo",
            "--detectors",
            "secrets,exact_duplicate",
            "--run-id",
            engine,
        ]
        for out, extra in (
            (tmp_path / "local", []),
            (
                tmp_path / engine,
                [
                    "--runner=PortableRunner",
                    f"--job_endpoint=localhost:{port}",
                    "--environment_type=LOOPBACK",
                ],
            ),
        ):
            proc = subprocess.run(
                [*base, "--out", str(out), *extra],
                env=env,
                capture_output=True,
                text=True,
                timeout=1200,
            )
            assert proc.returncode == 0, proc.stderr[-3000:]
        assert rows(tmp_path / engine) == rows(tmp_path / "local")
        assert json.loads((tmp_path / engine / "run.json").read_text())["counts"][
            "scanned"
        ]
    finally:
        server.terminate()
        server.wait(timeout=60)
