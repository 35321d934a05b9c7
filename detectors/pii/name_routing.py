"""Which name recognizers read which text, by language and script.

Chinese name rules and models run on Chinese only: a document that
`corpusgate.detectors.language` calls Japanese or Korean gets no Chinese PERSON
finding (its kanji/hanja are not Chinese names). Traditional Chinese is read in
simplified form (OpenCC), where the person stage, its dictionary and its weights
live, and the spans are mapped back to the original text exactly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from corpusgate.detectors.language import (
    han_variant,
    opencc_converter,
    span_to_original,
    to_simplified,
)
from corpusgate.detectors.pii.china.cn_person_recognizer import (
    _PLACE_LAST,
    CnPersonRecognizer,
    announcing_words,
    load_lines,
    not_name_suffixes,
)
from corpusgate.detectors.pii.en_person_model import (
    NAMES_SOMETHING_ELSE,
    common_words,
    is_dictionary_word,
    known_name,
    lexicon,
    ordinary_words,
)
from corpusgate.detectors.pii.sensitive import trie_regex
from corpusgate.detectors.pii.windows import first_chars
from presidio_analyzer import RecognizerResult

_HAN = re.compile("[\u4e00-\u9fff]")
_ASCII_LETTER = re.compile("[A-Za-z]")
# Han, kana, and CJK or full-width punctuation (、，（): none stands inside a
# Latin-script name.
_CJK_CHAR = "[\u3001-\u303f\u3040-\u30ff\u4e00-\u9fff\uff01-\uff0f\uff1a-\uff1f]"
_LATIN_AND_CJK = re.compile(f"[A-Za-z].*{_CJK_CHAR}|{_CJK_CHAR}.*[A-Za-z]", re.S)
NOT_CHINESE = frozenset({"ja", "ko"})


def runs_chinese_names(text: str, language: str) -> bool:
    """Whether the Chinese name recognizers read `text` (of document `language`)."""
    return language not in NOT_CHINESE and _HAN.search(text) is not None


def analyze_chinese(
    recognizers: list, text: str, language: str
) -> list[RecognizerResult]:
    """The recognizers' results on `text`, traditional Chinese converted to
    simplified first (a whole traditional document, or the Han characters of a
    document in another language when they are traditional)."""
    traditional = language == "zh-Hant" or (
        language != "zh-Hans" and han_variant(text) == "zh-Hant"
    )
    if not traditional:
        view = name_dots(text)
        out: list[RecognizerResult] = []
        for r in recognizers:
            out += [
                x
                for x in r.analyze(view, r.supported_entities, None)
                if not names_a_thing(view, x)
            ]
        return [dotted_name(text, x) for x in out if not mixed_script_person(text, x)]
    # tw2sp also turns Taiwanese words into the mainland words the segmenter's
    # dictionary knows (伺服器 -> 服务器, 金鑰 -> 密钥).
    view, offsets = to_simplified(text, "tw2sp")
    view = name_dots(view)
    out = []
    not_surname = trad_not_surnames()
    for r in recognizers:
        for x in r.analyze(view, r.supported_entities, None):
            if names_a_thing(view, x):
                continue
            x.start, x.end = span_to_original(offsets, x.start, x.end)
            if x.entity_type == "PERSON" and text[x.start] in not_surname:
                continue  # 餘絀, 於申: the conversion made a surname of 餘, 於
            out.append(x)
    return [dotted_name(text, x) for x in out if not mixed_script_person(text, x)]


def names_a_thing(text: str, result: RecognizerResult) -> bool:
    """A Chinese stage's span that names a medicine, a brand or, before its noun, an
    eponym's object, or that is written Cantonese: no person (the checks below,
    asked in one place for simplified text and for the simplified view of
    traditional text)."""
    return (
        in_a_medicine_name(text, result)
        or eponym_before(text, result)
        or a_brand(text, result)
        or cantonese_words(text, result)
        or idiom_shape(text, result)
    )


def idiom_shape(text: str, result: RecognizerResult) -> bool:
    """A four-character PERSON span of Chinese characters in an idiom's shape, ABAC
    or AABB (何德何能, 一心一意, 马马虎虎): four-character names (司马相如, 欧阳娜娜,
    transliterations) are never so written."""
    if result.entity_type != "PERSON" or result.end - result.start != 4:
        return False
    w = text[result.start : result.end]
    return all("\u4e00" <= c <= "\u9fff" for c in w) and (
        w[0] == w[2] or (w[0] == w[1] and w[2] == w[3])
    )


# Characters written Cantonese uses for its function words (at, not have, thing,
# some, the perfective, the possessive, he/she, so, that, look, come, not, plural,
# thus, right, all, take, think, find, what, give, particles), none of them in
# names: 仲喺 (still at), 仲冇, 梁喺 (Leung at), 乜嘢 read as names in Hong Kong text.
_CANTONESE_FUNCTION = frozenset(
    "喺冇嘢啲咗嘅佢咁嗰睇嚟唔哋噉啱冚攞諗谂搵揾乜喎嘞囉啰畀"
)
# A demonstrative (or a function word) before a surname that is also a measure word
# (呢張枱, this table; 嗰張相, that photo; 喺張枱度, at the table).
_CANTONESE_DEMONSTRATIVE = frozenset("呢嗰邊边")


def cantonese_words(text: str, result: RecognizerResult) -> bool:
    """A PERSON span that holds a Cantonese function word's character, or a measure
    word after a Cantonese demonstrative: written Cantonese, no name."""
    if result.entity_type != "PERSON":
        return False
    s, e = result.start, result.end
    return not _CANTONESE_FUNCTION.isdisjoint(text[s:e]) or (
        s > 0
        and (
            text[s - 1] in _CANTONESE_DEMONSTRATIVE
            or text[s - 1] in _CANTONESE_FUNCTION
        )
        and text[s] in "张張"
    )


# A full stop or a raised dot written for the middle dot of a transliterated name
# (约瑟夫.克里斯蒂安奴, 塞雷娜．威廉姆斯).
_DOT_FOR_MIDDLE_DOT = ".．‧"


# The dots Taiwan (‧, U+2027) and Hong Kong (．, full-width full stop) write
# between the parts of a transliterated name (喬治‧華盛頓, 保羅．米科拉謝克).
_NAME_DOT_VARIANTS = re.compile("[．‧]")


def name_dots(text: str) -> str:
    """`text` with the middle dot the Chinese stage reads (one character for one:
    the offsets stay) for each ‧ between two Chinese characters, as Taiwan writes
    it for the middle dot, and each ． between two transliteration characters;
    a ． elsewhere is a full stop and stays."""
    if "．" not in text and "‧" not in text:
        return text
    translit = _transliteration_characters()
    chars = list(text)
    for m in _NAME_DOT_VARIANTS.finditer(text):
        i = m.start()
        if not 0 < i < len(text) - 1:
            continue
        before, after = text[i - 1], text[i + 1]
        if m.group() == "‧":
            if _HAN.match(before) and _HAN.match(after):
                chars[i] = "·"
        elif before in translit and after in translit:
            chars[i] = "·"
    return "".join(chars)


def dotted_name(text: str, result: RecognizerResult) -> RecognizerResult:
    """A PERSON span of transliteration characters followed by a dot written for a
    middle dot and a word of two Chinese characters or more that opens with one runs
    over the dot and that word: the next part of the same name. (A full stop after
    a method's name, 方法.根据, follows no PERSON span; a Chinese author's name before
    a citation's full stop, 张志强.内蒙古科技与经济, is no transliteration.)"""
    e = result.end
    translit = _transliteration_characters()
    if (
        result.entity_type != "PERSON"
        or e + 2 >= len(text)
        or text[e] not in _DOT_FOR_MIDDLE_DOT
        or text[e + 1] not in translit
        or not all(c in translit for c in text[result.start : e])
    ):
        return result
    from corpusgate.detectors.pii.china import segmenter

    word = segmenter.cut(to_simplified(text[e + 1 : e + 9], "tw2sp")[0])[0]
    if len(word) >= 2 and all(_HAN.match(c) for c in word):
        result.end = e + 1 + len(word)
    return result


@lru_cache(maxsize=1)
def _transliteration_characters() -> frozenset[str]:
    """The Chinese stage's transliteration characters, simplified and traditional."""
    chars = CnPersonRecognizer.TRANSLIT + CnPersonRecognizer.TRANSLIT_MORE
    return frozenset(chars + opencc_converter("s2t").convert(chars))


# A mathematical or scientific object named after a person, right after the name
# (傅里叶变换, 克鲁斯卡尔算法, 李雅普诺夫第二方法): an eponym, no person. No gold
# PERSON span of the Chinese training sentences is followed by one of these words
# (an index, a prize or a cup named after someone is: 凯利指数, 穆里尼奥奖).
_EPONYM_NOUN = re.compile(
    r"(?:第[一二三四五六七八九十]+)?(?:方法|定理|方程|效应|定律|原理|算法|公式|常数"
    r"|不等式|函数|变换|级数|猜想|悖论|引理|判据|准则|积分|矩阵|空间|曲线|数列"
    r"|乘数|乘子|插值|多项式|分布|算子|假说|判别法|白噪声|噪声|模糊|滤波|消元|核函数)"
)


def eponym_before(text: str, result: RecognizerResult) -> bool:
    """A PERSON span right before an eponym's noun (see _EPONYM_NOUN)."""
    return (
        result.entity_type == "PERSON"
        and _EPONYM_NOUN.match(text, result.end) is not None
    )


MEDICINE_REACH = 8  # characters either side of a span searched for a medicine


def in_a_medicine_name(text: str, result: RecognizerResult) -> bool:
    """A PERSON span that is a medicine's name or lies inside one (布洛芬, 阿昔 of
    阿昔洛韦, data/cn_medicines.txt): jieba's dictionary tags some medicines as
    people's names, and medical records, where they stand beside patients' names,
    are sensitive information's own ground. No gold PERSON span of the training
    sentences is a listed medicine."""
    if result.entity_type != "PERSON":
        return False
    s, e = result.start, result.end
    lo = max(0, s - MEDICINE_REACH)
    return any(
        m.start(1) <= s and e <= m.end(1)
        for m in _medicines().finditer(text, lo, min(len(text), e + MEDICINE_REACH))
    )


@lru_cache(maxsize=1)
def _medicines() -> re.Pattern:
    # Overlapping names (阿莫西林 in 复方阿莫西林) are all found: a lookahead.
    # The first characters' lookahead before it spares the trie's hundreds of
    # alternatives at every other position (5 times faster on news text).
    names = sorted(load_lines("cn_medicines.txt"))
    return re.compile(first_chars(names) + "(?=(" + trie_regex(names) + "))")


def a_brand(text: str, result: RecognizerResult) -> bool:
    """A PERSON span that is exactly a brand's, a firm's or a product's name that
    Chinese text writes like a person's (安卓, 伊索; data/cn_brands.txt)."""
    return result.entity_type == "PERSON" and text[result.start : result.end] in (
        _brands()
    )


@lru_cache(maxsize=1)
def _brands() -> frozenset[str]:
    return frozenset(load_lines("cn_brands.txt"))


def lone_latin_word(text: str, result: RecognizerResult, language: str) -> bool:
    """A one-word Latin-script PERSON span in a Chinese document with no announcing
    word or role right before it (负责人Jason, 制片人Steven have one): in Chinese
    text such words are mostly firms, products and software (Siemens, Oracle,
    Linux) - the English name model reads them with the Chinese words blanked
    out."""
    if language not in ("zh-Hans", "zh-Hant") or result.entity_type != "PERSON":
        return False
    span = text[result.start : result.end]
    if not span.isascii() or len(span.split()) > 1:
        return False
    before = text[max(0, result.start - 12) : result.start].rstrip(" ：:")
    return _announcing_end().search(before) is None


def english_words_in_chinese(
    text: str, result: RecognizerResult, language: str
) -> bool:
    """A Latin-script PERSON span of two words or more in a Chinese document that
    is English words, not a name: its words are all ordinary English words, none a
    given name or a common surname (Silk Wedding, Logistics Routing Problem; not
    Bill Gates, Chlorophyll Wong); or it is written in capitals (DRAGON BALL, BTC
    BARON: none of the 324 Latin-script names of the Chinese training sentences
    is, though single handles are: GRUBBY); or it is one of a series of terms, its
    last word an ordinary English word and no common surname written after three
    different capitalised words or more in the text (Tin Wedding, Ivory Wedding,
    Golden Wedding). Chinese text writes English for terms and glosses, and a
    foreign person's name with a given name or in Chinese characters."""
    if language not in ("zh-Hans", "zh-Hant") or result.entity_type != "PERSON":
        return False
    words = text[result.start : result.end].split()
    if len(words) < 2 or not all(w.isascii() and w.isalpha() for w in words):
        return False
    if all(w.isupper() and len(w) > 1 for w in words):
        return True
    # Any dictionary words: English words in Chinese text are terms, whether or
    # not English text writes them in lower case.
    return common_words(words, used_in_lower_case=False) or _term_series(
        text, words[-1]
    )


SERIES_MIN = 3  # different capitalised words before a shared last word


def _term_series(text: str, last: str) -> bool:
    """`last` is an ordinary English word and no common surname, written after
    SERIES_MIN different capitalised words or more in `text` (see
    `english_words_in_chinese`)."""
    if not common_words([last], used_in_lower_case=False):
        return False
    heads = {
        m.group(1) for m in re.finditer(rf"\b([A-Z][a-z]+) {re.escape(last)}\b", text)
    }
    return len(heads) >= SERIES_MIN


@lru_cache(maxsize=1)
def _announcing_end() -> re.Pattern:
    words = set(announcing_words()) | set(CnPersonRecognizer.ROLES)  # 制片人Steven
    return re.compile("(?:" + trie_regex(sorted(words)) + ")$")


def _person(s: int, e: int, score: float, recognizer: str) -> RecognizerResult:
    """A PERSON result of one of this module's rules, named by `recognizer`."""
    return RecognizerResult(
        "PERSON",
        s,
        e,
        score,
        recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: recognizer},
    )


