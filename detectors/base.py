"""The two shapes of detector, and the types they exchange with the pipeline.

* A **record detector** looks at one record at a time: `scan(record) -> [Finding]`. It
  is pure (no Beam, no I/O); anything costly (compiled patterns, an analyzer engine) is
  built in `setup()`, which the pipeline calls once per worker, never at import.
* A **corpus detector** needs the whole corpus (duplicates, bursts, label noise). Its
  pure logic lives here too: `features(record)` computes, in the same pass as the record
  detectors, what the corpus-level stage needs from the text, so the text is read once.
  The Beam composite that consumes those features lives in `pipelines/`.

Detectors return `Finding`s without the record's identity; the pipeline adds run_id,
doc_id, source, record_index, detector and detector_version when it writes the row.
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

from corpusgate.schemas.options import OptionError, check_option

SEVERITIES = ("info", "low", "medium", "high", "critical")
SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}

# Framework 1.0 clauses (docs/contract.md, "Risk codes").
RISK_UNLAWFUL_COLLECTION = "AISGF-1.0:3.1.2(a)"
RISK_IMPROPER_CONTENT = "AISGF-1.0:3.1.2(b)"
RISK_ANNOTATION = "AISGF-1.0:3.1.2(c)"
RISK_DATA_LEAKAGE = "AISGF-1.0:3.1.2(d)"
RISK_CBRN = "AISGF-1.0:4.1.2(c)"
RISK_DATA_QUALITY = "AISGF-1.0:4.1.2(e)"


@dataclass(frozen=True)
class Record:
    """One document, as every detector sees it."""

    doc_id: str
    source: str  # input file URI
    record_index: int  # 0-based position in the source file
    text: str
    label: str | None = None
    source_name: str | None = None  # logical source (--source-field), else None
    meta: Mapping[str, Any] = field(default_factory=dict)
    # The document's language and text kind once the audit has decided them (its
    # documents row), so a detector reads them instead of deciding again.
    language: str | None = None
    text_kind: str | None = None

    @property
    def key(self) -> tuple[str, int]:
        """Unique within a run even when user-supplied ids collide."""
        return (self.source, self.record_index)


@dataclass(frozen=True)
class Finding:
    """One issue found in one record. `evidence` must already be masked."""

    finding_type: str
    severity: str
    score: float
    risk_code: str
    evidence: str
    start: int | None = None
    end: int | None = None
    annex_a: str | None = None
    sensitive: bool = False
    value_hash: str | None = None
    related_doc_id: str | None = None
    cluster_id: str | None = None
    reference_id: str | None = None
    details: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if self.severity not in SEVERITY_RANK:
            raise ValueError(f"unknown severity {self.severity!r}")
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"score {self.score} outside 0..1")


class ConfigError(ValueError):
    """A detector configuration that cannot be used; the message names the key."""


@dataclass(frozen=True)
class DetectorContext:
    """What every detector of a run shares. The salt is never written anywhere."""

    salt: bytes = b""


class _Configurable:
    name: ClassVar[str]
    version: ClassVar[str]
    finding_types: ClassVar[tuple[str, ...]] = ()
    # Every accepted configuration key with its default; the type of the default is
    # the type a user's value must have.
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def __init__(
        self,
        config: Mapping[str, Any] | None = None,
        context: DetectorContext | None = None,
    ) -> None:
        self.config = resolve_config(type(self), config or {})
        self.context = context or DetectorContext()

    def setup(self) -> None:
        """Builds costly state; called once per worker before the first record."""

    def load_deferred(self) -> None:
        """Builds, after `setup`, the state `setup` leaves for first use because a
        worker may never need it (the pii detector's Chinese models, for a corpus
        without Chinese): called in a process whose forks become the workers,
        which then share it instead of each building its own."""

    @classmethod
    def data_files(cls) -> list[Path]:
        """The files the detector ships as data (weights, lexicons, word lists): every
        file under the `data/` folder beside its module."""
        return _data_files(cls)

    @classmethod
    def data_sha256(cls) -> str | None:
        """SHA-256 over the data files' names and bytes; None without data files."""
        return _data_sha256(cls)

    @classmethod
    def version_id(cls) -> str:
        """The version written to every finding and to run.json: `version` (bumped
        by hand when the code's behaviour changes) and, for a detector with data
        files, `+data.` and the first 8 hex digits of their SHA-256, so refitted
        weights or an edited lexicon always change it."""
        digest = cls.data_sha256()
        return cls.version if digest is None else f"{cls.version}+data.{digest[:8]}"

    @classmethod
    def config_fingerprint(cls, config: Mapping[str, Any]) -> str:
        """Identifies the resolved configuration and the data files it runs with."""
        blob = json.dumps(dict(config), sort_keys=True, default=str).encode()
        blob += b"\0" + (cls.data_sha256() or "").encode()
        return hashlib.sha256(blob).hexdigest()[:16]


DATA_DIR = "data"


def _data_root(cls: type) -> Path:
    return Path(sys.modules[cls.__module__].__file__).parent / DATA_DIR


@functools.cache
def _data_files(cls: type) -> list[Path]:
    root = _data_root(cls)
    if not root.is_dir():
        return []
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    )


@functools.cache
def _data_sha256(cls: type) -> str | None:
    files = _data_files(cls)
    if not files:
        return None
    root = _data_root(cls)
    h = hashlib.sha256()
    for path in files:
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


class RecordDetector(_Configurable):
    """Looks at one record at a time."""

    kind: ClassVar[str] = "record"

    def scan(self, record: Record) -> list[Finding]:
        raise NotImplementedError


class CorpusDetector(_Configurable):
    """Needs the whole corpus; its Beam composite is registered in pipelines/."""

    kind: ClassVar[str] = "corpus"
    # Nothing can be found without `--reference` works (the CLI refuses the detector
    # when named alone and skips it under `all`).
    needs_references: ClassVar[bool] = False

    def features(self, record: Record) -> Any:
        """What the corpus-level stage needs from this record's text (picklable)."""
        raise NotImplementedError


def resolve_config(cls: type, user: Mapping[str, Any]) -> dict[str, Any]:
    """Merges a user's section over the detector's DEFAULTS, checking keys, types and
    ranges (schemas/options.py)."""
    unknown = sorted(set(user) - set(cls.DEFAULTS))
    if unknown:
        raise ConfigError(
            f"detector {cls.name!r}: unknown option(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(cls.DEFAULTS)) or 'none'}"
        )
    resolved = dict(cls.DEFAULTS)
    for key, value in user.items():
        try:
            resolved[key] = check_option(cls.name, key, value, cls.DEFAULTS[key])
        except OptionError as e:
            raise ConfigError(str(e)) from None
    return resolved


def max_severity(severities: list[str] | tuple[str, ...]) -> str | None:
    if not severities:
        return None
    return max(severities, key=SEVERITY_RANK.__getitem__)
