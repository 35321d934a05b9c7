"""`scripts/bench_pipeline.py --profile`'s audit process (`--profile-run`): the CLI's
audit in its own process, Beam's metrics kept in a JSON file, and an exit code of 0
once they are written (the parent takes any other for a failed audit)."""

import json
import subprocess
import sys

import pytest

from tests.support.scripts import SCRIPTS

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
