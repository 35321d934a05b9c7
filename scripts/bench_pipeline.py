#!/usr/bin/env python3
"""Throughput of `corpusgate audit` against a read-only floor, in the same run.

Generates a synthetic bilingual corpus (default 100,000 records, ~10% planted exact
duplicates, ~1% planted secrets), then times, each in its own process:

* floor: read + decode + write the documents table (no detectors), and
* audit: `corpusgate audit` with the given detectors (default secrets,exact_duplicate),

and prints docs/s, MB/s, peak memory (max RSS of the process tree's largest process)
and the audit/floor time ratio.

    python scripts/bench_pipeline.py [--records 100000] [--detectors secrets,exact_duplicate]
        [--beam-arg=--direct_num_workers=2 --beam-arg=--direct_running_mode=multi_processing]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ZH = "这家酒店的位置很好离地铁站很近房间干净服务热情早餐种类丰富价格合理下次还会再来"
EN = (
    "the room was clean and quiet staff were friendly breakfast had plenty of choice "
    "location close to the station would stay again price fair"
).split()


def make_corpus(path: Path, n: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            if texts and rng.random() < 0.1:
                text = rng.choice(texts)  # planted exact duplicate
            elif i % 2:
                text = "".join(rng.choice(ZH) for _ in range(rng.randint(60, 200)))
            else:
                text = " ".join(rng.choice(EN) for _ in range(rng.randint(40, 160)))
            if rng.random() < 0.01:
                text += " aws key AKIA" + "".join(
                    rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16)
                )
            texts.append(text)
            f.write(
                json.dumps({"id": f"doc-{i:07d}", "text": text}, ensure_ascii=False)
                + "\n"
            )
    return path.stat().st_size


def run_floor(corpus: str, out: str, beam_args: list[str]) -> None:
    """read + decode + write the documents table, nothing else."""
    import apache_beam as beam
    from corpusgate.detectors.text import sha256_hex
    from corpusgate.pipelines.audit.read import ReadCorpus
    from corpusgate.pipelines.audit.runner import runner_and_options
    from corpusgate.pipelines.audit.write import WriteTable
    from corpusgate.pipelines.inputs import ReadOptions, expand_inputs
    from corpusgate.schemas import DOCUMENTS

    runner, options, _ = runner_and_options(beam_args)
    inputs = expand_inputs([corpus])
    with beam.Pipeline(runner=runner, options=options) as p:
        read = p | ReadCorpus("floor", inputs, ReadOptions())
        (
            read.records
            | beam.Map(
                lambda r: {
                    "run_id": "floor",
                    "doc_id": r.doc_id,
                    "source": r.source,
                    "record_index": r.record_index,
                    "content_sha256": sha256_hex(r.text),
                    "n_chars": len(r.text),
                    "language": "",
                    "n_findings": 0,
                    "finding_types": [],
                    "is_duplicate": False,
                    "decision": "keep",
                }
            )
            | WriteTable(DOCUMENTS, out)
        )


def floor_command(corpus: Path, out: Path, beam_args: list[str]) -> list[str]:
    return [
        sys.executable,
        str(Path(__file__).resolve()),
        "--floor-only",
        str(corpus),
        str(out),
        *(f"--beam-arg={a}" for a in beam_args),
    ]


def audit_command(
    corpus: Path, out: Path, detectors: str, beam_args: list[str]
) -> list[str]:
    return [
        sys.executable,
        "-m",
        "corpusgate.pipelines.cli",
        "audit",
        str(corpus),
        "--out",
        str(out),
        "--detectors",
        detectors,
        *beam_args,
    ]


def run_counts(out: Path) -> dict:
    return json.loads((Path(out) / "run.json").read_text())["counts"]


def timed(cmd: list[str]) -> tuple[float, float]:
    """(seconds, peak RSS in MiB of the largest process) of one command."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"command failed ({status}): {' '.join(cmd)}")
    # ru_maxrss covers the process and, via RUSAGE of waited children, not grandchildren;
    # multi-process workers are reported by the launcher's own peak only.
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--detectors", default="secrets,exact_duplicate")
    ap.add_argument(
        "--beam-arg",
        action="append",
        default=[],
        help="a Beam option for both runs, e.g. --beam-arg=--direct_num_workers=2",
    )
    ap.add_argument(
        "--floor-only", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS
    )
    args = ap.parse_args()
    if args.floor_only:
        run_floor(args.floor_only[0], args.floor_only[1], args.beam_arg)
        return

    with tempfile.TemporaryDirectory(prefix="cg-bench-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        size = make_corpus(corpus, args.records)
        mb = size / 1e6
        floor_s, floor_mem = timed(
            floor_command(corpus, Path(tmp) / "floor", args.beam_arg)
        )
        audit_s, audit_mem = timed(
            audit_command(corpus, Path(tmp) / "audit", args.detectors, args.beam_arg)
        )
        counts = run_counts(Path(tmp) / "audit")
    n = args.records
    print(
        f"corpus: {n:,} records, {mb:.1f} MB; detectors: {args.detectors}; "
        f"beam args: {' '.join(args.beam_arg) or '(default FnApiRunner)'}"
    )
    print(f"{'stage':<8} {'seconds':>8} {'docs/s':>9} {'MB/s':>7} {'peak MiB':>9}")
    for name, secs, mem in (
        ("floor", floor_s, floor_mem),
        ("audit", audit_s, audit_mem),
    ):
        print(f"{name:<8} {secs:>8.1f} {n / secs:>9,.0f} {mb / secs:>7.2f} {mem:>9.0f}")
    print(
        f"audit/floor time ratio: {audit_s / floor_s:.2f}  "
        f"(findings: {counts['findings']:,}, scanned: {counts['scanned']:,})"
    )


if __name__ == "__main__":
    main()
