"""The `pii` record detector: Chinese, English and mixed personal information.

Per record: route by language (no model), run a cheap pre-scan, then only the Presidio
engines that can find something; resolve overlapping results; tag sensitive categories;
mask evidence and hash values. Raw values never leave this module.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from corpusgate.detectors.base import (
    RISK_DATA_LEAKAGE,
    RISK_UNLAWFUL_COLLECTION,
    ConfigError,
    Finding,
    Record,
    RecordDetector,
)
from corpusgate.detectors.language import (
    document_language,
    other_language_prose,
    span_language,
)
from corpusgate.detectors.masking import ValueHasher, mask_value
from corpusgate.detectors.pii.prescan import Folded
from corpusgate.detectors.pii.sensitive import CATEGORIES, SensitiveStatements
from corpusgate.detectors.pii.windows import (
    lookalike_before,
    sentence_window,
    word_regex,
)
from corpusgate.detectors.spans import DisjointSpans, SpanIndex
from corpusgate.detectors.text_kind import PROSE, code_spans, text_kind

# Presidio (and spaCy, which it imports) is imported where the detector is set up,
# not with this module: the launching process imports it only to read the options.
if TYPE_CHECKING:
    from presidio_analyzer import RecognizerResult

logger = logging.getLogger(__name__)

ANNEX_A = "A.4.f"
ORG_TYPES = frozenset({"CN_USCC"})
# Recognition metadata marking an organisation's street address (international.py).
ORGANISATION_KEY = "organisation"
# Coordinates are a person's whereabouts when the record names a person.
WHEREABOUTS_TYPES = frozenset({"PRECISE_LOCATION"})
# Account numbers whose leakage directly endangers property: Framework 3.1.2(d).
LEAKAGE_TYPES = frozenset(
    {"CN_BANK_CARD", "CREDIT_CARD", "IBAN_CODE", "US_BANK_NUMBER"}
)
# Names and addresses are identifiers too, but anchor sensitive terms only when a
# person is named, so an address alone does not make nearby words sensitive.
NON_ANCHORS = (
    ORG_TYPES
    | {
        "LOCATION",
        "IP_ADDRESS",
        "MAC_ADDRESS",
        "CRYPTO",
        "URL",
        "DATE_TIME",
        "UUID",
    }
    | WHEREABOUTS_TYPES
)
# Names and places: personal information of low risk on their own (see `_severity`).
NAME_TYPES = frozenset({"PERSON", "LOCATION"})
# In code and markup every other type needs a context word for it (a "phone" key,
# a "card" column): digits there are otherwise constants, ids and coordinates. These
# carry their own proof: an e-mail's shape, a strong check (resident ID, USCC,
# IBAN, crypto address), or a label that is part of the pattern.
SELF_EVIDENT_IN_DATA = frozenset(
    {
        "EMAIL_ADDRESS",
        "CN_RESIDENT_ID",
        "CN_USCC",
        "IBAN_CODE",
        "CRYPTO",
        "CN_MEDICAL_RECORD_NO",
        "CN_QQ_NUMBER",
        "CN_WECHAT_ID",
    }
)
# Role words that mark a person in the public eye (a minister, a singer, a player):
# a statement about them in news or encyclopedic text is information they or the
# press have already disclosed (PIPL Art. 13(6), 27), not a leak of sensitive
# information (Art. 28). Within PUBLIC_ROLE_WINDOW characters of the name.
PUBLIC_ROLES = re.compile(
    r"总统|总理|主席|部长|省长|市长|书记|议员|委员|大使|外长|首相|国王|女王|王子|皇帝"
    r"|明星|演员|歌手|导演|主持人|作家|诗人|画家|球星|球员|运动员|教练|冠军|选手"
    r"|董事长|总裁|创始人|首席执行官|CEO|教授|院士|科学家|将军|元帅|法官"
    r"|(?<![A-Za-z])(?:President|Prime Minister|Minister|Senator|Governor|Mayor"
    r"|Chancellor|King|Queen|Prince|Princess|Emperor|Pope|General|Judge|actor|actress"
    r"|singer|star|striker|player|coach|manager|captain|champion|author|writer|novelist"
    r"|poet|painter|director|chairman|founder|chief executive|CEO|professor|Dr\.?"
    r"|Sen\.|Rep\.|Gov\.|Pres\.)(?![A-Za-z])",
    re.IGNORECASE,
)
PUBLIC_ROLE_WINDOW = 12
# A biography's dates right after a name: (1940–2005), (born 12 May 1950), (b. 1950),
# （1920年－1990年）, （1920—1990）.
_YEAR = r"(?:1\d{3}|20\d{2}|\d{3}(?=\s*年))"  # 1000-2099, or 303年
_LIFESPAN = re.compile(
    rf"\s?[(（]\s*(?:(?:born|b\.|née|生于)\s*[^()（）]{{0,30}}?(?<!\d){_YEAR}(?!\d)"
    rf"|[^()（）\d]{{0,30}}?(?<!\d){_YEAR}\s*年?(?:\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*日)?)?"
    rf"\s*[–—\-－~～至]\s*[^()（）\d]{{0,30}}?{_YEAR}(?!\d))"
)
# A name is the subject of a sensitive statement only when the name is sure: a
# statement about a dubious name (a word misread as one) would be a sensitive false
# alarm, and the record has no better evidence of a person.
SUBJECT_NAME_SCORE = 0.8


_HAS_UPPER_WORD = re.compile(r"[A-Z][a-z]")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_IPV4_SHAPE = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
# Presidio types without a check digit that a look-alike marker (order number...)
# just before the value pushes below 0.5.
_UNCHECKED = frozenset(
    {"PHONE_NUMBER", "US_SSN", "UK_NHS", "CREDIT_CARD", "MEDICAL_LICENSE"}
)
_ZIP4 = re.compile(r"\d{5}-\d{4}")
# A Chinese 400/800 service number, digits only, with or without the country code.
_CN_SERVICE_NUMBER = re.compile(r"(?:0?0?86)?[48]00\d{7}")
_STATE_BEFORE = re.compile(r"\b[A-Z]{2},?\s+$")
# Pattern types whose value is a token of its own, never part of a longer one
# (`_inside_token`).
_WHOLE_TOKEN = _UNCHECKED | {
    "US_DRIVER_LICENSE",
    "US_BANK_NUMBER",
    "US_PASSPORT",
    "US_ITIN",
    "IP_ADDRESS",
    "MAC_ADDRESS",
}
# Reported only beside a context word of their own (nhs, health service...).
NEEDS_CONTEXT = frozenset({"UK_NHS"})
# The highest score of a weak Presidio pattern next to its context word: unverified.
WEAK_WITH_CONTEXT = 0.45
# A bare 10-11 digit run starting with 1 is the shape of a Chinese mobile number:
# the CN_MOBILE_PHONE recognizer (segments, length) decides, not libphonenumber.
_CN_MOBILE_SHAPE = re.compile(r"1\d{9,10}")
# A run of digits and phone separators (on the ASCII view): where libphonenumber looks.
# The end of an @-mention's handle: a number glued to it is the handle's
# (@手机用户2816203075, Weibo's default name for a user; @fan19870512).
_MENTION_BEFORE = re.compile(r"@[^\s@,;:()]{1,30}$")
_AMOUNT = re.compile(r"\d+(?:,\d{3})*\.\d{1,2}")  # 119346.88: money, not a phone
# Below this, a Presidio pattern result without a context word is not reported.
WEAK_SCORE = 0.4
# Not a phone number: a date inside (5.2.1 / 2025-12-01), a decimal number
# (12345.678900), single digits in a row (1 2 3 4 5 6 7 8 9 10), ...
_NOT_PHONE = re.compile(
    r"(?:19|20)\d\d[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d"
    r"|^\d+\.\d+$|\d{5,}\.\d{3,}|\d{4,}\.\d{5,}|^\d(?:\s\d){4,}"
    # a year range (1991-1996), a cited year and pages ((1972) 148-149)
    r"|^(?:19|20)\d\d\s?-\s?(?:19|20)\d\d$|^\((?:19|20)\d\d\)"
    # a timestamp: a day and month with a two-digit year, then a clock time
    # (12-24-98 2359, 03/14/01 0830 in mail and log headers)
    r"|^(?:0?[1-9]|[12]\d|3[01])(?P<sep>[-./])(?:0?[1-9]|[12]\d|3[01])(?P=sep)\d\d"
    r"\s+(?:[01]?\d|2[0-3])(?::?[0-5]\d)?$"
    # a clock's seconds, the year and the UTC offset (git and mail dates: Fri Aug 22
    # 13:02:14 2008 -0400)
    r"|^[0-5]\d\s+(?:19|20)\d\d\s+[-+](?:0\d|1[0-4])[0-5]\d$"
    # a one-digit group between dots, a tilde, a compact date with a point
    # release or a revision: a version (150.0.7871.46, 9.0.0807, 0~20200225.2-3,
    # 20220623.1-1, a snapshot's 12-20220428-1)
    r"|\d\.\d\.\d|~|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])[.-]\d"
    # a row of a table of figures (standings, results, statistics): a decimal
    # among blank-separated numbers (53 79 .402 29, 3 5 1 39 24 9.75), two
    # game scores in a row (15-13 15-11, 7-5 ) 3-6), seven groups or more (19 9
    # 5 5 38 29 32; a phone number with its country code has at most six)
    r"|(?:^|\s)\.\d|\s\d+\.\d{1,3}(?:\s|$)|(?:^|\s)\d+\.\d{1,3}\s"
    r"|(?:^|\s)\d{1,2}-\d{1,2}[\s)]+\d{1,2}-\d{1,2}(?:\s|$)"
    # a table's row index and a value (one digit, then a gap of three blanks or
    # more: 0    400000000; a country code may stand so: +44   7901...), a
    # fraction below one (a complex number's part: -0.70710678-0.j)
    r"|^\d[ \t]{3,}\d|(?<!\d)0\.\d{4,}"
    # betting odds (1.22/4.80/10.00, 1.22-4.80-10.00)
    r"|\d\.\d\d[-/]\d{1,3}\.\d\d(?!\d)"
    r"|^\D*\d+(?:\s+\d+){6,}\D*$"
    # ...or four and more with two single digits among them (12 7 6 77 76 30, 1 12
    # 0 221 368; a phone number has one at most, its country's or area's: +33 1)
    r"|^\D*(?=(?:.*(?:^|\s)\d(?=\s|$)){2})\d+(?:\s+\d+){3,}\D*$"
)


_HEX = frozenset("0123456789abcdefABCDEF")
# A run of this many hex digits is a hash or a key (a commit id, a digest).
HEX_RUN = 16


def _inside_hex_run(text: str, start: int, end: int) -> bool:
    """Whether digits lie inside a longer hexadecimal run (a commit hash
    ...7e92c15732408711ed5137a): a Chinese recognizer's number is not glued to Latin
    letters by rule (QQ42950063, Tel13812345678), but it is never part of a hash."""
    i, j = start, end
    while i > 0 and text[i - 1] in _HEX:
        i -= 1
    while j < len(text) and text[j] in _HEX:
        j += 1
    return (i < start or j > end) and j - i >= HEX_RUN


# Two Latin words or more joined by hyphens or underscores just before a number: the
# number ends a name (a file's, a test's: ...-hb-subset-fuzzer-5522792714993664), as
# a label glued by one hyphen (Tel-13812345678) does not.
_SLUG_BEFORE = re.compile(r"[A-Za-z][A-Za-z0-9]*[-_][A-Za-z][A-Za-z0-9]*[-_]$")
_SLUG_WINDOW = 64


def _ends_a_slug(text: str, start: int) -> bool:
    """Whether the number starting at `start` ends a hyphenated name."""
    return _SLUG_BEFORE.search(text, max(0, start - _SLUG_WINDOW), start) is not None


def _more_hex_groups(text: str, start: int, end: int) -> bool:
    """Whether a hex group joined by a colon or hyphen goes on before or after."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    return (len(before) == 2 and before[1] in ":-" and before[0] in _HEX) or (
        len(after) == 2 and after[0] in ":-" and after[1] in _HEX
    )


