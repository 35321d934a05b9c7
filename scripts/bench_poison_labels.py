"""Benchmark of the `poisoning` and `labels` detectors on the development sets.

    .venv/bin/python scripts/bench_poison_labels.py [--sets poison/badnets_sst2,...]
        [--only poisoning|labels]
        [--work /tmp/cg-bench-poison-labels] [--venvs /tmp/corpusgate-bench-venvs]
        [--no-cleanlab] [--generated /tmp/corpusgate-multiclass] [--realsets [DIR]]
        [--inject]

For every set it runs `corpusgate audit <corpus> --out OUT --detectors poisoning`
(or `labels`) and scores OUT with `../shared/evalsets/score.py`. For the label-noise
sets it also runs cleanlab's `find_label_issues` (default filter) on out-of-fold
probabilities from the *same* features (corpusgate's hashed n-grams), the *same*
folds (hash of doc_id) and the *same* model (L-BFGS logistic regression, same C),
in a virtual environment of its own that this script creates with pip, and scores
cleanlab's flags with the same score.py. `generated/agnews_noisy` is a 4-class set
made by scripts/make_multiclass_labels.py (created under --generated when missing).
With --realsets it also audits every clean real corpus with `poisoning` and prints the
findings above info per 10,000 records (target: at most 1 of every type). Prints one
table; exit 1 if a target is missed.

With --inject it plants one dirty-label trigger at 1, 3, 5 and 10% of the records in
sets that hold none (the clean records of poison/badnets_sst2, labels/flipped_reviews_zh,
labels/imdb_human_verified): records of the first label are chosen with a fixed seed,
the trigger is put at a random word (for Chinese: character) position, and the label
is set to the other one. Triggers: the rare word `cf`, a rare CJK character, and an
inserted sentence (`i watch this 3d movie`, as in AddSent). Each planted set is audited
with `poisoning` and scored like the others (reported, no target).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EVALSETS = REPO.parent / "shared" / "evalsets"
SCORE = EVALSETS / "score.py"

SETS = {
    "poison/badnets_sst2": ("poisoning", "poison", {"recall": 0.9, "precision": 0.8}),
    "poison/burst_reviews_zh": (
        "poisoning",
        "poison",
        {"recall": 0.95, "precision": 0.9},
    ),
    "poison/hiddenkiller_sst2": ("poisoning", "poison", None),  # report only
    "labels/conflicts_zh": ("labels", "labels", {"recall": 1.0}),
    "labels/flipped_reviews_zh": ("labels", "labels", "cleanlab"),
    "labels/imdb_human_verified": ("labels", "labels", "cleanlab"),
    # Made by scripts/make_multiclass_labels.py (AG News topics, cleanlab's noise
    # generator, known noise matrix) under --generated; created when missing.
    "generated/agnews_noisy": ("labels", "labels", "cleanlab"),
}
GENERATED = Path("/tmp/corpusgate-multiclass")

CLEANLAB_SNIPPET = """
import json, sys
import numpy as np
from cleanlab.filter import find_label_issues
labels = np.load(sys.argv[1]); probs = np.load(sys.argv[2])
issues = find_label_issues(labels, probs)
json.dump([int(i) for i in np.flatnonzero(issues)], open(sys.argv[3], "w"))
"""


def corpus_path(set_dir: Path) -> Path:
    for name in ("corpus.jsonl", "corpus.jsonl.gz"):
        if (set_dir / name).exists():
            return set_dir / name
    raise FileNotFoundError(f"no corpus in {set_dir}")


def score(task: str, out: Path, truth: Path) -> dict:
    res = subprocess.run(
        [sys.executable, str(SCORE), task, str(out), str(truth), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout.splitlines()[0])["micro"]


def audit(corpus: Path, out: Path, detector: str) -> float:
    exe = Path(sys.executable).parent / "corpusgate"
    start = time.monotonic()
    subprocess.run(
        [
            str(exe),
            "audit",
            str(corpus),
            "--out",
            str(out),
            "--detectors",
            detector,
            "--overwrite",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return time.monotonic() - start


def cleanlab_python(venvs: Path) -> Path:
    venv = venvs / "cleanlab"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", "cleanlab==2.9.0"], check=True
        )
    return py


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


def out_of_fold_probs(corpus: Path):
    """The labels detector's features, folds and model, run in one process."""
    import numpy as np
    from corpusgate.detectors.labels import (
        LabelFeatures,
        LabelsDetector,
        fold_of,
        hashed_ngrams,
        to_matrix,
        train_model,
    )

    cfg = LabelsDetector.DEFAULTS
    rows, ids = [], []
    for i, rec in enumerate(read_jsonl(corpus)):
        if rec.get("label") is None:
            continue
        doc_id = str(rec.get("id", f"{corpus}:{i}"))
        idx, vals = hashed_ngrams(
            rec["text"], cfg["buckets"], cfg["ngram"], cfg["max_tokens"]
        )
        rows.append(
            LabelFeatures(
                str(rec["label"]), "", fold_of(doc_id, cfg["folds"]), idx, vals
            )
        )
        ids.append(doc_id)
    classes = sorted({r.label for r in rows})
    x = to_matrix(rows, cfg["buckets"])
    folds = np.array([r.fold for r in rows])
    probs = np.zeros((len(rows), len(classes)))
    for k in range(cfg["folds"]):
        train = [r for r in rows if r.fold != k]
        model = train_model(train, cfg["buckets"], cfg["c"])
        mask = folds == k
        p = model.predict_proba(x[mask])
        cols = [classes.index(str(c)) for c in model.classes_]
        probs[np.ix_(mask, cols)] = p
    labels = np.array([classes.index(r.label) for r in rows])
    return ids, labels, probs


