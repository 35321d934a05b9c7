"""The Chinese PERSON recognizer's last step: the words around a chosen span."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer


@pytest.fixture(scope="module")
def rec() -> CnPersonRecognizer:
    r = CnPersonRecognizer()
    r.load()
    return r


def settled(rec: CnPersonRecognizer, text: str, word: str, anchored=()) -> list[str]:
    """What `settle` makes of `word` (its first occurrence) chosen in `text`."""
    s = text.index(word)
    spans = rec.settle(text, [((s, s + len(word)), 0.8)], set(anchored))
    return [text[a:b] for (a, b), _ in spans]


def names(rec: CnPersonRecognizer, text: str) -> list[str]:
    return [
        text[r.start : r.end] for r in rec.analyze(text, ["PERSON"]) if r.score >= 0.5
    ]


@pytest.mark.parametrize(
    "text, word",
    [
        ("我们沿着汉森瀑布一路向北。", "汉森"),  # a waterfall
        ("法兰克山脉横贯全境。", "法兰克"),  # a mountain range
        ("他在温莎大学任教多年。", "温莎"),  # a university
        ("曼斯菲尔德队昨晚获胜。", "曼斯菲尔德"),  # a team
        ("本届罗兰公开赛冠军是谁", "罗兰"),  # a tournament
        ("她摘了一把薰衣草。", "薰衣"),  # a plant
    ],
)
def test_a_place_organisation_or_event_word_after_a_span_makes_it_no_person(
    rec, text, word
):
    assert settled(rec, text, word) == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("中锋易建联队友都很支持他。", "易建联"),  # 队友 is one word, not 队
        ("昨天王建国大学毕业后回到家乡。", "王建国"),  # 大学毕业 is one word
        ("张志伟号称无所不知。", "张志伟"),  # 号称, not 号
        ("李明杰草拟了一份合同。", "李明杰"),  # 草拟, not 草
    ],
)
def test_names_before_longer_words_stay(rec, text, word):
    assert settled(rec, text, word) == [word]


def test_a_label_outweighs_the_word_after(rec):
    text = "我们沿着汉森瀑布一路向北。"
    s = text.index("汉森")
    assert settled(rec, text, "汉森", anchored=[(s, s + 2)]) == ["汉森"]


@pytest.mark.parametrize(
    "text, word, whole",
    [
        # Cut before the rest of a transliteration: reported whole.
        ("他出席了彭德格斯特的葬礼。", "彭德", "彭德格斯特"),
        ("主教练马尔科维奇是乌克兰人。", "马尔科", "马尔科维奇"),
        # Cut after its start, holding an ordinary word (回应): not at all.
        ("主帅卡洛斯回应说，球队很努力。", "斯回应", None),
    ],
)
def test_a_span_cut_inside_a_transliteration_is_whole_or_nothing(
    rec, text, word, whole
):
    assert settled(rec, text, word) == ([whole] if whole else [])


@pytest.mark.parametrize(
    "text, word",
    [
        ("她很爱艾米的画。", "艾米"),  # 爱 is a verb, no piece of the name
        ("李安德国之行很顺利。", "李安"),  # 德国 is a word of its own
        ("球队由贝克汉姆带领。", "贝克汉姆"),  # 带领: no transliteration after it
    ],
)
def test_a_transliteration_next_to_ordinary_words_stays(rec, text, word):
    assert settled(rec, text, word) == [word]


def test_a_grown_span_replaces_its_pieces(rec):
    text = "他出席了彭德格斯特的葬礼。"
    a, b = text.index("彭德"), text.index("格斯特")
    out = rec.settle(text, [((a, a + 2), 0.8), ((b, b + 3), 0.6)], set())
    assert [text[s:e] for (s, e), _ in out] == ["彭德格斯特"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("张志伟号称无所不知。", "张志伟"),
        ("主教练马尔科维奇是乌克兰人。", "马尔科维奇"),
        ("他的妻子艾米丽说，这是真的。", "艾米丽"),
        ("我们必先想到马龙，他的演出充满活力。", "马龙"),
        ("他出席了彭德格斯特的葬礼。", "彭德格斯特"),
    ],
)
def test_names_found_end_to_end(rec, text, name):
    assert name in names(rec, text)


def test_rules_only_settle_too():
    r = CnPersonRecognizer(use_model=False)
    r.load()
    # The rules alone read 孔雅琴 as a name (0.95) before the word after it.
    text = "游客都去孔雅琴瀑布。"
    assert r.rule_spans(text)[(4, 7)] >= 0.5
    assert "孔雅琴" not in names(r, text)


@pytest.mark.parametrize(
    "text, word",
    [
        ("救援队在下午三时许载送伤者下山。", "许载"),  # 许: about (three o'clock)
        ("由于吴妻先前离家，邻居没有察觉。", "吴妻"),  # a surname and a kin word
        ("节目每段介绍两则新闻。", "段介绍"),  # a measure word after 每
        ("他取道哥尼斯堡回国。", "哥尼斯堡"),  # a burg
        ("莫利纳是西班牙的城市，位于东部。", "莫利纳"),  # defined as a city
        ("塔拉卡受地中海气候影响，夏季干燥。", "塔拉卡"),  # ... by its climate
    ],
)
def test_slots_that_hold_no_person(rec, text, word):
    assert settled(rec, text, word) == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("许志强是这座城市的骄傲。", "许志强"),  # 许 after no time; 骄傲 ends it
        ("万一章子梅当了老师呢。", "章子梅"),  # 万一 is a word, not a numeral
        ("王母娘娘的故事", "王母娘娘"),  # longer than surname + kin
        ("李明是一位来自小城市的医生。", "李明"),  # the clause ends with 医生
        ("陈一段时间后回来了。", "陈一"),  # 段 is not the span's first character
    ],
)
def test_names_next_to_those_slots_stay(rec, text, word):
    assert settled(rec, text, word) == [word]


def test_a_camp_is_a_place(rec):
    assert settled(rec, "部队前往王庄营驻扎。", "王庄") == []
    assert settled(rec, "张建国营长下令出发", "张建国") == ["张建国"]  # 营长
