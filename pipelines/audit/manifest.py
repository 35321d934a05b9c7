"""run.json: the run manifest, written last into OUT once the tables are committed.

It records what ran (detector versions with their data hashes, configuration
fingerprints, the installed versions of the runtime dependencies), on what (inputs
with their hashes) and with which counts, reconciled before anything is committed.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from importlib import metadata
from typing import TYPE_CHECKING, Any

from apache_beam.io.filesystems import FileSystems
from corpusgate.detectors import registry
from corpusgate.pipelines.audit.write import COUNTS_FILE
from corpusgate.schemas import RUN, SCHEMA_VERSION

if TYPE_CHECKING:
    from corpusgate.pipelines.audit.job import AuditConfig


def runtime_dependencies() -> list[str]:
    """The distributions corpusgate requires at run time, from its package metadata
    (pyproject.toml `dependencies`; extras such as dev are left out)."""
    try:
        requirements = metadata.requires("corpusgate") or []
    except metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        if "extra ==" in requirement.replace('"', "").replace("'", ""):
            continue
        match = re.match(r"[A-Za-z0-9][A-Za-z0-9._-]*", requirement)
        if match:
            names.append(match.group(0))
    return sorted(set(names), key=str.lower)


def corpusgate_version() -> str:
    try:
        return metadata.version("corpusgate")
    except metadata.PackageNotFoundError:
        return "0+unknown"


class ReconciliationError(RuntimeError):
    pass


def read_counts(staging: str) -> dict[str, int]:
    with FileSystems.open(FileSystems.join(staging, COUNTS_FILE)) as f:
        lines = [line for line in f.read().decode().splitlines() if line.strip()]
    return json.loads(lines[0]) if lines else {}


def run_manifest(
    config: AuditConfig, raw_counts: dict[str, int], started_at: str, runner: str
) -> dict[str, Any]:
    findings_by_detector = sorted(
        (k.split(".", 1)[1], v)
        for k, v in raw_counts.items()
        if k.startswith("findings.")
    )
    inputs = sorted(
        (k.split("\0")[1], k.split("\0")[2], v)
        for k, v in raw_counts.items()
        if k.startswith("input\0")
    )
    counts = {
        "records_read": raw_counts.get("records_read", 0),
        "scanned": raw_counts.get("scanned", 0),
        "dead_lettered": raw_counts.get("dead_lettered", 0),
        "detector_errors": raw_counts.get("detector_errors", 0),
        "findings_over_cap": raw_counts.get("findings_over_cap", 0),
        "findings": sum(v for _, v in findings_by_detector),
        "findings_by_detector": [
            {"detector": d, "findings": n} for d, n in findings_by_detector
        ],
    }
    versions = {}
    for dist in runtime_dependencies():
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = None
    detectors = [
        {
            "name": s.name,
            "version": registry.get(s.name).version_id(),
            "config_fingerprint": registry.get(s.name).config_fingerprint(s.config),
        }
        for s in config.detectors
    ]
    return {
        "run_id": config.run_id,
        "corpusgate_version": corpusgate_version(),
        "schema_version": SCHEMA_VERSION,
        "started_at": started_at,
        "finished_at": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
        "runner": runner,
        "argv": list(config.argv),
        "detectors": detectors,
        "inputs": [{"uri": u, "sha256": h, "bytes": b} for u, h, b in inputs],
        "skipped_inputs": list(config.skipped_inputs),
        "counts": counts,
        "config": json.dumps(config.resolved(), sort_keys=True, default=str),
        "dependencies": json.dumps(versions, sort_keys=True),
        "files": [],  # filled in once the tables are committed
    }


def validate_manifest(manifest: dict[str, Any]) -> None:
    """run.json must fit the RUN table definition (so its Avro/Arrow forms do too)."""
    import pyarrow as pa
    from corpusgate.schemas.arrow import arrow_schema

    pa.Table.from_pylist([manifest], schema=arrow_schema(RUN))
