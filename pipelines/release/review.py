"""`corpusgate review OUT --verdicts FILE`: folds reviewers' verdicts back in.

FILE is CSV or Parquet with columns `doc_id`, `verdict` (pass | fail), and optionally
`reason` and `reviewer`; other columns are ignored, so the filled-in
`OUT/sample/sample.csv` itself can be given. Rows with an empty verdict are not yet
reviewed and are skipped. Every verdict is checked against the sample (unknown
doc_id, bad verdict, the same doc_id twice → exit 2 naming the row). Verdicts are
stored in `OUT/review/verdicts.parquet`, merged with earlier batches (a later verdict
for a record replaces the earlier one); `gate` then evaluates its manual check.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.pipelines import outputs
from corpusgate.pipelines.errors import UsageError
from corpusgate.pipelines.outputs import AuditOutput, open_audit
from corpusgate.pipelines.release.csv_cells import unescape_cell
from corpusgate.pipelines.release.sample import sample_path
from corpusgate.pipelines.release.statistics import Bounds, clopper_pearson

VERDICTS_SCHEMA = pa.schema(
    [
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("verdict", pa.string(), nullable=False),  # pass | fail
        pa.field("reason", pa.string()),
        pa.field("reviewer", pa.string()),
        pa.field("verdicts_file", pa.string()),
        pa.field("recorded_at", pa.string()),
    ]
)
VERDICTS = ("pass", "fail")


def verdicts_path(audit: AuditOutput) -> str:
    return audit.path("review", "verdicts.parquet")


def stored_verdicts(audit: AuditOutput) -> list[dict[str, Any]] | None:
    """The stored verdict rows (run_id, doc_id, verdict) of this run, None if none;
    verdicts of another run are an error naming the fix."""
    path = verdicts_path(audit)
    if not outputs.exists(path):
        return None
    try:
        table = outputs.read_parquet(path, columns=["run_id", "doc_id", "verdict"])
    except Exception as e:  # pyarrow raises several types for unreadable files
        raise UsageError(f"{path}: not a readable verdicts table ({e})") from None
    rows = table.to_pylist()
    stale = [r for r in rows if r["run_id"] != audit.run_id]
    if stale:
        raise UsageError(
            f"{path}: verdicts belong to run {stale[0]['run_id']}, an earlier audit, "
            f"not to run {audit.run_id} now in {audit.root}; run `corpusgate sample "
            f"{audit.root} --force` to draw a sample for this run (the old verdicts "
            "are then removed)"
        )
    return rows


def load_verdicts(audit: AuditOutput) -> list[str] | None:
    """The stored verdicts ("pass"/"fail") for this run, or None when there are none."""
    rows = stored_verdicts(audit) or []
    return [r["verdict"] for r in rows] or None


def passed_doc_ids(audit: AuditOutput) -> set[str]:
    """The documents a reviewer passed in this run."""
    rows = stored_verdicts(audit) or []
    return {r["doc_id"] for r in rows if r["verdict"] == "pass"}


def _unescaped(row: dict[str, Any]) -> dict[str, Any]:
    """A CSV row with the sample's formula escaping undone (csv_cells)."""
    doc_id = row.get("doc_id")
    if isinstance(doc_id, str):
        row = {**row, "doc_id": unescape_cell(doc_id)}
    return row


def read_verdict_rows(path: Path) -> list[tuple[str, dict[str, Any]]]:
    """(where, row) for every row of a CSV or Parquet verdicts file; `where` names the
    row as the user sees it ("line 7" in a CSV, "row 6" in Parquet)."""
    if not path.is_file():
        raise UsageError(f"{path}: no such verdicts file")
    name = path.name.lower()
    if name.endswith(".parquet"):
        try:
            table = pq.read_table(path)
        except Exception as e:  # pyarrow raises several types for unreadable files
            raise UsageError(f"{path}: not a readable Parquet file ({e})") from None
        columns = table.column_names
        rows = [(f"row {i + 1}", r) for i, r in enumerate(table.to_pylist())]
    elif name.endswith(".csv"):
        try:
            with open(path, encoding="utf-8-sig", newline="") as f:
                reader = csv.DictReader(f)
                columns = list(reader.fieldnames or [])
                rows = [(f"line {reader.line_num}", _unescaped(r)) for r in reader]
        except (UnicodeDecodeError, csv.Error) as e:
            raise UsageError(f"{path}: not a readable UTF-8 CSV file ({e})") from None
    else:
        raise UsageError(f"{path}: expected a .csv or .parquet verdicts file")
    missing = [c for c in ("doc_id", "verdict") if c not in columns]
    if missing:
        raise UsageError(
            f"{path}: missing column {missing[0]!r} (need doc_id, verdict)"
        )
    return rows


