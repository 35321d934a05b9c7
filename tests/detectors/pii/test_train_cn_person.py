"""Where the Chinese name stage loses a gold name (scripts/train_cn_person.py
--where-lost): found, lost to an overlapping span, scored below 0.5, vetoed
before scoring, or never a candidate."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer

from tests.support.scripts import load_script


@pytest.fixture(scope="module")
def script():
    return load_script("train_cn_person")


@pytest.fixture(scope="module")
def rec() -> CnPersonRecognizer:
    r = CnPersonRecognizer()
    r.load()
    return r


TEXT = "昨天下午，张志伟在会上介绍了新产品。"
NAME = (5, 8)  # 张志伟


@pytest.mark.parametrize(
    "pred, prob, bucket",
    [
        ([(5, 8)], {(5, 8): 0.9}, None),  # found
        ([(5, 7)], {(5, 8): 0.9}, None),  # 张志: 2 of 3 characters, score.py's rule
        ([(4, 6)], {(5, 8): 0.9}, ("lost to an overlapping span", "")),
        ([], {(5, 8): 0.4}, ("scored below 0.5", "p >= 0.3")),
        ([], {(5, 8): 0.1}, ("scored below 0.5", "p < 0.3")),
    ],
)
def test_scored_names(script, rec, pred, prob, bucket):
    assert script.loss_bucket(rec, rec._model, TEXT, NAME, pred, prob) == bucket


@pytest.mark.parametrize(
    "text, name, bucket",
    [
        # Unscored: the candidates are made again to tell a veto from no candidate.
        ("请将发票寄到海燕市", (6, 8), "vetoed before scoring"),  # 海燕 before 市
        ("主持人：兜兜", (4, 6), "never a candidate"),  # no surname
        ("执行制作人BenBell这样表示", (5, 12), "never a candidate"),
    ],
)
def test_unscored_names(script, rec, text, name, bucket):
    assert script.loss_bucket(rec, rec._model, text, name, [], {})[0] == bucket


def test_details_name_the_check_and_the_script(script, rec):
    lost = script.loss_bucket(rec, rec._model, "请将发票寄到海燕市", (6, 8), [], {})
    assert lost[1] == "a rule veto"
    lost = script.loss_bucket(
        rec, rec._model, "执行制作人BenBell这样表示", (5, 12), [], {}
    )
    assert lost[1] == "not Han"
    lost = script.loss_bucket(rec, rec._model, "主持人：兜兜", (4, 6), [], {})
    assert lost[1] == "no surname"


def _write_set(folder, sentences) -> None:
    """A labelled set in the traindata layout: corpus.jsonl and truth.jsonl, each
    sentence's names marked with 【】 (removed from the text)."""
    import json
    import re

    folder.mkdir(parents=True)
    with (
        open(folder / "corpus.jsonl", "w", encoding="utf-8") as corpus,
        open(folder / "truth.jsonl", "w", encoding="utf-8") as truth,
    ):
        for i, marked in enumerate(sentences):
            doc_id = f"{folder.name}-{i}"
            text = ""
            for m in re.finditer(r"【([^】]+)】|[^【]+", marked):
                if m.group(1):
                    start = len(text)
                    text += m.group(1)
                    span = {"doc_id": doc_id, "type": "PERSON", "start": start}
                    truth.write(json.dumps({**span, "end": len(text)}) + "\n")
                else:
                    text += m.group()
            corpus.write(json.dumps({"id": doc_id, "text": text}) + "\n")


def test_cross_validation_runs_end_to_end(script, tmp_path, monkeypatch, capsys):
    # The --folds path fits, predicts and scores each fold with the run-time
    # stage's own checks (it once called a method that had moved).
    names = "张伟 李娜 王强 刘洋 陈静 杨帆 赵磊 黄敏 周杰 吴昊".split()
    sentences = [
        f"记者【{a}】报道，{b}市的天气很好。" if i % 2 else f"【{a}】表示会议很顺利。"
        for i, (a, b) in enumerate(
            zip(names * 3, "上海 北京 广州".split() * 10, strict=False)
        )
    ]
    # Candidates that are no names: words that begin with a surname character.
    sentences += [
        "周末高明说他很高兴。",
        "这个王国的黄金很多。",
        "张开双手欢迎白云。",
    ] * 6
    _write_set(tmp_path / "train" / "cluener_zh_train", sentences)
    _write_set(tmp_path / "eval" / "dup" / "hotel_reviews_zh", ["房间很干净。"] * 4)
    monkeypatch.setattr(
        "sys.argv",
        [
            "train_cn_person.py",
            "--folds",
            "2",
            "--sets",
            "cluener_zh_train",
            "--held-out",
            "",
            "--traindata",
            str(tmp_path / "train"),
            "--evalsets",
            str(tmp_path / "eval"),
        ],
    )
    script.main()
    out = capsys.readouterr().out
    assert "2-fold CV (by document)" in out
