"""Benchmark: near-duplicate and copyright detection, corpusgate vs datatrove.

    .venv/bin/python scripts/bench_dedup.py                 # accuracy + speed
    .venv/bin/python scripts/bench_dedup.py --scaling       # + 25k -> 100k docs
    .venv/bin/python scripts/bench_dedup.py --giant 100000  # + one text x 100,000

For each dup set (../shared/evalsets/dup/imdb_en, dup/hotel_reviews_zh) it runs
`corpusgate audit --detectors near_duplicate` (the CLI's local default runner, or
the Beam options given with `--beam-arg`) and datatrove's MinHash deduplication
(its default MinhashConfig: word 5-grams, 14 buckets x 8 hashes; jieba words for
Chinese), converts datatrove's clusters into an OUT/documents Parquet file (doc_id,
cluster_id), and prints pair precision/recall/F1 from `score.py dup` and docs/s for
both. Both are timed the same way: the whole process, spawn to exit (interpreter
start, imports, reading, the job, writing its output), wall clock and CPU (user +
sys), run back to back and alternating (`--repeat N`: the median of N runs); datatrove's
own clock of its four steps is printed too. datatrove is
installed by this script into its own virtual environment (`--venv`, default
.bench-venvs/datatrove, gitignored), never into the project's.

datasketch (`--datasketch`, needs `pip install -c constraints.txt -e ".[bench]"`): in
one process and on the same shingles, the detector's numpy MinHash signatures against
`datasketch.MinHash.bulk` (its default affine32 scheme and affine64), timed alternately
with `time.process_time`; then both signature sets go through the same LSH banding
(16 x 4), star edges to each bucket's smallest member, the detector's `verify` and
connected components, and are scored with `score.py dup`, so the pair F1 of the two
signatures is compared on equal terms.

Labelled data is read from ../shared/evalsets (relative to the repository) unless
`--evalsets DIR` says otherwise.

Fixed cost (`--fixed-cost`): both systems also on the first 10 records of each dup
set, the cost of a run with almost no documents.

Larger corpora (`--with-realsets`): each dup set again, with the real corpora of its
language from ../shared/realsets (`--realsets DIR`) appended as distractors (imdb_en +
en_web + en_email; hotel_reviews_zh + zh_hans_news + zh_hans_web), both systems on
the same combined file. The pair scores count only the labelled records (score.py
reads the truth's doc_ids), so a distractor merged into a labelled cluster shows up
as a wrong pair; docs/s is over the whole combined corpus, where the fixed start-up
cost of each process weighs less than on the small labelled sets.

Copyright: `corpusgate audit --detectors copyright --reference references.jsonl` on
copyright/reviews_vs_classics, scored with `score.py copyright`.

Scaling: synthetic corpora of 25,000 and 100,000 documents (random texts over the
imdb_en vocabulary with 10% planted near copies), the growth of the wall time, and
the peak resident memory of the launching process and of its child processes
(`--beam-arg=--direct_running_mode=multi_processing --beam-arg=--direct_num_workers=2`
to run the SDK workers as child processes).
"""

from __future__ import annotations

import argparse
import glob
import gzip
import itertools
import json
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pipeline import audit_command  # noqa: E402

# The local job and worker services are test support (tests/support/).
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.support.portable_services import LocalPortableServices  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "evalsets"
REALSETS = REPO.parent / "shared" / "realsets"
# Real corpora appended to each dup set by --with-realsets (same language).
DISTRACTORS = {
    "imdb_en": ("en_web", "en_email"),
    "hotel_reviews_zh": ("zh_hans_news", "zh_hans_web"),
}
PYTHON = REPO / ".venv" / "bin" / "python"

# datatrove and what its MinHash steps import (jieba/spaCy for Chinese words).
DATATROVE_PACKAGES = (
    "datatrove",
    "jieba",
    "spacy",
    "regex",
    "tokenizers",
    "xxhash<4",
    "orjson",
    "zstandard",
    "pyarrow",
)

