"""Every detector, by name: the one place a detector is registered.

An entry names the detection class ("module:Class" under `detectors/`) and, for a
corpus-level detector, its Beam composite ("module:Class" under `pipelines/corpus/`).
A per-record detector needs no Beam code: the audit's generic scan runs it. Modules
are imported on first use, so selecting two detectors never pays for loading the
others, and this package never imports the pipeline code it names.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Entry:
    detector: str  # "module:Class" under corpusgate.detectors
    transform: str | None = None  # corpus detectors: under corpusgate.pipelines.corpus


_ENTRIES: dict[str, Entry] = {
    "pii": Entry("pii:PiiDetector"),
    "secrets": Entry("secrets:SecretsDetector"),
    "cbrn": Entry("cbrn:CbrnDetector"),
    "exact_duplicate": Entry(
        "exact_duplicate:ExactDuplicateDetector",
        transform="exact_duplicate:ExactDuplicates",
    ),
    "near_duplicate": Entry(
        "near_duplicate:NearDuplicateDetector",
        transform="near_duplicate:NearDuplicates",
    ),
    "copyright": Entry(
        "copyright:CopyrightDetector", transform="copyright:ReferenceOverlap"
    ),
    "poisoning": Entry(
        "poisoning:PoisoningDetector", transform="poisoning:PoisoningSignals"
    ),
    "labels": Entry("labels:LabelsDetector", transform="labels:LabelQuality"),
}


class UnknownDetectorError(ValueError):
    pass


def available() -> list[str]:
    """Names of the detectors this installation has, in contract order."""
    return [n for n in CONTRACT_NAMES if n in _ENTRIES] + sorted(
        n for n in _ENTRIES if n not in CONTRACT_NAMES
    )


def entry(name: str) -> Entry:
    try:
        return _ENTRIES[name]
    except KeyError:
        known = ", ".join(available())
        hint = " (not implemented yet)" if name in CONTRACT_NAMES else ""
        raise UnknownDetectorError(
            f"unknown detector {name!r}{hint}; available: {known}"
        ) from None


def get(name: str) -> type[RecordDetector] | type[CorpusDetector]:
    """The detection class of a detector."""
    return load(entry(name).detector, "corpusgate.detectors")


def load(path: str, package: str):
    """The class named by a registry path "module:Class" under `package`."""
    module_name, class_name = path.split(":")
    module = importlib.import_module(f"{package}.{module_name}")
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