# Characters that continue a Latin word into a longer token (a URL, an e-mail
# address, a handle, an identifier, a number); after the word a colon too (a URL's
# scheme, a port), not before it, where a label's colon announces a name (联系人:John).
_TOKEN_CHARS_BEFORE = frozenset(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@./\\-"
)
_TOKEN_CHARS_AFTER = _TOKEN_CHARS_BEFORE | {":"}


def _part_of_a_token(text: str, s: int, e: int) -> bool:
    """Whether the Latin word text[s:e] continues into a longer token on either
    side (负责人Erik.Smith@example.com, www.DaveBurton.com, @DaveBurton)."""
    return (s > 0 and text[s - 1] in _TOKEN_CHARS_BEFORE) or (
        e < len(text) and text[e] in _TOKEN_CHARS_AFTER
    )


# A Latin-script name as Chinese text writes one: up to four words, each a
# capital and a lower-case letter at least (Erik, BradBuxer, Min-Liang Tan,
# O'Connor). Not acronyms (QQ, ID, DNA, DWORD), nor user names in lower case
# (admin, xxq), which the same labels (作者, 编辑, 网友) announce in web text.
_LATIN_NAME_WORD = r"[A-Z][A-Za-z'’\-]*[a-z][A-Za-z'’\-]*"
_LATIN_NAME = re.compile(f"{_LATIN_NAME_WORD}(?: {_LATIN_NAME_WORD}){{0,3}}")
ROLE_LATIN_SCORE = 0.85


