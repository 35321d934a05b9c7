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
