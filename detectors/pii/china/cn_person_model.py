"""Second stage for Chinese PERSON: candidate spans rescored by a linear model.

The rules of `CnPersonRecognizer` decide well when a context word announces a
name (收件人王健) but must guess everywhere else: is 李建新 a name or 李 + 建新?
This stage gathers candidate spans from every weak source - the rules at any
score, jieba's person words (nr, nrt, nrfg), words of jieba's HMM that start with
a surname, surname-initial windows of two and three characters, transliteration
runs (Latin-script names are the English name model's), the names of a list of
well-known people (`data/cn_well_known_people.txt`) - describes each by generic
features (its length, the rule score, the jieba tag, whether it aligns with
jieba's word boundaries, the given-name log-odds, the characters and words on
either side, context and role words, book-title brackets) and scores it with a
logistic regression whose weights ship as data (`data/cn_person_model.json`,
fitted by `scripts/train_cn_person.py` on the labelled training sentences of
CLUENER 2020, Weibo NER and ResumeNER). Overlapping candidates are resolved by
keeping the names of most total confidence.

Scoring is a sparse dot product in pure Python: no scikit-learn at run time.
"""

from __future__ import annotations

import bisect
import json
import math
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from itertools import accumulate
from typing import TYPE_CHECKING, ClassVar

from corpusgate.detectors.pii.china.cn_person_recognizer import (
    _PLACE_LAST,
    _STOP,
    LIST_JOINERS,
    MIDDLE_DOTS,
    NEVER_LAST,
)
from corpusgate.detectors.spans import DisjointSpans, SpanIndex

if TYPE_CHECKING:
    from corpusgate.detectors.pii.china.cn_person_crf import CharTagger, CrfView
    from corpusgate.detectors.pii.china.cn_person_recognizer import (
        CnPersonRecognizer,
    )

MODEL_FILE = "cn_person_model.json"
# The same stage stacked with the character CRF reading all Chinese text (the
# `zh_person_crf` option): more names found, about twice the time on Chinese text.
MODEL_CRF_FILE = "cn_person_model_crf.json"
# Well-known people as Chinese text writes them (温家宝, 希特勒, 梅西): a candidate
# source, and its src=known feature (see `well_known_people`).
KNOWN_FILE = "cn_well_known_people.txt"
_CJK_RE = re.compile("[\u4e00-\u9fff]")
_CJK_ONLY_RE = re.compile("[\u4e00-\u9fff]+")
_PUNCT = set('，,。.;；:：、！!？?（()）"“”「」『』《》【】[]·—-…～~/ ')

Span = tuple[int, int]
# Only a confident name is read the same way wherever it recurs: in a long
# document (a law of 10,000 characters) one weak false name would otherwise
# return at every occurrence (本基|金, 应依).
PROPAGATE_MIN = 0.75
# A given name alone stands for a name found elsewhere in the document (范冰冰 ...
# 冰冰的鞋跟, 陆雪琪 ... 雪琪劝鬼厉) only when that name is near certain, and only a
# given name of two characters that is no common word of the dictionary: 建国,
# 珍珠, 石英 (of the mineral 柯石英) are read as the word. Of the two-character given
# names of the training sentences' three-character names, 6% reach that frequency.
ALIAS_MIN = 0.9
ALIAS_MAX_FREQ = 300
# A listed well-known name that nothing around it makes a thing is reported at this
# score at least, unless the model puts it below KNOWN_FLOOR_MIN: the linear model
# weighs the listing against features fitted on names of private people (a frequent
# dictionary word, a rare given-name character: 鲁迅 0.26, 孙中山 0.16 in plain
# clauses). Of 50 such listed spans below 0.5 in the sample corpora (news, web,
# traditional Chinese), 40 name the person; the 10 others are a unit, an eponym, a
# firm, a school and pieces of longer names or words, which the checks of
# `_plainly_known` leave out in part.
KNOWN_FLOOR = 0.55
KNOWN_FLOOR_MIN = 0.1
_UNIT_SLASHES = frozenset("/／")


# Above this many words to find, `_occurrences` reads the text once instead of
# searching it once per word (a list of thousands of names).
_FIND_EACH_MAX = 16


def _occurrences(text: str, words: Mapping[str, object]) -> list[tuple[int, str]]:
    """(offset, word) of every occurrence of the two-character `words` in `text`,
    overlapping ones too, by offset."""
    if len(words) <= _FIND_EACH_MAX:
        out = []
        for word in words:
            at = text.find(word)
            while at != -1:
                out.append((at, word))
                at = text.find(word, at + 1)
        return sorted(out)
    return [
        (i, text[i : i + 2]) for i in range(len(text) - 1) if text[i : i + 2] in words
    ]


def _char_class(c: str) -> str:
    if not c:
        return "edge"
    if "\u4e00" <= c <= "\u9fff":
        return "cjk"
    if c.isdigit():
        return "digit"
    if c.isascii() and c.isalpha():
        return "latin"
    if c in _PUNCT or c.isspace():
        return "punct"
    return "other"


def _offset(p: float, offset: float) -> float:
    """The probability `p` with `offset` taken off its log-odds."""
    return 1.0 / (1.0 + math.exp(offset - math.log(p / (1.0 - p))))


def _bucket(x: float, edges: tuple[float, ...]) -> int:
    """How many of the ascending `edges` are <= x."""
    return bisect.bisect_right(edges, x)


@lru_cache(maxsize=2)
def load_weights(crf: bool = False) -> dict:
    """The shipped weights: the candidate model alone, or with `crf` the one
    fitted on the character CRF's readings (it names the CRF's own file)."""
    text = (
        resources.files("corpusgate.detectors.pii.data")
        .joinpath(MODEL_CRF_FILE if crf else MODEL_FILE)
        .read_text("utf-8")
    )
    return json.loads(text)


@lru_cache(maxsize=1)
def well_known_people() -> frozenset[str]:
    """The names of data/cn_well_known_people.txt. Famous people are the names
    text most often writes with no context word (国务院总理温家宝 aside, 让希特勒
    萌生), and a transliterated surname alone (普京, 默克尔) looks like any other
    run of transliteration characters: the list tells the model what the
    characters cannot."""
    text = (
        resources.files("corpusgate.detectors.pii.data")
        .joinpath(KNOWN_FILE)
        .read_text("utf-8")
    )
    return frozenset(
        w
        for line in text.splitlines()
        if not line.startswith("#")
        for w in line.split()
    )


def joined_at_dots(
    text: str, taken: list[tuple[Span, float]]
) -> list[tuple[Span, float]]:
    """Two spans that only a middle dot parts are the parts of one name
    (帕特里西奥·朱斯托): the model scores each part and the whole alone, and two
    sure parts can outweigh the whole in `_best_names`. The whole takes the surer
    part's probability."""
    out: list[tuple[Span, float]] = []
    for span, p in sorted(taken):
        if out:
            (s0, e0), p0 = out[-1]
            if span[0] == e0 + 1 and text[e0] in MIDDLE_DOTS and max(p0, p) >= 0.5:
                out[-1] = ((s0, span[1]), max(p0, p))
                continue
        out.append((span, p))
    return out


