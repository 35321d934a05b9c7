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
        ("贝克伦综合征的病因尚不清楚。", "贝克伦"),  # a syndrome named after someone
        ("根据韦斯顿定律可以算出结果。", "韦斯顿"),  # a law of science
        ("图波列夫设计局在1960年代末期开始研制。", "图波列夫"),  # a design bureau
        ("高雄荣民总医院台南分院编制表", "高雄荣民"),  # a hospital
        ("柏图斯庄园的酒价格最高。", "柏图斯"),  # an estate
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
        ("王小明反应很快。", "王小明"),  # 反应, a verb after a name, is no such word
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
        ("每段介绍两个无厘头的新闻后", "段介绍"),  # ... at the text's start
        ("他取道哥尼斯堡回国。", "哥尼斯堡"),  # a burg
        ("莫利纳是西班牙的城市，位于东部。", "莫利纳"),  # defined as a city
        ("塔拉卡受地中海气候影响，夏季干燥。", "塔拉卡"),  # ... by its climate
        ("零钱宝是第三方支付平台易付宝为个人用户打造的服务", "易付宝"),  # a platform
        ("在时速六十英里时，这款劳斯莱斯汽车上的最大噪音", "劳斯莱斯"),  # a model
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
        ("游戏主播张伟昨晚直播了五个小时。", "张伟"),  # a person after a role
        ("该公司李明表示将继续扩大生产。", "李明"),  # a firm's employee
    ],
)
def test_names_next_to_those_slots_stay(rec, text, word):
    assert settled(rec, text, word) == [word]


def test_a_camp_is_a_place(rec):
    assert settled(rec, "部队前往王庄营驻扎。", "王庄") == []
    assert settled(rec, "张建国营长下令出发", "张建国") == ["张建国"]  # 营长


def vetoed(rec: CnPersonRecognizer, text: str, word: str, anchored=False) -> list[str]:
    """What `settle` makes of `word` chosen in `text` after the second stage read
    `text` (its whole-text cut is what the vetoes of `settle_veto` look at)."""
    rec._model.tokens(text)
    s = text.index(word)
    return settled(rec, text, word, [(s, s + len(word))] if anchored else ())


@pytest.mark.parametrize(
    "text, word, veto",
    [
        # Across two dictionary words: 工业区|安全局.
        ("他住的工业区安全局附近很安静。", "区安", "cuts_two_words"),
        ("居民们说老城区伊斯兰教堂很美。", "区伊斯", "cuts_two_words"),
        # The end of a dictionary word, no word itself: 巧克力, 卡布奇诺.
        ("他买了一块巧克力。", "克力", "word_tail"),
        ("他每天早上喝一杯卡布奇诺。", "布奇诺", "word_tail"),
        # The start of a dictionary word that is no person word: 埃塞俄比亚.
        ("他去过埃塞俄比亚两次。", "埃塞", "word_head"),
        # All of a title between book-title marks.
        ("他读过《李白》这本书。", "李白", "title_content"),
        ("他最喜欢的电影是〈王冕〉。", "王冕", "title_content"),
        ("中老年人发病较多见.<灵枢·厥病篇>曰:心痛甚。", "灵枢·厥病篇", "title_content"),
        # A function word glued before a surname and its title.
        ("我和王老师一起去。", "和王", "function_char_title"),
        ("会议由何先生主持。", "由何", "function_char_title"),
        # ... an aspect or structural particle, or a modal particle, too.
        ("我昨天见了王老师一面。", "了王", "function_char_title"),
        ("慢慢地张老师也来了。", "地张", "function_char_title"),
        ("你说呢王老师？", "呢王", "function_char_title"),
        # Single characters joined by middle dots.
        ("农民用甲·乙·丙混剂拌种。", "甲·乙·丙", "dotted_singles"),
        # The start of a place's name: 张家湾|小学.
        ("孩子们在张家湾小学读书。", "张家", "ends_in_place_word"),
        ("队伍来到马家堡体育场。", "马家", "ends_in_place_word"),
        # A pronoun after the surname character.
        ("医生，谢谢您的帮助。", "谢谢您", "pronoun_given"),
    ],
)
def test_settle_vetoes_pieces_of_words_titles_and_phrases(rec, text, word, veto):
    s = text.index(word)
    rec._model.tokens(text)
    assert rec.settle_veto(text, s, s + len(word), rec.whole_cut(text)) == veto
    assert vetoed(rec, text, word) == []


@pytest.mark.parametrize(
    "text, word",
    [
        ("清乾隆年间的瓷器很贵。", "乾隆"),  # the end of 清乾隆, but a word itself
        ("统计局的姚景源说。", "姚景"),  # the start of a person word: cut short
        ("《李白传》写得很好。", "李白"),  # part of a title, not all of it
        ("李白写过很多诗。", "李白"),
        ("周杨先生说明天下雨。", "周杨"),  # 周 is no function word
        ("我和王明老师一起去。", "王明"),  # a full name before the title
        ("约翰·史密斯来了。", "约翰·史密斯"),  # dotted parts of several characters
        ("李明亮今天来了。", "李明亮"),
    ],
)
def test_names_next_to_such_words_stay(rec, text, word):
    assert vetoed(rec, text, word) == [word]


