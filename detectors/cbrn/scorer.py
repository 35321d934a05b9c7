"""Entity tier × procedural context × genre (standards.md §4.2) -> one assessment per
CBRN category found in a document.

* Entities: lexicon hits. Ambiguous codes (`GB`, `AC`) count only beside a named hit
  of the same category; context kinds (generic lab vocabulary, dual-use equipment)
  never anchor an assessment.
* Procedural types: distinct procedural signals within `window` characters of an
  anchor entity, plus `dual_use_equipment` (Australia Group / NSG equipment nearby)
  and `threat_density` (many distinct threat-domain terms in the document, the
  "multiple terms" trigger of Deep Ignorance).
* Intent: weaponisation, mass-casualty and terrorism cues within the window.
* Genre (document-wide): news/history, treaty/policy, clinical, encyclopedic, civil
  use; each distinct genre lowers the score.

Severity: `critical` = weaponisation or mass-casualty intent with procedure;
`high` = procedural or operational content; `info` = a mention. Entities that are
not stand-alone triggers (Schedule 2/3 industrial chemicals, isotopes, generic missile
parts) reach `high` only beside an intent cue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from corpusgate.detectors.cbrn.lexicon import CATEGORIES, Lexicon
from corpusgate.detectors.cbrn.matcher import Hit, Matches

TIER_BASE = {"A": 0.40, "B": 0.30, "C": 0.15}
NON_STANDALONE_BASE = 0.10
PER_PROCEDURAL = 0.14
MAX_PROCEDURAL = 4
INTENT_BONUS = 0.22
INTENT_EXTRA = 0.12  # each further distinct intent type (weaponisation + mass casualty)
PER_GENRE = 0.16
MAX_GENRE = 3
GENRE_VS_DENSITY = 1.5
GENRE_CUES_FULL = 2  # distinct cue words for a genre's full penalty
HIGH = 0.5
CRITICAL = 0.75
DENSITY_SLOPE = 0.06
_CJK = re.compile(r"[\u4e00-\u9fff]")
STAGE2_MAX_CJK = 0.15  # the learned stage only sees mostly-English documents
# Rule scores below this (a biological `high` from one or two procedural signals)
# are the band in which stage 2 may veto the rules' decision.
VETO_BAND = 0.75
# Requests for uplift and explicit operational structure are never vetoed: the
# learned stage was fitted on exam-style questions and knows such requests badly.
VETO_PROTECTED = frozenset(
    {
        "operational_request",
        "acquisition",
        "evasion",
        "steps",
        "scale_up",
        "enhancement",
    }
)
# What may precede an instruction: the end of a sentence, or a list marker.
_SENTENCE_END = (".", "!", "?", ";", ":", "\n", "。", "！", "？", "；", "：")
_LIST_MARKER = re.compile(r"(?:^|(?<=\s))(?:\d{1,2}[.)]|[-*•])\s*$")
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

# Weights of distinct terms for the density signal.
DENSITY_WEIGHT_STRONG = 1.0  # tier A/B names
DENSITY_WEIGHT_CONCEPT = 0.75  # tier C threat concepts, agents
DENSITY_WEIGHT_LAB = 0.35  # generic lab vocabulary
DENSITY_CATEGORIES = frozenset({"biological", "chemical"})
CRITICAL_INTENT = frozenset({"weaponisation", "mass_casualty"})
TERRORISM_INTENT = frozenset({"terrorism", "mass_casualty"})


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
    procedural: list[str]
    intent: list[str]
    genre: list[str]
    density: float
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
    best: dict[str, float] = {}
    for hit, term in zip(hits, low_terms, strict=True):
        e = lexicon.entries[hit.ref]
        if e.category not in categories or e.kind == "equipment" or hit.weak:
            continue
        if e.kind == "lab":
            w = DENSITY_WEIGHT_LAB
        elif e.tier in ("A", "B"):
            w = DENSITY_WEIGHT_STRONG
        else:
            w = DENSITY_WEIGHT_CONCEPT
        best[term] = max(best.get(term, 0.0), w)
    return sum(best.values())


def _windows(anchors: list[Hit], window: int) -> list[tuple[int, int]]:
    """Merged [start - window, end + window] intervals around the anchors."""
    spans = sorted((h.start - window, h.end + window) for h in anchors)
    merged = [spans[0]]
    for lo, hi in spans[1:]:
        if lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], hi))
        else:
            merged.append((lo, hi))
    return merged


def _within(hits: list[Hit], windows: list[tuple[int, int]]) -> list[Hit]:
    """The hits that touch one of the windows."""
    if len(windows) == 1:  # the common case, without a call per hit
        lo, hi = windows[0]
        return [h for h in hits if h.end >= lo and h.start <= hi]
    return [h for h in hits if any(h.end >= lo and h.start <= hi for lo, hi in windows)]


@dataclass
class _Document:
    """What every category's assessment of one document shares."""

    text: str
    lexicon: Lexicon
    hits: list[Hit]
    density: float
    dense: bool
    genre: list[str]
    genre_penalty: float
    context_signals: list[Hit]
    equipment: list[Hit]
    window: int


