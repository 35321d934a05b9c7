#!/usr/bin/env python3
"""Person names and language routing of the `pii` detector: accuracy, false alarms,
samples to judge, and speed against another checkout.

* accuracy (default): PERSON precision / recall at score >= 0.5 on the evaluation
  sets (score.py's matching rule), the detector run in this process;
* --realsets: PERSON findings per 1,000 documents on the real corpora
  (../shared/realsets), and with --sample N a CSV of N findings per corpus (doc_id,
  start, end, the span and 40 characters either side) to judge by hand; verdicts
  are kept as scripts/judgements/person_<corpus>.csv (doc_id,start,end,verdict) and
  --judged scans the judged documents again and prints the precision the verdicts
  give over the findings this checkout reports;
* --labelled: precision and recall on real documents whose every person name was
  marked by hand (scripts/judgements/recall/person_<corpus>.csv);
* --speed --baseline DIR: documents per second of this checkout's detector and of
  the one in DIR (another commit, e.g. a `git worktree`), each in its own process,
  run interleaved on chunks of the same documents so that load from other jobs
  falls on both alike; prints the ratio.

--zh-person-crf runs this checkout's detector with the `zh_person_crf` option.

usage: scripts/bench_names.py [--sets a,b] [--evalsets DIR] [--realsets DIR]
       [--realsets-only] [--sample N] [--judged] [--labelled]
       [--speed --baseline DIR]
       [--zh-person-crf]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from checkouts import package_path  # noqa: E402
from train_cn_person import match_counts, prf_values  # noqa: E402  (score.py's rule)

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SETS = (
    "cluener_zh_dev,conll2003_en_test,wnut17_en_test,presidio_synth_en,"
    "multipriv_en,multipriv_zh,faker_mixed"
)
REALSETS = "zh_hans_news,zh_hans_web,zh_hant,ja,en_web,en_email"
SPEED_SETS = ("evalsets/pii/faker_mixed", "realsets/zh_hans_news")
JUDGED = REPO / "scripts" / "judgements"


def load_jsonl(path: Path) -> list[dict]:
    if not path.exists() and path.with_suffix(".jsonl.gz").exists():
        path = path.with_suffix(".jsonl.gz")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# The `pii` options of this checkout's detector (--zh-person-crf sets one).
CONFIG: dict = {}


def detector():
    from corpusgate.detectors.base import DetectorContext
    from corpusgate.detectors.pii import PiiDetector

    d = PiiDetector(CONFIG, context=DetectorContext(salt=b"bench"))
    d.setup()
    return d


def persons(d, doc_id: str, text: str, threshold: float = 0.5) -> list:
    from corpusgate.detectors.base import Record

    return [
        f
        for f in d.scan(Record(doc_id, "bench", 0, text))
        if f.finding_type == "PERSON" and f.score >= threshold
    ]


def person_scores(d, docs, gold: dict[str, list]) -> str:
    """PERSON P / R / F1 of detector `d` over `docs` against the gold spans by
    document, score.py's matching rule, as a printable line's tail."""
    tp = fp = fn = 0
    for r in docs:
        pred = [(f.start, f.end) for f in persons(d, r["id"], r["text"])]
        t, f, n = match_counts(pred, gold.get(r["id"], []))
        tp, fp, fn = tp + t, fp + f, fn + n
    p, rec, f1 = prf_values(tp, fp, fn)
    return f"PERSON P {p:.3f}  R {rec:.3f}  F1 {f1:.3f}  (tp {tp}, fp {fp}, fn {fn})"


def accuracy(args) -> None:
    d = detector()
    for name in args.sets.split(","):
        folder = args.evalsets / "pii" / name
        gold: dict[str, list] = defaultdict(list)
        for t in load_jsonl(folder / "truth.jsonl"):
            if t["type"] == "PERSON" and not t.get("negative"):
                gold[t["doc_id"]].append((t["start"], t["end"]))
        docs = load_jsonl(folder / "corpus.jsonl")
        print(f"{name:20s} {person_scores(d, docs, gold)}", flush=True)


def realsets(args) -> None:
    d = detector()
    for name in args.realsets_names.split(","):
        docs = load_jsonl(args.realsets / name / "corpus.jsonl.gz")
        found = []
        langs: dict[str, int] = defaultdict(int)
        for r in docs:
            fs = persons(d, r["id"], r["text"])
            if fs:
                langs[fs[0].details.get("language", "?")] += 1
            found += [(r["id"], f.start, f.end, r["text"]) for f in fs]
        print(
            f"{name:14s} {len(docs)} docs: {len(found)} PERSON findings >= 0.5, "
            f"{1000 * len(found) / len(docs):.1f} per 1,000 docs",
            flush=True,
        )
        if args.sample:
            rng = random.Random(args.seed)
            pick = rng.sample(found, min(args.sample, len(found)))
            out = Path(tempfile.gettempdir()) / f"person_{name}_sample.csv"
            with open(out, "w", newline="", encoding="utf-8") as fh:
                w = csv.writer(fh)
                w.writerow(["doc_id", "start", "end", "span", "context"])
                for doc_id, s, e, text in sorted(pick):
                    ctx = text[max(0, s - 40) : s] + "[[" + text[s:e] + "]]"
                    ctx += text[e : e + 40]
                    w.writerow([doc_id, s, e, text[s:e], ctx.replace("\n", " ")])
            print(f"  sample of {len(pick)} written to {out}")


def judged(args) -> None:
    """Precision from the committed verdicts (y = a person's name, n = not) over the
    findings this checkout reports (score >= 0.5): the judged documents are scanned
    again, so the figure belongs to the code it is printed for. Verdicts of findings
    no longer reported are counted apart, not in the precision."""
    d = detector()
    for path in sorted(JUDGED.glob("person_*.csv")):
        with open(path, encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        corpus = path.stem.removeprefix("person_")
        wanted = {r["doc_id"] for r in rows}
        texts = {
            r["id"]: r["text"]
            for r in load_jsonl(args.realsets / corpus / "corpus.jsonl.gz")
            if r["id"] in wanted
        }
        reported = {
            (doc_id, f.start, f.end)
            for doc_id, text in texts.items()
            for f in persons(d, doc_id, text)
        }
        kept = [
            r for r in rows if (r["doc_id"], int(r["start"]), int(r["end"])) in reported
        ]
        yes = sum(r["verdict"] == "y" for r in kept)
        precision = f"{yes / len(kept):.3f}" if kept else "n/a"
        print(
            f"{path.stem:26s} {len(kept)} judged findings reported, precision "
            f"{precision}; {len(rows) - len(kept)} judged findings no longer reported"
        )


def labelled(args) -> None:
    """Precision and recall (score.py's matching rule, score >= 0.5) on documents of
    the real corpora whose every person name was marked by hand:
    scripts/judgements/recall/person_<corpus>.csv holds doc_id,start,end per name
    mention, and one row with empty offsets for a labelled document without names."""
    d = detector()
    for path in sorted((JUDGED / "recall").glob("person_*.csv")):
        corpus = path.stem.removeprefix("person_")
        gold: dict[str, list] = defaultdict(list)
        with open(path, encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                spans = gold[r["doc_id"]]
                if r["start"]:
                    spans.append((int(r["start"]), int(r["end"])))
        docs = [
            r
            for r in load_jsonl(args.realsets / corpus / "corpus.jsonl.gz")
            if r["id"] in gold
        ]
        line = person_scores(d, docs, gold)
        print(f"{corpus:14s} {len(gold)} labelled docs: {line}", flush=True)


# -- speed -----------------------------------------------------------------------
# The worker times either the whole detector (`scan`) or only the name part:
# language routing plus the Chinese and English name recognizers, as each
# checkout routes them (before language.py: the script counter of text.py).
WORKER = r"""
import json, re, sys, time
from corpusgate.detectors.base import DetectorContext, Record
from corpusgate.detectors.pii import PiiDetector
d = PiiDetector(json.loads(sys.argv[2]), context=DetectorContext(salt=b"bench"))
d.setup()
e = d._engines
part = sys.argv[1]
upper = re.compile(r"[A-Z][a-z]")
try:
    from corpusgate.detectors.language import document_language
    from corpusgate.detectors.pii.name_routing import analyze_chinese, runs_chinese_names
    def names(text):
        lang = document_language(text)
        if runs_chinese_names(text, lang):
            analyze_chinese(e.zh_names, text, lang)
        return lang
except ImportError:
    from corpusgate.detectors.text import detect_language
    def names(text):
        lang = detect_language(text)
        if lang in ("zh", "mixed") or (lang == "other" and re.search("[一-鿿]", text)):
            for r in e.zh_names:
                r.analyze(text, r.supported_entities, None)
        return lang
def run(text):
    names(text)
    if upper.search(text):
        latin = d._latin_view(text)
        for r in e.en_names:
            r.analyze(latin, r.supported_entities, None)
texts = json.loads(sys.stdin.readline())
# Set-up that a checkout defers to the first document of a language (the
# Chinese recognizers) stays off the clock, as the detector's setup() does.
for warm in ("Mr John Smith called.", "张伟先生来电。"):
    d.scan(Record("warm", "bench", 0, warm))
print("ready", flush=True)
for line in sys.stdin:
    a, b = map(int, line.split())
    t0 = time.perf_counter()
    for i in range(a, b):
        if part == "names":
            run(texts[i])
        else:
            d.scan(Record(str(i), "bench", i, texts[i]))
    print(time.perf_counter() - t0, flush=True)
"""


def speed(args) -> None:
    systems = {"this checkout": REPO, "baseline": args.baseline.resolve()}
    for rel in SPEED_SETS:
        texts = [r["text"] for r in load_jsonl(SHARED / rel / "corpus.jsonl")]
        procs = {}
        for label, root in systems.items():
            env = dict(os.environ, PYTHONPATH=str(package_path(root)))
            config = CONFIG if root == REPO else {}
            p = subprocess.Popen(
                [sys.executable, "-c", WORKER, args.part, json.dumps(config)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                env=env,
                cwd=tempfile.gettempdir(),
            )
            p.stdin.write(json.dumps(texts) + "\n")
            p.stdin.flush()
            assert p.stdout.readline().strip() == "ready"
            procs[label] = p
        spent = dict.fromkeys(systems, 0.0)
        for _ in range(args.rounds):
            for a in range(0, len(texts), args.chunk):
                b = min(len(texts), a + args.chunk)
                for label, p in procs.items():
                    p.stdin.write(f"{a} {b}\n")
                    p.stdin.flush()
                    spent[label] += float(p.stdout.readline())
        for p in procs.values():
            p.stdin.close()
            p.wait()
        n = len(texts) * args.rounds
        rates = {k: n / v for k, v in spent.items()}
        print(
            f"{rel} ({args.part}): "
            + ", ".join(f"{k} {r:.0f} docs/s" for k, r in rates.items())
            + f"; ratio {rates['this checkout'] / rates['baseline']:.3f}",
            flush=True,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sets", default=SETS)
    ap.add_argument("--evalsets", type=Path, default=SHARED / "evalsets")
    ap.add_argument("--realsets", type=Path, default=SHARED / "realsets")
    ap.add_argument("--realsets-names", default=REALSETS)
    ap.add_argument("--skip-accuracy", action="store_true")
    ap.add_argument("--with-realsets", action="store_true")
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument(
        "--seed", type=int, default=16, help="another seed draws a fresh sample"
    )
    ap.add_argument("--judged", action="store_true")
    ap.add_argument(
        "--labelled",
        action="store_true",
        help="precision and recall on the hand-labelled real documents",
    )
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--baseline", type=Path, help="another checkout, for --speed")
    ap.add_argument("--chunk", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument(
        "--part",
        choices=("scan", "names"),
        default="scan",
        help="time the whole detector or only language routing + name recognizers",
    )
    ap.add_argument(
        "--zh-person-crf",
        action="store_true",
        help="this checkout's detector with the zh_person_crf option (the "
        "baseline of --speed keeps its defaults)",
    )
    args = ap.parse_args()
    if args.zh_person_crf:
        CONFIG["zh_person_crf"] = True
    if not args.skip_accuracy:
        accuracy(args)
    if args.with_realsets:
        realsets(args)
    if args.judged:
        judged(args)
    if args.labelled:
        labelled(args)
    if args.speed:
        if args.baseline is None:
            ap.error("--speed needs --baseline DIR (e.g. a git worktree of main)")
        speed(args)


if __name__ == "__main__":
    main()