def role_latin_names(text: str, language: str) -> list[RecognizerResult]:
    """Latin-script names right after a Chinese role or announcing word, in a
    Chinese document (负责人Erik, 设计师Anderson, 执行副总裁Frank Pearce,
    联系人：John Lee): the English name model reads them without their Chinese
    context and mostly misses them. On the Chinese training sentences 34 of the
    35 capitalised Latin runs that follow such a word (and are no ordinary English
    word, nor followed by a place's, an organisation's or an event's word: 公司,
    球队) are gold PERSON spans, the other one a writer the labels missed.
    Acronyms and lower-case user names, which web pages' 作者, 编辑 and 网友 labels
    announce, are left out."""
    if language not in ("zh-Hans", "zh-Hant") or not _ASCII_LETTER.search(text):
        return []
    from corpusgate.detectors.pii.china import segmenter

    suffixes = not_name_suffixes()
    out = []
    for m in _LATIN_NAME.finditer(text):
        s, e = m.span()
        if _part_of_a_token(text, s, e):
            continue  # a URL, an address, a handle
        if ordinary_words(m.group().split()):
            continue  # 个性签名:Be as simple as...
        before = text[max(0, s - 12) : s].rstrip(" ：:")
        if not before or not _HAN.match(before[-1]):
            continue
        if _announcing_end().search(to_simplified(before, "tw2sp")[0]) is None:
            continue
        after = text[e : e + 6]
        if after and _HAN.match(after[0]):
            first = segmenter.cut(to_simplified(after, "tw2sp")[0])[0]
            if first in suffixes:
                continue
        out.append(_person(s, e, ROLE_LATIN_SCORE, "RoleLatinName"))
    return out


