"""Exact duplicates: records whose normalized text is identical.

The per-record part is the content key (SHA-256 of NFKC text with whitespace folded);
the corpus-level part (grouping by key, electing the representative) is the Beam
composite `pipelines.corpus.exact_duplicate.ExactDuplicates`, which calls the
helpers below.
"""

from __future__ import annotations

from typing import ClassVar

from corpusgate.detectors.base import RISK_DATA_QUALITY, CorpusDetector, Finding, Record
from corpusgate.detectors.text import normalize_for_hash, sha256_hex


class ExactDuplicateDetector(CorpusDetector):
    name: ClassVar[str] = "exact_duplicate"
    version: ClassVar[str] = "1.0.0"
    finding_types: ClassVar[tuple[str, ...]] = ("EXACT_DUPLICATE",)
    DEFAULTS: ClassVar[dict] = {"severity": "low", "fanout": 16}

    def features(self, record: Record) -> str:
        """The content key: equal keys <=> equal normalized text."""
        return sha256_hex(normalize_for_hash(record.text))

    def duplicate_finding(
        self, representative_doc_id: str, cluster_id: str, size: int
    ) -> Finding:
        return Finding(
            finding_type="EXACT_DUPLICATE",
            severity=self.config["severity"],
            score=1.0,
            risk_code=RISK_DATA_QUALITY,
            evidence=f"same normalized text as {representative_doc_id}",
            related_doc_id=representative_doc_id,
            cluster_id=cluster_id,
            details={"cluster_size": size, "similarity": 1.0},
        )


def representative_order(doc_id: str, key: tuple[str, int]) -> tuple[str, str, int]:
    """Sort key electing a cluster's representative: the smallest doc_id, ties (ids
    repeated across files) broken by source and position, so the choice is total."""
    return (doc_id, key[0], key[1])
