"""Peak memory of reading hostile inputs: single lines of 100 MB and 1 GB, gzip and zstd
bombs (a small .gz or .zst holding one line of 2 GB), and a Parquet file whose one row
group holds 200,000 rows.

Each case runs in a fresh process that reads the file with corpusgate's decoder (the
code every worker runs) and reports its peak resident set (VmHWM); a process that
only imports the decoder and reads a one-line file gives the baseline. With `--audit`
each case is also run as a whole `corpusgate audit` (in-process Beam runner), whose
peak includes Beam. The files are written to a temporary directory and removed.

    python scripts/bench_bounds.py                 # 100 MB, 1 GB, gzip and zstd bombs
    python scripts/bench_bounds.py --audit         # also whole audits
    python scripts/bench_bounds.py --sizes-mb 100  # a quicker run

The bound: reading holds at most max_record_bytes of one line plus one 1 MiB read
chunk (decompressed gzip and zstd come in reads of at most 1 MiB too), whatever the
line's length (docs/security.md).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

MIB = 1024 * 1024

CHILD = r"""
import json, sys
from corpusgate.pipelines.inputs import DeadLetter, ReadOptions, RecordDecoder, expand_inputs
path, limit = sys.argv[1], int(sys.argv[2])
[f] = expand_inputs([path])
kinds = []
for item in RecordDecoder(ReadOptions(max_record_bytes=limit)).read(f):
    if isinstance(item, DeadLetter):
        kinds.append(item.error_type)
    elif type(item).__name__ == "Record":
        kinds.append("record")
