"""A reviewer's round trip through `sample.csv`: read the drawn rows, write verdicts."""

from __future__ import annotations

import csv
from pathlib import Path


def read_sample(out: Path) -> list[dict[str, str]]:
    """The rows of OUT/sample/sample.csv (written with a BOM for spreadsheets)."""
    with open(
        Path(out) / "sample" / "sample.csv", encoding="utf-8-sig", newline=""
    ) as f:
        return list(csv.DictReader(f))


def write_verdicts(
    path: Path, rows: list[dict[str, str]], encoding: str = "utf-8"
) -> Path:
    """`rows` as a verdicts CSV at `path`, columns in the rows' order."""
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
