"""`sample` (stratified, reproducible, masked) and `review` (validated verdicts)."""

import json
import os

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from corpusgate.pipelines import cli
from corpusgate.pipelines.outputs import open_audit  # noqa: E402
from corpusgate.pipelines.release import gate, review, sample  # noqa: E402
from corpusgate.pipelines.release.policy import load_policy  # noqa: E402

from tests.support.audit_factory import doc, finding, source_row, write_audit  # noqa: E402
from tests.support.sample_csv import read_sample, write_verdicts  # noqa: E402

PHONE = "13812345678"


@pytest.fixture
def audit_root(tmp_path):
    """Two sources: a.jsonl with 30 records (record 0 drop), b.jsonl with 10."""
    docs, findings, sources = [], [], []
    for name, n in (("a.jsonl", 30), ("b.jsonl", 10)):
        path = tmp_path / "in" / name
        path.parent.mkdir(exist_ok=True)
        lines = [
            json.dumps({"id": f"{name}-{i}", "text": f"记录 {i} 电话 {PHONE} 年龄 7"})
            for i in range(n)
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        for i in range(n):
            decision = "drop" if (name, i) == ("a.jsonl", 0) else "redact"
            docs.append(doc(str(path), i, decision=decision, doc_id=f"{name}-{i}"))
            start = len(f"记录 {i} 电话 ")
            findings.append(
                finding(
                    str(path), i, "pii", "CN_MOBILE_PHONE", "medium", start, start + 11
                )
            )
        sources.append(source_row(str(path), n))
    return write_audit(tmp_path / "out", docs, findings, sources)


# --- sampling ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sizes, total, expected",
    [
        ({"a": 30, "b": 10}, 8, {"a": 6, "b": 2}),
        ({"a": 5, "b": 5, "c": 5}, 4, {"a": 2, "b": 1, "c": 1}),  # remainder by name
        ({"a": 3, "b": 1}, 10, {"a": 3, "b": 1}),  # everything
        ({"a": 1000, "b": 1}, 10, {"a": 10, "b": 0}),
    ],
)
def test_allocate(sizes, total, expected):
    assert sample.allocate(sizes, total) == expected


def sample_args(out, size, seed, max_chars):
    return [
        "sample",
        out,
        "--size",
        str(size),
        "--seed",
        str(seed),
        "--max-chars",
        str(max_chars),
    ]


def verdicts_file(audit_root):
    return audit_root / "review" / "verdicts.parquet"


def test_draw_is_reproducible_and_seed_dependent():
    strata = {"a": list(range(500)), "b": list(range(100))}
    first = sample.draw(strata, 60, seed=1)
    assert first == sample.draw(strata, 60, seed=1)
    assert first != sample.draw(strata, 60, seed=2)
    assert sum(1 for s, _ in first if s == "a") == 50
    assert len(set(first)) == 60


def test_build_sample_masks_and_excludes_dropped(audit_root):
    rows = sample.build_sample(open_audit(audit_root), size=8, seed=3)
    assert len(rows) == 8
    strata = [os.path.basename(r["stratum"]) for r in rows]
    assert strata.count("a.jsonl") == 6 and strata.count("b.jsonl") == 2
    assert "a.jsonl-0" not in {r["doc_id"] for r in rows}  # dropped
    for r in rows:
        assert PHONE not in r["text"]
        assert "[CN_MOBILE_PHONE]" in r["text"]
        assert r["text"].endswith("年龄 7")  # short numbers stay readable
        assert r["verdict"] is None
    assert [r["sample_index"] for r in rows] == list(range(8))


def test_fallback_masking_of_text_no_detector_flagged():
    masked = sample.mask_for_review(
        "call 138-1234-5678 or mail li.na@corp.cn, "
        "key AKIAABCDEFGHIJKLMNOPQRST, 3 cats",
        [],
    )
    assert "1234" not in masked and "li.na" not in masked and "AKIA" not in masked
    assert masked.endswith("3 cats")


def test_sample_command_is_reproducible(audit_root, capsys):
    args = sample_args(str(audit_root), size=8, seed=5, max_chars=5000)
    assert cli.main(args) == 0
    first = pq.read_table(audit_root / "sample" / "sample.parquet")
    assert cli.main(args) == 0
    assert pq.read_table(audit_root / "sample" / "sample.parquet").equals(first)
    rows = read_sample(audit_root)
    assert [r["doc_id"] for r in rows] == first["doc_id"].to_pylist()
    meta = json.loads((audit_root / "sample" / "sample.json").read_text())
    assert meta["seed"] == 5 and meta["size"] == 8


def test_sample_usage_errors(tmp_path, audit_root, capsys):
    args = sample_args(str(tmp_path / "nope"), size=8, seed=0, max_chars=0)
    assert cli.main(args) == 2
    args = sample_args(str(audit_root), size=0, seed=0, max_chars=0)
    assert cli.main(args) == 2
    assert "--size 0" in capsys.readouterr().err


# --- review --------------------------------------------------------------------------


def drawn(audit_root, size=8):
    args = sample_args(str(audit_root), size=size, seed=0, max_chars=0)
    assert cli.main(args) == 0
    return read_sample(audit_root)


