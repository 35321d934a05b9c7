"""The learned second stage of the Chinese PERSON recognizer."""

from __future__ import annotations

import pytest
from corpusgate.detectors.pii.china.cn_person_model import (
    PersonCandidateModel,
    _bucket,
    load_weights,
    well_known_people,
)
from corpusgate.detectors.pii.china.cn_person_recognizer import CnPersonRecognizer


@pytest.fixture(scope="module")
def with_model() -> CnPersonRecognizer:
    rec = CnPersonRecognizer()
    rec.load()
    return rec


@pytest.fixture(scope="module")
def rules_only() -> CnPersonRecognizer:
    rec = CnPersonRecognizer(use_model=False)
    rec.load()
    return rec


def names(rec: CnPersonRecognizer, text: str, threshold: float = 0.5) -> list[str]:
    return [
        text[r.start : r.end]
        for r in rec.analyze(text, ["PERSON"])
        if r.score >= threshold
    ]


def test_weights_ship_with_the_package():
    weights = load_weights()
    assert weights["version"]
    assert len(weights["weights"]) > 100
    assert all(isinstance(w, float) for w in weights["weights"].values())


def test_the_real_text_offset_lowers_the_scores_not_the_floors(rules_only):
    import math

    weights = load_weights()
    assert weights["real_text_offset"] == pytest.approx(0.2)
    fitted = PersonCandidateModel(rules_only, {**weights, "real_text_offset": 0.0})
    shipped = PersonCandidateModel(rules_only, weights)
    feats = [("len=3", 1.0), ("sur=1", 1.0), ("L=，", 1.0)]

    def logit(p):
        return math.log(p / (1 - p))

    drop = logit(fitted.probability(feats)) - logit(shipped.probability(feats))
    assert drop == pytest.approx(0.2)
    # the floors' thresholds on the model's support move with it: the same decisions
    assert logit(fitted._announced_min) - logit(shipped._announced_min) == (
        pytest.approx(0.2)
    )
    assert fitted._announced_min == pytest.approx(PersonCandidateModel.ANNOUNCED_MIN)


def test_propagation_spreads_a_name_set_apart_at_its_score():
    text = "何长工同志来了。何长工早年留法。"
    taken = [((0, 3), 0.6), ((8, 11), 0.3)]
    assert PersonCandidateModel.propagate(text, taken) == taken
    assert PersonCandidateModel.propagate(text, taken, set_apart={(0, 3)}) == [
        ((0, 3), 0.6),
        ((8, 11), 0.6),
    ]


def test_a_person_word_of_the_dictionary_after_a_role_is_set_apart(with_model):
    # 何大一 is one word of jieba's dictionary, tagged as a person's name, though
    # 一 alone is no given name's character.
    text = "治疗艾滋病“鸡尾酒疗法”创始人何大一在会上指出，疫情尚未得到控制。"
    assert names(with_model, text) == ["何大一"]


@pytest.mark.parametrize(
    "text, name",
    [
        # a post, no office of state, announces the name after it
        ("世界贸易组织总干事鲁杰罗近日说，各国领导人应共同努力。", "鲁杰罗"),
        ("运动领队张继科和运动助理林小宅跨界同台。", "林小宅"),
        # the head of a unit of the army or of a province
        ("中国人民解放军总参谋长傅全有上将今天在这里会见了代表团。", "傅全有"),
        ("他是军区某部一连连长白文建，一心扑在部队建设上。", "白文建"),
        # an occupation
        ("被法院宣判无罪的程海乡农民季正清，收到了检察院的赔偿。", "季正清"),
    ],
)
def test_a_name_after_a_post_is_set_apart(with_model, text, name):
    assert name in names(with_model, text)


def test_a_name_before_a_go_rank_is_set_apart(with_model):
    # 九段, 七段: a go or chess player's rank, a title only a person has
    text = "决赛中他以微弱优势战胜曹大元九段，继去年之后再次夺冠。"
    assert names(with_model, text) == ["曹大元"]
    assert names(with_model, "全文分为三段，第一段讲历史。") == []


def test_a_word_after_a_post_is_no_name(with_model):
    # the span after 县长 would end inside a word of the segmentation (高度|重视)
    assert names(with_model, "县长高度重视此事，要求各部门立即落实。") == []


def test_a_name_before_comrade_is_set_apart_and_recurs(with_model):
    # 同志 (comrade) follows a name as 先生 does; the model alone reads 何长工
    # (a word of the dictionary: a long-term farmhand) at about 0.2.
    text = "今天是何长工同志诞辰一百周年，何长工早年参加革命。"
    assert names(with_model, text) == ["何长工", "何长工"]


