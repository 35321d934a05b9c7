"""English and international recognizers: Presidio's own, made offline and CJK-safe.

* CJK safety: Presidio's patterns delimit with `\\b`, and Python's `\\b` treats Chinese
  characters as word characters, so `发邮件至zhang@x.org` yields `至zhang@x.org` and a
  card glued to Chinese text is missed. These recognizers run on an *ASCII view* of
  the text in which every non-ASCII character is replaced by a space: same length, so
  offsets are unchanged, and `\\b` now falls where a reader sees a boundary.
* Offline e-mail validation: Presidio's EmailRecognizer calls `tldextract.extract`,
  whose default extractor fetches the public-suffix list over the network. Ours uses a
  `TLDExtract` with no URLs and no cache directory: the snapshot bundled in the wheel.
* English names without a model: a given name from a census list followed by a
  capitalised surname, or a title (Mr., Dr., Patient...) followed by capitalised words.
* English street addresses without a model: a house number, capitalised street name
  words and a USPS street suffix (1405 Hickory Avenue Apt. 3), or a European street
  word and a number (Via dei Fiorentini 17, Hauptstrasse 5).
"""

from __future__ import annotations

import bisect
import math
import re
from importlib import resources
from typing import ClassVar

import regex
from corpusgate.detectors.pii.china.base import SpanRecognizer
from corpusgate.detectors.pii.china.cn_person_recognizer import load_lines
from corpusgate.detectors.pii.detector import ORGANISATION_KEY
from presidio_analyzer import (
    EntityRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerResult,
)
from presidio_analyzer import pattern_recognizer as _pattern_recognizer
from presidio_analyzer import predefined_recognizers as _predefined
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IpRecognizer,
    PhoneRecognizer,
)

_NON_ASCII = r"[^\x00-\x7f]"
_NON_LATIN = r"[^\x00-\x7f\u00c0-\u024f\u1e00-\u1eff]"


def _blanked(chars: str):
    """A function of a text: the text with every character of the class `chars`
    replaced by a space. Text mostly outside ASCII (Chinese, Japanese) has long
    runs of them, each replaced at once (three to four times faster there); in
    mostly ASCII text one character at a time is faster."""
    one, run = re.compile(chars), re.compile(chars + "+")

    def spaces(m: re.Match) -> str:
        return " " * (m.end() - m.start())

    def blank(text: str) -> str:
        if 2 * len(text.encode("ascii", "ignore")) < len(text):
            return run.sub(spaces, text)
        return one.sub(" ", text)

    return blank


_ascii_blanked = _blanked(_NON_ASCII)
_latin_blanked = _blanked(_NON_LATIN)


_DIGIT = re.compile(r"\d")
_YEAR = re.compile(r"(?:19|20)\d\d")


def ascii_view(text: str) -> str:
    """`text` with every non-ASCII character replaced by a space (same offsets)."""
    return _ascii_blanked(text)


def latin_view(text: str) -> str:
    """`text` with every character outside ASCII and the Latin letter blocks (CJK,
    Cyrillic, symbols) replaced by a space, same offsets: what the name and address
    recognizers read, so that Møller and Bahnhofstraße stay whole."""
    return _latin_blanked(text)


# HTML entities written out, or left without their "&" by a careless extraction (AG
# News: "Johnson  amp; Johnson #39;s"), each replaced by its character padded with
# spaces to the same length (the apostrophe last, so that it joins the "s" after it).
_ENTITIES = re.compile(r"&amp;|&#39;|&quot;|(?<![\w&])(?:amp;|#39;|quot;)")
_ENTITY_CHARACTER = {"amp;": "&", "#39;": "'", "quot;": '"'}


# Quoted-printable mail read without decoding: a line too long was broken with "="
# at its end, which dumps often show as "= " inside a word (Jim H= ughes, Mi=
# d-Continent); a document holding the encoding's tab or blank (=09, =20) or its
# equals sign (=3D) is read as such.
_QP_MARK = re.compile(r"=(?:09|20|3D)")
_SOFT_BREAK = re.compile(r"(?<=[A-Za-z])=(?:\r?\n|[ \t])(?=[a-z])")


