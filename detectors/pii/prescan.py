"""A pre-scan derived from the recognizers' own regexes, sound by construction.

For every pattern of a recognizer, `necessary()` reads the compiled regex (Python's
`re._parser` tree) and picks one *mandatory* element - a single-character matcher
`X` repeated at least `m` times, outside any optional part and any lookaround - and
returns the regex `X{m}` with the pattern's own flags. Any text the pattern matches
contains a match of `X{m}`, so a text on which `X{m}` finds nothing cannot give that
pattern a match: skipping the recognizer there loses nothing. A branch `A|B` yields
`(?:a)|(?:b)` from a condition of each alternative; a pattern without any mandatory
single-character element (none in practice) yields no condition, and its recognizer
always runs.

`PreScan` keeps one condition per recognizer (the alternation of its patterns'
conditions), asks each distinct condition once per text, and tells which recognizers
can match. Among a sequence's mandatory elements it picks the rarest by an estimate
from a reference text; the estimate only makes the filter fast, never unsound.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import cache
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre_c
    from re import _parser as sre_p
except ImportError:  # pragma: no cover
    import sre_constants as sre_c  # type: ignore[no-redef]
    import sre_parse as sre_p  # type: ignore[no-redef]

# Characters of ordinary mixed text, to estimate how often a character class occurs.
_REFERENCE = (
    "The quick brown fox jumps over the lazy dog, said Mr. Smith on 12 May 2021. "
    "Call me at home; it's 10:30 (maybe later) - see page 4 of the report!\n"
    "我们在北京的会议上讨论了这个问题，他说：“明天再说吧。”价格是35元。\n"
    'def main(x): return x + 1  # {a: [b, c]} <div class="a">/path/to_file.py</div>'
)
_MAX_ESTIMATE = 0.9  # a class this common is no filter at all


def _one_char(op: Any, av: Any) -> str | None:
    """The regex of a single-character matcher, or None if `op` is not one."""
    if op is sre_c.LITERAL:
        return re.escape(chr(av))
    if op is sre_c.NOT_LITERAL:
        return "[^" + re.escape(chr(av)) + "]"
    if op is sre_c.ANY:
        return None  # '.': matches nearly anything, never worth a condition
    if op is sre_c.IN:
        return "[" + "".join(_in_item(o, a) for o, a in av) + "]"
    if op is sre_c.CATEGORY:
        return _CATEGORIES.get(av)
    return None


_CATEGORIES = {
    sre_c.CATEGORY_DIGIT: r"\d",
    sre_c.CATEGORY_NOT_DIGIT: r"\D",
    sre_c.CATEGORY_SPACE: r"\s",
    sre_c.CATEGORY_NOT_SPACE: r"\S",
    sre_c.CATEGORY_WORD: r"\w",
    sre_c.CATEGORY_NOT_WORD: r"\W",
}


def _in_item(op: Any, av: Any) -> str:
    if op is sre_c.NEGATE:
        return "^"
    if op is sre_c.LITERAL:
        return _class_escape(chr(av))
    if op is sre_c.RANGE:
        return _class_escape(chr(av[0])) + "-" + _class_escape(chr(av[1]))
    if op is sre_c.CATEGORY:
        return _CATEGORIES[av]
    raise ValueError(f"unsupported class item {op}")


def _class_escape(ch: str) -> str:
    return "\\" + ch if ch in "\\]^-[" else ch


class _Cond:
    """A necessary condition: a regex and an estimate of how often it holds."""

    __slots__ = ("estimate", "regex")

    def __init__(self, regex: str, estimate: float) -> None:
        self.regex = regex
        self.estimate = estimate


# In real text a character of a class is followed by another of it far more often
# than the class's share says (identifiers, codes and words come in runs): each
# further character of a run of a class other than digits counts at least this.
# Runs of digits keep the plain power: the longest digit run, measured once per
# text, answers them at no cost (`PreScan`), so they are the conditions to prefer.
_RUN_GOES_ON = 0.5


def _estimate(char_regex: str, flags: int, run: int) -> float:
    share = _share(char_regex, flags)
    if _is_digit_class(char_regex):
        return share ** min(run, 8)
    return share * max(share, _RUN_GOES_ON) ** (min(run, 8) - 1)


@cache  # the same few classes recur in every recognizer's patterns
def _share(char_regex: str, flags: int) -> float:
    matcher = re.compile(char_regex, flags)
    share = sum(1 for ch in _REFERENCE if matcher.fullmatch(ch)) / len(_REFERENCE)
    return max(share, 0.002)  # a character absent from the reference is not impossible


def _sequence(items: Iterable[tuple[Any, Any]], flags: int) -> _Cond | None:
    """The rarest condition among a sequence's mandatory elements and its runs of
    adjacent single-character elements (`_window`)."""
    items = list(items)
    best: _Cond | None = None
    for cond in [_element(op, av, flags) for op, av in items] + _windows(items, flags):
        if cond is not None and (best is None or cond.estimate < best.estimate):
            best = cond
    return best


_ZERO_WIDTH = (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT)


def _simple(op: Any, av: Any) -> tuple[str, int, int] | None:
    """(character regex, min, max) of a single-character element or a repeat of one."""
    char = _one_char(op, av)
    if char is not None:
        return char, 1, 1
    if op in _REPEATS:
        lo, hi, item = av
        item = list(item)
        if len(item) == 1:
            char = _one_char(*item[0])
            if char is not None:
                return char, lo, hi
    return None


def _flat(items: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Groups spliced into the sequence around them (a group matches exactly
    its own sequence), unless they change flags."""
    out = []
    for op, av in items:
        if op is sre_c.SUBPATTERN and not av[1] and not av[2]:
            out += _flat(list(av[3]))
        else:
            out.append((op, av))
    return out


