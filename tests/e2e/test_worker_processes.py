"""Local multi-process runs (`--direct_running_mode=multi_processing`): the worker
processes are started by corpusgate's worker entry point, so what they log (a failing
step's traceback quotes its element) is masked like the launcher's own lines."""

import json
import os
import subprocess
import sys

# Breaks the reader in every process that imports corpusgate (the launcher and each
# worker: a monkeypatch in the launcher alone would not reach the workers).
SITECUSTOMIZE = """
import os
if os.environ.get("CORPUSGATE_TEST_BREAK_READER"):
    from corpusgate.pipelines import inputs

    def broken(self, input_file):
        raise ValueError("cannot read jane.doe@example.org, call +1 415 555 0199")
        yield

    inputs.RecordDecoder.read = broken
"""
PLANTED = ("jane.doe", "415 555", "0199")


def test_worker_failure_is_masked_in_every_line(tmp_path):
    corpus = tmp_path / "in" / "c.jsonl"
    corpus.parent.mkdir()
    corpus.write_text(json.dumps({"id": "r1", "text": "a clean review"}) + "\n")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        CORPUSGATE_TEST_BREAK_READER="1",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "corpusgate.pipelines.cli",
            "audit",
            str(corpus),
            "--out",
            str(tmp_path / "out"),
            "--detectors",
            "secrets",
            "-vv",
            "--direct_num_workers=2",
            "--direct_running_mode=multi_processing",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 3, proc.stderr[-3000:]
    assert "ValueError" in proc.stderr  # the cause is reported ...
    for value in PLANTED:  # ... masked, in the launcher's and the workers' lines
        assert value not in proc.stderr
        assert value not in proc.stdout
