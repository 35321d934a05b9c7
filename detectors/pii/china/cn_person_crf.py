"""Character-level CRF for Chinese PERSON: a second, candidate-free opinion.

The candidate model (`cn_person_model`) can only score spans that a rule, jieba's
segmentation or a surname window proposes, so a name none of them proposes (温格,
布丰, 欧阳中石 split by the segmenter) is lost before scoring. This tagger labels
every character B (first of a name), I (inside) or O from generic features - the
character and its neighbours, jieba's word boundaries and part-of-speech tags, the
surname lists, the given-name log-odds, transliteration characters, the context
words and record labels of `name_labels.tsv` - with weights fitted by
`scripts/train_cn_person.py` (python-crfsuite, L1-pruned) on the labelled training
sentences only. Its spans become candidates of the candidate model and its
probability of each candidate is one of that model's features.
"""

from __future__ import annotations

from importlib import resources
from typing import TYPE_CHECKING

from corpusgate.detectors.pii.china import segmenter

if TYPE_CHECKING:
    from corpusgate.detectors.pii.china.cn_person_recognizer import (
        CnPersonRecognizer,
    )

MODEL_FILE = "cn_person_crf.crfsuite"
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


class CharFeatures:
    """Per-character features of a text; the same code serves training and the
    detector, so the shipped weights see what they were fitted on."""

    def __init__(self, rec: CnPersonRecognizer) -> None:
        self.rec = rec
        self._freq, self._tags = segmenter.dictionary()
        self._odds = {
            c: max(-3, min(3, round(o))) for c, o in rec._given_logodds.items()
        }
        self._translit = frozenset(rec.TRANSLIT)

    def __call__(self, text: str) -> list[list[str]]:
        rec, tags = self.rec, self._tags
        n = len(text)
        word_pos = [""] * n
        word_tag = [""] * n
        word_len = [0] * n
        pos = 0
        for w in segmenter.cut(text):
            size = len(w)
            tag = tags.get(w, "oov" if size > 1 else "x")[:3]
            for k in range(size):
                if size == 1:
                    word_pos[pos + k] = "S"
                else:
                    word_pos[pos + k] = "B" if k == 0 else "E" if k == size - 1 else "M"
                word_tag[pos + k] = tag
                word_len[pos + k] = min(size, 5)
            pos += size
        left_ctx = {m.end() for m in rec._left_ctx_re.finditer(text)}
        right_ctx = {m.start() for m in rec._right_ctx_re.finditer(text)}
        roles = {m.end() for m in rec._role_re.finditer(text)}
        single, compound = rec.single, rec.compound
        odds, translit = self._odds, self._translit
        padded = "##" + text + "##"
        classes = "SS" + "".join(_class(c) for c in text) + "SS"
        out = []
        for i in range(n):
            j = i + 2
            c, left, right = padded[j], padded[j - 1], padded[j + 1]
            wp, wt = word_pos[i], word_tag[i]
            out.append(
                [
                    "c=" + c,
                    "l=" + left,
                    "r=" + right,
                    "l2=" + padded[j - 2],
                    "r2=" + padded[j + 2],
                    "lc=" + left + c,
                    "cr=" + c + right,
                    "k=" + classes[j - 1 : j + 2],
                    "wp=" + wp,
                    "wt=" + wt,
                    "wpt=" + wp + wt,
                    f"wl={word_len[i]}{wp}",
                    f"sur={int(c in single)}",
                    f"sur2={int(text[i : i + 2] in compound)}",
                    f"o={odds.get(c, 0)}",
                    f"tr={int(left in translit)}{int(c in translit)}"
                    f"{int(right in translit)}",
                    f"lx={int(i in left_ctx)}",
                    f"rx={int(i + 1 in right_ctx)}",
                    f"ro={int(i in roles)}",
                    f"lxp={int(i - 1 in left_ctx or i - 2 in left_ctx)}",
                    f"rxn={int(i + 2 in right_ctx or i + 3 in right_ctx)}",
                ]
            )
        return out


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
    """The tagger's reading of one text: its names and, for any span, the
    probability that the span is exactly one name."""

    def __init__(self, y: list[str], b: list[float], i: list[float]) -> None:
        self.spans = spans_of(y)
        self._b, self._i = b, i

    def prob(self, span: Span) -> float:
        s, e = span
        p = self._b[s]
        for k in range(s + 1, e):
            p = min(p, self._i[k])
        if e < len(self._i):
            p = min(p, 1.0 - self._i[e])
        return p


class CharTagger:
    """The fitted tagger (`model_path`, default: the shipped weights)."""

    def __init__(self, rec: CnPersonRecognizer, model_path: str | None = None):
        import pycrfsuite

        self.features = CharFeatures(rec)
        self._tagger = pycrfsuite.Tagger()
        if model_path is None:
            ref = resources.files("corpusgate.detectors.pii.data").joinpath(MODEL_FILE)
            with resources.as_file(ref) as path:
                self._tagger.open(str(path))
        else:
            self._tagger.open(model_path)

    def view(
        self,
        text: str,
        feats: list[list[str]] | None = None,
        windows: list[Span] | None = None,
    ) -> CrfView:
        """The tagger's reading of `text`, or of its `windows` only (the rest is
        read as O)."""
        if windows is None:
            windows = [(0, len(text))]
        n = len(text)
        y, b, i = ["O"] * n, [0.0] * n, [0.0] * n
        tagger = self._tagger
        for ws, we in windows:
            if feats is not None and (ws, we) == (0, n):
                tagger.set(feats)
            else:
                tagger.set(self.features(text[ws:we]))
            for k, t in enumerate(tagger.tag()):
                y[ws + k] = t
                b[ws + k] = tagger.marginal("B", k)
                i[ws + k] = tagger.marginal("I", k)
        return CrfView(y, b, i)