@pytest.mark.parametrize(
    "text, name",
    [
        # No context word: the rules alone leave it at segmenter strength.
        ("昨天下午，张志伟在会上介绍了新产品的设计思路。", "张志伟"),
        ("主教练穆里尼奥赛后接受采访时表示满意。", "穆里尼奥"),
        ("收件人王健，手机13812345678", "王健"),
        # Famous people that no context word announces: listed well-known names
        # (data/cn_well_known_people.txt), a dictionary person word and a
        # transliteration.
        ("国务院总理温家宝9日主持召开常务会议", "温家宝"),
        ("所以才让希特勒萌生了对犹太人的仇恨", "希特勒"),
        # Listed names whose first character is also a frequent verb (爱, 达, 拉).
        ("爱因斯坦提出了相对论。", "爱因斯坦"),
        ("达尔文的进化论影响深远。", "达尔文"),
        ("俄罗斯外长拉夫罗夫表示反对。", "拉夫罗夫"),
    ],
)
def test_finds_names(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text",
    [
        "温馨的房间，温泉也很好，服务员很热情。",  # dictionary words, surname-initial
        "屈臣氏就在酒店楼下，很方便。",  # shop name ending
        "梅塔利斯特队客场战平对手",  # part of a transliterated team name
        "刘先生说早餐不错。",  # surname and title only
        "请将发票寄到安徽省桂芳市闵行区黄街D座",  # 桂芳 before 市, 黄 before 街
    ],
)
def test_vetoes_of_the_rules_hold(with_model, text):
    assert names(with_model, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "请将发票寄到江西省玉英市花溪区长沙路d座号",  # 玉英 before 市
        "寄到甘肃省海燕市梁平区王街M座号",  # 王 before 街
    ],
)
def test_rules_alone_skip_a_name_before_a_place_word(rules_only, text):
    assert names(rules_only, text) == []


def test_results_do_not_overlap_and_are_probabilities(with_model):
    text = "据悉，周晓燕表示将继续投资，家具协会会长刘德明也到场。"
    results = sorted(with_model.analyze(text, ["PERSON"]), key=lambda r: r.start)
    assert results
    for a, b in zip(results, results[1:], strict=False):
        assert a.end <= b.start
    assert all(CnPersonRecognizer.MODEL_MIN_SCORE <= r.score <= 1 for r in results)


def test_rules_only_switch(rules_only, with_model):
    assert rules_only._model is None
    assert isinstance(with_model._model, PersonCandidateModel)
    # Without the segmenter there is no second stage.
    rec = CnPersonRecognizer(use_segmenter=False)
    rec.load()
    assert rec._model is None


def test_candidates_cover_every_source(with_model):
    model = with_model._model
    text = "前锋贝尔巴托夫和Johnson在北京会见了李建新。"
    cands = model.candidates(text, {}, model.tokens(text))
    spans = {text[s:e]: src for (s, e), src in cands.items()}
    # Latin-script names are the English name model's, not this stage's.
    assert "Johnson" not in spans
    assert "window" in spans["李建新"]
    assert "translit" in spans["贝尔巴托夫"]
    # jieba's HMM joins a name its dictionary lacks into one word.
    text = "香港分公司董事倪以理在接受记者采访时"
    cands = model.candidates(text, {}, model.tokens(text))
    assert "oov_surname" in {
        src for (s, e), srcs in cands.items() for src in srcs if text[s:e] == "倪以理"
    }


@pytest.mark.parametrize(
    "text, glued, name",
    [
        # jieba's HMM makes one word of a function character and a surname.
        ("会议由王秀英主持。", "由王", "王秀英"),
        ("请马红梅于周五前提交报告。", "请马", "马红梅"),
    ],
)
def test_a_surname_glued_to_a_function_character_opens_a_window(
    with_model, text, glued, name
):
    model = with_model._model
    tokens = model.tokens(text)
    assert glued in [w for _, _, w in tokens]
    cands = model.candidates(text, {}, tokens)
    assert "window" in {
        src for (s, e), srcs in cands.items() for src in srcs if text[s:e] == name
    }


def test_an_announced_name_keeps_the_rules_score(with_model):
    """A name after an announcing word (客户, 车主) is never dropped by the model."""
    text = "订单已发货。客户周楠的身份证号码已登记。"
    [score] = [r.score for r in with_model.analyze(text, ["PERSON"]) if r.start == 8]
    assert score >= PersonCandidateModel.RULE_FLOOR


def test_a_name_is_read_whole_and_the_same_way_wherever_it_recurs(with_model):
    text = "阮雅琴，48岁女性电工。阮雅琴被诊断为关节炎，由张雪梅医生负责治疗。"
    assert names(with_model, text) == ["阮雅琴", "阮雅琴", "张雪梅"]


def test_propagation_keeps_a_longer_overlapping_name():
    text = "李明来了。李明远也来了。"
    taken = [((0, 2), 0.8), ((5, 8), 0.7)]
    assert PersonCandidateModel.propagate(text, taken) == taken


def test_propagation_raises_the_same_name_taken_lower():
    text = "艾青是诗人。高瑛爱艾青的诗。"
    taken = [((0, 2), 0.9), ((6, 8), 0.95), ((9, 11), 0.44)]
    assert PersonCandidateModel.propagate(text, taken) == [
        ((0, 2), 0.9),
        ((6, 8), 0.95),
        ((9, 11), 0.9),
    ]


