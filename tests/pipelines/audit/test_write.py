"""Committing and replacing audits on the filesystem (no runner)."""

import json

from corpusgate.pipelines.audit.write import (
    PREVIOUS_PREFIX,
    drop_previous,
    recover_set_aside,
    restore_previous,
    set_aside_previous,
)


def finished_audit(out, run_id="old", extra=()):
    """A finished audit's files: run.json listing two table files."""
    files = ["findings/part-00000-of-00001.parquet", "documents/part-00000.parquet"]
    for f in [*files, *extra]:
        path = out / f
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"{run_id}:{f}".encode())
    manifest = {"run_id": run_id, "files": [{"path": f} for f in files]}
    (out / "run.json").write_text(json.dumps(manifest))
    return files


def snapshot(out):
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def test_set_aside_moves_the_audit_and_leaves_foreign_files(tmp_path):
    out = tmp_path / "out"
    finished_audit(out, extra=["findings/notes.txt"])
    aside = set_aside_previous(str(out), "new")
    assert aside == str(out / f"{PREVIOUS_PREFIX}new")
    assert not (out / "run.json").exists()  # OUT no longer looks finished
    assert not (out / "documents").exists()  # emptied table directory removed
    assert (out / "findings" / "notes.txt").exists()  # not the audit's
    assert (out / f"{PREVIOUS_PREFIX}new" / "run.json").exists()


def test_restore_puts_everything_back(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    before = snapshot(out)
    aside = set_aside_previous(str(out), "new")
    restore_previous(aside, str(out))
    assert snapshot(out) == before


def test_drop_after_success(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    aside = set_aside_previous(str(out), "new")
    finished_audit(out, run_id="new")  # the new run committed
    drop_previous(aside)
    assert json.loads((out / "run.json").read_text())["run_id"] == "new"
    assert not list(out.glob(f"{PREVIOUS_PREFIX}*"))


def test_nothing_to_set_aside_without_a_finished_audit(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    assert set_aside_previous(str(out), "new") is None


def test_a_killed_run_s_set_aside_audit_is_recovered(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    before = snapshot(out)
    set_aside_previous(str(out), "killed")  # ... and the run died here
    assert recover_set_aside(str(out)) == [str(out / f"{PREVIOUS_PREFIX}killed")]
    assert snapshot(out) == before


def test_a_set_aside_audit_older_than_the_finished_one_is_deleted(tmp_path):
    out = tmp_path / "out"
    finished_audit(out)
    set_aside_previous(str(out), "r2")
    finished_audit(out, run_id="r2")  # r2 committed, but died before dropping
    recover_set_aside(str(out))
    assert json.loads((out / "run.json").read_text())["run_id"] == "r2"
    assert not list(out.glob(f"{PREVIOUS_PREFIX}*"))