def soft_breaks_joined(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """`text` with each soft line break of quoted-printable mail inside a word
    taken out and the word's rest moved up to its first part, blanks after it, so
    the word reads whole and every other offset stays (Jim H= ughes -> Jim Hughes
    and two blanks); and the moved pieces as (start, end, shift) in the view: a
    span that ends in one ends `shift` characters later in `text`."""
    if "=" not in text or not _QP_MARK.search(text):
        return text, []
    parts: list[str] = []
    moved: list[tuple[int, int, int]] = []
    pos = 0
    for m in _SOFT_BREAK.finditer(text):
        i, j = m.span()
        if i < pos:
            continue
        k = j
        while k < len(text) and text[k].isalpha():
            k += 1
        width = j - i
        parts += [text[pos:i], text[j:k], " " * width]
        moved.append((i, k - width, width))
        pos = k
    if not moved:
        return text, []
    parts.append(text[pos:])
    return "".join(parts), moved


def in_text(moved: list[tuple[int, int, int]], start: int, end: int) -> tuple[int, int]:
    """The offsets in the text of a span of `soft_breaks_joined`'s view. The moved
    pieces are disjoint and in order: the one that can hold the start (or the end)
    is found by bisect, not by a scan of all of them for each span."""
    i = bisect.bisect_right(moved, (start, math.inf, math.inf)) - 1
    j = bisect.bisect_left(moved, (end,)) - 1
    shifted_start = start + moved[i][2] if i >= 0 and start < moved[i][1] else start
    shifted_end = end + moved[j][2] if j >= 0 and end <= moved[j][1] else end
    return shifted_start, shifted_end


def entities_as_characters(text: str) -> str:
    """`text` with the HTML entities of "&", "'" and '"' read as those characters,
    same offsets: the English name stage reads Johnson & Johnson as a firm's name."""
    if "amp;" not in text and "#39;" not in text and "quot;" not in text:
        return text

    def character(m: re.Match) -> str:
        entity = m.group().lstrip("&")
        c = _ENTITY_CHARACTER[entity]
        width = len(m.group())
        return c.rjust(width) if c == "'" else c.ljust(width)

    return _ENTITIES.sub(character, text)


def pattern_results(
    recognizer: PatternRecognizer, text: str, regex_flags: int | None = None
) -> list:
    """What `PatternRecognizer.analyze(text, ...)` returns (the same patterns,
    flags, regex timeout, checks, scores and duplicate removal), without the work
    whose output the scan never reads: an explanation object per match and two
    clock reads and a debug call per pattern. For recognizers that do not
    override `analyze` (and ours, which call this in its place)."""
    flags = regex_flags if regex_flags else recognizer.global_regex_flags
    entity = recognizer.supported_entities[0]
    metadata = {
        RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name,
        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
    }
    validate, invalidate = recognizer.validate_result, recognizer.invalidate_result
    lowest, highest = EntityRecognizer.MIN_SCORE, EntityRecognizer.MAX_SCORE
    results = []
    for pattern in recognizer.patterns:
        if not pattern.compiled_regex or pattern.compiled_with_flags != flags:
            pattern.compiled_with_flags = flags
            pattern.compiled_regex = regex.compile(pattern.regex, flags=flags)
        try:
            for match in pattern.compiled_regex.finditer(
                text, timeout=_pattern_recognizer.REGEX_TIMEOUT_SECONDS
            ):
                start, end = match.span()
                value = text[start:end]
                if value == "":
                    continue
                score = pattern.score
                valid = validate(value)
                if valid is not None:
                    score = highest if valid else lowest
                if invalidate(value):
                    score = lowest
                if score > lowest:
                    results.append(
                        RecognizerResult(
                            entity, start, end, score, None, dict(metadata)
                        )
                    )
        except TimeoutError:
            _pattern_recognizer.logger.warning(
                "Regex pattern '%s' timed out after %s seconds, skipping.",
                pattern.name,
                _pattern_recognizer.REGEX_TIMEOUT_SECONDS,
                exc_info=True,
            )
    if len(results) < 2:
        # Nothing to remove: every result scores above MIN_SCORE (most calls find
        # nothing; the sort and grouping cost more than the search).
        return results
    return EntityRecognizer.remove_duplicates(results)


# Presidio's e-mail pattern (presidio-analyzer 2.2): every character it matches is one
# of _EMAIL_RUN's, and a character outside them is no word character, so each match
# lies inside one run of them that holds an '@', and the pattern (a word boundary at
# either end, no other look-around) finds in that run alone what it finds there in
# the whole text.
_PRESIDIO_EMAIL = (
    r"\b((([!#$%&'*+\-/=?^_`{|}~\w])|([!#$%&'*+\-/=?^_`{|}~\w][!#$%&'*+\-/=?^_`{|}~\.\w]"
    r"{0,}[!#$%&'*+\-/=?^_`{|}~\w]))[@]\w+(?:-+\w+)*(?:\.\w+(?:-+\w+)*)+)\b"
)
_EMAIL_RUN = regex.compile(r"[!#$%&'*+\-/=?^_`{|}~.\w@]+")
_EMAIL_RUN_BEFORE = regex.compile(r"(?r)[!#$%&'*+\-/=?^_`{|}~.\w@]*")


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's EmailRecognizer with the bundled public-suffix snapshot only."""

    def __init__(self) -> None:
        super().__init__()
        import tldextract

        self._extract = tldextract.TLDExtract(
            cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True
        )
        # The pattern runs only on the runs around an '@' where it is Presidio's
        # known one (another is run on the whole text).
        self.by_runs = [p.regex for p in self.patterns] == [_PRESIDIO_EMAIL]

    def validate_result(self, pattern_text: str) -> bool:
        return self._valid(pattern_text) or self._valid(_unglued(pattern_text))

    def _valid(self, address: str) -> bool:
        result = self._extract(address)
        return bool(result.suffix) and bool(result.domain)

    def _matches(self, text: str, regex_flags: int | None) -> list:
        """`pattern_results` on the whole text; where `by_runs`, on each run of the
        pattern's characters around an '@' instead (the same results: see
        _EMAIL_RUN), not scanning the text's other words character by character."""
        if not self.by_runs:
            return pattern_results(self, text, regex_flags)
        out = []
        at = text.find("@")
        while at != -1:
            start = _EMAIL_RUN_BEFORE.match(text, 0, at).start()
            end = _EMAIL_RUN.match(text, at).end()
            for r in pattern_results(self, text[start:end], regex_flags):
                r.start += start
                r.end += start
                out.append(r)
            at = text.find("@", end)
        return out

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        out = []
        for r in self._matches(text, regex_flags):
            value = text[r.start : r.end]
            local = value.partition("@")[0]
            # user:pass@host of a URL (http://u:p@Some.Host) and a Go module path
            # at a version (…/modh1_1v@v1.1.0) are not mailboxes.
            before = text[max(0, r.start - 200) : r.start].split()
            if "/" in local or (before and "://" in before[-1]):
                continue
            if not self._valid(value):
                r.end = r.start + len(_unglued(value))
            key = _OPTION_KEY.match(local)
            if key:
                r.start += key.end()
            out.append(r)
        return out


# An address glued to the next word: nu@digifun.cnWAP: the domain's last label turns
# from lower to upper case (cn|WAP) where a reader sees the address end.
_GLUED = re.compile(r"(.*\.[a-z]{2,})[A-Z][A-Za-z]*$")


# An option's or a field's key glued before the address (--member-email=x@y.com,
# user=x@y.com): '=' may stand in a local part, but one '=' after a key word is
# where the address starts (not SRS's or BATV's several: SRS0=HHH=TT=...).
_OPTION_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*=(?=[^=]+$)")


def _unglued(address: str) -> str:
    m = _GLUED.match(address)
    return m.group(1) if m else address


class EnglishNameRecognizer(SpanRecognizer):
    """PERSON in English text from given-name and surname lists (no model)."""

    ENTITY = "PERSON"
    LANGUAGE = "en"
    TITLES: ClassVar[tuple[str, ...]] = (
        "Mr",
        "Mrs",
        "Ms",
        "Miss",
        "Dr",
        "Prof",
        "Sir",
        "Madam",
        "Patient",
        "patient",
        "Dear",
    )

    # A known given name alone ("said Gladys to Logan"): a name, though not always
    # a person's (ships, storms, products).
    SINGLE_GIVEN_NAME_SCORE: ClassVar[float] = 0.55

    def load(self) -> None:
        self.given = frozenset(load_lines("en_given_names.txt"))
        self.surnames = frozenset(load_lines("en_surnames.txt"))
        self.name_words = frozenset(load_lines("en_name_words.txt"))
        # Place names (GeoNames, the English name model's list).
        from corpusgate.detectors.pii.en_person_model import (
            ADJECTIVE_NAMES,
            after_a_code_name,
            after_saint,
            in_listed_organisation,
            lexicon,
            not_person_words,
            ordinary_words,
            organisation_after,
            street_word,
        )

        self._places = lexicon().places
        # "Dear Market Participants", "Dear Valued Customer": a group, not a name.
        self._ordinary = ordinary_words
        self._organisation_after = organisation_after
        self._after_saint = after_saint  # St. Louis, St. Luke's
        self._in_code = after_a_code_name  # {{ math.Max 1 2 }}
        self._street_word = street_word
        # What the document says a word names (Butler player, the town of
        # Porter), an adjective's name (Christian faith), a firm or a bar after
        # it (Johnny 's Bar): the name model's evidence, for the name alone too.
        self._not_person_words = not_person_words
        # Inside a listed organisation's name (J.P. Morgan, Morgan Stanley).
        self._listed = in_listed_organisation
        self._adjective_names = ADJECTIVE_NAMES
        # Capitalised words of any Latin alphabet: Møller, Slepička, McDowell,
        # O'Neil, Fritz-Armstrong.
        cap = r"\p{Lu}\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:['\-]\p{Lu}\p{Ll}+)?"
        self._pair = regex.compile(
            rf"\b(?P<f>{cap})(?:\s+\p{{Lu}}\.?)?\s+(?P<l>{cap})\b"
        )
        titles = "|".join(self.TITLES)
        self._titled = regex.compile(
            rf"\b(?:{titles})\.?\s+(?P<n>{cap}(?:\s+{cap})?)\b"
        )
        # A name announced as one: "My name is Rubija", "her maiden name is Møller".
        self._announced = regex.compile(
            rf"\b(?:[Mm]y|[Hh]is|[Hh]er|[Yy]our) (?:full |first |last |maiden )?"
            rf"name is "
            rf"(?P<n>{cap}(?:\s+\p{{Lu}}\.?)?(?:\s+{cap})?)\b"
        )
        # A capitalised word alone, between words that are not capitalised.
        self._single = regex.compile(
            rf"(?<!\p{{Lu}}\p{{Ll}}*\s+)\b(?P<n>{cap})\b(?!\s+\p{{Lu}})"
        )
        self.is_loaded = True

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        places = self._places
        found: dict[tuple[int, int], float] = {}
        others: frozenset[str] | None = None
        for m in self._single.finditer(text):
            name = m.group("n")
            # (not a place as well: Nancy, Chad, Preston are often the town)
            low = name.lower()
            if (
                name in self.given
                and low not in self.name_words
                and low not in places
                and name not in self._adjective_names
                and not self._after_saint(text, m.start("n"))
                and not self._organisation_after(text, m.end("n"))
                and not self._listed(text, *m.span("n"))
                and not self._in_code(text, m.start("n"))
            ):
                if others is None:
                    others = self._not_person_words(text)
                if low not in others:
                    found[m.span("n")] = self.SINGLE_GIVEN_NAME_SCORE
        for pattern in (self._titled, self._announced):
            for m in pattern.finditer(text):
                words = m.group("n").split()
                if words[0] in self.TITLES:
                    continue
                if m.group().startswith("Dear") and self._ordinary(words):
                    continue
                found[m.span("n")] = 0.85
        for m in self._pair.finditer(text):
            first, last = m.group("f"), m.group("l")
            # The name lists first: most pairs of capitalised words hold no listed
            # name, and the tests of their surroundings cost far more.
            if first in self.given:
                if last in self.surnames:
                    score = 0.85
                elif self._ordinary([last]):
                    continue  # Henry Hub, Ross County, Crystal Palace
                else:
                    score = 0.65
            elif last in self.surnames and first in self.surnames:
                score = 0.4
            else:
                continue
            if self._short_line_break(text, m.start(), m.end()):
                continue  # a diagram's or a list's lines: Bob / Alice
            if (
                self._organisation_after(text, m.end())
                or self._street_word(last)
                or self._listed(text, m.start(), m.end())
                or self._in_code(text, m.start())
            ):
                continue  # Arthur Hill High, Roberto Clemente Award, William Street,
                # Morgan Stanley
            key = (m.start(), m.end())
            found[key] = max(score, found.get(key, 0.0))
        return [self.result(s, e, sc) for (s, e), sc in found.items()]

    # Prose wrapped across lines fills them; shorter lines are a list's, a table's or
    # a diagram's, whose line ends no name runs over.
    WRAPPED_LINE: ClassVar[int] = 40

    @classmethod
    def _short_line_break(cls, text: str, s: int, e: int) -> bool:
        """A line break inside text[s:e] ends a line shorter than WRAPPED_LINE."""
        brk = text.find("\n", s, e)
        return brk >= 0 and brk - (text.rfind("\n", 0, brk) + 1) < cls.WRAPPED_LINE


class EnglishAddressRecognizer(SpanRecognizer):
    """LOCATION: street addresses in Latin script, from patterns (no model).

    North-American and British form: house number, optional direction, one to four
    capitalised words or an ordinal (6th), a street suffix from USPS Publication 28
    (`data/en_street_suffixes.txt`), then an optional direction, unit (Apt. 826,
    Suite 990) and `, City, ST 12345` tail. Continental form: a street word (Via, Rue,
    Calle...) or a German compound (-strasse, -weg) with a house number. A year-like
    house number (1900-2099) counts only after an address cue (resides at, address),
    so that "in 2019 Apple Park" is not an address.
    """

    ENTITY = "LOCATION"
    LANGUAGE = "en"
    SCORE: ClassVar[float] = 0.7
    CUE_SCORE: ClassVar[float] = 0.85
    DIRECTION = (
        r"(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West"
        r"|Northeast|Northwest|Southeast|Southwest)"
    )
    UNIT = (
        r"(?:Apt|Apartment|Suite|Ste|Unit|Flat|Room|Rm|Floor|Fl|#)"
        r"\.?\s*#?\d{1,5}[A-Za-z]?"
    )
    STREET_WORDS = (
        "Via|Viale|Piazza|Corso|Rue|Avenue|Boulevard|Calle|Avenida|Paseo|Plaza|Rua"
        "|Travessa|Carrer|Rambla|Straat|Laan|Gracht|Ulica|ul\\."
    )
    GERMAN_SUFFIX = (
        "stra(?:ss|ß)e|str\\.|weg|gasse|platz|allee|damm|gade|vej|gatan|v[aä]gen"
    )
    # Suffixes that nearly always end a street name.
    COMMON_SUFFIXES: ClassVar[frozenset[str]] = frozenset(
        "street st avenue ave road rd drive dr lane ln boulevard blvd way court ct"
        " place pl parkway pkwy highway hwy terrace square sq".split()
    )
    CUES: ClassVar[tuple[str, ...]] = (
        "resides at",
        "residing at",
        "lives at",
        "living at",
        "located at",
        "address",
        "moved to",
        "ship to",
        "deliver to",
        "mail to",
    )

    # An organisation's address, not a person's: after the organisation's name with
    # its legal form ("Free Software Foundation, Inc., 51 Franklin Street") or an
    # office cue ("having an office at").
    ORGANISATION_BEFORE = re.compile(
        r"(?:\b(?:Inc|Ltd|LLC|L\.L\.C|GmbH|AG|Corp|Corporation|Co|Company|plc|PLC"
        r"|S\.A|B\.V|Foundation|University|Institute)\.?,?(?:\s+(?:at|in))?"
        r"|\b(?:offices?|headquarter(?:s|ed)|place of business|campus)\s+(?:at|in|:))"
        r"[ \t]*(?:\n[ \t#*;.\\\"/]*)?$"
    )
    ORGANISATION_WINDOW = 40

    def load(self) -> None:
        suffixes = "|".join(
            sorted(load_lines("en_street_suffixes.txt"), key=len, reverse=True)
        )
        word = r"(?:[A-Z][a-z]+|[A-Z]{2,}|\d{1,3}(?:st|nd|rd|th))"
        self._american = re.compile(
            # (a house number is not the tail of a larger number: 20,000 / $36.00
            # / 2:00 / 2/5, nor a date's day: "2012-12-20  Tom Lane" heads a
            # ChangeLog entry, nor a word's end. These checks of what stands before
            # the number look behind its first digit, which the pattern opens
            # with: the engine then skips to digits instead of trying every
            # position of the text.)
            r"(?P<num>\d(?<![\d.,:$/]\d)(?<!\d{4}-\d\d-\d)(?<!\d{4}/\d\d/\d)(?<!\w\d)"
            rf"\d{{0,5}}[A-Z]?)\s+(?:{self.DIRECTION}\.?\s+)?"
            rf"(?:{word}\s+){{0,3}}{word}\s+(?P<suffix>{suffixes})\b\.?"
            rf"(?:\s+{self.DIRECTION}\b\.?)?"
            rf"(?P<unit>,?\s+{self.UNIT}\b)?"
            r"(?P<city>,\s*[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2},\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b)?"
        )
        self._continental = re.compile(
            rf"\b(?:(?:{self.STREET_WORDS})\s+(?:[a-z']+\s+){{0,2}}[A-Z][\w'-]*"
            rf"(?:\s+[A-Z][\w'-]*){{0,2}}|[A-Z][a-z]{{2,}}(?:{self.GERMAN_SUFFIX}))"
            r"\s+(?P<num>\d{1,5}[a-z]?)\b"
            rf"(?:,?\s+{self.UNIT}\b)?"
        )
        self._cue = re.compile("|".join(self.CUES), re.IGNORECASE)
        # The lines of an address after the street: unit, city, region code, postal
        # code, country - short runs of capitalised words, codes and numbers.
        self._tail = re.compile(
            r"(?:[ \t]*(?:\n[ \t>]*|,[ \t]*)"
            r"(?:(?:[A-Z][\w.'-]*|\d{2,6}|[A-Z]{2})"
            r"(?:[ \t]+(?=\S)|(?=[\n,]|$)|$)){1,5})"
        )
        self._head = re.compile(r"(?:P\.?\s?O\.?\s?Box\s+|\d{1,6}\s+)$")
        # "St" then a capitalised word on the same line that is no direction or
        # unit: Saint (2 Zenit St Petersburg 0, in a table of results), no street.
        self._saint = re.compile(
            rf"(?<=\bS[Tt])[ \t]+(?!(?i:{self.DIRECTION})\b|{self.UNIT})"
            r"[A-Z][a-z]"
        )
        self.is_loaded = True

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        out = []
        if not _DIGIT.search(text):
            return out  # every address form holds a house number
        for pattern in (self._american, self._continental):
            for m in pattern.finditer(text):
                s, e = m.span()
                # Following address lines (Suite 413 / Warwick / United States)
                # and a leading box or extra number belong to the address.
                tail_lines = 0
                for _ in range(5):
                    tail = self._tail.match(text, e)
                    if not tail or tail.end() - e > 60:
                        break
                    e = tail.end()
                    tail_lines += 1
                e = s + len(text[s:e].rstrip(" \t,\n"))
                head = self._head.search(text, max(0, s - 12), s)
                if head:
                    s = head.start()
                cue = self._cue.search(text, max(0, s - 30), s) is not None
                if pattern is self._american and self._saint.match(
                    text, m.end("suffix")
                ):
                    continue  # Paris St Germain, Zenit St Petersburg: a saint
                if pattern is self._american and not cue:
                    if _YEAR.fullmatch(m["num"]):
                        continue  # a year: "in 2019 Apple Park"
                    if (
                        m["suffix"].lower() not in self.COMMON_SUFFIXES
                        and not m["unit"]
                        and not m["city"]
                        and tail_lines == 0
                    ):
                        # A rare suffix (Hills, Ridge, Port, Extension) names a
                        # place as often as a street: only with the rest of an
                        # address or a cue ("1524 Livingston Ridge" in a list of
                        # meter stations is none).
                        continue
                result = self.result(s, e, self.CUE_SCORE if cue else self.SCORE)
                if self.ORGANISATION_BEFORE.search(
                    text, max(0, s - self.ORGANISATION_WINDOW), s
                ):
                    result.recognition_metadata[ORGANISATION_KEY] = True
                out.append(result)
        return out


class _EnglishPhonePatterns(PatternRecognizer):
    """PHONE_NUMBER patterns of ours in the English engine, named after the class
    (`_boosted` tells GroupedPhoneRecognizer's finds by that name)."""

    PATTERNS: ClassVar[list[Pattern]] = []

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name=type(self).__name__,
            patterns=list(self.PATTERNS),
            supported_language="en",
        )