@pytest.mark.parametrize(
    "text, name",
    [
        # A famous name is a frequent person word of the dictionary: its
        # frequency makes no ordinary word of it (a two-character one, 温馨, is).
        ("宋庆龄只有一个丈夫,就是孙中山。", "孙中山"),
        # One capital numeral is a given name's character; two make an amount.
        ("王吉祥的女儿由演员刘陆扮演，其余戏份均由真实的人物出演", "刘陆"),
        # A listed name with a middle dot keeps its listing when the words after
        # it are no part of it.
        ("到底是怎么回事?泰勒·斯威夫特坐在旁边你居然还能睡着?", "泰勒·斯威夫特"),
        # Two parts that only a middle dot parts are one name, reported whole.
        (
            "阿根廷天主教大学教授、阿中研究中心主任帕特里西奥·朱斯托认为，中方的决定是正当的。",
            "帕特里西奥·朱斯托",
        ),
        # 张|万年 would be a surname and a time word, 何|长工 a pronoun's phrase;
        # the dictionary holds each whole as a person's name.
        ("在中央军委副主席张万年的陪同下，代表团参观了军营。", "张万年"),
        ("何长工同志是我党的优秀党员。", "何长工"),
        # Common surnames.
        ("美方团队共同领导人、贸易代表赖海哲可望在8月举行正式会谈。", "赖海哲"),
        ("包括陈丹青、邓康延、洪晃、陆琪在内的多位人士表示支持。", "洪晃"),
        # Hong Kong's Bush (the mainland writes 布什); OpenCC keeps it as written.
        ("布殊使用教徒的语言，他在约2000年当选。", "布殊"),
        # 由 before a surname is the preposition, whether a title after the name
        # (the rules) or the model places it.
        ("目前正在服用阿司匹林，由韩梅医生负责诊治。", "韩梅"),
        ("最近，由程栋、沈敏华两位同志合著《缪斯神宫巡礼》。", "程栋"),
        # 于 before a date and 是 before 一 go on with the clause after the name.
        ("曾在电影中饰演流浪歌手。 王旭于1966年出生在商丘。", "王旭"),
        ("温迪莱是一位61岁的男性兽医，居住在黑龙江省。", "温迪莱"),
        # A surname before a given name that the dictionary holds as a person's word.
        ("适。主治医生莫志强为其开具了布洛芬作为治疗方案。", "莫志强"),
    ],
)
def test_famous_numeral_dotted_and_listed_names(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text, name, found",
    [
        # A listed name in a plain clause, which the model alone scores low.
        ("这是他根据鲁迅的同名散文诗集改编创作的", "鲁迅", True),
        ("据报道，普京向海军官兵祝贺海军日", "普京", True),
        # An office after it is a person's, though a noun.
        ("也是去年年底江泽民主席访美后来访的", "江泽民", True),
        # Not before a noun (an eponym's, a school's), a unit or inside a word.
        ("旋转高斯体热源的模型", "高斯", False),
        ("南京格林彩妆美甲学校", "格林", False),
        ("单位：牛顿／平方毫米", "牛顿", False),
        ("每100克里只含27卡路里", "克里", False),
    ],
)
def test_a_listed_name_standing_as_a_name_is_reported(with_model, text, name, found):
    assert (name in names(with_model, text)) is found


def test_famous_three_character_person_words_are_no_ordinary_words(with_model):
    text = "宋庆龄只有一个丈夫,就是孙中山。温馨"
    assert not with_model._not_a_name(text, 12, 15)  # 孙中山
    assert with_model._not_a_name(text, 16, 18)  # 温馨
    assert with_model.function_char_phrase("陆仟")
    assert not with_model.function_char_phrase("刘陆")


def test_two_names_side_by_side_beat_one_span_across_them():
    prob = {(0, 2): 0.99, (2, 5): 0.98, (0, 3): 0.999, (2, 4): 0.9}
    picked = PersonCandidateModel._best_names(prob)
    assert sorted(span for span, _ in picked) == [(0, 2), (2, 5)]
    # One sure span is not split into two doubtful ones.
    prob = {(0, 3): 0.95, (0, 2): 0.6, (2, 4): 0.6}
    assert [span for span, _ in PersonCandidateModel._best_names(prob)] == [(0, 3)]


@pytest.mark.parametrize(
    "text",
    [
        # A label right before an ordinary verb phrase of legal prose is no name,
        # whatever the rules' context boost gave it.
        "第4条 申请人应检具下列文件，向本会申请核准。",
        "机关代表担任之委员，应随其本职进退。",
        # 说 of 说明 announces no speaker.
        "如有不同意见时，应详细说明每一不同意见之性质。",
        # A label before a phrase of legal prose.
        "少年被告应羁押于少年观护所。",
        "客船应包括船上之所有旅客和船员。",
    ],
)
def test_a_context_word_near_a_phrase_sets_no_floor(with_model, text):
    assert names(with_model, text) == []


def test_only_a_label_with_a_name_boundary_anchors(with_model):
    text = "订单已发货。客户周楠的身份证号码已登记。"
    assert (8, 10) in with_model.rule_spans(text).anchored
    text = "如有不同意见时，应详细说明每一不同意见之性质。"
    assert with_model.rule_spans(text).anchored == set()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        # The given name alone, after the full name: the same person.
        ("范冰冰出席了活动。记者看到冰冰的鞋跟很高。", ["范冰冰", "冰冰"]),
        ("陆雪琪在望月台重逢鬼厉。雪琪劝鬼厉回归正道。", ["陆雪琪", "雪琪"]),
        ("本报记者张子宇报道。子宇表示情况属实。", ["张子宇", "子宇"]),
        # A given name that is a common word is read as the word.
        ("张建国是工程师。建国以来这里变化很大。", ["张建国"]),
        ("柯石英是一种矿物。石英很常见。", ["柯石英"]),
        # Right after the surname it is the full name, which propagation placed
        # or ruled out (here inside the name of a museum).
        ("南京徐悲鸿纪念馆开放，徐悲鸿的画作展出。", ["徐悲鸿"]),
    ],
)
def test_a_given_name_alone_stands_for_a_sure_name_of_the_document(
    with_model, text, found
):
    assert names(with_model, text) == found


