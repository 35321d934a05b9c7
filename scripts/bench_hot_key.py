#!/usr/bin/env python3
"""Hot keys: one text repeated N times must cost about what N distinct texts cost.

Times `corpusgate audit` on a corpus of N copies of one document and on N distinct
documents of the same length, with the duplicate detectors, in multi-process mode,
and prints the ratio (a stalled worker would show as a ratio far above 1).

    python scripts/bench_hot_key.py [--records 100000] [--detectors exact_duplicate]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import audit_command, run_counts, timed  # noqa: E402

WORDS = (
    "the room was clean and quiet staff were friendly breakfast had plenty of "
    "choice location close to the station would stay again price fair"
).split()


def write(path: Path, n: int, identical: bool) -> None:
    rng = random.Random(3)
    one = " ".join(rng.choice(WORDS) for _ in range(80))
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            text = one if identical else " ".join(rng.choice(WORDS) for _ in range(80))
            f.write(json.dumps({"id": f"d{i:07d}", "text": text}) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--detectors", default="exact_duplicate")
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    beam = [
        f"--direct_num_workers={args.workers}",
        "--direct_running_mode=multi_processing",
    ]
    results = {}
    for label, identical in (("distinct", False), ("identical", True)):
        with tempfile.TemporaryDirectory(prefix="cg-hot-") as tmp:
            corpus = Path(tmp) / "c.jsonl"
            write(corpus, args.records, identical)
            seconds, _ = timed(
                audit_command(corpus, Path(tmp) / "o", args.detectors, beam)
            )
            counts = run_counts(Path(tmp) / "o")
        results[label] = seconds
        print(
            f"{label:>9}: {args.records:,} records in {seconds:6.1f} s "
            f"({args.records / seconds:,.0f} docs/s), findings {counts['findings']:,}",
            flush=True,
        )
    print(
        f"identical/distinct time ratio: {results['identical'] / results['distinct']:.2f}"
        f" (detectors: {args.detectors})"
    )


if __name__ == "__main__":
    main()