def review_args(root, path):
    return ["review", str(root), "--verdicts", str(path)]


def test_filled_in_sample_csv_is_accepted(audit_root, tmp_path, capsys):
    rows = drawn(audit_root)
    for i, r in enumerate(rows):
        r["verdict"] = "FAIL" if i == 0 else "pass" if i < 6 else ""  # 2 not reviewed
        r["reviewer"] = "rev-1"
    path = write_verdicts(tmp_path / "verdicts.csv", rows)
    assert cli.main(review_args(audit_root, path)) == 0
    assert "6 verdicts stored" in capsys.readouterr().out
    stored = pq.read_table(verdicts_file(audit_root)).to_pylist()
    assert sorted(v["verdict"] for v in stored) == ["fail"] + ["pass"] * 5
    assert {v["reviewer"] for v in stored} == {"rev-1"}
    # gate uses them: 5/6 pass, so with min_reviewed 6 and 96% required it fails
    policy = tmp_path / "p.toml"
    policy.write_text("[rules.manual_check]\nmin_reviewed = 6\n")
    result = gate.evaluate(open_audit(audit_root), load_policy(policy))
    (manual,) = [r for r in result.rules if r.rule_id == "manual_check"]
    assert (manual.n, manual.k, manual.result) == (6, 1, "fail")


def test_batches_merge_and_later_verdict_wins(audit_root, tmp_path):
    rows = drawn(audit_root)
    first = [{"doc_id": r["doc_id"], "verdict": "fail"} for r in rows[:4]]
    second = [{"doc_id": r["doc_id"], "verdict": "pass"} for r in rows[2:]]
    assert (
        cli.main(review_args(audit_root, write_verdicts(tmp_path / "1.csv", first)))
        == 0
    )
    assert (
        cli.main(review_args(audit_root, write_verdicts(tmp_path / "2.csv", second)))
        == 0
    )
    verdicts = review.load_verdicts(open_audit(audit_root))
    assert sorted(verdicts) == ["fail", "fail"] + ["pass"] * 6


@pytest.mark.parametrize(
    "bad, where, words",
    [
        ({"doc_id": "not-sampled", "verdict": "pass"}, "line 3", "not in the sample"),
        ({"doc_id": None, "verdict": "maybe"}, "line 3", "'maybe' is not pass or fail"),
        (
            {"doc_id": None, "verdict": "pass"},
            "line 3",
            "already has a verdict at line 2",
        ),
        ({"doc_id": "", "verdict": "pass"}, "line 3", "empty doc_id"),
    ],
)
def test_bad_verdict_rows_name_the_row(audit_root, tmp_path, capsys, bad, where, words):
    rows = drawn(audit_root)
    good = {
        "doc_id": rows[0]["doc_id"],
        "verdict": "pass",
        "reason": "",
        "reviewer": "r",
    }
    bad = {**good, **{k: v for k, v in bad.items() if v is not None}}
    path = write_verdicts(tmp_path / "v.csv", [good, bad])
    assert cli.main(review_args(audit_root, path)) == 2
    err = capsys.readouterr().err.strip()
    assert f"{path}: {where}: " in err and words in err and "\n" not in err
    assert not verdicts_file(audit_root).exists()


def test_parquet_verdicts_and_row_numbers(audit_root, tmp_path, capsys):
    rows = drawn(audit_root)
    ids = [r["doc_id"] for r in rows[:3]]
    path = tmp_path / "v.parquet"
    pq.write_table(pa.table({"doc_id": ids, "verdict": ["pass", "pass", "nope"]}), path)
    assert cli.main(review_args(audit_root, path)) == 2
    assert "row 3: verdict 'nope'" in capsys.readouterr().err
    pq.write_table(pa.table({"doc_id": ids, "verdict": ["pass"] * 3}), path)
    assert cli.main(review_args(audit_root, path)) == 0


@pytest.mark.parametrize(
    "content, words",
    [
        ("doc_id,reason\nx,y\n", "missing column 'verdict'"),
        (None, "no such verdicts file"),
    ],
)
def test_bad_verdict_files(audit_root, tmp_path, capsys, content, words):
    drawn(audit_root)
    path = tmp_path / "v.csv"
    if content is not None:
        path.write_text(content)
    assert cli.main(review_args(audit_root, path)) == 2
    assert words in capsys.readouterr().err


def test_review_needs_a_sample_and_resample_needs_force(audit_root, tmp_path, capsys):
    path = write_verdicts(
        tmp_path / "v.csv", [{"doc_id": "a.jsonl-1", "verdict": "pass"}]
    )
    assert cli.main(review_args(audit_root, path)) == 2
    assert "run `corpusgate sample` first" in capsys.readouterr().err
    rows = drawn(audit_root)
    path = write_verdicts(
        tmp_path / "v.csv", [{"doc_id": rows[0]["doc_id"], "verdict": "pass"}]
    )
    assert cli.main(review_args(audit_root, path)) == 0
    args = sample_args(str(audit_root), size=8, seed=1, max_chars=0)
    assert cli.main(args) == 2
    assert "--force" in capsys.readouterr().err
    assert cli.main([*args, "--force"]) == 0
    assert not verdicts_file(audit_root).exists()