def _windows(items: list[tuple[Any, Any]], flags: int) -> list[_Cond]:
    """Each maximal run of adjacent single-character elements (zero-width ones
    skipped) gives a condition: a match holds the last `min` characters of the
    run's first mandatory element, the middle elements exactly, and the first `min`
    characters of its last mandatory element, one after the other."""
    runs: list[list[tuple[str, int, int]]] = [[]]
    for op, av in _flat(items):
        if op in _ZERO_WIDTH:
            continue
        s = _simple(op, av)
        if s is None:
            runs.append([])
        else:
            runs[-1].append(s)
    out = []
    for run in runs:
        mandatory = [i for i, (_, lo, _hi) in enumerate(run) if lo >= 1]
        if len(mandatory) < 2:
            continue  # one element: `_element` already gives it
        first, last = mandatory[0], mandatory[-1]
        parts, estimate = [], 1.0
        # (character regex, count) of each element while all so far have one width
        fixed: list[tuple[str, int]] = []
        for i in range(first, last + 1):
            char, lo, hi = run[i]
            if i in (first, last):
                n = min(lo, 32)
                parts.append(char if n == 1 else f"{char}{{{n}}}")
            elif hi == sre_c.MAXREPEAT:
                parts.append(f"{char}{{{lo},}}")
            else:
                parts.append(f"{char}{{{lo},{hi}}}")
            if len(fixed) == i - first and (i in (first, last) or lo == hi):
                fixed.append((char, min(lo, 32) if i in (first, last) else lo))
            if lo >= 1:
                estimate *= _estimate(char, flags, lo if i in (first, last) else lo)
        out.append(_Cond(_lead_with_rarest(parts, fixed, flags), estimate))
    return out


def _is_literal(char: str) -> bool:
    """Whether a single-character regex is one literal character."""
    return len(char) == 1 or (
        len(char) == 2 and char[0] == "\\" and not char[1].isalnum()
    )