def test_a_given_name_alias_needs_a_sure_name_and_a_word_of_its_own(with_model):
    model = with_model._model
    text = "王雅琴来了。雅琴笑了。大家欢迎雅琴。"
    aliases = model.given_name_aliases(text, [((0, 3), 0.95)])
    assert aliases == [((0, 3), 0.95), ((6, 8), 0.95), ((15, 17), 0.95)]
    # From a name below ALIAS_MIN nothing is added.
    assert model.given_name_aliases(text, [((0, 3), 0.8)]) == [((0, 3), 0.8)]
    # An occurrence that overlaps a span already taken is left to that span.
    taken = [((0, 3), 0.95), ((14, 17), 0.7)]
    assert model.given_name_aliases(text, taken) == sorted(taken + [((6, 8), 0.95)])


def test_a_recurring_name_is_not_read_inside_a_longer_word(with_model):
    model = with_model._model
    text = "由管机主持。环境保护主管机关审查，目的事业主管机关转送。"
    taken = [((1, 3), 0.9)]
    assert model.propagate(text, taken, model.rec.cuts_word) == taken
    # Without the word check every 主管机关 would hold the name.
    assert len(model.propagate(text, taken)) == 3
    # A recurrence that is a word of its own is still the name.
    text = "阮雅琴，48岁。阮雅琴被诊断为关节炎。"
    taken = [((0, 3), 0.9)]
    assert [s for s, _ in model.propagate(text, taken, model.rec.cuts_word)] == [
        (0, 3),
        (8, 11),
    ]


@pytest.mark.parametrize(
    "word, phrase",
    [
        ("于信托", True),
        ("应详细", True),
        ("达本法", True),
        ("于建国", False),
        ("曾国藩", False),
        ("陈列", False),
        ("于海", False),
        ("应敘明", True),  # 应 is a modal verb far more often than a surname
        ("应俟", True),
        ("和船员", True),  # 和 before any dictionary word
        ("于丹", False),
        ("陆仟", True),
        ("伍佰元", True),
        # a person's word of the dictionary is one word, no phrase (何 is a
        # pronoun, 长工 a noun)
        ("何长工", False),
    ],
)
def test_function_character_phrases(with_model, word, phrase):
    assert with_model.function_char_phrase(word) is phrase


def test_middle_dot_names_keep_transliteration_characters_and_are_not_cut(with_model):
    text = "这部剧由马修·麦康纳与伍迪·哈里森等主演。"
    found = names(with_model, text)
    assert "伍迪·哈里森" in found  # 里 is a function word and a transliteration
    assert not any(n.startswith("由") for n in found)
    text = "由凯瑞·福永执导的悬疑连续剧"
    assert "由凯" not in names(with_model, text, threshold=0.3)


def test_ordinary_person_words_ship_with_the_weights():
    # Derived by train_cn_person.py from the training sentences alone.
    common = load_weights()["common_words"]
    assert common == sorted(set(common))
    assert {"盖章", "周知", "陈列"} <= set(common)


@pytest.mark.parametrize(
    "text, word",
    [
        # jieba tags these nr; no context word places them: no name.
        ("本表经签名盖章后生效。", "盖章"),
        ("前项事项应于公告后通知作业人员周知。", "周知"),
        ("意图贩卖而陈列、储藏前条之物品者，处罚之。", "陈列"),
    ],
)
def test_ordinary_person_words_are_no_candidates(with_model, text, word):
    model = with_model._model
    spans = [span for span, _ in model.featurize(text, with_model.rule_spans(text))]
    at = text.index(word)
    assert (at, at + len(word)) not in spans
    assert word not in names(with_model, text, threshold=0.3)


def test_drop_common_keeps_a_span_the_rules_placed(rules_only):
    model = PersonCandidateModel(rules_only, {"common_words": ["周知"]})
    text = "联系人周知，电话"
    placed = [((3, 5), [("rule_score", 0.9)])]
    unplaced = [((3, 5), [("rule_score", 0.2)])]
    assert model.drop_common(text, placed) == placed
    assert model.drop_common(text, unplaced) == []
    # Without a list (while fitting) every candidate stays.
    assert PersonCandidateModel(rules_only).drop_common(text, unplaced) == unplaced