class PersonCandidateModel:
    """Candidates, features and scores; `weights` is the fitted model (a dict with
    `bias`, `weights` feature -> weight and `version`), None while training."""

    def __init__(
        self,
        rec: CnPersonRecognizer,
        weights: dict | None = None,
        tagger: CharTagger | None = None,
    ) -> None:
        """`tagger` is the character CRF whose names are candidates too and whose
        probability of each candidate is a feature (weights fitted with it need
        it)."""
        self.rec = rec
        self._w = (weights or {}).get("weights", {})
        # The fitted intercept less the weights' real-text offset (sentences drawn
        # for their entities make the model too ready to see a name in plain text:
        # scripts/train_cn_person.py, REAL_TEXT_OFFSET). The offset moves the
        # scores reported, not the model support the rule floors ask for: those
        # thresholds were chosen on the fitted model and are moved with it.
        offset = (weights or {}).get("real_text_offset", 0.0)
        self._bias = (weights or {}).get("bias", 0.0) - offset
        self._anchor_min_p = _offset(self.ANCHOR_MIN_P, offset)
        self._known_floor_min = _offset(KNOWN_FLOOR_MIN, offset)
        self._announced_min = _offset(self.ANNOUNCED_MIN, offset)
        # jieba person words that the labelled training sentences use often and
        # never as a name (盖章, 周知, 陈列 are tagged nr), listed with the weights.
        self.common_words = frozenset((weights or {}).get("common_words", ()))
        self.tagger = tagger
        self.known = well_known_people()
        # First two characters -> the lengths of the listed names they start (one
        # dictionary miss per window word almost everywhere).
        self._known_lens = self._lengths_by_prefix(self.known)
        # The listed names at which the surname windows do not open (普京: 京 is
        # no given-name character; 温家宝 opens one).
        self._unwindowed = frozenset(
            w
            for w in self.known
            if not (rec._surname_len(w) and rec._starts_name(w, 0))
        )
        crf = (weights or {}).get("crf") or {}
        # Where the character CRF reads (see `crf_windows`): "text", "segmenter" or
        # "candidates" (older weights: a flag, true for the segmenter's windows).
        reads = crf.get("reads") or ("segmenter" if crf.get("windows") else "text")
        if reads not in self.CRF_READS:
            raise ValueError(f"unknown CRF reading {reads!r}")
        self.crf_reads = reads
        self.crf_pad = int(crf.get("pad", self.CRF_PAD))
        # jieba's cut of the last text `word_windows` read (the CRF reuses it).
        self._last_cut: tuple[str, list[str]] = ("", [])

    # -- candidates ------------------------------------------------------------
    def tokens(self, text: str) -> list[tuple[int, int, str]]:
        """jieba's words in the windows the rules segment - around surname
        characters that may start a name and context words - and around
        transliteration runs. Text far from any of these holds no candidate."""
        n = len(text)
        runs = [(max(0, s - 4), min(n, e + 4)) for s, e in self.rec.translit_runs(text)]
        return self.rec.window_tokens(text, extra=runs + self.word_windows(text))

    # A particle, preposition or conjunction inside an HMM word (杨|以, 凤之灵,
    # 毛之虫) makes it a phrase, not a name.
    _PARTICLE_TAGS = frozenset(("u", "uj", "ul", "ud", "uz", "uv", "p", "c"))

    @staticmethod
    def _lengths_by_prefix(names: Iterable[str]) -> dict[str, list[int]]:
        lens: dict[str, set[int]] = {}
        for w in names:
            lens.setdefault(w[:2], set()).add(len(w))
        return {p: sorted(n, reverse=True) for p, n in lens.items()}

    def known_ends(self, text: str, start: int) -> list[int]:
        """Ends of the listed well-known names that start at `start` of `text`."""
        lens = self._known_lens.get(text[start : start + 2])
        if not lens:
            return []
        known = self.known
        return [start + k for k in lens if text[start : start + k] in known]

    def word_windows(self, text: str) -> list[Span]:
        """Windows around the surname-initial words of jieba's reading of the
        whole text that its dictionary lacks (its HMM joined them: 周迅, 张展,
        沈一宝): the surname windows open only where the character after a
        surname is name-like or a person word of the dictionary starts, and 迅,
        展, 一 are rarely name-like. One cut of the whole text costs about a tenth
        of the name stage. A word that is a listed well-known name at which the
        surname windows do not open opens one too (普京; 希特勒 is a run of
        transliteration characters, which opens its own)."""
        rec = self.rec
        freq, tags, firsts = rec._freq, rec._tags, rec.surname_firsts
        left, right = rec.WINDOW_LEFT, rec.WINDOW_RIGHT
        unwindowed = self._unwindowed
        words = rec._cut(text)
        self._last_cut = (text, words)
        # The cheap tests first, on every word; offsets only for the few left.
        picked = [
            k
            for k, word in enumerate(words)
            if word in unwindowed or (word[0] in firsts and not freq.get(word))
        ]
        if not picked:
            return []
        starts = list(accumulate(map(len, words), initial=0))
        n, out = len(text), []
        for k in picked:
            word, start = words[k], starts[k]
            if word in unwindowed:
                out.append((max(0, start - left), min(n, starts[k + 1] + right)))
            elif (
                2 <= len(word) <= 4
                and rec._surname_len(word)
                and _CJK_ONLY_RE.fullmatch(word)
                and not any(tags.get(c) in self._PARTICLE_TAGS for c in word[1:])
            ):
                out.append((max(0, start - left), min(n, start + right)))
        return out

    # Characters added to either side of a window for the character CRF (unless
    # the weights say otherwise).
    CRF_PAD = 4
    CRF_READS = ("text", "segmenter", "candidates")

    def crf_windows(self, text: str, cands: Iterable[Span] = ()) -> list[Span] | None:
        """Where the character CRF reads (None: all of `text`): the segmenter's
        windows, or the candidate spans `cands`, widened by `crf_pad` and merged."""
        if self.crf_reads == "text":
            return None
        n = len(text)
        if self.crf_reads == "segmenter":
            runs = [
                (max(0, s - 4), min(n, e + 4)) for s, e in self.rec.translit_runs(text)
            ]
            spans = self.rec._windows(text, extra=runs)[0]
        else:
            spans = sorted(cands)
        out: list[Span] = []
        for s, e in spans:
            s, e = max(0, s - self.crf_pad), min(n, e + self.crf_pad)
            if out and s <= out[-1][1]:
                out[-1] = (out[-1][0], max(e, out[-1][1]))
            else:
                out.append((s, e))
        return out

    def crf_view(self, text: str, cands: Iterable[Span], wanted=None) -> CrfView:
        """The character CRF's reading of `text` (the tagger must be set), with
        the marginals of the spans `wanted` (None: of every character read)."""
        assert self.tagger is not None
        cut_text, words = self._last_cut
        return self.tagger.view(
            text,
            windows=self.crf_windows(text, cands),
            words=words if cut_text == text else None,
            wanted=wanted,
        )

    def candidates(
        self,
        text: str,
        rule_scores: dict[Span, float],
        tokens: list,
        runs: list[Span] | None = None,
    ) -> dict[Span, set[str]]:
        """Candidate spans and their sources; `runs` are the transliteration runs
        of `text` when the caller has them already."""
        rec = self.rec
        if runs is None:
            runs = rec.translit_runs(text)
        cands: dict[Span, set[str]] = {}

        def put(span: Span, source: str) -> None:
            cands.setdefault(span, set()).add(source)

        for span in rule_scores:
            put(span, "rule")
        tags = rec._tags
        for s, e, word in tokens:
            tag = tags.get(word)
            if tag in ("nr", "nrt", "nrfg") and 2 <= e - s <= 6:
                put((s, e), "jieba_" + tag)
            elif tag is None and 2 <= e - s <= 4 and _CJK_RE.match(word):
                if rec._surname_len(word):  # a word of jieba's HMM: 倪以理
                    put((s, e), "oov_surname")
        # Surname-initial spans of two and three characters that start a word of
        # the segmentation (李|建新 gives 李建新), or the second character of a
        # word the HMM made of a function character and a surname (请马|红梅,
        # 由王|秀英: no dictionary word).
        firsts = rec.surname_firsts
        freq = rec._freq
        for s, _, word in tokens:
            if (
                len(word) == 2
                and word[0] in _STOP
                and word[1] in firsts
                and word not in freq
            ):
                s += 1
            elif word[0] not in firsts:
                continue  # no surname starts here (the cheap test first)
            sl = rec._surname_len(text[s : s + 3]) if _CJK_RE.match(word) else 0
            if not sl:
                continue
            for gl in (1, 2):
                given = text[s + sl : s + sl + gl]
                if len(given) == gl and rec._given_ok(given):  # (CJK only)
                    put((s, s + sl + gl), "window")
        for run in runs:
            if run[1] - run[0] >= 2:
                put(run, "translit")
        # Listed well-known names that start a word of the segmentation.
        known_lens = self._known_lens
        for s, _, _ in tokens:
            if text[s : s + 2] in known_lens:
                for e in self.known_ends(text, s):
                    put((s, e), "known")
        return cands

    # -- features --------------------------------------------------------------
    def features(
        self,
        text: str,
        span: Span,
        sources: set[str],
        rule_score: float,
        starts: dict[int, str],
        ends: dict[int, str],
        title_depth: list[int],
    ) -> list[tuple[str, float]]:
        rec = self.rec
        s, e = span
        word = text[s:e]
        n = e - s
        left = text[s - 1] if s else ""
        right = text[e] if e < len(text) else ""
        cjk = _CJK_ONLY_RE.fullmatch(word) is not None
        sl = rec._surname_len(word) if cjk else 0
        given = word[sl:] if sl else ""
        odds = rec.given_name_score(given) if given else 0.0
        tag = rec._tags.get(word, "oov")
        freq = rec._freq.get(word, 0)
        f: list[tuple[str, float]] = [
            (f"len={min(n, 6)}", 1.0),
            ("kind=" + ("cjk" if cjk else "latin" if word.isascii() else "mixed"), 1),
            (f"rule={rule_score:.2f}", 1.0),
            ("rule_score", rule_score),
            (f"tag={tag[:4]}", 1.0),
            (f"align={int(s in starts)}{int(e in ends)}", 1.0),
            (f"sur={sl}", 1.0),
            (f"weak_sur={int(bool(sl) and word[0] in rec.WEAK_SURNAMES)}", 1.0),
            ("odds", max(-4.0, min(4.0, odds))),
            (f"odds_b={_bucket(odds, (-1, 0, 0.5, 1, 1.5, 2, 3))}", 1.0),
            (f"freq_b={_bucket(math.log1p(freq), (1, 3, 5, 7, 9))}", 1.0),
            (f"translit={int(cjk and all(c in rec.TRANSLIT for c in word))}", 1.0),
            # The share of transliteration characters of either table: most
            # transliterations hold a few others (朗 of 特朗普, 马 of 奥巴马).
            (f"tr_share={self._translit_share(word) if cjk else -1}", 1.0),
            ("L=" + left, 1.0),
            ("R=" + right, 1.0),
            ("L2=" + text[max(0, s - 2) : s], 1.0),
            ("R2=" + text[e : e + 2], 1.0),
            ("Lc=" + _char_class(left), 1.0),
            ("Rc=" + _char_class(right), 1.0),
            ("LW=" + ends.get(s, "-"), 1.0),
            ("RW=" + starts.get(e, "-"), 1.0),
            # The word class of a list neighbour (从伯斯、墨尔本, 哈马、霍姆斯和
            # 伊德利卜): items of one list are of one kind, places with places.
            ("coL=" + self._list_neighbour(s, ends, left=True), 1.0),
            ("coR=" + self._list_neighbour(e, starts, left=False), 1.0),
            ("first=" + word[0], 1.0),
            ("last=" + word[-1], 1.0),
            (f"ctx={int(rec._near_context(text, s, e))}", 1.0),
            (f"role={int(bool(rec._role_re.search(text, max(0, s - 4), s)))}", 1.0),
            (f"hon={int(bool(rec._honorific_re.match(text, e)))}", 1.0),
            (f"place_suffix={int(bool(rec._place_suffix_re.match(text, e)))}", 1),
            (f"in_title={int(bool(title_depth) and title_depth[s] > 0)}", 1.0),
            (f"not_name={int(cjk and rec._not_a_name(text, s, e))}", 1.0),
        ]
        # Sorted: `probability` sums the weights in list order, and a set's order
        # changes with the process's hash seed.
        f += [("src=" + src, 1.0) for src in sorted(sources)]
        if sl:
            f.append((f"sur_len={sl}+{n - sl}", 1.0))
            # How the surname character is used alone: 李, 王 (nr) vs 来 (v), 但 (c).
            head = word[:sl]
            f.append(("sur_tag=" + rec._tags.get(head, "none")[:2], 1.0))
            head_freq = math.log1p(rec._freq.get(head, 0))
            f.append((f"sur_freq_b={_bucket(head_freq, (3, 6, 9, 12))}", 1.0))
            # The given part as a word of its own: 连|牛奶, 和|母亲 vs 李|建新.
            given_freq = math.log1p(rec._freq.get(given, 0))
            f.append((f"given_freq_b={_bucket(given_freq, (1, 3, 5, 7, 9))}", 1.0))
            f.append(("given_tag=" + rec._tags.get(given, "none")[:2], 1.0))
            # The characters themselves, learned from the labelled names: 温 as a
            # surname, 家 and 宝 as given-name characters.
            f.append(("sc=" + head, 1.0))
            f += [(f"g{k}=" + c, 1.0) for k, c in enumerate(given[:2], 1)]
            # A name-like character right after the span: 阮雅|琴 is cut short.
            nxt = rec.given_name_score(right) if _CJK_RE.match(right) else -9.0
            f.append((f"next_odds_b={_bucket(nxt, (-2, -1, 0, 1, 2))}", 1.0))
        return f

    def _translit_share(self, word: str) -> int:
        """Quarters of `word`'s characters that are transliteration characters
        (0-4)."""
        chars = self.rec._translit_chars
        return (4 * sum(c in chars for c in word)) // len(word)

    LIST_SEPARATORS = frozenset(("、", "和", "与", "及", "或", "，", ","))

    def _list_neighbour(self, at: int, words: dict[int, str], left: bool) -> str:
        """The tag (ns, nr, n...) of the word across a list separator from offset
        `at` (`words`: the segmentation's words by their end offset when `left`,
        by their start offset otherwise); "-" without one."""
        sep = words.get(at)
        if sep not in self.LIST_SEPARATORS:
            return "-"
        other = words.get(at - len(sep) if left else at + len(sep))
        return self.rec._tags.get(other, "oov")[:2] if other else "-"

    def _dictionary_word_interiors(self, tokens: list) -> set[int]:
        """Offsets strictly inside a dictionary word of the segmentation: a span
        that starts or ends there cuts an ordinary word (屈臣|氏, 刘先|生)."""
        freq = self.rec._freq
        return {
            i
            for s, e, word in tokens
            if e - s > 1 and freq.get(word, 0) > 0
            for i in range(s + 1, e)
        }

    def _vetoed(self, text: str, span: Span) -> bool:
        """The vetoes of the rules, kept as hard limits because news text (where
        the weights were fitted) rarely shows them: an ordinary dictionary word
        (温馨, 解释), a place or shop ending (屈臣氏, 慕田峪) or a place word
        after it (桂芳市, 李路), a surname and a title (李总). A candidate the
        rules accepted on context is never vetoed."""
        s, e = span
        word = text[s:e]
        rec = self.rec
        if rec._plain_dotted_part(word):
            return True  # 女朋友·男朋友: a title, not a foreign name
        if rec.name_within(text, s, e) != span:
            return True  # 由|程栋, 王旭|于1966年: the name is the rest
        if not LIST_JOINERS.isdisjoint(word[1:]):
            return True  # 他方及仲裁人, 官、佐理员
        if word[-1] in _PLACE_LAST or rec.place_word_after(text, e):
            return True  # 慕田峪, 桂芳|市, 乔治·华盛顿|街
        if not _CJK_ONLY_RE.fullmatch(word):
            return False
        if word[-1] in NEVER_LAST or rec.verb_or_noun_slot(text, s, e):
            return True
        if rec.measure_word_at(text, s) or rec.function_word_given(word):
            return True
        # A person word of the dictionary (鲁迅, 金庸, 蒋介石, 温家宝) is left to the
        # model even when frequent or when it reads as surname + title (温家): its
        # tag and frequency are features, famous people are the names most often
        # written without a context word, and the model is fitted against the nr
        # words of ordinary text (温泉 and 毛巾 are tagged nr) in clean reviews. A
        # surname and a title that make the whole word stay vetoed (刘先生 is nr).
        # A function-word phrase stays vetoed even when jieba tags it nr (应列明).
        if rec.function_char_phrase(word):
            return True
        sl = rec._surname_len(word) or 1
        if word[sl:] in rec.SHORT_TITLES:
            return True  # 陈太
        if rec._tags.get(word, "").startswith("nr"):
            return bool(rec._honorific_re.fullmatch(word, sl))
        # A listed well-known name is no ordinary word, whatever jieba's tag (it
        # tags 奥巴马 ns); the context vetoes above still apply.
        if rec._not_a_name(text, s, e) and word not in self.known:
            return True
        return rec.surname_and_title(word)

    def _title_depth(self, text: str) -> list[int]:
        """Per offset, how many 《 are open (empty when the text has none)."""
        if "《" not in text:
            return []
        depth, out = 0, []
        for c in text:
            if c == "《":
                depth += 1
            out.append(depth)
            if c == "》" and depth:
                depth -= 1
        out.append(depth)
        return out

    def _gate(
        self, text: str, rule_scores: dict[Span, float], tokens: list
    ) -> Callable[[Span, set[str]], set[str] | None]:
        """The test a candidate of `text` must pass to be scored: it returns the
        candidate's sources (with "known" set right) or None when the candidate is
        vetoed or lies in garbled text."""
        inside = self._dictionary_word_interiors(tokens)
        runs = self.rec.translit_runs(text)
        # Names written with a middle dot (马修·麦康纳): a candidate that cuts
        # into one (由凯 of 由凯瑞·福永) is no name.
        # Each as far as its words go (`dotted_extent`: 泰勒·斯威夫特|坐在, not the
        # match's eight characters after the dot).
        dotted = SpanIndex(
            [
                self.rec.dotted_extent(text, *m.span()) or m.span()
                for m in self.rec._foreign_re.finditer(text)
            ]
            if any(c in text for c in MIDDLE_DOTS)
            else []
        )
        runs = SpanIndex(runs)
        anchored = getattr(rule_scores, "anchored", ())
        # Offsets the segmentation covers: a candidate reaching beyond them (a
        # surname window past the last word of its segmenter window) is checked
        # against a segmentation of its own surroundings (甄审相|关, 矫治结|果).
        covered = {i for s, e, _ in tokens for i in range(s, e)}

        def keep(span: Span, sources: set[str]) -> set[str] | None:
            # Every candidate that is a listed well-known name has the source, but
            # not a part of a middle-dot name (菲尔普斯 of 科尔·菲尔普斯: the whole
            # is the name).
            near_dots = dotted.overlapping(*span) if dotted else ()
            if text[span[0] : span[1]] in self.known and not any(
                sp != span for sp in (dotted.containing(*span) if dotted else ())
            ):
                sources = sources | {"known"}
            else:
                sources = sources - {"known"}
            if rule_scores.get(span, 0.0) < 0.5 and (
                span[0] in inside
                or span[1] in inside
                or self._vetoed(text, span)
                # 梅塔 of 梅塔利斯特: part of a longer transliterated word.
                or any(sp != span for sp in (runs.containing(*span) if runs else ()))
                or any(
                    not ds <= span[0] < span[1] <= de
                    and not span[0] <= ds < de <= span[1]
                    for ds, de in near_dots
                )
                or (
                    any(i not in covered for i in range(*span))
                    and self.rec.cuts_word(text, span)
                )
            ):
                return None
            if span not in anchored and self.rec.garbled(text, *span):
                return None  # 丛拢保 in mis-decoded text
            return sources

        return keep

    def kept_candidates(
        self,
        text: str,
        rule_scores: dict[Span, float],
        tokens: list,
        keep: Callable[[Span, set[str]], set[str] | None] | None = None,
    ) -> dict[Span, set[str]]:
        """The candidates that pass `keep` (default: `_gate`), with their sources:
        the spans the model scores, and where the character CRF reads."""
        if keep is None:
            keep = self._gate(text, rule_scores, tokens)
        out = {}
        for span, sources in self.candidates(text, rule_scores, tokens).items():
            kept = keep(span, sources)
            if kept is not None:
                out[span] = kept
        return out

    def featurize(
        self,
        text: str,
        rule_scores: dict[Span, float],
        tokens: list | None = None,
        crf: CrfView | None = None,
    ) -> list[tuple[Span, list[tuple[str, float]]]]:
        """Candidates and their features; `crf` is the tagger's reading of `text`
        (made here when the model has a tagger and none is given)."""
        if tokens is None:
            tokens = self.tokens(text)
        starts = {s: w for s, _, w in tokens}
        ends = {e: w for _, e, w in tokens}
        depth = self._title_depth(text)
        keep = self._gate(text, rule_scores, tokens)
        kept = self.kept_candidates(text, rule_scores, tokens, keep)
        if crf is None and self.tagger is not None:
            crf = self.crf_view(text, kept, wanted=list(kept))
        if crf is not None:
            # The tagger's names are candidates too, kept on the same terms.
            for span in crf.spans:
                if span in kept:
                    kept[span] = kept[span] | {"crf"}
                else:
                    sources = keep(span, {"crf"})
                    if sources is not None:
                        kept[span] = sources
        anchored = getattr(rule_scores, "anchored", ())
        out = []
        for span, sources in kept.items():
            feats = self.features(
                text, span, sources, rule_scores.get(span, 0.0), starts, ends, depth
            )
            if span in anchored:
                feats.append(("anchored", 1.0))
            if crf is not None:
                p = crf.prob(span)
                feats.append(("crf", p))
                feats.append((f"crf_b={_bucket(p, (0.05, 0.2, 0.5, 0.8, 0.95))}", 1))
            out.append((span, feats))
        return self.drop_common(text, out)

    def drop_common(
        self, text: str, featurized: list[tuple[Span, list[tuple[str, float]]]]
    ) -> list[tuple[Span, list[tuple[str, float]]]]:
        """Featurized candidates without the ordinary words of `common_words` that
        the rules did not place. Applied after the features, not while fitting: the
        weights learn from these negatives, which stand for the mistagged words the
        list does not hold (毛巾, 陈旧)."""
        if not self.common_words:
            return featurized
        return [
            (span, feats)
            for span, feats in featurized
            if text[span[0] : span[1]] not in self.common_words
            or next(v for k, v in feats if k == "rule_score") >= 0.5
        ]

    # -- scoring ---------------------------------------------------------------
    # A name the rules placed by an announcing word with a name boundary after it
    # (客户周楠的, 收件人王健，) keeps the rules' score: the model was fitted on news
    # and profiles and must not drop a pattern that is right wherever it appears.
    # A context word merely near a word does not (申请人应检具下列文件 in laws).
    RULE_FLOOR = 0.9
    # ... unless the model all but rules the span out (委员|席次, 旅客|权益者): no
    # anchored name of the training sentences scores below 0.5.
    ANCHOR_MIN_P = 0.05

    def _rule_floor(
        self, feats: list[tuple[str, float]], p: float, field: bool = False
    ) -> float:
        # A record field's value (姓名：白云, 联系人：常青) keeps the label's score
        # whatever the model reads: forms are no part of the training sentences.
        if ("anchored", 1.0) not in feats or (p < self._anchor_min_p and not field):
            return 0.0
        score = next(v for k, v in feats if k == "rule_score")
        return score if score >= self.RULE_FLOOR else 0.0

    def probability(self, feats: list[tuple[str, float]]) -> float:
        w = self._w.get  # a list, not a generator: the same sum, in the same order
        z = self._bias + sum([w(k, 0.0) * v for k, v in feats])
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def best_spans(
        self,
        text: str,
        rule_scores: dict[Span, float],
        min_score: float,
        tokens: list | None = None,
    ) -> list[tuple[Span, float]]:
        """Most probable non-overlapping candidates with probability >= min_score,
        each name found at >= 0.5 then read the same way wherever it recurs."""
        set_apart: set[Span] = set()
        taken = self.pick(
            text,
            self.featurize(text, rule_scores, tokens),
            min_score,
            getattr(rule_scores, "fields", ()),
            set_apart,
        )
        if self.rec.statute_layout(text):
            taken = self.rec.statute_names(text, taken, rule_scores)
        taken = self.propagate(
            text, joined_at_dots(text, taken), self.rec.cuts_word, set_apart
        )
        return self.given_name_aliases(text, taken)

    @staticmethod
    def propagate(
        text: str,
        taken: list[tuple[Span, float]],
        cuts_word: Callable[[str, Span], bool] | None = None,
        set_apart: Collection[Span] = (),
    ) -> list[tuple[Span, float]]:
        """One name, one reading per document: every other occurrence of a name
        kept at >= PROPAGATE_MIN, or `set_apart` as one (`_announced_floor`:
        何长工|同志 ... 何长工早年), is that name too, at its best probability, and
        replaces the shorter spans it overlaps (阮雅琴 opens a profile; later
        阮雅|琴被诊断 was cut short, or missed) - unless, by `cuts_word`, that
        occurrence is part of a longer word (one 管机 read as a name must not
        return in every 主管机关 of a law)."""
        best: dict[str, float] = {}
        for (s, e), p in taken:
            sure = p >= PROPAGATE_MIN or (s, e) in set_apart
            if sure and e - s >= 2 and p > best.get(text[s:e], 0.0):
                best[text[s:e]] = p
        # The spans so far, sorted, and the longest of them: a span overlapping
        # [s, e) starts after s - longest and before e (a bisect, not a scan of
        # every span: a list of thousands of names was quadratic).
        out = sorted(taken)
        longest = max((e - s for (s, e), _ in out), default=0)
        taken_set = set(taken)
        for name in sorted(best, key=len, reverse=True):
            longest = max(longest, len(name))
            at = text.find(name)
            while at != -1:
                span = (at, at + len(name))
                lo = bisect.bisect_left(out, ((at - longest + 1,),))
                hi = bisect.bisect_left(out, ((span[1],),))
                clash = [t for t in out[lo:hi] if at < t[0][1]]
                # The same span taken at a lower probability is raised to the
                # name's (艾青 at 0.9 once and at 0.44 in another sentence).
                if all(
                    ts[1] - ts[0] < len(name) or ts == span for ts, _ in clash
                ) and not (
                    cuts_word
                    and (span, best[name]) not in taken_set
                    and cuts_word(text, span)
                ):
                    out[lo:hi] = [t for t in out[lo:hi] if t not in clash]
                    bisect.insort(out, (span, best[name]))
                at = text.find(name, at + 1)
        return out

    def given_name_aliases(
        self, text: str, taken: list[tuple[Span, float]]
    ) -> list[tuple[Span, float]]:
        """`taken` and, at the name's probability, the other occurrences of the
        given name of a name taken at >= ALIAS_MIN (see ALIAS_MAX_FREQ) that overlap
        no span and start and end on words of the segmentation. An occurrence right
        after the surname is the full name, which `propagate` placed or ruled out
        (徐悲鸿纪念馆 is no alias of 徐悲鸿)."""
        rec = self.rec
        given_names: dict[str, tuple[float, str]] = {}
        for (s, e), p in taken:
            word = text[s:e]
            if p < ALIAS_MIN or not _CJK_ONLY_RE.fullmatch(word):
                continue
            sl = rec._surname_len(word)
            given = word[sl:]
            if (
                sl
                and len(given) == 2
                and rec._freq.get(given, 0) < ALIAS_MAX_FREQ
                and p > given_names.get(given, (0.0, ""))[0]
            ):
                given_names[given] = (p, word[:sl])
        if not given_names:
            return taken
        kept = DisjointSpans(sorted(span for span, _ in taken))
        aliases = []
        for at, given in _occurrences(text, given_names):
            p, surname = given_names[given]
            span = (at, at + len(given))
            if (
                not text.endswith(surname, 0, at)
                and not kept.overlaps(*span)
                and not rec.cuts_word(text, span)
            ):
                kept.add(*span)
                aliases.append((span, p))
        return sorted(taken + aliases)

    # The probability a reading with the surname before a given name needs to win
    # over the given name alone (see `pick`).
    SURNAME_BEFORE_MIN: ClassVar[float] = 0.9

    def pick(
        self,
        text: str,
        featurized: list[tuple[Span, list[tuple[str, float]]]],
        min_score: float,
        fields: Collection[Span] = (),
        set_apart: set[Span] | None = None,
    ) -> list[tuple[Span, float]]:
        """Non-overlapping spans of featurized candidates: the names at >= 0.5 of
        most total confidence (`_best_names`), then the most probable of the rest
        down to `min_score`; `fields` are record fields' values (see `_rule_floor`);
        the spans `_announced_floor` raises are added to `set_apart`.
        A likely name one character longer than another
        candidate at the same start wins over it when that character is name-like
        (林雨晴 over 林雨): the linear model scores each span alone and slightly
        favours the two-character reading."""
        prob = {}
        for span, feats in featurized:
            p = self.probability(feats)
            # A word the training sentences use only as an ordinary word (签名|盖章)
            # is left to the model even after a label, but for a field's value of
            # a surname and one character that jieba's dictionary tags as a
            # person's name (姓名：高明, 联系人：白云).
            word = text[span[0] : span[1]]
            common = word in self.common_words and not (
                span in fields
                and len(word) == 2
                and self.rec._tags.get(word, "").startswith("nr")
            )
            prob[span] = (
                p if common else max(p, self._rule_floor(feats, p, span in fields))
            )
            if self._known_floor_min <= p < KNOWN_FLOOR and self._plainly_known(
                text, span, feats
            ):
                prob[span] = KNOWN_FLOOR
        rec = self.rec
        raised = self._announced_floor(text, prob) + self._layout_floor(text, prob)
        if set_apart is not None:
            set_apart.update(raised)
        for (s, e), p in list(prob.items()):
            longer = prob.get((s, e + 1), 0.0)
            if (
                longer >= 0.5
                and p > longer
                and rec.given_name_score(text[e]) >= rec.LONGER_NAME_ODDS
            ):
                prob[(s, e + 1)] = p
                prob[(s, e)] = longer
            # So does a sure name one surname longer on the left than a given name
            # alone (莫|志强, 林|志强: jieba's person word is the given name); a
            # conjunction's reading is no sure one (和|志强 0.63).
            with_surname = prob.get((s - 1, e), 0.0)
            if (
                with_surname >= self.SURNAME_BEFORE_MIN
                and p > with_surname
                and text[s - 1] in rec.single
                and text[s] not in rec.surname_firsts
            ):
                prob[(s - 1, e)] = p
                prob[(s, e)] = with_surname
        taken = self._best_names(prob)
        kept = DisjointSpans(sorted(span for span, _ in taken))
        for (s, e), p in sorted(prob.items(), key=lambda kv: (-kv[1], kv[0])):
            if p < min_score:
                break
            if not kept.overlaps(s, e):
                taken.append(((s, e), p))
                kept.add(s, e)
        return taken

    # A name set apart as a name is read as one at ANNOUNCED_SCORE when the model
    # gives it ANNOUNCED_MIN at least: three characters or more right after a word
    # that announces a name (司机|高道强, 副省长|任润厚, 部长|刘成果) or right before
    # a title (霍安柏|医生), or a name alone
    # on its line (a byline under a title, a signature above a date) or in brackets
    # after a news item's last sentence (……召开。（安景）). The training
    # sentences hold few records, offices before names and no line breaks, and the
    # model reads such a span as it would anywhere. On People's Daily 1998 (1,000
    # documents) 0.2 finds 44 more names after words and alone on a line and one
    # false name (a byline the tags miss); 0.1 finds 56 and 5 false ones, 0.3
    # finds 33 and the same false one; the bracketed bylines 26 more, none false
    # (`bench_people_daily.py`).
    ANNOUNCED_MIN: ClassVar[float] = 0.2
    ANNOUNCED_SCORE: ClassVar[float] = 0.6

    def _announced_floor(self, text: str, prob: dict[Span, float]) -> list[Span]:
        """Raises to ANNOUNCED_SCORE, in place, the likeliest candidate at each
        start that no candidate holds at >= 0.5 yet, when it is set apart as a name
        (`_set_apart`), is a surname and a given name and no ordinary word
        (`_name_shaped`), and cuts no word of the segmentation (阿普蒂|敦 is part of
        a longer name). Returns the spans it raised."""
        rec = self.rec
        sure = {s for (s, _), p in prob.items() if p >= 0.5}
        best: dict[int, Span] = {}
        for span, p in prob.items():
            s, e = span
            if (
                p >= self._announced_min
                and s not in sure
                and (s not in best or p > prob[best[s]])
                and self._set_apart(text, s, e)
                and rec._name_shaped(text[s:e])
            ):
                best[s] = span
        raised = [span for span in best.values() if not rec.cuts_word(text, span)]
        for span in raised:
            prob[span] = self.ANNOUNCED_SCORE
        return raised

    def _layout_floor(self, text: str, prob: dict[Span, float]) -> list[Span]:
        """Raises to ANNOUNCED_SCORE, in place, the names of every news byline
        (`byline_names`) and every name before a roster's note (`noted_names`)
        that no candidate holds at >= 0.5 yet; returns them. The layout places
        them, not the model: bylines name reporters and photographers whom no
        sentence speaks of, many of them words too (（新华社记者周重要摄）,
        本报记者江山), and rosters hold names of every nationality (乃登（蒙古族）)."""
        raised: list[Span] = []
        names = sorted(
            set(byline_names(self.rec, text)) | set(noted_names(self.rec, text))
        )
        if not names:
            return raised
        # An index, not a scan of every candidate per name: a page of bylines
        # holds thousands of each.
        sure = SpanIndex([sp for sp, p in prob.items() if p >= 0.5])
        for span in names:
            over = [sp for sp in sure.overlapping(*span) if prob[sp] >= 0.5]
            if span in over:
                continue
            # A reading across the byline's cut loses to it (赵申张|大华 is 赵申,
            # 张大华); one inside a name of the cut is that name (张学|辉).
            for sp in over:
                prob[sp] = min(prob[sp], 0.5 - 1e-6)
            prob[span] = self.ANNOUNCED_SCORE
            raised.append(span)
        return raised

    def _set_apart(self, text: str, s: int, e: int) -> bool:
        """Three characters or more right after a word that announces a name or
        right before a title (霍安柏|医生, 任半塘|先生), or two or more alone on
        their line or in brackets closing a news item. Two characters next to a
        role are too often a verb or a word (书记员|查明, 业主|张贴, 会计|和清算)."""
        return (
            e - s >= 3 and (self.rec.announced(text, s) or self.rec.titled(text, s, e))
        ) or (
            e - s >= 2
            and (_alone_on_its_line(text, s, e) or _closing_byline(text, s, e))
        )

    def _plainly_known(
        self, text: str, span: Span, feats: list[tuple[str, float]]
    ) -> bool:
        """A listed well-known name (鲁迅, 孙中山, 普京) standing as a name: not in
        a work's title, not before a noun (an eponym's, a firm's or a place's:
        高斯|热源, 格林|彩妆学校), not the head of a unit (牛顿／平方毫米) nor a piece
        of a longer word (上|海瑞|讯, 100克|里)."""
        s, e = span
        rec = self.rec
        if ("src=known", 1.0) not in feats or ("in_title=1", 1.0) in feats:
            return False
        if text[e : e + 1] in _UNIT_SLASHES or text[s - 1 : s].isdigit():
            return False  # 牛顿／平方毫米, 100克|里
        freq = rec._freq
        if s and freq.get(text[s - 1 : s + 1], 0) >= rec.COMMON_WORD_FREQ:
            return False  # 上|海瑞|讯: the span's first character ends a word
        # The next word (one segmentation, as `suffix_word_after` reads it): a noun
        # makes the name a modifier - an eponym, a firm, a school or a place
        # (高斯|热源, 格林|彩妆, 凯撒|大陆, 梅兰芳|故居) - and so does a word of
        # the place, organisation and product suffixes.
        after = rec._cut(text[e : e + rec.SETTLE_REACH])
        nxt = after[0] if after else ""
        tag = rec._tags.get(nxt, "")
        # An office, a title or a verb of saying after it is a person's (江泽民|主席,
        # 普京|总统, 鲁迅|先生), though an office is a noun.
        honorific = rec._honorific_re.match(text, e)
        titled = (
            nxt in rec.ROLES
            or nxt in rec.right_words
            or (honorific is not None and len(honorific.group()) > 1)
        )
        return (
            (
                titled
                or (
                    not (tag.startswith("n") and not tag.startswith("nr"))
                    and nxt not in rec._not_name_suffixes
                )
            )
            and not rec.place_word_after(text, e)
            and not rec.cuts_word(text, span)
        )

    @staticmethod
    def _best_names(prob: dict[Span, float]) -> list[tuple[Span, float]]:
        """The non-overlapping spans at >= 0.5 of most total confidence (sum of
        p - 0.5), by weighted interval scheduling: two names side by side beat one
        span across them (记者李蕾张羽飞: 李蕾 + 张羽飞, not 李蕾张)."""
        spans = sorted((sp for sp, p in prob.items() if p >= 0.5), key=lambda x: x[1])
        ends = [e for _, e in spans]
        best = [0.0]  # best[i]: best total over the first i spans
        keep: list[bool] = []
        for i, (s, _) in enumerate(spans):
            j = bisect.bisect_right(ends, s, 0, i)  # spans ending by s
            with_it = best[j] + prob[spans[i]] - 0.5
            keep.append(with_it > best[i])
            best.append(max(with_it, best[i]))
        out = []
        i = len(spans)
        while i > 0:
            if keep[i - 1]:
                span = spans[i - 1]
                out.append((span, prob[span]))
                i = bisect.bisect_right(ends, span[0], 0, i - 1)
            else:
                i -= 1
        return out


