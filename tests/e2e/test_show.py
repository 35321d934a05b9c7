"""`corpusgate show OUT DOC_ID`: a record with its findings, masked unless --raw (CLI in,
stdout and exit codes out)."""

import json

from corpusgate.pipelines import cli

SECRET = "Zq8!mNp4Lw"


def test_show_masked_raw_and_without_inputs(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    rows = [
        {"id": "clean", "text": "a quiet room"},
        {"id": "leak", "text": f'deploy with password = "{SECRET}" today'},
    ]
    (d / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    argv = ["audit", str(d), "--out", str(out), "--detectors", "secrets", "-q"]
    assert cli.main(argv) == 0
    capsys.readouterr()

    assert cli.main(["show", str(out), "leak"]) == 0
    shown = capsys.readouterr().out
    assert "SECRET_PASSWORD_ASSIGNMENT" in shown and "decision" in shown
    assert SECRET not in shown and "[SECRET_PASSWORD_ASSIGNMENT]" in shown

    assert cli.main(["show", str(out), "leak", "--raw"]) == 0
    assert f"⟦{SECRET}⟧[SECRET_PASSWORD_ASSIGNMENT]" in capsys.readouterr().out

    assert cli.main(["show", str(out), "nope"]) == 2
    assert "no such document" in capsys.readouterr().err

    (d / "a.jsonl").rename(tmp_path / "moved.jsonl")
    assert cli.main(["show", str(out), "leak"]) == 0
    shown = capsys.readouterr().out
    assert "SECRET_PASSWORD_ASSIGNMENT" in shown and "text not shown" in shown
    assert cli.main(["show", str(out), "leak", "--raw"]) == 2
    assert "missing" in capsys.readouterr().err