DATATROVE_RUNNER = r"""
import json, sys, time
from datatrove.executor import LocalPipelineExecutor
from datatrove.pipeline.dedup import (MinhashDedupBuckets, MinhashDedupCluster,
    MinhashDedupFilter, MinhashDedupSignature)
from datatrove.pipeline.dedup.minhash import MinhashConfig
from datatrove.pipeline.readers import JsonlReader
from datatrove.pipeline.writers import JsonlWriter

data_dir, glob_pattern, work, language = sys.argv[1:5]
config = MinhashConfig()  # datatrove defaults
start = time.time()
reader = lambda: JsonlReader(data_dir, glob_pattern=glob_pattern, text_key="text",
                             id_key="id")
lang = {} if language == "default" else {"language": language}
LocalPipelineExecutor(pipeline=[reader(), MinhashDedupSignature(
    output_folder=f"{work}/sigs", config=config, **lang)],
    tasks=1, logging_dir=f"{work}/logs/1").run()
LocalPipelineExecutor(pipeline=[MinhashDedupBuckets(input_folder=f"{work}/sigs",
    output_folder=f"{work}/buckets", config=config)],
    tasks=config.num_buckets, workers=1, logging_dir=f"{work}/logs/2").run()
LocalPipelineExecutor(pipeline=[MinhashDedupCluster(input_folder=f"{work}/buckets",
    output_folder=f"{work}/remove", config=config, save_cluster_id=True)],
    tasks=1, logging_dir=f"{work}/logs/3").run()
LocalPipelineExecutor(pipeline=[reader(), MinhashDedupFilter(
    input_folder=f"{work}/remove", load_cluster_ids=True,
    exclusion_writer=JsonlWriter(f"{work}/removed", compression=None)),
    JsonlWriter(f"{work}/kept", compression=None)],
    tasks=1, logging_dir=f"{work}/logs/4").run()
print(json.dumps({"seconds": time.time() - start}))
"""


def log(msg: str) -> None:
    print(msg, flush=True)