def validate(
    path: Path, rows: list[tuple[str, dict[str, Any]]], sample_ids: set[str]
) -> list[dict[str, Any]]:
    """The reviewed rows, normalised; UsageError naming the first bad row."""
    seen: dict[str, str] = {}
    out = []
    for where, row in rows:
        doc_id = row.get("doc_id")
        doc_id = "" if doc_id is None else str(doc_id).strip()
        verdict = row.get("verdict")
        verdict = "" if verdict is None else str(verdict).strip().lower()
        if not verdict:
            continue  # not reviewed yet
        if not doc_id:
            raise UsageError(f"{path}: {where}: empty doc_id")
        if verdict not in VERDICTS:
            raise UsageError(
                f"{path}: {where}: verdict {verdict!r} is not pass or fail"
            )
        if doc_id not in sample_ids:
            raise UsageError(f"{path}: {where}: doc_id {doc_id!r} is not in the sample")
        if doc_id in seen:
            raise UsageError(
                f"{path}: {where}: doc_id {doc_id!r} already has a verdict "
                f"at {seen[doc_id]}"
            )
        seen[doc_id] = where

        out.append(
            {
                "doc_id": doc_id,
                "verdict": verdict,
                "reason": _optional(row, "reason"),
                "reviewer": _optional(row, "reviewer"),
            }
        )
    return out


def _optional(row: dict[str, Any], key: str) -> str | None:
    value = row.get(key)
    value = None if value is None else str(value).strip()
    return value or None


def record_verdicts(audit: AuditOutput, verdicts_file: Path) -> list[dict[str, Any]]:
    """Validates and stores the verdicts of `verdicts_file`; returns all stored ones."""
    spath = sample_path(audit)
    if not outputs.exists(spath):
        raise UsageError(f"{spath}: no review sample; run `corpusgate sample` first")
    sample = outputs.read_parquet(spath, columns=["run_id", "doc_id"])
    sample_runs = set(sample.column("run_id").to_pylist()) - {audit.run_id}
    if sample_runs:
        raise UsageError(
            f"{spath}: the sample was drawn from run {min(sample_runs)}, an earlier "
            f"audit, not from run {audit.run_id} now in {audit.root}; run "
            f"`corpusgate sample {audit.root} --force` first"
        )
    sample_ids = set(sample.column("doc_id").to_pylist())
    new = validate(verdicts_file, read_verdict_rows(verdicts_file), sample_ids)
    if not new:
        raise UsageError(f"{verdicts_file}: no verdicts (every verdict cell is empty)")
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for v in new:
        v.update(run_id=audit.run_id, verdicts_file=str(verdicts_file), recorded_at=now)
    path = verdicts_path(audit)
    merged: dict[str, dict[str, Any]] = {}
    if outputs.exists(path):
        for v in outputs.read_parquet(path).to_pylist():
            if v["run_id"] == audit.run_id:
                merged[v["doc_id"]] = v
    for v in new:
        merged[v["doc_id"]] = v
    rows = list(merged.values())
    outputs.write_parquet(path, pa.Table.from_pylist(rows, schema=VERDICTS_SCHEMA))
    return rows


@dataclass
class ReviewResult:
    """Every verdict stored for the run, and where."""

    rows: list[dict[str, Any]]
    path: str

    @property
    def passed(self) -> int:
        return sum(1 for r in self.rows if r["verdict"] == "pass")

    @property
    def bounds(self) -> Bounds:
        """The pass rate with its one-sided 95% bounds."""
        return clopper_pearson(self.passed, len(self.rows))


def review(out: str, verdicts_file: str) -> ReviewResult:
    """Validates the verdicts of `verdicts_file` and stores them under OUT."""
    audit = open_audit(out)
    rows = record_verdicts(audit, Path(verdicts_file))
    return ReviewResult(rows, verdicts_path(audit))