def _assess_category(
    doc: _Document,
    category: str,
    anchors: list[Hit],
    density_escalation: float,
    learned_probability: float | None,
) -> Assessment:
    entries = doc.lexicon.entries
    signals = doc.lexicon.signals
    standalone = [h for h in anchors if entries[h.ref].standalone]
    best = min(standalone or anchors, key=lambda h: (entries[h.ref].tier, h.start))
    tier = entries[best.ref].tier
    windows = _windows(anchors, doc.window)
    procedural: set[str] = set()
    intent: set[str] = set()
    for s in _within(doc.context_signals, windows):
        sig = signals[s.ref]
        (intent if sig.group == "intent" else procedural).add(sig.name)
    if _within(doc.equipment, windows):
        procedural.add("dual_use_equipment")
    raw = (
        (TIER_BASE[tier] if standalone else NON_STANDALONE_BASE)
        + PER_PROCEDURAL * min(len(procedural), MAX_PROCEDURAL)
        + (INTENT_BONUS + INTENT_EXTRA * (len(intent) - 1) if intent else 0.0)
        - doc.genre_penalty
    )
    # Knowledge signals act through the escalation below, not as procedure.
    if doc.dense and category in DENSITY_CATEGORIES:
        procedural.add("threat_density")
    if learned_probability is not None:
        procedural.add("stage2_classifier")
    lab_only = all(entries[h.ref].kind == "lab" for h in anchors)
    if lab_only:
        # Generic vocabulary alone: only the density / stage-2 path can raise it.
        raw = 0.0
    # Knowledge density is what the lowering genres explain best (a clinical or
    # encyclopedic text is dense in terms too), so they count double against it.
    # The learned stage saw the genre signals among its features: no second cut.
    genre_cut = 0.0 if learned_probability is not None else GENRE_VS_DENSITY
    raw = max(raw, density_escalation - genre_cut * doc.genre_penalty)
    score = max(0.0, min(1.0, raw))
    operational = bool(procedural) or bool(intent)
    if not standalone and not intent and not density_escalation:
        operational = False  # industrial / dual-use names never trigger alone
    if score >= HIGH and operational:
        severity = "high"
        if score >= CRITICAL and procedural and intent & CRITICAL_INTENT:
            severity = "critical"
    else:
        severity = "info"
        score = min(score, HIGH - 0.01)
    text = doc.text
    terms = list(
        dict.fromkeys(
            text[h.start : h.end] for h in sorted(anchors, key=lambda h: h.start)
        )
    )
    return Assessment(
        category=category,
        tier=tier,
        standalone=bool(standalone),
        severity=severity,
        score=round(score, 4),
        anchor=best,
        entity_ids=sorted({entries[h.ref].id for h in anchors}),
        terms=terms,
        procedural=sorted(procedural),
        intent=sorted(intent),
        genre=doc.genre,
        density=round(doc.density, 2),
        probability=None
        if learned_probability is None
        else round(learned_probability, 4),
        terrorism=bool(intent & TERRORISM_INTENT) and severity != "info",
    )