class NanpPhoneRecognizer(_EnglishPhonePatterns):
    """North-American numbers in the usual layouts, whether or not the area code is
    assigned (Presidio's PhoneRecognizer accepts only numbers libphonenumber deems
    valid): `(415) 555-0100`, `415-555-0100`, `+1 415 555 0100`. Context lifts them."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "nanp_paren",
            r"(?<![\w(])(?:\+?1[ .-]?)?\(\d{3}\)\s?\d{3}[ .-]\d{4}(?!\w)",
            0.55,
        ),
        Pattern(
            "nanp_dashed",
            r"(?<![\w-])(?:\+?1[ .-])?\d{3}[.-]\d{3}[.-]\d{4}(?![\w-])",
            0.4,
        ),
    ]


class GroupedPhoneRecognizer(_EnglishPhonePatterns):
    """Phone numbers in any country's grouped layout, whether or not libphonenumber
    deems the prefix allocated: `+86 10746 1491`, `+91-39941 98087`, `(70) 98738-4976`,
    `699 956 915`. Scored 0.3, so they are reported only when a phone context word
    (phone, call, reached, 电话...) lifts them; such a run then needs no trip through
    libphonenumber's matcher, which tries every region on a number that matches
    none. Dates (2023-11-25) and runs outside 7-15 digits are left out."""

    PATTERNS: ClassVar[list[Pattern]] = [
        Pattern(
            "grouped_phone",
            r"(?<![\w+(.-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}"
            r"(?:[ .-]\d{1,5}){1,4}(?![\w]|[.-]\d)",
            0.3,
        ),
        Pattern("plus_phone", r"(?<![\w+])\+\d{8,15}(?!\w)", 0.3),
    ]
    _DATE = re.compile(r"\d{4}[.-]\d{1,2}[.-]\d{1,2}|\d{1,2}[.-]\d{1,2}[.-]\d{4}")

    def invalidate_result(self, pattern_text: str) -> bool:  # noqa: D102
        digits = sum(c.isdigit() for c in pattern_text)
        return not 7 <= digits <= 15 or bool(self._DATE.fullmatch(pattern_text))


class GatedIpRecognizer(IpRecognizer):
    """Presidio's IP recognizer, run only where a dotted quad or an IPv6 colon group
    can be: its patterns are the costliest of the regex recognizers, and most text
    with digits (dates, amounts, phone numbers) holds no address."""

    # Four dotted numbers, or two colons with at most four hex digits between them.
    # Written to start at a rare character (the first number's last digit, a colon),
    # which holds wherever `\d{1,3}\.\d{1,3}\.\d{1,3}\.\d` or
    # `[0-9A-Fa-f]{0,4}:[0-9A-Fa-f]{0,4}:` would: a search then passes over letters
    # at once.
    _SHAPE = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|:[0-9A-Fa-f]{0,4}:")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):  # noqa: D102
        if not self._SHAPE.search(text):
            return []
        return pattern_results(self, text, regex_flags)


# Presidio's predefined recognizers that need no model or service, by class name:
# every `PatternRecognizer` plus the libphonenumber-based phone recognizers.
# `COUNTRY_CODE` None = not country-specific (e-mail, card, IBAN, IP, MAC, crypto...).
_REPLACED = {
    "EmailRecognizer": OfflineEmailRecognizer,
    "IpRecognizer": GatedIpRecognizer,
}


def predefined_classes() -> dict[str, type]:
    out = {}
    for name in sorted(dir(_predefined)):
        cls = getattr(_predefined, name)
        if not isinstance(cls, type) or not issubclass(cls, EntityRecognizer):
            continue
        module = cls.__module__
        if issubclass(cls, PatternRecognizer) or (
            issubclass(cls, PhoneRecognizer) and ".generic." in module + ".generic."
        ):
            if ".country_specific." in module or ".generic." in module:
                out[name] = _REPLACED.get(name, cls)
    return out


def predefined_entities() -> dict[str, str | None]:
    """Entity type -> country code (None: any country) of every predefined
    recognizer corpusgate can run."""
    out: dict[str, str | None] = {}
    for cls in predefined_classes().values():
        for e in cls().supported_entities:
            out[e] = getattr(cls, "COUNTRY_CODE", None)
    return out


def presidio_default_names() -> frozenset[str]:
    """The recognizers Presidio itself enables for English
    (presidio_analyzer/conf/default_recognizers.yaml)."""
    import yaml
    from presidio_analyzer import conf

    path = resources.files(conf).joinpath("default_recognizers.yaml")
    # libyaml's parser when PyYAML has it: the pure-Python one takes 0.2 s of
    # every worker's set-up on this file
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(path.read_text("utf-8"), Loader=loader)
    out = set()
    for r in data["recognizers"]:
        langs = [
            lang if isinstance(lang, str) else lang.get("language")
            for lang in r.get("supported_languages", ["en"])
        ]
        if r.get("enabled", True) and "en" in langs:
            out.add(r.get("class_name", r["name"]))
    return frozenset(out)


def presidio_pattern_recognizers(
    countries: tuple[str, ...] | list[str] = (),
    disabled: tuple[str, ...] | list[str] = (),
) -> list[EntityRecognizer]:
    """Presidio's predefined recognizers that need no model, for the ASCII view:
    the ones Presidio enables for English by default (cards, e-mail, phone, IBAN,
    IP, MAC, crypto, US SSN / ITIN / passport / driver licence / bank number /
    medical licence, UK NHS...) and every one of `countries` (ISO codes as Presidio
    tags them: us, uk, ca, au, in, sg, de, es, it, pl, fi, se, kr, ng, ph, th, tr,
    za; "all" = every one), minus the entity types in `disabled`; plus our two
    phone layouts."""
    wanted = {c.lower() for c in countries}
    defaults = presidio_default_names()
    out: list[EntityRecognizer] = []
    for name, cls in predefined_classes().items():
        country = getattr(cls, "COUNTRY_CODE", None)
        if name not in defaults and "all" not in wanted and country not in wanted:
            continue
        r = cls()
        if set(r.supported_entities) & set(disabled):
            continue
        r.supported_language = "en"
        out.append(r)
    if "PHONE_NUMBER" not in disabled:
        out += [NanpPhoneRecognizer(), GroupedPhoneRecognizer()]
    return out


# Context words (either side, within 30 characters) that lift Presidio's weak scores;
# Presidio's own context enhancer needs spaCy tokens, which the no-op engine lacks.
CONTEXT_BOOST: dict[str, tuple[tuple[str, ...], float]] = {
    "PHONE_NUMBER": (
        (
            "phone",
            "call",
            "tel",
            "mobile",
            "cell",
            "reached",
            "contact",
            "fax",
            "电话",
            "手机",
            "联系",
            "致电",
        ),
        0.3,
    ),
    "US_SSN": (("ssn", "social security", "social sec"), 0.4),
    "UK_NHS": (("nhs", "health service"), 0.3),
    "CRYPTO": (("bitcoin", "btc", "wallet", "比特币", "钱包"), 0.2),
    "IP_ADDRESS": (("ip", "server", "host", "服务器", "地址", "登录"), 0.1),
}