# A Latin-script name run together, as Chinese text often writes one (DaveBurton,
# GregWyler, NathalieDaoust): two or three capitalised parts in one word, not part
# of a longer token (`_part_of_a_token`, tested after the match: a lookbehind would
# be tried at every character of the text).
_RUN_TOGETHER = re.compile(r"(?:Mc)?[A-Z][a-z]+(?:(?:Mc)?[A-Z][a-z]+){1,2}")
_CAPITALISED_PART = re.compile(r"(?:Mc)?[A-Z][a-z]+")  # McRae is one part
_VOWEL = re.compile("[aeiouy]")
RUN_TOGETHER_SCORE = 0.85
# Chinese text this close to the word (either side) makes it part of Chinese prose.
RUN_TOGETHER_REACH = 3


def run_together_latin_names(text: str, language: str) -> list[RecognizerResult]:
    """Latin-script names written without a space in a Chinese document, next to
    Chinese text (新晋奶爸DaveBurton, 领军人物GregWyler宣布): the first part a given
    name of three letters or more, every other part with a vowel and a name or no
    ordinary English word (not MarvelUniverse, SpringMvc), no compound of two
    words (SpringBoot, KingBack), and the parts not one repeated (PiaPiaPia). The
    English name model reads such a word as one unknown token. On the Chinese
    training sentences 40 of the 44 such words are gold PERSON spans (the others: a
    rally game named after its driver, ColinMcRae; a firm, DelRey; a writer's name
    the labels put inside a book's title; a user name)."""
    if language not in ("zh-Hans", "zh-Hant") or not _ASCII_LETTER.search(text):
        return []
    given = lexicon().given_names
    out = []
    for m in _RUN_TOGETHER.finditer(text):
        s, e = m.span()
        if _part_of_a_token(text, s, e):
            continue
        near = (
            text[max(0, s - RUN_TOGETHER_REACH) : s] + text[e : e + RUN_TOGETHER_REACH]
        )
        if not _HAN.search(near):
            continue
        parts = [p.lower() for p in _CAPITALISED_PART.findall(m.group())]
        if (
            len(parts[0]) < 3
            or parts[0] not in given
            or len(set(parts)) < len(parts)
            or any(
                not _VOWEL.search(p) or (is_dictionary_word(p) and not known_name(p))
                for p in parts[1:]
            )
            # A given name that is a word too opens a compound of words (SpringBoot,
            # KingBack) unless a word that is none follows (MarkSchwartz).
            or (is_dictionary_word(parts[0]) and is_dictionary_word(parts[-1]))
        ):
            continue
        out.append(_person(s, e, RUN_TOGETHER_SCORE, "RunTogetherLatinName"))
    return out


