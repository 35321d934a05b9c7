"""The one rule that turns a record's findings into a release decision."""

from __future__ import annotations

from collections.abc import Iterable

from corpusgate.detectors.base import SEVERITY_RANK

# Detectors whose findings are spans that `apply` can mask in place.
REDACTABLE_DETECTORS = frozenset({"pii", "secrets"})

DECISIONS = ("keep", "redact", "review", "drop")


def decide(findings: Iterable[tuple[str, str, bool]], is_duplicate: bool) -> str:
    """keep | redact | review | drop for one record.

    `findings` are (detector, severity, has_span) triples. In order:
    any `critical` finding -> drop; a duplicate that is not its cluster's
    representative -> drop; a `high` finding that cannot be masked in place -> review;
    a `medium`-or-worse finding that can be masked (a PII or secret span) -> redact;
    otherwise keep.
    """
    worst_unmaskable = -1
    worst_maskable = -1
    for detector, severity, has_span in findings:
        rank = SEVERITY_RANK[severity]
        if rank >= SEVERITY_RANK["critical"]:
            return "drop"
        if detector in REDACTABLE_DETECTORS and has_span:
            worst_maskable = max(worst_maskable, rank)
        else:
            worst_unmaskable = max(worst_unmaskable, rank)
    if is_duplicate:
        return "drop"
    if worst_unmaskable >= SEVERITY_RANK["high"]:
        return "review"
    if worst_maskable >= SEVERITY_RANK["medium"]:
        return "redact"
    return "keep"
