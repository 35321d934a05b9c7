"""No leaks: identifiers and secrets planted in a corpus never appear in any file the
audit and the post-audit commands write, nor in any line they log — masked forms only.
(The release corpus written by `apply` is checked for the planted values too: every
one of them sits in a record that must be redacted.)"""

import json
import subprocess
import sys

import pyarrow.parquet as pq

PLANTED = {
    "resident_id": "11010519491231002X",
    "mobile": "13812345678",
    "email": "li.lei.private@example.com",
    "bank_card": "6212345678901232",
    "aws_key": "AKIAQ3EGRTNS7PL4XW2M",  # made up (the documented EXAMPLE key is info)
    "github_token": "ghp_" + "Zx9Qw8Er7Ty6" * 3,  # 36 characters after ghp_
    "password": "Tr0ub4dor&3xQ",
}

RECORDS = [
    {
        "id": "p1",
        "text": f"客户身份证号{PLANTED['resident_id']}，手机{PLANTED['mobile']}，请核实。",
    },
    {"id": "p2", "text": f"Contact me at {PLANTED['email']} about the refund."},
    {"id": "p3", "text": f"工资卡卡号：{PLANTED['bank_card']}，开户行北京分行。"},
    {"id": "p4", "text": f"deploy with aws_access_key_id={PLANTED['aws_key']} today"},
    {
        "id": "p5",
        "text": f'token {PLANTED["github_token"]} and password = "{PLANTED["password"]}"',
    },
    {"id": "clean", "text": "这家酒店的服务很好，早餐也不错。"},
]


def run(*argv: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "corpusgate.pipelines.cli", *argv, "-vv"]
        if argv[0] == "audit"
        else [sys.executable, "-m", "corpusgate.pipelines.cli", *argv],
        capture_output=True,
        text=True,
        timeout=600,
    )
    return proc


def test_no_planted_value_in_any_output_or_log(tmp_path):
    corpus = tmp_path / "in" / "corpus.jsonl"
    corpus.parent.mkdir()
    lines = [json.dumps(r, ensure_ascii=False) for r in RECORDS]
    # A broken line holding identifiers: its dead-letter excerpt must be masked too.
    lines.append(
        '{"id": "broken", "text": "身份证 '
        + PLANTED["resident_id"]
        + " 手机 "
        + PLANTED["mobile"]
        + " "
        + PLANTED["aws_key"]
    )
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out, dest = tmp_path / "out", tmp_path / "release"

    logs = []
    proc = run(
        "audit",
        str(corpus),
        "--out",
        str(out),
        "--detectors",
        "pii,secrets,exact_duplicate",
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    logs.append(proc.stdout + proc.stderr)
    for argv, ok in (
        (["gate", str(out)], {0, 1}),
        (["sample", str(out), "--size", "10", "--seed", "1"], {0}),
        (["report", str(out)], {0}),
        (["apply", str(out), "--dest", str(dest)], {0}),
    ):
        proc = run(*argv)
        assert proc.returncode in ok, (argv, proc.stderr[-2000:])
        logs.append(proc.stdout + proc.stderr)

    written = [p for p in (*out.rglob("*"), *dest.rglob("*")) if p.is_file()]
    assert any(p.suffix == ".parquet" for p in written)
    assert (out / "report.html").exists()
    leaks = []
    for path in written:
        data = path.read_bytes()
        for name, value in PLANTED.items():
            if value.encode() in data:
                leaks.append(f"{name} in {path.relative_to(tmp_path)}")
    for i, text in enumerate(logs):
        for name, value in PLANTED.items():
            if value in text:
                leaks.append(f"{name} in the output of command {i}")
    assert not leaks, leaks
    # The detectors did find every planted value, so the check above is meaningful.
    findings = pq.read_table(out / "findings").to_pylist()
    value_types = {
        "CN_RESIDENT_ID",
        "CN_MOBILE_PHONE",
        "EMAIL_ADDRESS",
        "CN_BANK_CARD",
        "SECRET_AWS_ACCESS_KEY",
        "SECRET_GITHUB_TOKEN",
        "SECRET_PASSWORD_ASSIGNMENT",
    }
    assert {f["finding_type"] for f in findings} >= value_types
    assert all(f["value_hash"] for f in findings if f["finding_type"] in value_types)
