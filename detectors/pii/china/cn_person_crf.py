"""Character-level CRF for Chinese PERSON: a second, candidate-free opinion.

The candidate model (`cn_person_model`) can only score spans that a rule, jieba's
segmentation or a surname window proposes, so a name none of them proposes (温格,
布丰, 欧阳中石 split by the segmenter) is lost before scoring. This tagger labels
characters B (first of a name), I (inside) or O from generic attributes - the
character and its neighbours, jieba's word boundaries and part-of-speech tags, the
surname lists, the given-name log-odds, transliteration characters, the context
words and record labels of `name_labels.tsv`, a subset of them chosen when it is
fitted - with weights fitted by `scripts/train_cn_person.py` (python-crfsuite,
L1-pruned) on the labelled training sentences only. It reads all of a text with
Chinese in it or only windows (see `PersonCandidateModel.crf_windows`); its spans
become candidates of the candidate model and its probability of each candidate is one
of that model's features. Reading costs a few microseconds per character (the
attributes, crfsuite's set-up and tagging), which is why the shipped weights do not
use it (docs/detectors/pii.md).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from importlib import resources
from itertools import accumulate
from typing import TYPE_CHECKING

from corpusgate.detectors.pii.china import segmenter

if TYPE_CHECKING:
    from corpusgate.detectors.pii.china.cn_person_recognizer import (
        CnPersonRecognizer,
    )

MODEL_FILE = "cn_person_crf.crfsuite"
_HAN_RE = re.compile("[\u4e00-\u9fff]")
Span = tuple[int, int]


def _class(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "H"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c.isspace():
        return "S"
    return "P"


class _Memo(dict):
    """Per-character values computed once per process (`make(c)`), then looked up."""

    def __init__(self, make) -> None:
        super().__init__()
        self._make = make

    def __missing__(self, c: str) -> str:
        value = self[c] = self._make(c)
        return value


# The attribute templates, by name: the character and its neighbours (c, l, r, l2,
# r2), character pairs (lc, cr), character classes of the three (k), jieba's word
# position, tag and length (wp, wt, wpt, wl), the surname lists (sur, sur2), the
# given-name log-odds (o), transliteration characters (tr), record labels and context
# words (lx, rx, ro, lxp, rxn).
ALL_TEMPLATES = (
    "c l r l2 r2 lc cr k wp wt wpt wl sur sur2 o tr lx rx ro lxp rxn".split()
)
# The templates the L1-pruned model fitted on all of them gives most weight to
# (train_cn_person.py --crf-c1: the character n-grams carry over nine tenths of
# it): each costs time per character read.
DEFAULT_TEMPLATES = tuple("c l r l2 r2 lc cr k wpt o tr".split())


class CharFeatures:
    """Per-character attributes of a text; the same code serves training and the
    detector, so the shipped weights see what they were fitted on. Built column by
    column from strings made once per character, not formatted per position."""

    def __init__(
        self, rec: CnPersonRecognizer, templates: tuple[str, ...] = DEFAULT_TEMPLATES
    ) -> None:
        unknown = set(templates) - set(ALL_TEMPLATES)
        if unknown:
            raise ValueError(f"unknown CRF templates: {sorted(unknown)}")
        self.rec = rec
        self.templates = tuple(t for t in ALL_TEMPLATES if t in templates)
        self._freq, self._tags = segmenter.dictionary()
        odds = {c: max(-3, min(3, round(o))) for c, o in rec._given_logodds.items()}
        translit = frozenset(rec.TRANSLIT)
        single = rec.single
        self._class = _Memo(_class)
        self._memo = {
            "c": _Memo(lambda c: "c=" + c),
            "l": _Memo(lambda c: "l=" + c),
            "r": _Memo(lambda c: "r=" + c),
            "l2": _Memo(lambda c: "l2=" + c),
            "r2": _Memo(lambda c: "r2=" + c),
            "sur": _Memo(lambda c: f"sur={int(c in single)}"),
            "o": _Memo(lambda c: f"o={odds.get(c, 0)}"),
            "tr": _Memo(lambda c: str(int(c in translit))),
        }
        self._word = _Memo(self._word_attributes)
        self._needs_words = bool({"wp", "wt", "wpt", "wl"} & set(self.templates))
        self._builders = self._columns()

    def _word_attributes(self, w: str) -> tuple[list[str], ...]:
        """wp, wt, wpt, wl of each character of the word `w`."""
        size = len(w)
        tag = self._tags.get(w, "oov" if size > 1 else "x")[:3]
        pos = ["S"] if size == 1 else ["B", *["M"] * (size - 2), "E"]
        return (
            ["wp=" + p for p in pos],
            ["wt=" + tag] * size,
            ["wpt=" + p + tag for p in pos],
            [f"wl={min(size, 5)}{p}" for p in pos],
        )

    def _columns(self) -> list:
        """The column builders of the chosen templates, in ALL_TEMPLATES order;
        each takes (text, padded text, words) and gives one attribute per
        character."""
        memo, templates, out = self._memo, self.templates, []
        for t, lo in (("c", 2), ("l", 1), ("r", 3), ("l2", 0), ("r2", 4)):
            if t in templates:
                get = memo[t].__getitem__
                out.append(
                    lambda text, padded, words, get=get, lo=lo: list(
                        map(get, padded[lo : lo + len(text)])
                    )
                )
        if "lc" in templates:
            out.append(
                lambda text, padded, words: [
                    f"lc={padded[j : j + 2]}" for j in range(1, len(text) + 1)
                ]
            )
        if "cr" in templates:
            out.append(
                lambda text, padded, words: [
                    f"cr={padded[j : j + 2]}" for j in range(2, len(text) + 2)
                ]
            )
        if "k" in templates:
            out.append(self._classes)
        for k, t in enumerate(("wp", "wt", "wpt", "wl")):
            if t in templates:
                out.append(lambda text, padded, words, k=k: self._word_column(words, k))
        if "sur" in templates:
            get = memo["sur"].__getitem__
            out.append(lambda text, padded, words, get=get: list(map(get, text)))
        if "sur2" in templates:
            compound = self.rec.compound
            out.append(
                lambda text, padded, words: [
                    f"sur2={int(text[i : i + 2] in compound)}" for i in range(len(text))
                ]
            )
        if "o" in templates:
            get = memo["o"].__getitem__
            out.append(lambda text, padded, words, get=get: list(map(get, text)))
        if "tr" in templates:
            get = memo["tr"].__getitem__
            out.append(
                lambda text, padded, words, get=get: [
                    f"tr={t01[i : i + 3]}"
                    for t01 in ["0" + "".join(map(get, text)) + "0"]
                    for i in range(len(text))
                ]
            )
        if {"lx", "rx", "ro", "lxp", "rxn"} & set(templates):
            out.append(None)  # the context columns, several at once
        return out

    def _classes(self, text: str, padded: str, words) -> list[str]:
        classes = "SS" + "".join(map(self._class.__getitem__, text)) + "SS"
        return [f"k={classes[j : j + 3]}" for j in range(1, len(text) + 1)]

    def _word_column(self, words: list[str], k: int) -> list[str]:
        col: list[str] = []
        word = self._word.__getitem__
        for w in words:
            col += word(w)[k]
        return col

    def __call__(self, text: str, words: list[str] | None = None) -> list[tuple]:
        """One attribute tuple per character of `text`; `words` is jieba's cut of
        `text` when the caller made it already."""
        if not text:
            return []
        if words is None and self._needs_words:
            words = segmenter.cut(text)
        padded = "##" + text + "##"
        cols: list = []
        for build in self._builders:
            if build is None:
                cols += self._context(text, self.templates)
            else:
                cols.append(build(text, padded, words))
        return list(zip(*cols, strict=True))

    def _context(self, text: str, templates: tuple[str, ...]) -> list[list[str]]:
        rec, n = self.rec, len(text)
        left_ctx = {m.end() for m in rec._left_ctx_re.finditer(text)}
        right_ctx = {m.start() for m in rec._right_ctx_re.finditer(text)}
        roles = {m.end() for m in rec._role_re.finditer(text)}
        tests = {
            "lx": lambda i: i in left_ctx,
            "rx": lambda i: i + 1 in right_ctx,
            "ro": lambda i: i in roles,
            "lxp": lambda i: i - 1 in left_ctx or i - 2 in left_ctx,
            "rxn": lambda i: i + 2 in right_ctx or i + 3 in right_ctx,
        }
        return [
            [f"{t}={int(test(i))}" for i in range(n)]
            for t, test in tests.items()
            if t in templates
        ]


def labels(n: int, spans: list[Span]) -> list[str]:
    """B/I/O labels of `n` characters with the names at `spans`."""
    y = ["O"] * n
    for s, e in spans:
        y[s] = "B"
        for k in range(s + 1, e):
            y[k] = "I"
    return y


def spans_of(y: list[str]) -> list[Span]:
    """The names of a B/I/O label sequence (an I without a B opens a name)."""
    out: list[Span] = []
    start = None
    for i, t in enumerate([*y, "O"]):
        if t != "I" or start is None:
            if start is not None:
                out.append((start, i))
                start = None
            if t != "O":
                start = i
    return out


class CrfView:
    """The tagger's reading of one text: its names and, for any span whose
    characters' marginals were computed, the probability that the span is exactly
    one name (characters not read count as O)."""

    def __init__(
        self,
        spans: list[Span],
        b: dict[int, float],
        i: dict[int, float],
        n: int,
    ) -> None:
        self.spans = spans
        self._b, self._i, self._n = b, i, n

    @classmethod
    def from_labels(cls, y: list[str], b: list[float], i: list[float]) -> CrfView:
        return cls(spans_of(y), dict(enumerate(b)), dict(enumerate(i)), len(y))

    def prob(self, span: Span) -> float:
        s, e = span
        b, i = self._b, self._i
        p = b.get(s, 0.0)
        for k in range(s + 1, e):
            p = min(p, i.get(k, 0.0))
        if e < self._n:
            p = min(p, 1.0 - i.get(e, 0.0))
        return p


def _positions(spans, lo: int, hi: int) -> tuple[set[int], set[int]]:
    """The characters in [lo, hi) whose B and whose I marginals `CrfView.prob`
    reads for `spans`: B at each span's start, I at its other characters and the
    one after it."""
    at_b: set[int] = set()
    at_i: set[int] = set()
    for s, e in spans:
        if s < hi and e >= lo:
            if lo <= s:
                at_b.add(s)
            at_i.update(range(max(s + 1, lo), min(e + 1, hi)))
    return at_b, at_i


def _clip(
    words: list[str], ws: int, we: int, ends: list[int] | None = None
) -> list[str]:
    """The words of text[ws:we] in a cut of the whole text (a word the window's
    edge cuts is cut there too); `ends` are the words' end offsets when the caller
    has them."""
    if ends is None:
        ends = list(accumulate(map(len, words)))
    if ws == 0 and we == (ends[-1] if ends else 0):
        return words
    out = []
    k = bisect_right(ends, ws)  # the first word ending after ws
    while k < len(words):
        w = words[k]
        pos = ends[k] - len(w)
        if pos >= we:
            break
        out.append(w[max(ws - pos, 0) : min(we, ends[k]) - pos])
        k += 1
    return out


class CharTagger:
    """The fitted tagger (`model_path`, default: the shipped weights, `model_file` of
    the package's data) reading with the attribute `templates` it was fitted with."""

    def __init__(
        self,
        rec: CnPersonRecognizer,
        model_path: str | None = None,
        templates: tuple[str, ...] | None = None,
        model_file: str | None = None,
    ):
        import pycrfsuite

        self.features = CharFeatures(rec, templates or DEFAULT_TEMPLATES)
        self._tagger = pycrfsuite.Tagger()
        if model_path is None:
            ref = resources.files("corpusgate.detectors.pii.data").joinpath(
                model_file or MODEL_FILE
            )
            with resources.as_file(ref) as path:
                self._tagger.open(str(path))
        else:
            self._tagger.open(model_path)

    def view(
        self,
        text: str,
        windows: list[Span] | None = None,
        words: list[str] | None = None,
        wanted: Iterable[Span] | None = None,
    ) -> CrfView:
        """The tagger's reading of `text`, or of its `windows` only (the rest is
        read as O); `words` is jieba's cut of the whole text when the caller has
        it (a window reads it clipped to its edges). The marginals are computed
        for the tagger's own names and the spans `wanted` (the other candidates),
        or for every character when None (what training needs); a text without
        Chinese characters is not read."""
        n = len(text)
        if windows is None:
            windows = [(0, n)] if _HAN_RE.search(text) else []
        spans: list[Span] = []
        b: dict[int, float] = {}
        i: dict[int, float] = {}
        tagger = self._tagger
        wanted = None if wanted is None else list(wanted)
        if windows and words is None:
            words = segmenter.cut(text)
        ends = list(accumulate(map(len, words))) if windows else []
        marginal = tagger.marginal
        for ws, we in windows:
            tagger.set(self.features(text[ws:we], _clip(words, ws, we, ends)))
            found = [(ws + s, ws + e) for s, e in spans_of(tagger.tag())]
            spans += found
            if wanted is None:
                at_b: Iterable[int] = range(ws, we)
                at_i: Iterable[int] = at_b
            else:
                at_b, at_i = _positions(found + wanted, ws, we)
            for k in at_b:
                b[k] = marginal("B", k - ws)
            for k in at_i:
                i[k] = marginal("I", k - ws)
        return CrfView(spans, b, i, n)
