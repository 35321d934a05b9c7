"""A Chinese PERSON span that is a medicine's name, or inside one, is no person."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.pii.china.cn_person_recognizer import load_lines
from corpusgate.detectors.pii.name_routing import in_a_medicine_name
from presidio_analyzer import RecognizerResult


def at(text: str, span: str) -> RecognizerResult:
    s = text.index(span)
    return RecognizerResult("PERSON", s, s + len(span), 0.9)


@pytest.mark.parametrize(
    "text, span",
    [
        ("处方药为布洛芬，每日两次。", "布洛芬"),
        ("外用阿昔洛韦乳膏涂抹患处。", "阿昔"),  # a piece of a longer medicine
        ("医生开了盐酸多奈哌齐片。", "多奈"),
        ("她服用阿莫西林三天了。", "阿莫西林"),
        # herbs of a prescription, many of them opening with a surname
        ("中药二陈汤(半夏、茯苓、陈皮、甘草)并加入谷芽、神曲。", "谷芽"),
        ("方中杜仲、何首乌补肝肾。", "何首乌"),
        ("葛根汤加柴胡。", "柴胡"),
    ],
)
def test_a_medicine_is_no_person(text, span):
    assert in_a_medicine_name(text, at(text, span))


@pytest.mark.parametrize(
    "text, span",
    [
        ("主治医师张伟为其开具了布洛芬。", "张伟"),
        ("布洛芬由王丽华医生开具。", "王丽华"),
        ("陈皮皮医生开了陈皮。", "陈皮皮"),  # a name that opens with a herb's
    ],
)
def test_a_name_beside_a_medicine_stays(text, span):
    assert not in_a_medicine_name(text, at(text, span))


def test_the_detector_drops_them_in_both_scripts(detector):
    for text in (
        "医生开具的处方药为布洛芬，每日两次。",
        "醫生開具的處方藥為布洛芬，每日兩次。",
    ):
        persons = [
            text[f.start : f.end]
            for f in detector.scan(Record("d", "s", 0, text))
            if f.finding_type == "PERSON"
        ]
        assert "布洛芬" not in persons


def test_the_list_holds_distinct_words():
    words = load_lines("cn_medicines.txt")
    assert len(words) > 300 and len(set(words)) == len(words)
    assert all(2 <= len(w) <= 12 for w in words)


@pytest.mark.parametrize(
    "text",
    [
        "安卓的椒友一定都清楚,刚买来手机的时候。",
        "不是茱莉蔻,伊索那些大牌,感觉那些就是名气大。",
        "最早来中国合资办厂的是克莱斯勒,比大众还要早一年。",
        "酒店门口停着一部劳斯莱斯,看得出老板很有钱。",
        "买雾化器的话,欧姆龙,百瑞都不错。",
    ],
)
def test_a_brand_written_like_a_name_is_no_person(detector, text):
    found = [
        f
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= 0.5
    ]
    assert found == []


def test_the_brand_list_holds_distinct_words():
    words = load_lines("cn_brands.txt")
    assert len(words) > 150 and len(set(words)) == len(words)


def test_the_japanese_surname_list_holds_distinct_surnames():
    words = load_lines("ja_surnames.txt")
    assert len(words) > 100 and len(set(words)) == len(words)
    assert all(2 <= len(w) <= 3 for w in words)