@pytest.mark.parametrize(
    "text, word, kept",
    [
        # A context word placed both; the title belongs to the surname alone.
        ("我和王老师一起去。", "和王", []),
        ("医生，谢谢您的帮助。", "谢谢您", []),
        # The other vetoes give way to a label.
        ("他读过《李白》这本书。", "李白", ["李白"]),
        ("他住的工业区安全局附近很安静。", "区安", ["区安"]),
    ],
)
def test_only_the_title_and_pronoun_vetoes_outweigh_a_label(rec, text, word, kept):
    assert vetoed(rec, text, word, anchored=True) == kept


def test_the_vetoes_that_read_the_cut_need_the_cut_of_this_text(rec):
    rec._model.tokens("另一段文字。")
    text = "他住的工业区安全局附近很安静。"
    assert rec.whole_cut(text) is None  # the last cut was of another text
    assert settled(rec, text, "区安") == ["区安"]


@pytest.mark.parametrize(
    "text, word",
    [
        ("他们去了王家湾游乐场。", "王家湾"),  # a facility word after the span
        ("孩子们把李子糕吃完了。", "李子"),
        ("他在喝刘家汁。", "刘家"),
    ],
)
def test_facility_food_and_medicine_words_after_a_span(rec, text, word):
    assert rec.suffix_word_after(text, text.index(word) + len(word))
    assert settled(rec, text, word) == []


@pytest.mark.parametrize(
    "text, word, veto",
    [
        ("方案一：先做实验。方案二：先查文献。", "方案二", "numbered_item"),
        ("第一组是张三，第二组是李四。", "张三", None),  # no 张一 or 张二 in the text
        ("赵六和赵七都来了。", "赵六", None),  # a surname and a numeral
        ("慕容九和慕容十都来了。", "慕容九", None),  # a compound surname too
    ],
)
def test_a_numbered_item_is_no_name(rec, text, word, veto):
    s = text.index(word)
    assert rec.numbered_item(text, s, s + len(word), None) == (veto is not None)


@pytest.mark.parametrize(
    "text, word, veto",
    [
        # An item among dictionary nouns: an ingredient, not a person.
        ("加入海鲜酱,生抽,盐,食用油,五香粉,姜汁,蒜汁,一起搅拌。", "姜汁", True),
        # People listed with people, and clauses between commas, stay.
        ("参加会议的有张三、李四、王五和赵六。", "王五", False),
        ("主演：王宝强、刘德华、周迅，导演冯小刚。", "周迅", False),
        ("但是,相比之下,伊索的性价比比较高。", "伊索", False),
    ],
)
def test_an_item_of_a_list_of_things(rec, text, word, veto):
    s = text.index(word)
    assert rec.list_of_things(text, s, s + len(word), None) == veto


@pytest.mark.parametrize(
    "text, word, veto",
    [
        # A conjunction, preposition or adverb, then a piece of the next word.
        ("老师和同学们都来了。", "和同", True),  # 和|同学
        ("会议由主持人宣布开始。", "由主", True),  # 由|主持人
        ("病人常抱怨头疼。", "常抱", True),  # 常|抱怨
        # A name after such a character, or the character starting a full name.
        ("我们和李明一起去", "李明", False),
        ("由俊杰负责", "由俊杰", False),  # 由|俊杰: the span ends with the word
        ("于海洋说明天下雨。", "于海洋", False),  # one word of the cut
    ],
)
def test_a_function_character_before_a_piece_of_a_word(rec, text, word, veto):
    s = text.index(word)
    rec._model.tokens(text)
    held = rec.function_head_cut(text, s, s + len(word), rec.whole_cut(text))
    assert held == veto
    assert vetoed(rec, text, word) == ([] if veto else [word])


def test_a_function_character_before_a_piece_of_a_word_outweighs_a_context_word(rec):
    # 常听|说: the speech verb that placed the span ends the word 听说.
    assert vetoed(rec, "老人常诉说腿疼。", "常诉", anchored=True) == []


@pytest.mark.parametrize(
    "text, word, brand",
    [
        ("值得信赖的手表品牌有浪琴、欧米茄和卡西欧。", "卡西欧", True),
        ("这家厂商的路由器叫莫斯达，信号很好。", "莫斯达", True),
        # A name in a clause before the brand word is not among the brands.
        ("开书店的刘芳收藏了很多玩偶，不少出自老牌厂商乐达。", "刘芳", False),
        ("开书店的刘芳收藏了很多玩偶，不少出自老牌厂商乐达。", "乐达", True),
        # A sign of a person around it: a role, an office ending in 长, a title.
        ("品牌总裁王建国介绍了新款手机。", "王建国", False),
        ("协会秘书长李明谈了品牌建设。", "李明", False),
        ("这个品牌是刘芳女士创立的。", "刘芳", False),
        # The text also names it outside sentences about brands.
        ("这个品牌是刘芳创立的。刘芳今年四十岁。", "刘芳", False),
        ("手表有浪琴、欧米茄和卡西欧。", "卡西欧", False),  # no brand word
    ],
)
def test_a_span_among_brands(rec, text, word, brand):
    s = text.index(word)
    assert rec.among_brands(text, s, s + len(word)) == brand