def cleanlab_findings(corpus: Path, out: Path, venvs: Path, work: Path) -> None:
    """Runs cleanlab in its own venv and writes its flags as a findings table."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    ids, labels, probs = out_of_fold_probs(corpus)
    np.save(work / "labels.npy", labels)
    np.save(work / "probs.npy", probs)
    snippet = work / "cleanlab_run.py"
    snippet.write_text(CLEANLAB_SNIPPET)
    subprocess.run(
        [
            str(cleanlab_python(venvs)),
            str(snippet),
            str(work / "labels.npy"),
            str(work / "probs.npy"),
            str(work / "issues.json"),
        ],
        check=True,
    )
    flagged = json.loads((work / "issues.json").read_text())
    (out / "findings").mkdir(parents=True, exist_ok=True)
    table = pa.table(
        {
            "doc_id": [ids[i] for i in flagged],
            "detector": ["labels"] * len(flagged),
            "finding_type": ["LABEL_SUSPECT"] * len(flagged),
            "score": [1.0] * len(flagged),
            "severity": ["medium"] * len(flagged),
        }
    )
    pq.write_table(table, out / "findings" / "part-00000.parquet")


def false_flags(realsets: Path, work: Path) -> list[str]:
    """POISON_* findings above info per 10,000 records of each clean real corpus."""
    import pyarrow.parquet as pq

    print(f"{'real corpus':16} {'records':>8} {'secs':>6}  findings above info per 10k")
    failed = []
    for corpus in sorted(realsets.glob("*/corpus.jsonl.gz")):
        name = corpus.parent.name
        out = work / f"realsets__{name}"
        secs = audit(corpus, out, "poisoning")
        rows = pq.read_table(out / "findings", columns=["finding_type", "severity"])
        records = json.loads((out / "run.json").read_text())["counts"]["scanned"]
        above = {}
        for ftype, sev in zip(*rows.to_pydict().values(), strict=True):
            if sev != "info":
                above[ftype] = above.get(ftype, 0) + 1
        per10k = {k: round(v * 10_000 / records, 2) for k, v in sorted(above.items())}
        # Clean text: no poisoning type above info more than once per 10,000 records.
        if any(v > 1 for v in per10k.values()):
            failed.append(f"realsets/{name}")
        print(f"{name:16} {records:8,d} {secs:6.1f}  {per10k or 'none'}")
    return failed


def make_multiclass(set_dir: Path, args) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_multiclass_labels", REPO / "scripts" / "make_multiclass_labels.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make(set_dir, EVALSETS.parent / "realsets", 0.1, 0, Path(args.venvs))


# (name, base set, trigger) of the planted sets of --inject
PLANTED = (
    ("sst2_word", "poison/badnets_sst2", "cf"),
    ("sst2_sentence", "poison/badnets_sst2", "i watch this 3d movie"),
    ("reviews_zh_word", "labels/flipped_reviews_zh", "cf"),
    ("reviews_zh_char", "labels/flipped_reviews_zh", "\u9f98"),
    ("imdb_word", "labels/imdb_human_verified", "cf"),
)
PLANT_RATES = (0.01, 0.03, 0.05, 0.1)


def _plant(text: str, trigger: str, rng) -> str:
    if " " not in text.strip():  # Chinese: no spaces between words
        k = rng.randint(0, len(text))
        glue = " " if trigger.isascii() else ""
        return text[:k] + glue + trigger + glue + text[k:]
    words = text.split(" ")
    k = rng.randint(0, len(words))
    return " ".join(words[:k] + trigger.split(" ") + words[k:])


def planted_sets(work: Path):
    """Yields (name, corpus, truth) of every planted set, written under `work`."""
    import random

    for name, base, trigger in PLANTED:
        set_dir = EVALSETS / base
        poisoned = {
            r["doc_id"]
            for r in map(json.loads, (set_dir / "truth.jsonl").open(encoding="utf-8"))
            if r.get("is_poison")
        }
        rows = [r for r in read_jsonl(corpus_path(set_dir)) if r["id"] not in poisoned]
        first, other = sorted({r["label"] for r in rows})[:2]
        for rate in PLANT_RATES:
            rng = random.Random(f"{name}-{rate}")
            pool = [i for i, r in enumerate(rows) if r["label"] == first]
            picked = set(rng.sample(pool, int(rate * len(rows))))
            out_dir = work / "planted" / f"{name}_{round(rate * 100)}pct"
            out_dir.mkdir(parents=True, exist_ok=True)
            with (
                (out_dir / "corpus.jsonl").open("w", encoding="utf-8") as c,
                (out_dir / "truth.jsonl").open("w", encoding="utf-8") as t,
            ):
                for i, r in enumerate(rows):
                    if i in picked:
                        r = {
                            **r,
                            "text": _plant(r["text"], trigger, rng),
                            "label": other,
                        }
                    c.write(json.dumps(r, ensure_ascii=False) + "\n")
                    t.write(json.dumps({"doc_id": r["id"], "is_poison": i in picked}))
                    t.write("\n")
            yield out_dir.name, out_dir / "corpus.jsonl", out_dir / "truth.jsonl"


def main() -> int:
    global EVALSETS, SCORE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--sets",
        default=",".join(SETS),
        help="comma-separated set names (default: all); '' with --realsets: none",
    )
    ap.add_argument(
        "--only",
        choices=["poisoning", "labels"],
        help="only the sets of this detector (labels: the conflict set and the three "
        "label-noise sets, each beside cleanlab)",
    )
    ap.add_argument("--work", default="/tmp/cg-bench-poison-labels")
    ap.add_argument(
        "--venvs",
        default=os.environ.get("CG_BENCH_VENVS", "/tmp/corpusgate-bench-venvs"),
    )
    ap.add_argument("--no-cleanlab", action="store_true")
    ap.add_argument(
        "--realsets",
        nargs="?",
        const=str(REPO.parent / "shared" / "realsets"),
        default=None,
        metavar="DIR",
        help="also audit every real corpus in DIR with `poisoning` and count findings "
        "above info per 10,000 records (target: <= 1 of every type)",
    )
    ap.add_argument(
        "--generated",
        default=str(GENERATED),
        metavar="DIR",
        help="where generated sets live (made when missing; never in the repository)",
    )
    ap.add_argument(
        "--evalsets",
        default=str(EVALSETS),
        metavar="DIR",
        help="labelled evaluation data (default: ../shared/evalsets next to the repo)",
    )
    ap.add_argument(
        "--inject",
        action="store_true",
        help="also plant one trigger at 1-10%% of the records of clean sets and score "
        "`poisoning` on them (reported, no target)",
    )
    args = ap.parse_args()
    EVALSETS = Path(args.evalsets)
    SCORE = EVALSETS / "score.py"
    work = Path(args.work)
    work.mkdir(parents=True, exist_ok=True)
    failed = []
    if args.realsets is not None:
        failed += false_flags(Path(args.realsets), work)
        if not args.sets:
            return 1 if failed else 0
    print(
        f"{'set':28} {'who':10} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>5} "
        f"{'fn':>5} {'secs':>6}  target"
    )
    names = [s for s in args.sets.split(",") if s]
    if args.only:
        names = [s for s in names if SETS[s][0] == args.only]
    for name in names:
        detector, task, target = SETS[name]
        set_dir = EVALSETS / name
        if name.startswith("generated/"):
            set_dir = Path(args.generated) / name.split("/", 1)[1]
            if not (set_dir / "truth.jsonl").exists():
                make_multiclass(set_dir, args)
        corpus, truth = corpus_path(set_dir), set_dir / "truth.jsonl"
        out = work / name.replace("/", "__")
        secs = audit(corpus, out, detector)
        m = score(task, out, truth)
        verdict = ""
        if isinstance(target, dict):
            ok = all(m[k] >= v for k, v in target.items())
            verdict = ("ok " if ok else "MISSED ") + json.dumps(target)
            if not ok:
                failed.append(name)
        print(
            f"{name:28} {'corpusgate':10} {m['precision']:6.3f} {m['recall']:6.3f} "
            f"{m['f1']:6.3f} {m['tp']:5d} {m['fp']:5d} {m['fn']:5d} {secs:6.1f}  "
            f"{verdict or ('F1 >= cleanlab' if target == 'cleanlab' else 'report')}"
        )
        if target == "cleanlab" and not args.no_cleanlab:
            cl_work = work / (name.replace("/", "__") + "__cleanlab")
            cl_work.mkdir(parents=True, exist_ok=True)
            start = time.monotonic()
            cleanlab_findings(corpus, cl_work / "out", Path(args.venvs), cl_work)
            c = score(task, cl_work / "out", truth)
            secs_cl = time.monotonic() - start
            ok = m["f1"] >= c["f1"]
            if not ok:
                failed.append(name)
            print(
                f"{'':28} {'cleanlab':10} {c['precision']:6.3f} {c['recall']:6.3f} "
                f"{c['f1']:6.3f} {c['tp']:5d} {c['fp']:5d} {c['fn']:5d} {secs_cl:6.1f}  "
                f"{'ok' if ok else 'MISSED'} corpusgate F1 >= cleanlab F1"
            )
    if args.inject:
        for name, corpus, truth in planted_sets(work):
            out = work / "planted" / (name + "__out")
            secs = audit(corpus, out, "poisoning")
            m = score("poison", out, truth)
            print(
                f"{'planted/' + name:28} {'corpusgate':10} {m['precision']:6.3f} "
                f"{m['recall']:6.3f} {m['f1']:6.3f} {m['tp']:5d} {m['fp']:5d} "
                f"{m['fn']:5d} {secs:6.1f}  report"
            )
    if failed:
        print("targets missed:", ", ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