def _ascii_alnum(c: str) -> bool:
    return c.isascii() and c.isalnum()


def _continues_a_number(text: str, start: int, end: int) -> bool:
    """Whether the digits go on a number across a dot or a colon: a decimal's
    fraction (0.112146700905191), a dotted number (2.12.90.0.1), a clock time."""
    before = text[start - 2 : start] if start > 1 else ""
    after = text[end : end + 2]
    return (
        len(before) == 2
        and before[1] in ":."
        and before[0].isdigit()
        and before[0].isascii()
    ) or (
        len(after) == 2
        and after[0] == "."
        and after[1].isdigit()
        and after[1].isascii()
    )


def _inside_token(text: str, start: int, end: int) -> bool:
    """Whether a number match is part of a longer token, so not a value of its own:
    glued to letters or digits (a hash b30b11ac49d93454131..., a troff escape
    \\fB49990091), after a backslash (\\u0430), after a letter and a hyphen
    (CVE-2026-106365), continuing a clock time (13:02:14) or a dotted number
    (2.12.90.0.1), before a version's revision (1.0.24.2-5), or in a URL's path (its
    host is an address)."""
    before = text[start - 1] if start else " "
    before2 = text[start - 2] if start > 1 else " "
    after = text[end] if end < len(text) else " "
    after2 = text[end + 1] if end + 1 < len(text) else " "
    if _ascii_alnum(after) or (_ascii_alnum(before) and text[start] not in "(+"):
        # (a parenthesised area code or a + is a start of its own: Wk(713)...)
        return True
    if before in "-_" and before2.isascii() and before2.isalpha():
        return True
    if before == "\\":  # an escape: \u0430 in JSON, \fB in troff, \x41
        return True
    if _continues_a_number(text, start, end):
        return True
    if (after == "-" and after2.isdigit() and after2.isascii()) or (
        after in "~+" and _ascii_alnum(after2)
    ):
        # a version's revision (1.0.24.2-5, 2.1~bpo1); a phone number's next group
        # would have been part of the match, and a label may follow (...0958-Home)
        return True
    token_start = max(text.rfind(" ", 0, start), text.rfind("\n", 0, start)) + 1
    scheme = text.find("://", token_start, start)
    return scheme >= 0 and text.find("/", scheme + 3, start) >= 0  # a URL's path


