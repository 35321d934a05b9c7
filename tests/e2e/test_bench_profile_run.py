"""`scripts/bench_pipeline.py --profile`'s audit process (`--profile-run`): the CLI's
audit in its own process, Beam's metrics kept in a JSON file, and an exit code of 0
once they are written (the parent takes any other for a failed audit)."""

import json
import subprocess
import sys

import pytest

from tests.support.scripts import SCRIPTS, load_script

pytestmark = pytest.mark.e2e


def test_profile_run_writes_its_metrics_and_exits_0(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    rows = [{"id": f"d{i}", "text": f"an ordinary review number {i}"} for i in range(5)]
    rows.append({"id": "s", "text": 'deploy with password = "Zq8!mNp4Lw" today'})
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out, metrics = tmp_path / "out", tmp_path / "metrics.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(SCRIPTS / "bench_pipeline.py"),
            "--profile-run",
            str(corpus),
            str(out),
            str(metrics),
            "--detectors=secrets",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    kept = json.loads(metrics.read_text())
    assert kept["scanned"] == len(rows)
    assert kept["findings"] >= 1  # the password
    assert any("ScanRecords" in t for t in kept["transform_msecs"])
    assert "secrets" in kept["scan_usecs"]


def test_measured_run_counts_the_launchers_own_cpu_apart_from_its_children():
    """The launcher's own CPU (where the local runner's shuffles run) is reported
    apart from the whole tree's: a parent that computes 0.6 s, then waits on a child
    that computes 0.8 s, is reported at about 0.6 s of its own."""
    bench = load_script("bench_pipeline")
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < {}: pass\n"
    child = [sys.executable, "-c", busy.format(0.8)]
    parent = busy.format(0.6) + f"import subprocess\nsubprocess.run({child!r})\n"
    kept = bench.measured_run([sys.executable, "-c", parent])
    assert 0.5 <= kept["launcher_cpu"] <= 1.0
    assert kept["cpu"] >= kept["launcher_cpu"] + 0.7
