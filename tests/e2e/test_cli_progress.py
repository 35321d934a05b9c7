"""Progress, verbosity and job failures as a user sees them: the CLI in a subprocess,
stderr, stdout and exit codes out."""

import json
import subprocess
import sys

import pytest

RECORDS = [{"id": f"r{i}", "text": f"review number {i}: clean room"} for i in range(40)]

# Runs the CLI with the reader broken inside the Beam job, as a worker error would.
BROKEN_JOB = """
import sys
from corpusgate.pipelines import cli, inputs
def broken(self, input_file):
    raise ValueError("disk went away\\nwhile reading shard 7")
    yield
inputs.RecordDecoder.read = broken
# Importing Beam above logged a warning, which configured the root logger; the
# console script imports Beam only after main() has configured it.
import logging
logging.getLogger().handlers.clear()
sys.exit(cli.main(sys.argv[1:]))
"""


def corpus(tmp_path):
    path = tmp_path / "in" / "c.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(r) + "\n" for r in RECORDS))
    return path


def cli(*argv, code=None):
    command = (
        [sys.executable, "-c", code]
        if code
        else [sys.executable, "-m", "corpusgate.pipelines.cli"]
    )
    return subprocess.run(
        [*command, *map(str, argv)], capture_output=True, text=True, timeout=600
    )


def test_progress_by_default_and_quiet_with_q(tmp_path):
    path = corpus(tmp_path)
    loud = cli("audit", path, "--out", tmp_path / "o1", "--detectors", "secrets")
    assert loud.returncode == 0, loud.stderr[-2000:]
    # Not a terminal: a plain line, at least the final one, with the counts.
    assert "corpusgate: read 40 record(s) from 1 file(s), scanned 40" in loud.stderr
    assert "elapsed" in loud.stderr
    quiet = cli("audit", path, "--out", tmp_path / "o2", "--detectors", "secrets", "-q")
    assert quiet.returncode == 0
    assert quiet.stderr.strip() == ""
    assert "records read" in quiet.stdout  # the summary is the result, not noise


def test_v_adds_own_debug_only_and_vv_adds_beam(tmp_path):
    path = corpus(tmp_path)
    v = cli("audit", path, "--out", tmp_path / "o1", "--detectors", "secrets", "-v")
    assert v.returncode == 0
    assert " DEBUG corpusgate." in v.stderr
    assert " apache_beam." not in v.stderr
    vv = cli("audit", path, "--out", tmp_path / "o2", "--detectors", "secrets", "-vv")
    assert vv.returncode == 0
    assert " apache_beam." in vv.stderr
    assert " DEBUG apache_beam." not in vv.stderr  # elements are logged at DEBUG


@pytest.mark.parametrize("loudness", [[], ["-q"], ["-v"], ["-vv"]])
def test_job_failure_is_exit_3_whatever_the_verbosity(tmp_path, loudness):
    path = corpus(tmp_path)
    argv = ["audit", path, "--out", tmp_path / "o", "--detectors", "secrets"]
    proc = cli(*argv, *loudness, code=BROKEN_JOB)
    assert proc.returncode == 3, proc.stderr[-3000:]
    [error] = [
        line
        for line in proc.stderr.splitlines()
        if line.startswith("corpusgate: error")
    ]
    assert error.endswith("the audit job failed: ValueError: disk went away")
    if not loudness or loudness == ["-q"]:
        # One line with the cause, no traceback.
        assert proc.stderr.strip().splitlines()[-1] == error
        assert "Traceback" not in proc.stderr
    else:
        assert "Traceback" in proc.stderr
    assert not (tmp_path / "o" / "run.json").exists()