# A dotted quad of small numbers (1.7.1.0, 6.10.1.4) is a version or a section
# number unless an address word (ip, host, server, 地址...) is near. Not so the
# addresses usually written with small numbers, 10.0.0.1 and 0.0.0.0: no public
# address, so reported at the `not_personal` severity anyway.
_SMALL_QUAD = re.compile(r"(?:(?:1?\d|20)\.){3}(?:1?\d|20)")
# A version's cue just before a dotted quad, perhaps with a package's name between
# (Bump to 1.1.99.2; Requires libX11 1.2.99.1; Release libX11 1.1 RC2 (1.0.99.2);
# Linux 2.6.38.6): a release, not an address, unless an address word is near.
_VERSION_BEFORE = re.compile(
    r"(?<![A-Za-z])(?:versions?|ver\.?|release[ds]?|rc\d*|bump(?:ed|s)?\s+to"
    r"|require[ds]?|depends\s+on|upgrade[ds]?\s+to|update[ds]?\s+to|linux|kernel)"
    r"[\s:(]*(?:[A-Za-z][\w.+-]*\s+)?\(?$",
    re.IGNORECASE,
)
_VERSION_WINDOW = 40
_ISBN13 = re.compile(r"97[89](?:[- ]?\d){10}")
# An ISBN-10 as books print it: four hyphenated groups (registration group,
# publisher, title, check character), ten characters in all.
_ISBN10 = re.compile(r"\d{1,5}-\d{1,7}-\d{1,7}-[\dX]")


def _is_isbn(value: str) -> bool:
    """An ISBN-13 / EAN-13 of the book prefix, or a hyphenated ISBN-10, with a
    valid check digit."""
    if _ISBN13.fullmatch(value):
        d = [int(c) for c in value if c.isdigit()]
        return sum(x * (3 if i % 2 else 1) for i, x in enumerate(d)) % 10 == 0
    if _ISBN10.fullmatch(value) and len(value) == 13:
        d = [10 if c == "X" else int(c) for c in value if c != "-"]
        return sum((10 - i) * x for i, x in enumerate(d)) % 11 == 0
    return False


_DIGIT_RUN = re.compile(r"[+(]?\d(?:[ \t().\-/]{0,2}\d){6,}")
# A run that is wholly a date (and the hour of a clock time, whose colon ends the
# run) or a decimal number: no phone number lies in it, and the matcher would try
# every region before saying so (most runs of news and web text are such dates).
_DATE_OR_DECIMAL_RUN = re.compile(
    r"\(?(?:19|20)\d\d(?P<s1>[-./ ])\d{1,2}(?P=s1)\d{1,2}"
    r"(?:[ \t]+(?:[01]?\d|2[0-3]))?"
    r"|\(?\d{1,2}(?P<s2>[-./])\d{1,2}(?P=s2)(?:19|20)\d\d"
    r"(?:[ \t]+(?:[01]?\d|2[0-3]))?"
    r"|\d+\.\d+"
)


@lru_cache(maxsize=1)
def _finding_types() -> tuple[str, ...]:
    from corpusgate.detectors.pii.international import predefined_entities

    return (
        (
            "CN_RESIDENT_ID",
            "CN_MOBILE_PHONE",
            "CN_LANDLINE_PHONE",
            "CN_BANK_CARD",
            "CN_USCC",
            "CN_PASSPORT",
            "CN_TRAVEL_PERMIT",
            "CN_LICENSE_PLATE",
            "CN_MEDICAL_RECORD_NO",
            "PERSON",
            "LOCATION",
            "PRECISE_LOCATION",
            "EMAIL_ADDRESS",
            "PHONE_NUMBER",
            "CREDIT_CARD",
            "IBAN_CODE",
            "IP_ADDRESS",
            "MAC_ADDRESS",
            "US_SSN",
            "CRYPTO",
            "UK_NHS",
            "CN_QQ_NUMBER",
            "CN_WECHAT_ID",
        )
        + tuple(
            sorted(
                set(predefined_entities())
                - {"EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE"}
                - {"IP_ADDRESS", "MAC_ADDRESS", "US_SSN", "CRYPTO", "UK_NHS"}
            )
        )
        + CATEGORIES
    )


class _FindingTypes:
    """`PiiDetector.finding_types`, listed on first read: the predefined types come
    from Presidio's recognizer classes (see the note on the imports above)."""

    def __get__(self, obj: object, owner: type) -> tuple[str, ...]:
        return _finding_types()


