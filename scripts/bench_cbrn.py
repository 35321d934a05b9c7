"""CBRN detector benchmark: accuracy on the dev set against a keyword-only baseline,
and single-core throughput on synthetic 1 KB documents.

    .venv/bin/python scripts/bench_cbrn.py [--evalset ../shared/evalsets/cbrn/mixed]
        [--docs 5000] [--skip-audit]

1. Runs `corpusgate audit corpus.jsonl --out TMP --detectors cbrn` and scores it with
   `score.py cbrn` (a document is flagged at severity >= high).
2. Keyword-only baseline, same run: any lexicon agent name -> high; written as a
   findings Parquet and scored by the same script.
3. Throughput: `CbrnDetector.scan` on synthetic ~1 KB documents in one process.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.detectors.base import Record
from corpusgate.detectors.cbrn import CbrnDetector

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVALSET = REPO.parent / "shared" / "evalsets" / "cbrn" / "mixed"


def score(evalset: Path, out: Path) -> dict:
    res = subprocess.run(
        [
            sys.executable,
            str(evalset.parent.parent / "score.py"),
            "cbrn",
            str(out),
            str(evalset / "truth.jsonl"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout.splitlines()[0])["micro"]


def run_audit(evalset: Path, out: Path) -> float:
    cli = Path(sys.executable).with_name("corpusgate")
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(cli),
            "audit",
            str(evalset / "corpus.jsonl"),
            "--out",
            str(out),
            "--detectors",
            "cbrn",
            "--overwrite",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t0


def keyword_baseline(evalset: Path, out: Path, detector: CbrnDetector) -> None:
    """Any agent name (any non-context lexicon entry, no context) -> high."""
    matcher = detector._matcher
    rows = []
    with open(evalset / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            hits = [
                h
                for h in matcher.match(doc["text"]).entities
                if not h.weak and not matcher.entry(h).is_context
            ]
            if hits:
                rows.append(
                    {
                        "doc_id": doc["id"],
                        "detector": "cbrn",
                        "finding_type": "CBRN_"
                        + matcher.entry(hits[0]).category.upper(),
                        "score": 1.0,
                        "severity": "high",
                    }
                )
    (out / "findings").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), out / "findings" / "part-0.parquet")


_BENIGN = [
    "The committee met on Tuesday to review the budget for the coming year.",
    "Researchers measured rainfall at 40 stations across the region.",
    "本周天气晴朗，最高气温二十度，适合户外活动。",
    "The recipe calls for 200 g of flour, two eggs and 100 mL of milk.",
    "Customers praised the hotel's clean rooms and friendly staff.",
    "公司发布了新的季度财报，营收同比增长百分之十二。",
    "The library will extend its opening hours during the exam period.",
    "Students learned how vaccines train the immune system.",
]
_CBRN = [
    "Sarin is a nerve agent banned by the Chemical Weapons Convention.",
    "Step 1: culture the strain at 37 °C for 48 hours, then purify it.",
    "炭疽杆菌是一种可形成芽孢的细菌。",
    "The reactor uses low enriched uranium fuel at 4% U-235.",
]


def synthetic_docs(n: int, size: int = 1024, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        parts: list[str] = []
        pool = _BENIGN + (_CBRN if i % 10 == 0 else [])  # 10% touch the domain
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(pool))
        docs.append(" ".join(parts)[:size])
    return docs


def throughput(detector: CbrnDetector, n: int) -> tuple[float, int]:
    docs = synthetic_docs(n)
    records = [Record(str(i), "bench", i, t) for i, t in enumerate(docs)]
    for r in records[:200]:  # warm-up
        detector.scan(r)
    t0 = time.process_time()
    found = sum(len(detector.scan(r)) for r in records)
    return n / (time.process_time() - t0), found


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evalset", type=Path, default=DEFAULT_EVALSET)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--skip-audit", action="store_true", help="throughput only")
    args = ap.parse_args()

    detector = CbrnDetector()
    detector.setup()
    print(f"cbrn {detector.version}, lexicon {detector.lexicon.version}")
    if not args.skip_audit:
        with tempfile.TemporaryDirectory() as tmp:
            out, base = Path(tmp) / "audit", Path(tmp) / "baseline"
            secs = run_audit(args.evalset, out)
            ours = score(args.evalset, out)
            keyword_baseline(args.evalset, base, detector)
            kw = score(args.evalset, base)
        print(f"dev set {args.evalset} (flagged = severity >= high)")
        for name, m in (("corpusgate cbrn", ours), ("keyword baseline", kw)):
            print(
                f"  {name:<18} precision={m['precision']:.3f} recall={m['recall']:.3f}"
                f" f1={m['f1']:.3f} (tp={m['tp']} fp={m['fp']} fn={m['fn']})"
            )
        print(f"  F1 gain over baseline: {ours['f1'] - kw['f1']:+.3f}")
        print(f"  audit wall time (DirectRunner, incl. start-up): {secs:.1f} s")
    rate, found = throughput(detector, args.docs)
    print(
        f"throughput: {rate:,.0f} docs/s per core on {args.docs} synthetic 1 KB docs "
        f"({found} findings)"
    )


if __name__ == "__main__":
    main()
