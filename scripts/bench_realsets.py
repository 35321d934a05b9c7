#!/usr/bin/env python3
"""False alarms of the `pii` detector on real, unlabelled corpora.

Runs PiiDetector in this process over every corpus in ../shared/realsets (or a
deterministic sample of each: every k-th document up to --limit) and prints, per
corpus, findings per 1,000 documents by type and severity, the share of documents with
a finding of severity >= high, and docs/s. The file path of code and markup documents
(their provenance) is passed as the record's `path`, as an audit input field would be.

--gate also runs `corpusgate audit --detectors pii` and `corpusgate gate` on the same
sample of each corpus and prints the gate's verdict.

--dump FILE writes every finding of severity >= medium with 60 characters of context
either side to FILE (JSON lines) for hand judgement; it holds raw text, so keep it
outside the repository. Verdicts go to scripts/judgements/*.csv (doc_id,start,end,
verdict) and --judgements reports their precision per type.

usage: scripts/bench_realsets.py [--limit N] [--corpora a,b] [--gate] [--dump FILE]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REALSETS = REPO.parent / "shared" / "realsets"
JUDGEMENTS = REPO / "scripts" / "judgements"
SEVERITIES = ("info", "low", "medium", "high", "critical")


def load(folder: Path, limit: int | None) -> list[dict]:
    with gzip.open(folder / "corpus.jsonl.gz", "rt", encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh if line.strip()]
    paths = {}
    prov = folder / "provenance.jsonl.gz"
    if prov.exists():
        with gzip.open(prov, "rt", encoding="utf-8") as fh:
            for line in fh:
                p = json.loads(line)
                if "path" in p:
                    paths[p["id"]] = p["path"]
    for d in docs:
        if d["id"] in paths:
            d["path"] = paths[d["id"]]
    if limit and len(docs) > limit:
        step = len(docs) / limit
        docs = [docs[int(i * step)] for i in range(limit)]
    return docs


def scan_corpus(det, docs: list[dict]):
    from corpusgate.detectors.base import Record

    findings = []
    t0 = time.perf_counter()
    for i, d in enumerate(docs):
        meta = {"path": d["path"]} if "path" in d else {}
        rec = Record(d["id"], "realsets", i, d["text"], meta=meta)
        findings += [(d, f) for f in det.scan(rec)]
    return findings, time.perf_counter() - t0


def gate(folder: Path, docs: list[dict]) -> str:
    cli = REPO / ".venv" / "bin" / "corpusgate"
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "corpus.jsonl"
        with src.open("w", encoding="utf-8") as fh:
            for d in docs:
                fh.write(json.dumps(d, ensure_ascii=False) + "\n")
        out = Path(tmp) / "out"
        subprocess.run(
            [str(cli), "audit", str(src), "--out", str(out), "--detectors", "pii"],
            check=True,
            capture_output=True,
        )
        res = subprocess.run(
            [str(cli), "gate", str(out)], capture_output=True, text=True
        )
        lines = [ln for ln in res.stdout.splitlines() if ln.strip()]
        verdict = "pass" if res.returncode == 0 else "FAIL"
        blocked = [ln.strip() for ln in lines if "block" in ln.lower()]
        return verdict + (f" ({'; '.join(blocked[:3])})" if blocked else "")


def judged_precision() -> None:
    """Precision per finding type over the committed verdicts."""
    if not JUDGEMENTS.exists():
        return
    by_type: dict[str, Counter] = defaultdict(Counter)
    for f in sorted(JUDGEMENTS.glob("*.csv")):
        ftype = f.stem
        if not ftype.isupper():  # person_<corpus>.csv: bench_names.py's samples
            continue
        with f.open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                by_type[ftype][row["verdict"]] += 1
    print("\n== hand-judged findings (scripts/judgements/<TYPE>.csv)")
    for t, c in sorted(by_type.items()):
        n = c["tp"] + c["fp"]
        p = c["tp"] / n if n else float("nan")
        print(f"  {t:22s} judged {n:4d}  tp {c['tp']:4d}  fp {c['fp']:4d}  P {p:.3f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--realsets", default=str(REALSETS))
    ap.add_argument("--limit", type=int, default=1000, help="docs per corpus (0 = all)")
    ap.add_argument("--corpora", default="", help="comma-separated corpus names")
    ap.add_argument("--gate", action="store_true")
    ap.add_argument("--dump", default="")
    ap.add_argument("--judgements", action="store_true")
    args = ap.parse_args()

    from corpusgate.detectors.base import DetectorContext
    from corpusgate.detectors.pii import PiiDetector

    root = Path(args.realsets)
    names = (
        args.corpora.split(",")
        if args.corpora
        else sorted(p.name for p in root.iterdir() if (p / "corpus.jsonl.gz").exists())
    )
    det = PiiDetector(context=DetectorContext(salt=b"bench"))
    det.setup()
    dump = open(args.dump, "w", encoding="utf-8") if args.dump else None
    for name in names:
        docs = load(root / name, args.limit or None)
        found, secs = scan_corpus(det, docs)
        per_k = 1000 / len(docs)
        by = Counter((f.finding_type, f.severity) for _, f in found)
        high_docs = {d["id"] for d, f in found if f.severity in ("high", "critical")}
        print(
            f"== {name}: {len(docs)} docs, {len(found)} findings, "
            f"{len(docs) / secs:.0f} docs/s; docs with a finding >= high: "
            f"{len(high_docs)} ({len(high_docs) * per_k:.1f} per 1,000)"
        )
        types = sorted({t for t, _ in by})
        for t in types:
            cells = "  ".join(
                f"{s} {by[(t, s)] * per_k:7.1f}" for s in SEVERITIES if by[(t, s)]
            )
            print(f"  {t:22s} {cells}")
        if args.gate:
            print(f"  gate: {gate(root / name, docs)}")
        if dump:
            for d, f in found:
                if f.severity in ("medium", "high", "critical") and f.start is not None:
                    text = d["text"]
                    dump.write(
                        json.dumps(
                            {
                                "doc_id": d["id"],
                                "start": f.start,
                                "end": f.end,
                                "type": f.finding_type,
                                "severity": f.severity,
                                "score": f.score,
                                "value": text[f.start : f.end],
                                "left": text[max(0, f.start - 60) : f.start],
                                "right": text[f.end : f.end + 60],
                            },
                            ensure_ascii=False,
                        )
                        + "\n"
                    )
        sys.stdout.flush()
    if dump:
        dump.close()
    if args.judgements:
        judged_precision()


if __name__ == "__main__":
    main()