def _lead_with_rarest(
    parts: list[str], fixed: list[tuple[str, int]], flags: int
) -> str:
    r"""The window `parts` joined, rewritten to start at its rarest character when
    the elements up to that one have a fixed width: `[:\-](?<=[0-9A-F]{2}[:\-])`
    instead of `[0-9A-F]{2}[:\-]`. Both match in the same texts (the lookbehind
    checks exactly the skipped prefix), but a regex search tries every position,
    and one whose first character is rare rejects most positions at once."""
    if len(fixed) < 2 or all(_is_literal(c) for c, _ in fixed):
        # a literal word stays one (`_Literals` answers those by substring tests)
        return "".join(parts)
    lead = min(range(len(fixed)), key=lambda i: (_estimate(fixed[i][0], flags, 1), i))
    if lead == 0 or _estimate(fixed[lead][0], flags, 1) >= _estimate(
        fixed[0][0], flags, 1
    ):
        return "".join(parts)
    char, n = fixed[lead]
    behind = "".join(c if k == 1 else f"{c}{{{k}}}" for c, k in fixed[:lead])
    rest = (f"{char}{{{n - 1}}}" if n > 2 else char if n == 2 else "") + "".join(
        parts[lead + 1 :]
    )
    return f"{char}(?<={behind}{char}){rest}"


_REPEATS = tuple(
    op
    for op in (
        sre_c.MAX_REPEAT,
        sre_c.MIN_REPEAT,
        getattr(sre_c, "POSSESSIVE_REPEAT", None),
    )
    if op is not None
)


def _element(op: Any, av: Any, flags: int) -> _Cond | None:
    char = _one_char(op, av)
    if char is not None:
        return _Cond(char, _estimate(char, flags, 1))
    if op in _REPEATS:
        lo, _hi, item = av
        if lo < 1:
            return None  # optional: nothing inside is mandatory
        item = list(item)
        if len(item) == 1:
            char = _one_char(*item[0])
            if char is not None:
                run = min(lo, 32)
                regex = char if run == 1 else f"{char}{{{run}}}"
                if run > 1 and not _is_digit_class(char):
                    # Only where a run starts: the same texts match, but a search
                    # no longer re-reads a long run from each of its positions.
                    regex = f"(?<!{char}){regex}"
                return _Cond(regex, _estimate(char, flags, run))
        return _sequence(item, flags)
    if op is sre_c.SUBPATTERN:
        # (group, add_flags, del_flags, pattern): an inline flag group changes flags
        _group, add, delete, sub = av
        return _sequence(sub, (flags | add) & ~delete)
    if op is getattr(sre_c, "ATOMIC_GROUP", None):
        return _sequence(av, flags)
    if op is sre_c.BRANCH:
        parts = [_sequence(branch, flags) for branch in av[1]]
        if any(p is None for p in parts):
            return None
        regex = "|".join(f"(?:{p.regex})" for p in parts)
        return _Cond(regex, min(1.0, sum(p.estimate for p in parts)))
    # AT (anchors), ASSERT / ASSERT_NOT (lookarounds), GROUPREF...: consume nothing
    # that must be there, or nothing at all.
    return None


def _is_digit_class(char: str) -> bool:
    """Whether a single-character regex matches digits only (\\d, [0-9], 5...)."""
    return char in (r"\d", r"[\d]") or bool(re.fullmatch(r"\d|\[(?:\d-\d|\d)+\]", char))


def _digits_needed(items: list[tuple[Any, Any]]) -> int:
    """A run of digits every match of the sequence contains: the longest mandatory
    repeat of a digit-only class (a branch: the shortest of its alternatives')."""
    best = 0
    for op, av in _flat(items):
        if op in _ZERO_WIDTH:
            continue
        s = _simple(op, av)
        if s is not None:
            char, lo, _hi = s
            if lo >= 1 and _is_digit_class(char):
                best = max(best, lo)
        elif op in _REPEATS and av[0] >= 1:
            best = max(best, _digits_needed(list(av[2])))
        elif op is sre_c.SUBPATTERN:
            best = max(best, _digits_needed(list(av[3])))
        elif op is sre_c.BRANCH:
            best = max(best, min(_digits_needed(list(b)) for b in av[1]))
    return best