# The name of a ticket, a boarding pass or a booking in the airlines' form: the
# surname, a slash, the given names, a space and a title (MENSAH/KWAME MR,
# ZHANG/XIAOMING MS, O'BRIEN/MARY ANN MRS, VAN DER BERG/JAN MR). Without the title
# a slash between two words in capitals is as often TCP/IP or AND/OR.
_TRAVEL_NAME = re.compile(
    r"(?<![A-Za-z/])([A-Z][A-Z'\-]+(?: [A-Z][A-Z'\-]+){0,2}/[A-Z][A-Z'\-]+"
    r"(?: [A-Z][A-Z'\-]+){0,2}?) (?:MR|MRS|MS|MISS|MSTR|DR)(?![A-Za-z])"
)
TRAVEL_NAME_SCORE = 0.95


def travel_document_names(text: str) -> list[RecognizerResult]:
    """Names in the form of travel documents (`_TRAVEL_NAME`), in any language;
    the span is the name without the title."""
    if "/" not in text:
        return []
    return [
        _person(*m.span(1), TRAVEL_NAME_SCORE, "TravelDocumentName")
        for m in _TRAVEL_NAME.finditer(text)
    ]


# A Latin-script name in parentheses right after a Chinese person's name: the
# original spelling of a transliteration or a romanisation (梅内兹（menez）,
# 博瓦德（henrikbogvad）, 张伟 (Zhang Wei)), often run together and in lower case.
_GLOSSED_NAME = re.compile(
    r"[ \t]?[（(][ \t]*([A-Za-z][A-Za-z .'’\-]{1,40}?)[ \t]*[)）]"
)


