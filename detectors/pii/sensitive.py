"""Sensitive personal information (PIPL Art. 28): a category *stated about* a person.

A category word near a name is not sensitive information: "Mr Murray said in a
statement", "told the Guardian", 北京国安队 mention no one's finances, children or
identity. A finding needs a statement whose subject is an identifiable person of the
record (a PERSON name or a personal identifier, the *anchor*) and whose predicate
gives the category:

* subject + predicate + object, within one clause: 张伟患有糖尿病, 张伟，手机…，确诊
  糖尿病, Phillip Collins was diagnosed with cancer, 李娜的银行卡6200…, 王健信仰佛教,
  Tom, 9, ...; the object must be of the category (a disease, a religion, an amount or
  account number, an age under 14...), so ambiguous words (statement, baby, church,
  guardian, 国安, 军人) count only inside such a statement;
* an identity noun in apposition: 收件人王健，基督徒; Sara, a Muslim, ...;
* a labelled field in a record that names a person: 诊断：2型糖尿病, Religion: Hindu.

The finding's span is the whole expression (predicate and object: "diagnosed with
cancer"), so that redaction removes the fact, not only its trigger word. Whether the
subject is a public figure is decided by the detector (see `public_figure`).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

import ahocorasick_rs
from corpusgate.detectors.language import to_simplified
from corpusgate.detectors.pii.prescan import Folded
from corpusgate.detectors.pii.windows import first_chars

CATEGORIES = (
    "HEALTH_INFO",
    "BIOMETRIC_INFO",
    "RELIGIOUS_BELIEF",
    "FINANCIAL_ACCOUNT",
    "MINOR_INFO",
    "SPECIFIC_IDENTITY",
    "WHEREABOUTS",
)

# Age below which information about a person is a minor's (PIPL Art. 28, 31).
MINOR_AGE = 14
# Characters allowed between the subject and the predicate (张伟，男，45岁，患有...).
SUBJECT_GAP = 24
# A clause or sentence end between subject and predicate breaks the relation.
# What ends a subject's reach: a sentence's or clause's end, a contrast, and a tab
# (the next cell of a table: Yoder<TAB>Christian is a surname and a first name).
_BREAK = re.compile(
    r"[。！？!?；;\n\t]|[.](?:\s|$)|\b(?:but|while|whereas|and then)\b|但|而"
)
_ZH_NUM = "零〇一二两三四五六七八九十"
# The subject reports what someone else said (律师刘某表示，如欠款1万元 / Smith said
# most were diagnosed with ...): a speech verb right after the anchor makes it the
# speaker, not the subject, unless a reflexive brings the statement back to it.
_SPEECH_AFTER = re.compile(
    r"\s*(?:也|还|则|曾|又|就|再次)?(?:表示|说|认为|指出|称|介绍|强调|透露|告诉|坦言|回忆"
    r"|解释|建议|提醒|提到|谈到|分析|估计|预计)"
    r"|\s*(?:also |then )?(?:said|says|told|added|explained|noted|warned|argued"
    r"|believes|thinks|suggested|recalled)\b",
    re.IGNORECASE,
)
SPEECH_REACH = 12  # the speech verb (and an adverb before it) ends this close
_REFLEXIVE = re.compile(r"自己|本人|自身|\b(?:himself|herself|myself)\b", re.IGNORECASE)
# An indefinite person between the anchor and the predicate is the statement's
# subject (记者陈文波）前晚，一男子在ATM机上存款1万元 / Jones said a man was ...): no
# one the record identifies.
_NEW_SUBJECT = re.compile(
    r"(?:另)?一(?:名|位|个)?(?:男子|女子|男孩|女孩|老人|患者|病人|市民|网友|村民|司机|乘客"
    r"|孩子|学生|员工|客户|储户|嫌疑人|男|女|人)"
    r"|\b(?:a|an|another|one)\s+(?:man|woman|boy|girl|patient|person|customer"
    r"|resident|driver|passenger|child|student|employee|suspect|teenager)\b"
    r"|\bsomeone\b"
    # a number of people (研究了85个被诊断出…的病人 / studied 85 patients diagnosed)
    r"|(?:\d+|[两兩二三四五六七八九十百千万萬几幾数數]+)\s*(?:个|個|名|位)"
    r"(?!多?月|小时|小時|星期|礼拜|禮拜|钟头|鐘頭|工作日)"  # 3个月: a time, not people
    r"|\b\d+\s+(?:patients|people|men|women|children|persons|students|employees)\b",
    re.IGNORECASE,
)
# A likeness, a pretence or a condition between the subject and the predicate states
# nothing about the subject (Uma Thurman looked like she had some kind of disease,
# 他好像得了什么病, 如果张伟患有糖尿病, 张伟是否患有…).
_HEDGE = re.compile(
    r"\b(?:looks?|looked|seems?|seemed|appears?|appeared)\s+(?:like|as\s+if"
    r"|as\s+though)\b|\bas\s+(?:if|though)\b|\bpretend(?:s|ed|ing)?\b"
    r"|好像|仿佛|似乎|像是|假装|装作|如果|假如|要是|万一|是否|有没有|会不会",
    re.IGNORECASE,
)
# ... or a condition right before the subject (如果张伟患有…, if Tom has ...).
_CONDITION_BEFORE = re.compile(
    r"(?:如果|假如|要是|万一|倘若|\b(?:if|whether|suppose)\s+)$", re.IGNORECASE
)
# Fields that describe a country or a region (a news article's fact box: 面积：…
# 人口：… 宗教：… 语言：…): where two of them are near, the fields beside them are the
# place's, not a person's.
_PLACE_FIELD = re.compile(
    r"(面积|人口|首都|国土面积|官方语言|货币|气候|国庆日|\b(?:Area|Population|Capital"
    r"|Currency|Official languages?|Climate|GDP))\s*[:：]",
    re.IGNORECASE,
)
PLACE_FIELD_REACH = 100  # characters either side of a label where such a field counts
# A hexadecimal digest as a field's value (Primary key fingerprint: 647F 2865 4894...).
# (A letter a-f among its first digits: a card or account number is decimal.)
_DIGEST = re.compile(r"(?=[0-9 :]*[A-Fa-f])(?:[0-9A-Fa-f]{2,8}[ :]?){4,}(?![G-Zg-z])")
_LETTER = re.compile(r"[^\W\d_]")
# Categories whose fields must hold one of the category's terms (see `find`).
LABEL_VALUE_TERMS = ("RELIGIOUS_BELIEF",)
_OPEN, _CLOSE = "(（[【", ")）]】"


@dataclass(frozen=True)
class Statement:
    category: str
    start: int  # the expression: predicate + object
    end: int
    trigger: str  # the predicate or label, for the evidence
    anchor: int  # index of the subject among the anchors given to `find`


def _load() -> dict[str, dict[str, list[str]]]:
    text = (
        resources.files("corpusgate.detectors.pii.data")
        .joinpath("sensitive_categories.tsv")
        .read_text("utf-8")
    )
    out: dict[str, dict[str, list[str]]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        category, role, terms = line.split("\t", 2)
        if category not in CATEGORIES:
            raise ValueError(f"sensitive_categories.tsv: unknown category {category}")
        words = [w.strip() for w in terms.split(";") if w.strip()]
        out.setdefault(category, {}).setdefault(role, []).extend(words)
    return out


def _alt(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def zh_number(s: str) -> int | None:
    """12, 十二, 九: an age as written."""
    if s.isdigit():
        return int(s)
    if not s or any(c not in _ZH_NUM for c in s):
        return None
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
    if "十" in s:
        tens, _, ones = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (
            digits.get(ones, 0) if ones else 0
        )
    return digits.get(s)


class SensitiveStatements:
    """Finds category statements about anchors (see the module docstring).

    The vocabulary (`data/sensitive_categories.tsv`) gives, per category, the roles
    `predicate` (verbs and possessed nouns that take an object), `object` (the
    category's own terms), `identity` (nouns that state the category in apposition)
    and `label` (form field names). English and Chinese terms share one list: English
    terms are matched as whole words, case-insensitively."""

    def __init__(self) -> None:
        vocab = _load()
        self._relations: list[tuple[str, re.Pattern[str]]] = []
        # Per relation, the groups of words `find` tests first: a match holds a
        # word of each group (its object's, its predicate's; a group that cannot be
        # tested as a substring is left out).
        self._words: list[tuple[tuple[str, ...], ...]] = []
        self._identity: list[tuple[str, re.Pattern[str]]] = []
        labels: list[tuple[str, str]] = []
        for category, roles in vocab.items():
            obj, obj_words = self._object(category, roles.get("object", []))
            if roles.get("predicate") and obj:
                self._words.append(
                    _word_groups(obj_words, _caseless_words(roles["predicate"]))
                )
                self._relations.append(
                    (
                        category,
                        re.compile(
                            first_chars(roles["predicate"])
                            + rf"(?P<pred>{_wb(roles['predicate'])})\s*(?P<obj>{obj})",
                            re.IGNORECASE,
                        ),
                    )
                )
            if roles.get("statement"):
                self._words.append(_word_groups(_caseless_words(roles["statement"])))
                self._relations.append(
                    (
                        category,
                        re.compile(
                            first_chars(roles["statement"])
                            + rf"(?P<pred>{_wb(roles['statement'])})(?P<obj>)",
                            re.IGNORECASE,
                        ),
                    )
                )
            if roles.get("identity"):
                self._identity.append(
                    (
                        category,
                        re.compile(
                            r"(?P<pred>(?:是|为|系|,|，|、|\s|is|was|a|an|devout"
                            r"|practi[sc]ing|一名|一位|虔诚的)*)"
                            rf"(?P<obj>{_wb(roles['identity'])})"
                            # a noun of its own, not a question (…是穆斯林吗) or
                            # an adjective (a Christian writing)
                            r"(?![吗么嘛?？]|\s+[a-z])",
                            re.IGNORECASE,
                        ),
                    )
                )
            labels += [(category, w) for w in roles.get("label", [])]
        self._labels = {w.casefold(): c for c, w in labels}
        # A field of these categories holds one of the category's own terms (Religion:
        # Hindu); any other value makes the label a word being defined (Religion:
        # Versicherung im Diesseits..., a quotation), not a record's field.
        self._label_values = {
            category: re.compile(
                _wb(vocab[category].get("object", []) + vocab[category]["identity"]),
                re.IGNORECASE,
            )
            for category in LABEL_VALUE_TERMS
        }
        # A label opens a field: at a line start or after a separator, not inside
        # a word (远程诊断: / 自存款：are no fields).
        self._label_re = re.compile(
            first_chars([w for _, w in labels]) + r"(?:^|(?<=[\s,，;；。、|（(]))"
            rf"(?P<pred>{_wb([w for _, w in labels])})\s*[:：]\s*"
            # No colon further on in the field: "Fingerprint: Aliases:" is a list of
            # labels (the value may not shrink until the colon is out of sight).
            r"(?P<obj>[^\s,，。;；:：\n][^,，。;；:：\n]{0,24})(?![^,，。;；:：\n]*[:：])",
            re.IGNORECASE,
        )
        # Ages: 张某（13岁）, 年仅九岁, Tom, 9, / aged 9 / a 9-year-old / is 9 years old
        # (the lookahead: the first characters of the pattern's marks and words)
        marks = ",，、（("
        lead = ["今年", "年仅", "年方", "才", "刚满", "已经"]
        lead += ["only", "just", "aged", "is", "was", ","]
        self._age = re.compile(
            first_chars([*marks, *lead])
            + rf"(?P<pred>[{marks}]\s*(?:男|女)?[,，、]?\s*|(?:{'|'.join(lead)})"
            r"\s*(?:a|an)?\s*)"
            rf"(?P<obj>(?P<n>\d{{1,2}}|[{_ZH_NUM}]{{1,3}})\s*(?:周岁|岁(?!月)"
            r"|-?\s?years?[- ]old)(?:[- ](?:boy|girl|child|son|daughter))?)",
            re.IGNORECASE,
        )
        # ... or a bare number between commas after a Latin name: Tom, 9, ... (the
        # comma looked for first: the look-behind is tried only there)
        # A reference's volume before its pages is no age (J. SIAM, 10, pp. 496-506).
        self._age_bare = re.compile(
            r"(?=,)(?<=[A-Za-z])(?P<pred>,\s)(?P<obj>(?P<n>\d{1,2}))(?=,\s)"
            r"(?!,\s*(?:pp?\.|no\.|\d+\s*[-–]\s*\d+\b))"
        )
        self._ages = (self._age, self._age_bare)
        # Their word groups as for the relations: an age's unit is 岁 or year(s);
        # a bare age has no word of its own.
        self._age_words = (_word_groups(("岁", "year")), ())
        # Every word of every group, found in one pass over the text's lower case
        # (each occurrence, overlapping ones included) instead of one substring
        # test per word.
        every = sorted(
            {
                w
                for groups in (*self._words, *self._age_words)
                for g in groups
                for w in g
            }
        )
        self._all_words = ahocorasick_rs.AhoCorasick(
            every, implementation=ahocorasick_rs.Implementation.DFA
        )

    @staticmethod
    def _object(category: str, terms: list[str]) -> tuple[str, tuple[str, ...] | None]:
        """The object's regex and the words one of which each of its matches holds
        (None: a form with no such word, an amount)."""
        parts = [_wb(terms)] if terms else []
        words: list[str] | None = list(terms)
        if category == "HEALTH_INFO":
            # Any disease name: …病 …症 …癌 …炎; Xxx disease / syndrome / disorder
            # (a word of its own: 罹患病蟲害 is no disease named 病)
            zh_ends = ["病", "症", "癌", "炎", "瘤", "综合征", "感染"]
            en_ends = ["disease", "syndrome", "disorder", "cancer", "infection"]
            parts.append(r"[\u4e00-\u9fff]{1,8}?(?:" + "|".join(zh_ends) + ")")
            parts.append(r"(?:[A-Za-z'-]+\s){0,3}(?:" + "|".join(en_ends) + r")\b")
            words += zh_ends + en_ends
        if category == "SPECIFIC_IDENTITY":
            parts.append(r"[\u4e00-\u9fff]{1,8}?罪|\d+\s*(?:years?|months?)\b")
            words += ["罪", "year", "month"]
        if category == "FINANCIAL_ACCOUNT":
            # an amount or an account number
            parts.append(
                r"(?:[$¥€£]|US\$|RMB|人民币)?\s?\d(?:[\d,，.]|[ -](?=\d))*"
                r"\s*(?:万|亿|千)?"
                r"\s*(?:元|美元|块|dollars|yuan|pounds|euros)?"
            )
            words = None
        regex = "|".join(f"(?:{p})" for p in parts)
        return regex, _caseless_words(words) if words else None

    def find(
        self,
        text: str,
        anchors: list[tuple[int, int]],
        labelled: bool,
        gap: int = SUBJECT_GAP,
        traditional: bool = False,
    ) -> list[Statement]:
        """Statements whose subject is one of `anchors` ((start, end) spans, sorted);
        labelled fields only when `labelled` (the record names its person). A
        `traditional` Chinese text is read in simplified characters (the vocabulary's
        script: 確診 is 确诊), the statements' spans mapped back to `text`."""
        if traditional:
            simple, offsets = to_simplified(text)
            if simple != text:
                at = [
                    (bisect.bisect_left(offsets, s), bisect.bisect_left(offsets, e))
                    for s, e in anchors
                ]
                return [
                    Statement(
                        st.category,
                        offsets[st.start],
                        offsets[st.end],
                        st.trigger,
                        st.anchor,
                    )
                    for st in self._find(simple, at, labelled, gap)
                ]
        return self._find(text, anchors, labelled, gap)

    def _find(
        self,
        text: str,
        anchors: list[tuple[int, int]],
        labelled: bool,
        gap: int,
    ) -> list[Statement]:
        out: list[Statement] = []
        ends = sorted((e, i) for i, (_, e) in enumerate(anchors))
        end_at = [e for e, _ in ends]
        seen: set[tuple[int, str]] = set()
        # Each relation regex scans the text once; a match's subject is the anchor
        # ending last before its predicate, within `gap` characters and no clause
        # end between them.
        ages = [("MINOR_INFO", rx) for rx in self._ages]
        low = Folded(text).lower()
        # The groups' words in the text (none looked for where the lower case is ""
        # - a character that folds to an ASCII letter: no relation is skipped).
        present = (
            set(self._all_words.find_matches_as_strings(low, overlapping=True))
            if low
            else None
        )
        words = self._words + list(self._age_words)
        for (category, rx), groups in zip(self._relations + ages, words, strict=True):
            if present is not None and not all(
                not present.isdisjoint(g) for g in groups
            ):
                continue  # a word the regex needs is not in the text
            for m in rx.finditer(text):
                p = m.start("pred")
                j = bisect.bisect_right(end_at, p) - 1
                if j < 0:
                    continue
                e, i = ends[j]
                if p - e > gap or (i, category) in seen:
                    continue
                if m.group("pred")[:1] in ("的", "'") and p != e:
                    continue  # a possessive belongs to the word right before it
                if _BREAK.search(text, e, p) or _in_address(text, m.end("obj")):
                    continue
                if not _subject_reaches(text, anchors[i][0], e, p):
                    continue
                if rx in self._ages:
                    n = zh_number(m.group("n"))
                    if n is None or n >= MINOR_AGE or p != e:
                        continue
                seen.add((i, category))
                # An age is the expression itself (张小明（9岁）: 9岁).
                begin = m.start("obj") if rx in self._ages else p
                out.append(Statement(category, begin, m.end("obj"), m.group("pred"), i))
        for i, (_s, e) in enumerate(anchors):
            for category, rx in self._identity:
                m = rx.match(text, e)
                if (
                    m
                    and m.group("obj")
                    and m.start("obj") - e <= 8
                    and not _BREAK.search(text, e, m.start("obj"))
                    and not _in_address(text, m.end("obj"))
                    # An English noun after a bare comma is the next item of a
                    # list (the Russian, Finn, Jew, Georgian...); apposition
                    # takes an article or a copula (Sara, a Muslim).
                    and not (m.group("obj").isascii() and not _LETTER.search(m["pred"]))
                ):
                    out.append(
                        Statement(
                            category, m.start("obj"), m.end("obj"), m.group("obj"), i
                        )
                    )
        if labelled:
            for m in self._label_re.finditer(text):
                if _DIGEST.match(m.group("obj")):
                    continue  # a key's or a file's fingerprint: a digest, not a body's
                around = text[
                    max(0, m.start() - PLACE_FIELD_REACH) : m.end() + PLACE_FIELD_REACH
                ]
                if len({f.casefold() for f in _PLACE_FIELD.findall(around)}) >= 2:
                    continue  # a place's fact box (one such field alone may be a
                    # record's: 烧伤面积：, Area: Ward 5)
                category = self._labels[m.group("pred").casefold()]
                values = self._label_values.get(category)
                if values is not None and not values.search(m.group("obj")):
                    continue
                subject = _nearest(ends, m.start())
                if subject is not None:
                    out.append(
                        Statement(
                            category,
                            m.start("obj"),
                            m.end("obj"),
                            m.group("pred"),
                            subject,
                        )
                    )
        return out


def _subject_reaches(text: str, start: int, end: int, pred: int) -> bool:
    """Whether the anchor `start`..`end` is still the subject at the predicate
    `pred`: not when it is the speaker of what follows, when an indefinite person
    or a hedge (looked like, 好像) stands between them, after a condition (如果), or
    when the anchor sits in a parenthesis (a byline: （记者
    李蕾 实习生陈文波）) that closes before the predicate."""
    speech = _SPEECH_AFTER.match(text, end, min(len(text), end + SPEECH_REACH))
    if speech and not _REFLEXIVE.search(text, speech.end(), pred):
        return False
    if _NEW_SUBJECT.search(text, end, pred) or _HEDGE.search(text, end, pred):
        return False
    if _CONDITION_BEFORE.search(text, max(0, start - 8), start):
        return False
    return not (
        _inside_parenthesis(text, start) and any(c in _CLOSE for c in text[end:pred])
    )


def _inside_parenthesis(text: str, at: int) -> bool:
    """An opening bracket before `at` in its line that no bracket closes before it."""
    positions, depths = _bracket_depths(text)
    i = bisect.bisect_left(positions, at) - 1
    return i >= 0 and depths[i] > 0


_BRACKET_OR_LINE = re.compile(f"[{re.escape(_OPEN + _CLOSE)}\n]")
# The last text's bracket depths: one pass over the text instead of one over its
# line for each question (a long line made those passes quadratic).
_last_depths: tuple[str | None, tuple[list[int], list[int]]] = (None, ([], []))


def _bracket_depths(text: str) -> tuple[list[int], list[int]]:
    """The offsets of the text's brackets and line ends, and the depth of open
    brackets in the line after each (a line end closes them all; a closing bracket
    with none open is none)."""
    global _last_depths
    last, found = _last_depths  # one tuple read: safe between threads
    if last is text:
        return found
    positions: list[int] = []
    depths: list[int] = []
    depth = 0
    for m in _BRACKET_OR_LINE.finditer(text):
        c = m.group()
        if c == "\n":
            depth = 0
        elif c in _OPEN:
            depth += 1
        elif depth:
            depth -= 1
        positions.append(m.start())
        depths.append(depth)
    _last_depths = (text, (positions, depths))
    return positions, depths


def _in_address(text: str, end: int) -> bool:
    """Whether the object ending at `end` goes on as an e-mail address, a domain or
    a handle (Christian Laubscher  christian.laubscher@...): a word, not a
    statement."""
    return (
        end + 1 < len(text)
        and text[end] in ".@_"
        and text[end + 1].isascii()
        and text[end + 1].isalnum()
    )


def _caseless_words(words: list[str]) -> tuple[str, ...] | None:
    """The lower case of `words` for a substring test in a text's lower case (see
    `prescan.Folded`), or None when a word holds a character other than ASCII, Han
    characters and punctuation, whose case-insensitive matches a substring test in
    lower case might not see."""
    for w in words:
        for c in w:
            if not (
                c.isascii()
                or "\u3400" <= c <= "\u9fff"
                or unicodedata.category(c).startswith("P")
            ):
                return None
    return tuple(dict.fromkeys(w.lower() for w in words))


def _word_groups(
    *groups: tuple[str, ...] | None,
) -> tuple[tuple[str, ...], ...]:
    """The groups that can be tested (`_caseless_words` gave None for the others)."""
    return tuple(g for g in groups if g is not None)


def _wb(words: list[str]) -> str:
    """An alternation; ASCII words only as whole words."""
    ascii_words = [w for w in words if w.isascii()]
    other = [w for w in words if not w.isascii()]
    parts = []
    if ascii_words:
        parts.append(rf"(?<![A-Za-z])(?:{_alt(ascii_words)})(?![A-Za-z])")
    if other:
        parts.append(_alt(other))
    return "|".join(parts)


def _nearest(ends: list[tuple[int, int]], pos: int) -> int | None:
    """The anchor ending last before `pos` (else the first one)."""
    before = [i for e, i in ends if e <= pos]
    if before:
        return before[-1]
    return ends[0][1] if ends else None


def trie_regex(words: list[str]) -> str:
    """A regex alternation of literal `words` as a trie (longest match first)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)
