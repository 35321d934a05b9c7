#!/usr/bin/env python3
"""How `corpusgate audit` scales with corpus size, on one or more runners.

For each size (default 25k, 50k, 100k, 200k records) it generates the synthetic corpus
of `bench_pipeline.py`, runs the read-only floor and the audit with the given detectors
(default: all available) on each runner of `--runners`, and prints wall time, docs/s,
the peak memory of the launching process, and the audit/floor ratio. Last, per runner,
the slope: time at the largest size divided by (time at the smallest x size ratio),
where 1.0 is exactly linear (target <= 1.1), and the growth of each process's memory.

Runners (the same corpus, one after the other, in the same run):
  local     Beam's in-process runner, `--workers` processes (multi_processing)
  portable  Beam's Python job service and an external worker pool on loopback
  flink     Beam's Flink job server (an embedded Flink cluster) and a worker pool
  spark     Beam's Spark job server (local Spark, `local[2]`) and a worker pool
The job-server jars come from `scripts/fetch_runners.sh`; a runner whose jar is
missing is reported and left out. For the job-server runners the launching process
only builds and submits the pipeline; the peak memory of the job server (with what it
starts) and of the worker pool (with its SDK workers) are printed beside it. Services
are started fresh for every size.

    python scripts/bench_scale.py [--sizes 25000,50000,100000,200000]
        [--detectors all] [--workers 2] [--runners local,portable,flink,spark]
        [--portable (= --runners portable)] [--skip-floor]
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
from tests.support.portable_services import (  # noqa: E402
    LocalPortableServices,
    MissingJobServer,
)

RUNNERS = ("local", "portable", "flink", "spark")


def run_audit(runner: str, corpus: Path, tmp: Path, detectors: str, beam: list[str]):
    """(seconds, launcher MiB, {service: peak MiB}) of one audit into tmp/runner/out."""
    work = tmp / runner
    work.mkdir()
    out = work / "out"
    if runner == "local":
        return (*timed(audit_command(corpus, out, detectors, beam)), {})
    engine = "python" if runner == "portable" else runner
    with LocalPortableServices(work, engine=engine) as svc:
        try:
            seconds, launcher = timed(
                audit_command(corpus, out, detectors, svc.beam_args())
            )
        except SystemExit:
            # Keep the services' logs for the report, go on with the others.
            keep = Path(tempfile.mkdtemp(prefix=f"cg-scale-failed-{runner}-"))
            for log in work.glob("*.log"):
                shutil.copy(log, keep)
            raise SystemExit(f"failed (logs in {keep})") from None
        return seconds, launcher, svc.peak_rss_mib()


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="25000,50000,100000,200000")
    ap.add_argument("--detectors", default="all")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--runners", default="local", help=",".join(RUNNERS))
    ap.add_argument("--portable", action="store_true", help="= --runners portable")
    ap.add_argument("--skip-floor", action="store_true", help="audit only")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    runners = ["portable"] if args.portable else args.runners.split(",")
    unknown = sorted(set(runners) - set(RUNNERS))
    if unknown:
        ap.error(f"unknown runner(s) {', '.join(unknown)}; choose from {RUNNERS}")
    beam = [
        f"--direct_num_workers={args.workers}",
        "--direct_running_mode=multi_processing",
    ]
    results: dict[str, list[tuple]] = {r: [] for r in runners}
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix="cg-scale-") as tmp:
            corpus = Path(tmp) / "corpus.jsonl"
            mb = make_corpus(corpus, n) / 1e6
            floor_s = (
                None
                if args.skip_floor
                else timed(floor_command(corpus, Path(tmp) / "f", beam))[0]
            )
            for runner in list(runners):
                try:
                    audit_s, launcher_mib, services = run_audit(
                        runner, corpus, Path(tmp), args.detectors, beam
                    )
                except MissingJobServer as missing:
                    print(f"{runner}: left out: {missing}", flush=True)
                    runners.remove(runner)
                    continue
                except (SystemExit, RuntimeError) as failed:
                    print(f"{runner:>8} {n:>8,} records: {failed}", flush=True)
                    continue
                findings = run_counts(Path(tmp) / runner / "out")["findings"]
                results[runner].append((n, audit_s, launcher_mib, services, findings))
                ratio = f"  audit/floor {audit_s / floor_s:5.2f}" if floor_s else ""
                floor_txt = f"  floor {floor_s:7.1f} s" if floor_s else ""
                extra = "".join(
                    f"  {name} {mib:6.0f} MiB" for name, mib in services.items() if mib
                )
                print(
                    f"{runner:>8} {n:>8,} records {mb:7.1f} MB{floor_txt}"
                    f"  audit {audit_s:7.1f} s  {n / audit_s:7,.0f} docs/s"
                    f"  launcher {launcher_mib:6.0f} MiB{extra}{ratio}"
                    f"  findings {findings:,}",
                    flush=True,
                )
    print(f"detectors: {args.detectors}; local runner: {args.workers} workers")
    for runner, rows in results.items():
        if len(rows) < 2:
            continue
        (n0, t0, m0, s0, _), (n1, t1, m1, s1, _) = rows[0], rows[-1]
        growth = "".join(
            f", {name} {s0[name]:.0f} -> {s1[name]:.0f} MiB"
            for name in s1
            if s0.get(name)
        )
        print(
            f"{runner}: time x{t1 / t0:.2f} for size x{n1 / n0:.1f} "
            f"-> {t1 / (t0 * n1 / n0):.2f} x linear (target <= 1.1); "
            f"launcher {m0:.0f} -> {m1:.0f} MiB{growth}"
        )


if __name__ == "__main__":
    main()