# What ends the last sentence before a news item's byline in brackets (a closing
# quote too; not a line break, which `_alone_on_its_line` reads).
_BEFORE_A_BYLINE = frozenset("。！？!?”」")


def _closing_byline(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is alone in brackets after the last sentence of its line
    (……今天召开。（安景）): the reporter's byline of a news item."""
    if not (
        2 <= s
        and text[s - 1] in "（("
        and text[s - 2] in _BEFORE_A_BYLINE
        and text[e : e + 1] in "）)"
    ):
        return False
    rest = text.find("\n", e + 1)
    return not text[e + 1 : len(text) if rest == -1 else rest].strip()


# A news item's byline in brackets, closing its last sentence or alone on its line:
# who wrote it or took its picture, after their newsroom or their place and before
# what they did (（新华社记者周重要摄）, （浙江石秀山）, （任维东张帆）).
_CLOSING_BYLINE_RE = re.compile(
    rf"(?:^|(?<=[{''.join(sorted(_BEFORE_A_BYLINE))}]))[ \t\u3000]*"
    r"[（(]([^（()）\n]{2,30})[）)][ \t\u3000]*$",
    re.M,
)
# A reporter's byline wherever it stands: in brackets (电（记者郄霜涛）), alone on
# its line (本报记者严正孙勇军) or after a dateline (讯记者苏宁报道：); one part
# per newsroom (新华社记者王言彬、本报记者江夏).
_REPORTERS = r"[^（()）\n，。：:、]{0,16}?(?:记者|通讯员)[^（()）\n，。：:]{2,40}?"
_REPORTER_RES = (
    re.compile(rf"[（(]({_REPORTERS})[）)]"),
    re.compile(rf"^[ \t\u3000]*({_REPORTERS})[ \t\u3000]*$", re.M),
    re.compile(rf"[电讯]({_REPORTERS})(?=报道)"),
)
# What a byline says its people did, after their names.
_BYLINE_DEEDS = ("摄影报道", "摄影", "报道", "摄", "画", "绘", "供稿", "整理")
# What a reporter's byline calls its people, before their names.
_NEWSROOM_WORD = re.compile("记者|通讯员|实习生")
# A newsroom before a reporter: the paper's own, or a name ending as an agency's,
# a paper's, a station's or a site's does (新华社, 解放军报, 国际广播电台).
_OWN_NEWSROOMS = frozenset(("本报", "本台", "本刊", "本网"))
_NEWSROOM_ENDS = frozenset("社报台网刊站")
# A run of names between separators (记者赵鹏　文静).
_BYLINE_CHUNK = re.compile(r"[^ \u3000、，,]+")
# The last character of a unit's or a place's word, before a byline's names
# (车辆场, 文化站, 泸州市).
_BYLINE_UNIT_ENDS = frozenset(
    "省市县区乡镇村州站场厂社局院所校部委团队处科室台报行会司馆"
)
# Of these, the ones no name ends in (州, 村 and 镇 end given names too: 丰雪州,
# 罗雪村).
_UNIT_ENDS_NO_NAME_HAS = _BYLINE_UNIT_ENDS - frozenset("州村镇")
# Brackets that end so are a dateline (（本报罗马电）, （新华社讯）), and brackets
# that hold these a source (（转载自:中国会计视野）, （分享自@第一财经）).
_DATELINE_ENDS = frozenset("电讯")
_SOURCE_MARKS = frozenset(":：@/")
# What a one-character given name costs and what a name that jieba reads whole
# earns in `_names_cut` (in given-name log-odds).
_SHORT_GIVEN_COST = 1.5
_WHOLE_WORD_BONUS = 1.0


# The 56 nationalities (民族) of China, as a roster writes them before 族.
_NATIONALITIES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎"
    " 傈僳 佤 畲 高山 拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗"
    " 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 俄罗斯 鄂温克 德昂 保安"
    " 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
).split()
# A person's note in brackets after the name, as rosters write it: the sex, the
# nationality or both (千奋勇（蒙古族）, 帕夏·依夏（女、维吾尔族）, 杜颖（女）), the
# name after a separator, the start of a line or 选举 (elected).
_NOTED_NAME_RE = re.compile(
    r"(?:(?<=[、，,：:；;\n])|(?<=选举)|^)((?:(?!选举)[\u4e00-\u9fff·]){2,12})"
    r"(?=[（(](?:([男女])[）)]|(?:[男女][，,、])?(?:"
    + "|".join(sorted(_NATIONALITIES, key=len, reverse=True))
    + r")族[）)]))",
    re.M,
)
# What a name before a person's note never holds: a copula or a particle
# (选举杨正午为省长（土家族）, 欢乐的山寨（拉祜族）).
_NOT_IN_NOTED_NAME = frozenset("为是的了在")


