"""Agent × uplift frame × mode × genre -> one assessment per CBRN category found in a
document.

* Agents: lexicon hits. Named agents, toxins, highly toxic chemicals, weapon
  classes ("biological weapon", "poison gas", "missile") and weapon-design concepts
  anchor an assessment on their own; industrial chemicals, isotopes, facilities and
  missile parts (not stand-alone) only with a delivery, harm or evasion frame;
  dual-use words (virus, host, strain, payload, agent) only inside a CBRN frame:
  with a frame in their sentence, a request / instruction / plan nearby, and no
  computing sense in the document. Context kinds (lab vocabulary, dual-use
  equipment) never anchor anything.
* Frame (what makes text uplift), counted in the agent's sentence: production,
  enhancement, acquisition, evasion, delivery, harm. A frame in the next sentence
  counts when that sentence refers back ("...then mail it").
* Mode, within `window` characters: a request or plan (strong), an instruction
  (a frame verb opening a sentence or list item, numbered steps), a question (weak).
* Lowering: prevention / protection / treatment / law in the same sentence, and the
  document-wide genres (news and history, treaty and policy, clinical, encyclopedic,
  civil use, exam questions).

Severity: `high` = an agent with an uplift frame scoring >= 0.5; `critical` = a
delivery or harm frame together with production, enhancement, acquisition or evasion,
in a request, instruction or plan, scoring >= 0.75; `info` = a mention.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from corpusgate.detectors.cbrn.lexicon import CATEGORIES, Lexicon
from corpusgate.detectors.cbrn.matcher import Hit, Matches
from corpusgate.detectors.spans import SpanIndex

# Base score of an anchor: a stand-alone agent or weapon class, a dual-use word inside
# a CBRN frame, an industrial / dual-use item that is not stand-alone.
TIER_BASE = {"A": 0.30, "B": 0.30, "C": 0.25}
DUAL_USE_BASE = 0.20
NON_STANDALONE_BASE = 0.20
PER_FRAME = 0.15  # each distinct frame family in the agent's sentence
MAX_FRAMES = 3
MODE_BONUS = {
    "request": 0.15,
    "plan": 0.15,
    "instruction": 0.15,  # a frame verb or an opener opens the agent's sentence
    "list": 0.15,  # numbered steps near the agent
    "question": 0.05,
}
STRUCTURE_BONUS = 0.05  # each distinct structure signal (steps, quantity, condition)
MAX_STRUCTURE = 0.10
DEFENCE_PENALTY = 0.20  # prevention / protection / treatment in the same sentence
PER_GENRE = 0.16
MAX_GENRE = 3
GENRE_CUES_FULL = 2  # distinct cue words for a genre's full penalty
HIGH = 0.5
CRITICAL = 0.75
# Frames an item that is not stand-alone needs (an isotope, a Schedule 3 chemical,
# a nuclear plant, a rocket motor is ordinary without them).
NON_STANDALONE_FRAMES = frozenset({"delivery", "harm", "evasion"})
# A missile part is uplift with a range or accuracy improvement too (MTCR Category I
# is defined by range and payload).
NON_STANDALONE_FRAMES_BY_CATEGORY = {"missile": NON_STANDALONE_FRAMES | {"enhancement"}}
# Dual-use words outside biology ("poison", "radioactive material", "rocket") need
# a delivery or harm frame: making or buying them is ordinary.
DUAL_USE_FRAMES_BY_CATEGORY = {
    "chemical": frozenset({"delivery", "harm"}),
    "nuclear_radiological": frozenset({"delivery", "harm"}),
    "missile": frozenset({"delivery", "harm"}),
}
# Exam questions are knowledge; answer options count twice as much as another genre.
GENRE_WEIGHT = {"exam": 2.0}
USE_FRAMES = frozenset({"delivery", "harm"})
MAKE_FRAMES = frozenset({"production", "enhancement", "acquisition", "evasion"})
STRONG_MODES = frozenset({"request", "plan", "instruction", "list"})
# What an item that is not stand-alone, or a dual-use word, needs: to be asked for,
# planned, or the object of an instruction (a numbered list in prose is not enough).
DIRECT_MODES = frozenset({"request", "plan", "instruction"})
REQUEST_MODES = frozenset({"request", "plan"})
# The exam genre lowers the rules only: stage 2 learnt exam-style questions itself.
RULES_ONLY_GENRES: frozenset[str] = frozenset()
_CJK = re.compile(r"[\u4e00-\u9fff]")
STAGE2_MAX_CJK = 0.15  # the learned stage only sees mostly-English documents
# Sentence ends, and answer options of a multiple-choice question ("A. ", "B) ").
# A full stop before a lower-case word is an abbreviation ("B. anthracis"), and so
# is an option-like letter before one.
_SENTENCE_END = re.compile(
    r"[!?;](?=\s|$)|\.(?=\s*$|\s+[^a-z\s]|[\u4e00-\u9fff])|[。！？；\n]"
    r"|(?<=\s)[A-Da-d][.)、](?=\s+[^a-z\s])|(?<=\s)[（(][A-Da-d][)）]"
)
# A next sentence that refers back to the agent ("... then mail it").
_ANAPHOR = re.compile(
    r"(?<![a-z])(?:it|them|they|this agent|the agent|the toxin|the virus|the gas|"
    r"the strain|the material|the mixture|the product)(?![a-z])|它|其|这些|该",
)
_LIST_MARKER = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}[.)、]|[-*•]|step \d{1,2}:?)\s*$")
_OPENERS = (".", "!", "?", ";", ":", "\n", "。", "！", "？", "；", "：")
# An opener word ("then", 然后) opens a clause after a comma too.
_CLAUSE_OPENERS = _OPENERS + ("，", ",")
# An English frame word that cannot be a verb's base form opens no instruction: an
# adjective, a noun or an inflected verb ("Destructive of bacteria.", "Epidemic
# disease: any infectious disease...", "Humans are...", "Spreading it is...").
# Dictionary glosses and headlines open with such words.
_WORD = re.compile(r"[A-Za-z]+")
_NOT_IMPERATIVE = re.compile(
    r"[a-z]+(?:ive|ic|al|ous|ity|ion|ment|ness|ence|ance|ed|ing|[^s]s)"
)
# Structure signals that make the text an instruction (a list of steps).
INSTRUCTION_STRUCTURE = frozenset({"steps"})
_TERROR = re.compile(
    r"terror|casualt|kill as many|crowd|public place|water suppl|food suppl|"
    r"恐怖|伤亡|人群|人员密集|人流密集|公共场所|水源"
)
MAX_TERM_COUNT = 8  # distinct threat-domain terms, as a stage-2 rule token
# A technical identifier mixes letters and digits (H5N1, UL44, A82V, SARS-CoV-2);
# a number stands alone or in a range (3-5), not inside an identifier or a decimal.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9_-])(?=[A-Za-z0-9_-]*[0-9])(?=[A-Za-z0-9_-]*[A-Za-z])"
    r"[A-Za-z0-9][A-Za-z0-9_-]*[A-Za-z0-9](?![A-Za-z0-9_-])"
)
_NUMBER = re.compile(
    r"(?<![A-Za-z0-9_.])(?<![A-Za-z]-)[0-9]+(?:\.[0-9]+)?(?![A-Za-z0-9_.])(?!-[A-Za-z])"
)

# Weights of distinct terms for the biological vocabulary density that decides
# whether stage 2 is asked (dual-use words weigh nothing).
DENSITY_WEIGHT_STRONG = 1.0  # tier A/B names
DENSITY_WEIGHT_CONCEPT = 0.75  # tier C threat concepts, agents
DENSITY_WEIGHT_LAB = 0.35  # generic lab vocabulary
DENSITY_CATEGORIES = frozenset({"biological", "chemical"})


@dataclass
class Assessment:
    category: str
    tier: str
    standalone: bool
    severity: str
    score: float
    anchor: Hit
    entity_ids: list[str]
    terms: list[str]  # matched document text, in order of appearance
    frame: list[str]  # frame families in the anchor's sentence
    mode: list[str]  # request / plan / instruction / question near the anchor
    structure: list[str]  # steps / quantity / condition near the anchor
    genre: list[str]
    density: float
    defence: bool = False
    terrorism: bool = False
    probability: float | None = None  # the stage-2 model's, when it was asked
    details: dict = field(default_factory=dict)


def _cjk_share(text: str) -> float:
    """Share of CJK ideographs among the characters (the stage-2 model is English)."""
    return len(_CJK.findall(text)) / len(text) if text else 0.0


def _density(
    lexicon: Lexicon,
    hits: list[Hit],
    low_terms: list[str],
    categories: frozenset[str] | set[str] = DENSITY_CATEGORIES,
) -> float:
    """Weighted distinct domain terms. Dual-use words (virus, host, protein) weigh
    as lab terms, but only beside a term that is not dual-use: on their own they
    weigh nothing."""
    best: dict[str, float] = {}
    dual: set[str] = set()
    for hit, term in zip(hits, low_terms, strict=True):
        e = lexicon.entries[hit.ref]
        if e.category not in categories or e.kind == "equipment" or hit.weak:
            continue
        if e.is_dual_use:
            dual.add(term)
            continue
        if e.kind == "lab":
            w = DENSITY_WEIGHT_LAB
        elif e.tier in ("A", "B"):
            w = DENSITY_WEIGHT_STRONG
        else:
            w = DENSITY_WEIGHT_CONCEPT
        best[term] = max(best.get(term, 0.0), w)
    if not best:
        return 0.0
    return sum(best.values()) + DENSITY_WEIGHT_LAB * len(dual - best.keys())


def sentence_starts(text: str) -> list[int]:
    """Offsets at which sentences (and answer options) start; the first is 0."""
    return [0] + [m.end() for m in _SENTENCE_END.finditer(text)]


@dataclass
class _Document:
    """What every category's assessment of one document shares."""

    text: str
    lexicon: Lexicon
    starts: list[int]  # sentence starts
    frames: list[tuple[int, str, Hit]]  # (sentence, family, hit)
    modes: list[Hit]
    structure: list[Hit]
    defence: set[int]  # sentences with a defence cue
    instruction_sentences: set[int]  # sentences opened by a frame verb
    computing: bool
    genre: list[str]
    genre_penalty: float
    window: int
    # The frame families and hits of each sentence, and the frames' spans, so that
    # an anchor's frames are looked up, not scanned for: a scan per anchor was
    # quadratic in a long text dense with terms.
    _families: dict[int, frozenset[str]] = field(init=False, repr=False)
    _frame_hits: dict[int, list[Hit]] = field(init=False, repr=False)
    _frame_spans: SpanIndex = field(init=False, repr=False)
    _frames_at: dict[tuple[int, int], list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        families: dict[int, set[str]] = {}
        self._frame_hits = {}
        self._frames_at = {}
        for k, (i, f, h) in enumerate(self.frames):
            families.setdefault(i, set()).add(f)
            self._frame_hits.setdefault(i, []).append(h)
            self._frames_at.setdefault((h.start, h.end), []).append(k)
        self._families = {i: frozenset(fs) for i, fs in families.items()}
        self._frame_spans = SpanIndex(list(self._frames_at))

    def sentence(self, pos: int) -> int:
        return bisect_right(self.starts, pos) - 1

    def _frames_near(self, lo: int, hi: int) -> list[tuple[str, Hit]]:
        """The frames that end at or after `lo` and start at or before `hi` (the
        half-open spans that overlap [lo - 1, hi + 1)), in the order of `frames`."""
        picked = sorted(
            k
            for span in self._frame_spans.overlapping(lo - 1, hi + 1)
            for k in self._frames_at[span]
        )
        return [(self.frames[k][1], self.frames[k][2]) for k in picked]

    def frames_for(self, hit: Hit, anchored: set[int]) -> tuple[set[str], list[Hit]]:
        """Frame families in the anchor's sentence, and in the next sentence when
        that one has no anchor of its own and refers back ("then mail it")."""
        s = self.sentence(hit.start)
        fams = set(self._families.get(s, ()))
        used = list(self._frame_hits.get(s, ()))
        if self.structure_for(hit) & INSTRUCTION_STRUCTURE:
            # a list of steps is one procedure: its frames within the window count
            near = self._frames_near(hit.start - self.window, hit.end + self.window)
            return fams | {f for f, _ in near}, used + [h for _, h in near]
        nxt = s + 1
        if nxt < len(self.starts) and nxt not in anchored:
            lo = self.starts[nxt]
            hi = self.starts[nxt + 1] if nxt + 1 < len(self.starts) else len(self.text)
            if lo - hit.end <= self.window and _ANAPHOR.search(
                self.text[lo:hi].lower()
            ):
                fams |= self._families.get(nxt, frozenset())
                used += self._frame_hits.get(nxt, [])
        return fams, used

    def _span(self, s: int) -> tuple[int, int]:
        hi = self.starts[s + 1] if s + 1 < len(self.starts) else len(self.text)
        return self.starts[s], hi

    def is_question(self, s: int) -> bool:
        """The sentence ends with a question mark."""
        _, hi = self._span(s)
        return self.text[:hi].rstrip()[-1:] in ("?", "？")

    def modes_for(self, hit: Hit) -> set[str]:
        """A request or plan in the agent's sentence or the one before; a question
        when the agent's own sentence is one; an instruction when a frame verb opens
        the agent's sentence or numbered steps are within the window."""
        s = self.sentence(hit.start)
        lo = self.starts[s - 1] if s > 0 else 0
        own_lo, hi = self._span(s)
        signals = self.lexicon.signals
        found: set[str] = set()
        for m in self.modes:
            if not lo <= m.start < hi:
                continue
            name = signals[m.ref].name
            if (
                name == "opener"
            ):  # counts where it opens a sentence (instruction_sentences)
                continue
            if name == "question":
                if m.start >= own_lo and self.is_question(s):
                    found.add(name)
            else:
                found.add(name)
        w_lo, w_hi = hit.start - self.window, hit.end + self.window
        if s in self.instruction_sentences:
            found.add("instruction")
        if any(
            signals[x.ref].name in INSTRUCTION_STRUCTURE
            and x.end >= w_lo
            and x.start <= w_hi
            for x in self.structure
        ):
            found.add("list")
        return found

    def structure_for(self, hit: Hit) -> set[str]:
        lo, hi = hit.start - self.window, hit.end + self.window
        signals = self.lexicon.signals
        return {
            signals[x.ref].name for x in self.structure if x.end >= lo and x.start <= hi
        }


def _score_anchor(
    doc: _Document, hit: Hit, anchored: set[int]
) -> tuple[float, set[str], set[str], set[str], bool, list[Hit]]:
    e = doc.lexicon.entries[hit.ref]
    fams, used = doc.frames_for(hit, anchored)
    modes = doc.modes_for(hit)
    structure = doc.structure_for(hit)
    defence = doc.sentence(hit.start) in doc.defence
    if e.is_dual_use:
        base = DUAL_USE_BASE
    elif e.standalone:
        base = TIER_BASE[e.tier]
    else:
        base = NON_STANDALONE_BASE
    score = (
        base
        + PER_FRAME * min(len(fams), MAX_FRAMES)
        + max((MODE_BONUS[m] for m in modes), default=0.0)
        + min(MAX_STRUCTURE, STRUCTURE_BONUS * len(structure))
        - (DEFENCE_PENALTY if defence else 0.0)
        - doc.genre_penalty
    )
    return score, fams, modes, structure, defence, used


def _framed_dual_use(doc: _Document, hit: Hit, anchored: set[int]) -> bool:
    """A dual-use word is an anchor only inside a CBRN frame: a frame in its sentence,
    a request / instruction / plan nearby, no computing sense in the document."""
    if doc.computing:
        return False
    e = doc.lexicon.entries[hit.ref]
    if not e.standalone:  # host, expression, drone...: never an anchor
        return False
    fams, _ = doc.frames_for(hit, anchored)
    needed = DUAL_USE_FRAMES_BY_CATEGORY.get(e.category)
    if not fams or (needed is not None and not fams & needed):
        return False
    modes = doc.modes_for(hit)
    # asked for or planned; or an instruction to deliver it or do harm with it
    return bool(modes & REQUEST_MODES) or (
        "instruction" in modes and bool(fams & USE_FRAMES)
    )


def _anchor_rank(e) -> tuple[int, str]:
    """Stand-alone agents before dual-use words before items that are not
    stand-alone; then the tier (A first)."""
    kind = 2 if e.standalone and not e.is_dual_use else 1 if e.is_dual_use else 0
    return (-kind, e.tier)


def _strongest_per_sentence(doc: _Document, anchors: list[Hit]) -> list[Hit]:
    """One anchor per sentence, the strongest: anchors of one sentence share its
    frames and modes, so the others cannot score higher."""
    entries = doc.lexicon.entries
    best: dict[int, Hit] = {}
    for h in anchors:
        s = doc.sentence(h.start)
        if s not in best or _anchor_rank(entries[h.ref]) < _anchor_rank(
            entries[best[s].ref]
        ):
            best[s] = h
    return list(best.values())


def _assess_category(
    doc: _Document, category: str, anchors: list[Hit], anchored: set[int]
) -> Assessment:
    entries = doc.lexicon.entries
    best = None
    for h in _strongest_per_sentence(doc, anchors):
        score, fams, modes, structure, defence, used = _score_anchor(doc, h, anchored)
        e = entries[h.ref]
        qualifies = (
            bool(fams)
            and (
                e.standalone
                or e.is_dual_use
                or bool(
                    fams
                    & NON_STANDALONE_FRAMES_BY_CATEGORY.get(
                        category, NON_STANDALONE_FRAMES
                    )
                    and modes & DIRECT_MODES
                )
            )
            # a request, plan, instruction or question, or instruction structure:
            # a narrative of past events is history, not uplift
            and bool(modes or structure)
        )
        # an agent with an uplift frame beats a mention; then the higher score
        key = (qualifies and score >= HIGH, qualifies, score, not e.is_dual_use)
        if best is None or key > best[0]:
            best = (key, h, score, fams, modes, structure, defence, used, qualifies)
    _, hit, score, fams, modes, structure, defence, used, qualifies = best
    score = round(max(0.0, min(1.0, score)), 6)  # 0.3 + 0.15 + 0.05 is 0.5
    if qualifies and score >= HIGH:
        severity = "high"
        if (
            score >= CRITICAL
            and fams & USE_FRAMES
            and fams & MAKE_FRAMES
            and modes & STRONG_MODES
        ):
            severity = "critical"
    else:
        severity = "info"
        score = min(score, HIGH - 0.01)
    text = doc.text
    named = [h for h in anchors if not entries[h.ref].is_dual_use] or anchors
    terms = list(
        dict.fromkeys(
            text[h.start : h.end] for h in sorted(named, key=lambda h: h.start)
        )
    )
    e = entries[hit.ref]
    return Assessment(
        category=category,
        tier=e.tier,
        standalone=e.standalone,
        severity=severity,
        score=round(score, 4),
        anchor=hit,
        entity_ids=sorted({entries[h.ref].id for h in anchors}),
        terms=terms,
        frame=sorted(fams) if qualifies else [],
        mode=sorted(modes),
        structure=sorted(structure),
        genre=doc.genre,
        density=0.0,
        defence=defence,
        terrorism=severity != "info"
        and any(_TERROR.search(text[h.start : h.end].lower()) for h in used),
    )


def genres(
    text: str,
    matches: Matches,
    lexicon: Lexicon,
    exclude: frozenset[str] = frozenset(),
    covered: list[Hit] | None = None,
) -> tuple[dict[str, set[str]], float]:
    """The lowering genres' cue words, and the score penalty they add up to: one cue
    word is a hint, GENRE_CUES_FULL distinct cue words establish the genre (a cue
    inside a longer cue, and singular and plural, count once). A regex cue (a dated
    event, answer options) counts as a full genre. Cues that overlap a `covered`
    hit (an entity or a frame: 核查 in 躲过核查, "nuclear power" in "nuclear power
    plant") are not genre cues."""
    signals = lexicon.signals
    cues: dict[str, set[str]] = {}
    hits = sorted(
        (
            s
            for s in matches.signals
            if signals[s.ref].group == "genre" and signals[s.ref].name not in exclude
        ),
        key=lambda s: (s.start, s.start - s.end),
    )
    reach = -1
    for s in hits:
        if s.end <= reach:  # inside a longer cue: 报道 in 据报道, vaccine in vaccines
            continue
        if (
            covered
            and signals[s.ref].kind != "regex"
            and any(c.start < s.end and s.start < c.end for c in covered)
        ):
            continue
        reach = s.end
        # singular and plural ("vaccine", "vaccines") are one cue word
        cue = text[s.start : s.end].lower().removesuffix("s")
        if signals[s.ref].kind == "regex":
            cue = f"#{signals[s.ref].name}"
            cues.setdefault(signals[s.ref].name, set()).update({cue, cue + "2"})
            continue
        cues.setdefault(signals[s.ref].name, set()).add(cue)
    penalty = PER_GENRE * min(
        MAX_GENRE,
        sum(
            GENRE_WEIGHT.get(name, 1.0) * min(1.0, len(c) / GENRE_CUES_FULL)
            for name, c in cues.items()
        ),
    )
    return cues, penalty


def usable_hits(matches: Matches, lexicon: Lexicon) -> list[Hit]:
    """Entity hits without the ambiguous codes of a category that has no named hit."""
    entries = lexicon.entries
    strong_cats = {
        entries[h.ref].category
        for h in matches.entities
        if not h.weak
        and not entries[h.ref].is_context
        and not entries[h.ref].is_dual_use
    }
    return [
        h
        for h in matches.entities
        if not h.weak or entries[h.ref].category in strong_cats
    ]


def _bucket(n: int) -> str:
    """0, 1, 2 (2-3), 4 (4-7) or 8 (8 and more)."""
    return "0" if n == 0 else "1" if n == 1 else "2" if n < 4 else "4" if n < 8 else "8"


def specificity_tokens(text: str) -> list[str]:
    """How specific the text is: the number of distinct technical identifiers
    (tokens mixing letters and digits: strains, genes, proteins, mutations, such
    as H5N1, UL44, A82V, pXO2) and of distinct numbers, bucketed. Specific detail
    is what separates uplift from a vague mention of the same topic."""
    ids = len(set(_IDENTIFIER.findall(text)))
    nums = len(set(_NUMBER.findall(text)))
    return [f"ids_{_bucket(ids)}", f"nums_{_bucket(nums)}"]


def rule_tokens(
    text: str, hits: list[Hit], matches: Matches, lexicon: Lexicon, rules: list
) -> list[str]:
    """What the rules saw, as tokens for the learned stage: entity category / kind /
    tier, the signal families present anywhere in the document, the rules' own
    severity per category, the number of distinct threat-domain terms (capped), and
    the document's specificity (`specificity_tokens`). Computed the same way when
    the model is trained (scripts/bench_cbrn.py)."""
    entries = lexicon.entries
    tokens = {
        f"ent_{entries[h.ref].category[:4]}_{entries[h.ref].kind}_{entries[h.ref].tier}"
        for h in hits
        if not h.weak
    }
    tokens.update("sig_" + lexicon.signals[s.ref].name for s in matches.signals)
    tokens.update(f"rule_{a.category[:4]}_{a.severity}" for a in rules)
    terms = {
        text[h.start : h.end].lower()
        for h in hits
        if not h.weak
        and entries[h.ref].category in DENSITY_CATEGORIES
        and not entries[h.ref].is_dual_use
    }
    tokens.add(f"terms_{min(len(terms), MAX_TERM_COUNT)}")
    tokens.update(specificity_tokens(text))
    return sorted(tokens)


def _may_be_imperative(word: str, lexicon: Lexicon) -> bool:
    """Whether an English frame word can open an imperative: not when its ending
    makes it an adjective, a noun or an inflected verb (`_NOT_IMPERATIVE`), unless
    the frames' vocabulary inflects it as a verb (`Lexicon.frame_verb_stems`)."""
    return not _NOT_IMPERATIVE.fullmatch(word) or word in lexicon.frame_verb_stems


def imperative_sentences(
    text: str, matches: Matches, lexicon: Lexicon, starts: list[int]
) -> set[int]:
    """Sentences with a clause opened by a frame verb or an opener ("use", "then",
    把), after a list marker at most ("Purify the toxin...", "2) Grow the
    culture...", "Use anthrax to..."): the text gives instructions."""
    signals = lexicon.signals
    found: set[int] = set()
    for s in matches.signals:
        sig = signals[s.ref]
        if sig.kind != "term" or not (sig.group == "frame" or sig.name == "opener"):
            continue
        # The whole word at the hit: a term may match the start of a longer word
        # ("disperse" of "disperses").
        word = _WORD.match(text, s.start)
        if (
            sig.group == "frame"
            and word
            and not _may_be_imperative(word.group().lower(), lexicon)
        ):
            continue
        before = _LIST_MARKER.sub("", text[max(0, s.start - 12) : s.start].lower())
        before = before.rstrip()
        openers = _CLAUSE_OPENERS if sig.name == "opener" else _OPENERS
        if (s.start < 12 and not before) or before.endswith(openers):
            found.add(bisect_right(starts, s.start) - 1)
    return found


def imperative(text: str, matches: Matches, lexicon: Lexicon) -> bool:
    """True when a frame verb opens a sentence or a list item."""
    return bool(imperative_sentences(text, matches, lexicon, sentence_starts(text)))


def _spans(hits: list[Hit]) -> list[tuple[int, int]]:
    return [(h.start, h.end) for h in hits]


def _document(
    text: str, matches: Matches, lexicon: Lexicon, hits: list[Hit], window: int
) -> _Document:
    signals = lexicon.signals
    starts = sentence_starts(text)
    by_group: dict[str, list[Hit]] = {}
    for s in matches.signals:
        by_group.setdefault(signals[s.ref].group, []).append(s)
    frame_hits = by_group.get("frame", [])
    # A frame word inside an entity ("pandemic", "gain of function", 毒性 in
    # 全身中毒性毒剂) is no frame of its own; nor is a defence word inside an entity
    # or a frame (生物安全 in 生物安全筛查, "detection" in "avoid detection").
    # A dual-use context word (culture, expression) is no entity to hide a frame.
    named = [
        h
        for h in hits
        if not (
            lexicon.entries[h.ref].is_dual_use and not lexicon.entries[h.ref].standalone
        )
    ]
    entities = SpanIndex(_spans(named))
    frame_hits = [f for f in frame_hits if not entities.containing(f.start, f.end)]
    # A frame word inside a longer frame phrase ("spread" in "spread between
    # humans") counts only as that phrase.
    frames_index = SpanIndex(_spans(frame_hits))
    frame_hits = [
        f
        for f in frame_hits
        if not any(
            oe - os_ > f.end - f.start
            for os_, oe in frames_index.containing(f.start, f.end)
        )
    ]
    covering = SpanIndex(_spans(frame_hits + hits))
    defence_hits = [
        d
        for d in by_group.get("defence", [])
        if not covering.containing(d.start, d.end)
    ]
    cues, penalty = genres(text, matches, lexicon, covered=hits + frame_hits)
    return _Document(
        text=text,
        lexicon=lexicon,
        starts=starts,
        frames=[
            (bisect_right(starts, f.start) - 1, signals[f.ref].name, f)
            for f in frame_hits
        ],
        modes=by_group.get("mode", []),
        structure=by_group.get("structure", []),
        defence={bisect_right(starts, d.start) - 1 for d in defence_hits},
        instruction_sentences=imperative_sentences(text, matches, lexicon, starts),
        computing=bool(by_group.get("sense")),
        genre=sorted(cues),
        genre_penalty=penalty,
        window=window,
    )


def assess(
    text: str,
    matches: Matches,
    lexicon: Lexicon,
    window: int = 300,
    stage2: Callable[[str, list[str]], float] | None = None,
    stage2_threshold: float = 0.5,
    stage2_min_density: float = 2 * DENSITY_WEIGHT_LAB,
) -> list[Assessment]:
    """`stage2`: an optional (text, rule tokens) -> probability model (trained on
    biology), asked only about mostly English documents whose biological vocabulary
    (dual-use words weigh nothing) weighs at least `stage2_min_density` and whose
    biological assessment the rules left at `info`; at or above `stage2_threshold`
    it raises that assessment to `high` (signal `stage2_classifier`). Each lowering
    genre except `exam` raises that threshold by its score penalty. Stage 2 never
    lowers a rules result."""
    entries = lexicon.entries
    if not matches.entities or not matches.scanned:
        return []
    hits = usable_hits(matches, lexicon)
    doc = _document(text, matches, lexicon, hits, window)
    anchors_by_cat: dict[str, list[Hit]] = {}
    firm = [
        h
        for h in hits
        if not entries[h.ref].is_context and not entries[h.ref].is_dual_use
    ]
    anchored = {doc.sentence(h.start) for h in firm}
    for h in firm:
        anchors_by_cat.setdefault(entries[h.ref].category, []).append(h)
    for h in hits:
        e = entries[h.ref]
        if e.is_dual_use and _framed_dual_use(doc, h, anchored):
            anchors_by_cat.setdefault(e.category, []).append(h)
    out: list[Assessment] = []
    for category in CATEGORIES:
        anchors = anchors_by_cat.get(category)
        if anchors:
            a = _assess_category(doc, category, anchors, anchored)
            # a framed dual-use word that stays below `high` is no mention
            if a.severity != "info" or any(
                not entries[h.ref].is_dual_use for h in anchors
            ):
                out.append(a)
    if stage2 is None or any(
        a.category == "biological" and a.severity != "info" for a in out
    ):
        return out
    # Stage 2 reads questions, requests and instructions, not lists or prose.
    if not _asks(doc, hits):
        return out
    low_terms = [text[h.start : h.end].lower() for h in hits]
    if (
        _density(lexicon, hits, low_terms, {"biological"}) >= stage2_min_density
        and _cjk_share(text) < STAGE2_MAX_CJK
    ):
        probability = stage2(text, rule_tokens(text, hits, matches, lexicon, out))
        # A lowering genre (clinical, encyclopedic, news...) asks for more certainty.
        needed = stage2_threshold + stage2_margin(text, matches, lexicon, hits)
        if probability >= needed:
            anchors = [
                h
                for h in hits
                if entries[h.ref].category == "biological"
                and not entries[h.ref].is_dual_use
                and entries[h.ref].kind != "equipment"
            ]
            learned = _learned(doc, anchors, probability, needed)
            out = [a for a in out if a.category != "biological"] + [learned]
            out.sort(key=lambda a: CATEGORIES.index(a.category))
    return out


def stage2_margin(
    text: str, matches: Matches, lexicon: Lexicon, hits: list[Hit]
) -> float:
    """What the lowering genres (except `exam`) add to the stage-2 threshold: the
    development data hold few clinical or encyclopedic texts, so the model cannot
    learn them alone."""
    return genres(text, matches, lexicon, RULES_ONLY_GENRES, covered=hits)[1]


def _asks(doc: _Document, hits: list[Hit]) -> bool:
    """A question, request, plan or instruction about biology: a sentence holding a
    biological term (not a dual-use word) that ends with a question mark, or has a
    request, plan or opening instruction in it or in the sentence before. That is
    what stage 2 reads; not lists, tables or prose. An exam question (lettered answer
    options, "which of the following") is information: never asked."""
    if "exam" in doc.genre:
        return False
    entries = doc.lexicon.entries
    signals = doc.lexicon.signals
    bio = {
        doc.sentence(h.start)
        for h in hits
        if entries[h.ref].category == "biological" and not entries[h.ref].is_dual_use
    }
    asking = {
        doc.sentence(m.start) + step
        for m in doc.modes
        if signals[m.ref].name in ("request", "plan")
        for step in (0, 1)
    }
    return any(
        doc.is_question(s) or s in asking or s in doc.instruction_sentences for s in bio
    )


def _learned(
    doc: _Document, anchors: list[Hit], probability: float, needed: float
) -> Assessment:
    """The biological assessment stage 2 raised to `high`."""
    entries = doc.lexicon.entries
    best = min(anchors, key=lambda h: (entries[h.ref].tier, h.start))
    text = doc.text
    return Assessment(
        category="biological",
        tier=entries[best.ref].tier,
        standalone=entries[best.ref].standalone,
        severity="high",
        score=round(min(0.8, HIGH + 0.5 * (probability - needed)), 4),
        anchor=best,
        entity_ids=sorted({entries[h.ref].id for h in anchors}),
        terms=list(
            dict.fromkeys(
                text[h.start : h.end] for h in sorted(anchors, key=lambda h: h.start)
            )
        ),
        frame=["stage2_classifier"],
        mode=[],
        structure=[],
        genre=doc.genre,
        density=0.0,
        probability=round(probability, 4),
    )
