"""Times the post-audit commands (gate, report, sample, apply) on a crafted audit.

    .venv/bin/python scripts/bench_gate.py [--docs 200000] [--sources 20]

Writes a JSONL corpus and matching audit tables (documents, findings, sources) into a
temporary directory, then prints the wall time of each command. Figures only; nothing
is asserted.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.pipelines.outputs import file_entry, open_audit
from corpusgate.pipelines.release import apply, gate, report, sample
from corpusgate.pipelines.release.policy import load_policy
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import DOCUMENTS, FINDINGS, SOURCES


def craft(root: Path, n_docs: int, n_sources: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    out = root / "out"
    for t in ("documents", "findings", "sources", "dead_letters"):
        (out / t).mkdir(parents=True)
    docs, findings, sources = [], [], []
    per = n_docs // n_sources
    for s in range(n_sources):
        path = root / "in" / f"part-{s:03d}.jsonl"
        path.parent.mkdir(exist_ok=True)
        lines = []
        flagged = 0
        for i in range(per):
            email = f"user{i}@example.com"
            text = f"record {i} of source {s}: contact {email} for details. " * 3
            lines.append(json.dumps({"id": f"{s}-{i}", "text": text}))
            r = rng.random()
            severity = "high" if r < 0.02 else "medium" if r < 0.3 else None
            decision = (
                "review" if severity == "high" else "redact" if severity else "keep"
            )
            flagged += severity == "high"
            if severity:
                start = text.index(email)
                detector = "cbrn" if severity == "high" else "pii"
                findings.append(
                    {
                        "run_id": "bench",
                        "doc_id": f"{s}-{i}",
                        "source": str(path),
                        "record_index": i,
                        "detector": detector,
                        "detector_version": "1",
                        "finding_type": "CBRN_CHEMICAL"
                        if detector == "cbrn"
                        else "EMAIL_ADDRESS",
                        "risk_code": "x",
                        "sensitive": False,
                        "severity": severity,
                        "score": rng.random(),
                        "start": start,
                        "end": start + len(email),
                        "evidence": "u***@example.com",
                    }
                )
            docs.append(
                {
                    "run_id": "bench",
                    "doc_id": f"{s}-{i}",
                    "source": str(path),
                    "record_index": i,
                    "content_sha256": "0" * 64,
                    "n_chars": len(text),
                    "language": "en",
                    "n_findings": int(bool(severity)),
                    "max_severity": severity,
                    "finding_types": [],
                    "is_duplicate": False,
                    "decision": decision,
                }
            )
        data = ("\n".join(lines) + "\n").encode()
        path.write_bytes(data)
        sources.append(
            {
                "run_id": "bench",
                "source": str(path),
                "file_sha256": hashlib.sha256(data).hexdigest(),
                "bytes": len(data),
                "records": per,
                "dead_letters": 0,
                "format": "jsonl",
                "provenance_complete": False,
                "flagged_records": flagged,
                "flagged_rate": flagged / per,
            }
        )
    for table, rows in ((DOCUMENTS, docs), (FINDINGS, findings), (SOURCES, sources)):
        pq.write_table(
            pa.Table.from_pylist(rows, schema=arrow_schema(table)),
            out / table.name / "part-0.parquet",
        )
    run = {
        "run_id": "bench",
        "detectors": [{"name": "cbrn"}, {"name": "pii"}],
        "counts": {"records_read": len(docs)},
        "config": "{}",
        "files": [
            file_entry(out, out / t.name / "part-0.parquet")
            for t in (DOCUMENTS, FINDINGS, SOURCES)
        ],
    }
    (out / "run.json").write_text(json.dumps(run))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=200_000)
    parser.add_argument("--sources", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        out = craft(Path(tmp), args.docs, args.sources)
        audit = open_audit(out)
        print(
            f"crafted {args.docs:,} documents, {audit.findings.num_rows:,} findings "
            f"in {time.perf_counter() - t0:.1f} s"
        )
        steps = [
            (
                "gate",
                lambda: gate.gate(str(out)),
            ),
            (
                "report",
                lambda: report.write_report(
                    open_audit(out), gate.evaluate(open_audit(out), load_policy())
                ),
            ),
            ("sample 4000", lambda: sample.build_sample(open_audit(out), 4000, 0)),
            ("apply", lambda: apply.apply_release(open_audit(out), Path(tmp) / "rel")),
        ]
        for name, step in steps:
            t = time.perf_counter()
            step()
            print(f"{name:12} {time.perf_counter() - t:6.2f} s")


if __name__ == "__main__":
    main()