def ensure_datatrove(venv: Path) -> Path:
    py = venv / "bin" / "python"
    if not py.exists():
        log(f"creating {venv} and installing datatrove (PyPI) ...")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run(
        [str(py), "-c", "import datatrove, jieba, spacy, regex, tokenizers, orjson"],
        capture_output=True,
    )
    if probe.returncode != 0:
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", *DATATROVE_PACKAGES],
            check=True,
        )
    return py


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def score(task: str, out: Path, truth: Path, extra: list[str] | None = None) -> dict:
    res = subprocess.run(
        [
            str(PYTHON),
            str(EVAL / "score.py"),
            task,
            str(out),
            str(truth),
            "--json",
            *(extra or []),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout.splitlines()[0])["micro"]


@dataclass
class Timing:
    """One measured process: what is timed is the whole process, from spawn to exit
    (interpreter start, imports, reading, the job, writing), for both systems."""

    wall: float  # seconds, spawn to exit
    cpu: float  # user + sys seconds of the process and every process it waited for
    launcher_rss: int  # peak resident set of the launching process (bytes)
    workers_rss: int  # peak of the summed resident sets of its child processes
    internal: float | None = None  # the job's own clock, when it reports one
    services_rss: dict[str, int] | None = None  # peak RSS of other watched processes

    def rate(self, n: int) -> str:
        return (
            f"{n / self.wall:7.1f} docs/s (wall {self.wall:.1f} s, cpu "
            f"{self.cpu:.1f} s, launcher peak RSS {self.launcher_rss / 2**20:.0f} MB"
            + (
                f", workers {self.workers_rss / 2**20:.0f} MB"
                if self.workers_rss
                else ""
            )
            + "".join(
                f", {name} {rss / 2**20:.0f} MB"
                for name, rss in (self.services_rss or {}).items()
            )
            + ")"
        )


def _proc_status_kb(pid: int, field: str) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        for c in children.get(todo.pop(), ()):
            out.append(c)
            todo.append(c)
    return out


def measure(
    cmd: list[str], poll: float = 0.5, services: dict[str, int] | None = None
) -> tuple[Timing, str]:
    """Runs cmd; wall clock, CPU (RUSAGE_CHILDREN delta), the launcher's peak RSS
    (VmHWM, Linux /proc) and the peak summed RSS of its descendants, polled; and the
    peak RSS (with descendants) of already running `services` (name -> pid)."""
    services = services or {}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peak = {"launcher": 0, "workers": 0, **{name: 0 for name in services}}
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            for name, pid in services.items():
                rss = sum(
                    _proc_status_kb(q, "VmRSS") for q in [pid, *_descendants(pid)]
                )
                peak[name] = max(peak[name], rss * 1024)
            hwm = _proc_status_kb(proc.pid, "VmHWM") * 1024
            peak["launcher"] = max(peak["launcher"], hwm)
            kids = sum(_proc_status_kb(c, "VmRSS") for c in _descendants(proc.pid))
            peak["workers"] = max(peak["workers"], kids * 1024)
            done.wait(poll)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - start
    done.set()
    watcher.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({proc.returncode}):\n{err[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    timing = Timing(wall, cpu, peak["launcher"], peak["workers"])
    timing.services_rss = {name: peak[name] for name in services} or None
    return timing, out


def run_corpusgate(
    corpus: Path,
    out: Path,
    detectors: str,
    *extra: str,
    services: dict[str, int] | None = None,
) -> Timing:
    timing, _ = measure(
        audit_command(corpus, out, detectors, ["--overwrite", *extra]),
        services=services,
    )
    return timing


def run_datatrove(py: Path, corpus: Path, work: Path, language: str) -> Timing:
    # A fresh work directory: datatrove skips the tasks its logging directory marks
    # as completed, so a reused one would time nothing.
    shutil.rmtree(work, ignore_errors=True)
    runner = work / "runner.py"
    work.mkdir(parents=True, exist_ok=True)
    runner.write_text(DATATROVE_RUNNER)
    timing, out = measure(
        [str(py), str(runner), str(corpus.parent), corpus.name, str(work), language]
    )
    timing.internal = json.loads(out.strip().splitlines()[-1])["seconds"]
    # Its clusters -> an OUT-like documents table that score.py can read.
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = []
    for part in ("kept", "removed"):
        for f in glob.glob(str(work / part / "*.jsonl")):
            for line in open(f, encoding="utf-8"):
                d = json.loads(line)
                cid = d.get("metadata", {}).get("minhash_cluster_id", -1)
                rows.append(
                    {
                        "doc_id": d["id"],
                        "cluster_id": f"c{cid}" if cid != -1 else f"single:{d['id']}",
                    }
                )
    docs = work / "out" / "documents"
    docs.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), docs / "part-0.parquet")
    return timing


def _identity(value):
    return value


def _signature_clusters(
    det, doc_ids: list[str], feats: list, sigs: list
) -> dict[str, str]:
    """doc_id -> cluster id from LSH buckets of the given signatures, with the audit's
    edges (each bucket member to the bucket's smallest doc_id), the detector's
    verification and connected components (union-find)."""
    from corpusgate.detectors.near_duplicate import NearDupFeatures

    buckets: dict[int, list[int]] = {}
    for i, (f, sig) in enumerate(zip(feats, sigs, strict=True)):
        keys = det.band_keys(sig) if len(sig) else []
        for key in (*keys, f.content_key):
            buckets.setdefault(key, []).append(i)
    parent = list(range(len(doc_ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    checked: set[tuple[int, int]] = set()
    for members in buckets.values():
        head = min(members, key=doc_ids.__getitem__)
        for m in members:
            edge = (head, m)
            if m == head or edge in checked:
                continue
            checked.add(edge)
            a = NearDupFeatures(
                (), feats[head].shingles, sigs[head], feats[head].content_key
            )
            b = NearDupFeatures((), feats[m].shingles, sigs[m], feats[m].content_key)
            if det.verify(a, b).similar:
                parent[find(m)] = find(head)
    return {d: f"c{find(i)}" for i, d in enumerate(doc_ids)}


def datasketch_compare(tmp: Path, repeat: int) -> None:
    """The detector's numpy MinHash vs datasketch.MinHash.bulk on the same shingles:
    signature time (process CPU, alternating runs, best of `repeat`) and the pair F1
    of the clusters each signature set yields through the same banding and checks."""
    try:
        import datasketch
    except ImportError:
        log(
            'datasketch comparison skipped: pip install -c constraints.txt -e ".[bench]"'
        )
        return
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq
    from corpusgate.detectors.base import Record
    from corpusgate.detectors.near_duplicate import NearDuplicateDetector

    det = NearDuplicateDetector()
    det.setup()
    # datasketch's LSH parameter optimiser (a private helper of MinHashLSH) on the
    # detector's threshold and hash count, for comparison with the shipped bands x rows.
    from datasketch.lsh import _optimal_param

    threshold = (1 / det.config["bands"]) ** (1 / det.config["rows"])
    for fp_w, fn_w in ((0.5, 0.5), (0.3, 0.7), (0.1, 0.9)):
        b, r = _optimal_param(threshold, det.num_perm, fp_w, fn_w)
        log(
            f"datasketch optimal bands x rows at threshold {threshold:.2f}, "
            f"{det.num_perm} hashes, FP/FN weights {fp_w}/{fn_w}: {b} x {r} "
            f"(shipped: {det.config['bands']} x {det.config['rows']})"
        )
    log(
        f"datasketch {datasketch.__version__}: MinHash.bulk(num_perm={det.num_perm}) "
        "vs the detector's numpy signatures, same shingles, same process, "
        f"alternating, best of {repeat}"
    )
    for name in ("imdb_en", "hotel_reviews_zh"):
        base = EVAL / "dup" / name
        rows = [
            json.loads(line) for line in open(base / "corpus.jsonl", encoding="utf-8")
        ]
        doc_ids = [str(r["id"]) for r in rows]
        feats = [
            det.features(Record(doc_id=d, source=name, record_index=i, text=r["text"]))
            for i, (d, r) in enumerate(zip(doc_ids, rows, strict=True))
        ]
        shingles = [f.shingles for f in feats]
        low32 = [(s & np.uint64(0xFFFFFFFF)) for s in shingles]
        best = {
            "numpy": float("inf"),
            "affine32": float("inf"),
            "affine64": float("inf"),
        }
        out_sigs: dict[str, list] = {}
        for _ in range(repeat):
            t = time.process_time()
            out_sigs["numpy"] = [det.signature(s) if len(s) else s for s in shingles]
            best["numpy"] = min(best["numpy"], time.process_time() - t)
            t = time.process_time()
            mh = datasketch.MinHash.bulk(
                low32, num_perm=det.num_perm, hashfunc=_identity
            )
            best["affine32"] = min(best["affine32"], time.process_time() - t)
            out_sigs["affine32"] = [m.hashvalues.astype(np.uint32) for m in mh]
            t = time.process_time()
            mh = datasketch.MinHash.bulk(
                shingles, num_perm=det.num_perm, hashfunc=_identity, scheme="affine64"
            )
            best["affine64"] = min(best["affine64"], time.process_time() - t)
            # The high 32 bits, as the detector keeps them.
            out_sigs["affine64"] = [
                (m.hashvalues >> np.uint64(32)).astype(np.uint32) for m in mh
            ]
        n = len(rows)
        for kind in ("numpy", "affine32", "affine64"):
            sigs = [
                s if len(f.shingles) else np.zeros(0, np.uint32)
                for s, f in zip(out_sigs[kind], feats, strict=True)
            ]
            clusters = _signature_clusters(det, doc_ids, feats, sigs)
            docs = tmp / f"ds-{name}-{kind}" / "documents"
            docs.mkdir(parents=True, exist_ok=True)
            pq.write_table(
                pa.Table.from_pylist(
                    [{"doc_id": d, "cluster_id": c} for d, c in clusters.items()]
                ),
                docs / "part-0.parquet",
            )
            m = score("dup", docs.parent, base / "truth.jsonl")
            label = "numpy (detector)" if kind == "numpy" else f"datasketch {kind}"
            log(
                f"{name:18s} {label:20s} P={m['precision']:.4f} R={m['recall']:.4f} "
                f"F1={m['f1']:.4f}  signatures {best[kind]:.3f} s cpu "
                f"({n / best[kind]:,.0f} docs/s)"
                + (
                    ""
                    if kind == "numpy"
                    else f", x{best[kind] / best['numpy']:.1f} the numpy time"
                )
            )


def with_distractors(name: str, tmp: Path) -> Path:
    """The dup set `name` followed by the real corpora of its language (DISTRACTORS),
    as one JSONL file of {"id", "text"} records."""
    out = tmp / f"{name}+realsets" / "corpus.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as f:
        with open(EVAL / "dup" / name / "corpus.jsonl", encoding="utf-8") as src:
            for line in src:
                if line.strip():
                    f.write(line if line.endswith("\n") else line + "\n")
        for corpus in DISTRACTORS[name]:
            with gzip.open(REALSETS / corpus / "corpus.jsonl.gz", "rt") as src:
                for line in src:
                    d = json.loads(line)
                    f.write(
                        json.dumps(
                            {"id": d["id"], "text": d["text"]}, ensure_ascii=False
                        )
                        + "\n"
                    )
    return out


def head_of(name: str, tmp: Path, n: int) -> Path:
    """The first `n` records of the dup set `name`: what a run costs with almost no
    documents (start-up, building and running the job, writing its output)."""
    out = tmp / f"{name}+first{n}" / "corpus.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(EVAL / "dup" / name / "corpus.jsonl", encoding="utf-8") as src:
        lines = [line for line in src if line.strip()][:n]
    out.write_text("".join(x if x.endswith("\n") else x + "\n" for x in lines))
    return out


def dup_sets(
    py: Path | None,
    tmp: Path,
    repeat: int,
    realsets: bool = False,
    fixed_cost: bool = False,
    beam_args: list[str] | None = None,
) -> None:
    # datatrove language codes: its default (English) and Chinese in Han script,
    # which its tokenizer table maps to spaCy with the jieba segmenter. ("zh" alone
    # maps to a blank tokenizer that does not segment Chinese: F1 0.42.)
    log(
        "timed: the whole process of each system, spawn to exit (interpreter start, "
        "imports, reading the JSONL, the job, writing its output); the two run back "
        f"to back, alternating, {repeat} time(s); the median run is shown; "
        + (
            f"corpusgate with Beam options {' '.join(beam_args)}"
            if beam_args
            else "corpusgate with its local default runner"
        )
    )
    sets = [
        (name, language, EVAL / "dup" / name / "corpus.jsonl")
        for name, language in (("imdb_en", "default"), ("hotel_reviews_zh", "zho_Hani"))
    ]
    extra = []
    if fixed_cost:
        extra += [
            (f"{name}+first10", language, head_of(name, tmp, 10))
            for name, language, _ in sets
        ]
    if realsets:
        extra += [
            (f"{name}+realsets", language, with_distractors(name, tmp))
            for name, language, _ in sets
        ]
    sets += extra
    for name, language, corpus in sets:
        truth = EVAL / "dup" / name.split("+")[0] / "truth.jsonl"
        n = count_lines(corpus)
        out = tmp / f"cg-{name}"
        work = tmp / f"dt-{name}"
        cg: list[Timing] = []
        dt: list[Timing] = []
        for _ in range(repeat):
            cg.append(run_corpusgate(corpus, out, "near_duplicate", *(beam_args or [])))
            if py is not None:
                dt.append(run_datatrove(py, corpus, work, language))
        c = median(cg)
        m = score("dup", out, truth)
        log(
            f"{name} ({n:,d} docs)\n{name:18s} corpusgate  P={m['precision']:.4f} R={m['recall']:.4f} "
            f"F1={m['f1']:.4f}  {c.rate(n)}"
        )
        if dt:
            d = median(dt)
            m = score("dup", work / "out", truth)
            log(
                f"{name:18s} datatrove   P={m['precision']:.4f} R={m['recall']:.4f} "
                f"F1={m['f1']:.4f}  {d.rate(n)}; its four steps alone "
                f"{d.internal:.1f} s"
            )
            log(
                f"{name:18s} corpusgate / datatrove: wall x{d.wall / c.wall:.2f} "
                f"faster, cpu x{d.cpu / c.cpu:.2f} less (per run: "
                + ", ".join(
                    f"{x.wall:.1f}/{y.wall:.1f} s" for x, y in zip(cg, dt, strict=True)
                )
                + ")"
            )


def median(runs: list[Timing]) -> Timing:
    return sorted(runs, key=lambda t: t.wall)[len(runs) // 2]


def copyright_set(tmp: Path, extra: list[str]) -> None:
    base = EVAL / "copyright" / "reviews_vs_classics"
    out = tmp / "cg-copyright"
    n = count_lines(base / "corpus.jsonl")
    timing = run_corpusgate(
        base / "corpus.jsonl",
        out,
        "copyright",
        "--reference",
        str(base / "references.jsonl"),
        *extra,
    )
    m = score("copyright", out, base / "truth.jsonl")
    log(
        f"{'reviews_vs_classics':18s} copyright   P={m['precision']:.4f} "
        f"R={m['recall']:.4f} F1={m['f1']:.4f}  {timing.rate(n)}"
    )


def synthetic_corpus(path: Path, n: int, seed: int = 7) -> None:
    """Random reviews over the imdb_en vocabulary (Zipf-like), 10% near copies."""
    rng = random.Random(seed)
    words: dict[str, int] = {}
    with open(EVAL / "dup" / "imdb_en" / "corpus.jsonl", encoding="utf-8") as f:
        for line in f:
            for w in re.findall(r"[A-Za-z']+", json.loads(line)["text"]):
                words[w] = words.get(w, 0) + 1
    vocab = sorted(words, key=words.get, reverse=True)[:20000]
    cum_weights = list(itertools.accumulate(1.0 / (i + 10) for i in range(len(vocab))))
    texts: list[str] = []
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            if texts and rng.random() < 0.1:
                toks = rng.choice(texts).split()
                for _ in range(3):
                    toks[rng.randrange(len(toks))] = rng.choice(vocab)
                text = " ".join(toks)
            else:
                text = " ".join(
                    rng.choices(vocab, cum_weights=cum_weights, k=rng.randint(80, 300))
                )
                if len(texts) < 5000:
                    texts.append(text)
            out.write(json.dumps({"id": f"s{i:07d}", "text": text}) + "\n")


def scaling(tmp: Path, beam_args: list[str], portable: bool = False) -> None:
    if portable:
        for n in (25_000, 100_000):
            # Fresh services per size, so each size's peaks are its own.
            with LocalPortableServices(tmp, str(PYTHON)) as services:
                pids = {name: p.pid for name, p in services.procs.items()}
                _scaling_runs(tmp, services.beam_args(), (n,), pids)
        return
    _scaling_runs(tmp, beam_args, (25_000, 100_000), None)


def _scaling_runs(
    tmp: Path,
    beam_args: list[str],
    sizes: tuple[int, ...],
    services: dict[str, int] | None,
) -> None:
    log(
        "scaling: whole `corpusgate audit --detectors near_duplicate` process; "
        "launcher = the process started, workers = its child processes (SDK "
        "workers with --direct_running_mode=multi_processing; none in-process)"
        + (f"; Beam options {' '.join(beam_args)}" if beam_args else "")
    )
    for n in sizes:
        corpus = tmp / f"synthetic-{n}" / "corpus.jsonl"
        corpus.parent.mkdir(parents=True, exist_ok=True)
        if not corpus.exists():
            synthetic_corpus(corpus, n)
        t = run_corpusgate(
            corpus,
            tmp / f"cg-synthetic-{n}",
            "near_duplicate",
            *beam_args,
            services=services,
        )
        _SCALING[n] = t.wall
        log(f"synthetic {n:>7,d}   corpusgate near_duplicate {t.rate(n)}")
    if 25_000 in _SCALING and 100_000 in _SCALING:
        log(
            f"scaling 25k -> 100k: time x{_SCALING[100_000] / _SCALING[25_000]:.2f} "
            f"(target <= 4.4)"
        )


_SCALING: dict[int, float] = {}


def giant(tmp: Path, n: int) -> None:
    corpus = tmp / "giant" / "corpus.jsonl"
    corpus.parent.mkdir(parents=True, exist_ok=True)
    text = json.loads(open(EVAL / "dup" / "imdb_en" / "corpus.jsonl").readline())[
        "text"
    ]
    with open(corpus, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": f"g{i:07d}", "text": text}) + "\n")
    out = tmp / "cg-giant"
    timing = run_corpusgate(corpus, out, "near_duplicate")
    import pyarrow.parquet as pq

    clusters = {
        c
        for f in glob.glob(str(out / "documents" / "*.parquet"))
        for c in pq.read_table(f, columns=["cluster_id"]).column(0).to_pylist()
    }
    log(
        f"giant cluster: {n:,d} copies of one text -> {len(clusters)} cluster(s), "
        f"{timing.rate(n)}"
    )


def main() -> int:
    global EVAL, REALSETS
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--venv", default=str(REPO / ".bench-venvs" / "datatrove"))
    ap.add_argument("--no-datatrove", action="store_true")
    ap.add_argument("--skip-dup", action="store_true")
    ap.add_argument("--skip-copyright", action="store_true")
    ap.add_argument("--scaling", action="store_true")
    ap.add_argument(
        "--portable",
        action="store_true",
        help="scaling through Beam's job service and an external worker pool, so "
        "the launcher is a separate process from the job and its workers",
    )
    ap.add_argument("--giant", type=int, default=0, metavar="N")
    ap.add_argument(
        "--datasketch",
        action="store_true",
        help="compare the detector's MinHash with datasketch.MinHash.bulk",
    )
    ap.add_argument(
        "--evalsets",
        default=str(EVAL),
        metavar="DIR",
        help="labelled evaluation data (default: ../shared/evalsets next to the repo)",
    )
    ap.add_argument(
        "--with-realsets",
        action="store_true",
        help="also each dup set with the real corpora of its language appended",
    )
    ap.add_argument(
        "--fixed-cost",
        action="store_true",
        help="also each system on the first 10 records of each dup set (its cost "
        "with almost no documents; the pair scores there mean nothing)",
    )
    ap.add_argument(
        "--realsets",
        default=str(REALSETS),
        metavar="DIR",
        help="real corpora for --with-realsets (default: ../shared/realsets)",
    )
    ap.add_argument("--keep", default=None, help="work directory to keep")
    ap.add_argument(
        "--repeat", type=int, default=1, help="alternating runs per dup set (median)"
    )
    ap.add_argument(
        "--beam-arg",
        action="append",
        default=[],
        metavar="OPT",
        help="Beam option for corpusgate's runs (dup sets, copyright, scaling), e.g. "
        "--beam-arg=--direct_running_mode=in_memory (in this process whatever the "
        "input size) or "
        "--beam-arg=--direct_running_mode=multi_processing",
    )
    a = ap.parse_args()
    EVAL = Path(a.evalsets)
    REALSETS = Path(a.realsets)
    tmp = Path(a.keep) if a.keep else Path(tempfile.mkdtemp(prefix="bench-dedup-"))
    tmp.mkdir(parents=True, exist_ok=True)
    log(f"work dir {tmp}; cpu count {os.cpu_count()}")
    py = None if a.no_datatrove else ensure_datatrove(Path(a.venv))
    if not a.skip_dup:
        dup_sets(py, tmp, max(1, a.repeat), a.with_realsets, a.fixed_cost, a.beam_arg)
    if a.datasketch:
        datasketch_compare(tmp, max(1, a.repeat))
    if not a.skip_copyright:
        copyright_set(tmp, a.beam_arg)
    if a.scaling:
        scaling(tmp, a.beam_arg, a.portable)
    if a.giant:
        giant(tmp, a.giant)
    return 0


if __name__ == "__main__":
    sys.exit(main())