status = open("/proc/self/status").read()
hwm = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
print(json.dumps({"peak_kib": hwm, "items": kinds}))
"""


def write_line(path: Path, size: int) -> None:
    """One JSON line of `size` bytes with no newline at the end (a stream that never
    ends its line)."""
    prefix = b'{"id": "huge", "text": "'
    block = b"abcdefgh " * (MIB // 9)
    with open(path, "wb") as f:
        f.write(prefix)
        written = len(prefix)
        while written < size:
            chunk = block[: size - written]
            f.write(chunk)
            written += len(chunk)


def write_gzip_bomb(path: Path, size: int) -> None:
    block = b"a" * (4 * MIB)
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(b'{"id": "bomb", "text": "')
        for _ in range(size // len(block)):
            f.write(block)


def write_zstd_bomb(path: Path, size: int) -> None:
    import zstandard

    block = b"a" * (4 * MIB)
    with open(path, "wb") as raw:
        with zstandard.ZstdCompressor(level=19).stream_writer(raw) as f:
            f.write(b'{"id": "bomb", "text": "')
            for _ in range(size // len(block)):
                f.write(block)


WHOLE_GROUP = r"""
import json, sys
import pyarrow.parquet as pq
rows = pq.ParquetFile(sys.argv[1]).read_row_group(0).to_pylist()
status = open("/proc/self/status").read()
hwm = int(next(l for l in status.splitlines() if l.startswith("VmHWM")).split()[1])
print(json.dumps({"peak_kib": hwm, "items": [f"{len(rows)} rows"]}))
"""


def write_parquet(path: Path, rows: int) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table(
        {"id": [f"r{i}" for i in range(rows)], "text": ["word " * 200] * rows}
    )
    pq.write_table(table, path, row_group_size=rows)  # one row group


def measure_decoder(path: Path, limit: int, child: str = CHILD) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", child, str(path), str(limit)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(proc.stdout.strip().splitlines()[-1])


def measure_audit(path: Path, limit: int, tmp: Path) -> tuple[int, int]:
    """(peak KiB of the whole audit process, exit code)."""
    config = tmp / "bench.toml"
    config.write_text(f"[audit]\nmax_record_bytes = {limit}\nsalt = 'bench-salt-1'\n")
    out = tmp / f"out-{path.name}"
    code = (
        "import resource, subprocess, sys\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, "
        "stderr=subprocess.DEVNULL)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode)\n"
    )
    argv = [sys.executable, "-m", "corpusgate.pipelines.cli", "audit", str(path)]
    argv += ["--out", str(out), "--config", str(config), "--detectors", "secrets"]
    proc = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    )
    peak, rc = proc.stdout.split()
    return int(peak), int(rc)


def summary(items: list[str]) -> str:
    """'RecordTooLarge', or '200000 record' for many of a kind."""
    counts = Counter(items)
    return ",".join(k if n == 1 else f"{n} {k}" for k, n in counts.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes-mb", type=int, nargs="+", default=[100, 1024])
    parser.add_argument("--bomb-mb", type=int, default=2048, help="0: no gzip bomb")
    parser.add_argument(
        "--zstd-bomb-mb", type=int, default=2048, help="0: no zstd bomb"
    )
    parser.add_argument(
        "--max-record-bytes", type=int, default=32 * MIB, help="the default, 32 MiB"
    )
    parser.add_argument(
        "--parquet-rows",
        type=int,
        default=200_000,
        help="rows of 1 KB in one Parquet row group (0: none); pyarrow reading the "
        "group whole is measured beside it",
    )
    parser.add_argument("--audit", action="store_true", help="also whole audits")
    parser.add_argument("--tmp", default=None, help="directory for the test files")
    args = parser.parse_args()
    limit = args.max_record_bytes

    with tempfile.TemporaryDirectory(dir=args.tmp) as tmp_name:
        tmp = Path(tmp_name)
        small = tmp / "small.jsonl"
        small.write_text('{"text": "hello"}\n')
        baseline = measure_decoder(small, limit)["peak_kib"]
        cases = []
        for mb in args.sizes_mb:
            path = tmp / f"line-{mb}mb.jsonl"
            write_line(path, mb * MIB)
            cases.append((f"single line {mb} MB", path, mb * MIB))
        if args.bomb_mb:
            path = tmp / f"bomb-{args.bomb_mb}mb.jsonl.gz"
            write_gzip_bomb(path, args.bomb_mb * MIB)
            cases.append(
                (
                    f"gzip bomb {path.stat().st_size // 1024} KiB -> {args.bomb_mb} MB",
                    path,
                    args.bomb_mb * MIB,
                )
            )
        if args.zstd_bomb_mb:
            path = tmp / f"bomb-{args.zstd_bomb_mb}mb.jsonl.zst"
            write_zstd_bomb(path, args.zstd_bomb_mb * MIB)
            cases.append(
                (
                    f"zstd bomb {path.stat().st_size // 1024} KiB -> {args.zstd_bomb_mb} MB",
                    path,
                    args.zstd_bomb_mb * MIB,
                )
            )
        if args.parquet_rows:
            path = tmp / f"group-{args.parquet_rows}.parquet"
            write_parquet(path, args.parquet_rows)
            cases.append(
                (
                    f"parquet: 1 row group, {args.parquet_rows:,} rows",
                    path,
                    args.parquet_rows * 1000,
                )
            )
        print(
            f"max_record_bytes = {limit / MIB:.0f} MiB; decoder baseline peak "
            f"{baseline / 1024:.0f} MiB (imports and a one-line file)"
        )
        print(
            f"{'case':<34} {'result':<16} {'peak':>9} {'over base':>10} "
            f"{'/ limit':>8} {'/ line':>7} {'seconds':>8}"
        )
        for name, path, line_bytes in cases:
            start = time.perf_counter()
            result = measure_decoder(path, limit)
            seconds = time.perf_counter() - start
            over = (result["peak_kib"] - baseline) * 1024
            print(
                f"{name:<34} {summary(result['items']):<16} "
                f"{result['peak_kib'] / 1024:>7.0f}Mi {over / MIB:>8.0f}Mi "
                f"{over / limit:>8.2f} {over / line_bytes:>7.3f} {seconds:>8.1f}"
            )
            if path.suffix == ".parquet":
                whole = measure_decoder(path, limit, WHOLE_GROUP)
                print(
                    f"{'  pyarrow, the group whole':<34} {whole['items'][0]:<16} "
                    f"{whole['peak_kib'] / 1024:>7.0f}Mi"
                )
            if args.audit:
                start = time.perf_counter()
                peak, rc = measure_audit(path, limit, tmp)
                print(
                    f"{'  whole audit':<34} {'exit ' + str(rc):<16} "
                    f"{peak / 1024:>7.0f}Mi {'':>10} {'':>8} {'':>7} "
                    f"{time.perf_counter() - start:>8.1f}"
                )
            os.unlink(path)


if __name__ == "__main__":
    main()
