"""The `cbrn` record detector: nuclear, biological, chemical and missile weapons content
(Framework 1.0 §4.1.2(c), 核生化导武器) in Chinese and English.

One finding per CBRN category present in a record. Evidence holds the matched lexicon
terms (at most 80 characters of document text) and the names of the signals that
fired, never the surrounding text.
"""

from __future__ import annotations

import math
from typing import ClassVar

from corpusgate.detectors.base import RISK_CBRN, Finding, Record, RecordDetector
from corpusgate.detectors.cbrn.lexicon import Lexicon, load_lexicon
from corpusgate.detectors.cbrn.matcher import Matcher
from corpusgate.detectors.cbrn.scorer import DENSITY_WEIGHT_LAB, Assessment, assess
from corpusgate.detectors.cbrn.stage2 import load_stage2

FINDING_TYPES = {
    "chemical": "CBRN_CHEMICAL",
    "biological": "CBRN_BIOLOGICAL",
    "nuclear_radiological": "CBRN_NUCLEAR_RADIOLOGICAL",
    "missile": "CBRN_MISSILE",
}
MAX_EVIDENCE_TEXT = 80  # characters of document text in the evidence, at most
ANNEX_A_PROHIBITED = "A.1.h"
ANNEX_A_TERRORISM = "A.1.d"


def evidence_for(a: Assessment) -> str:
    """`terms=…; signals=…`: the matched terms (≤ 80 characters of text in total)
    and the names of the signals that fired."""
    kept: list[str] = []
    used = 0
    for term in a.terms:
        if used + len(term) > MAX_EVIDENCE_TEXT:
            break
        kept.append(term)
        used += len(term)
    if not kept:  # a single term longer than the budget
        kept = [a.terms[0][:MAX_EVIDENCE_TEXT]]
    fired = a.frame + a.mode + a.structure
    parts = [f"terms={','.join(kept)}", f"tier={a.tier}"]
    if fired:
        parts.append(f"signals={','.join(fired)}")
    if a.genre:
        parts.append(f"genre={','.join(a.genre)}")
    return "; ".join(parts)


class CbrnDetector(RecordDetector):
    name: ClassVar[str] = "cbrn"
    version: ClassVar[str] = "2.0.0"
    finding_types: ClassVar[tuple[str, ...]] = tuple(FINDING_TYPES.values())
    DEFAULTS: ClassVar[dict] = {
        # characters either side of an agent in which a request, plan or
        # instruction structure counts (frames count in the agent's sentence)
        "window_chars": 300,
        # learned second stage (data/stage2.json) on English biology documents;
        # it only raises: never lowers a rules finding
        "stage2": True,
        # 0.0: the threshold stored in the model file (chosen by grouped CV)
        "stage2_threshold": 0.0,
        # biological vocabulary weight below which stage 2 is not asked (a generic
        # lab term weighs 0.35, a threat concept 0.75, a named agent 1.0; dual-use
        # words such as virus or host weigh nothing)
        "stage2_min_density": 0.7,
        "stage2_path": "",
        # report entity-only mentions as `info` findings
        "report_mentions": True,
        # alternative data files (empty: the packaged, versioned ones)
        "lexicon_path": "",
        "signals_path": "",
    }

    def setup(self) -> None:
        self._lexicon: Lexicon = load_lexicon(
            self.config["lexicon_path"] or None, self.config["signals_path"] or None
        )
        self._stage2 = (
            load_stage2(self.config["stage2_path"] or None)
            if self.config["stage2"]
            else None
        )
        # Lab vocabulary alone matters only to stage 2: without it, no number of
        # lab terms makes a document worth the signal pass.
        floor = self.config["stage2_min_density"] if self._stage2 is not None else 1e9
        self._matcher = Matcher(
            self._lexicon,
            # 1e-9: 0.7 / 0.35 must give 2 lab terms, whatever the float rounding
            lab_terms_to_anchor=max(1, math.ceil(floor / DENSITY_WEIGHT_LAB - 1e-9)),
        )

    @property
    def lexicon(self) -> Lexicon:
        return self._lexicon

    def assess(self, text: str) -> list[Assessment]:
        """The per-category assessments behind `scan` (used by scripts and tests)."""
        return assess(
            text,
            self._matcher.match(text),
            self._lexicon,
            window=self.config["window_chars"],
            stage2=None if self._stage2 is None else self._stage2.probability,
            stage2_threshold=self.config["stage2_threshold"]
            or (self._stage2.threshold if self._stage2 is not None else 0.5),
            stage2_min_density=self.config["stage2_min_density"],
        )

    def scan(self, record: Record) -> list[Finding]:
        findings: list[Finding] = []
        for a in self.assess(record.text):
            if a.severity == "info" and not self.config["report_mentions"]:
                continue
            findings.append(
                Finding(
                    finding_type=FINDING_TYPES[a.category],
                    severity=a.severity,
                    score=a.score,
                    risk_code=RISK_CBRN,
                    annex_a=ANNEX_A_TERRORISM if a.terrorism else ANNEX_A_PROHIBITED,
                    evidence=evidence_for(a),
                    start=a.anchor.start,
                    end=a.anchor.end,
                    details={
                        "tier": a.tier,
                        "standalone": a.standalone,
                        "entities": a.entity_ids,
                        "frame": a.frame,
                        "mode": a.mode,
                        "structure": a.structure,
                        "defence": a.defence,
                        "genre": a.genre,
                        "stage2_probability": a.probability,
                        "lexicon_version": self._lexicon.version,
                        "signals_version": self._lexicon.signals_version,
                    },
                )
            )
        return findings
