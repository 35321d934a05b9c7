"""Sensitive-category vocabulary (PIPL Art. 28; GB/T 45574 Annex A) near a person.

The vocabulary lives in `data/sensitive_categories.tsv` (Chinese and English terms per
category). A term counts only when it is near a personal identifier or a person's
name in the same record: `糖尿病` alone is medicine, `患者张三，糖尿病` is health
information about someone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources

CATEGORIES = (
    "HEALTH_INFO",
    "BIOMETRIC_INFO",
    "RELIGIOUS_BELIEF",
    "FINANCIAL_ACCOUNT",
    "MINOR_INFO",
    "SPECIFIC_IDENTITY",
    "WHEREABOUTS",
)


@dataclass(frozen=True)
class TermHit:
    category: str
    term: str
    start: int
    end: int


class SensitiveVocabulary:
    """One compiled alternation over every term; `find` returns the hits."""

    def __init__(self, path: str = "sensitive_categories.tsv") -> None:
        text = (
            resources.files("corpusgate.detectors.pii.data")
            .joinpath(path)
            .read_text("utf-8")
        )
        self.category_of: dict[str, str] = {}
        for line in text.splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            category, lang, terms = line.split("\t", 2)
            if category not in CATEGORIES:
                raise ValueError(f"{path}: unknown category {category}")
            words = terms.split(";") if lang == "en" else terms.split()
            for w in words:
                w = w.strip()
                if w:
                    self.category_of.setdefault(w.casefold(), category)
        alts = sorted(self.category_of, key=len, reverse=True)
        # English terms must be whole words; Chinese terms are matched as substrings.
        parts = [
            rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])" if w.isascii() else re.escape(w)
            for w in alts
        ]
        self._re = re.compile("|".join(parts), re.IGNORECASE)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermHit]:
        end = len(text) if end is None else min(end, len(text))
        return [
            TermHit(
                self.category_of[m.group(0).casefold()], m.group(0), m.start(), m.end()
            )
            for m in self._re.finditer(text, start, end)
        ]