class PiiDetector(RecordDetector):
    name: ClassVar[str] = "pii"
    version: ClassVar[str] = "1.0.0"
    finding_types: ClassVar[tuple[str, ...]] = _FindingTypes()  # type: ignore[assignment]
    DEFAULTS: ClassVar[dict[str, Any]] = {
        # Results below this score are not reported at all; between it and 0.5 they
        # are reported as low-confidence (e.g. an ID number with a wrong check digit).
        "min_score": 0.3,
        "names": True,  # PERSON / LOCATION recognizers
        "zh_segmenter": True,  # jieba word segmentation for Chinese names
        # Learned second stage rescoring Chinese PERSON candidates (needs the
        # segmenter); False = the rules alone.
        "zh_person_model": True,
        # The Chinese person stage also reads every character of Chinese text with
        # its character CRF: more names, about twice the time on Chinese text.
        "zh_person_crf": False,
        # An installed spaCy English package, e.g. en_core_web_sm; "" = no NER.
        "english_ner_model": "",
        # Characters between a person (name or identifier) and the predicate of a
        # sensitive statement about them (张伟，男，45岁，患有...).
        "sensitive_window": 24,
        # Presidio's recognizers run are the ones Presidio enables for English
        # (cards, e-mail, phone, IBAN, IP, MAC, crypto, US SSN/ITIN/passport/driver
        # licence/bank number/medical licence, UK NHS) plus every recognizer of
        # these countries: ISO codes as Presidio tags them (us uk ca au in sg de es
        # it pl fi se kr ng ph th tr za), or "all".
        "countries": [],
        # Entity types not reported at all: dates, URLs and UUIDs identify no one.
        "disabled_entities": ["DATE_TIME", "URL", "UUID"],
        # The severity policy: the severity of each kind of finding (the keys of
        # schemas.options.PII_SEVERITY_KEYS; a [detectors.pii.severity] table in the
        # configuration changes the keys it names). Why these defaults:
        # docs/policy-and-gate.md.
        "severity": {
            # a sensitive statement about a person (health, religion, criminal
            # record, finances, a minor's age...) and the person it is about
            # (PIPL Art. 28: separate consent)
            "sensitive": "high",
            # direct identifiers (ID numbers, phones, e-mails, cards, street
            # addresses) and a name that one of them makes reachable
            "identifier": "medium",
            # a name or a named place that no identifier accompanies: personal
            # information of low risk (reported, not redacted)
            "bare_name": "low",
            # a statement about a public figure in a record without identifiers:
            # information already lawfully disclosed (PIPL Art. 13(6), 27)
            "public_figure": "low",
            # a result scoring below 0.5 (a failed check digit)
            "unverified": "low",
            # a value that identifies no one: a place's coordinates, a private or
            # documentation IP address, a network (8.8.0.0/16)
            "not_personal": "low",
            # an organisation's code (USCC), street address (after its legal
            # form: Foundation, Inc., 51 Franklin Street...) or, in Chinese text, a
            # 400/800 service number
            "organisation": "info",
        },
        # Statements about a person named with a public role (minister, singer...)
        # in a record without personal identifiers are disclosed information, not
        # sensitive personal information (false: treat them like anyone's).
        "public_figures": True,
        # "auto": decide prose / code / markup per record (file extension, content);
        # or force one kind for every record.
        "text_kind": "auto",
    }

    def setup(self) -> None:
        from corpusgate.detectors.pii.china.base import WindowContextRecognizer
        from corpusgate.detectors.pii.engine import build_engines
        from corpusgate.detectors.pii.international import (
            CONTEXT_BOOST,
            ascii_view,
            entities_as_characters,
            in_text,
            latin_view,
            pattern_results,
            soft_breaks_joined,
        )
        from corpusgate.detectors.pii.prescan import PreScan
        from corpusgate.detectors.text_kind import KINDS
        from presidio_analyzer import PatternRecognizer, RecognizerResult

        if self.config["text_kind"] not in (*KINDS, "auto"):
            raise ConfigError(
                f"detector 'pii': text_kind must be auto, {', '.join(KINDS)}"
            )
        self._hash = ValueHasher(self.context.salt)
        self._engines = build_engines(
            zh_segmenter=self.config["zh_segmenter"],
            english_ner_model=self.config["english_ner_model"],
            zh_person_model=self.config["zh_person_model"],
            zh_person_crf=self.config["zh_person_crf"],
            countries=self.config["countries"],
            disabled_entities=self.config["disabled_entities"],
        )
        self._zh_prescan = PreScan(self._engines.zh_patterns)
        self._en_prescan = PreScan(self._engines.en_patterns)
        # A recognizer whose every pattern is weak (< WEAK_SCORE: a US driver
        # licence, bank number, passport) is reported only beside one of its
        # context words (`_boosted`), so it runs only on text holding one.
        self._weak_gate = {
            id(r): ContextWords(list(r.context))
            for r in self._engines.en_patterns
            if getattr(r, "patterns", None)
            and getattr(r, "context", None)
            and max(p.score for p in r.patterns) < WEAK_SCORE
            # a check digit lifts a weak pattern to 1.0 (cards: Luhn)
            and type(r).validate_result is PatternRecognizer.validate_result
            and not set(r.supported_entities) & set(CONTEXT_BOOST)
        }
        self._ascii_view = ascii_view
        self._latin_view = latin_view
        self._entities_as_characters = entities_as_characters
        self._soft_breaks_joined = soft_breaks_joined
        self._in_text = in_text
        # Presidio's pattern recognizers that keep its `analyze`: run by our leaner
        # copy of its loop (same results; `international.pattern_results`).
        self._pattern_results = pattern_results
        self._plain_patterns = {
            id(r)
            for r in self._engines.en_patterns
            if type(r).analyze is PatternRecognizer.analyze
        }
        # Context words lift weak scores. Presidio's own context enhancer needs spaCy
        # tokens; recognizers without an entry in CONTEXT_BOOST get their own context
        # words and Presidio's context similarity factor (0.35).
        words: dict[str, tuple[list[str], float]] = {
            k: (list(w), b) for k, (w, b) in CONTEXT_BOOST.items()
        }
        for r in self._engines.en_patterns:
            for e in r.supported_entities:
                if e not in CONTEXT_BOOST and getattr(r, "context", None):
                    words.setdefault(e, ([], 0.35))[0].extend(r.context)
        self._boost = {k: (_context_regex(w), b) for k, (w, b) in words.items() if w}
        self._statements = SensitiveStatements()
        self._lookalike = word_regex(WindowContextRecognizer.NEGATIVE_CONTEXT)
        self._lookalike_window = WindowContextRecognizer.NEGATIVE_WINDOW
        self._lookalike_cap = WindowContextRecognizer.LOOKALIKE_CAP
        self._name_key = RecognizerResult.RECOGNIZER_NAME_KEY
        self._ner = bool(self.config["english_ner_model"])
        self.analyze("warm-up: a@example.org")  # loads the bundled suffix list once

    def load_deferred(self) -> None:
        # The Chinese name stage, otherwise built by the first Chinese text.
        self.analyze("王小明是工程师。")

    # -- analysis -------------------------------------------------------------------
    def analyze(
        self, text: str, kind: str = PROSE, language: str | None = None
    ) -> tuple[str, list[RecognizerResult]]:
        """Language and resolved Presidio results for `text` (no masking yet).

        The common case is text with nothing to find, so the order is: the pre-scan
        (`prescan.PreScan`: per recognizer, a condition derived from its own
        regexes); only the pattern recognizers whose condition holds; libphonenumber
        only on the digit runs that no surer recognizer already explains; name
        recognizers only in prose and for the scripts present. Recognizers are
        called directly, not through `AnalyzerEngine.analyze` (see
        `engine.PiiEngines`). In code and markup (`kind`), types not in
        SELF_EVIDENT_IN_DATA need a context word.
        """
        from corpusgate.detectors.pii.en_person_model import lower_case_text
        from corpusgate.detectors.pii.name_routing import (
            analyze_chinese,
            english_words_in_chinese,
            glossed_latin_names,
            judged_by_the_name_model,
            latin_gloss_of_a_term,
            lone_latin_word,
            mixed_script_person,
            role_latin_names,
            run_together_latin_names,
            runs_chinese_names,
            travel_document_names,
        )

        lang = language or document_language(text)
        if self._ner:
            results = self._analyze_with_engines(text, lang, kind)
            return lang, self._resolve(self._in_kind(text, results, kind))
        e = self._engines
        names = self.config["names"] and kind == PROSE
        results: list[RecognizerResult] = []
        for r in self._zh_prescan.candidates(text):
            results += [
                x
                for x in r.analyze(text, r.supported_entities, None)
                if not _inside_hex_run(text, x.start, x.end)
                and not _continues_a_number(text, x.start, x.end)
                and not _ends_a_slug(text, x.start)
            ]
        if names:
            results += travel_document_names(text)
        if names and runs_chinese_names(text, lang):
            chinese = analyze_chinese(e.zh_names, text, lang)
            results += chinese
            results += role_latin_names(text, lang)
            results += run_together_latin_names(text, lang)
            results += glossed_latin_names(text, lang, chinese)
        # Not in long prose of another language: its capitalised nouns and
        # function words (Die Werte, Wenn Sie) are no names the English model knows.
        en_names = (
            names
            and (
                _HAS_UPPER_WORD.search(text) is not None
                or (lang == "en" and lower_case_text(text))
            )
            and not (lang == "other" and other_language_prose(text))
        )
        view = text if text.isascii() else self._ascii_view(text)
        en_results: list[RecognizerResult] = []
        # A weak pattern runs only with a context word in the text; that search is
        # made only for a recognizer the pre-scan would run.
        folded = Folded(text)
        gates = {
            k: (lambda g=gate: g.found(text, folded))
            for k, gate in self._weak_gate.items()
        }
        for r in self._en_prescan.candidates(view, gates=gates):
            if id(r) in self._plain_patterns:
                en_results += self._pattern_results(r, view)
            else:
                en_results += r.analyze(view, r.supported_entities, None)
        # Boosted before the phone pass: a grouped number next to "phone" is then
        # sure and spares its run the libphonenumber matcher.
        results += [self._boosted(text, r) for r in en_results]
        en_results = self._phones(text, view, results, kind) if e.en_phone else []
        if en_names:
            # Words a soft line break cuts are read joined, by the checks too (a
            # soft line break is no symbol inside a name); the findings then take
            # the text's offsets.
            joined, moved = self._soft_breaks_joined(text)
            latin = self._entities_as_characters(
                joined if joined.isascii() else self._latin_view(joined)
            )
            names_found: list[RecognizerResult] = []
            for r in e.en_names:
                names_found += [
                    x
                    for x in r.analyze(latin, r.supported_entities, None)
                    if not mixed_script_person(joined, x)
                    and not lone_latin_word(joined, x, lang)
                    and not english_words_in_chinese(joined, x, lang)
                    and not latin_gloss_of_a_term(joined, x, lang, results)
                ]
            for x in names_found if moved else ():
                x.start, x.end = self._in_text(moved, x.start, x.end)
            en_results += judged_by_the_name_model(names_found)
        results += [self._boosted(text, r) for r in en_results]
        if self.config["names"] and kind != PROSE:
            results += self._keyed_names(text)
        return lang, self._resolve(self._in_kind(text, results, kind))

    def _keyed_names(self, text: str) -> list[RecognizerResult]:
        """PERSON results for the values of name keys of data and markup
        (`keyed_names.name_fields`): each value is read as the record field "label:
        value" in its own script, and a value where the name stages find a person
        is that person's name whole (YORK, AMOS DALTON; Dr. Seuss), at their best
        score; the key is the result's context."""
        from corpusgate.detectors.pii.keyed_names import name_fields

        out: list[RecognizerResult] = []
        for label, s, e in name_fields(text):
            value = text[s:e]
            if _HAS_CJK.search(value):
                head = (label if _HAS_CJK.search(label) else "姓名") + "："
            else:
                head = ("Name" if _HAS_CJK.search(label) else label) + ": "
                # Records keep names in capitals (YORK, AMOS DALTON); the English
                # model reads names as they are written in prose.
                if value.isupper() and len(value.title()) == len(value):
                    value = value.title()
            _, found = self.analyze(head + value)
            people = [
                r for r in found if r.entity_type == "PERSON" and r.start >= len(head)
            ]
            if people:
                best = max(people, key=lambda r: r.score)
                best.start, best.end = s, e
                best.recognition_metadata = {
                    **(best.recognition_metadata or {}),
                    "context": label,
                }
                out.append(best)
        return out

    def _in_kind(
        self, text: str, results: list[RecognizerResult], kind: str
    ) -> list[RecognizerResult]:
        """In code and markup, and in the pieces of code of prose (a fenced block,
        a prompt's line, an inline span: `text_kind.code_spans`), drops the results
        that neither prove themselves (SELF_EVIDENT_IN_DATA) nor have a context
        word for their type."""
        if kind == PROSE:
            code = (
                code_spans(text)
                if any(r.entity_type not in SELF_EVIDENT_IN_DATA for r in results)
                else []
            )
            if not code:
                return results
            in_code = DisjointSpans(code)
            return [
                r
                for r in results
                if r.entity_type in SELF_EVIDENT_IN_DATA
                or not in_code.overlaps(r.start, r.end)
                or self._has_context(text, r)
            ]
        return [
            r
            for r in results
            if r.entity_type in SELF_EVIDENT_IN_DATA or self._has_context(text, r)
        ]

    def _has_context(self, text: str, r: RecognizerResult) -> bool:
        meta = r.recognition_metadata or {}
        if "context" in meta:  # the Chinese recognizers record their window's verdict
            return bool(meta["context"])
        rule = self._boost.get(r.entity_type)
        if rule is None:
            return False
        left, right = sentence_window(text, r.start, r.end, 30)
        return bool(
            rule[0].search(text, left, r.start) or rule[0].search(text, r.end, right)
        )

    def _phones(
        self, text: str, view: str, found: list[RecognizerResult], kind: str = PROSE
    ) -> list[RecognizerResult]:
        """libphonenumber's matcher (Presidio's PhoneRecognizer) on each run of seven
        or more digits of `view` (the ASCII view of `text`) that no result scoring
        >= 0.5 already covers, with offsets shifted back: the matcher is the costliest
        recognizer by far. In code and markup only runs with a phone word nearby (the
        others would be dropped); nor a run a look-alike label announces (工单号,
        order no.), whose phone number `_boosted` would cap below min_score."""
        sure: SpanIndex | None = None  # built for the first run that needs it
        phone_word = self._boost["PHONE_NUMBER"][0]
        skip_labelled = self._lookalike_cap < self.config["min_score"]
        out: list[RecognizerResult] = []
        for m in _DIGIT_RUN.finditer(view):
            s, t = m.span()
            # E.164 allows at most 15 digits: longer runs are IDs and cards.
            if not 7 <= sum(c.isdigit() for c in m.group()) <= 15:
                continue
            run = m.group()
            if _AMOUNT.fullmatch(run) or _DATE_OR_DECIMAL_RUN.fullmatch(run):
                continue
            if sure is None:
                sure = SpanIndex([(r.start, r.end) for r in found if r.score >= 0.5])
            if sure.containing(s, t):
                continue
            if kind != PROSE:
                left, right = sentence_window(view, s, t, 30)
                if not (
                    phone_word.search(view, left, s)
                    or phone_word.search(view, t, right)
                ):
                    continue
            # A few characters either side: the matcher checks what surrounds a
            # number (a time after a date, letters) before accepting it.
            ws, we = max(0, s - 6), min(len(view), t + 6)
            if (
                skip_labelled
                and not any(c.isdigit() for c in view[ws:s])
                and self._after_lookalike_label(text, s)
            ):
                continue
            window = view[ws:we]
            for r in self._engines.en_phone:
                for x in _phone_matches(r, window):
                    x.start += ws
                    x.end += ws
                    out.append(x)
        return out

    def _analyze_with_engines(
        self, text: str, lang: str, kind: str
    ) -> list[RecognizerResult]:
        """The AnalyzerEngine path, used with the spaCy NER option."""
        from corpusgate.detectors.pii.name_routing import runs_chinese_names

        view = text if text.isascii() else self._ascii_view(text)
        candidates = bool(
            self._zh_prescan.candidates(text) or self._en_prescan.candidates(view)
        )
        names = self.config["names"] and kind == PROSE
        e = self._engines
        results: list[RecognizerResult] = []
        zh_entities = list(e.zh_pattern_entities) if candidates else []
        if names and runs_chinese_names(text, lang):
            zh_entities += ["PERSON", "LOCATION"]
        if zh_entities:
            results += e.zh.analyze(text=text, language="zh", entities=zh_entities)
        en_entities = list(e.en_pattern_entities) if candidates else []
        if names and _HAS_UPPER_WORD.search(text):
            en_entities += e.en_name_entities
        if en_entities:
            en_results = e.en.analyze(text=view, language="en", entities=en_entities)
            results += [self._boosted(text, r) for r in en_results]
        return results

    def _boosted(self, text: str, r: RecognizerResult) -> RecognizerResult:
        value = text[r.start : r.end]
        if r.entity_type in _WHOLE_TOKEN and _inside_token(text, r.start, r.end):
            r.score = 0.0
            return r
        if r.entity_type == "MAC_ADDRESS" and _more_hex_groups(text, r.start, r.end):
            # six groups of a longer colon-hex run: a certificate's or a key's
            # fingerprint (75:9A:4A:...:97:24), not a device's address
            r.score = 0.0
            return r
        if (r.entity_type == "US_DRIVER_LICENSE" and len(value) < 5) or (
            r.entity_type == "PHONE_NUMBER"
            and _ZIP4.fullmatch(value)
            and _STATE_BEFORE.search(text, max(0, r.start - 8), r.start)
        ):
            # Presidio's licence pattern takes a letter and one digit (GPL v2,
            # License: X11); no state issues numbers that short. A ZIP+4 code
            # after a state (MA 02110-1301) is no phone number.
            r.score = 0.0
            return r
        if r.entity_type == "PHONE_NUMBER":
            if (
                _MENTION_BEFORE.search(text, max(0, r.start - 31), r.start)
                or _IPV4_SHAPE.fullmatch(value)
                or _CN_MOBILE_SHAPE.fullmatch(value)
                or _is_isbn(value)
                or _NOT_PHONE.search(value)
            ):
                r.score = 0.0  # a dotted quad is an IP address, not a phone number
                return r
            digits = sum(c.isdigit() for c in value)
            # Our grouped layouts need a phone word; libphonenumber's finds do not.
            grouped = (
                r.recognition_metadata.get(self._name_key) == "GroupedPhoneRecognizer"
            )
            if digits >= 10 and any(c in "()-. +" for c in value) and not grouped:
                r.score = max(r.score, 0.55)
        rule = self._boost.get(r.entity_type)
        left, right = sentence_window(text, r.start, r.end, 30)
        name = r.entity_type in NAME_TYPES
        if rule and (
            rule[0].search(text, left, r.start) or rule[0].search(text, r.end, right)
        ):
            weak = r.score < WEAK_SCORE and r.entity_type != "PHONE_NUMBER"
            r.score = min(1.0, r.score + rule[1])
            if weak:
                # A weak pattern (a driver licence is any letter and digits, a bank
                # number any 8-17 digits) stays unverified next to its word: "Driver
                # 1 calls T1" holds no licence.
                r.score = min(r.score, WEAK_WITH_CONTEXT)
        elif not name and (
            r.score < WEAK_SCORE
            or r.entity_type in NEEDS_CONTEXT
            or (r.entity_type == "CREDIT_CARD" and value[:1] == "1")
            or (
                r.entity_type == "IP_ADDRESS"
                and _SMALL_QUAD.fullmatch(value)
                and _is_global_ip(value)
            )
            or (
                r.entity_type == "IP_ADDRESS"
                and _short_ipv6(value)
                and _is_global_ip(value)
            )
            or (
                r.entity_type == "IP_ADDRESS"
                and _VERSION_BEFORE.search(
                    text, max(0, r.start - _VERSION_WINDOW), r.start
                )
                is not None
            )
        ):
            # Weak patterns mean something only with context; so do checks that
            # shapes of other numbers pass by chance (an NHS number's mod 11 in US
            # phone layouts, a UATP card's Luhn in a microsecond timestamp).
            r.score = 0.0
        if not name and not value.isascii():
            # The ASCII view blanked a character inside the match: 1025、2745 are
            # two port numbers, not one card.
            r.score = 0.0
        if r.entity_type == "LOCATION" and self._latin_view(value) != value:
            # A street address read across blanked Chinese text (1日正式DVD出道。
            # ...Boys Club) is none.
            r.score = 0.0
        if r.entity_type in _UNCHECKED and self._after_lookalike_label(text, r.start):
            r.score = min(r.score, self._lookalike_cap)
        return r

    def _after_lookalike_label(self, text: str, start: int) -> bool:
        """A look-alike label (订单号, 工单号, order no.) announces the number at
        `start`: what an unchecked recognizer reads there is capped (`_boosted`)."""
        return lookalike_before(self._lookalike, text, start, self._lookalike_window)

    def _resolve(self, results: list[RecognizerResult]) -> list[RecognizerResult]:
        """Drops results below min_score, then keeps the best of overlapping ones."""
        floor = self.config["min_score"]
        ranked = sorted(
            (r for r in results if r.score >= floor),
            key=lambda r: (-r.score, -(r.end - r.start), r.start),
        )
        kept: list[RecognizerResult] = []
        spans = DisjointSpans()
        for r in ranked:
            if spans.overlaps(r.start, r.end):
                continue
            kept.append(r)
            spans.add(r.start, r.end)
        return sorted(kept, key=lambda r: (r.start, r.end))

    # -- findings -------------------------------------------------------------------
    def scan(self, record: Record) -> list[Finding]:
        text = record.text
        if not text:
            return []
        kind = self.config["text_kind"]
        if kind == "auto":
            kind = record.text_kind or text_kind(text, record.meta)
        lang, results = self.analyze(text, kind, record.language)
        if not results:
            return []
        anchors = [
            (i, r)
            for i, r in enumerate(results)
            if r.entity_type not in NON_ANCHORS
            and r.score >= (SUBJECT_NAME_SCORE if r.entity_type == "PERSON" else 0.5)
        ]
        # A record with a personal identifier besides names is about someone in
        # particular: its names are not "bare", its labelled fields are its person's.
        identified = any(r.entity_type != "PERSON" for _, r in anchors)
        statements = (
            self._statements.find(
                text,
                [(r.start, r.end) for _, r in anchors],
                labelled=identified or any(r.score >= 0.85 for _, r in anchors),
                gap=self.config["sensitive_window"],
                traditional=lang == "zh-Hant",
            )
            if anchors and kind == PROSE
            else []
        )
        public = (
            self._public_anchors(text, anchors)
            if self.config["public_figures"] and not identified
            else set()
        )
        categories: dict[int, set[str]] = {}
        for s in statements:
            if s.anchor not in public:
                categories.setdefault(anchors[s.anchor][0], set()).add(s.category)
        if anchors and kind == PROSE:
            for i, r in enumerate(results):
                if r.entity_type in WHEREABOUTS_TYPES:
                    categories.setdefault(i, set()).add("WHEREABOUTS")
        reachable = _Reach(anchors)
        findings = [
            self._finding(text, r, lang, categories.get(i), reachable(r), kind)
            for i, r in enumerate(results)
        ]
        findings += [
            self._statement_finding(s, anchors[s.anchor][1], s.anchor in public, kind)
            for s in statements
        ]
        return findings

    def _public_anchors(
        self, text: str, anchors: list[tuple[int, RecognizerResult]]
    ) -> set[int]:
        """Indices of the PERSON anchors that are public figures: a role word next to
        one of the name's mentions, or a biography's dates right after it (John
        Smith (1940–2005), 张三（1920—1990）: reference works write about people of
        public note); one person, one status per document, so every mention of such
        a name, or of its last word (Smith), is public too."""
        persons = [
            (j, r) for j, (_, r) in enumerate(anchors) if r.entity_type == "PERSON"
        ]
        names = {
            text[r.start : r.end]
            for _, r in persons
            if self._public_role(text, r) or _LIFESPAN.match(text, r.end)
        }
        if not names:
            return set()
        names |= {n.split()[-1] for n in names if " " in n}
        return {j for j, r in persons if text[r.start : r.end] in names}

    def _public_role(self, text: str, r: RecognizerResult) -> bool:
        """A role word next to the name, or one inside the name's span before its
        last word (a title read as part of the name: Roman Emperor Nero, President
        Obama; not a surname such as Stephen King)."""
        w = PUBLIC_ROLE_WINDOW
        return bool(
            PUBLIC_ROLES.search(text, max(0, r.start - w), r.start)
            or PUBLIC_ROLES.search(text, r.end, min(len(text), r.end + w))
            or any(
                text[m.end() : r.end].strip()
                for m in PUBLIC_ROLES.finditer(text, r.start, r.end)
            )
        )

    def _statement_finding(
        self, s: Any, anchor: RecognizerResult, public: bool, kind: str
    ) -> Finding:
        """A sensitive statement: its span is the whole expression (predicate and
        object), which is what redaction must remove."""
        trigger = s.trigger.strip(" ,，、")
        severity = self.config["severity"]
        return Finding(
            finding_type=s.category,
            severity=severity["public_figure" if public else "sensitive"],
            score=round(min(0.9, anchor.score), 4),
            risk_code=RISK_UNLAWFUL_COLLECTION,
            annex_a=ANNEX_A,
            sensitive=not public,
            evidence=f"{trigger} [{s.category} of {anchor.entity_type}]",
            start=s.start,
            end=s.end,
            details={
                "trigger": trigger,
                "anchor_type": anchor.entity_type,
                "public_figure": public,
                "text_kind": kind,
            },
        )

    def _severity(
        self,
        r: RecognizerResult,
        sensitive: bool,
        identified: bool,
        value: str = "",
        lang: str = "",
    ) -> str:
        """The severity policy's entry (the `severity` option) for what the result
        is: sensitive; an organisation's code, street address or (in Chinese text) a
        400/800 service number; unverified
        (< 0.5); a bare name or named place (no identifier near the name; a LOCATION
        below 0.7 is a place, not a street address); not personal (coordinates
        without a person, an IP address or network no one device has); else an
        identifier."""
        severity = self.config["severity"]
        if sensitive:
            return severity["sensitive"]
        if r.entity_type in ORG_TYPES or (r.recognition_metadata or {}).get(
            ORGANISATION_KEY
        ):
            return severity["organisation"]
        if (
            r.entity_type in ("PHONE_NUMBER", "CN_LANDLINE_PHONE")
            and lang.startswith("zh")
            and _CN_SERVICE_NUMBER.fullmatch(re.sub(r"\D", "", value))
        ):
            # China's 400/800 numbers are issued to enterprises only (service
            # hotlines: 华为 400-830-8300), never to a person
            return severity["organisation"]
        if r.score < 0.5:
            return severity["unverified"]
        if r.entity_type == "PERSON" and not identified:
            return severity["bare_name"]
        if r.entity_type == "LOCATION" and r.score < 0.7:
            return severity["bare_name"]
        if r.entity_type in WHEREABOUTS_TYPES:
            return severity["not_personal"]  # nobody's whereabouts named here
        if r.entity_type == "IP_ADDRESS" and not (
            _is_global_ip(value) and _one_address(value)
        ):
            # loopback, private, documentation; a network (8.8.0.0/16) is many
            # devices' addresses, none's in particular
            return severity["not_personal"]
        return severity["identifier"]

    def _finding(
        self,
        text: str,
        r: RecognizerResult,
        lang: str,
        cats: set[str] | None,
        identified: bool = False,
        kind: str = PROSE,
    ) -> Finding:
        value = text[r.start : r.end]
        sensitive = bool(cats)
        severity = self._severity(r, sensitive, identified, value, lang)
        meta = r.recognition_metadata or {}
        details: dict[str, Any] = {
            "language": lang,
            "span_language": span_language(text, r.start, r.end, lang),
            "recognizer": meta.get(self._name_key),
            "length": len(value),
            "text_kind": kind,
        }
        if "checksum" in meta:
            details["checksum_ok"] = meta["checksum"]
        if "context" in meta:
            details["context"] = meta["context"]
        if cats:
            details["sensitive_categories"] = sorted(cats)
        return Finding(
            finding_type=r.entity_type,
            severity=severity,
            score=round(float(r.score), 4),
            risk_code=RISK_DATA_LEAKAGE
            if r.entity_type in LEAKAGE_TYPES
            else RISK_UNLAWFUL_COLLECTION,
            annex_a=ANNEX_A,
            sensitive=sensitive,
            evidence=mask_evidence(r.entity_type, value),
            start=r.start,
            end=r.end,
            value_hash=self._hash(value),
            details=details,
        )