def glossed_latin_names(
    text: str, language: str, names: list[RecognizerResult]
) -> list[RecognizerResult]:
    """The Latin-script name in parentheses right after each reported Chinese PERSON
    span of `names`, at that span's score, when the English name lists know it: a
    word of several is a known name (Zhang Wei), or the first word opens with a given
    name of four letters or more (MarkSchwartz, henrikbogvad), or the one word is a
    known name (Ella). On the Chinese training sentences 41 of the 49 parenthesised
    Latin runs after a gold name are gold names too (the others: a link's word, blog;
    a team's tag, ovs); the lists keep the gloss from repeating the Chinese stage's
    errors (伊索 (Aesop) the brand, 安勒尼蘭 (Aniran) the land)."""
    if language not in ("zh-Hans", "zh-Hant") or "(" not in text and "（" not in text:
        return []
    out = []
    for r in names:
        if r.entity_type != "PERSON" or r.score < 0.5:
            continue
        m = _GLOSSED_NAME.match(text, r.end)
        if m is None or not _listed_latin_name(m.group(1)):
            continue
        out.append(_person(*m.span(1), r.score, "GlossedLatinName"))
    return out


def _listed_latin_name(gloss: str) -> bool:
    """Whether the English name lists know `gloss` as a name (see
    glossed_latin_names)."""
    words = gloss.replace(".", " ").lower().split()
    if len(words) > 1 and any(known_name(w) for w in words):
        return True
    if len(words) == 1 and known_name(words[0]):
        return True
    given = lexicon().given_names
    first = words[0]
    return any(first[:k] in given for k in range(len(first), 3, -1))


# A Latin-script span in parentheses, and what may stand between the opening
# parenthesis and it (Secure Hash Algorithm, Rivest, Shamir and Adleman ...).
_OPENERS = "（("
_LATIN_LEAD = re.compile(r"[A-Za-z .,'’\-]*")
GLOSS_REACH = 40  # characters between an opening parenthesis and the span
# The span spelled out before an abbreviation (Giga Byte，以下簡稱GB; Maximum
# Likelihood, ML): a term, not a name.
_ABBREVIATION_NEXT = re.compile(
    r"\s*[,，;；]\s*(?:以下[简簡][称稱])?\s*[A-Z][A-Za-z0-9\-]*[A-Z0-9]\s*[)）]"
)
_MIDDLE_DOTS = "·•・‧"


