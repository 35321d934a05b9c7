"""Character windows around a match: context words, look-alike labels, sentence
ends. Plain text functions, no Presidio, so the detector's module can use them
without importing Presidio (see `detector.PiiDetector.finding_types`)."""

from __future__ import annotations

import re


def first_chars(words) -> str:
    """A lookahead for the first characters of `words`, put before a pattern whose
    matches start with one of them: the regex engine then skips every other
    position at once instead of trying each alternative there (the surname
    patterns: a half to two thirds of their time on news text; alternations that
    open on a look-behind, as the sensitive-statement relations and `word_regex`
    do, four fifths). Compiled with the pattern's flags, it matches what the
    words' first characters match (case-insensitively too). Empty without words
    or when a word is empty (it would match anywhere)."""
    firsts = {w[:1] for w in words}
    if not firsts or "" in firsts:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted(firsts)) + "])"


def matches_at(pattern: re.Pattern[str], text: str, starts) -> list[re.Match[str]]:
    """What `pattern.finditer(text)` finds, for a pattern whose every match is
    non-empty and starts at one of the offsets `starts` (known from a cheaper
    search): the pattern is tried at those offsets only, in order, each after the
    end of the last match."""
    out: list[re.Match[str]] = []
    for p in sorted(set(starts)):
        if out and p < out[-1].end():
            continue  # inside the last match: finditer goes on after it
        m = pattern.match(text, p)
        if m is not None:
            out.append(m)
    return out


def word_regex(words: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One case-insensitive alternation of literal words (longest first); a Latin
    word only where it is not part of a longer one (lat in translate, tel in
    hotel, order in border are not context)."""
    if not words:
        return None
    alts = sorted({w for w in words if w}, key=len, reverse=True)
    return re.compile(
        first_chars(alts)
        + "(?:"
        + "|".join(
            rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])"
            if w[:1].isascii() and w[:1].isalpha()
            else re.escape(w)
            for w in alts
        )
        + ")",
        re.IGNORECASE,
    )


# What may stand between a look-alike marker and its number: the rest of the label
# (订单编号：, Order No. #, tracking number:), nothing else.
_LABEL_TAIL = re.compile(
    r"[\s:：#＃.()（）\-号码为是]*(?:no\.?|nr\.?|number|num|id|code)?[\s:：#＃.]*",
    re.IGNORECASE,
)


def lookalike_before(
    markers: re.Pattern[str] | None, text: str, start: int, window: int
) -> bool:
    """Whether a look-alike marker (order, tracking, 订单号...) labels the number
    starting at `start`: the marker ends within `window` characters before it and
    only the rest of a label lies between (订单已发货，请致电138... is not one)."""
    if markers is None:
        return False
    last = None
    for m in markers.finditer(text, max(0, start - window), start):
        last = m
    return (
        last is not None and _LABEL_TAIL.fullmatch(text, last.end(), start) is not None
    )


_SENTENCE_END = re.compile(r"[。！？!?；;\n]|[.](?=\s)")


def sentence_window(text: str, start: int, end: int, width: int) -> tuple[int, int]:
    """`width` characters each side of [start, end), cut at sentence ends, so that a
    context word of the next sentence does not count."""
    left = max(0, start - width)
    for m in _SENTENCE_END.finditer(text, left, start):
        left = m.end()
    right = min(len(text), end + width)
    m = _SENTENCE_END.search(text, end, right)
    if m:
        right = m.start()
    return left, right