def test_among_brands_reads_only_spans_below_the_context_score(rec):
    text = "值得信赖的手表品牌有浪琴、欧米茄和卡西欧。"
    s = text.index("卡西欧")
    span = (s, s + 3)
    assert rec.settle(text, [(span, 0.8)], set()) == []
    assert rec.settle(text, [(span, 0.95)], set()) == [(span, 0.95)]
    assert rec.settle(text, [(span, 0.8)], {span}) == [(span, 0.8)]  # a label


@pytest.mark.parametrize(
    "text, listed",
    [
        # The segmentation reads each of these alone as a word and a piece
        # (胡子|诚, 任|建新, 大中, 四海): in a list of names they are names.
        ("本届获奖者有陈立明、胡子诚、王大中、刘晓燕。", ["胡子诚", "王大中"]),
        ("本届获奖者有陈立明、任建新、房维中、刘晓燕。", ["任建新", "房维中"]),
        # a roster's note after a name (（回族）, （女）) is no part of it
        ("名单：李秀英、张百发、武四海（回族）、周建华。", ["武四海"]),
        # commas and spaces part the items too
        ("陈立明，胡子诚，王大中，刘晓燕等人参加了会议。", ["胡子诚", "王大中"]),
        ("获奖名单：陈立明 胡子诚 王大中 刘晓燕", ["胡子诚", "王大中"]),
        # a note with a comma inside stays one item's
        ("名单：李秀英、方初善（女，朝鲜族）、武四海、周建华。", ["武四海"]),
        # a byline in brackets, and the names after a label's name
        ("中新网北京7月26日电 (陈立明 胡子诚 刘晓燕)今天召开会议。", ["胡子诚"]),
        ("新华社北京1月5日电（记者 胡子诚 王大中）国务院召开会议。", ["王大中"]),
        ("新华社北京1月5日电（记者胡子诚、王大中）国务院召开会议。", ["王大中"]),
        # the first item holds the words before the list: its name ends it
        ("出席会议的有李铁映、吴邦国、迟浩田、罗干、贾庆林等。", ["李铁映"]),
        # so does another item with words before the name
        ("他见过程辂，又有一位表哥程许，程诣，程举等人。", ["程许"]),
        # a character a label's name may hold (能, 之) in a list of names
        ("杨拯民、杨振玉、肖秧、肖策能、吴立胜、吴希海、吴振华出席。", ["肖策能"]),
        # a name read short at an item's start is the whole item (许靖|熠)
        ("中新网厦门7月26日电 (杨伏山 张舒姗 许靖熠)中国著名血管外科中心", ["许靖熠"]),
        # a word the dictionary holds whole as a person's name (张|万年: 年 is no
        # given name's character elsewhere)
        ("出席会议的有李铁映、迟浩田、张万年、罗干、贾庆林、温家宝。", ["张万年"]),
        # in a roll of names (four or more, three in four items) an item that is a
        # word too (高歌: to sing aloud)
        ("闻邦椿、姚汝华、袁贵仁、高歌、高伯龙、席裕庚、黄启昌", ["高歌"]),
    ],
)
def test_an_item_of_a_list_of_names_is_a_name(rec, text, listed):
    found = names(rec, text)
    assert all(name in found for name in listed)


@pytest.mark.parametrize(
    "text, word",
    [
        # one name among things: no list of names
        ("馅料有韭菜、白菜、王芳、胡萝卜、高原。", "高原"),
        # an ordinary word among names stays a word
        ("获奖的有李秀英、高原、周建华。", "高原"),
        # a place stays a place in a roll of names
        ("闻邦椿、姚汝华、袁贵仁、江西、高伯龙、席裕庚、黄启昌", "江西"),
        # after a label's name, the list ends at the first item that is no name
        ("联系人胡子诚、客服王大中", "王大中"),
    ],
)
def test_an_item_of_another_list_stays_what_it_is(rec, text, word):
    assert word not in names(rec, text)


@pytest.mark.parametrize(
    "text, mentions",
    [
        # news writes a foreign person by the surname after the first mention
        (
            "国务大臣约翰·吉尔伯特对老兵表示慰问。而吉尔伯特本人也不知道结果。",
            ["约翰·吉尔伯特", "吉尔伯特"],
        ),
        (
            "罗多尔佛·塞尔特扎·塞维里诺五日就任。塞维里诺于去年七月当选。",
            ["罗多尔佛·塞尔特扎·塞维里诺", "塞维里诺"],
        ),
        # not a place the dictionary knows, nor before a place's word
        ("乔治·华盛顿是美国第一任总统。会议在华盛顿举行。", ["乔治·华盛顿"]),
        ("约翰·肯尼迪遇刺。他们抵达肯尼迪机场。", ["约翰·肯尼迪"]),
    ],
)
def test_the_surname_of_a_middle_dot_name_stands_for_it(rec, text, mentions):
    assert names(rec, text) == mentions