def noted_names(rec: CnPersonRecognizer, text: str) -> list[Span]:
    """The names a person's note in brackets follows (`_NOTED_NAME_RE`): a note
    of the nationality makes any name one, Han or not (乃登（蒙古族）); a note of
    the sex alone only a surname and a given name that is no word of the
    dictionary (杜颖（女）; not 衬衫（男）)."""
    if "族" not in text and "男" not in text and "女" not in text:
        return []
    out = []
    for m in _NOTED_NAME_RE.finditer(text):
        name = m.group(1)
        if (
            name[-1] in _PLACE_LAST
            or "·" in (name[0], name[-1])
            or not _NOT_IN_NOTED_NAME.isdisjoint(name)
        ):
            continue
        if m.group(2) and not rec._name_shaped(name):
            continue
        out.append(m.span(1))
    return out


def byline_names(rec: CnPersonRecognizer, text: str) -> list[Span]:
    """The names of the bylines of `text`: in brackets closing a news item
    (`_CLOSING_BYLINE_RE`) or a reporter's anywhere (`_REPORTER_RES`), whose
    content is, but for a newsroom or place before the names (新华社记者, 浙江,
    北京第四清洁车辆场: words ending in 记者 or 通讯员, or a place or organisation)
    and a deed after them (摄, 画, 摄影报道), nothing but names run together, each
    a surname and a one- or two-character given name (`_tile_names`). A lone name
    in bare brackets is not one (（文图）, （王府井）): `_closing_byline` leaves
    that to the model."""
    found: set[Span] = set()
    if "（" in text or "(" in text:
        for m in _CLOSING_BYLINE_RE.finditer(text):
            found.update(_byline_part(rec, m.group(1), m.start(1), reporter=False))
    if "记者" in text or "通讯员" in text:
        for pattern in _REPORTER_RES:
            for m in pattern.finditer(text):
                found.update(_byline_part(rec, m.group(1), m.start(1), reporter=True))
    return sorted(found)


