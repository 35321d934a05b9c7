"""PERSON (Chinese): surname list + segmenter words + context words, all offline.

Sources, merged:
* a name right after or before a person context word (收件人王健，... / 张凤英女士):
  the surest sign, found by one regex with no segmenter;
* jieba's segmentation, run only on short windows around surname characters that
  pass a dictionary check and around context words: an out-of-vocabulary word that
  starts with a surname and whose given-name characters are name-like (log-odds
  from jieba's dictionary), or a dictionary person word (nr);
* transliterated foreign names joined by a middle dot (亚当·山克曼), or runs of
  transliteration characters next to a person context word (前锋贝尔巴托夫);
* a surname plus a title (李总, 施先生) is reported at 0.4 only.
Person-tagged dictionary words without a surname (托蒂, 温格) score below 0.5 unless a
context word is near.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Collection
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import ClassVar

from corpusgate.detectors.pii.china.base import SpanRecognizer
from corpusgate.detectors.pii.sensitive import trie_regex
from corpusgate.detectors.pii.windows import first_chars, matches_at
from corpusgate.detectors.spans import DisjointSpans, ScoredSpans, SpanIndex

_CJK = "\u4e00-\u9fff"
_CJK_WORD = re.compile(f"[{_CJK}]+")
# Characters that end or cannot be part of a given name.
_STOP = set(
    "的了是在和有就不人都一这中大为上个们到说时要以会可也你我他她它对能而那得于着下自之"
    "年过发后作里用道行所然家种事多经么去法如同现当没动面起看定天分还进好部其些主样理心"
    "本前开但因只从想实日已被将把让向与及或等各该每某此其并很最更又再都即就被请据称"
    "省市县区镇乡村路街号楼室由给跟替"
)


# Characters of _STOP that stand in given names nonetheless: each is in at least 5
# given names of the training sentences and at least 0.5% of its uses there are in
# one (开 44 of 1,134, 里 37, 大 29, 中 28, 家 21, 天 16 ... 为民, 同和). They may
# be given-name characters; the model weighs them. Those that end hardly any of
# those names (唐嫣|大) only begin a two-character given name. The particles 和 and
# 之 (11 names each) stay out: in real text they join a name to the next word far
# more often (王旭和, 程之大, 曾和尚).
_GIVEN_TOO = set("开里大中家天路为然同道进法定")
_NOT_GIVEN = _STOP - _GIVEN_TOO
# After a record label (联系人：欧阳一鸣, 持卡人司马一鸣因病) the label announces the
# name, so the characters of _STOP that stand in at least 4 given names of the
# training sentences are given-name characters there too (一 10, 本 6, 有 15);
# negation, 人 and the words of dates and places (不, 人, 年, 时, 上) stay out.
_LABELLED_GIVEN_CHARS = frozenset("一有和之本更自能向发")
_LABELLED_NOT_GIVEN = _NOT_GIVEN - _LABELLED_GIVEN_CHARS
# What ends a field's value: a space, a line end, a separator, a closing quote or
# bracket, the end of the text.
_FIELD_END = re.compile(r"[\s，,；;。、|｜/）)」』\"”'’]|$")
_GIVEN_FIRST_ONLY = frozenset("大家定")

# Surname characters that are also measure words, and what comes before a measure
# word (a demonstrative or a numeral).
_MEASURE_SURNAMES = frozenset("张封项双门支台间")
_QUANTIFIERS = frozenset("这那哪每一二两三四五六七八九十百千几数多半整某")

# An enumeration: items of one clause between one kind of separator (、,
# commas, spaces), each of at most _ITEM_MAX characters (of a longer first or last
# item, its last or first ones). An item of a roster may carry a note, whose
# comma parts no items: 蒙美路（女）, 李忠镇（朝鲜族）, 方初善（女，朝鲜族）.
_LIST_TEXT = re.compile(
    r"(?:[^、，,\s。！？!?；;：:（(]|[（(][^（()）\s]{1,8}[)）]|[（(])+"
)
_SEPARATOR_KINDS = {"、": 0, "，": 1, ",": 1}
_ITEM_NOTE = re.compile(r"[（(][^（()）]{1,8}[)）]$")
_LAST_OPENING = re.compile(r"[（(【\[「『“](?!.*[（(【\[「『“])", re.S)
_CLOSING_RE = re.compile(r"[）)】\]」』”]")
_ITEM_MAX = 16
# What stands right beside an item: its separators, a note's or the run's brackets.
_ITEM_EDGES = frozenset("、，, \u3000（(）)【】[]「」『』“”")
# What follows a label's name that opens a list of names (记者胡子诚、王大中).
_LABEL_LIST_SEPARATORS = frozenset("、 \u3000")


def _separator_kind(gap: str) -> int:
    """0 for 、, 1 for a comma, 2 for spaces, -1 for anything else."""
    kind = _SEPARATOR_KINDS.get(gap)
    if kind is not None:
        return kind
    return 2 if gap and not gap.strip(" \u3000") else -1


def _item_core(text: str, a: int, b: int) -> tuple[int, int]:
    """The item text[a:b] without a roster's note after it (（女）, （回族）)."""
    note = _ITEM_NOTE.search(text, a, b)
    return a, note.start() if note else b


def _bracketed(items: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """The items inside the brackets an enumeration stands in: an item with an
    opening bracket starts the enumeration anew after it, one with a closing
    bracket ends it there (（记者 胡子诚 王大中）国务院…)."""
    out: list[tuple[int, int]] = []
    for a, b in items:
        m = _LAST_OPENING.search(text, a, b)
        if m is not None:
            out, a = [], m.end()
        m = _CLOSING_RE.search(text, a, b)
        if m is not None:
            out.append((a, m.start()))
            break
        out.append((a, b))
    return out


def enumerations(text: str) -> list[list[tuple[int, int]]]:
    """The runs of items of `text`'s enumerations, each of one kind of separator."""
    pieces = [m.span() for m in _LIST_TEXT.finditer(text)]
    kinds = [-1] + [
        _separator_kind(text[b:a])
        for (_, b), (a, _) in zip(pieces, pieces[1:], strict=False)
    ]
    out: list[list[tuple[int, int]]] = []
    for kind in sorted(set(kinds) - {-1}):
        run: list[tuple[int, int]] = []
        for (a, b), k in zip(pieces, kinds, strict=True):
            if k != kind or not run:
                if len(run) > 1:
                    out.append(run)
                run = [(max(a, b - _ITEM_MAX), b)]
                continue
            run.append((a, min(b, a + _ITEM_MAX)))
            if b - a > _ITEM_MAX:  # too long inside a run: ends it
                out.append(run)
                run = [(b - _ITEM_MAX, b)]
        if len(run) > 1:
            out.append(run)
    return out


# A record's name ends at a comma or 的 (收件人高明，手机…, 客户焦想的身份证号码…),
# and an identifier follows in the same clause: a run of six digits or more,
# spaces and dashes between them, after a label of a few words (手机, 护照号码E,
# 的身份证号码为).
_LONG_NUMBER = re.compile(r"\d[\d \-]{4,}\d")
_IDENTIFIER_AFTER = re.compile(
    r"[，,的][^\d。！？；\n，,]{0,10}?[A-Za-z]?\+?\d[\d \-]{4,}\d"
)

# A go or chess player's rank after the name (曹大元九段, 周鹤洋七段): a title only
# a person has, kept apart from the titles the model reads (no refit).
_DAN_RANK = re.compile("[一二三四五六七八九初]段")

# Offices that news writes right before a foreign official's transliterated name
# (an office ending in one of these, 副总统, 外交部长, is found by its end).
_OFFICES = (
    "总统|总理|首相|国王|女王|王储|亲王|外长|国务卿|秘书长|议长|大使|主席|总督|州长|市长"
    "|部长|总司令|外相|防卫相|官房长官|大臣|知事"
)
# The sports roles news writes before a foreign athlete's or coach's name (roles of
# CnPersonRecognizer.ROLES too).
SPORTS_ROLES = tuple(
    "前锋 后卫 中场 门将 主帅 球星 名将 老将 新秀 教练 球员 选手".split()
)
_OFFICE_BEFORE = re.compile(f"(?:{_OFFICES}|{'|'.join(SPORTS_ROLES)})$")
# Posts, heads and occupations news writes right before a person's name, though no
# office of state (总干事鲁杰罗, 发言人鲁宾, 农民季正清): they announce a name for the
# set-apart floor only (`announced`), not for the model's features.
POSTS = tuple(
    "领导人 总干事 特使 协调员 发言人 顾问 助理"
    # the heads of a province, a county, a bureau, a school, a firm, a unit of the
    # army (省长回良玉, 总参谋长傅全有, 连长白文建)
    " 省长 县长 区长 乡长 镇长 村长 书记 局长 厅长 处长 科长 所长 院长 校长 社长"
    " 会长 团长 连长 营长 师长 军长 行长 厂长 矿长 站长 馆长 署长 司令员 政委"
    " 参谋长 董事长 总经理 总编辑 主编 委员 常委"
    # occupations news writes before a name (农民季正清, 女运动员原媛)
    " 农民 工人 职工 运动员 队员 战士 干部 民警 警察 教师 学生 护士 厨师".split()
)
_OFFICE_RE = re.compile(_OFFICES)
# An office right after a foreign official's name (克雷库总统, 布尔加克副总理).
_OFFICE_AFTER = re.compile(f"(?:第一|常务)?副?(?:{_OFFICES})")

# The middle dots that join the parts of a transliterated name (约翰·史密斯).
MIDDLE_DOTS = "·•・"

# Last characters of shop, temple, place, residence and family names, never of a
# person's name.
_PLACE_LAST = set(
    "氏峪寺庙村镇湖园馆店厅堂桥街路区市县省岛港湾站厂楼城口沟坡坝屯滩宫峡府"
    # ... and of offices and units (劳安课, 秘书室, 外交部, 公司, 康文署): none of
    # these ends one of the 5,273 names of the training sentences.
    "课处室组股所部院司局系署"
)
# Characters that never stand inside a name after its first character: list
# separators (他方及仲裁人, 书记官、佐理员); none of the training names holds one.
LIST_JOINERS = frozenset("及与或、，,")
# The nominaliser 者 ends a phrase, not a name (解散者, 陈述者, 权益者: "one who
# ..."); one of the 5,273 names of the training sentences ends with it. Nor does
# 费 (fee: 仲介费, 迟延费), which ends none of them.
NEVER_LAST = frozenset("者费")
# A name is not written right after a modal verb, a negation, an adverb of degree
# or a percent sign (应|陈报, 未|迟延, 较为|周正, 5%|阿昔洛韦: a verb's, an
# adjective's or a substance's slot), nor right before the nominaliser or 费 (fee)
# (迟延|费用, 陈述|者: a noun's). Each of these characters occurs 67 to 2,780 times
# in the training sentences and never next to one of their 5,273 names on that side.
NEVER_BEFORE_NAME = frozenset("应须未不勿毋拟均皆亦并已曾再要需另也都就还又最太更较%％")
NEVER_AFTER_NAME = frozenset("者费")


# What sets a name off from the label before it in a form field (申请人：王健).
_FIELD_SEP = frozenset("：: \t\n\u3000")

# A capitalised Latin word, or two capitals (a name in capitals: ZHANG WEI).
_LATIN_UPPER = re.compile("[A-Z][a-zA-Z]")
# One word of a Latin-script name: capitalised (J. R. Smith, O'Neil).
_LATIN_WORD = re.compile(r"[A-Z](?:\.|[a-z'’\-]+)")
# A word of one to three pinyin syllables, tones left out (ZHANG, XIAOMING, OUYANG).
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un"
    r"|ia|ie|iu|ua|uo|ui|ue|er|a|o|e|i|u|v)"
)
_PINYIN_WORD = re.compile(f"(?:{_PINYIN_SYLLABLE}){{1,3}}", re.IGNORECASE)
# What a form's name field holds when it holds no name, written in capitals.
_FORM_PLACEHOLDERS = frozenset(
    {"NO", "NONE", "NULL", "DATA", "TEST", "UNKNOWN", "NAME", "USER", "ADMIN"}
)


# A Latin-script name after a label: one to four capitalised words or initials
# (John Smith, J. R. Smith, Mary-Ann O'Neil); case is checked by the caller.
LATIN_NAME = r"[A-Z][a-z'’\-]+(?:[ \t]+(?:[A-Z]\.|[A-Z][a-z'’\-]+)){0,3}(?![A-Za-z])"