# A name is "reachable" - no longer a bare name - when a personal identifier (a
# phone number, an e-mail, an ID...) stands within this many characters of it.
REACHABLE_WINDOW = 80


class _Reach:
    """Whether a result stands within REACHABLE_WINDOW of a personal identifier
    other than a name (an anchor that is no PERSON): the identifiers sorted by
    start with the furthest end among the first k of them, so that each question
    is a bisect instead of a scan of every identifier."""

    def __init__(self, anchors: list) -> None:
        spans = sorted(
            (a.start, a.end) for _, a in anchors if a.entity_type != "PERSON"
        )
        self._starts = [s for s, _ in spans]
        self._furthest = list(itertools.accumulate((e for _, e in spans), max))

    def __call__(self, r: RecognizerResult) -> bool:
        if not self._starts:  # no identifier in the document (most documents)
            return False
        k = bisect.bisect_left(self._starts, r.end + REACHABLE_WINDOW)
        return k > 0 and self._furthest[k - 1] > r.start - REACHABLE_WINDOW


def _is_global_ip(value: str) -> bool:
    """Whether an address (or network) is on the public internet: loopback, private,
    link-local, documentation and reserved ranges identify no one's device."""
    import ipaddress

    try:
        network = ipaddress.ip_network(value.strip("[]"), strict=False)
    except ValueError:
        return True  # not parseable as found: keep it as reported
    # a multicast group (ff02::1, 224.0.0.251) is many devices' at once
    return network.is_global and not network.is_multicast


