"""The summary printed after a run, read back from the finished audit's tables."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pyarrow as pa
from corpusgate.pipelines import outputs
from corpusgate.pipelines.release.gate import documents_source_rates
from corpusgate.pipelines.release.policy import load_policy
from corpusgate.schemas import TABLES


def read_table(out: str, name: str, columns: list[str]) -> pa.Table:
    return outputs.read_table(out, TABLES[name]).select(columns)


def _table(rows: list[tuple[Any, ...]], headers: tuple[str, ...]) -> str:
    cells = [tuple(str(c) for c in headers)] + [tuple(str(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


DECISIONS = ("keep", "redact", "review", "drop")


def summary_text(out: str, manifest: dict[str, Any]) -> str:
    c = manifest["counts"]
    parts = [
        f"corpusgate audit {manifest['run_id']} ({manifest['runner']})",
        "",
        _table(
            [
                ("records read", c["records_read"]),
                ("scanned", c["scanned"]),
                ("dead-lettered", c["dead_lettered"]),
                ("detector errors", c["detector_errors"]),
                ("findings", c["findings"]),
                *(
                    [(f"findings over the cap of {_cap(manifest)}", over)]
                    if (over := c.get("findings_over_cap", 0))
                    else []
                ),
            ],
            ("count", "n"),
        ),
    ]
    findings = read_table(out, "findings", ["detector", "finding_type", "severity"])
    if findings.num_rows:
        by_type = Counter(
            zip(
                *(
                    findings.column(k).to_pylist()
                    for k in ("detector", "finding_type", "severity")
                ),
                strict=True,
            )
        )
        parts += [
            "",
            _table(
                [(*k, n) for k, n in sorted(by_type.items())],
                ("detector", "finding type", "severity", "findings"),
            ),
        ]
    documents = read_table(out, "documents", ["decision"])
    decisions = Counter(documents.column("decision").to_pylist())
    parts += [
        "",
        _table(
            [(d, decisions.get(d, 0)) for d in DECISIONS],
            ("decision", "documents"),
        ),
    ]
    dead = read_table(out, "dead_letters", ["stage", "error_type"])
    if dead.num_rows:
        reasons = Counter(
            zip(
                dead.column("stage").to_pylist(),
                dead.column("error_type").to_pylist(),
                strict=True,
            )
        )
        parts += [
            "",
            _table(
                [(*k, n) for k, n in sorted(reasons.items())],
                ("dead-letter stage", "reason", "records"),
            ),
        ]
    # Each source's decision as `corpusgate gate` takes it under the default policy.
    docs = read_table(out, "documents", ["source", "source_name", "max_severity"])
    rates = documents_source_rates(docs, load_policy().rules["source_flagged_rate"])
    rows = [
        (r.source.rsplit("/", 1)[-1], r.n, f"{r.k / r.n:.1%}", r.decision)
        for r in rates
    ]
    parts += [
        "",
        _table(sorted(rows), ("source", "scanned", "flagged", "decision")),
        "(decision: `corpusgate gate` per source, default policy)",
    ]
    parts += _logical_sources(out)
    skipped = manifest.get("skipped_inputs") or []
    if skipped:
        names = ", ".join(p.rsplit("/", 1)[-1] for p in skipped[:5])
        more = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
        parts += [
            "",
            f"not read: {len(skipped)} file(s) of unknown type ({names}{more}); "
            "--format reads them",
        ]
    parts += [
        "",
        f"manifests: {out}/{{findings,documents,sources,dead_letters}}/*.parquet",
        f"run manifest: {out}/run.json",
    ]
    return "\n".join(parts)


def _cap(manifest: dict[str, Any]) -> str:
    import json

    try:
        cap = json.loads(manifest.get("config") or "{}").get("max_findings_per_record")
    except ValueError:
        cap = None
    return f"{cap} per record (counted, not stored)" if cap else "per record"


def _logical_sources(out: str) -> list[str]:
    """Decisions per logical source (--source-field, a .txt folder or source_id), the
    grouping `gate` judges sources by; nothing when every record is its file's."""
    documents = read_table(out, "documents", ["source_name", "decision"])
    names = documents.column("source_name").to_pylist()
    if all(n is None for n in names):
        return []
    counts: dict[str, Counter[str]] = {}
    for name, decision in zip(
        names, documents.column("decision").to_pylist(), strict=True
    ):
        counts.setdefault("(none)" if name is None else name, Counter())[decision] += 1
    rows = [
        (name, sum(c.values()), *(c.get(d, 0) for d in DECISIONS))
        for name, c in sorted(counts.items())
    ]
    return ["", _table(rows, ("logical source", "records", *DECISIONS))]


def print_summary(out: str, manifest: dict[str, Any]) -> None:
    print(summary_text(out, manifest))