def latin_gloss_of_a_term(
    text: str, result: RecognizerResult, language: str, found: list
) -> bool:
    """A Latin-script PERSON span in a Chinese document that glosses a Chinese
    term, not a name: in parentheses right after the term (伊歐拉湖（Lake Eola）,
    核心路由器（Core Router）, 安全雜湊演算法（Secure Hash Algorithm）), or
    before the term's parentheses (Sabarmati Ashram（高僧修行所）), or spelled
    out before its abbreviation ((Giga Byte，以下簡稱GB)). The Chinese side is a
    term when its last word is an ordinary word of the segmenter's dictionary -
    not a person word, not a word its dictionary lacks (transliterated and
    Chinese names mostly are), not a role or title (哈利王子（Prince Harry）),
    or ends with a place's last character (圣伯多禄堂（Iglesia de San Pedro）) -
    and no PERSON finding of `found` or middle-dot name ends there (冈萨雷斯
    （Arancha Gonzalez Laya）, 约翰·刘易斯（John Lewis） stay)."""
    if language not in ("zh-Hans", "zh-Hant") or result.entity_type != "PERSON":
        return False
    s, e = result.start, result.end
    if not text[s:e].isascii():
        return False
    opened = max(text.rfind(c, max(0, s - GLOSS_REACH), s) for c in _OPENERS)
    if opened >= 0 and _LATIN_LEAD.fullmatch(text, opened + 1, s):
        if _ABBREVIATION_NEXT.match(text, e):
            return True
        end = opened
        while end and text[end - 1] in " 」』”\"'":
            end -= 1
        return _term_ends_at(text, end, found)
    m = re.match(r"\s*[（(]([\u4e00-\u9fff]{2,12})[)）]", text[e : e + 16])
    if m is not None:
        return _term_ends_at(text, e + m.end(1), found, start=e + m.start(1))
    return False


def _term_ends_at(text: str, end: int, found: list, start: int | None = None) -> bool:
    """The Han text that ends at `end` (from `start`, else from the clause's
    start) ends with an ordinary word, not with a name (see
    `latin_gloss_of_a_term`)."""
    if start is None:
        start = end
        while start > max(0, end - 12) and _HAN.match(text[start - 1]):
            start -= 1
    if end - start < 1 or not _HAN.match(text[end - 1]):
        return False
    if any(c in text[max(0, end - 12) : end] for c in _MIDDLE_DOTS):
        return False
    if any(r.entity_type == "PERSON" and start < r.end <= end for r in found):
        return False
    from corpusgate.detectors.pii.china import segmenter

    view, _ = to_simplified(text[start:end], "tw2sp")
    if _announcing_end().search(view) or view.endswith(CnPersonRecognizer.HONORIFICS):
        return False
    if view[-1] in _PLACE_LAST:
        return True  # 圣伯多禄堂, 某某寺: a place's last character, however rare
    freq, tags = segmenter.dictionary()
    last = segmenter.cut(view)[-1]
    return bool(freq.get(last)) and not tags.get(last, "").startswith("nr")


def judged_by_the_name_model(
    results: list[RecognizerResult],
) -> list[RecognizerResult]:
    """The English name recognizers' results without a name list's PERSON span
    that lies within a span the name model capped as naming something else (St.
    Thomas Church is a given name and a surname by the lists, a church by the
    model): the lists know words, the model read the sentence."""
    spans = [
        (r.start, r.end)
        for r in results
        if r.recognition_metadata.get(NAMES_SOMETHING_ELSE)
    ]
    if not spans:
        return results
    return [
        r
        for r in results
        if r.recognition_metadata.get(NAMES_SOMETHING_ELSE)
        or r.entity_type != "PERSON"
        or not any(s <= r.start and r.end <= e for s, e in spans)
    ]


def mixed_script_person(text: str, result: RecognizerResult) -> bool:
    """A PERSON span with Latin letters and Han or kana in it (Github和Gitlab,
    WAN口与LAN, 和CE): words of two scripts run together, not one name; or with
    CJK punctuation (Cu、Cd, GIS、Web: a list of two words; G（Shear); or with a
    symbol, which the Latin view the English recognizers read blanks (a table's
    box drawing between two cells: Alice│ │Bob; an arrow: LAN→WAN)."""
    if result.entity_type != "PERSON":
        return False
    span = text[result.start : result.end]
    return bool(_LATIN_AND_CJK.search(span)) or any(
        unicodedata.category(c) in ("So", "Sm") for c in span if not c.isalnum()
    )


def trad_not_surnames() -> frozenset[str]:
    """Traditional characters that simplify to a surname but are not one (餘 -> 余,
    於 -> 于): a name does not start with them in traditional text."""
    return frozenset("".join(load_lines("cn_trad_not_surnames.txt")))