def _one_address(value: str) -> bool:
    """Whether an address (or a network: 8.8.0.0/16) is one device's. An IPv4
    address ending in .0 is its network's, written without the prefix (route add
    -net 192.56.76.0 netmask 255.255.255.0): by custom no device is numbered so."""
    import ipaddress

    try:
        network = ipaddress.ip_network(value.strip("[]"), strict=False)
    except ValueError:
        return True
    return network.num_addresses == 1 and not (
        network.version == 4 and value.endswith(".0")
    )


def _short_ipv6(value: str) -> bool:
    """An IPv6 shape of fewer than three groups (2000::, ::aa): a year or a word
    before a double colon in text and code far more often than a written address;
    a public one needs an address word near (fe80::1 and 2001:db8::/32 identify no
    device and are reported as such)."""
    if ":" not in value or "." in value:
        return False
    address = value.split("/")[0].strip("[]")
    if address in ("::", "::1"):  # unspecified, loopback: written as such
        return False
    return sum(1 for g in address.split(":") if g) < 3


def _context_regex(words: list[str]) -> re.Pattern[str]:
    """Context words, case-insensitive; ASCII words not inside a longer word.

    Adjacent ASCII words share one look-behind, (?<![A-Za-z])(?:w1|w2)(?![A-Za-z]):
    the same matches, alternatives tried in the same order, but one look-behind per
    position instead of one per word (a third of the time on long texts)."""
    groups: list[list[str]] = []
    for w in sorted(set(words), key=len, reverse=True):
        if w.isascii() and groups and groups[-1][0].isascii():
            groups[-1].append(w)
        else:
            groups.append([w])
    alts = "|".join(
        rf"(?<![A-Za-z])(?:{'|'.join(map(re.escape, g))})(?![A-Za-z])"
        if g[0].isascii()
        else re.escape(g[0])
        for g in groups
    )
    return re.compile(alts, re.IGNORECASE)