def genres(
    text: str, matches: Matches, lexicon: Lexicon
) -> tuple[dict[str, set[str]], float]:
    """The lowering genres' cue words, and the score penalty they add up to: one cue
    word is a hint, GENRE_CUES_FULL distinct cue words establish the genre (a cue
    inside a longer one, and singular and plural, count once)."""
    signals = lexicon.signals
    cues: dict[str, set[str]] = {}
    hits = sorted(
        (s for s in matches.signals if signals[s.ref].group == "genre"),
        key=lambda s: (s.start, s.start - s.end),
    )
    reach = -1
    for s in hits:
        if s.end <= reach:  # inside a longer cue: 报道 in 据报道, vaccine in vaccines
            continue
        reach = s.end
        # singular and plural ("vaccine", "vaccines") are one cue word
        cue = text[s.start : s.end].lower().removesuffix("s")
        cues.setdefault(signals[s.ref].name, set()).add(cue)
    penalty = PER_GENRE * min(
        MAX_GENRE, sum(min(1.0, len(c) / GENRE_CUES_FULL) for c in cues.values())
    )
    return cues, penalty


def usable_hits(matches: Matches, lexicon: Lexicon) -> list[Hit]:
    """Entity hits without the ambiguous codes of a category that has no named hit."""
    entries = lexicon.entries
    strong_cats = {
        entries[h.ref].category
        for h in matches.entities
        if not h.weak and not entries[h.ref].is_context
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
        if not h.weak and entries[h.ref].category in DENSITY_CATEGORIES
    }
    tokens.add(f"terms_{min(len(terms), MAX_TERM_COUNT)}")
    tokens.update(specificity_tokens(text))
    return sorted(tokens)


def imperative(text: str, matches: Matches, lexicon: Lexicon) -> bool:
    """True when a procedural term opens a sentence or a list item ("Purify the
    toxin...", "2) Grow the culture..."): the text gives instructions."""
    signals = lexicon.signals
    for s in matches.signals:
        if signals[s.ref].group != "procedural" or signals[s.ref].kind != "term":
            continue
        before = _LIST_MARKER.sub("", text[max(0, s.start - 12) : s.start]).rstrip()
        if (s.start < 12 and not before) or before.endswith(_SENTENCE_END):
            return True
    return False


def vetoable(
    text: str, assessments: list[Assessment], matches: Matches, lexicon: Lexicon
) -> bool:
    """True when the rules' only result at `high` or above is a biological `high`
    scoring below VETO_BAND (one or two procedural signals), resting on technical
    vocabulary only (no intent cue, no VETO_PROTECTED signal such as a request,
    acquisition or numbered steps, no instruction in the imperative), in a mostly
    English document: the band in which stage 2 may lower the rules' decision."""
    flagged = [a for a in assessments if a.severity != "info"]
    return (
        len(flagged) == 1
        and flagged[0].category == "biological"
        and flagged[0].severity == "high"
        and flagged[0].score < VETO_BAND
        and not flagged[0].intent
        and not VETO_PROTECTED.intersection(flagged[0].procedural)
        and _cjk_share(text) < STAGE2_MAX_CJK
        and not imperative(text, matches, lexicon)
    )