def _byline_part(
    rec: CnPersonRecognizer, part: str, at: int, reporter: bool
) -> list[Span]:
    """The names of one byline's `part` starting at offset `at` (`byline_names`);
    a `reporter`'s part names them after its newsroom word, any other needs a
    place before its names, a deed after them or two names or more."""
    if part[-1] in _DATELINE_ENDS or any(c in part for c in _SOURCE_MARKS):
        return []
    deed = next((d for d in _BYLINE_DEEDS if part.endswith(d)), "")
    if not deed and "摄于" in part:
        deed = part[part.index("摄于") :]
    body = part[: len(part) - len(deed)]
    if reporter:
        return _reporters(rec, body, at)
    for head in _byline_heads(rec, body):
        names = _tile_names(rec, body[head:], any_word=False)
        if names and (head or deed or len(names) > 1):
            return [(at + head + s, at + head + e) for s, e in names]
    return []


def _reporters(rec: CnPersonRecognizer, body: str, at: int) -> list[Span]:
    """The names after each newsroom word of a reporter's byline (记者 江山 通讯员
    高明); a place's or a firm's name there is a reporter's too (本报记者江山,
    记者苏宁报道)."""
    marks = list(_NEWSROOM_WORD.finditer(body))
    out: list[Span] = []
    for k, mark in enumerate(marks):
        end = marks[k + 1].start() if k + 1 < len(marks) else len(body)
        start = mark.end()
        names = _tile_names(rec, body[start:end], any_word=True)
        if not names and end < len(body):
            names = _before_a_newsroom(rec, body[start:end])
        out += [(at + start + s, at + start + e) for s, e in names]
    return out


