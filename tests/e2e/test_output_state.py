"""A re-audit into an output sets the previous run's release files aside, and every
command that meets another run's state says so and names the fix (CLI in, files and
exit codes out)."""

import json
import shutil

from corpusgate.pipelines import cli

from tests.support.sample_csv import read_sample, write_verdicts

RECORDS = [
    {"id": f"r{i}", "text": f"review number {i}: clean and quiet"} for i in range(12)
]


def audit(inputs, out, *extra):
    argv = ["audit", str(inputs), "--out", str(out), "--detectors", "secrets", "-q"]
    return cli.main([*argv, *map(str, extra)])


def review_all(out, tmp_path):
    rows = read_sample(out)
    for r in rows:
        r["verdict"] = "pass"
    verdicts = write_verdicts(tmp_path / "verdicts.csv", rows)
    return cli.main(["review", str(out), "--verdicts", str(verdicts)])


def release_files(out, tmp_path):
    assert cli.main(["gate", str(out)]) in (0, 1)
    assert cli.main(["sample", str(out), "--size", "5", "--seed", "1"]) == 0
    assert review_all(out, tmp_path) == 0
    assert cli.main(["report", str(out)]) == 0


def test_reaudit_archives_then_discards_release_files(
    tmp_path, write_jsonl, capsys, caplog
):
    (tmp_path / "in").mkdir()
    inputs = write_jsonl(tmp_path / "in" / "a.jsonl", RECORDS)
    out = tmp_path / "out"
    assert audit(inputs, out, "--run-id", "first") == 0
    release_files(out, tmp_path)
    capsys.readouterr()

    caplog.clear()
    assert audit(inputs, out, "--overwrite", "--run-id", "second") == 0
    assert "previous run first" in caplog.text and "archive" in caplog.text
    archive = out / "archive" / "first"
    for name in ("gate.json", "gate", "report.html", "sample", "review"):
        assert (archive / name).exists(), name
        assert not (out / name).exists(), name
    assert json.loads((archive / "gate.json").read_text())["run_id"] == "first"
    # The new run starts clean: gate and report work, no "verdicts of run X".
    assert cli.main(["gate", str(out)]) in (0, 1)
    assert cli.main(["report", str(out)]) == 0
    assert cli.main(["sample", str(out), "--size", "5", "--seed", "1"]) == 0
    assert review_all(out, tmp_path) == 0

    caplog.clear()
    argv = ["--overwrite", "--run-id", "third", "--discard-post-audit"]
    assert audit(inputs, out, *argv) == 0
    assert "previous run second" in caplog.text and "deleted" in caplog.text
    assert not (out / "archive" / "second").exists()
    assert not (out / "sample").exists() and not (out / "review").exists()
    assert (archive / "sample").exists()  # earlier archives are left alone


def test_state_of_another_run_is_named_with_its_fix(tmp_path, write_jsonl, capsys):
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", RECORDS)
    out = tmp_path / "out"
    assert audit(tmp_path / "in", out, "--run-id", "first") == 0
    assert cli.main(["sample", str(out), "--size", "5", "--seed", "1"]) == 0
    assert review_all(out, tmp_path) == 0
    kept = tmp_path / "kept"
    shutil.copytree(out / "sample", kept / "sample")
    shutil.copytree(out / "review", kept / "review")
    assert audit(tmp_path / "in", out, "--overwrite", "--run-id", "second") == 0
    # Files of run `first` put back by hand, as an older corpusgate left them.
    shutil.copytree(kept / "review", out / "review")
    capsys.readouterr()
    for command in (["gate", str(out)], ["report", str(out)]):
        assert cli.main(command) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1
        assert "verdicts belong to run first" in err and "run second" in err
        assert f"corpusgate sample {out} --force" in err
    shutil.rmtree(out / "review")
    shutil.copytree(kept / "sample", out / "sample")
    assert review_all(out, tmp_path) == 2
    err = capsys.readouterr().err
    assert "sample was drawn from run first" in err and "--force" in err