def digits_needed(pattern: str, flags: int = 0) -> int:
    """The length of a run of digits (`\\d`) that every match of `pattern` holds
    (0: none guaranteed)."""
    try:
        return _digits_needed(list(sre_p.parse(pattern, flags)))
    except re.error:
        return 0


def necessary(pattern: str, flags: int = 0) -> str | None:
    """A regex that finds something in every text where `pattern` does, or None.

    The returned regex carries the flags it needs inline."""
    try:
        tree = sre_p.parse(pattern, flags)
    except re.error:
        return None  # syntax of the `regex` module only: the recognizer always runs
    flags = tree.state.flags if hasattr(tree, "state") else flags
    cond = _sequence(list(tree), flags)
    if cond is None or cond.estimate > _MAX_ESTIMATE:
        return None
    inline = "".join(
        c
        for f, c in ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m"))
        if flags & f
    )
    return f"(?{inline}:{cond.regex})" if inline else f"(?:{cond.regex})"


def recognizer_patterns(recognizer: Any) -> list[tuple[str, int]] | None:
    """(regex, flags) of every pattern of a regex recognizer; None for others."""
    compiled = getattr(recognizer, "_compiled", None)
    if compiled:  # WindowContextRecognizer: compiled with its own flags
        return [(rx.pattern, rx.flags & ~re.UNICODE) for _, rx in compiled]
    patterns = getattr(recognizer, "patterns", None)
    if not patterns:
        return None
    flags = getattr(recognizer, "global_regex_flags", 0) or 0
    return [(p.regex, flags) for p in patterns]


# Characters outside ASCII that case-insensitive matching equates with an ASCII
# letter (a test derives the set from `re` itself).
FOLDS_TO_ASCII = "\u0130\u0131\u017f\u212a"
_FOLDS_TO_ASCII = re.compile(f"[{FOLDS_TO_ASCII}]")
_CJK_WORD = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]+")