@pytest.mark.parametrize(
    "text, word",
    [
        # A verb's slot: after a modal verb, a negation or an adverb of degree.
        ("交接发生争执，应陈报本机关首长核定。", "陈报"),
        ("以未迟延论。", "迟延"),
        ("1、5%阿昔洛韦软膏外用", "阿昔洛韦"),
        # A noun's slot: before the nominaliser or 费 (fee).
        ("每逾一日按未缴清数额加收千分之五迟延费用", "迟延"),
        # Ending with the nominaliser, whatever label came before.
        ("运送人因运送迟延，致影响旅客权益者，应视实际情况", "权益者"),
        ("四、解散者。", "解散者"),
        # A label that heads a longer word (书记官) announces nothing.
        ("送请书记官长判行或转请委员长判行。", "官长判"),
        # A label before a rare dictionary word unlike a given name.
        ("立法委员席次于每届第一会期开议三日前", "席次"),
        # An office or a residence, not a person.
        ("更被康文署严厉警告", "康文"),
        ("走出沈府,李俶得到消息", "沈府"),
        # A surname and an imperial title.
        ("由周皇后抚养长大", "周皇后"),
        # A middle dot joining ordinary words: a film title.
        ("代表作品:蓝色大门、女朋友·男朋友、圣诞玫瑰", "女朋友·男朋友"),
        # A surname window that cuts a word past the segmented text.
        ("办理甄审相关事宜。", "甄审相"),
        # A list separator inside the span, a fee, an office unit.
        ("心理辅导员、书记官、佐理员及执达员随同少年调查官", "官、佐"),
        ("应以书面通知他方及仲裁人", "方及"),
        ("不得以支付他人佣金、比例金、仲介费、后谢金为条件", "仲介费"),
        ("二、劳安课：规划、督导与推行劳工安全卫生", "劳安课"),
        ("场地租用申请由康文署负责审批。", "康文署"),
        # A label before a very frequent ordinary word (公司) and what follows it.
        ("保险代理人公司及保险公证人公司应于主管机关许可后设立", "公司应"),
    ],
)
def test_slots_and_words_that_hold_no_name(with_model, text, word):
    assert word not in names(with_model, text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("记者李蕾张羽飞报道", "张羽飞"),
        ("车主万桂兰已被通知", "万桂兰"),
        ("局长王明表示", "王明"),
        ("王明局长表示", "王明"),  # 局 before 长 is a title, not an office
        ("收件人张伟明已签收", "张伟明"),  # 张伟 is no frequent ordinary word
        # A given-name character that is also a common word (天, 开, 为).
        ("张天佑昨天在北京接受了采访。", "张天佑"),
        ("隧道设计负责人王国军介绍", "王国军"),  # 王国 is, but 国军 is name-like
        ("美国前锋大卫·贝克汉姆进球", "大卫·贝克汉姆"),  # a listed name, whole
    ],
)
def test_names_next_to_the_new_vetoes_stay(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text, word, garbled",
    [
        # Text decoded with the wrong code page (丛拢保 and its neighbours).
        ("交给李某等人。?＃玻埃保材辏丛拢保慈眨故毙恚?阿玲又以同样", "丛拢保", True),
        (
            "企业家所面临的。?Ｆ笠导伊硗饷媪俚囊桓鲛限问鞘裁矗烤褪钦飧鼍?济",
            "桓鲛",
            True,
        ),
        # A run opened by "?" and a full-width form and closed by "?".
        ("边聊天边大吃起来。?Ｒ晃宦啡烁嫠呒钦撸?“没人认出他们俩。", "宦啡烁", True),
        # Ordinary prose and a list of names are not; nor is a question mark
        # that ends a clause of web text.
        ("昨天下午，张志伟在会上介绍了新产品的设计思路和市场计划。", "张志伟", False),
        ("谁是A股之王?张志伟说的是茅台?", "张志伟", False),
        ("选举汪洋、朱小丹、朱明国、黄先耀、王荣、李玉妹、林雄为常委", "黄先耀", False),
    ],
)
def test_garbled_text_holds_no_name(with_model, text, word, garbled):
    at = text.index(word)
    assert with_model.garbled(text, at, at + len(word)) is garbled
    assert (word in names(with_model, text)) is not garbled


# A statute: article headings at the start of a clause, followed by a space.
_STATUTE = "第 1 条 本办法依仲裁法订定之。 第 2 条 {body} 第 3 条 本办法自发布日施行。"


@pytest.mark.parametrize(
    "text, statute",
    [
        (_STATUTE.format(body="当事人得以书面委任代理人到场陈述。"), True),
        (
            "第一条　为了规范仲裁。\n第二条　本法适用于仲裁。\n第三条　本法自公布之日起施行。",
            True,
        ),
        ("第 20-1 条 调解程序。 第二十条之一 合意停止。 第 21 条 施行。", True),
        # Citing articles is no statute layout: no heading, or fewer than three.
        ("根据刑法第二百三十二条规定，张志伟被判处有期徒刑。", False),
        ("依第 3 条及第 5 条规定办理，第 7 条 另定之。", False),
        ("昨天下午，张志伟在会上介绍了新产品的设计思路。", False),
    ],
)
def test_statute_layout(with_model, text, statute):
    assert with_model.statute_layout(text) is statute


@pytest.mark.parametrize(
    "body, word",
    [
        # Legal verbs and terms that read as a surname and a given name, after a
        # role word or none (陈明, 陈述, 周延, 屠宰, 迟延, 盖章).
        ("必要时应向上级长官陈明。", "陈明"),
        ("当事人得以书面委任代理人到场陈述。", "陈述"),
        ("分公司营业计划显欠周延妥适者。", "周延"),
        ("屠宰作业区与分切作业区之员工洗手设施应分别设置。", "屠宰"),
        ("使用者有拒绝或迟延给付资费之情事者。", "迟延"),
        ("并由申请人或其代理人签名盖章。", "盖章"),
        ("关于员工文康及团体活动之规划事项。", "文康"),
    ],
)
def test_a_statute_names_roles_not_people(with_model, rules_only, body, word):
    text = _STATUTE.format(body=body)
    assert word not in names(with_model, text)
    assert word not in names(rules_only, text)


@pytest.mark.parametrize(
    "body, name",
    [
        # A name set off from its label by a colon or a space (a form) stays.
        ("申请人：陈美玲，住台北市。", "陈美玲"),
        ("负责人 王建国", "王建国"),
    ],
)
def test_a_statute_keeps_a_name_its_label_sets_off(with_model, rules_only, body, name):
    text = _STATUTE.format(body=body)
    assert name in names(with_model, text)
    assert name in names(rules_only, text)


