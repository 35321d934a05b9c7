"""The demo audit through Beam's job servers equals the local runner's audit.

`flink` runs the job on the embedded Flink cluster of Beam's Flink job server, `spark`
on a local Spark inside Beam's Spark job server; `python` is Beam's Python job service
(no JVM), so the harness and the comparison run wherever the tests run. The SDK
workers run in an external worker pool in this virtual environment (no Docker).

The jars come from `scripts/fetch_runners.sh` (Maven, into .cache/runners) or from
CORPUSGATE_FLINK_JOB_SERVER_JAR / CORPUSGATE_SPARK_JOB_SERVER_JAR. Without one the test
is skipped, unless CORPUSGATE_REQUIRE_RUNNERS=1 (CI sets it once the fetch worked):
then it fails.
"""

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.support.portable_services import LocalPortableServices, MissingJobServer

ENGINES = ("python", "flink", "spark")
ENV = dict(os.environ, CORPUSGATE_SALT="runner-test-salt")


def demo(out: Path, env: dict, *beam_args: str) -> None:
    cmd = [sys.executable, "-m", "corpusgate.pipelines.cli", "demo", "--out", str(out)]
    cmd += ["--run-id", "runner-check", *beam_args]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, proc.stderr[-3000:]


def audit_view(out: Path) -> dict:
    """What two runners must agree on: each document's id, content hash and decision;
    each finding's detector, type, span and score (rounded: the same arithmetic may
    run on another machine); the dead letters; and run.json's counts."""
    tables = {
        name: [
            r
            for f in sorted((out / name).glob("*.parquet"))
            for r in pq.read_table(f).to_pylist()
        ]
        for name in ("documents", "findings", "dead_letters")
    }
    return {
        "documents": sorted(
            (r["doc_id"], r["content_sha256"], r["decision"])
            for r in tables["documents"]
        ),
        "findings": sorted(
            (
                r["doc_id"],
                r["detector"],
                r["finding_type"],
                r["start"],
                r["end"],
                None if r["score"] is None else round(r["score"], 6),
            )
            for r in tables["findings"]
        ),
        "dead_letters": sorted(
            (r["source"], r["record_index"], r["stage"], r["error_type"])
            for r in tables["dead_letters"]
        ),
        "counts": json.loads((out / "run.json").read_text())["counts"],
    }


def assert_reconciled(view: dict) -> None:
    """run.json's counts are the rows the tables hold."""
    counts = view["counts"]
    assert counts["records_read"] == counts["scanned"] + counts["dead_lettered"]
    assert counts["scanned"] == len(view["documents"])
    assert (
        len(view["dead_letters"]) == counts["dead_lettered"] + counts["detector_errors"]
    )
    assert counts["findings"] == len(view["findings"])
    per_detector = {
        d["detector"]: d["findings"] for d in counts["findings_by_detector"]
    }
    assert per_detector == dict(Counter(f[1] for f in view["findings"]))


@pytest.fixture(scope="module")
def local_view(tmp_path_factory):
    out = tmp_path_factory.mktemp("local") / "out"
    demo(out, ENV)
    view = audit_view(out)
    assert_reconciled(view)
    assert view["documents"] and view["findings"] and view["dead_letters"]
    return view


@pytest.mark.parametrize("engine", ENGINES)
def test_demo_on_job_server_equals_local_runner(tmp_path, engine, local_view):
    try:
        services = LocalPortableServices(tmp_path, engine=engine)
    except MissingJobServer as missing:
        if os.environ.get("CORPUSGATE_REQUIRE_RUNNERS") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    out = tmp_path / engine
    with services:
        try:
            demo(out, dict(services.env, **ENV), *services.beam_args())
        except AssertionError:
            log = services.logs["job service"].read_text(errors="replace")[-3000:]
            print(f"--- {engine} job server log (tail) ---\n{log}")
            raise
    view = audit_view(out)
    assert_reconciled(view)
    assert view["counts"] == local_view["counts"]
    for table in ("documents", "findings", "dead_letters"):
        assert view[table] == local_view[table], table
    assert json.loads((out / "run.json").read_text())["runner"] == "PortableRunner"
