"""A Latin-script name right after a Chinese role or announcing word is a PERSON."""

from __future__ import annotations

import pytest
from corpusgate.detectors.base import Record
from corpusgate.detectors.pii.name_routing import (
    ROLE_LATIN_SCORE,
    RUN_TOGETHER_SCORE,
    role_latin_names,
    run_together_latin_names,
)


def names(text: str, lang: str = "zh-Hans") -> list[str]:
    found = role_latin_names(text, lang)
    assert all(r.score == ROLE_LATIN_SCORE for r in found)
    return [text[r.start : r.end] for r in found]


@pytest.mark.parametrize(
    "text, expected",
    [
        # A role, a job title, a record's label, with or without a colon.
        ("项目负责人Erik在论坛回应了玩家。", ["Erik"]),
        ("该片的设计师Anderson随后离职。", ["Anderson"]),
        ("执行副总裁Frank Pearce在纽约接受采访。", ["Frank Pearce"]),
        ("联系人：John Lee，请尽快回复。", ["John Lee"]),
        # Traditional Chinese is read through its simplified form.
        ("專案負責人Erik在論壇回應。", ["Erik"]),
    ],
)
def test_a_latin_name_after_a_role_is_a_person(text, expected):
    lang = "zh-Hant" if "專" in text else "zh-Hans"
    assert names(text, lang) == expected


@pytest.mark.parametrize(
    "text",
    [
        # No role or label right before it.
        "昨天Riddick发现了线索。",
        # Acronyms and lower-case user names, which web labels announce.
        "作者：admin 发表于三月。",
        "联系人QQ 12345678",
        "编辑DWORD值的数据。",
        # An ordinary English word after a label.
        "个性签名:Be as simple as you can be",
        # A team, a firm: the next word names an organisation.
        "队长Phoenix公司今天宣布裁员。",
        # Part of a longer token: a URL, an address.
        "负责人Erik.Smith@example.com",
    ],
)
def test_no_person_without_a_role_or_with_a_non_name_shape(text):
    assert names(text) == []


def test_only_chinese_documents():
    assert role_latin_names("项目负责人Erik在论坛回应。", "ja") == []
    assert role_latin_names("Project lead Erik replied.", "en") == []


def test_the_detector_reports_them(detector):
    from corpusgate.detectors.base import Record

    text = "瑞典主帅Svensson表示，球队已经尽力了。"
    found = [
        (text[f.start : f.end], f.score)
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON"
    ]
    assert found == [("Svensson", ROLE_LATIN_SCORE)]


def persons(detector, text: str, threshold: float = 0.5) -> list[str]:
    """The PERSON spans the detector reports in `text` at `threshold` or above."""
    return [
        text[f.start : f.end]
        for f in detector.scan(Record("d", "s", 0, text))
        if f.finding_type == "PERSON" and f.score >= threshold
    ]


@pytest.mark.parametrize(
    "text, glosses",
    [
        # a transliteration's or a romanisation's original, run together or not
        ("主教练博瓦德（henrikbogvad）最终确认", ["henrikbogvad"]),
        ("高盛宣布马克•史华兹（MarkSchwartz）将重返", ["MarkSchwartz"]),
        ("主教练张伟 (Zhang Wei) 表示", ["Zhang Wei"]),
        # a link's word, a word the name lists do not know (a brand named after
        # someone, a land): the Chinese stage's reading is not repeated
        ("演员甄子丹（blog）说", []),
        ("品牌伊索 (Aesop) 在天然植物护肤", []),
        ("伊朗及安勒尼蘭（Aniran）。", []),
    ],
)
def test_the_latin_gloss_of_a_chinese_name(detector, text, glosses):
    assert [g for g in persons(detector, text) if g.isascii()] == glosses


@pytest.mark.parametrize(
    "text, name",
    [
        ("根据李雅普诺夫第二方法，对其稳定问题进行了研究。", "李雅普诺夫"),
        ("根据短时傅里叶变换计算滤波信号的包络。", "傅里叶"),
        ("按照克鲁斯卡尔算法构造最小生成树。", "克鲁斯卡尔"),
        ("基于拉格朗日乘数法求解约束优化问题。", "拉格朗日"),
        ("假设误差服从高斯分布。", "高斯"),
    ],
)
def test_a_chinese_eponym_is_no_person(detector, text, name):
    assert name not in persons(detector, text, threshold=0.0)


def test_a_name_before_an_ordinary_noun_stays(detector):
    text = "数学家傅里叶出生于法国，他的老师是拉格朗日。"
    assert "傅里叶" in persons(detector, text)


@pytest.mark.parametrize(
    "text, name",
    [
        # a full stop or a fullwidth dot written for the middle dot
        ("美国专家詹姆斯.库克指出,各种电器都会释放电磁波。", "詹姆斯.库克"),
        ("美國名將塞雷娜．威廉姆斯（小威廉姆斯）獲得冠軍。", "塞雷娜．威廉姆斯"),
        # a Chinese author before a citation's full stop stays alone
        ("参考文献: [1]张志强.内蒙古科技与经济.2005 (7).", "张志强"),
    ],
)
def test_a_dot_written_for_the_middle_dot(detector, text, name):
    assert name in persons(detector, text)


@pytest.mark.parametrize(
    "text, expected",
    [
        # A given name and a surname run together, next to Chinese text.
        ("新晋奶爸DaveBurton为了照顾新生儿辞职。", ["DaveBurton"]),
        ("卫星产业领军人物GregWyler给出了答案。", ["GregWyler"]),
        ("创始之初是由年轻的 AdeleCasagrande 开始经营。", ["AdeleCasagrande"]),
        # A surname that is an English word too, when it is a name (Morris).
        ("《模拟人生3》执行制作人ChrisMorris表示。", ["ChrisMorris"]),
        # Three parts; Mc opens a part.
        ("赛车手ColinMcRae的纪念版发布。", ["ColinMcRae"]),
        ("主演是KelseyGrammer和TriciaHelfer。", ["KelseyGrammer", "TriciaHelfer"]),
        # Compounds of words, a part with no vowel, an ordinary word after a given
        # name, a repeated part: no names.
        ("SpringBoot系列教程第三篇。", []),
        ("什么是SpringMvc框架？", []),
        ("敢死队KingBack获得冠军。", []),
        ("漫威的MarvelUniverse系列。", []),
        ("小伙伴们排队和她PiaPiaPia。", []),
        # Part of a longer token, or not next to Chinese text.
        ("访问 www.DaveBurton.com 了解。", []),
        ("作者 @DaveBurton 发布于", []),
        ("他说 hello DaveBurton and friends 再见", []),
    ],
)
def test_a_run_together_latin_name_in_chinese_text(text, expected):
    found = run_together_latin_names(text, "zh-Hans")
    assert all(r.score == RUN_TOGETHER_SCORE for r in found)
    assert [text[r.start : r.end] for r in found] == expected


def test_run_together_names_only_in_chinese_documents(detector):
    assert run_together_latin_names("新晋奶爸DaveBurton辞职。", "ja") == []
    assert run_together_latin_names("Dad DaveBurton quit his job.", "en") == []
    text = "新晋奶爸DaveBurton为了更好地照顾新生儿，居然辞职开发了一款应用。"
    assert "DaveBurton" in persons(detector, text)