@pytest.mark.parametrize(
    "text, name",
    [
        # The same words and names outside a statute are read as before.
        ("昨天下午，张志伟在会上介绍了新产品的设计思路。", "张志伟"),
        ("依第 3 条规定，记者李蕾报道", "李蕾"),
    ],
)
def test_names_outside_a_statute_stay(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text, name",
    [
        # Ordinary words after a middle-dot name are no part of it ...
        ("由杰森·瑞特曼执导的影片入围", "杰森·瑞特曼"),
        ("在山姆·华纳逝世后，杰克·华纳成为制作部门的领导者", "杰克·华纳"),
        ("只有科尔·菲尔普斯才能改善他的处境", "科尔·菲尔普斯"),
        # ... nor a verb with its aspect particle, whose character transliterates.
        ("约翰·史密斯来了。", "约翰·史密斯"),
        ("迈克尔·乔丹来过北京。", "迈克尔·乔丹"),
        # ... nor before it (a role, or the tail of a word the match cut).
        ("大楼新闻秘书杰夫·莫雷尔说。", "杰夫·莫雷尔"),
        ("博物馆前馆长马里恩·图尔以合谋走私罪被起诉", "马里恩·图尔"),
        # A dictionary word with no transliteration character is no part of it,
        # however rare (校友, 霸气, 签名; jieba's own word 普鲁申科|借居 is left).
        ("2013年4月，威廉玛丽校友玛丽·乔·怀特出任主席", "玛丽·乔·怀特"),
        ("58岁的布鲁斯·威利斯霸气归来，将再度出手", "布鲁斯·威利斯"),
        ("他还收到了英国网球明星安迪•穆雷亲笔签名的网球拍。", "安迪•穆雷"),
        # Names that stay whole: parts that are transliterations, places or names.
        ("美国前锋大卫·贝克汉姆进球", "大卫·贝克汉姆"),  # a listed name, whole
        ("主演是海登·克里斯滕森和娜塔莉·波特曼", "海登·克里斯滕森"),
        ("古巴领导人菲德尔·卡斯特罗发表讲话", "菲德尔·卡斯特罗"),
    ],
)
def test_a_middle_dot_name_ends_where_its_words_end(with_model, text, name):
    found = names(with_model, text)
    assert name in found
    assert not any(name in f and f != name for f in found)


@pytest.mark.parametrize(
    "text, dotted",
    [
        # A one-character verb before the dot: a citation or a caption.
        ("前面我们提到的吕祖谦撰·详注东莱先生左氏博议廿五卷", "吕祖谦撰·详注东莱"),
        ("京东晒·幸福关注广禾堂", "京东晒·幸福"),
    ],
)
def test_a_dot_after_a_verb_joins_no_name(with_model, text, dotted):
    assert not any("·" in f for f in names(with_model, text))
    assert dotted not in names(with_model, text)


@pytest.mark.parametrize(
    "text",
    [
        # A word after the dot ends in a place's last character: a bridge, an
        # island, a street named after someone or something.
        "刘易斯的遗体将经过塞尔玛的埃德蒙·佩特斯桥（Edmund Pettus Bridge）",
        "88个点评 2一呆公寓·阳江海陵岛保利银滩(原阳江海陵岛保利银滩)",
        "我们住在乔治·华盛顿街附近。",
    ],
)
def test_a_middle_dot_place_is_no_name(with_model, text):
    assert not any("·" in f for f in names(with_model, text, threshold=0.3))


@pytest.mark.parametrize(
    "text, word, is_name",
    [
        # 太 for 太太 (Mrs) after a surname alone is a title (Hong Kong usage) ...
        ("副署长作供时称，曾问陈太是否要派人赴内地了解", "陈太", False),
        # ... but starts given names.
        ("李太白是唐代诗人。", "李太白", True),
        ("张太雷在广州起义中牺牲。", "张太雷", True),
        ("记者陈太平报道", "陈太平", True),
        # 家, 伯 and 叔 (the family, uncle) start given names too ...
        ("中天拍卖公司董事长宣家鑫告诉记者，", "宣家鑫", True),
        ("李家明说，他已经签了合同。", "李家明", True),
        ("香港投资银行家梁伯韬加盟点融网", "梁伯韬", True),
        ("潘菽为校长，孙叔平为第一副校长。", "孙叔平", True),
        # ... but not before a verb (Uncle Li said), nor do other titles.
        ("但住在附近的李伯说，每日到公园晨运都会被蚊叮。", "李伯说", False),
        ("李总说，他不会再投了。", "李总说", False),
    ],
)
def test_a_surname_and_short_title_is_no_name(
    with_model, rules_only, text, word, is_name
):
    assert (word in names(with_model, text)) is is_name
    assert with_model.surname_and_title(word) is not is_name


@pytest.mark.parametrize(
    "text, end, after",
    [
        ("本报记者王梦菲", 7, False),  # the text ends after the name
        ("寄到海燕市", 4, True),  # 市 ends the text
        ("寄到海燕市区", 4, True),
        ("李路", 1, True),
        ("王市长", 1, False),
    ],
)
def test_a_place_word_after_needs_a_character_after(rules_only, text, end, after):
    assert rules_only.place_word_after(text, end) is after


