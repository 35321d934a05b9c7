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

from collections.abc import Callable
from dataclasses import dataclass, field

from corpusgate.detectors.cbrn.lexicon import CATEGORIES, Lexicon
from corpusgate.detectors.cbrn.matcher import Hit, Matches

TIER_BASE = {"A": 0.40, "B": 0.30, "C": 0.15}
NON_STANDALONE_BASE = 0.10
PER_PROCEDURAL = 0.14
MAX_PROCEDURAL = 4
INTENT_BONUS = 0.22
PER_GENRE = 0.16
MAX_GENRE = 3
GENRE_CUES_FULL = 2  # distinct cue words for a genre's full penalty
HIGH = 0.5
CRITICAL = 0.75
DENSITY_SLOPE = 0.06
STAGE2_MAX_CJK = 0.2  # the learned stage only sees mostly-English documents

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
    """Share of CJK ideographs among the letters (the stage-2 model is English)."""
    letters = cjk = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            if "\u4e00" <= ch <= "\u9fff":
                cjk += 1
    return cjk / letters if letters else 0.0


def _density(lexicon: Lexicon, hits: list[Hit], low_terms: list[str]) -> float:
    best: dict[str, float] = {}
    for hit, term in zip(hits, low_terms, strict=True):
        e = lexicon.entries[hit.ref]
        if e.category not in DENSITY_CATEGORIES or e.kind == "equipment" or hit.weak:
            continue
        if e.kind == "lab":
            w = DENSITY_WEIGHT_LAB
        elif e.tier in ("A", "B"):
            w = DENSITY_WEIGHT_STRONG
        else:
            w = DENSITY_WEIGHT_CONCEPT
        best[term] = max(best.get(term, 0.0), w)
    return sum(best.values())


def assess(
    text: str,
    matches: Matches,
    lexicon: Lexicon,
    window: int = 300,
    density_threshold: float = 2.45,
    stage2: Callable[[str], float] | None = None,
    stage2_threshold: float = 0.6,
    stage2_min_density: float = 1.0,
) -> list[Assessment]:
    """`stage2`: an optional text -> probability model, asked only about documents
    with at least `stage2_min_density`; at or above `stage2_threshold` it raises the
    biological assessment to `high` (signal `stage2_classifier`)."""
    entries = lexicon.entries
    signals = lexicon.signals
    if not matches.entities or not matches.scanned:
        return []
    strong_cats = {
        entries[h.ref].category
        for h in matches.entities
        if not h.weak and not entries[h.ref].is_context
    }
    hits = [
        h
        for h in matches.entities
        if not h.weak or entries[h.ref].category in strong_cats
    ]
    low_terms = [text[h.start : h.end].lower() for h in hits]
    density = _density(lexicon, hits, low_terms)
    dense = density >= density_threshold
    probability = None
    if (
        stage2 is not None
        and density >= stage2_min_density
        and _cjk_share(text) < STAGE2_MAX_CJK
    ):
        probability = stage2(text)
    learned = probability is not None and probability >= stage2_threshold
    # Generic lab vocabulary anchors an assessment only in a dense document.
    anchors = [
        h
        for h in hits
        if not entries[h.ref].is_context
        or ((dense or learned) and entries[h.ref].kind == "lab")
    ]
    if not anchors:
        return []
    genre_cues: dict[str, set[str]] = {}
    for s in matches.signals:
        if signals[s.ref].group == "genre":
            cue = text[s.start : s.end].lower()
            genre_cues.setdefault(signals[s.ref].name, set()).add(cue)
    genre = sorted(genre_cues)
    # One cue word is a hint; GENRE_CUES_FULL distinct cues establish the genre.
    genre_penalty = PER_GENRE * min(
        MAX_GENRE,
        sum(min(1.0, len(c) / GENRE_CUES_FULL) for c in genre_cues.values()),
    )
    context_sig = [s for s in matches.signals if signals[s.ref].group != "genre"]
    equipment = [h for h in hits if entries[h.ref].kind == "equipment"]

    out: list[Assessment] = []
    for category in CATEGORIES:
        cat_anchors = [h for h in anchors if entries[h.ref].category == category]
        if not cat_anchors:
            continue
        standalone = [h for h in cat_anchors if entries[h.ref].standalone]
        ranked = standalone or cat_anchors
        best = min(ranked, key=lambda h: (entries[h.ref].tier, h.start))
        tier = entries[best.ref].tier
        procedural: set[str] = set()
        intent: set[str] = set()
        for a in cat_anchors:
            lo, hi = a.start - window, a.end + window
            for s in context_sig:
                if s.end >= lo and s.start <= hi:
                    sig = signals[s.ref]
                    (intent if sig.group == "intent" else procedural).add(sig.name)
            if any(e.end >= lo and e.start <= hi for e in equipment):
                procedural.add("dual_use_equipment")
        density_escalation = 0.0
        if category in DENSITY_CATEGORIES and dense:
            procedural.add("threat_density")
            # The "multiple terms" trigger: a document dense in threat-domain terms
            # is operational knowledge even without a named agent.
            density_escalation = min(
                0.8, HIGH + DENSITY_SLOPE * (density - density_threshold)
            )
        if category == "biological" and learned:
            procedural.add("stage2_classifier")
            density_escalation = max(
                density_escalation,
                min(0.8, HIGH + 0.5 * (probability - stage2_threshold)),
            )

        base = TIER_BASE[tier] if standalone else NON_STANDALONE_BASE
        raw = (
            base
            + PER_PROCEDURAL * min(len(procedural), MAX_PROCEDURAL)
            + (INTENT_BONUS if intent else 0.0)
            - genre_penalty
        )
        raw = max(raw, density_escalation - genre_penalty)
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
        terms = list(
            dict.fromkeys(
                text[h.start : h.end]
                for h in sorted(cat_anchors, key=lambda h: h.start)
            )
        )
        out.append(
            Assessment(
                category=category,
                tier=tier,
                standalone=bool(standalone),
                severity=severity,
                score=round(score, 4),
                anchor=best,
                entity_ids=sorted({entries[h.ref].id for h in cat_anchors}),
                terms=terms,
                procedural=sorted(procedural),
                intent=sorted(intent),
                genre=genre,
                density=round(density, 2),
                probability=None if probability is None else round(probability, 4),
                terrorism=bool(intent & TERRORISM_INTENT) and severity != "info",
            )
        )
    return out