class Folded:
    """A text's lower case, computed on first use and shared by the substring tests
    made on one text; "" when the text holds a character that case-insensitive
    matching equates with an ASCII letter (İ ı ſ K), where such a test is unsound."""

    __slots__ = ("_lower", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._lower: str | None = None

    def lower(self) -> str:
        if self._lower is None:
            t = self._text
            self._lower = "" if _FOLDS_TO_ASCII.search(t) else t.lower()
        return self._lower


def _literal_words(items: list[tuple[Any, Any]]) -> list[str] | None:
    """The words of a condition that is an alternation of literal strings
    (病案号|MRN|...), else None."""
    items = _flat(items)
    if len(items) == 1 and items[0][0] is sre_c.BRANCH:
        words: list[str] = []
        for branch in items[0][1][1]:
            sub = _literal_words(list(branch))
            if sub is None:
                return None
            words += sub
        return words
    word = []
    for op, av in items:
        if op in _REPEATS and av[0] == av[1] == 1 and len(av[2]) == 1:
            op, av = list(av[2])[0]
        if op is not sre_c.LITERAL:
            return None
        word.append(chr(av))
    return ["".join(word)] if word else None


class _Literals:
    """A condition that is an alternation of literal words, answered by substring
    tests (far faster than a regex alternation). Case-insensitive words are ASCII
    (tested in the text's lower case) or Han characters, which have no case."""

    def __init__(self, words: list[str], ignore_case: bool) -> None:
        self.ignore_case = ignore_case
        if ignore_case:
            self.exact = tuple(w for w in words if not w.isascii())
            self.folded = tuple(dict.fromkeys(w.lower() for w in words if w.isascii()))
        else:
            self.exact, self.folded = tuple(dict.fromkeys(words)), ()

    @classmethod
    def of(cls, condition: str) -> _Literals | None:
        try:
            tree = sre_p.parse(condition)
        except re.error:
            return None
        items = list(tree)
        flags = 0
        if len(items) == 1 and items[0][0] is sre_c.SUBPATTERN and not items[0][1][2]:
            flags = items[0][1][1]
            items = list(items[0][1][3])
        if flags & ~(re.IGNORECASE | re.DOTALL | re.MULTILINE | re.UNICODE):
            return None
        words = _literal_words(items)
        if not words:
            return None
        ignore_case = bool(flags & re.IGNORECASE)
        if ignore_case and not all(
            w.isascii() or _CJK_WORD.fullmatch(w) for w in words
        ):
            return None
        return cls(words, ignore_case)

    def search(self, text: str, folded: Folded) -> bool | None:
        """Whether a word occurs; None when the test cannot be made (a folding
        character in the text)."""
        if any(w in text for w in self.exact):
            return True
        if not self.folded:
            return False
        low = folded.lower()
        if not low:
            return None
        return any(w in low for w in self.folded)


_DIGIT_RUN_COND = re.compile(r"\(\?[a-z]*:\[(?:\\d|0-9)\](?:\{(\d+)\})?\)")
_DIGITS = re.compile(r"\d+")

# The last text measured and its longest run of digits: the Chinese and the English
# pre-scan ask it of the same str object when the text is all ASCII (its own view).
_LAST_DIGIT_RUN: tuple[str | None, int] = (None, 0)


def _longest_digit_run(text: str) -> int:
    global _LAST_DIGIT_RUN
    last, longest = _LAST_DIGIT_RUN  # one tuple read: safe between threads
    if last is not text:
        longest = max(map(len, _DIGITS.findall(text)), default=0)
        _LAST_DIGIT_RUN = (text, longest)
    return longest


class PreScan:
    """Which of `recognizers` can match a text, by their derived conditions."""

    def __init__(self, recognizers: Sequence[Any]) -> None:
        self.recognizers = list(recognizers)
        self.conditions: list[str | None] = []
        # Per recognizer, a run of digits that any of its matches holds: checked
        # first against the text's longest digit run, which costs one scan.
        self.digits: list[int] = []
        for r in self.recognizers:
            pats = recognizer_patterns(r)
            self.digits.append(
                min((digits_needed(p, f) for p, f in pats), default=0) if pats else 0
            )
            if pats is None:
                self.conditions.append(None)
                continue
            conds = [necessary(p, f) for p, f in pats]
            if any(c is None for c in conds):
                self.conditions.append(None)
            else:
                self.conditions.append("|".join(dict.fromkeys(conds)))
        distinct = list(dict.fromkeys(c for c in self.conditions if c is not None))
        self._compiled = {c: re.compile(c) for c in distinct}
        # Most conditions are "k digits in a row": answered by the longest digit run,
        # measured once per text instead of one search each.
        self._digit_run = {
            c: int(m.group(1) or 1)
            for c in distinct
            if (m := _DIGIT_RUN_COND.fullmatch(c))
        }
        self._literals = {
            c: lit for c in distinct if (lit := _Literals.of(c)) is not None
        }

    def candidates(
        self,
        text: str,
        skip: frozenset[int] = frozenset(),
        gates: Mapping[int, Callable[[], bool]] | None = None,
        folded: Folded | None = None,
    ) -> list[Any]:
        """The recognizers whose patterns can match somewhere in `text` (those
        whose id is in `skip` are not asked; one whose id has a gate is asked only
        if the gate holds, and the gate, often a slow search, is evaluated only for
        a recognizer that would otherwise run)."""
        longest = _longest_digit_run(text)
        hit: dict[str, bool] = {c: longest >= k for c, k in self._digit_run.items()}
        out = []
        for r, c, k in zip(self.recognizers, self.conditions, self.digits, strict=True):
            if longest < k or id(r) in skip:
                continue
            gate = gates.get(id(r)) if gates else None
            if gate is not None and not gate():
                continue
            if c is not None:
                if c not in hit:
                    found = None
                    literals = self._literals.get(c)
                    if literals is not None:
                        if folded is None:
                            folded = Folded(text)
                        found = literals.search(text, folded)
                    if found is None:
                        found = self._compiled[c].search(text) is not None
                    hit[c] = found
                if not hit[c]:
                    continue
            out.append(r)
        return out
