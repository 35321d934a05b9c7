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

Profile (`--profile`): a mixed corpus of real text, built in a temporary directory
from every corpus under ../shared/realsets and the development sets under
../shared/evalsets (records shuffled with a fixed seed, the first N of them, written
as `--shards` JSONL files; the smaller size is a prefix of the larger one), audited at
each of `--sizes` (default 10,000 and 40,000) with `--detectors` (default all). For
each size it prints

* the floor: reading the shards, `json.loads` and one regular expression over every
  text, in one process (the least any audit of the corpus must do);
* the audit's wall time, docs/s and that rate as a fraction of the floor's;
* the peak resident memory of the launching process, and of all processes together
  (RSS, and PSS, which counts the pages that forked workers share once);
* the time the launching process spent in garbage collections;
* the time per stage from Beam's own metrics (milliseconds per transform, summed over
  workers): read, scan (split per detector by the scan pass's own counters), each
  corpus detector's composite, assemble, write, and the rest of the CPU time (the
  runner: shuffles, coders, start-up);

and last the scaling from the smallest to the largest size.

    python scripts/bench_pipeline.py --profile [--sizes 10000,40000] [--detectors all]
        [--shards 8] [--realsets DIR] [--evalsets DIR] [--beam-arg=...]

Against another checkout (`--baseline DIR`, e.g. a git worktree of an earlier
commit): `corpusgate audit` of this checkout and of DIR in turn, `--rounds` times each
(the order alternating), on `--input PATH` or else on the mixed corpus of the first of
`--sizes`; prints each run's wall and CPU time (all its processes) and the peak PSS of
all its processes together (pages that forked workers share counted once), and the
medians.

    python scripts/bench_pipeline.py --baseline DIR [--rounds 4] [--input PATH]
        [--sizes 10000] [--detectors all] [--beam-arg=...]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))
from checkouts import package_path  # noqa: E402

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
            read.batches
            | beam.FlatMap(lambda batch: batch)
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


# --- profile ---------------------------------------------------------------------


def _read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def mixed_pool(realsets: Path, evalsets: Path) -> list[tuple[str, str]]:
    """(doc_id, text) of every record of every real corpus and development set."""
    files = sorted(realsets.glob("*/corpus.jsonl.gz")) + sorted(
        evalsets.glob("*/*/corpus.jsonl*")
    )
    if not files:
        raise SystemExit(f"no corpus.jsonl(.gz) under {realsets} or {evalsets}")
    pool = []
    for path in files:
        name = path.parent.relative_to(path.parent.parent.parent).as_posix()
        for i, record in enumerate(_read_jsonl(path)):
            text = record.get("text")
            if isinstance(text, str) and text:
                pool.append((f"{name}/{record.get('id', i)}", text))
    return pool


def write_mixed_corpus(
    pool: list[tuple[str, str]], n: int, folder: Path, shards: int, seed: int = 7
) -> int:
    """The first n records of the seeded shuffle as `shards` JSONL files; bytes."""
    if n > len(pool):
        raise SystemExit(f"--sizes: {n} records asked, the pool holds {len(pool)}")
    order = list(range(len(pool)))
    random.Random(seed).shuffle(order)
    folder.mkdir(parents=True)
    outs = [
        open(folder / f"part-{k:03d}.jsonl", "w", encoding="utf-8")
        for k in range(shards)
    ]
    try:
        for j, i in enumerate(order[:n]):
            doc_id, text = pool[i]
            outs[j % shards].write(
                json.dumps({"id": doc_id, "text": text}, ensure_ascii=False) + "\n"
            )
    finally:
        for f in outs:
            f.close()
    return sum(p.stat().st_size for p in folder.iterdir())


# An e-mail-like pattern anchored at word starts (linear in the text).
FLOOR_PATTERN = re.compile(r"\b[\w.+-]+@[\w-]+\.\w+")


