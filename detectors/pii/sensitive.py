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
        en = [w for w in self.category_of if w.isascii()]
        zh = [w for w in self.category_of if not w.isascii()]
        # English terms must be whole words; Chinese terms are matched as substrings.
        # Alternations are built as tries: Python's `re` tries every alternative at
        # every position, and this vocabulary has hundreds of terms.
        parts = []
        if en:
            parts.append(rf"(?<![A-Za-z])(?:{trie_regex(en)})(?![A-Za-z])")
        if zh:
            parts.append(trie_regex(zh))
        self._re = re.compile("|".join(parts), re.IGNORECASE)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[TermHit]:
        end = len(text) if end is None else min(end, len(text))
        return [
            TermHit(
                self.category_of[m.group(0).casefold()], m.group(0), m.start(), m.end()
            )
            for m in self._re.finditer(text, start, end)
        ]


def trie_regex(words: list[str]) -> str:
    """A regex alternation of literal `words` as a trie (longest match first)."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        end = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in node.items() if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if end else body

    return build(trie)