@pytest.mark.parametrize(
    "text, name", [("本报记者王梦菲", "王梦菲"), ("公司总经理赵红", "赵红")]
)
def test_a_name_that_ends_the_text_is_kept(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text, name",
    [
        # The character after the surname is rarely a given-name character (迅,
        # 展, 有), so no surname window opens there; jieba's reading of the whole
        # text makes the name one word its dictionary lacks.
        ("本月将有两部由周迅主演的影片上映", "周迅"),
        ("他是一个叫张展的理学家", "张展"),
        ("11日，谢有福接受了采访", "谢有福"),
    ],
)
def test_words_of_the_whole_reading_open_windows(with_model, text, name):
    model = with_model._model
    start = text.index(name)
    windows = model.word_windows(text)
    assert any(s <= start and start + len(name) <= e for s, e in windows)
    assert (start, start + len(name)) in model.candidates(text, {}, model.tokens(text))


@pytest.mark.parametrize(
    "text",
    [
        "温馨的房间，温泉也很好，服务员很热情。",  # dictionary words
        "连牛奶都没有。",  # surname-initial phrase of dictionary words
        # Words of jieba's HMM with a particle or preposition inside: phrases.
        "杨以现行反革命罪被判刑",  # 杨以
        "有毛之虫三百六十",  # 毛之虫
    ],
)
def test_dictionary_words_and_phrases_open_no_word_window(with_model, text):
    assert with_model._model.word_windows(text) == []


@pytest.mark.parametrize(
    "text, name",
    [
        ("剧情的发展超出刘镇伟的估计", "刘镇伟"),
        ("本月将有两部由周迅主演的影片上映", "周迅"),
        ("他是一个叫张展的理学家", "张展"),
    ],
)
def test_names_only_the_whole_reading_proposes_are_found(with_model, text, name):
    assert name in names(with_model, text)


def test_the_well_known_people_list_loads():
    known = well_known_people()
    assert len(known) > 1000
    assert {"温家宝", "希特勒", "普京", "大卫·贝克汉姆"} <= known
    # Han characters and middle dots only; ordinary words and places left out.
    assert all(all("\u4e00" <= c <= "\u9fff" or c == "·" for c in w) for w in known)
    assert not {"汪洋", "华盛顿", "诺贝尔", "康熙", "黎明"} & known


def test_a_listed_name_opens_a_window_and_is_a_candidate(with_model):
    model = with_model._model
    text = "据报道普京周三在莫斯科表示"  # 普 starts no name-like window
    start = text.index("普京")
    assert any(s <= start and start + 2 <= e for s, e in model.word_windows(text))
    assert model.known_ends(text, start) == [start + 2]
    tokens = model.tokens(text)
    cands = model.candidates(text, {}, tokens)
    assert "known" in cands[(start, start + 2)]


@pytest.mark.parametrize(
    "text, name",
    [
        ("美国总统奥巴马周三表示", "奥巴马"),  # jieba tags it ns: no ordinary word
        ("特朗普周五签署行政令", "特朗普"),
        ("普京说", "普京"),
    ],
)
def test_listed_names_are_found(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text",
    [
        "马克思主义基本原理",  # inside a dictionary word
        "要把公司打造成龙头企业",  # 成龙 across two words
        "途经奥巴马县时",  # a place word after: the context vetoes still apply
    ],
)
def test_listed_names_obey_the_word_and_context_vetoes(with_model, text):
    assert names(with_model, text) == []


def test_part_of_a_middle_dot_name_is_not_a_listed_name(with_model):
    model = with_model._model
    text = "只有科尔·菲尔普斯才能改善他的处境"  # 菲尔普斯 alone is listed
    tokens = model.tokens(text)
    feats = dict(model.featurize(text, with_model.rule_spans(text, tokens), tokens))
    part = (text.index("菲尔普斯"), text.index("菲尔普斯") + 4)
    assert part in feats
    assert ("src=known", 1.0) not in feats[part]
    assert names(with_model, text) == ["科尔·菲尔普斯"]


@pytest.mark.parametrize(
    "word, quarters",
    [("希特勒", 4), ("特朗普", 2), ("奥巴马", 2), ("李建新", 0)],
)
def test_transliteration_share(with_model, word, quarters):
    assert with_model._model._translit_share(word) == quarters


@pytest.mark.parametrize(
    "x, edges, expected",
    [
        (-5.0, (-1, 0, 0.5, 1), 0),
        (-1.0, (-1, 0, 0.5, 1), 1),  # an edge counts once reached
        (0.7, (-1, 0, 0.5, 1), 3),
        (9.0, (1, 3, 5, 7, 9), 5),
        (0.0, (), 0),
    ],
)
def test_bucket_counts_the_edges_reached(x, edges, expected):
    assert _bucket(x, edges) == expected == sum(1 for e in edges if x >= e)


def test_the_crf_option_reads_names_no_other_source_proposes():
    """`zh_person_crf`: the character CRF reads every character, so a name whose
    surname the lists lack (火) is found; off by default."""
    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    text = "这也是有四十年藏书经验的火正明先生思考的问题。"

    def persons(config: dict) -> list[str]:
        d = PiiDetector(config, context=DetectorContext(salt=b"test-salt"))
        d.setup()
        return [
            text[f.start : f.end]
            for f in d.scan(Record("d", "s", 0, text))
            if f.finding_type == "PERSON" and f.score >= 0.5
        ]

    assert PiiDetector.DEFAULTS["zh_person_crf"] is False
    assert persons({}) == []
    assert persons({"zh_person_crf": True}) == ["火正明"]