def read_json_regex_floor(folder: Path) -> tuple[float, int]:
    """(seconds, records): read every shard, json.loads each line, one regex."""
    start = time.perf_counter()
    n = 0
    for path in sorted(folder.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for line in f:
                FLOOR_PATTERN.findall(json.loads(line)["text"])
                n += 1
    return time.perf_counter() - start, n


def _stage(transform: str) -> str:
    top = transform.split("/", 1)[0]
    if top in ("ReadCorpus", "PackBatches", "SpreadBatches", "UnpackBatches"):
        return "read"
    if top in ("Batch", "ScanRecords"):
        return "scan"
    if top.startswith(("Detect_", "Rows_", "Facts_")):
        return "corpus: " + top.split("_", 1)[1]
    if top.startswith("Write"):
        return "write"
    return "assemble"


def profile_run(corpus: str, out: str, metrics_path: str, beam_args: list[str]):
    """In the audit's own process: the CLI's audit (its local defaults, warm worker
    processes included) with Beam's metrics kept."""
    from apache_beam.metrics import monitoring_infos as mi
    from corpusgate.pipelines import cli
    from corpusgate.pipelines.audit.scan import SCAN_USECS

    argv = ["audit", corpus, "--out", out, "-q", *beam_args]
    args, unknown = cli.build_parser().parse_known_args(argv)
    cli._configure_logging(-1)
    kept = {}
    collections = _time_collections()

    def keep(result) -> None:
        msecs: dict[str, float] = defaultdict(float)
        for info in result.monitoring_infos():
            if info.urn == mi.TOTAL_MSECS_URN:
                transform = info.labels.get("PTRANSFORM", "")
                msecs[transform] += mi.extract_metric_result_map_value(info)
        kept["transform_msecs"] = dict(msecs)
        counters = result.metrics().query()["counters"]
        kept["scan_usecs"] = defaultdict(int)
        for c in counters:
            if c.key.metric.name.startswith(SCAN_USECS):
                name = c.key.metric.name[len(SCAN_USECS) :]
                kept["scan_usecs"][name] += c.committed or c.attempted or 0

    if cli.run_audit_command(args, args.inputs, unknown, argv, on_result=keep) != 0:
        raise SystemExit(f"the audit of {corpus} failed")
    counts = run_counts(Path(out))
    kept["gc"] = collections
    kept["findings"] = counts["findings"]
    kept["scanned"] = counts["scanned"]
    Path(metrics_path).write_text(json.dumps(kept))


def _time_collections() -> dict:
    """Seconds spent in this process's garbage collections (all, and full ones), and
    their number, from the collector's own callbacks; updated as the run goes."""
    import gc

    totals = {"seconds": 0.0, "full_seconds": 0.0, "collections": 0}
    started: list[float] = []

    def on_collection(phase: str, info: dict) -> None:
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            seconds = time.perf_counter() - started.pop()
            totals["seconds"] += seconds
            totals["collections"] += 1
            if info["generation"] == 2:
                totals["full_seconds"] += seconds

    gc.callbacks.append(on_collection)
    return totals


def _rss_peaks(pid: int, stop: threading.Event, peaks: dict) -> None:
    """Samples the launcher's peak RSS (VmHWM), the process tree's total RSS and PSS
    (kB) and the launcher's own CPU seconds (not its worker processes'): the local
    runner's shuffles and coordination run there, in one process, whatever the
    number of workers."""
    tick = os.sysconf("SC_CLK_TCK")

    def own_cpu(p: int) -> float | None:
        try:
            # utime and stime, the 14th and 15th fields, after the command's ")"
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / tick

    def status(p: int, key: str, name: str = "status") -> int:
        try:
            for line in Path(f"/proc/{p}/{name}").read_text().splitlines():
                if line.startswith(key):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def children(p: int) -> list[int]:
        found = []
        try:
            for task in Path(f"/proc/{p}/task").iterdir():
                text = (task / "children").read_text().split()
                found += [int(c) for c in text]
        except OSError:
            pass
        return found

    while not stop.is_set():
        peaks["launcher"] = max(peaks.get("launcher", 0), status(pid, "VmHWM:"))
        cpu = own_cpu(pid)
        if cpu is not None:
            peaks["launcher_cpu"] = cpu
        tree, pss, todo = 0, 0, [pid]
        while todo:
            p = todo.pop()
            tree += status(p, "VmRSS:")
            pss += status(p, "Pss:", "smaps_rollup")
            todo += children(p)
        peaks["tree"] = max(peaks.get("tree", 0), tree)
        peaks["tree_pss"] = max(peaks.get("tree_pss", 0), pss)
        stop.wait(0.2)


def measured_run(cmd: list[str], **popen) -> dict:
    """Runs `cmd` (stdout discarded) and returns its wall and CPU time (all its
    processes) and the memory peaks `_rss_peaks` samples (MiB); exits if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, **popen)
    stop, peaks = threading.Event(), {}
    sampler = threading.Thread(target=_rss_peaks, args=(proc.pid, stop, peaks))
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    stop.set()
    sampler.join()
    if status != 0:
        raise SystemExit(f"audit failed ({status}): {' '.join(cmd)}")
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,  # incl. reaped worker processes
        "launcher_mib": peaks.get("launcher", 0) / 1024,
        # the last sample: short by at most the 0.2 s sampling interval
        "launcher_cpu": peaks.get("launcher_cpu", 0.0),
        "tree_mib": peaks.get("tree", 0) / 1024,
        "tree_pss_mib": peaks.get("tree_pss", 0) / 1024,
    }


def profiled_audit(corpus: Path, out: Path, detectors: str, beam_args: list[str]):
    metrics = out.parent / (out.name + ".metrics.json")
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--profile-run",
        str(corpus),
        str(out),
        str(metrics),
        f"--detectors={detectors}",
        *(f"--beam-arg={a}" for a in beam_args),
    ]
    measured = measured_run(cmd)
    kept = json.loads(metrics.read_text())
    kept.update(measured)
    return kept


def stage_table(kept: dict) -> list[tuple[str, float]]:
    """(stage, seconds): Beam's per-transform time (wall clock inside each transform,
    summed over workers) by stage, the scan split per detector."""
    stages: dict[str, float] = defaultdict(float)
    for transform, msecs in kept["transform_msecs"].items():
        stages[_stage(transform)] += msecs / 1000
    scan_parts = {k: v / 1e6 for k, v in kept["scan_usecs"].items()}
    rows = [("read", stages.pop("read", 0.0))]
    scan = stages.pop("scan", 0.0)
    rows.append(("scan (all)", scan))
    for name, secs in sorted(scan_parts.items(), key=lambda kv: -kv[1]):
        label = "document facts" if name == "facts" else name
        rows.append((f"  scan: {label}", secs))
    rows.append(("  scan: batching, rows, output", scan - sum(scan_parts.values())))
    for name in sorted(k for k in stages if k.startswith("corpus: ")):
        rows.append((name, stages.pop(name)))
    rows.append(("assemble", stages.pop("assemble", 0.0)))
    rows.append(("write", stages.pop("write", 0.0)))
    return rows


def run_profile(args) -> None:
    sizes = sorted(int(x) for x in args.sizes.split(","))
    pool = mixed_pool(Path(args.realsets), Path(args.evalsets))
    print(
        f"pool: {len(pool):,} records from {args.realsets} and {args.evalsets}; "
        f"detectors: {args.detectors}; beam args: "
        f"{' '.join(args.beam_arg) or '(defaults)'}; cpus: {os.cpu_count()}; "
        f"load average at start: {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    results = []
    with tempfile.TemporaryDirectory(prefix="cg-profile-") as tmp:
        for n in sizes:
            corpus = Path(tmp) / f"mixed-{n}"
            size = write_mixed_corpus(pool, n, corpus, args.shards)
            floor_s, floor_n = read_json_regex_floor(corpus)
            kept = profiled_audit(
                corpus, Path(tmp) / f"out-{n}", args.detectors, args.beam_arg
            )
            results.append((n, size, floor_s, kept))
            rate, floor_rate = n / kept["wall"], floor_n / floor_s
            print(
                f"\n{n:,} records, {size / 1e6:.1f} MB in {args.shards} shards: "
                f"floor (read+json+regex) {floor_s:.2f} s = {floor_rate:,.0f} docs/s; "
                f"audit {kept['wall']:.1f} s wall, {kept['cpu']:.1f} s CPU = "
                f"{rate:,.0f} docs/s = {rate / floor_rate:.2%} of the floor; "
                f"launcher's own CPU {kept['launcher_cpu']:.1f} s "
                f"({n / max(kept['launcher_cpu'], 1e-9):,.0f} records per second of "
                f"it); peak RSS launcher {kept['launcher_mib']:,.0f} MiB, all processes "
                f"{kept['tree_mib']:,.0f} MiB (PSS {kept['tree_pss_mib']:,.0f} MiB); "
                f"findings {kept['findings']:,}; "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            if "gc" in kept:
                print(
                    f"  garbage collection in the launching process: "
                    f"{kept['gc']['seconds']:.1f} s in {kept['gc']['collections']:,} "
                    f"collections ({kept['gc']['full_seconds']:.1f} s in full ones)"
                )
            table = stage_table(kept)
            total = sum(secs for name, secs in table if not name.startswith(" "))
            print(
                f"  {'stage (Beam time in transforms)':<40} {'seconds':>8} "
                f"{'share':>6}   (sum {total:.1f} s; the rest of the wall time is "
                "start-up, shuffles and waiting)"
            )
            for name, secs in table:
                print(f"  {name:<40} {secs:>8.2f} {secs / total:>6.1%}")
            top = sorted(kept["transform_msecs"].items(), key=lambda kv: -kv[1])
            print("  slowest transforms:")
            for transform, msecs in top[: args.top]:
                print(f"    {msecs / 1000:8.2f} s  {transform}")
    if len(results) > 1:
        (n0, _, _, k0), (n1, _, _, k1) = results[0], results[-1]
        print(
            f"\nscaling {n0:,} -> {n1:,} records: wall x{k1['wall'] / k0['wall']:.2f}"
            f" (size x{n1 / n0:.1f}), CPU x{k1['cpu'] / k0['cpu']:.2f}; launcher "
            f"{k0['launcher_mib']:,.0f} -> {k1['launcher_mib']:,.0f} MiB"
        )


def run_against_baseline(args) -> None:
    import statistics

    systems = {"this checkout": REPO, "baseline": args.baseline.resolve()}
    paths = {label: str(package_path(root)) for label, root in systems.items()}
    times: dict[str, list[tuple[float, float, float]]] = {
        label: [] for label in systems
    }
    with tempfile.TemporaryDirectory(prefix="cg-baseline-") as tmp:
        if args.input:
            corpus = Path(args.input)
        else:
            n = int(args.sizes.split(",")[0])
            corpus = Path(tmp) / f"mixed-{n}"
            pool = mixed_pool(Path(args.realsets), Path(args.evalsets))
            write_mixed_corpus(pool, n, corpus, args.shards)
        print(
            f"input {corpus}; detectors: {args.detectors}; beam args: "
            f"{' '.join(args.beam_arg) or '(defaults)'}; baseline {args.baseline}; "
            f"load average at start: {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        for r in range(args.rounds):
            order = list(systems) if r % 2 == 0 else list(reversed(systems))
            for label in order:
                out = Path(tmp) / f"out-{r}-{label.replace(' ', '-')}"
                cmd = [
                    sys.executable,
                    "-c",
                    "from corpusgate.pipelines.cli import entrypoint; entrypoint()",
                    "audit",
                    str(corpus),
                    "--out",
                    str(out),
                    "-q",
                    f"--detectors={args.detectors}",
                    *args.beam_arg,
                ]
                run = measured_run(
                    cmd, env=dict(os.environ, PYTHONPATH=paths[label]), cwd=tmp
                )
                wall, cpu, pss = run["wall"], run["cpu"], run["tree_pss_mib"]
                times[label].append((wall, cpu, pss))
                print(
                    f"round {r + 1} {label}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
                    f"all processes' peak PSS {pss:,.0f} MiB"
                )
    medians = {
        label: tuple(statistics.median(run[k] for run in runs) for k in range(3))
        for label, runs in times.items()
    }
    for label, (wall, cpu, pss) in medians.items():
        print(
            f"{label}: median {wall:.2f} s wall, {cpu:.2f} s CPU, peak PSS "
            f"{pss:,.0f} MiB"
        )
    (w0, c0, m0), (w1, c1, m1) = medians["baseline"], medians["this checkout"]
    print(
        f"baseline / this checkout: wall x{w0 / w1:.3f}, CPU x{c0 / c1:.3f}, "
        f"peak PSS x{m0 / m1:.3f}"
    )


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
    ap.add_argument("--profile", action="store_true", help="time per stage")
    ap.add_argument("--sizes", default="10000,40000", help="--profile: records")
    ap.add_argument("--shards", type=int, default=8, help="--profile: input files")
    ap.add_argument("--top", type=int, default=15, help="--profile: transforms listed")
    ap.add_argument("--realsets", default=str(REPO.parent / "shared" / "realsets"))
    ap.add_argument("--evalsets", default=str(REPO.parent / "shared" / "evalsets"))
    ap.add_argument(
        "--baseline", type=Path, help="another checkout to time against this one"
    )
    ap.add_argument("--rounds", type=int, default=4, help="--baseline: runs of each")
    ap.add_argument("--input", help="--baseline: the corpus [the mixed corpus]")
    ap.add_argument(
        "--floor-only", nargs=2, metavar=("CORPUS", "OUT"), help=argparse.SUPPRESS
    )
    ap.add_argument("--profile-run", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.floor_only:
        run_floor(args.floor_only[0], args.floor_only[1], args.beam_arg)
        return
    if args.profile_run:
        profile_run(
            *args.profile_run, [f"--detectors={args.detectors}", *args.beam_arg]
        )
        from corpusgate.pipelines.cli import exit_after_beam

        # As the console script ends: the parent would take an aborted shutdown
        # for a failed audit.
        exit_after_beam(0)
    if args.profile or args.baseline:
        if args.detectors == ap.get_default("detectors"):
            args.detectors = "all"
        if args.baseline:
            run_against_baseline(args)
        else:
            run_profile(args)
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
