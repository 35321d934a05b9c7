"""PERSON in English text: a token CRF (CRFsuite) fitted on labelled newswire and
social-media sentences, shipped as a small weights file.

The training script (`scripts/train_en_person.py`) and this module share the
tokenizer and the features, so the shipped weights see at run time exactly what they
were fitted on. Features are generic: the word lower-cased, its shape (Xxxx, XX, x.),
prefixes and suffixes, whether it is a census given name, a surname or an ordinary
word that is also a name (Grace, Will), whether it opens the sentence, and the same
for the two words either side. Labels are BIO over PERSON and three other kinds
(LOC, ORG, MISC) so that the model learns that "Ford" in "Ford Motor" is not a person.

A PERSON span is a maximal run of B-PER I-PER* tokens ("Richard Milhous Nixon" is one
span); its score is the smallest marginal probability of its tokens' labels.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from typing import ClassVar

import regex
from corpusgate.detectors.pii.china.base import SpanRecognizer
from corpusgate.detectors.pii.china.cn_person_recognizer import (
    LATIN_NAME,
    load_lines,
    name_labels,
)
from corpusgate.detectors.pii.sensitive import trie_regex

MODEL_FILE = "en_person_crf.crfsuite"
LABELS = ("PER", "LOC", "ORG", "MISC")
# Letters of any Latin alphabet with apostrophes or hyphens inside (O'Neil,
# Fritz-Armstrong), numbers, or one other character. A possessive 's is a token
# of its own, as in the tokenised training text (Nixon 's).
_TOKEN = regex.compile(
    r"\p{L}[\p{L}\p{M}]*(?:(?:['’](?![sS]\b)|-)[\p{L}\p{M}]+)*"
    r"|['’][sS]\b|\d+(?:[.,:]\d+)*|[^\s]"
)
COMMON_WORDS_FILE = "en_common_words.txt"
_ENDS = frozenset(".!?")
_LETTER = regex.compile(r"\p{L}")
_NAME_LIKE = frozenset({"given", "surname", "cgiven", "unknown"})
_SENTENCE_END = frozenset(".!?:;\"'“”()[]|-—…>*#")


def tokenize(text: str) -> list[tuple[int, int, str]]:
    """(start, end, token) over `text`: words, numbers and single punctuation."""
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def _shape(w: str) -> str:
    out = []
    for c in w:
        k = "X" if c.isupper() else "x" if c.isalpha() else "d" if c.isdigit() else c
        if not out or out[-1] != k:
            out.append(k)
    return "".join(out)[:6]


class _Lexicon:
    def __init__(self) -> None:
        self.given = frozenset(w.lower() for w in load_lines("en_given_names.txt"))
        self.surnames = frozenset(w.lower() for w in load_lines("en_surnames.txt"))
        self.name_words = frozenset(w.lower() for w in load_lines("en_name_words.txt"))
        self.titles = frozenset(w.lower() for w in load_lines("en_person_titles.txt"))
        # Census frequency rank of a surname (1 = Smith): rare surnames are more
        # often ordinary words too (Black, Young, House).
        self.surname_rank = {
            w.lower(): i for i, w in enumerate(load_lines("en_census_surnames.txt"), 1)
        }
        self.census_given = frozenset(
            w.lower() for w in load_lines("en_census_given.txt")
        )
        # Words written in lower case in the training text: a capitalised word
        # that is not one of them (Szczepańska, Gelencsér) is more likely a name.
        self.common = frozenset(load_lines(COMMON_WORDS_FILE))

    @lru_cache(maxsize=65536)  # noqa: B019 - one lexicon per process, few words
    def word(self, w: str) -> tuple[str, ...]:
        """Features of a word alone (cached: words repeat)."""
        low = w.lower()
        f = [
            "w=" + low,
            "sh=" + _shape(w),
            "p3=" + low[:3],
            "p4=" + low[:4],
            "s3=" + low[-3:],
            "s4=" + low[-4:],
            "s2=" + low[-2:],
        ]
        if w[:1].isupper():
            f.append("cap")
            if w.isupper() and len(w) > 1:
                f.append("allcap")
        if low in self.given:
            f.append("given")
        if low in self.surnames:
            f.append("surname")
        if low in self.name_words:
            f.append("nameword")
        if low in self.census_given:
            f.append("cgiven")
        rank = self.surname_rank.get(low)
        if rank:
            band = "1k" if rank <= 1000 else "5k" if rank <= 5000 else "30k"
            f.append("csur=" + band)
        if low in self.titles:
            f.append("title")
        if len(w) == 1 and w.isupper():
            f.append("initial")
        if w[:1].isupper() and w.isalpha():
            f.append("known" if low in self.common else "unknown")
        return tuple(f)

    @lru_cache(maxsize=65536)  # noqa: B019
    def around(self, w: str) -> tuple[tuple[str, ...], ...]:
        """`context(w)` as its neighbours at -1, +1, -2, +2 see it (prefixed)."""
        ctx = self.context(w)
        return tuple(tuple(tag + x for x in ctx) for tag in _OFFSET_TAGS)

    def context(self, w: str) -> tuple[str, ...]:
        """The smaller set of features a word gives its neighbours."""
        low = w.lower()
        f = ["w=" + low, "sh=" + _shape(w)]
        if w[:1].isupper():
            f.append("cap")
        if low in self.given:
            f.append("given")
        if low in self.surnames or low in self.surname_rank:
            f.append("surname")
        if low in self.census_given:
            f.append("cgiven")
        if low in self.titles:
            f.append("title")
        if w[:1].isupper() and w.isalpha() and low not in self.common:
            f.append("unknown")
        return tuple(f)


@lru_cache(maxsize=1)
def lexicon() -> _Lexicon:
    return _Lexicon()


_OFFSETS = (-1, 1, -2, 2)
_OFFSET_TAGS = ("-1:", "+1:", "-2:", "+2:")
_EDGES = tuple(tag + "edge" for tag in _OFFSET_TAGS)


def features(words: list[str]) -> list[list[str]]:
    """CRFsuite attributes of each word of one sequence."""
    lex = lexicon()
    n = len(words)
    word, around_of = lex.word, lex.around
    own = [word(w) for w in words]
    around = [around_of(w) for w in words]
    low = [w.lower() for w in words]
    cap = [w[:1].isupper() for w in words]
    # The neighbours at -1, +1, -2, +2 (_OFFSETS), unrolled: this loop runs per word.
    edge_l1, edge_r1, edge_l2, edge_r2 = ((e,) for e in _EDGES)
    out = []
    for i in range(n):
        f = list(own[i])
        if not i or words[i - 1] in _SENTENCE_END:
            f.append("first")
        f += around[i - 1][0] if i >= 1 else edge_l1
        f += around[i + 1][1] if i + 1 < n else edge_r1
        f += around[i - 2][2] if i >= 2 else edge_l2
        f += around[i + 2][3] if i + 2 < n else edge_r2
        if i:
            f.append("bi=" + low[i - 1] + "|" + low[i])
            if cap[i - 1] and words[i - 1] not in _SENTENCE_END:
                f.append("prev_cap")
        if i + 1 < n:
            f.append("bi+=" + low[i] + "|" + low[i + 1])
            if cap[i + 1]:
                f.append("next_cap")
        out.append(f)
    return out


def bio(
    tokens: list[tuple[int, int, str]], spans: list[tuple[int, int, str]]
) -> list[str]:
    """BIO labels of `tokens` for entity `spans` (start, end, kind): a token belongs
    to the span that contains its start."""
    labels = ["O"] * len(tokens)
    for s, e, kind in sorted(spans):
        first = True
        for i, (ts, _, _) in enumerate(tokens):
            if s <= ts < e and labels[i] == "O":
                labels[i] = ("B-" if first else "I-") + kind
                first = False
    return labels


def person_spans(
    tokens: list[tuple[int, int, str]], labels: list[str], probs: list[float]
) -> list[tuple[int, int, float]]:
    """(start, end, score) of each B-PER I-PER* run; score = least token marginal."""
    out = []
    i, n = 0, len(labels)
    while i < n:
        if labels[i] in ("B-PER", "I-PER"):
            j = i + 1
            while j < n and labels[j] == "I-PER":
                j += 1
            out.append((tokens[i][0], tokens[j - 1][1], min(probs[i:j])))
            i = j
        else:
            i += 1
    return out


class EnglishPersonCrfRecognizer(SpanRecognizer):
    """PERSON from the shipped English CRF, on a Latin view of the text (same
    offsets). Runs only where a capitalised word can be a name."""

    ENTITY = "PERSON"
    LANGUAGE = "en"
    # A span shorter than this marginal is not reported at all.
    MIN_SCORE: ClassVar[float] = 0.3
    # A capitalised name right after a record label scores base + weight * the
    # model's PER marginal of its first word: a form field (Account holder:,
    # Consignee:) makes a name likely; a label without a colon (Driver, Justice)
    # may start a title or an organisation (Justice Department), so there the
    # model must agree.
    LABEL_FIELD: ClassVar[tuple[float, float]] = (0.6, 0.4)
    LABEL_RUNNING: ClassVar[tuple[float, float]] = (0.3, 0.7)
    # A one-word name that is also an ordinary word or a place (Grace, Will,
    # Victoria: data/en_name_words.txt) is reported below 0.5 at most.
    NAME_WORD_CAP: ClassVar[float] = 0.45
    # Common street words: a span ending in one is a street (Mitchell Street).
    STREET_WORDS: ClassVar[frozenset[str]] = frozenset(
        "street st avenue ave road rd boulevard blvd lane ln drive dr way court ct"
        " place pl square terrace highway hwy parkway pkwy".split()
    )

    def load(self) -> None:
        import pycrfsuite

        self._tagger = pycrfsuite.Tagger()
        ref = resources.files("corpusgate.detectors.pii.data").joinpath(MODEL_FILE)
        with resources.as_file(ref) as path:
            self._tagger.open(str(path))
        lexicon()
        self._suffixes = frozenset(
            w.lower() for w in load_lines("en_street_suffixes.txt")
        )
        labels = sorted(name_labels()["en"], key=len, reverse=True)
        titles = "|".join(sorted(lexicon().titles, key=len, reverse=True))
        # Label, optional colon, optional title (Mr., Dr), then the name.
        self._label_re = regex.compile(
            r"(?<![\p{L}])(?i:"
            + trie_regex([w.lower() for w in labels])
            + r")[ \t]*(?P<colon>[:：]?)[ \t]*(?:(?i:"
            + titles
            + r")\.?[ \t]+)?(?P<n>"
            + LATIN_NAME
            + ")"
        )
        self.is_loaded = True

    def spans(self, text: str) -> list[tuple[int, int, float]]:
        tokens = tokenize(text)
        if not tokens:
            return []
        words = [t for _, _, t in tokens]
        tagger = self._tagger
        labelled = {}  # token index of a name after a record label -> colon?
        index: dict[int, int] | None = None  # token start -> token index
        for m in self._label_re.finditer(text):
            s = m.start("n")
            if index is None:
                index = {t[0]: k for k, t in reversed(list(enumerate(tokens)))}
            i = index.get(s)
            if i is not None:
                labelled[i] = (s, m.end("n"), bool(m.group("colon")))
        found: list[tuple[int, int, float]] = []
        # Sentence by sentence, as the model was fitted; a sentence with no word
        # that can be a name is not tagged at all.
        for a, b in self._sentences(words, tokens):
            if not self._may_hold_a_name(words, a, b):
                continue
            labels = tagger.tag(features(words[a:b]))
            # Marginals only where a name is: each call walks the lattice.
            probs = [
                tagger.marginal(y, i) if y.endswith("PER") else 0.0
                for i, y in enumerate(labels)
            ]
            found += [
                sp
                for sp in person_spans(tokens[a:b], labels, probs)
                if not self._street(tokens, sp)
            ]
            for i in range(a, b):
                if i in labelled:
                    s, e, colon = labelled[i]
                    p = max(
                        tagger.marginal("B-PER", i - a), tagger.marginal("I-PER", i - a)
                    )
                    base, weight = self.LABEL_FIELD if colon else self.LABEL_RUNNING
                    found.append((s, e, base + weight * p))
        name_words = lexicon().name_words
        out = []
        for s, e, p in found:
            one_word = " " not in text[s:e]
            if one_word and (
                text[s:e].lower() in name_words or self._isolated(text, s, e)
            ):
                p = min(p, self.NAME_WORD_CAP)
            out.append((s, e, p))
        return out

    @staticmethod
    def _isolated(text: str, s: int, e: int) -> bool:
        """One Latin word with blanked text (Chinese, in the Latin view) right
        beside it and no Latin word near (Swift, Gmail or Caspase in Chinese
        text): the model has no context to read, so it is not reported as a name
        on its own. A word between punctuation in English (Bowling : Doull 8-1)
        keeps its score."""
        blanked = text[max(0, s - 2) : s] == "  " or text[e : e + 3].lstrip(
            ",.;:!?"
        ).startswith("  ")
        return blanked and not (
            _LETTER.search(text, max(0, s - 3), s) or _LETTER.search(text, e, e + 3)
        )

    def _sentences(
        self, words: list[str], tokens: list[tuple[int, int, str]]
    ) -> list[tuple[int, int]]:
        """(start, end) token ranges cut after . ! ? (not after a title or an
        initial: Dr. Smith, J. R. Smith) and where other text lies between two
        words (blanked Chinese in the Latin view: Aicar则具有…TFPI is no name)."""
        titles = lexicon().titles
        out, a = [], 0
        for i, w in enumerate(words):
            if i > a and tokens[i][0] - tokens[i - 1][1] > 2:
                out.append((a, i))
                a = i
            if w in _ENDS and i > a:
                prev = words[i - 1]
                if w == "." and (len(prev) == 1 or prev.lower() in titles):
                    continue
                out.append((a, i + 1))
                a = i + 1
        if a < len(words):
            out.append((a, len(words)))
        return out

    @staticmethod
    def _may_hold_a_name(words: list[str], a: int, b: int) -> bool:
        """A capitalised word of two letters or more after the first word, or a
        first word that is a known name or no known word (Smith said...)."""
        for i in range(a, b):
            w = words[i]
            if w[:1].isupper() and len(w) > 1:
                if i > a and words[i - 1] not in _SENTENCE_END:
                    return True
                if _NAME_LIKE.intersection(lexicon().word(w)):
                    return True
        return False

    def _street(self, tokens: list, span: tuple[int, int, float]) -> bool:
        """The span is a street name: it ends in a street word (Mitchell Street),
        or a house number comes before it and a street suffix ends it or follows
        it (98471 Justin Pines). The address recognizer reports those."""
        s, e, _ = span
        i = next(k for k, t in enumerate(tokens) if t[0] == s)
        j = next(k for k, t in enumerate(tokens) if t[1] == e)
        last = tokens[j][2].lower()
        if last in self.STREET_WORDS:
            return True
        after = tokens[j + 1][2].lower() if j + 1 < len(tokens) else ""
        number_before = i > 0 and tokens[i - 1][2].isdigit()
        return number_before and (last in self._suffixes or after in self._suffixes)

    def analyze(self, text, entities, nlp_artifacts=None):  # noqa: D102
        return [
            self.result(s, e, round(p, 4))
            for s, e, p in self.spans(text)
            if p >= self.MIN_SCORE
        ]