def _before_a_newsroom(rec: CnPersonRecognizer, segment: str) -> list[Span]:
    """The names of a reporter's `segment` that ends in the next reporter's
    newsroom: cut at its last 、 (汪金福、本报), or else before the shortest end that
    names a newsroom (黄运成|新华社, 成元生|国际广播电台), its names then no word of the
    dictionary (成元生国际 is not 成元生, 国际)."""
    if "、" in segment:
        return _tile_names(rec, segment[: segment.rindex("、")], any_word=True)
    for cut in range(len(segment) - 2, 1, -1):
        rest = segment[cut:]
        if rest in _OWN_NEWSROOMS or (len(rest) >= 3 and rest[-1] in _NEWSROOM_ENDS):
            names = _tile_names(rec, segment[:cut], any_word=False)
            if names:
                return names
    return []


def _byline_heads(rec: CnPersonRecognizer, body: str) -> list[int]:
    """Where the names of a byline's `body` may start, the earliest first: 0, after a
    character that ends a unit's or a place's word (`_BYLINE_UNIT_ENDS`: 四川泸州市,
    北京第四清洁车辆场, whose last character jieba may glue to the name) and
    after a word jieba tags as a place or an organisation (浙江)."""
    heads = {0} | {i + 1 for i, c in enumerate(body[:-2]) if c in _BYLINE_UNIT_ENDS}
    at = 0
    for word in rec._cut(body)[:-1]:
        at += len(word)
        if rec._tags.get(word, "").startswith(("ns", "nt")):
            heads.add(at)
    return sorted(heads)


