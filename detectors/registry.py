"""Detectors by name, so `--detectors` can select them.

Each entry is "module:Class" relative to this package; modules are imported on first
use, so selecting two detectors never pays for loading the others.
"""

from __future__ import annotations

import importlib

from corpusgate.detectors.base import CorpusDetector, RecordDetector

# The detector names users and tools rely on (docs/contract.md), in the order they run
# and are reported.
CONTRACT_NAMES = (
    "pii",
    "secrets",
    "cbrn",
    "exact_duplicate",
    "near_duplicate",
    "copyright",
    "poisoning",
    "labels",
)

_ENTRIES: dict[str, str] = {
    "cbrn": "cbrn:CbrnDetector",
    "pii": "pii:PiiDetector",
    "secrets": "secrets:SecretsDetector",
    "exact_duplicate": "exact_duplicate:ExactDuplicateDetector",
    "near_duplicate": "near_duplicate:NearDuplicateDetector",
    "copyright": "copyright:CopyrightDetector",
    "poisoning": "poisoning:PoisoningDetector",
    "labels": "labels:LabelsDetector",
}


class UnknownDetectorError(ValueError):
    pass


def available() -> list[str]:
    """Names of the detectors this installation has, in contract order."""
    return [n for n in CONTRACT_NAMES if n in _ENTRIES] + sorted(
        n for n in _ENTRIES if n not in CONTRACT_NAMES
    )


def get(name: str) -> type[RecordDetector] | type[CorpusDetector]:
    try:
        entry = _ENTRIES[name]
    except KeyError:
        known = ", ".join(available())
        hint = " (not implemented yet)" if name in CONTRACT_NAMES else ""
        raise UnknownDetectorError(
            f"unknown detector {name!r}{hint}; available: {known}"
        ) from None
    module_name, class_name = entry.split(":")
    module = importlib.import_module(f"corpusgate.detectors.{module_name}")
    return getattr(module, class_name)


def parse_selection(spec: str) -> list[str]:
    """`all` or a comma list -> detector names in contract order, validated."""
    spec = spec.strip()
    if spec in ("", "all"):
        return available()
    names = [n.strip() for n in spec.split(",") if n.strip()]
    for n in names:
        get(n)  # raises UnknownDetectorError
    order = {n: i for i, n in enumerate(available())}
    return sorted(dict.fromkeys(names), key=order.__getitem__)
