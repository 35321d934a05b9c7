#!/usr/bin/env python3
"""How `corpusgate audit` scales with corpus size on the local runner.

For each size (default 25k, 50k, 100k, 200k records) it generates the synthetic corpus
of `bench_pipeline.py`, runs the read-only floor and the audit with the given detectors
(default: all available) in multi-process mode, and prints wall time, docs/s, the peak
memory of the launching process, and the audit/floor ratio. Last, the slope: time at
the largest size divided by (time at the smallest × size ratio), where 1.0 is exactly
linear (target ≤ 1.1), and the launcher's memory growth.

With `--portable` the audit goes through Beam's Python job service and an external
worker pool on loopback (fresh services per size; the path Flink and Spark use): the
launching process only builds and submits the pipeline, and the peak memory of the
job service (which holds the shuffles, like a cluster) and of the worker pool are
printed beside the launcher's.

    python scripts/bench_scale.py [--sizes 25000,50000,100000,200000]
        [--detectors all] [--workers 2] [--portable]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import (  # noqa: E402
    audit_command,
    floor_command,
    make_corpus,
    run_counts,
    timed,
)

# The local job and worker services are test support (tests/support/).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.portable_services import LocalPortableServices  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="25000,50000,100000,200000")
    ap.add_argument("--detectors", default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument(
        "--portable",
        action="store_true",
        help="run the audit on a local job service + worker pool",
    )
    ap.add_argument("--skip-floor", action="store_true", help="audit only")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    beam = [
        f"--direct_num_workers={args.workers}",
        "--direct_running_mode=multi_processing",
    ]
    rows = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="cg-scale-") as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            mb = make_corpus(corpus, n) / 1e6
            floor_s = (
                None
                if args.skip_floor
                else timed(floor_command(corpus, Path(tmp) / "f", beam))[0]
            )
            services = {}
            if args.portable:
                with LocalPortableServices(Path(tmp)) as svc:
                    try:
                        audit_s, launcher_mib = timed(
                            audit_command(
                                corpus, Path(tmp) / "a", args.detectors, svc.beam_args()
                            )
                        )
                    except SystemExit as failed:
                        # Keep the services' logs, go on with the other sizes.
                        keep = Path(tempfile.mkdtemp(prefix=f"cg-scale-failed-{n}-"))
                        for log in Path(tmp).glob("*.log"):
                            shutil.copy(log, keep)
                        print(f"{n:>8,} records: {failed} (logs in {keep})", flush=True)
                        continue
                    services = svc.peak_rss_mib()
            else:
                audit_s, launcher_mib = timed(
                    audit_command(corpus, Path(tmp) / "a", args.detectors, beam)
                )
            counts = run_counts(Path(tmp) / "a")
        rows.append((n, mb, floor_s, audit_s, launcher_mib, counts["findings"]))
        ratio = f"  audit/floor {audit_s / floor_s:5.2f}" if floor_s else ""
        floor_txt = f"  floor {floor_s:7.1f} s" if floor_s else ""
        extra = "".join(
            f"  {name} {mib:6.0f} MiB" for name, mib in services.items() if mib
        )
        print(
            f"{n:>8,} records {mb:7.1f} MB{floor_txt}  audit {audit_s:7.1f} s"
            f"  {n / audit_s:7,.0f} docs/s  launcher {launcher_mib:6.0f} MiB"
            f"{extra}{ratio}",
            flush=True,
        )
    (n0, _, _, t0, m0, _), (n1, _, _, t1, m1, _) = rows[0], rows[-1]
    mode = (
        "portable runner (local job service + external worker pool)"
        if args.portable
        else f"{args.workers} workers (multi_processing)"
    )
    print(f"detectors: {args.detectors}; {mode}")
    print(
        f"slope: time x{t1 / t0:.2f} for size x{n1 / n0:.1f} "
        f"-> {t1 / (t0 * n1 / n0):.2f} x linear (target <= 1.1)"
    )
    print(f"launcher peak memory: {m0:.0f} -> {m1:.0f} MiB (x{m1 / m0:.2f})")


if __name__ == "__main__":
    main()