def _tile_names(rec: CnPersonRecognizer, run: str, any_word: bool) -> list[Span]:
    """`run` cut into names (surname and a one- or two-character given name, no
    word of the dictionary but a person's unless `any_word`: 南方|周末, 深圳|商报
    name a paper), the cut whose given names are the likeliest; [] if it has no
    such cut."""
    spans: list[Span] = []
    for chunk in _BYLINE_CHUNK.finditer(run):
        cut = _names_cut(rec, chunk.group(), any_word)
        if cut is None:
            return []
        spans += [(chunk.start() + s, chunk.start() + e) for s, e in cut]
    return spans


def _word_at_head(rec: CnPersonRecognizer, piece: str) -> bool:
    """Whether a piece with a two-character given name that is no person's word of
    the dictionary opens with a frequent word that is no person's either (纪委|跃,
    支行|周: a unit's name before the names; 王国平 is a person's word)."""
    head = piece[:2]
    tags = rec._tags
    return (
        rec._freq.get(head, 0) >= rec.COMMON_WORD_FREQ
        and not tags.get(head, "").startswith("nr")
        and not tags.get(piece, "").startswith("nr")
    )


def _names_cut(
    rec: CnPersonRecognizer, chunk: str, any_word: bool
) -> list[Span] | None:
    """The best cut of `chunk` into names (`_tile_names`), or None."""
    n = len(chunk)
    words = set(rec._cut(chunk))
    best: list[tuple[float, list[Span]] | None] = [None] * (n + 1)
    best[0] = (0.0, [])
    for i in range(n):
        if best[i] is None:
            continue
        for length in (2, 3, 4):
            piece = chunk[i : i + length]
            if len(piece) < length:
                break
            sl = rec.surname_and_given(piece, frozenset())
            given = piece[sl:]
            if (
                not sl
                or (
                    not any_word
                    and piece in rec._freq
                    and not rec._tags.get(piece, "").startswith("nr")
                )
                or (len(given) == 2 and _word_at_head(rec, piece))
                # 洪泽县, 宣传部: a unit's word, not a name, whatever the dictionary
                or piece[-1] in _UNIT_ENDS_NO_NAME_HAS
            ):
                continue
            # A rare surname costs its given name's odds (田宝印|张凌, not
            # 田宝|印张凌: 张 is the third surname, 印 the 357th), and so does a
            # one-character given name (most names have two: 刘全应|李金宝, not
            # 刘全|应李|金宝); a name jieba reads whole counts for it.
            rank = rec.surname_rank.get(piece[:sl], len(rec.surname_rank))
            total = (
                best[i][0]
                + rec.given_name_score(given)
                - math.log1p(rank) / 2
                - (_SHORT_GIVEN_COST if len(given) == 1 else 0.0)
                + (_WHOLE_WORD_BONUS if piece in words else 0.0)
            )
            if best[i + length] is None or total > best[i + length][0]:
                best[i + length] = (total, best[i][1] + [(i, i + length)])
    return best[n][1] if best[n] is not None and best[n][1] else None


