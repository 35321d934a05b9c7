"""Crafted audit outputs (the tables of docs/tables.md) for testing the post-audit commands without
running the Beam job: tables written with the project's Arrow schemas."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.detectors.base import SEVERITY_RANK
from corpusgate.pipelines.outputs import file_entry
from corpusgate.schemas import SCHEMA_VERSION
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import (
    DEAD_LETTERS,
    DOCUMENTS,
    FINDINGS,
    SOURCES,
    conform,
)

RUN_ID = "run-test"


def doc(
    source: str,
    index: int,
    decision: str = "keep",
    max_severity: str | None = None,
    doc_id: str | None = None,
    source_name: str | None = None,
    finding_types: tuple[str, ...] = (),
) -> dict[str, Any]:
    return {
        "run_id": RUN_ID,
        "doc_id": doc_id or f"{source}:{index}",
        "source": source,
        "record_index": index,
        "source_name": source_name,
        "content_sha256": "0" * 64,
        "n_chars": 10,
        "language": "en",
        "text_kind": "prose",
        "n_findings": len(finding_types),
        "max_severity": max_severity,
        "finding_types": list(finding_types),
        "is_duplicate": False,
        "decision": decision,
    }


def finding(
    source: str,
    index: int,
    detector: str = "pii",
    finding_type: str = "EMAIL_ADDRESS",
    severity: str = "medium",
    start: int | None = None,
    end: int | None = None,
    sensitive: bool = False,
    score: float = 0.9,
    evidence: str = "j***@example.com",
) -> dict[str, Any]:
    return {
        "run_id": RUN_ID,
        "doc_id": f"{source}:{index}",
        "source": source,
        "record_index": index,
        "detector": detector,
        "detector_version": "1",
        "finding_type": finding_type,
        "risk_code": "AISGF-1.0:3.1.2(a)",
        "sensitive": sensitive,
        "severity": severity,
        "score": score,
        "start": start,
        "end": end,
        "evidence": evidence,
    }


def source_row(source: str, records: int, flagged: int = 0, fmt: str = "jsonl", **prov):
    scanned = records - prov.pop("dead_letters", 0)
    return {
        "run_id": RUN_ID,
        "source": source,
        "file_sha256": prov.pop("file_sha256", ""),
        "bytes": 0,
        "records": records,
        "dead_letters": records - scanned,
        "format": fmt,
        "provenance_complete": False,
        "flagged_records": flagged,
        "flagged_rate": flagged / scanned if scanned else 0.0,
        **prov,
    }


def many_docs(source: str, n: int, flagged: int = 0, **kw) -> list[dict[str, Any]]:
    """n documents of one source, the first `flagged` with max_severity high."""
    return [
        doc(source, i, max_severity="high" if i < flagged else None, **kw)
        for i in range(n)
    ]


def write_audit(
    root: Path,
    documents: list[dict[str, Any]],
    findings: list[dict[str, Any]] = (),
    sources: list[dict[str, Any]] | None = None,
    dead_letters: list[dict[str, Any]] = (),
    detectors: tuple[str, ...] = ("pii", "secrets", "cbrn"),
    finish: bool = True,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if sources is None:
        n = Counter(d["source"] for d in documents)
        flagged = Counter(
            d["source"]
            for d in documents
            if d["max_severity"] and SEVERITY_RANK[d["max_severity"]] >= 3
        )
        sources = [source_row(s, n[s], flagged[s]) for s in sorted(n)]
    for table, rows in (
        (DOCUMENTS, documents),
        (FINDINGS, findings),
        (SOURCES, sources),
        (DEAD_LETTERS, dead_letters),
    ):
        (root / table.name).mkdir(exist_ok=True)
        arrow = pa.Table.from_pylist(
            [conform(table, r) for r in rows], schema=arrow_schema(table)
        )
        pq.write_table(arrow, root / table.name / "part-00000.parquet")
    if finish:
        records = sum(s["records"] for s in sources)
        run = {
            "run_id": RUN_ID,
            "corpusgate_version": "0.1.0",
            "schema_version": SCHEMA_VERSION,
            "started_at": "2026-01-01T00:00:00+00:00",
            "finished_at": "2026-01-01T00:01:00+00:00",
            "runner": "DirectRunner",
            "argv": ["audit"],
            "detectors": [
                {"name": d, "version": "1", "config_fingerprint": "abc"}
                for d in detectors
            ],
            "inputs": [
                {"uri": s["source"], "sha256": s["file_sha256"], "bytes": s["bytes"]}
                for s in sources
            ],
            "counts": {
                "records_read": records,
                "scanned": len(documents),
                "dead_lettered": records - len(documents),
                "detector_errors": 0,
                "findings": len(findings),
                "findings_by_detector": [],
            },
            "config": json.dumps({"read": {"text_field": "text"}}),
            "dependencies": "{}",
            "files": table_files(root),
        }
        (root / "run.json").write_text(json.dumps(run), encoding="utf-8")
    return root


def table_files(root: Path) -> list[dict[str, Any]]:
    """run.json `files` for the table files now in root."""
    return [
        file_entry(root, path)
        for table in (DOCUMENTS, FINDINGS, SOURCES, DEAD_LETTERS)
        for path in sorted((root / table.name).glob("*.parquet"))
    ]


def refresh_files(root: Path) -> None:
    """Records the table files as they are now in run.json (a test that edits a table
    on purpose, to reach the check behind the integrity check)."""
    run = json.loads((root / "run.json").read_text(encoding="utf-8"))
    run["files"] = table_files(root)
    (root / "run.json").write_text(json.dumps(run), encoding="utf-8")