def assess(
    text: str,
    matches: Matches,
    lexicon: Lexicon,
    window: int = 300,
    density_threshold: float = 2.8,
    stage2: Callable[[str, list[str]], float] | None = None,
    stage2_threshold: float = 0.5,
    stage2_min_density: float = 2 * DENSITY_WEIGHT_LAB,
    stage2_veto: float = 0.0,
) -> list[Assessment]:
    """`stage2`: an optional (text, rule tokens) -> probability model (trained on
    biology), asked only about mostly English documents whose biological vocabulary
    weighs at least `stage2_min_density` (one generic lab term weighs 0.35) and whose
    biological assessment the rules left at `info`; at or above `stage2_threshold` it
    raises that assessment to `high` (signal `stage2_classifier`). Each lowering
    genre raises that threshold by its score penalty.

    `stage2_veto`: when the rules' only finding at `high` or above is a biological
    one at `high` scoring below VETO_BAND in a mostly English document, stage 2 is
    asked about it too, and below this probability the finding goes back to `info`
    (details `stage2_veto`). 0.0 never lowers a rule result."""
    entries = lexicon.entries
    signals = lexicon.signals
    if not matches.entities or not matches.scanned:
        return []
    hits = usable_hits(matches, lexicon)
    low_terms = [text[h.start : h.end].lower() for h in hits]
    density = _density(lexicon, hits, low_terms)
    dense = density >= density_threshold
    genre_cues, genre_penalty = genres(text, matches, lexicon)
    doc = _Document(
        text=text,
        lexicon=lexicon,
        hits=hits,
        density=density,
        dense=dense,
        genre=sorted(genre_cues),
        genre_penalty=genre_penalty,
        context_signals=[s for s in matches.signals if signals[s.ref].group != "genre"],
        equipment=[h for h in hits if entries[h.ref].kind == "equipment"],
        window=window,
    )

    def anchors_of(category: str, with_lab: bool) -> list[Hit]:
        # Generic lab vocabulary anchors an assessment only in a dense document.
        return [
            h
            for h in hits
            if entries[h.ref].category == category
            and (
                not entries[h.ref].is_context
                or (with_lab and entries[h.ref].kind == "lab")
            )
        ]

    # The "multiple terms" trigger: a document dense in threat-domain terms is
    # operational knowledge even without a named agent.
    escalation = (
        min(0.8, HIGH + DENSITY_SLOPE * (density - density_threshold)) if dense else 0.0
    )
    out: list[Assessment] = []
    for category in CATEGORIES:
        anchors = anchors_of(category, dense)
        if anchors:
            esc = escalation if category in DENSITY_CATEGORIES else 0.0
            out.append(_assess_category(doc, category, anchors, esc, None))
    if (
        stage2 is not None
        and stage2_veto > 0.0
        and vetoable(text, out, matches, lexicon)
    ):
        probability = stage2(text, rule_tokens(text, hits, matches, lexicon, out))
        if probability < stage2_veto:
            for a in out:
                if a.category == "biological":
                    a.severity = "info"
                    a.score = min(a.score, round(HIGH - 0.01, 4))
                    a.terrorism = False
                    a.probability = round(probability, 4)
                    a.details["stage2_veto"] = True
        return out
    if (
        stage2 is not None
        and not any(a.category == "biological" and a.severity != "info" for a in out)
        and _density(lexicon, hits, low_terms, {"biological"}) >= stage2_min_density
        and _cjk_share(text) < STAGE2_MAX_CJK
    ):
        probability = stage2(text, rule_tokens(text, hits, matches, lexicon, out))
        # A lowering genre (clinical, encyclopedic, news...) asks for more certainty:
        # the dev set holds few such texts, so the model cannot learn it alone.
        needed = stage2_threshold + genre_penalty
        if probability >= needed:
            esc = max(escalation, min(0.8, HIGH + 0.5 * (probability - needed)))
            anchors = anchors_of("biological", True)
            learned = _assess_category(doc, "biological", anchors, esc, probability)
            out = [a for a in out if a.category != "biological"] + [learned]
            out.sort(key=lambda a: CATEGORIES.index(a.category))
    return out