class ContextWords:
    """A context-word regex (`_context_regex`) searched over a whole text, behind a
    substring test of the words in the text's lower case: a whole-text regex search
    of a long case-insensitive alternation costs far more than a few `in` tests, and
    most texts hold none of the words. The regex alone decides; the substring test
    only skips it where it cannot match (every word ASCII, no folding character)."""

    def __init__(self, words: list[str]) -> None:
        self.regex = _context_regex(words)
        self.literals: tuple[str, ...] | None = (
            tuple(sorted({w.lower() for w in words}))
            if all(w.isascii() for w in words)
            else None
        )

    def found(self, text: str, folded: Folded) -> bool:
        if self.literals is not None:
            low = folded.lower()
            if low and not any(w in low for w in self.literals):
                return False
        return self.regex.search(text) is not None


def _phone_matches(recognizer: Any, window: str) -> list[RecognizerResult]:
    """Presidio's PhoneRecognizer.analyze on one digit run, stopping at the first of
    its regions that matches (the others would find the same span again)."""
    import phonenumbers
    from corpusgate.detectors.pii.china.base import recognizer_result

    for region in recognizer.supported_regions:
        matches = list(
            phonenumbers.PhoneNumberMatcher(
                window, region, leniency=recognizer.leniency
            )
        )
        if matches:
            return [
                recognizer_result(
                    recognizer, "PHONE_NUMBER", m.start, m.end, recognizer.SCORE
                )
                for m in matches
            ]
    return []


def mask_evidence(entity_type: str, value: str) -> str:
    """Masked evidence: the shape of the value, never the value."""
    if entity_type == "EMAIL_ADDRESS" and "@" in value:
        local, _, domain = value.partition("@")
        return mask_value(local, keep_start=1) + "@" + domain
    if entity_type in ("PERSON", "LOCATION"):
        return mask_value(value, keep_start=1)
    if entity_type == "CN_LICENSE_PLATE":
        return mask_value(value, keep_start=2)
    return mask_value(value, keep_start=4, keep_end=4)