@lru_cache(maxsize=1)
def name_labels() -> dict[str, tuple[str, ...]]:
    """Labels and roles that announce a name in records (data/name_labels.tsv),
    by language: {"zh": (...), "en": (...)}."""
    text = (
        resources.files("corpusgate.detectors.pii.data")
        .joinpath("name_labels.tsv")
        .read_text("utf-8")
    )
    out: dict[str, list[str]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        _, lang, words = line.split("\t")
        out.setdefault(lang, []).extend(w.strip() for w in words.split("|"))
    return {k: tuple(dict.fromkeys(v)) for k, v in out.items()}


@lru_cache(maxsize=1)
def load_lines(name: str) -> tuple[str, ...]:
    text = (
        resources.files("corpusgate.detectors.pii.data")
        .joinpath(name)
        .read_text("utf-8")
    )
    words: list[str] = []
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            words.extend(line.split())
    return tuple(words)


@lru_cache(maxsize=1)
def not_name_suffixes() -> frozenset[str]:
    """The words after a span that make it a place's, an organisation's, an event's
    or a product's name (data/cn_not_name_suffixes.txt)."""
    return frozenset(load_lines("cn_not_name_suffixes.txt"))


def announcing_words() -> list[str]:
    """Chinese context words and record labels written before a name (收件人,
    负责人, 记者), longest first."""
    ctx = load_lines("person_context.txt")
    return sorted(
        {w for w in ctx if not w.startswith("R:")} | set(name_labels()["zh"]),
        key=len,
        reverse=True,
    )


def _inside(spans: list[tuple[int, int]]) -> list[int]:
    """Every offset inside `spans`. A word of a list of words occurs only inside
    the spans of a search for the list (finditer leaves none out between its
    matches): a pattern that starts with such a word can start only there."""
    return [i for s, e in spans for i in range(s, e)]


class RuleSpans(dict):
    """The rules' spans and scores; `anchored` holds the spans placed by an
    announcing word with a name boundary after them (收件人王健，/ 王健先生), the
    only ones whose score the second stage keeps as a floor. A context word merely
    near a word (申请人应检具..., 学生修毕...) only raises the rules' score."""

    def __init__(self) -> None:
        super().__init__()
        self.anchored: set[tuple[int, int]] = set()
        # Anchored spans that are a record field's value (`_context_name`): the
        # second stage keeps the label's score for them whatever it reads.
        self.fields: set[tuple[int, int]] = set()


class WholeCut:
    """jieba's words of a whole text as offsets, for asking which word an offset
    falls inside."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.starts = list(accumulate(map(len, words), initial=0))

    def around(self, i: int) -> tuple[int, int, str] | None:
        """(start, end, word) of the word that `i` lies strictly inside, or None
        when a word starts at `i`."""
        k = bisect_right(self.starts, i) - 1
        if k < 0 or self.starts[k] == i:
            return None
        start, word = self.starts[k], self.words[k]
        return (start, start + len(word), word) if i < start + len(word) else None

    def starts_at(self, i: int) -> bool:
        """Whether a word starts at offset `i`."""
        k = bisect_right(self.starts, i) - 1
        return k >= 0 and self.starts[k] == i


# Aspect particles: the word before one is a verb (来|了, 来过).
_ASPECT = "了过着"
_ASPECT_WORDS = [[c] for c in _ASPECT]


class CnPersonRecognizer(SpanRecognizer):
    ENTITY = "PERSON"
    LANGUAGE = "zh"
    CONTEXT_SCORE: ClassVar[float] = 0.9
    SEGMENTER_SCORE: ClassVar[float] = 0.75
    DICT_NAME_SCORE: ClassVar[float] = 0.45
    # Surnames that are also common word-initial characters (阿姨, 海舌, 华贸中心):
    # a segmenter word starting with one needs a context word.
    WEAK_SURNAMES: ClassVar[frozenset[str]] = frozenset(
        "阿都海华乐房明阳高夏莫金文和平国时向成元于安白石方万龙云花江山水车东南西北"
        "长常春秋上中下新老大小天利富美古喜沙宝凤红黄蓝青绿紫景光荣雷风雨"
    )
    # A preposition that is also a rare surname opens no name when a surname
    # follows it (由|韩梅医生负责诊治, 由|常迥院士担任, 由|程栋、沈敏华合著): the name
    # starts after it.
    PREPOSITION_SURNAMES: ClassVar[str] = "由"
    # A character that goes on with the clause after a name, never a given name's
    # last there: 于 before a date (王旭于1966年出生), 是 before 一 (温迪莱是一位...).
    # No PERSON span of the training sentences ends in either.
    CLAUSE_HEADS: ClassVar[dict[str, str]] = {
        "于": "0123456789０１２３４５６７８９一二三四五六七八九十今昨去同次上本",
        "是": "一",
    }
    FOREIGN_SCORE: ClassVar[float] = 0.8
    NO_SURNAME_SCORE: ClassVar[float] = 0.25
    CONTEXT_BOOST: ClassVar[float] = 0.2

    TITLE_ONLY_SCORE: ClassVar[float] = 0.4
    COMMON_WORD_FREQ: ClassVar[int] = 100  # jieba frequency of an ordinary word
    WEAK_SURNAME_ODDS: ClassVar[float] = 2.0  # 蓝雅婷: a weak surname, a clear name
    FIRST_GIVEN_ODDS_MIN: ClassVar[float] = -1.0
    ROLE_NAME_SCORE: ClassVar[float] = 0.85
    GIVEN_ODDS_MIN: ClassVar[float] = 0.5  # see given_name_score
    DICT_FULL_NAME_ODDS: ClassVar[float] = 2.5
    TRANSLIT_SCORE: ClassVar[float] = 0.7
    TRANSLIT_WEAK_SCORE: ClassVar[float] = 0.4
    # Characters of standard transliteration tables (Xinhua): a run of them is
    # probably a foreign name.
    TRANSLIT: ClassVar[str] = (
        "阿埃艾爱安奥巴拜班邦贝本比彼波伯博布查达戴丹德迪蒂丁杜多厄恩尔法菲费芬"
        "夫弗福盖冈戈格古哈汉豪赫亨霍基吉加贾杰卡凯坎康考科克库昆拉莱赖兰劳勒雷"
        "里利莉琳卢鲁伦罗洛玛迈麦曼梅蒙米姆穆纳娜奈内尼妮纽努诺欧帕佩皮普奇乔"
        "切琼萨塞桑瑟森莎舍什斯苏索塔泰坦特提图托瓦威韦维沃乌西希谢辛雅亚扬"
        "耶伊尤约泽扎詹兹佐卜"
    )
    HONORIFICS: ClassVar[tuple[str, ...]] = tuple(
        "先生 女士 小姐 总 律师 博士 老师 医生 教授 经理 局长 书记 主任 师傅 阿姨"
        " 大爷 老板 工 董 部长 市长 县长 省长 校长 院长 队长 同学 太太 夫人 姐 哥"
        " 叔 伯 嫂 某 家 氏 老 记者 皇帝 皇后 太后 贵妃 王妃 妃 太子 公主"
        # comrade and academician: 何长工同志, 钱学森院士
        " 同志 院士".split()
    )
    ROLES: ClassVar[tuple[str, ...]] = SPORTS_ROLES + tuple(
        "总统 总理 首相 国王 王子 公主 影星 明星 歌星 演员 作家 画家 诗人 建筑师"
        " 制片人 编剧 外长 大使 将军 元帅 女星 男星 歌手 导演 主席 议员 医师 护士长"
        " 律师 会计师 工程师 设计师 主任 董事 总裁 经理 店长 村民 居民 市民 老人 男子"
        " 女子".split()
    )
    PLACE_SUFFIX: ClassVar[str] = (
        "队|城|市|州|省|国|岛|港|湖|河|山|堡|联|俱乐部|大学|公司|集团|体育场|酒店|"
        "人|语|族|教|派|号|牌|式|区|县|镇|村|湾|海|洋|江|半岛|大陆|共和国|王国"
    )

    # Candidates the second stage scores below this are not reported at all.
    MODEL_MIN_SCORE: ClassVar[float] = 0.3

    def __init__(
        self, use_segmenter: bool = True, use_model: bool = True, use_crf: bool = False
    ) -> None:
        self.use_segmenter = use_segmenter
        # The learned second stage needs the segmenter's words; the character CRF
        # is one of that stage's sources.
        self.use_model = use_model and use_segmenter
        self.use_crf = use_crf and self.use_model
        self._model = None
        super().__init__()

    def load(self) -> None:
        surnames = load_lines("cn_surnames.txt")
        self.single = frozenset(s for s in surnames if len(s) == 1)
        self.compound = frozenset(s for s in surnames if len(s) == 2)
        # The list runs from the most frequent surname down (王 李 张 ...).
        self.surname_rank = {s: i for i, s in reversed(list(enumerate(surnames)))}
        # Characters a surname starts with, for a cheap first test of a word.
        self.surname_firsts = self.single | {c[0] for c in self.compound}
        ctx = load_lines("person_context.txt")
        labels = name_labels()
        left = announcing_words()
        right = sorted(
            {w[2:] for w in ctx if w.startswith("R:")}, key=len, reverse=True
        )
        # English labels too: a Chinese name after them (Driver: 张伟).
        self.left_words = [w for w in left if re.search(f"[{_CJK}]", w)] + list(
            labels["en"]
        )
        self.right_words = right
        self._record_labels = frozenset(labels["zh"]) | frozenset(labels["en"])
        # The words that announce a name right after them (`announced`): context
        # words, record labels, roles, offices and posts. Forms of address follow a
        # name in Chinese (王先生): before one they end a phrase (前台的小姐|连水单).
        self._announcing = (
            frozenset(left)
            | frozenset(self.ROLES)
            | frozenset(_OFFICES.split("|"))
            | frozenset(POSTS)
        ) - {"先生", "女士", "小姐"}
        self._announcing_lens = sorted({len(w) for w in self._announcing})
        sur = (
            "|".join(sorted(self.compound, key=len, reverse=True))
            + "|["
            + "".join(sorted(self.single))
            + "]"
        )
        # The patterns that open on a surname (the regex engine's own first-
        # character scan does not see into their alternatives).
        at_sur = first_chars(self.single | self.compound)
        given = f"[{_CJK}]"
        end = (
            r"(?=[，,。.;；:：\s、！!？?（()）\"“”」』》]|$|"
            + "|".join(re.escape(w) for w in self.right_words)
            + "|[的已于在是今现将向被和与及说称在等])"
        )
        # Word lists are compiled as tries: a flat alternation of hundreds of
        # labels is tried word by word at every position.
        left_alt = trie_regex(self.left_words)
        # Between the label and the name: a colon or spaces, or the copula of a
        # record's sentence (经办人为罗刚，联系人是张伟).
        between = r"(?:[：:\s]{0,2}|[为是])"
        self._left_re = re.compile(
            "(?:" + left_alt + ")" + between + f"(?P<n>(?:{sur}){given}{{1,2}}?){end}"
        )
        # The same label and a surname, the name's end left open: where no
        # character of `end` follows, the dictionary's words end the name
        # (`_name_end`: 司机高峰|未按时, 患者徐海燕|因病).
        self._left_open_re = re.compile(
            "(?:" + left_alt + ")" + between + f"(?P<n>{sur})(?=[{_CJK}])"
        )
        self._sur = sur
        self._left_ctx_re = re.compile(left_alt)
        self._en_titles = frozenset(
            w.lower() for w in load_lines("en_person_titles.txt")
        )
        self._en_common = frozenset(load_lines("en_common_words.txt"))
        # A Latin-script name after a label of either language (开户名：John Smith,
        # Driver: Zhang Wei) in text with Chinese in it.
        any_label = sorted(set(labels["zh"]) | set(labels["en"]))
        self._label_latin_re = re.compile(
            first_chars([w.lower() for w in any_label])
            + r"(?<![A-Za-z])(?P<l>"
            + trie_regex([w.lower() for w in any_label])
            + r")(?P<sep>[：:\s]{0,2})(?P<n>"
            + LATIN_NAME
            + ")",
            re.IGNORECASE,
        )
        self._right_ctx_re = re.compile("|".join(map(re.escape, self.right_words)))
        self._right_re = re.compile(
            f"{at_sur}(?<![{_CJK}])(?P<n>(?:{sur}){given}{{1,2}}?)(?:"
            + "|".join(re.escape(w) for w in self.right_words)
            + ")"
        )
        # Name parts: CJK characters that are not function words (等, 的, 在...).
        # Transliteration characters that are also function words (里, 本, 多, 法)
        # stay name parts here: 哈里森, 本·拉登.
        stop = "".join(sorted(_STOP - set(self.TRANSLIT)))
        self._dot_stop = frozenset(stop)
        part = f"(?:(?![{stop}])[{_CJK}])"
        # 大 ends 亚历山大 (Alexander) before the dot, though a function word elsewhere.
        self._foreign_re = re.compile(
            f"(?:{part}{{1,4}}|{part}{{1,3}}大)[{MIDDLE_DOTS}]{part}{{1,8}}"
            f"(?:[{MIDDLE_DOTS}]{part}{{1,8}})?"
        )
        self._ctx_re = re.compile(trie_regex(sorted(set(self.left_words) | set(right))))
        self._honorific_re = re.compile(
            "|".join(sorted(self.HONORIFICS, key=len, reverse=True))
        )
        roles = sorted(set(self.left_words) | set(self.ROLES), key=len, reverse=True)
        self._role_name_re = re.compile(
            "(?:" + trie_regex(roles) + f")(?P<n>(?:{self._sur}))"
        )
        self._loose_right_re = re.compile(
            f"{at_sur}(?P<n>(?:{self._sur})[{_CJK}]{{1,2}}?)(?:"
            + "|".join(re.escape(w) for w in self.right_words if len(w) >= 2)
            + ")"
        )
        self._boundary_re = re.compile(
            f"{at_sur}(?:^|(?<=[^{_CJK}]))(?P<n>(?:{self._sur})[{_CJK}]{{1,2}})"
            r"(?=$|[，,。;；:：\s、！!？?（()\"“”」』》0-9A-Za-z]"
            r"|[是的在于将被和与及说称等因近最也已曾年])"
        )
        self._translit_re = re.compile(f"[{self.TRANSLIT}]{{2,7}}")
        # What `_last_text` keeps: name -> (text, value).
        self._last: dict[str, tuple[str, object]] = {}
        self._place_suffix_re = re.compile(self.PLACE_SUFFIX)
        self._role_re = re.compile("|".join(self.ROLES))
        from corpusgate.detectors.pii.china.cn_person_model import well_known_people

        self._well_known = well_known_people()
        self._ja_surnames = frozenset(load_lines("ja_surnames.txt"))
        self._countries = frozenset(load_lines("cn_countries.txt"))
        self._country_lens = sorted({len(c) for c in self._countries})
        if self.use_segmenter:
            from corpusgate.detectors.pii.china import segmenter

            self._cut = segmenter.cut
            self._dictionary_words = segmenter.dictionary_words
            self._freq, self._tags = segmenter.dictionary()
            self._given_logodds, char_freq = _given_name_statistics(self.single)
            self._common_chars = frozenset(
                c for c, n in char_freq.items() if n >= self.GARBLE_RARE_FREQ
            )
            # For `_starts_name`, asked at every surname character (an eighth of
            # news text): the person words (tag nr...), every start of one of
            # two characters or more, and the characters that may begin a given
            # name, so that most positions cost a set lookup or two.
            self._nr_words = frozenset(
                w for w, t in self._tags.items() if t.startswith("nr")
            )
            self._nr_heads = frozenset(
                w[:k] for w in self._nr_words for k in range(2, len(w) + 1)
            )
            self._given_firsts = frozenset(
                c
                for c in map(chr, range(0x4E00, 0xA000))
                if c not in _NOT_GIVEN
                and self._given_logodds.get(c, 0.0) >= self.FIRST_GIVEN_ODDS_MIN
            )
            self._not_name_suffixes = not_name_suffixes()
            self._translit_chars = frozenset(self.TRANSLIT + self.TRANSLIT_MORE)
            # ... and of a foreign official's name next to an office: 马 too
            # (哈马迪, 普里马科夫), and Xinhua's 南, 金, 涅, 嘎, 列 (安南,
            # 切尔诺梅尔金), common in Chinese words and names and so no TRANSLIT
            # characters.
            self._official_chars = self._translit_chars | set("马南金涅嘎列")
            self._surname_re = re.compile(
                at_sur
                + "(?:"
                + "|".join(sorted(self.compound, key=len, reverse=True))
                + "|["
                + "".join(sorted(self.single))
                + "])"
            )
            if self.use_model:
                from corpusgate.detectors.pii.china.cn_person_model import (
                    PersonCandidateModel,
                    load_weights,
                )

                weights = load_weights(crf=self.use_crf)
                tagger = None
                if weights.get("crf"):
                    from corpusgate.detectors.pii.china.cn_person_crf import (
                        CharTagger,
                    )

                    tagger = CharTagger(
                        self,
                        model_file=weights["crf"].get("file"),
                        templates=weights["crf"].get("templates"),
                    )
                self._model = PersonCandidateModel(self, weights, tagger)
        self.is_loaded = True

    # An article heading of a law or regulation (第 12 条, 第二十条之一, 第 20-1 条)
    # at the start of a line or clause and followed by a space; STATUTE_ARTICLES of
    # them make the document a statute. None of the 15,902 training sentences has
    # one (four cite an article: 第X条规定).
    _ARTICLE_RE = re.compile(
        r"(?:^|(?<=[\s。：:；;]))第\s*[0-9０-９一二三四五六七八九十百千〇零]+"
        r"(?:-\d+)?\s*[条條](?:之[一二三四五六七八九十]+)?(?=\s)"
    )
    STATUTE_ARTICLES: ClassVar[int] = 3

    def _last_text(self, name: str, text: str, compute):
        """compute(text), kept under `name` for the last text it was asked of: the
        rules and the second stage ask the same of one text several times."""
        last = self._last.get(name)  # one read: safe between threads
        if last is None or last[0] is not text:
            last = (text, compute(text))
            self._last[name] = last
        return last[1]

    def translit_runs(self, text: str) -> list[tuple[int, int]]:
        """The spans of `_translit_re` in `text` (runs of transliteration
        characters)."""
        return self._last_text(
            "runs", text, lambda t: [m.span() for m in self._translit_re.finditer(t)]
        )

    def context_words(
        self, text: str
    ) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """The spans of the left context words (`_left_ctx_re`: 收件人, 记者) and of
        the right ones (`_right_ctx_re`: 说, 先生) in `text`. Most texts have none of
        one kind or the other (three in five news articles), and the patterns that
        hold such a word cannot match there."""
        return self._last_text(
            "context",
            text,
            lambda t: (
                [m.span() for m in self._left_ctx_re.finditer(t)],
                [m.span() for m in self._right_ctx_re.finditer(t)],
            ),
        )

    def statute_layout(self, text: str) -> bool:
        """Whether `text` is laid out as a statute: at least STATUTE_ARTICLES
        article headings."""
        if "条" not in text and "條" not in text:
            return False
        found = 0
        for _ in self._ARTICLE_RE.finditer(text):
            found += 1
            if found >= self.STATUTE_ARTICLES:
                return True
        return False

    def statute_names(self, text: str, spans, rule_scores: RuleSpans) -> list:
        """The (span, score) pairs of `spans` a statute may hold: a law names
        roles, not people, and a role word before a word is a phrase there
        (员工文康, 当事人陈述, 申请人签名盖章, 申请人应陈明). Only a name set off
        from the label that announces it by a colon or a space (申请人：王健, 总统
        马英九) is kept."""
        return [
            (span, score)
            for span, score in spans
            if span in rule_scores.anchored
            and text[span[0] - 1 : span[0]] in _FIELD_SEP
        ]

    # Titles that follow a surname only as the whole span: 太 for 太太 (Mrs) in
    # Hong Kong usage (陈太, 李太) - as a prefix of the given part it starts names
    # (李太白, 张太雷), so it is not one of HONORIFICS.
    SHORT_TITLES: ClassVar[frozenset[str]] = frozenset("太")
    # Titles that are also common first characters of given names (generation
    # names): of the training sentences' names, 20 are surname + 家 + one
    # character and 6 surname + 伯/叔 + one.
    GENERATION_TITLES: ClassVar[frozenset[str]] = frozenset("家伯叔")
    GENERATION_GIVEN_MIN: ClassVar[float] = -1.0  # log-odds: 彬 -0.1, 指 -1.8, 说 -5.9

    def surname_and_title(self, word: str) -> bool:
        """The span is a surname and a title (李总, 施先生, 陈太), no full name.
        家, 伯 and 叔 followed by a likely given-name character are the given
        name's first character (`generation_name`), not a title (李伯|说)."""
        sl = self._surname_len(word) or 1
        if self._honorific_re.match(word, sl) is None:
            return word[sl:] in self.SHORT_TITLES
        return not self.generation_name(word)

    def generation_name(self, word: str) -> bool:
        """Surname, 家/伯/叔 and a likely given-name character (李家明, 梁伯韬): a
        full name, though surname + 家 is also a frequent word (李家, the Li family)."""
        sl = self._surname_len(word) or 1
        return (
            len(word) == sl + 2
            and word[sl] in self.GENERATION_TITLES
            and self.given_name_score(word[-1]) > self.GENERATION_GIVEN_MIN
        )

    def _surname_len(self, word: str) -> int:
        if word[:2] in self.compound and len(word) >= 3:
            return 2
        if word[0] in self.single:
            return 1
        return 0

    @staticmethod
    def _given_ok(
        given: str, not_given: frozenset[str] | set[str] = _NOT_GIVEN
    ) -> bool:
        # A loop, not all()/any() over generators: called for every candidate
        # surname (about 10 per Chinese text).
        if not 1 <= len(given) <= 2 or given[-1] in _GIVEN_FIRST_ONLY:
            return False
        for c in given:
            if not "\u4e00" <= c <= "\u9fff" or c in not_given:
                return False
        return True

    # Characters of context either side of a span given to the segmenter.
    CUT_WINDOW: ClassVar[int] = 4
    # Given-name log-odds of a character that makes a one character longer reading
    # of a name the likelier one (林雨|晴 is 林雨晴).
    LONGER_NAME_ODDS: ClassVar[float] = 1.0

    def cuts_word(self, text: str, span: tuple[int, int]) -> bool:
        """Whether `span` starts or ends inside a word of the segmentation of the
        text around it: 管机 in 主管机关, 穆斯 in 穆斯林 are no names there."""
        bounds = self._word_bounds(text, *span)
        return span[0] not in bounds or span[1] not in bounds

    def _words_around(self, text: str, s: int, e: int) -> list[tuple[int, int, str]]:
        """jieba's words of text[s:e] and CUT_WINDOW characters either side, with
        their offsets in `text`."""
        pos = max(0, s - self.CUT_WINDOW)
        out = []
        for word in self._cut(text[pos : e + self.CUT_WINDOW]):
            out.append((pos, pos + len(word), word))
            pos += len(word)
        return out

    def _word_bounds(self, text: str, s: int, e: int) -> set[int]:
        """The word boundaries of the segmentation around text[s:e]
        (`_words_around`)."""
        words = self._words_around(text, s, e)
        return {words[0][0] if words else max(0, s - self.CUT_WINDOW)} | {
            end for _, end, _ in words
        }

    def _longer_by_a_word_head(self, text: str, found: RuleSpans) -> None:
        """Lowers a surname reading the rules placed one character too long: the
        reading one character shorter is placed too, and the longer one ends inside
        a word of the segmentation (记者杨莉|通讯员, 演员张瑜|首次, 张博|诉称), so its
        last character begins the next word. The segmentation alone is no proof
        (冀|岩上|月, 客户王|桂荣): only the shorter reading's own placement makes
        the cut decide, and only when that character is no likely given-name
        character (LONGER_NAME_ODDS: 张敏华|为 is not 张敏|华为, 宋志明|年 not
        宋志|明年). A reading going on in transliteration characters (文迪索|尔)
        is left to `settle`, which reads where a transliteration ends."""
        translit = self._translit_chars
        for (s, e), score in list(found.items()):
            if (
                score >= 0.5
                and e - s == 3
                and found.get((s, e - 1), 0.0) >= 0.5
                and not (text[e - 1] in translit and text[e : e + 1] in translit)
                and self.given_name_score(text[e - 1]) < self.LONGER_NAME_ODDS
                and self._surname_len(text[s:e])
                and e not in self._word_bounds(text, s, e)
            ):
                found[(s, e)] = min(score, self.TITLE_ONLY_SCORE)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        if self._model is None:
            rules = self.rule_spans(text)
            found = list(rules.items())
            if self.statute_layout(text):
                found = self.statute_names(text, found, rules)
        else:
            # One segmentation serves the rules and the second stage.
            tokens = self._model.tokens(text)
            rules = self.rule_spans(text, tokens)
            found = self._model.best_spans(text, rules, self.MODEL_MIN_SCORE, tokens)
        found = self.settle(text, found, rules.anchored)
        if self.use_segmenter:
            found = [
                (cut, p)
                for sp, p in found
                if (cut := self._before_a_word(text, sp, rules.anchored)) is not None
            ]
            found = self._to_the_word(text, found)
            found = self.names_in_lists(text, found, rules.anchored)
            found = self.record_names(text, found)
            found = self._japanese_surname_mentions(text, found)
            found = self._dotted_surname_mentions(text, found)
        return [self.result(s, e, round(score, 4)) for (s, e), score in found]

    # The score of a name-shaped item of an enumeration of names.
    LIST_NAME_SCORE: ClassVar[float] = 0.6

    def record_names(
        self, text: str, found: list[tuple[tuple[int, int], float]]
    ) -> list[tuple[tuple[int, int], float]]:
        """A record's holder: a surname and a one- or two-character given name right
        after a word that announces a name (a record label or a role: 收件人, 旅客,
        客户), ending at a comma or 的, with an identifier after it in the same
        clause (收件人高明，手机156..., 旅客金兵，护照号码E680767,
        客户焦想的身份证号码为6105...) is a name whatever the dictionary says of it
        (高明, 金兵 are words, 想 a verb): the label, the name and the number make
        the record."""
        if not _LONG_NUMBER.search(text):
            return found  # most texts: no identifier to hold
        sure: DisjointSpans | None = None
        added = []
        for m in _IDENTIFIER_AFTER.finditer(text):
            e = m.start()  # the comma or 的 after the name
            # the longest reading first: 司马一鸣 before 马一鸣, 林红霞 before 红霞
            for i in range(max(0, e - 4), e - 1):
                sl = self.surname_and_given(text[i:e], frozenset())
                if (
                    sl
                    and self.announced(text, i)
                    and self._record_holder_word(text[i:e], sl)
                ):
                    if sure is None:
                        sure = DisjointSpans(sorted(sp for sp, p in found if p >= 0.5))
                    if not sure.overlaps(i, e):
                        sure.add(i, e)
                        added.append(((i, e), self.LIST_NAME_SCORE))
                    break
        if not added:
            return found
        # weaker readings of the name or of a part of it give way (高|明 at 0.3)
        names = DisjointSpans(sorted(sp for sp, _ in added))
        kept = [(sp, p) for sp, p in found if not names.overlaps(*sp)]
        return sorted(kept + added)

    # How common a surname must be for a word of the dictionary to be read as a
    # record holder's name (高明, 林立, 金兵: 高, 林 and 金 are among the first
    # hundred surnames; 满意, 安全 are no one's: 满 and 安 are not).
    RECORD_WORD_SURNAME_RANK: ClassVar[int] = 100

    def _record_holder_word(self, name: str, sl: int) -> bool:
        """Whether `name`, after a label with an identifier after it, may be a
        name: no word of the dictionary, a person's word, or a word whose surname
        is a common one."""
        if not self._freq.get(name) or self._tags.get(name, "").startswith("nr"):
            return True
        return self.surname_rank.get(name[:sl], 999) < self.RECORD_WORD_SURNAME_RANK

    def names_in_lists(
        self,
        text: str,
        found: list[tuple[tuple[int, int], float]],
        anchored: Collection[tuple[int, int]] = (),
    ) -> list[tuple[tuple[int, int], float]]:
        """An enumeration whose items are at least half names found at >= 0.5
        (two at least) is a list of people: its other items that are a surname
        and a given name as a whole (no ordinary word of the dictionary) are names
        too (王汉斌、李贵鲜、任建新、张思卿: 任建新 reads as 任|建新 alone, 胡子诚 as
        胡子|诚; 刘德华 张学友 郭富城: 城 ends places). The first item counts as a
        name when a name ends it (出席的有王汉斌), the last when a name starts it
        (张思卿等). A name a label placed (`anchored`) with 、 or a space after it
        announces the items after it as long as they are names in shape (记者
        胡子诚 王大中, 记者胡子诚、王大中).
        Brackets around a run are no part of its items (（记者 胡子诚 王大中）)."""
        named = {sp for sp, p in found if p >= 0.5}
        # Only names beside a separator or a bracket can be items: most texts have
        # fewer than two such names and no labelled one (the cheap test first).
        named = {
            (s, e)
            for s, e in named
            if text[e : e + 1] in _ITEM_EDGES or (s and text[s - 1] in _ITEM_EDGES)
        }
        # A label's name opens a list with 、 or a space after it (记者胡子诚、王大中);
        # a comma after it ends a record's field far more often (姓名：张三，电话…).
        labelled = {
            sp
            for sp in named.intersection(anchored)
            if text[sp[1] : sp[1] + 1] in _LABEL_LIST_SEPARATORS
        }
        if len(named) < 2 and not labelled:
            return found
        score = ScoredSpans(found)
        starts = {s for s, _ in named}
        ends = {e for _, e in named}

        def names_among(items: list[tuple[int, int]]) -> int:
            last = len(items) - 1
            return sum(
                (a, b) in named or (k == 0 and b in ends) or (k == last and a in starts)
                for k, (a, b) in enumerate(items)
            )

        def mostly_names(items: list[tuple[int, int]]) -> bool:
            hits = names_among(items)
            return hits >= 2 and 2 * hits >= len(items)

        for run in enumerations(text):
            items = [_item_core(text, a, b) for a, b in run]
            inner = _bracketed(items, text)
            listed = next((x for x in (inner, items) if mostly_names(x)), None)
            if listed is None:
                if not labelled:
                    continue
                listed = self._after_a_label(text, inner, named, labelled)
            # A roll of names (four names or more, found or in shape, three in
            # four items) makes names of its items that are words too (高歌, 万里
            # among 闻邦椿、袁贵仁、…).
            hits = names_among(listed) + sum(
                (a, b) not in named
                and self._name_shaped(text[a:b], _LABELLED_NOT_GIVEN)
                for a, b in listed
            )
            roll = hits >= self.ROLL_MIN and 4 * hits >= 3 * len(listed)
            last = len(listed) - 1
            for k, (a, b) in enumerate(listed):
                if (a, b) in named:
                    continue
                if b - a > 4:
                    last_of_several = k == last and k > 0
                    # The first item holds the words before the list, the last the
                    # words after it (出席的有李铁映、…), another an office before
                    # the name (马尔代夫总统加尧姆): its name is the reading that
                    # ends it (starts the last), which the model scored under 0.5.
                    edge = [
                        sp
                        for sp in score.overlapping(a, b)
                        if a <= sp[0]
                        and sp[1] <= b
                        and (sp[0] == a if last_of_several else sp[1] == b)
                    ]
                    if not edge:
                        continue
                    a, b = max(edge, key=score.get)
                if not self._name_shaped(text[a:b], _LABELLED_NOT_GIVEN) and not (
                    roll and self._word_name_shaped(text[a:b])
                ):
                    continue
                near = [sp for sp in score.overlapping(a, b) if sp != (a, b)]
                # A name read short at the item's start (王小|东 of 宋晓军，王小东，):
                # the separators say where the name ends, and it keeps that score.
                held = [score[sp] for sp in near if sp in named]
                if any(sp in named and not (sp[0] == a and sp[1] < b) for sp in near):
                    continue
                for sp in near:  # weaker readings of a part of it (任建 of 任建新)
                    del score[sp]
                score[(a, b)] = max(
                    [score.get((a, b), 0.0), self.LIST_NAME_SCORE, *held]
                )
        return sorted(score.items())

    def _after_a_label(
        self,
        text: str,
        items: list[tuple[int, int]],
        named: set[tuple[int, int]],
        labelled: set[tuple[int, int]],
    ) -> list[tuple[int, int]]:
        """The items after the first that is (or, first of all, ends in) a name a
        label placed, up to the first that is no name in shape."""
        ends = {e for _, e in labelled}
        first = next(
            (
                k
                for k, (a, b) in enumerate(items)
                if (a, b) in labelled or (k == 0 and b in ends)
            ),
            None,
        )
        if first is None:
            return []
        out = []
        for a, b in items[first + 1 :]:
            if (a, b) not in named and not self._name_shaped(text[a:b]):
                break
            out.append((a, b))
        return out

    # Names an enumeration holds for it to be a roll of names (`names_in_lists`).
    ROLL_MIN: ClassVar[int] = 4

    def surname_and_given(
        self, item: str, not_given: frozenset[str] | set[str] = _NOT_GIVEN
    ) -> int:
        """The length of the surname of `item` when it is a surname and a one- or
        two-character given name, CJK only, none of whose characters is in
        `not_given` (the characters no given name holds); else 0."""
        if not 2 <= len(item) <= 4 or not _CJK_WORD.fullmatch(item):
            return 0
        sl = self._surname_len(item)
        return sl if sl and self._given_ok(item[sl:], not_given) else 0

    def _word_name_shaped(self, item: str) -> bool:
        """A surname and a given name (`surname_and_given`) that may be a word of
        the dictionary but no place's or organisation's (高歌, 万里; not 王府井)."""
        return bool(
            self.surname_and_given(item, _LABELLED_NOT_GIVEN)
        ) and not self._tags.get(item, "").startswith(("ns", "nt", "nz"))

    def _name_shaped(
        self, item: str, not_given: frozenset[str] | set[str] = _NOT_GIVEN
    ) -> bool:
        """A surname and a one- or two-character given name, CJK only, that is no
        word of the dictionary but a person's (张震 is tagged nr); `not_given`: the
        characters no given name holds (in a list of names, those a label
        allows: 于是之, 肖策能)."""
        if (
            2 <= len(item) <= 4
            and _CJK_WORD.fullmatch(item)
            and self._surname_len(item)
            and self._person_word(item)
        ):
            return True  # the dictionary holds it whole as a name: 张万年, 何长工
        if not self.surname_and_given(item, not_given):
            return False
        return not self._freq.get(item, 0) or self._tags.get(item, "").startswith("nr")

    # -- after the second stage: what the words around a span make of it ----------
    # Characters of transliteration beyond TRANSLIT's (Xinhua's 顿, 莫, 摩, 翰, 瑞,
    # 根; 娃 of Russian women's names) for telling where a transliteration ends;
    # TRANSLIT itself is what the candidates are built from.
    TRANSLIT_MORE: ClassVar[str] = "顿莫摩翰瑞根娃"
    # Tags of a one-character word that is no piece of a transliteration there
    # (爱|艾青, 比|艾青: a verb or preposition before a name).
    _NOT_TRANSLIT_TAGS = frozenset("t f d r c p m q u y mq v a ad uj ul ud".split())
    SETTLE_REACH: ClassVar[int] = 8  # characters segmented after (or before) a span
    TRANSLIT_MAX: ClassVar[int] = 8  # longest transliteration a cut span grows to

    def _to_the_word(
        self, text: str, found: list[tuple[tuple[int, int], float]]
    ) -> list[tuple[tuple[int, int], float]]:
        """A two-character name (surname and one character) that jieba reads as the
        start of a three-character word ending in a likely given-name character is
        that word: 林惊|羽 is 林惊羽, 尚雯|婕 尚雯婕 (jieba's HMM joins an unknown name
        into one word; a function word or verb it glues on, 俞渝在, 周通后, is no
        given-name character). The second stage scores each span alone and may
        leave the longer one under 0.5."""
        taken = {i for (s, e), _ in found for i in range(s, e)}
        out = []
        for (s, e), p in found:
            if (
                e - s == 2
                and e < len(text)
                and e not in taken
                and "\u4e00" <= text[e] <= "\u9fff"
                and self._surname_len(text[s:e]) == 1
                and text[e] not in _NOT_GIVEN
                and self.given_name_score(text[e]) >= self.LONGER_NAME_ODDS
                and self._word_at(text, s) == text[s : e + 1]
            ):
                e += 1
            out.append(((s, e), p))
        return out

    def _word_at(self, text: str, s: int) -> str | None:
        """The word of jieba's reading of the text around offset `s` that starts
        there, or None."""
        words = self._words_from(text, s, self.CUT_WINDOW)
        return words[0] if words else None

    def _words_from(self, text: str, s: int, reach: int) -> list[str]:
        """jieba's words of the text around text[s : s + reach] from the one that
        starts at `s` on; none when a word runs across `s`."""
        around = self._words_around(text, s, s + reach)
        for k, (start, _, _) in enumerate(around):
            if start >= s:
                return [w for _, _, w in around[k:]] if start == s else []
        return []

    def _before_a_word(
        self, text: str, span: tuple[int, int], anchored: Collection = ()
    ) -> tuple[int, int] | None:
        """A run of transliteration characters that ends inside a word of the
        dictionary, as jieba reads the text around it, ends before that word when
        two characters or more are left and the word starts there (巴罗佐|安排,
        克莱恩|博士); otherwise it is the head of the longer word (穆斯 of 穆斯林,
        内考 of 内|考生), not a name, whatever context word is near it: None -
        unless that word is a person's name of the dictionary, which the run
        opens (阿卜杜拉|季波夫: the whole word), or an office announced the run
        (`anchored`: 主席桑特|为, where jieba reads 桑|特为).
        Checked after the second stage: its weights are fitted without it."""
        s, e = span
        if not all(c in self._translit_chars for c in text[s:e]):
            return span
        for start, end, word in self._words_around(text, s, e):
            if start < e < end:
                if not self._freq.get(word, 0):
                    return span
                if start == s and self._tags.get(word, "").startswith("nr"):
                    return (s, end)
                if start - s >= 2:
                    return (s, start)
                return span if span in anchored and start > s else None
        return span

    def settle(
        self, text: str, spans: list[tuple[tuple[int, int], float]], anchored
    ) -> list[tuple[tuple[int, int], float]]:
        """The chosen spans read with the words around them: a span followed by the
        word of a place, an organisation, an event or a product (孔恩|瀑布,
        温布顿|决赛, 包浩斯|学校, data/cn_not_name_suffixes.txt) is no person,
        unless a label announced it (`anchored`); a span cut inside a longer
        transliteration (彭德|格斯特, 史高拉|利身上) is reported whole, or not at
        all when it holds an ordinary word (昆洛|斯回应); the slots of
        `no_person_here` hold no name; nor do the spans `settle_veto` reads as
        pieces of other words or of titles, nor a span `among_brands` places in
        sentences about brands that the second stage scored below CONTEXT_SCORE."""
        if not self.use_segmenter or not spans:
            return list(spans)
        out: list[tuple[tuple[int, int], float]] = []
        grown: list[tuple[tuple[int, int], float]] = []
        cut = self.whole_cut(text)
        brands = any(w in text for w in self.BRAND_WORDS)
        for span, score in spans:
            s, e = span
            labelled = span in anchored
            if (
                not labelled
                and (self.suffix_word_after(text, e) or self.no_person_here(text, s, e))
            ) or self.settle_veto(text, s, e, cut, labelled):
                continue
            if (
                brands
                and not labelled
                and score < self.CONTEXT_SCORE
                and self.among_brands(text, s, e)
            ):
                continue
            whole = self.transliteration_whole(text, s, e)
            if whole is None:
                continue
            if whole == span:
                out.append((span, score))
            else:
                grown.append((whole, score))
        for (s, e), score in grown:
            inside = [t for t in out if s <= t[0][0] and t[0][1] <= e]
            if any(t[0][0] < e and s < t[0][1] for t in out if t not in inside):
                continue  # it would cross another name: the cut span goes
            out = [t for t in out if t not in inside] + [((s, e), score)]
        return sorted(set(out))

    # The vetoes of `settle_veto`, in the order tried (a tuple of method names, so
    # that a measurement can switch them off one by one).
    SETTLE_VETOES: ClassVar[tuple[str, ...]] = (
        "cuts_two_words",
        "word_tail",
        "word_head",
        "title_content",
        "function_char_title",
        "dotted_singles",
        "ends_in_place_word",
        "pronoun_given",
        "numbered_item",
        "function_head_cut",
        "list_of_things",
    )
    # jieba tags of a one-character function word before a surname and its title
    # (function_char_title): a preposition, conjunction, particle (aspect ones
    # too: 见了|王老师), adverb, pronoun or modal particle (和, 与, 于, 的, 了,
    # 也, 他, 啊).
    _TITLE_FUNCTION_TAGS = frozenset("p c u uj ul ud uz uv d r y ad".split())
    _DOTS = MIDDLE_DOTS

    def whole_cut(self, text: str) -> WholeCut | None:
        """The second stage's jieba cut of all of `text` (it makes one for its word
        windows), as offsets; None without the model or for another text."""
        if self._model is None:
            return None
        cut_text, words = self._model._last_cut
        return WholeCut(words) if cut_text is text else None

    # The vetoes that hold for a span a context word placed too: the title after
    # 和|王老师 is that context word, and it belongs to the surname alone.
    _OVER_CONTEXT = frozenset(
        {"function_char_title", "pronoun_given", "function_head_cut"}
    )
    # Pronouns the candidates' given-name characters do not exclude already.
    _PRONOUNS = frozenset("您咱俺")

    def settle_veto(
        self,
        text: str,
        s: int,
        e: int,
        cut: WholeCut | None,
        labelled: bool = False,
    ) -> str | None:
        """The first of SETTLE_VETOES that holds for text[s:e] (its name), or None;
        for a span a label or context word placed (`labelled`) only those of
        _OVER_CONTEXT. None of the 5,273 PERSON spans of the training sentences is
        vetoed (scripts/count_cn_vetoes.py --gold)."""
        for name in self.SETTLE_VETOES:
            if labelled and name not in self._OVER_CONTEXT:
                continue
            if getattr(self, name)(text, s, e, cut):
                return name
        return None

    def cuts_two_words(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """The span starts inside one dictionary word of the whole-text cut and
        ends inside another (工业|区安|全局 of 工业区|安全局): a cut across two
        words, no name."""
        if cut is None:
            return False
        first, last = cut.around(s), cut.around(e)
        return (
            first is not None
            and last is not None
            and self._freq.get(first[2], 0) > 0
            and self._freq.get(last[2], 0) > 0
        )

    def word_tail(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """The span is the end of a longer dictionary word of the whole-text cut
        and no dictionary word itself (克力 of 巧克力): a piece of that word. A
        dictionary word stays (乾隆 of 清乾隆)."""
        if cut is None or e - s < 2 or self._freq.get(text[s:e], 0) > 0:
            return False
        word = cut.around(s)
        return word is not None and word[1] == e and self._freq.get(word[2], 0) > 0

    def word_head(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """The span is the start of a longer dictionary word of the whole-text cut
        that is no person word, and no dictionary word itself (埃塞 of 埃塞俄比亚): a
        piece of that word. The start of a person word (姚景 of 姚景源) stays: the
        name is cut short, not wrong."""
        if cut is None or e - s < 2 or self._freq.get(text[s:e], 0) > 0:
            return False
        word = cut.around(e)
        return (
            word is not None
            and word[0] == s
            and self._freq.get(word[2], 0) > 0
            and not self._tags.get(word[2], "").startswith("nr")
        )

    @staticmethod
    def title_content(text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """The span is all of a title between book-title marks (《李白》, 〈王冕〉,
        or angle brackets written for them in web text: <灵枢·厥病篇>): the title of a
        work, which names no one in the text."""
        return (
            0 < s
            and e < len(text)
            and text[s - 1] + text[e] in ("《》", "〈〉", "<>", "＜＞")
        )

    def function_char_title(
        self, text: str, s: int, e: int, cut: WholeCut | None
    ) -> bool:
        """Two characters, a one-character function word and a surname, before a
        title (和|王老师, 由|何先生): the name is the surname with its title."""
        if cut is None or e - s != 2 or text[s + 1] not in self.single:
            return False
        if self._tags.get(text[s]) not in self._TITLE_FUNCTION_TAGS:
            return False
        return cut.starts_at(s + 1) and bool(self._honorific_re.match(text, e))

    def dotted_singles(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """Single Chinese characters joined by middle dots (甲·乙·丙, the parts of
        a mixture or a list of abbreviations): no transliterated name is written so."""
        word = text[s:e]
        if not any(c in word for c in self._DOTS):
            return False
        parts = re.split(f"[{self._DOTS}]", word)
        return all(len(p) == 1 and "\u4e00" <= p <= "\u9fff" for p in parts)

    def ends_in_place_word(
        self, text: str, s: int, e: int, cut: WholeCut | None
    ) -> bool:
        """The span ends inside a word of the whole-text cut that a place,
        organisation or facility word follows (张家 of 张家湾|小学): it is the
        start of that place's name."""
        if cut is None or e - s < 2:
            return False
        word = cut.around(e)
        return word is not None and self.suffix_word_after(text, word[1])

    def pronoun_given(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """A pronoun after the surname character (谢谢您, 和您): a phrase."""
        return any(c in self._PRONOUNS for c in text[s + 1 : e])

    # jieba tags of a one-character preposition, conjunction or adverb (由, 和, 常).
    _HEAD_FUNCTION_TAGS = frozenset("p c d".split())

    def name_within(self, text: str, start: int, end: int) -> tuple[int, int]:
        """The span without a preposition that is also a rare surname before its
        surname (PREPOSITION_SURNAMES: 由|韩梅) and without a last character that
        opens the clause after the name (CLAUSE_HEADS: 王旭|于1966年), each taken off
        a span of three characters or more; the span itself otherwise."""
        if (
            end - start >= 3
            and text[start] in self.PREPOSITION_SURNAMES
            and text[start + 1] in self.single
        ):
            start += 1
        follow = self.CLAUSE_HEADS.get(text[end - 1]) if end - start >= 3 else None
        if follow is not None and end < len(text) and text[end] in follow:
            end -= 1
        return start, end

    def function_head_cut(
        self, text: str, s: int, e: int, cut: WholeCut | None
    ) -> bool:
        """The span's first character is a word of its own in the whole-text cut,
        a preposition, conjunction or adverb (由, 和, 常), and the span ends inside
        the dictionary word after it, no person word (学生和|清闲, 由|辅导员,
        常|听说): the surname character is a function word before that word, and
        the span is a piece of a phrase. It holds for a span a context word placed
        too: the speech verb after 常听|说 is the end of 听说."""
        if cut is None or e - s < 2 or not cut.starts_at(s + 1):
            return False
        if (
            not cut.starts_at(s)
            or self._tags.get(text[s]) not in self._HEAD_FUNCTION_TAGS
        ):
            return False
        word = cut.around(e)
        return (
            word is not None
            and word[0] > s
            and self._freq.get(word[2], 0) > 0
            and not self._tags.get(word[2], "").startswith("nr")
        )

    _NUMERALS = "一二三四五六七八九十"

    def numbered_item(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """A span ending in a numeral whose stem of two or more characters the
        text also numbers otherwise (方案二 where 方案一 stands too): a numbered
        heading or item, no name. A surname and a numeral (赵六 beside 赵七, 慕容九)
        stay: names of that form are numbered too."""
        last = text[e - 1]
        if e - s < 3 or last not in self._NUMERALS:
            return False
        stem = text[s : e - 1]
        if stem in self.compound:
            return False
        return any(stem + n in text for n in self._NUMERALS if n != last)

    # What separates the items of an enumeration, and what ends the clause it is in.
    _ITEM_SEPARATORS = "、，,"
    _ITEM_SPLIT = re.compile(f"[{_ITEM_SEPARATORS}]")
    _LIST_END = re.compile(r"[。！？；;：:\n!?（()）]")
    LIST_ITEM_MAX: ClassVar[int] = 6  # characters of an item that is one word

    def list_of_things(self, text: str, s: int, e: int, cut: WholeCut | None) -> bool:
        """The span is an item of an enumeration (、 or commas) that holds two other
        items next to it, on either side, each one dictionary noun that names no
        person (生抽，盐，五香粉，姜汁，蒜汁): a list of things, ingredients, brands,
        options. A list of people (张三、李四、王五) has names there, which the
        dictionary lacks or tags as names."""
        if s == 0 or text[s - 1] not in self._ITEM_SEPARATORS:
            return False
        begin = max(
            (m.end() for m in self._LIST_END.finditer(text, max(0, s - 40), s)),
            default=max(0, s - 40),
        )
        before = self._ITEM_SPLIT.split(text[begin : s - 1])
        siblings = before[-2:]
        if len(siblings) < 2 and e < len(text) and text[e] in self._ITEM_SEPARATORS:
            end = self._LIST_END.search(text, e, e + 40)
            stop = end.start() if end else e + 40
            after = self._ITEM_SPLIT.split(text[e + 1 : stop])
            siblings += after[: 2 - len(siblings)]
        return len(siblings) == 2 and all(self._a_thing(w.strip()) for w in siblings)

    def _a_thing(self, word: str) -> bool:
        """One dictionary noun that is not a person's name (jieba tags nouns n...,
        names nr...); a clause between commas (但是, 相比之下) is no item."""
        tag = self._tags.get(word, "")
        return (
            0 < len(word) <= self.LIST_ITEM_MAX
            and self._freq.get(word, 0) > 0
            and tag.startswith("n")
            and not tag.startswith("nr")
        )

    # Characters before 许 (about) in a time: 四时许, 10点许 ("about four").
    _TIME_UNITS = frozenset("时点分")
    # Kin after a surname alone: 吴妻, 王母 (Wu's wife, Wang's mother), no name.
    _KIN = frozenset("妻母父嫂")
    # The last word of a clause that defines the word before it as a place:
    # X是乌克兰的城市, X受地中海气候影响, X属半干旱气候.
    PLACE_HEADS: ClassVar[frozenset[str]] = frozenset(
        "城市 城镇 市镇 小镇 村庄 村落 首都 首府 省份 行政区 地区 港口 河流 湖泊"
        " 山脉 山峰 岛屿 海岛 半岛 国家 王国 公国 气候 州 县 郡 城 镇 村 省 市 河"
        " 岛".split()
    )
    _DEFINITION = re.compile(
        r"(?:是|为|属|受)([^，。；！？,;\n]{1,30}?)(?=[，。；！？,;\n]|$)"
    )

    # Words for a kind of thing, a product or a service: a name right after one
    # names that thing (支付平台|易付宝, 这款|劳斯莱斯, 游戏|里里).
    THING_WORDS: ClassVar[frozenset[str]] = frozenset(
        "平台 品牌 软件 网站 游戏 手游 网游 系列 产品 型号 车型 机型 款 药品 商标 "
        "应用 APP app 品种 菜品".split()
    )

    def no_person_here(self, text: str, s: int, e: int) -> bool:
        """Slots that hold no name, whatever the span: 许 (about) after a time
        (四时|许载); a surname and a kin word alone (吴妻); a measure word after a
        numeral or demonstrative (每|段介绍); right after a word for a kind of
        thing (THING_WORDS: 支付平台|易付宝); a burg (柯尼斯堡, 杜伊斯堡); the
        subject of a clause that defines it as a place (多利纳是乌克兰的城市,
        塔尔卡受地中海气候影响). None of the 5,273 PERSON spans of the training
        sentences is in one."""
        word = text[s:e]
        if word[0] == "许" and s and text[s - 1] in self._TIME_UNITS:
            return True
        if len(word) == 2 and word[1] in self._KIN and word[0] in self.single:
            return True
        if (
            s
            and text[s - 1] in _QUANTIFIERS
            and self._tags.get(word[0]) == "q"
            and not (s >= 2 and self._freq.get(text[s - 2 : s]))
        ):
            return True  # 每|段, but 万一|章子梅 (万一 is a word)
        if word[-1] == "堡":
            return True
        if self.thing_word_before(text, s):
            return True
        m = self._DEFINITION.match(text, e, e + 40)
        if m is None:
            return False
        words = [w for w in self._cut(m.group(1)) if w != "影响"]
        return bool(words) and words[-1] in self.PLACE_HEADS

    # Words of a sentence about brands, makers and models: the names it lists are
    # brands (欧姆龙, 克莱斯勒), whatever the model makes of their characters.
    BRAND_WORDS: ClassVar[tuple[str, ...]] = tuple(
        "品牌 牌子 商标 厂商 厂家 车企 车型 型号".split()
    )
    _SENTENCE_ENDS = "。！？!?\n"
    _CLAUSE_ENDS = _SENTENCE_ENDS + "，,；;"

    def _brand_word_around(self, text: str, i: int, j: int) -> bool:
        """A word of BRAND_WORDS stands before text[i:j] in its sentence (品牌：甲，
        乙，丙) or after it in its clause (甲是老牌厂商): a name in another clause
        before the brand word (…的甲收藏了不少，都是厂商乙的) is not among them."""
        a = max(text.rfind(c, 0, i) for c in self._SENTENCE_ENDS) + 1
        ends = [k for k in (text.find(c, j) for c in self._CLAUSE_ENDS) if k >= 0]
        before, after = text[a:i], text[j : min(ends, default=len(text))]
        return any(w in before or w in after for w in self.BRAND_WORDS)

    def among_brands(self, text: str, s: int, e: int) -> bool:
        """Every occurrence of text[s:e] in `text` has a word of BRAND_WORDS
        around it (`_brand_word_around`), and none has a sign of a person: a
        context word (记者, 说), a role word or an office ending in 长 before it
        (总裁, 秘书长, 会长) or a title after it. A name that the text also uses
        elsewhere, or with such a sign, stays; `settle` asks this only for spans
        the second stage scored below CONTEXT_SCORE."""
        if not self._brand_word_around(text, s, e):
            return False
        for m in re.finditer(re.escape(text[s:e]), text):
            i, j = m.span()
            if (
                not self._brand_word_around(text, i, j)
                or self._near_context(text, i, j)
                or self._role_re.search(text, max(0, i - 4), i)
                or text[i - 1 : i] == "长"
                or self._honorific_re.match(text, j)
            ):
                return False
        return True

    def thing_word_before(self, text: str, start: int) -> bool:
        """The last word before text[start:] (the segmentation of what precedes)
        is a word for a kind of thing (THING_WORDS: 平台, 款)."""
        words = self._cut(text[max(0, start - self.SETTLE_REACH) : start])
        return bool(words) and words[-1] in self.THING_WORDS

    def suffix_word_after(self, text: str, end: int) -> bool:
        """The next word after text[:end] (the segmentation of what follows) is
        a place, organisation, event or product word (瀑布, 学校, 决赛, 茶)."""
        words = self._cut(text[end : end + self.SETTLE_REACH])
        return bool(words) and words[0] in self._not_name_suffixes

    def _translit_piece(self, word: str) -> bool:
        """A word of the segmentation that may be a piece of a transliteration:
        only transliteration characters, not a frequent dictionary word, and not
        a one-character function word or verb."""
        return (
            self._translit_chars_only(word)
            and self._freq.get(word, 0) < self.COMMON_WORD_FREQ
        )

    def _translit_chars_only(self, piece: str) -> bool:
        """Only transliteration characters, and not one character that is a
        function word or verb of its own (加, 比, 爱)."""
        chars = self._translit_chars
        return all(c in chars for c in piece) and not (
            len(piece) == 1 and self._tags.get(piece) in self._NOT_TRANSLIT_TAGS
        )

    def transliteration_whole(
        self, text: str, s: int, e: int
    ) -> tuple[int, int] | None:
        """The bounds of the span text[s:e] when it is cut inside a longer
        transliteration - a transliteration character on either side of the cut,
        and the cut inside a word of the segmentation or against a word made of
        transliteration characters - grown to the whole transliteration (彭德 of
        彭德格斯特, 史高拉 of 史高拉利身上); None when the span holds a frequent
        ordinary word (斯回应 of 昆洛斯回应) or would grow beyond TRANSLIT_MAX;
        (s, e) when it is not cut."""
        chars = self._translit_chars
        n = len(text)
        span = text[s:e]
        right = e < n and text[e] in chars and span[-1] in chars
        left = s > 0 and text[s - 1] in chars and span[0] in chars
        if not (right or left) or any(c in MIDDLE_DOTS for c in span):
            return s, e
        ws = max(0, s - self.SETTLE_REACH)
        words, pos = [], ws
        for w in self._cut(text[ws : min(n, e + self.SETTLE_REACH)]):
            words.append((pos, pos + len(w), w))
            pos += len(w)
        new_s, new_e = s, e
        if right:
            cut = next((t for t in words if t[0] < e < t[1]), None)
            if cut is not None:
                if not self._translit_chars_only(text[e : cut[1]]):
                    return s, e  # the word across the cut is no transliteration
                new_e = cut[1]
            for a, b, w in words:
                if a == new_e and self._translit_piece(w):
                    new_e = b
        if left:
            cut = next((t for t in words if t[0] < s < t[1]), None)
            if cut is not None:
                if not self._translit_chars_only(text[cut[0] : s]):
                    return s, e
                new_s = cut[0]
            for a, b, w in reversed(words):
                if b == new_s and self._translit_piece(w):
                    new_s = a
        if (new_s, new_e) == (s, e):
            return s, e
        if new_e - new_s > self.TRANSLIT_MAX or any(
            s <= a
            and b <= e
            and b - a > 1
            and w in self._tags
            and not self._tags[w].startswith(("nr", "ns"))
            for a, b, w in words
        ):
            return None
        return new_s, new_e

    def rule_spans(
        self, text: str, tokens: list[tuple[int, int, str]] | None = None
    ) -> RuleSpans:
        """Spans and scores found by the rules alone; `tokens` (start, end, word) is
        a segmentation already made (by the second stage), else the rules segment
        their own windows."""
        found = RuleSpans()

        def add(start: int, end: int, score: float, veto: bool = True) -> None:
            start, end = self.name_within(text, start, end)
            word = text[start:end]
            if word[-1] in NEVER_LAST or not LIST_JOINERS.isdisjoint(word[1:]):
                return  # 旅客权益者, 为陈述者, 官、佐: whatever announced it
            # Only a label right before the span (veto off) outweighs these; a
            # context word merely near a segmenter word (0.95) does not.
            if (score < self.CONTEXT_SCORE or veto) and (
                word[-1] in _PLACE_LAST
                or self.verb_or_noun_slot(text, start, end)
                or self.place_word_after(text, end)
                or self.measure_word_at(text, start)
                or self.function_word_given(word)
                or (self.use_segmenter and self.function_char_phrase(word))
            ):
                score = min(score, self.TITLE_ONLY_SCORE)  # 王庙, 屈臣氏, 桂芳市
            if (
                veto
                and score >= 0.5
                and self.use_segmenter
                and self._not_a_name(text, start, end)
            ):
                score = self.DICT_NAME_SCORE

            if self.surname_and_title(word):
                # 李总, 杨律师, 施先生: a surname and a title is not a full name.
                score = min(score, self.TITLE_ONLY_SCORE)
            key = (start, end)
            if score > found.get(key, 0.0):
                found[key] = score

        def anchor(start: int, end: int) -> None:
            """A name a word right beside it announces (a label, an office): its
            score holds whatever the vetoes read, and the second stage keeps it."""
            add(start, end, self.CONTEXT_SCORE, veto=False)
            found.anchored.add((start, end))

        left_words, right_words = self.context_words(text)
        after_label = set()  # label starts where `_left_re` found a name's end
        for regex, matches in (
            (self._left_re, matches_at(self._left_re, text, _inside(left_words))),
            (self._right_re, self._right_re.finditer(text) if right_words else ()),
        ):
            left = regex is self._left_re
            for m in matches:
                if left:
                    after_label.add(m.start())
                self._context_name(
                    text, found, add, m.start(), *m.span("n"), m.end(), left
                )
        if self.use_segmenter and left_words:
            for m in matches_at(self._left_open_re, text, _inside(left_words)):
                label, between = self._label_at(text, m.start(), m.start("n"))
                if (
                    m.start() in after_label
                    or label not in self._record_labels
                    or between[-1:] in ("为", "是")  # 名字是|金山大酒店
                ):
                    continue
                end = self._name_end(text, m.start("n"), len(m.group("n")))
                if end is not None:
                    self._context_name(
                        text, found, add, m.start(), m.start("n"), end, end, True
                    )
        if _LATIN_UPPER.search(text):
            for m in self._label_latin_re.finditer(text):
                if self._latin_name_after_label(m):
                    anchor(*m.span("n"))
        dotted = any(c in text for c in MIDDLE_DOTS)  # _foreign_re needs one
        for m in self._foreign_re.finditer(text) if dotted else ():
            start = m.start()
            # 导演蒂姆·伯顿, 演员丹尼斯·霍珀: a role word is not part of the name.
            for r in self._role_re.finditer(text, max(0, start - 3), start + 4):
                if start < r.end() < m.end():
                    start = r.end()
            end = m.end()
            if self.use_segmenter:
                extent = self.dotted_extent(text, start, end)
                if extent is None:
                    continue
                start, end = extent
            score = self.FOREIGN_SCORE
            if self._plain_dotted_part(text[start:end]):
                score = self.TITLE_ONLY_SCORE  # 女朋友·男朋友 (a film), 方早报·艺术评论
            add(start, end, score)
        if self.use_segmenter:
            self._segmenter_names(text, add, tokens)
            self._odds_names(text, add)
        self._transliterated(text, found, add, anchor)
        if self.use_segmenter:
            self._japanese_officials(text, anchor)
            self._foreign_officials(text, found, anchor)
            self._longer_by_a_word_head(text, found)
        return found

    def _japanese_surname_mentions(
        self, text: str, found: list[tuple[tuple[int, int], float]]
    ) -> list[tuple[tuple[int, int], float]]:
        """The surname alone of a Japanese name found at >= 0.5 (桥本龙太郎 ...
        桥本在演说中宣布) names that person wherever it stands as a word of its own:
        news writes a Japanese person so after the first mention, and not a Chinese
        one (王 alone is no one)."""
        surnames: dict[str, float] = {}
        for (s, e), p in found:
            sl = self._ja_surname_len(text[s:e]) if p >= 0.5 else 0
            if sl and e - s > sl:
                surname = text[s : s + sl]
                surnames[surname] = max(p, surnames.get(surname, 0.0))
        if not surnames:
            return found
        taken = SpanIndex([span for span, _ in found])
        return self._other_mentions(
            text, found, surnames, lambda span: taken.overlapping(*span)
        )

    def _other_mentions(
        self,
        text: str,
        found: list[tuple[tuple[int, int], float]],
        parts: dict[str, float],
        blocked: Callable[[tuple[int, int]], bool],
    ) -> list[tuple[tuple[int, int], float]]:
        """`found` with each occurrence of a part of a name found (`parts`: the part
        and the name's score) that `blocked` leaves free and that cuts no word of
        the segmentation, at the name's score, in place of the readings it
        overlaps: a surname standing for the person named in full elsewhere."""
        out = ScoredSpans(found)
        for part, p in parts.items():
            at = text.find(part)
            while at != -1:
                span = (at, at + len(part))
                if not blocked(span) and not self.cuts_word(text, span):
                    for weaker in out.overlapping(*span):
                        del out[weaker]
                    out[span] = p
                at = text.find(part, span[1])
        return sorted(out.items())

    def _dotted_surname_mentions(
        self, text: str, found: list[tuple[tuple[int, int], float]]
    ) -> list[tuple[tuple[int, int], float]]:
        """The last part of a middle-dot name found at >= 0.5 (约翰·吉尔伯特 ...
        吉尔伯特本人, 罗多尔佛·塞尔特扎·塞维里诺 ... 塞维里诺于去年) names that person
        wherever it stands as a word of its own, at the full name's score, in place
        of weaker readings there: news writes a foreign person by the surname after
        the first mention. Only a part at least half of transliteration characters
        (not 评论奖 of an award's 文学奖·评论奖), not one the dictionary holds as a
        place (乔治·华盛顿 ... 在华盛顿), nor one a place's, a firm's or an event's
        word follows (肯尼迪|机场, `suffix_word_after`)."""
        if not any(c in text for c in MIDDLE_DOTS):
            return found
        lasts: dict[str, float] = {}
        for (s, e), p in found:
            word = text[s:e]
            cut = max(word.rfind(c) for c in MIDDLE_DOTS)
            last = word[cut + 1 :]
            if (
                p >= 0.5
                and cut > 0
                and len(last) >= 2
                and _CJK_WORD.fullmatch(last)
                and 2 * sum(c in self._translit_chars for c in last) >= len(last)
                and not self._tags.get(last, "").startswith("ns")
                and p > lasts.get(last, 0.0)
            ):
                lasts[last] = p
        if not lasts:
            return found
        sure = SpanIndex([span for span, p in found if p >= 0.5])

        def blocked(span: tuple[int, int]) -> bool:
            at, end = span
            return bool(
                sure.overlapping(at, end)
                or (at and text[at - 1] in MIDDLE_DOTS)
                or text[end : end + 1] in MIDDLE_DOTS
                or self._place_suffix_re.match(text, end)
                or self.place_word_after(text, end)
                or self.suffix_word_after(text, end)
            )

        return self._other_mentions(text, found, lasts, blocked)

    def _ja_surname_len(self, word: str) -> int:
        """The length of the Japanese surname (`data/ja_surnames.txt`) that opens
        `word`, or 0."""
        return next(
            (n for n in (3, 2) if len(word) >= n and word[:n] in self._ja_surnames), 0
        )

    def _verb_or_function_word(self, word: str) -> bool:
        tag = self._tags.get(word, "")
        return tag[:1] == "v" or tag in self.FUNCTION_TAGS

    def _japanese_officials(self, text: str, anchor) -> None:
        """A Japanese name right after an office (首相桥本龙太郎, 外相河野太郎): a
        Japanese surname (`data/ja_surnames.txt`) opening the segmentation's word
        there, and the given name in the same word or the next one (one to three
        characters, no function word or verb), announced as a label would."""
        for m in _OFFICE_RE.finditer(text):
            at = m.end()
            if not self._ja_surname_len(text[at : at + 3]):
                continue  # the cheap test first: most offices precede no such name
            # The office must end a word: 石家庄市|长安区 holds no office.
            words = self._words_from(text, at, 8)
            if not words or not _CJK_WORD.fullmatch(words[0]):
                continue
            word = words[0]
            sl = self._ja_surname_len(word)
            if not sl:
                continue
            given = word[sl:]
            if not given and len(words) > 1:
                given = words[1]
                if self._verb_or_function_word(given):
                    continue
            if (
                len(given) > 2
                and self._verb_or_function_word(given[-1])
                and self._freq.get(given[-1], 0) >= self.COMMON_WORD_FREQ
            ):
                given = given[:-1]  # 河野太郎说: the HMM glued the verb on
            if 1 <= len(given) <= 3 and _CJK_WORD.fullmatch(given):
                anchor(at, at + sl + len(given))

    def _foreign_officials(self, text: str, found: RuleSpans, anchor) -> None:
        """A foreign official's name next to an office that no transliteration run
        holds, for a character of TRANSLIT_MORE or another of `_official_chars` in
        it (外长普里马科夫, 秘书长安南, 哈马迪议长, 莫伊总统): the words of the
        segmentation right after the office, or right before it, made of those
        characters only, two to eight of them, as `_transliterated` reads a run
        there (no middle dot after it; before an office,
        `_official_before_office`), announced as a label would, in place of the
        pieces of it the runs placed (普里|马|科夫)."""
        chars = self._official_chars

        def place(start: int, end: int) -> None:
            for key in [k for k in found if start <= k[0] and k[1] <= end]:
                del found[key]
                found.anchored.discard(key)
            anchor(start, end)

        def may_hold_one(run: str) -> bool:
            # The name is a part of the run of such characters next to the office:
            # with no character outside TRANSLIT there, `_transliterated` reads it
            # (the cheap test before any segmentation).
            return len(run) >= 2 and any(c not in self.TRANSLIT for c in run)

        for m in _OFFICE_RE.finditer(text):
            at = m.end()
            run = _run_of(text, at, self.TRANSLIT_MAX, chars)
            if not may_hold_one(run):
                continue
            n = 0
            for word in self._words_from(text, at, self.TRANSLIT_MAX):
                if not all(c in chars for c in word):
                    break
                n += len(word)
            name = text[at : at + n]
            if (
                2 <= n <= self.TRANSLIT_MAX
                and any(c not in self.TRANSLIT for c in name)
                and text[at + n : at + n + 1] not in MIDDLE_DOTS
            ):
                place(at, at + n)
        for m in _OFFICE_AFTER.finditer(text):
            end = m.start()
            if not may_hold_one(_run_of(text, end, -self.TRANSLIT_MAX, chars)):
                continue
            words = self._words_around(text, max(0, end - self.TRANSLIT_MAX), end)
            start = end
            for ws, we, word in reversed(words):
                if we > end:
                    continue
                if we != start or not all(c in chars for c in word):
                    break
                start = ws
            name = text[start:end]
            if (
                2 <= end - start <= self.TRANSLIT_MAX
                and any(c not in self.TRANSLIT for c in name)
                and self._official_before_office(text, start, end)
            ):
                place(start, end)

    # Characters of context the segmenter reads on either side of a middle-dot name.
    DOT_REACH: ClassVar[int] = 4
    # Tags of one-character function words (adverbs, conjunctions, prepositions,
    # particles, pronouns) that follow a middle-dot name rather than end it
    # (西恩·潘|却; `_plain_part`).
    _DOT_FUNCTION_TAGS = frozenset(("d", "c", "p", "u", "r", "y", "ad", "ud", "uj"))
    # The last characters of role nouns, which the segmenter may leave as words of
    # their own before a middle-dot name (督察|长, 提出|者, 演|员).
    _ROLE_LAST = frozenset("长员者家师官手")

    def dotted_extent(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """The bounds of the middle-dot name in text[start:end] (a `_foreign_re`
        match, which takes up to four characters on either side of the dot): the
        words of the segmentation before the name (编剧|格雷格•厄布, 部长|乔纳森,
        馆长 of 前馆|长马里恩) and after it (西恩·潘|执导, 科尔·菲尔普斯|才,
        古丁|终于) are left out: ordinary words (`_plain_part`), whole or cut by
        the match; the first word after the dot is always kept. None when a
        one-character verb stands right before the dot: the dot then follows a
        citation or a caption (吕祖谦撰·详注东莱先生左氏, 京东晒·幸福), which
        none of the training sentences' names does; nor when a word after the dot
        ends in a place's last character (`_PLACE_LAST`: 埃德蒙·佩特斯桥,
        呆公寓·阳江海陵岛保利) or a place word follows (乔治·华盛顿|街)."""
        dots = [i for i in range(start, end) if text[i] in MIDDLE_DOTS]
        if not dots:
            return start, end
        ws = max(0, start - self.DOT_REACH)
        words = self._cut(text[ws : dots[0]])
        if (
            words
            and len(words[-1]) == 1
            and words[-1] not in self.TRANSLIT
            and self._tags.get(words[-1], "").startswith("v")
        ):
            return None
        pos, head = ws, start
        for word in words:
            a, pos = pos, pos + len(word)
            if pos <= head:
                continue
            if (len(word) > 1 and self._plain_part(word)) or (
                word in self._ROLE_LAST and word not in self._translit_chars
            ):
                head = pos  # 督察|长|保罗·米科拉谢克: 长 ends a title
            else:
                if (
                    a < head
                    and text[head - 1] in self._dot_stop
                    and self._freq.get(word, 0) > 0
                ):
                    # The match began inside a dictionary word after a character
                    # it does not take (道 of 道格拉斯, 阿道|夫): the word's start
                    # (not a word jieba glued from a preposition and a name: 由马修).
                    head = a
                break
        if head >= dots[0]:
            head = start  # the whole first part is ordinary words: leave it
        pos, tail = dots[-1] + 1, end
        first = True
        after = self._cut(text[dots[-1] + 1 : end + self.DOT_REACH])
        word_ends = []
        for k, word in enumerate(after):
            a, pos = pos, pos + len(word)
            if a >= end:
                break
            if not first and (
                self._plain_part(word)
                or (len(word) == 1 and after[k + 1 : k + 2] in _ASPECT_WORDS)
                or (len(word) == 2 and word[1] in _ASPECT)
            ):
                # a verb with its aspect particle follows the name (史密斯|来|了,
                # 乔丹|来过), though its character transliterates too
                tail = a
                break
            first = False
            word_ends.append(min(pos, end))
        if any(
            text[i - 1] in _PLACE_LAST for i in word_ends if i <= tail
        ) or self.place_word_after(text, tail):
            return None  # a place: 埃德蒙·佩特斯桥, ·海陵岛, 乔治·华盛顿|街
        return head, tail

    def _plain_part(self, word: str) -> bool:
        """A word that is no part of a transliterated name: not only transliteration
        characters, and a frequent dictionary word that names no person or place
        (执导, 导演, 表示), a dictionary word with no transliteration character at
        all (校友|玛丽·乔·怀特, 斗士|约翰·刘易斯; a word jieba makes up may glue a
        name's character onto the word beside it: 由史|克威尔, 维瑟斯|彭等) or a
        one-character function word (才, 却)."""
        chars = self._translit_chars
        if all(c in chars for c in word):
            return False
        tag = self._tags.get(word, "")
        if len(word) == 1:
            return tag in self._DOT_FUNCTION_TAGS
        if tag.startswith(("nr", "ns")):
            return False
        freq = self._freq.get(word, 0)
        return freq >= self.COMMON_WORD_FREQ or (
            freq > 0 and not any(c in chars for c in word)
        )

    def _latin_name_after_label(self, m: re.Match) -> bool:
        """A Latin-script name after a label (`_label_latin_re`, which ignores
        case): every word capitalised (个性签名:Be as simple as is not), not a
        title (医生 Dr. Klein), and after an English label with no colon not
        ordinary English words only (Patient Deborah Maxwell, but Home Subscriber
        Server and Fourth Party Logistics are terms)."""
        words = m.group("n").split()
        if all(w.isupper() for w in words) and not m.group("l").isascii():
            # A Chinese name in the capitals of a passport or a bank card after a
            # Chinese label (姓名：ZHANG WEI, 持卡人：OUYANG MINGYUE): two or three
            # words of pinyin syllables, the surname's or the given name's of one.
            return (
                2 <= len(words) <= 3
                and all(_PINYIN_WORD.fullmatch(w) for w in words)
                and _FORM_PLACEHOLDERS.isdisjoint(words)  # NO DATA, TEST USER
            )
        if not all(_LATIN_WORD.fullmatch(w) for w in words):
            return False  # be, OS, TTL
        first = words[0].lower()
        if first in self._en_titles:
            return False
        if not m.group("l").isascii() or re.search("[:：]", m.group("sep")):
            return True
        if len(words) == 1 and first in self._en_common:
            return False
        # The English lexicon's module imports this one: imported here.
        from corpusgate.detectors.pii.en_person_model import common_words

        return not common_words(words, used_in_lower_case=False)

    def _context_name(
        self,
        text: str,
        found: RuleSpans,
        add,
        at: int,
        s: int,
        e: int,
        end: int,
        left: bool,
    ) -> None:
        """The name text[s:e] placed by a context word: a label or role before it
        starting at `at` (`left`), or a word after it ending at `end`."""
        name = text[s:e]
        label, between = self._label_at(text, at, s) if left else ("", "")
        record = label in self._record_labels
        # A record field's value: a colon, a tab or a space after the label and the
        # field's end after the name (联系人：高明\n, 姓名:白云，性别:男).
        field = (
            record
            and between[-1:] not in ("", "为", "是")
            and _FIELD_END.match(text, e) is not None
        )
        if not self._given_ok(
            name[self._surname_len(name) :],
            _LABELLED_NOT_GIVEN if record else _NOT_GIVEN,
        ):
            return
        if self.use_segmenter and (
            self._ordinary_word(name)
            or self._plain_word(name)
            or self._common_noun_given(name)
            or self._common_word_head(name)
            or self.function_char_phrase(name)
            or (left and self._label_goes_on(text, at, s))
        ):
            # 代理人公司, 董事成员, 委员席次, 主|管机关, 被告应羁押,
            # 旅客和船员: a label before an ordinary word or phrase of
            # the dictionary announces no name; nor does a label that
            # is the head of a longer word (书记|官长判行: 书记官).
            return
        # 收件人王健: an announcing word outweighs the rules' guesses.
        add(s, e, self.CONTEXT_SCORE, not left)
        if left or not self._word_goes_on(text, e, end):
            span = self.name_within(text, s, e)
            found.anchored.add(span)
            if field and span == (s, e):
                found.fields.add(span)

    # Given-name log-odds a character of the dictionary's words after a label's
    # surname needs to be read as (part of) the given name.
    LABEL_GIVEN_ODDS: ClassVar[float] = 1.0
    # At most this frequency in jieba's dictionary, a word is a rare entry (牛犇 3).
    RARE_WORD_FREQ: ClassVar[int] = 5

    def _name_end(self, text: str, s: int, sl: int) -> int | None:
        """Where the name whose surname text[s:s+sl] follows a record label ends,
        by the dictionary's words from the surname on (HMM off): a word that is a
        person's name in the dictionary (高峰|未|按时); else the surname alone and
        then a given name of one word of two characters, or of one or two
        one-character words that are name-like (LABEL_GIVEN_ODDS) and no function
        characters (徐|海燕|因病, 曹|晟|源|胡); None where the surname starts
        another word (施政|报告, 谢谢|李总) or a middle dot follows (a
        transliteration's part)."""
        words = self._dictionary_words(text[s : s + sl + self.CUT_WINDOW + 2])
        first = words[0]
        if len(first) > sl:
            e = s + len(first)
            tag = self._tags.get(first, "")
            if 2 <= len(first) <= 3 and tag.startswith("nr"):
                # Not the words jieba tags nr that the training sentences use
                # only as words (签名|盖章|后生效).
                if first in getattr(self._model, "common_words", ()):
                    return None
                return None if text[e : e + 1] in MIDDLE_DOTS else e
            if (
                2 <= len(first) <= 3
                and self._freq.get(first, 0) <= self.RARE_WORD_FREQ
                and self.given_name_score(first[sl:]) >= self.LABEL_GIVEN_ODDS
            ):
                # A rare entry of the dictionary, a name-like given name: 牛犇.
                return None if text[e : e + 1] in MIDDLE_DOTS else e
            if tag != "ns":
                return None
            # A place of the surname and the given name's first character
            # (徐海|燕): the given name's words without the surname.
            words = [first[:sl]] + self._dictionary_words(
                text[s + sl : s + sl + self.CUT_WINDOW + 2]
            )
        if len(first) < sl or len(words) < 2 or not _CJK_WORD.fullmatch(words[1]):
            return None
        given = words[1]
        if len(given) == 1:
            # A function character a record's given name may hold opens one only
            # with a name-like character after it (司马|一|鸣, not 查|一|下).
            opens_only = given in _LABELLED_GIVEN_CHARS
            if self.given_name_score(given) < self.LABEL_GIVEN_ODDS and not opens_only:
                return None  # 交警查|车|规律
            if (
                len(words) > 2
                and len(words[2]) == 1
                and _CJK_WORD.fullmatch(words[2])
                and words[2] not in _STOP
                and self.given_name_score(words[2]) >= self.LABEL_GIVEN_ODDS
            ):
                given += words[2]  # 富|玲|讲诉 stays 富玲
            elif opens_only:
                return None
        e = s + sl + len(given)
        if len(given) > 2 or text[e : e + 1] in MIDDLE_DOTS:
            return None
        return e

    def _label_at(self, text: str, at: int, s: int) -> tuple[str, str]:
        """The label of a context match that starts at `at` and whose name starts
        at `s`, and what stands between them: a colon, spaces or a copula (联系人：,
        经办人为). A context word of prose (记者, 老师) is a label here too; only
        those of data/name_labels.tsv are record labels."""
        head = text[at:s]
        label = head.rstrip("：: \t\n\r\u3000")
        if label[-1:] in "为是" and label[:-1] in self._record_labels:
            label = label[:-1]
        return label, head[len(label) :]

    def _word_goes_on(self, text: str, start: int, end: int) -> bool:
        """The one-character context word at text[start:end] begins a longer
        dictionary word there: 说 of 说明, 称 of 称为 announce no speaker."""
        return (
            end - start == 1
            and self.use_segmenter
            and self._freq.get(text[start : end + 1], 0) > 0
        )

    def _odds_names(self, text: str, add) -> None:
        """Names placed by context but not by the segmenter, accepted when the
        given-name characters are name-like: right after a role word (会长黄福华,
        副总经理王牧天), right before a speech verb (...黄福华表示), or alone between
        punctuation (陈艳萍：...)."""
        odds = self.given_name_score
        left_words, right_words = self.context_words(text)
        roles = [m.span() for m in self._role_re.finditer(text)]
        at = _inside(left_words) + _inside(roles)
        for m in matches_at(self._role_name_re, text, at):
            s = m.start("n")
            sl = m.end("n") - s
            g2 = text[s + sl : s + sl + 2]
            if len(g2) == 2 and self._given_ok(g2) and odds(g2) >= 1.0:
                add(s, s + sl + 2, self.ROLE_NAME_SCORE)
            elif g2 and self._given_ok(g2[:1]) and odds(g2[:1]) >= 1.0:
                add(s, s + sl + 1, self.ROLE_NAME_SCORE)
        for regex, min_odds, score in (
            # it closes on a right context word
            (self._loose_right_re if right_words else None, 1.0, self.ROLE_NAME_SCORE),
            (self._boundary_re, 1.5, self.SEGMENTER_SCORE),
        ):
            for m in regex.finditer(text) if regex else ():
                s, e = m.span("n")
                name = text[s:e]
                given = name[self._surname_len(name) or 1 :]
                if not self._given_ok(given) or odds(given) < min_odds:
                    continue
                if s and self._freq.get(text[s - 1 : s + 1], 0) > 0:
                    continue  # the surname character ends the previous word
                sl = self._surname_len(name) or 1
                if self._common_head(text[s : s + sl + 1]):
                    continue
                add(s, e, score)

    def _transliterated(self, text: str, found: RuleSpans, add, anchor) -> None:
        """Transliterated foreign names (贝尔巴托夫, 库哈斯): runs of characters used
        in transliteration. Teams and places are written the same way, so a run is a
        name only next to a person context word and not before a place or team
        suffix (队, 城, 港...); a segmenter word inside a longer run is dropped
        (梅塔 of 梅塔利斯特)."""
        runs = self.translit_runs(text)
        # The runs are disjoint: a span found before them lies inside one at most.
        spans = SpanIndex(list(found)) if runs else None
        dotted = [k for k in found if any(c in MIDDLE_DOTS for c in text[k[0] : k[1]])]
        for s, e in runs:
            for key in spans.overlapping(s, e):
                if (
                    s <= key[0]
                    and key[1] <= e
                    and key != (s, e)
                    and found[key] < self.CONTEXT_SCORE
                ):
                    del found[key]
            if e - s < 2 or self._place_suffix_re.match(text, e):
                continue
            if (
                _OFFICE_BEFORE.search(text, max(0, s - 5), s)
                and text[e : e + 1] not in MIDDLE_DOTS
                and not any(a <= s and e <= b for a, b in dotted)
            ) or self._official_before_office(text, s, e):
                # An office or a sports role right before it (国务卿奥尔布赖特,
                # 选手福斯特), or an office after it (克雷库总统): news writes a
                # foreign official or athlete so (a middle-dot name is read whole
                # by its own rule, a run inside it too: 总统本杰|明·威廉).
                anchor(s, e)
            elif self._near_context(text, s, e) or self._role_re.search(
                text, max(0, s - 4), s
            ):
                add(s, e, self.TRANSLIT_SCORE)
            elif e - s >= 3:
                add(s, e, self.TRANSLIT_WEAK_SCORE)

    def _official_before_office(self, text: str, s: int, e: int) -> bool:
        """The transliteration text[s:e] is a foreign official's name before the
        office (克雷库总统, 布尔加克副总理): an office follows it, no country's name
        ends with it (俄罗斯总统, 乌克兰总统: data/cn_countries.txt), no
        transliteration follows the office (a country or a title before the
        official: 以色列国防部长莫迪凯), nor an organisation's or a place's word
        (贝尔法斯特女王|大学), and it is no piece of a longer word of the
        segmentation (涅|姆佐夫, 普里马|科夫: a name whose other characters are no
        transliteration characters)."""
        m = _OFFICE_AFTER.match(text, e)
        if m is None or text[m.end() : m.end() + 1] in self._translit_chars:
            return False
        if self.use_segmenter and self.suffix_word_after(text, m.end()):
            return False
        countries = self._countries
        if any(
            text[max(0, e - k) : e] in countries
            for k in self._country_lens
            if k >= e - s
        ):
            return False
        return not (self.use_segmenter and self.cuts_word(text, (s, e)))

    # Tags of jieba words that never make a given name: time words, locatives,
    # adverbs, pronouns, conjunctions, prepositions, numerals, measure words.
    FUNCTION_TAGS: ClassVar[frozenset[str]] = frozenset(
        "t f d r c p m q u y mq".split()
    )

    def _person_word(self, word: str) -> bool:
        """A word of three characters or more that the dictionary holds as a
        person's name (张万年, 何长工: jieba keeps it one word, not a surname and
        a time word or a phrase)."""
        return len(word) >= 3 and self._tags.get(word, "").startswith("nr")

    def function_word_given(self, word: str) -> bool:
        """The part after the surname is a frequent function or time word:
        于|周末, 于|今天, 高|已经 are not names."""
        given = word[self._surname_len(word) or 1 :]
        return (
            len(given) == 2
            and not self._person_word(word)
            and self._tags.get(given) in self.FUNCTION_TAGS
            and self._freq.get(given, 0) >= self.COMMON_WORD_FREQ
        )

    # Tags of a one-character surname used as a word of its own that make it a
    # function word or verb there: 于 (p), 应 (v), 但 (c), 曾 (d).
    FUNCTION_SURNAME_TAGS: ClassVar[frozenset[str]] = frozenset(
        "p c d v u r f ad".split()
    )

    # A surname character that is this frequent as a verb of its own (应, 来, 相, 干,
    # 花) starts a name only after an announcing word; one this frequent as a
    # conjunction or preposition (和, 但, 于) not before a dictionary word.
    VERB_SURNAME_FREQ: ClassVar[int] = 10000
    CONJUNCTION_SURNAME_FREQ: ClassVar[int] = 100000
    # Financial (capital) numerals and units: 陆仟, 伍佰元 are amounts.
    NUMERALS: ClassVar[frozenset[str]] = frozenset("零壹贰叁肆伍陆柒捌玖拾佰仟萬亿億")

    def function_char_phrase(self, word: str) -> bool:
        """A one-character surname that is mostly a function word or verb, followed
        by a frequent ordinary word (于|信托, 达|本法) reads as a phrase, not as a
        name (于建国 stays: 建国 is tagged as a name or place; 于海 too: a
        two-character name is left to the model), and so does any span after a
        very frequent verb (应|俟, 应|敘明) or after a very frequent conjunction or
        preposition before a dictionary word (和|船员); an amount in capital
        numerals (two or more: 陆仟, 伍佰元) is no name either."""
        if not self.NUMERALS.isdisjoint(word[1:]) and (
            sum(c in self.NUMERALS for c in word) >= 2
        ):
            return True  # 陆仟, 伍佰; one such character is a name's (刘陆, 王萬里)
        if word in self._well_known:
            return False  # a listed name: 爱因斯坦, 达尔文 (爱, 达 are frequent verbs)
        if word[:2] in self.compound and len(word) > 2:
            return False
        head = self._tags.get(word[0])
        head_freq = self._freq.get(word[0], 0)
        if head == "v" and head_freq >= self.VERB_SURNAME_FREQ:
            # 应|敘明, 应|俟: a modal verb of legal prose; a transliteration
            # joined by a middle dot starts with any character (加文·胡德).
            return not any(c in MIDDLE_DOTS for c in word)
        if len(word) < 3 or self._person_word(word):
            return False
        given = word[1:]
        if self._tags.get(given, "").startswith(("nr", "ns")):
            return False
        given_freq = self._freq.get(given, 0)
        if head in ("c", "p") and head_freq >= self.CONJUNCTION_SURNAME_FREQ:
            return given_freq > 0  # 和|船员: a conjunction before any word
        return (
            head in self.FUNCTION_SURNAME_TAGS and given_freq >= self.COMMON_WORD_FREQ
        )

    @staticmethod
    def verb_or_noun_slot(text: str, start: int, end: int) -> bool:
        """The span stands where a verb or a noun modifier stands, not a name:
        after a modal, negation or adverb (应陈报, 未迟延) or before 者/费."""
        return (start > 0 and text[start - 1] in NEVER_BEFORE_NAME) or (
            end < len(text) and text[end] in NEVER_AFTER_NAME
        )

    @staticmethod
    def measure_word_at(text: str, start: int) -> bool:
        """A surname character used as a measure word after a demonstrative or a
        numeral: 这张卡, 两张票, 一封信 are not names."""
        return (
            start > 0
            and text[start] in _MEASURE_SURNAMES
            and text[start - 1] in _QUANTIFIERS
        )

    @staticmethod
    def place_word_after(text: str, end: int) -> bool:
        """A place or office word follows: 桂芳|市, 李|路, 黄|街 name places, 康文|署
        an office - but 市长, 县委 and 局长 follow names."""
        after = text[end : end + 2]
        if not after:
            return False  # the text ends: "" is in every string
        return after[0] in "路街巷弄" or (
            after[0] in "市省县区镇村署局厅" and after[1:2] not in ("长", "委")
        )

    def announced(self, text: str, start: int) -> bool:
        """Whether a context word or a record label ends right where `start` is
        (客户|林红霞, 记者|李蕾): the word that announces the name beside it."""
        words = self._announcing
        return any(
            text[max(0, start - k) : start] in words for k in self._announcing_lens
        )

    def titled(self, text: str, start: int, end: int) -> bool:
        """Whether a title or form of address of two characters or more follows
        text[start:end] (霍安柏|医生, 任半塘|先生) or a player's rank of go or chess
        (周鹤洋|七段), and the span ends in no title's prefix or committee
        (陆宁副|主任, 卫健委|主任)."""
        m = self._honorific_re.match(text, end)
        return (
            (m is not None and m.end() - end > 1)
            or _DAN_RANK.match(text, end) is not None
        ) and text[end - 1 : end] not in self._BEFORE_A_TITLE

    # The last characters of what stands before a title and is no name: a title's
    # prefix (副主任) and a committee or office (卫健委主任, 办公室主任).
    _BEFORE_A_TITLE = frozenset("副委室处局办")

    def _near_context(self, text: str, start: int, end: int) -> bool:
        if self.context_words(text) == ([], []):
            return False  # no context word anywhere in the text
        return bool(
            self._ctx_re.search(text, max(0, start - 6), start)
            or self._ctx_re.match(text, end)
        )

    # -- segmenter, on short windows only -------------------------------------------
    WINDOW_LEFT: ClassVar[int] = 4  # characters of left context given to jieba
    WINDOW_RIGHT: ClassVar[int] = 8  # a name (<= 4) plus what follows it
    CONTEXT_SPAN: ClassVar[int] = 8  # characters after/before a context word

    def _starts_name(self, text: str, i: int) -> bool:
        """Cheap test (dictionary lookups, no segmentation) that a name may start at
        the surname character at `i` (see `_name_starts`)."""
        return bool(self._name_starts(text, (i,)))

    def _name_starts(self, text: str, positions) -> list[int]:
        """The offsets among `positions` (of surname characters) at which a name
        may start: a plausible first given-name character, the surname not
        the tail of a word (最高, 前台) and not the head of a common word that is not
        a name (房间, 方便, 高兴) unless a longer name word starts here. One loop
        for all of a text's surname characters (an eighth of news text)."""
        n = len(text)
        compound, freq, nr = self.compound, self._freq, self._nr_words
        nr_heads, given_firsts = self._nr_heads, self._given_firsts
        out = []
        for i in positions:
            sl = 2 if text[i : i + 2] in compound else 1
            if i + sl >= n:
                continue
            head = text[i : i + sl + 1]
            if head in nr_heads and (head in nr or text[i : i + sl + 2] in nr):
                out.append(i)  # a person word of the dictionary starts here (金庸)
                continue
            # Not a CJK character, a function word (_NOT_GIVEN) or one almost never
            # in a given name (店, 场, 值).
            if text[i + sl] not in given_firsts:
                continue
            if i and freq.get(text[i - 1 : i + 1], 0) > 0:
                if text[i - 1 : i + 1] not in nr:
                    continue
            if self._common_head(head):
                continue
            # Neither `head` nor the word one character longer is a person word.
            if (
                freq.get(head, 0) > 0
                and self.given_name_score(text[i + sl : i + sl + 2]) < 1.5
            ):
                continue
            out.append(i)
        return out

    def given_name_score(self, given: str) -> float:
        """Mean log-odds of the given-name characters (unknown characters: 0)."""
        if not given:
            return 0.0
        get = self._given_logodds.get  # a list: the same sum, without a generator
        return sum([get(c, 0.0) for c in given]) / len(given)

    def _not_a_name(self, text: str, start: int, end: int | None = None) -> bool:
        """The dictionary says the span is an ordinary word: a dictionary word not
        tagged as a person (解释, 干脆), a frequent word whatever its tag (温馨,
        明星), a frequent word at its head (温泉...), or a surname character that
        ends the previous word (责任给)."""
        word = text[start:end]
        tag = self._tags.get(word)
        if tag is not None and not tag.startswith("nr"):
            return True
        if self._freq.get(word, 0) >= self.COMMON_WORD_FREQ and not (
            # A frequent person word of three characters or more is a famous
            # name (孙中山, 武则天, 朱高炽: four in five of them), not an ordinary word.
            len(word) >= 3 and tag is not None
        ):
            return True
        sl = self._surname_len(word) or 1
        if (
            len(word) > sl + 1
            and self._common_head(word[: sl + 1])
            and not self.generation_name(word)
        ):
            return True
        return False

    # Garbled text (a GBK/UTF-8 mix-up turns 日期 into 丛拢保 ...): around a span,
    # many rare characters and few character pairs that begin a dictionary word.
    # Set on the training sentences: 8 of their 5,273 names sit in such windows
    # (repeated or traditional-character Weibo posts).
    GARBLE_WINDOW: ClassVar[int] = 10
    GARBLE_RARE_FREQ: ClassVar[int] = 2000  # dictionary count of a rare character
    GARBLE_RARE_SHARE: ClassVar[float] = 0.3
    GARBLE_WORD_SHARE: ClassVar[float] = 0.2

    def garbled(self, text: str, start: int, end: int) -> bool:
        """Whether the text around text[start:end] reads as garbled: at least
        GARBLE_RARE_SHARE of its Chinese characters rare in the dictionary's
        words and at most GARBLE_WORD_SHARE of them covered by a
        character pair that begins a dictionary word."""
        if self.mis_decoded(text, start, end):
            return True
        a = max(0, start - self.GARBLE_WINDOW)
        b = min(len(text), end + self.GARBLE_WINDOW)
        # The characters first, their offsets only for the few windows that pass
        # (this is asked of every candidate the second stage scores).
        chars = [c for c in text[a:start] + text[end:b] if "\u4e00" <= c <= "\u9fff"]
        if len(chars) < 6:
            return False
        common = self._common_chars
        rare = len([c for c in chars if c not in common])
        if rare < self.GARBLE_RARE_SHARE * len(chars):
            return False
        han = [
            i
            for i in range(a, b)
            if not start <= i < end and "\u4e00" <= text[i] <= "\u9fff"
        ]
        freq = self._freq
        covered: set[int] = set()
        for i in range(a, b - 1):
            if start - 1 <= i < end or text[i : i + 2] not in freq:
                continue  # pairs that touch the span, or begin no word
            covered.update((i, i + 1))
        return sum(i in covered for i in han) <= self.GARBLE_WORD_SHARE * len(han)

    # UTF-8 text read as GBK: a byte that does not decode shows as "?" and the
    # pair after it often as a full-width form (?Ｒ晃宦啡烁嫠呒钦撸?); a span
    # between two such marks, in one clause, is garbage. No name of the training
    # sentences sits in such a run.
    MOJIBAKE_REACH: ClassVar[int] = 12
    _CLAUSE_BREAK = re.compile("[。，！？；：、\n“”]")

    def mis_decoded(self, text: str, start: int, end: int) -> bool:
        """Whether text[start:end] lies in a run opened by "?" and a full-width
        form and closed by "?" within MOJIBAKE_REACH characters, no clause break
        between."""
        a = text.rfind("?", max(0, start - self.MOJIBAKE_REACH), start)
        if a < 0 or not "\uff01" <= text[a + 1 : a + 2] <= "\uff5e":
            return False
        b = text.find("?", end, end + self.MOJIBAKE_REACH)
        return not (
            b < 0
            or self._CLAUSE_BREAK.search(text, a + 1, start)
            or self._CLAUSE_BREAK.search(text, end, b)
        )

    def _plain_dotted_part(self, span: str) -> bool:
        """A part of a middle-dot span is a frequent ordinary word with no
        transliteration character, and most of the span is not transliteration
        either: the dot joins a title or a list, not the parts of a foreign name
        (大卫·贝克汉姆 is one; no name of the training sentences is vetoed)."""
        if not self.use_segmenter or not any(c in span for c in MIDDLE_DOTS):
            return False
        letters = [c for c in span if c not in MIDDLE_DOTS]
        if 2 * sum(c in self.TRANSLIT for c in letters) >= len(letters):
            return False
        for part in re.split(f"[{MIDDLE_DOTS}]", span):
            if (
                len(part) >= 2
                and self._freq.get(part, 0) >= self.COMMON_WORD_FREQ
                and not self._tags.get(part, "").startswith(("nr", "ns"))
                and not any(c in self.TRANSLIT for c in part)
            ):
                return True
        return False

    def _plain_word(self, word: str) -> bool:
        """A dictionary word tagged as something other than a person whose
        given-name part is unlike a given name (席次, 申诉书), however rare."""
        tag = self._tags.get(word)
        given = word[self._surname_len(word) or 1 :]
        return (
            tag is not None
            and not tag.startswith("nr")
            and self.given_name_score(given) < 0.0
        )

    def _label_goes_on(self, text: str, start: int, name_start: int) -> bool:
        """The label at text[start:name_start] (nothing between it and the name)
        and the next one or two characters make a dictionary word: 书记|官."""
        return any(
            self._freq.get(text[start : name_start + k], 0) > 0 for k in (1, 2)
        ) and not re.match(r"[：:\s]", text[name_start - 1 : name_start])

    def _ordinary_word(self, word: str) -> bool:
        """A frequent dictionary word not tagged as a person (公司, 成员, 席次)."""
        return self._freq.get(word, 0) >= self.COMMON_WORD_FREQ and not self._tags.get(
            word, ""
        ).startswith("nr")

    # A two-character given part that is a very frequent noun or verb (机关,
    # 文件, 学习) is no given name; 建国, 建平 and 海燕 are rarer than this.
    COMMON_NOUN_FREQ: ClassVar[int] = 1000

    def _common_noun_given(self, word: str) -> bool:
        given = word[self._surname_len(word) or 1 :]
        return (
            len(given) == 2
            and not self._person_word(word)
            and self._tags.get(given) in ("n", "v", "vn")
            and self._freq.get(given, 0) >= self.COMMON_NOUN_FREQ
        )

    def _common_word_head(self, name: str) -> bool:
        """The surname and the next character make a very frequent ordinary word
        and the given part is unlike a given name (公证人|公司应于: 公司), which a
        label does not make a name (负责人王国军 is one: 国军 is name-like)."""
        sl = self._surname_len(name) or 1
        head = name[: sl + 1]
        return (
            self._freq.get(head, 0) >= self.COMMON_NOUN_FREQ
            and not self._tags.get(head, "").startswith("nr")
            and self.given_name_score(name[sl:]) < 0.0
        )

    def _common_head(self, head: str) -> bool:
        """A frequent dictionary word or a place word starts here (温泉 - tagged nr
        by jieba -, 海滩): not a name, whatever the characters after it."""
        return self._freq.get(head, 0) >= self.COMMON_WORD_FREQ or (
            self._tags.get(head, "") == "ns"
        )

    def _windows(
        self, text: str, extra: list[tuple[int, int]] | None = None
    ) -> tuple[list[tuple[int, int]], set[int]]:
        """Merged character windows worth segmenting (plus `extra` ones), and the
        positions that are true word boundaries (text ends, context-word edges)
        among their edges."""
        n = len(text)
        spans: list[tuple[int, int]] = list(extra or ())
        hard = {0, n}
        surnames = [m.start() for m in self._surname_re.finditer(text)]
        for i in self._name_starts(text, surnames):
            spans.append((max(0, i - self.WINDOW_LEFT), min(n, i + self.WINDOW_RIGHT)))
        # A name follows a left context word (收件人) and precedes a right one (说).
        left_words, right_words = self.context_words(text)
        for _, end in left_words:
            hard.add(end)
            spans.append((end, min(n, end + self.CONTEXT_SPAN)))
        for start, _ in right_words:
            hard.add(start)
            spans.append((max(0, start - self.CONTEXT_SPAN), start))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for s, e in spans:
            if merged and s <= merged[-1][1]:
                if e > merged[-1][1]:
                    merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        return merged, hard

    def window_tokens(
        self, text: str, extra: list[tuple[int, int]] | None = None
    ) -> list[tuple[int, int, str]]:
        """(start, end, word) of jieba's words in the windows; a word cut by a window
        edge that is not a real boundary is partial and left out. jieba's HMM joins
        the characters of names its dictionary lacks (倪以理, 吴理茂)."""
        windows, hard = self._windows(text, extra)
        out = []
        for ws, we in windows:
            pos = ws
            for word in self._cut(text[ws:we]):
                start, pos = pos, pos + len(word)
                if (start == ws and ws not in hard) or (pos == we and we not in hard):
                    continue
                out.append((start, pos, word))
        return out

    def _segmenter_names(self, text: str, add, tokens=None) -> None:
        if tokens is None:
            tokens = self.window_tokens(text)
        score = self._score_word
        # Only a word that starts with a surname or is a person word of the
        # dictionary can score (the cheap test first: most words are neither).
        firsts, person_words = self.surname_firsts, self._nr_words
        for start, end, word in tokens:
            if 2 <= end - start <= 4 and (  # most words are of one character
                word[0] in firsts or word in person_words
            ):
                score(text, word, start, end, add)

    def _score_word(self, text: str, word: str, start: int, pos: int, add) -> None:
        """The rules' score of a word of two to four characters of the
        segmentation, if it may be a name."""
        n = len(word)
        if not _CJK_WORD.fullmatch(word):
            return
        tag = self._tags.get(word)
        sl = self._surname_len(word)
        surname_name = bool(sl) and self._given_ok(word[sl:])
        if not surname_name and tag not in ("nr", "nrt", "nrfg"):
            return  # no name either way: no context search
        ctx = self._near_context(text, start, pos)
        boost = self.CONTEXT_BOOST if ctx else 0.0
        if surname_name:
            odds = self.given_name_score(word[sl:])
            strong = odds >= self.WEAK_SURNAME_ODDS
            if tag is None and sl == 1 and word[0] in self.WEAK_SURNAMES and not strong:
                add(start, pos, self.DICT_NAME_SCORE + boost)
            elif tag is None:
                if odds >= self.GIVEN_ODDS_MIN or ctx:
                    add(start, pos, self.SEGMENTER_SCORE + boost)
                else:
                    add(start, pos, self.DICT_NAME_SCORE)
            elif tag.startswith("nr"):
                # A dictionary person word: full names (温家宝, 张大千) are three
                # characters with name-like given characters; two-character ones
                # are often not names at all (毛巾, 宋体 are tagged nr).
                if (
                    n - sl == 2
                    and word[0] not in self.WEAK_SURNAMES
                    and not all(c in self.TRANSLIT for c in word)
                    and odds >= self.DICT_FULL_NAME_ODDS
                ):
                    add(start, pos, self.SEGMENTER_SCORE + boost)
                else:
                    add(start, pos, self.DICT_NAME_SCORE + boost)
        elif tag in ("nr", "nrt", "nrfg"):
            add(start, pos, self.NO_SURNAME_SCORE + (0.4 if ctx else 0.0))


def _run_of(text: str, at: int, reach: int, chars: frozenset[str]) -> str:
    """The characters of `chars` in a row from offset `at` on (reach > 0) or ending
    at it (reach < 0), at most abs(reach) of them."""
    if reach > 0:
        end = at
        while end < min(len(text), at + reach) and text[end] in chars:
            end += 1
        return text[at:end]
    start = at
    while start > max(0, at + reach) and text[start - 1] in chars:
        start -= 1
    return text[start:at]


@lru_cache(maxsize=2)  # once per process and surname list; read-only after
def _given_name_statistics(
    single: frozenset,
) -> tuple[dict[str, float], dict[str, int]]:
    """`_count_given_name_statistics`, from the set-up cache (`setup_cache`) keyed
    by this code, the surnames and jieba's data."""
    import inspect

    from corpusgate.detectors.pii.china import segmenter
    from corpusgate.detectors.pii.setup_cache import cached

    return cached(
        "cn-given-name-statistics",
        [
            inspect.getsource(_count_given_name_statistics),
            "".join(sorted(single)),
            *segmenter.jieba_data(),
        ],
        lambda: _count_given_name_statistics(single),
    )


def _count_given_name_statistics(
    single: frozenset,
) -> tuple[dict[str, float], dict[str, int]]:
    """Log-odds, per character, of appearing in a given name rather than in
    ordinary words, counted in jieba's dictionary: given names are the tails of
    its 3-character person words (nr) that start with a surname; ordinary text
    is every other word weighted by its frequency. 姗, 伟, 媛 score high; 场, 值,
    套 low. Only dictionary data is used, so this does not depend on any
    evaluation set. Also returns each character's count over all the words
    (person words too), weighted by frequency."""
    import math
    from collections import Counter

    from corpusgate.detectors.pii.china import segmenter

    freq, tags = segmenter.dictionary()

    given: Counter[str] = Counter()
    general: Counter[str] = Counter()
    person: Counter[str] = Counter()  # the characters of person words
    for word, tag in tags.items():
        f = freq.get(word, 0)
        if not f:
            continue
        if tag.startswith("nr"):
            if tag == "nr" and len(word) == 3 and word[0] in single:
                given.update(word[1:])
            for c in word:
                person[c] += f
        else:
            for c in word:
                general[c] += f
    g_total = sum(given.values()) + len(given)
    o_total = sum(general.values()) + len(general)
    odds = {
        c: math.log((given[c] + 1) / g_total) - math.log((general[c] + 1) / o_total)
        for c in set(given) | set(general)
    }
    return odds, dict(general + person)
