"""One pass over a document: every lexicon name and signal term at once.

All literal terms (lexicon names and codes, signal vocabulary, both languages) go into
Aho-Corasick automata (ahocorasick_rs, a DFA in Rust: about 7 µs for 1 KB of text)
run over a lower-cased copy of the text;
the pattern signals (quantities, conditions, numbered steps) and CAS numbers are one
combined regex, run only when the automaton found a lexicon hit or the text holds a
CAS-shaped number.

Latin terms match whole words (an ASCII letter or digit may not touch either end;
a plural "s" is allowed). Chinese terms match on the word boundaries of jieba's
segmentation (rjieba), looked at only around a Chinese hit: the term must end where a
word ends, and start where a word starts or be the head of a compound (导弹 in
洲际导弹); 天花 in 天花板 and 炭疽 in 炭疽病 are no match. Exceptions are data
(`data/zh_boundaries.tsv`). Codes (`VX`, `HN2`) are case-sensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

import ahocorasick_rs
from corpusgate.detectors.cbrn.lexicon import Lexicon, LexiconEntry, is_valid_cas

# A cheap pre-check only: a literal first character lets the regex engine skip ahead.
_CAS_SHAPE = re.compile(r"-\d\d-\d")


_HAN = re.compile(r"[\u4e00-\u9fff]")
ZH_CONTEXT = 12  # characters either side of a Chinese hit given to the segmenter
_SIBILANT = frozenset("sxzh")  # "es" plurals: viruses, boxes, matches
_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


class Hit(NamedTuple):
    start: int
    end: int
    ref: int  # index into Lexicon.entries or Lexicon.signals
    weak: bool = False  # an ambiguous code


@dataclass
class Matches:
    entities: list[Hit]  # lexicon hits (including context kinds), longest-match only
    signals: list[Hit]  # signal hits (term and regex signals)
    # False when nothing in the text can anchor an assessment, so the regex pass
    # (quantities, conditions, steps, CAS numbers) was skipped.
    scanned: bool = True


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two code points (e.g. 'İ'); keep offsets aligned.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Matcher:
    """Built once per worker (in the detector's setup()); `match()` is thread-safe.

    Two automata: the lexicon names (a screen: most documents stop here) and the
    signal vocabulary, which with the one combined regex is run only on documents
    where something can anchor an assessment.
    """

    def __init__(self, lexicon: Lexicon, lab_terms_to_anchor: int = 1) -> None:
        """`lab_terms_to_anchor`: distinct generic lab terms that can anchor an
        assessment on their own (with fewer, and no other lexicon hit, the context
        pass is skipped)."""
        self.lexicon = lexicon
        self._lab_terms_to_anchor = lab_terms_to_anchor
        self._context = [e.is_context for e in lexicon.entries]
        self._firm = [not e.is_context and not e.is_dual_use for e in lexicon.entries]
        # what may anchor an assessment: agents, and dual-use words that can be
        # framed (virus, poison); never host, culture, expression...
        self._anchorable = [
            not e.is_context and (not e.is_dual_use or e.standalone)
            for e in lexicon.entries
        ]
        self._lab = [e.kind == "lab" for e in lexicon.entries]
        names: dict[str, list[tuple[int, str | None, bool]]] = {}
        weak: dict[str, list[int]] = {}
        for i, entry in enumerate(lexicon.entries):
            for name in entry.en + entry.zh:
                names.setdefault(name.lower(), []).append((i, None, False))
            for code in entry.codes:  # case-sensitive: checked against the text
                names.setdefault(code.lower(), []).append((i, code, False))
            for code in entry.weak_codes:
                weak.setdefault(code, []).append(i)
        terms: dict[str, list[tuple[int, str | None, bool]]] = {}
        units: dict[str, int] = {}
        regexes: list[str] = []
        self._regex_refs: dict[str, int] = {}
        for j, signal in enumerate(lexicon.signals):
            if signal.kind == "regex":
                group = f"s{j}"
                self._regex_refs[group] = j
                regexes.append(f"(?P<{group}>{signal.regex})")
            elif signal.kind == "unit":
                for unit in signal.en + signal.zh:
                    units.setdefault(unit.lower(), j)
            else:
                for term in signal.en + signal.zh:
                    terms.setdefault(term.lower(), []).append((j, None, False))
        self._names = _automaton(names)
        self._terms = _automaton(terms)
        # Ambiguous codes ("GB", "AC") are looked for only beside a named hit.
        self._weak_refs = weak
        self._weak = (
            re.compile(
                r"(?<![A-Za-z0-9])(?:"
                + "|".join(map(re.escape, sorted(weak, key=len, reverse=True)))
                + r")(?![A-Za-z0-9])"
            )
            if weak
            else None
        )
        self._cas_index: dict[str, int] = {
            cas: i for i, e in enumerate(lexicon.entries) for cas in e.cas
        }
        # One numeric pattern: a number followed by a unit, or a CAS number. It
        # starts with a character class, so the regex engine skips ahead quickly.
        self._units = units
        unit_alt = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
        number = (
            f"{_numeral(units, first=True)}{_numeral(units)}{{0,{NUMBER_MAX - 1}}}+"
        )
        self._numeric = re.compile(
            rf"(?P<num>{number})"
            r"(?:-(?P<cas>[0-9]{2}-[0-9])(?![0-9-])"
            r"|\s*+(?P<unit>" + unit_alt + r")(?![a-z]))"
        )
        self._regex = re.compile("|".join(regexes)) if regexes else None

    def _may_anchor(self, entities: list[Hit], low: str) -> bool:
        if any(self._anchorable[h.ref] for h in entities):
            return True
        lab = {low[h.start : h.end] for h in entities if self._lab[h.ref]}
        return len(lab) >= self._lab_terms_to_anchor

    def entry(self, hit: Hit) -> LexiconEntry:
        return self.lexicon.entries[hit.ref]

    def _zh_words_ok(self, text: str, hits: list[Hit]) -> list[Hit]:
        """Drops Chinese hits that do not sit on the segmenter's word boundaries."""
        from corpusgate.detectors.pii.china.segmenter import cut

        block, allow = self.lexicon.zh_block, self.lexicon.zh_allow
        kept: list[Hit] = []
        for h in hits:
            term = text[h.start : h.end]
            if not (_HAN.match(term[0]) or _HAN.match(term[-1])):
                kept.append(h)
                continue
            lo = max(0, h.start - ZH_CONTEXT)
            hi = min(len(text), h.end + ZH_CONTEXT)
            window = text[lo:hi]
            if any(
                w in window
                and any(
                    m.start() <= h.start - lo and h.end - lo <= m.start() + len(w)
                    for m in re.finditer(re.escape(w), window)
                )
                for w in block
                if term in w
            ):
                continue
            pos, ok = 0, False
            for word in cut(window):
                w_start, w_end = lo + pos, lo + pos + len(word)
                pos += len(word)
                if w_end <= h.start or w_start >= h.end:
                    continue
                # the word(s) covering the term: the term must end with a word,
                # and start with one or be the head of a compound
                if word in allow:
                    ok = True
                    break
                if w_start < h.start and w_end != h.end:
                    break
                if w_end > h.end:
                    break
                if w_end == h.end:
                    ok = True
                    break
            if ok:
                kept.append(h)
        return kept

    def match(self, text: str) -> Matches:
        low = _lower_same_length(text)
        entities = _find(self._names, text, low)
        if entities and any(
            _HAN.match(low[h.start]) or _HAN.match(low[h.end - 1]) for h in entities
        ):
            entities = self._zh_words_ok(text, entities)
        if not self._may_anchor(entities, low) and not _CAS_SHAPE.search(low):
            return Matches(entities, [], scanned=False)
        if self._weak is not None and any(self._firm[h.ref] for h in entities):
            for m in self._weak.finditer(text):
                for ref in self._weak_refs[m.group(0)]:
                    entities.append(Hit(m.start(), m.end(), ref, True))
        signals = _find(self._terms, text, low)
        read_to = 0
        for m in self._numeric.finditer(low):
            # Where the number starts when read whole (the pattern reads at most
            # NUMBER_MAX characters of it)
            start = _number_start(low, m.start(), read_to)
            read_to = m.end()
            num = low[start : m.end("num")]
            cas = m.group("cas")
            if cas is not None:
                number = low[start : m.end()]
                if (
                    (start == 0 or low[start - 1] not in "0123456789-")
                    and num.isdigit()
                    and 2 <= len(num) <= 7
                ):
                    ref = self._cas_index.get(number)
                    if ref is not None and is_valid_cas(number):
                        entities.append(Hit(start, m.end(), ref))
                continue
            ref = self._units.get(m.group("unit"))
            if ref is not None and (start == 0 or low[start - 1] not in _WORD):
                signals.append(Hit(start, m.end(), ref))
        if self._regex is not None:
            for m in self._regex.finditer(low):
                if m.lastgroup is not None:
                    signals.append(
                        Hit(m.start(), m.end(), self._regex_refs[m.lastgroup])
                    )
        return Matches(_longest_only(entities), signals)


_NUMERALS = "一二两三四五六七八九十百千几"
# The longest number read before a unit or a CAS tail. Each attempt reads at most
# this many characters, possessively: a number read to the end of its run and given
# back one character at a time made the pattern quadratic on long runs of digits and
# commas (one CSV row of 30,000 characters took 4.5 s; a row of a megabyte would take
# hours). A longer number before a unit is not read (no figure has 40 digits).
NUMBER_MAX = 40


_NUMBER_CHARS = frozenset("0123456789.," + _NUMERALS)


def _number_start(low: str, start: int, floor: int) -> int:
    """The start of the number that ends where the match at `start` ends, read
    whole: back over the number's characters (not before `floor`, the previous
    match's end), then forward to its first digit or numeral."""
    i = start
    while i > floor and low[i - 1] in _NUMBER_CHARS:
        i -= 1
    while i < start and low[i] in ".,":
        i += 1
    return i


def _numeral(units: dict[str, int], first: bool = False) -> str:
    """One character of a number (a digit, a Chinese numeral; after the first also
    "." and ","). No unit and no "-" starts with such a character, so reading the
    number possessively loses nothing that backtracking found - save a unit that
    starts with a numeral whose rest is no unit itself (千米): the numeral is not
    taken into the number right before that rest, which leaves it to the unit as
    backtracking did."""
    guarded: dict[str, list[str]] = {}
    for unit in units:
        if unit[0] in _NUMERALS and unit[1:] not in units:
            if unit[1] in _NUMERALS:
                raise ValueError(f"unit {unit!r}: two numerals at its start")
            guarded.setdefault(unit[0], []).append(unit[1:])
    plain = (
        "0-9"
        + ("" if first else ".,")
        + "".join(c for c in _NUMERALS if c not in guarded)
    )
    parts = [f"[{plain}]"] + [
        f"{re.escape(c)}(?!{'|'.join(map(re.escape, rests))})"
        for c, rests in sorted(guarded.items())
    ]
    return "(?:" + "|".join(parts) + ")"


class _Automaton(NamedTuple):
    """An Aho-Corasick DFA over the keys and, per key, (whole-word check at the
    start, at the end, (ref, case-sensitive code or None, weak) values)."""

    automaton: ahocorasick_rs.AhoCorasick
    payload: list[tuple[bool, bool, tuple[tuple[int, str | None, bool], ...]]]


def _automaton(words: dict[str, list[tuple[int, str | None, bool]]]) -> _Automaton:
    keys = list(words)
    # whole-word checks only where a term starts / ends with a Latin letter or digit
    payload = [(k[0] in _WORD, k[-1] in _WORD, tuple(words[k])) for k in keys]
    automaton = ahocorasick_rs.AhoCorasick(
        keys, implementation=ahocorasick_rs.Implementation.DFA
    )
    return _Automaton(automaton, payload)


def _find(automaton: _Automaton, text: str, low: str) -> list[Hit]:
    n = len(low)
    word = _WORD
    payload = automaton.payload
    hits: list[Hit] = []
    # every occurrence of every key, overlapping ones included (character offsets)
    for key, start, end in automaton.automaton.find_matches_as_indexes(
        low, overlapping=True
    ):
        check_left, check_right, values = payload[key]
        if check_left and start > 0 and low[start - 1] in word:
            continue
        if check_right and end < n and low[end] in word:
            # allow a plural "s" ("toxins") or "es" after a sibilant
            # ("hantaviruses"), not a longer word ("sarinx")
            after = end + 1
            if (
                low[end] == "e"
                and low[end - 1] in _SIBILANT
                and low[after : after + 1] == "s"
            ):
                after += 1
            elif low[end] != "s":
                continue
            if after < n and low[after] in word:
                continue
        for ref, case, weak in values:
            if case is None or text[start:end] == case:
                hits.append(Hit(start, end, ref, weak))
    return hits


def _longest_only(hits: list[Hit]) -> list[Hit]:
    """Drops hits inside a longer hit ("virus" inside "ebola virus")."""
    if len(hits) < 2:
        return hits
    hits = sorted(hits, key=lambda h: (h.start, -(h.end - h.start)))
    kept: list[Hit] = []
    reach = -1
    for h in hits:
        same_span = kept and (kept[-1].start, kept[-1].end) == (h.start, h.end)
        if h.end <= reach and not same_span:
            continue
        kept.append(h)
        reach = max(reach, h.end)
    return kept