# A line this short on either side of a lone word makes it an item of a column of
# words (a menu, a list of foods), not a byline or a signature.
_ITEM_LINE_MAX = 6


def _alone_on_its_line(text: str, s: int, e: int) -> bool:
    """Whether text[s:e] is the whole of its line but for spaces, between lines not
    both as short as items of a column (_ITEM_LINE_MAX): a byline under a title, a
    signature above a date."""
    a = text.rfind("\n", 0, s) + 1
    b = text.find("\n", e)
    b = len(text) if b == -1 else b
    if text[a:s].strip() or text[e:b].strip() or (a == 0 and b == len(text)):
        return False
    return (
        len(_next_line(text, a, -1)) > _ITEM_LINE_MAX
        or len(_next_line(text, b, 1)) > _ITEM_LINE_MAX
    )


def _next_line(text: str, at: int, step: int) -> str:
    """The first line with more than spaces before the line starting at `at`
    (step -1) or after the line ending at `at` (step 1), stripped; "" if none."""
    while True:
        if step < 0:
            if at <= 0:
                return ""
            end = at - 1
            at = text.rfind("\n", 0, end) + 1
            line = text[at:end]
        else:
            if at >= len(text):
                return ""
            start = at + 1
            at = text.find("\n", start)
            at = len(text) if at == -1 else at
            line = text[start:at]
        if line.strip():
            return line.strip()
