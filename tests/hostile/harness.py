"""What every hostile case asserts: the exit code, counts that reconcile, no planted
raw value in any file written or line logged, and nothing written outside the places
the command may write (--out, apply's --dest)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from corpusgate.pipelines import cli

# Values the secrets detector finds (so apply must redact them) and identifiers that
# only masking protects (dead-letter excerpts, logs).
SECRETS = {
    "aws_key": "AKIAQ3EGRTNS7PL4XW2M",
    "github_token": "ghp_" + "Zx9Qw8Er7Ty6" * 3,
}
IDENTIFIERS = {
    "resident_id": "11010519491231002X",
    "bank_card": "6212345678901232",
    "email": "li.lei.private@example.com",
    "cn_name": "欧阳娜娜",
    "en_name": "Bartholomew Quisling",
}
PLANTED = {**SECRETS, **IDENTIFIERS}
DETECTORS = ("--detectors", "secrets,exact_duplicate")


def secret_record(i: int) -> dict:
    return {
        "id": f"s{i}",
        "text": f"deploy with aws_access_key_id={SECRETS['aws_key']} and token "
        f"{SECRETS['github_token']} today ({i})",
    }


def clean_record(i: int) -> dict:
    return {"id": f"c{i}", "text": f"an ordinary sentence about hotels, number {i}"}


def write_jsonl(path: Path, records: list) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "".join(
            (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
            for r in records
        ),
        encoding="utf-8",
    )
    return path


@dataclass
class Result:
    code: int
    output: str  # stdout + stderr + every log line


def run(capsys, caplog, *argv) -> Result:
    """The CLI in this process; its stdout, stderr and log records captured."""
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    code = cli.main([str(a) for a in argv])
    captured = capsys.readouterr()
    return Result(code, captured.out + captured.err + caplog.text)


def audit(capsys, caplog, inputs, out, *extra) -> Result:
    return run(capsys, caplog, "audit", *inputs, "--out", out, *DETECTORS, *extra)


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def assert_no_leak(written: set[Path], *outputs: str) -> None:
    leaks = []
    for path in written:
        data = path.read_bytes()
        leaks += [f"{n} in {path}" for n, v in PLANTED.items() if v.encode() in data]
    for i, text in enumerate(outputs):
        leaks += [f"{n} in output {i}" for n, v in PLANTED.items() if v in text]
    assert not leaks, leaks


def assert_written_only_in(before: set[Path], root: Path, *allowed: Path) -> set[Path]:
    """Files new under root since `before` all sit in an allowed directory; returns
    them."""
    new = files_under(root) - before
    outside = [p for p in new if not any(a in p.parents for a in allowed)]
    assert not outside, outside
    return new


def assert_reconciled(out: Path, records: int) -> dict:
    counts = json.loads((out / "run.json").read_text())["counts"]
    assert counts["records_read"] == records
    assert counts["records_read"] == counts["scanned"] + counts["dead_lettered"]
    return counts