@pytest.mark.parametrize(
    "text, name, longer",
    [
        # A reading one character too long, whose last character begins the next
        # word, gives way to the shorter reading the rules placed too.
        ("晨报讯（记者杨莉通讯员王媛）信用卡欠款", "杨莉", "杨莉通"),
        ("新浪娱乐讯由知名演员张瑜首次独立执导的青春偶像电影", "张瑜", "张瑜首"),
        ("张博诉称，2月7日下午他在家中", "张博", "张博诉"),
        ("国家大剧院市场部部长金慧介绍：“这是首次演出”", "金慧", "金慧介"),
    ],
)
def test_a_reading_into_the_next_word_gives_way(with_model, text, name, longer):
    found = names(with_model, text)
    assert name in found and longer not in found


@pytest.mark.parametrize(
    "text, name",
    [
        # ... but not when that character is a likely given-name character: the
        # segmentation's 华为, 明年 are no proof against 张敏华, 宋志明.
        ("他的主治医生张敏华为他开具了布洛芬缓释胶囊", "张敏华"),
        ("财务状况方面，宋志明年收入为54万元", "宋志明"),
        # nor where the reading goes on in transliteration characters
        ("由好莱坞动作影星文迪索尔主演", "文迪索尔"),
    ],
)
def test_a_likely_given_name_character_keeps_the_longer_reading(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text",
    [
        "别拿人家穿什么来说事。想黑穆斯林可以，但你要选择正确的姿势。",  # 穆斯|林
        "一个自称穆斯林的人，如果他的思想行为",
    ],
)
def test_a_transliteration_run_inside_a_word_is_no_name(with_model, text):
    assert names(with_model, text, threshold=0.0) == []


def test_a_transliteration_that_ends_a_word_stays(with_model):
    text = "现任的伊斯梅尔总统在促进自身作为一个安全的避风港"
    assert "伊斯梅尔" in names(with_model, text)


@pytest.mark.parametrize(
    "text, name",
    [
        ("海报背后，其实是想逼使现任总理巴罗佐安排选举，放弃钦点继承", "巴罗佐"),
        ("Jurlique 的创始人克莱恩博士明白，不可能制造出纯天然的产品", "克莱恩"),
        # the word it opens is a person's name of the dictionary: that word
        ("俄罗斯副总理阿卜杜拉季波夫１０日率团访华", "阿卜杜拉季波夫"),
        # an office announced it, and jieba reads 桑|特为 (specially)
        ("布莱尔称欧盟主席桑特为“雅克”", "桑特"),
    ],
)
def test_a_transliteration_ends_before_the_next_word(with_model, text, name):
    assert name in names(with_model, text)


@pytest.mark.parametrize(
    "text, name",
    [
        # jieba's word is the whole name and its last character is name-like
        ("金瓶儿倒戈,帮助了林惊羽,青龙受伤逃走", "林惊羽"),
        ("虽期间也爆出薛之谦和前妻高磊鑫复婚的消息", "高磊鑫"),
        ("李开复徐小平蔡文胜联合发起成立群英会", "蔡文胜"),
        # a function word jieba glues on is no given-name character
        ("，绝对有益无害”俞渝在推荐语中这样写", "俞渝"),
    ],
)
def test_a_two_character_reading_takes_the_whole_word(with_model, text, name):
    assert name in names(with_model, text)


def test_features_come_in_a_fixed_order(with_model):
    # The probability sums the weights in the features' order: a candidate's
    # sources (a set) are listed sorted, whatever the process's hash seed.
    text = "记者张伟报道，李娜表示会议很顺利。"
    model = with_model._model
    for _, feats in model.featurize(text, with_model.rule_spans(text)):
        sources = [k for k, _ in feats if k.startswith("src=")]
        assert len(sources) > 0 and sources == sorted(sources)


def test_two_parts_a_middle_dot_joins_are_one_name():
    from corpusgate.detectors.pii.china.cn_person_model import joined_at_dots

    text = "主任帕特里西奥·朱斯托认为"
    taken = [((2, 7), 0.66), ((8, 11), 0.96)]
    assert joined_at_dots(text, taken) == [((2, 11), 0.96)]
    # Two names side by side stay two.
    text = "记者李蕾张羽飞报道"
    taken = [((2, 4), 0.99), ((4, 7), 0.98)]
    assert joined_at_dots(text, taken) == taken


def test_occurrences_of_few_and_of_many_words_are_every_occurrence():
    import random

    from corpusgate.detectors.pii.china.cn_person_model import (
        _FIND_EACH_MAX,
        _occurrences,
    )

    rng = random.Random(5)
    chars = "雅琴明华冰"
    pairs = [a + b for a in chars for b in chars]  # 25 two-character words
    for _ in range(200):
        text = "".join(rng.choice(chars + "，的") for _ in range(rng.randint(0, 40)))
        for n in (1, _FIND_EACH_MAX, _FIND_EACH_MAX + 1, len(pairs)):
            words = dict.fromkeys(rng.sample(pairs, n))
            expected = [
                (i, text[i : i + 2])
                for i in range(len(text) - 1)
                if text[i : i + 2] in words
            ]
            assert _occurrences(text, words) == expected
