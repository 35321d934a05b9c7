"""One pass over a document: every lexicon name and signal term at once.

All literal terms (lexicon names and codes, signal vocabulary, both languages) go into
a single Aho-Corasick automaton (pyahocorasick) over a lower-cased copy of the text;
the pattern signals (quantities, conditions, numbered steps) and CAS numbers are one
combined regex, run only when the automaton found a lexicon hit or the text holds a
CAS-shaped number.

Latin terms match whole words (an ASCII letter or digit may not touch either end;
a plural "s" is allowed); Chinese terms match as substrings. Codes (`VX`, `HN2`) are
case-sensitive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import ahocorasick
from corpusgate.detectors.cbrn.lexicon import Lexicon, LexiconEntry, is_valid_cas

_CAS_SHAPE = re.compile(r"(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-])")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    ref: int  # index into Lexicon.entries or Lexicon.signals
    weak: bool = False  # an ambiguous code


@dataclass
class Matches:
    entities: list[Hit]  # lexicon hits (including context kinds), longest-match only
    signals: list[Hit]  # signal hits (term and regex signals)


# Payload kinds stored in the automaton.
_ENTITY, _SIGNAL = 0, 1


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two code points (e.g. 'İ'); keep offsets aligned.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


class Matcher:
    """Built once per worker (in the detector's setup()); `match()` is thread-safe."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        payloads: dict[str, list[tuple[int, int, str | None, bool]]] = {}

        def add(term: str, kind: int, ref: int, case: str | None, weak: bool) -> None:
            key = term.lower()
            payloads.setdefault(key, []).append((kind, ref, case, weak))

        for i, entry in enumerate(lexicon.entries):
            for name in entry.en + entry.zh:
                add(name, _ENTITY, i, None, False)
            for code in entry.codes:
                add(code, _ENTITY, i, code, False)
            for code in entry.weak_codes:
                add(code, _ENTITY, i, code, True)
        regexes: list[str] = []
        self._regex_refs: dict[str, int] = {}
        for j, signal in enumerate(lexicon.signals):
            if signal.kind == "regex":
                group = f"s{j}"
                self._regex_refs[group] = j
                regexes.append(f"(?P<{group}>{signal.regex})")
                continue
            for term in signal.en + signal.zh:
                add(term, _SIGNAL, j, None, False)
        automaton = ahocorasick.Automaton()
        for key, values in payloads.items():
            automaton.add_word(key, (len(key), tuple(values)))
        automaton.make_automaton()
        self._automaton = automaton
        self._cas_index: dict[str, int] = {
            cas: i for i, e in enumerate(lexicon.entries) for cas in e.cas
        }
        regexes.append(r"(?P<cas>(?<![\d-])\d{2,7}-\d{2}-\d(?![\d-]))")
        self._regex = re.compile("|".join(regexes), re.IGNORECASE | re.MULTILINE)

    def entry(self, hit: Hit) -> LexiconEntry:
        return self.lexicon.entries[hit.ref]

    def match(self, text: str) -> Matches:
        low = _lower_same_length(text)
        n = len(text)
        entities: list[Hit] = []
        signals: list[Hit] = []
        for end_idx, (length, values) in self._automaton.iter(low):
            start, end = end_idx - length + 1, end_idx + 1
            first, last = low[start], low[end_idx]
            if _is_word_char(first) and start > 0 and _is_word_char(low[start - 1]):
                continue
            if _is_word_char(last) and end < n and _is_word_char(low[end]):
                # allow a plural "s" (but not "sarins" -> "sarinsomething")
                if not (
                    low[end] == "s"
                    and (end + 1 >= n or not _is_word_char(low[end + 1]))
                ):
                    continue
            for kind, ref, case, weak in values:
                if case is not None and text[start:end] != case:
                    continue
                hit = Hit(start, end, ref, weak)
                (entities if kind == _ENTITY else signals).append(hit)
        if not entities and not _CAS_SHAPE.search(text):
            return Matches([], signals)
        for m in self._regex.finditer(text):
            group = m.lastgroup
            if group == "cas":
                cas = m.group(0)
                ref = self._cas_index.get(cas)
                if ref is not None and is_valid_cas(cas):
                    entities.append(Hit(m.start(), m.end(), ref))
            elif group is not None:
                signals.append(Hit(m.start(), m.end(), self._regex_refs[group]))
        return Matches(_longest_only(entities), signals)


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
