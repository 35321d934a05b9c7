"""CBRN detector benchmark: accuracy on the dev set against a keyword-only baseline,
and single-core throughput on synthetic 1 KB documents.

    .venv/bin/python scripts/bench_cbrn.py [--evalset ../shared/evalsets/cbrn/mixed]
        [--docs 5000] [--skip-audit] [--skip-cv] [--cv [--cv-errors FILE]]
        [--write-stage2]

1. Runs `corpusgate audit corpus.jsonl --out TMP --detectors cbrn` and scores it with
   `score.py cbrn` (a document is flagged at severity >= high).
2. Keyword-only baseline, same run: any lexicon agent name -> high; written as a
   findings Parquet and scored by the same script.
3. Grouped 5-fold cross-validation (also alone with `--cv`; skip with `--skip-cv`):
   rules alone vs rules + stage 2, the estimate for unseen data of the same kinds. A
   question and its rewrites stay in one fold; the stage-2 threshold and veto
   threshold of each fold are chosen by an inner grouped CV on its training folds. `--cv-errors FILE` writes the
   misclassified documents (JSONL) for error analysis.
4. Throughput: `CbrnDetector.scan` on synthetic ~1 KB documents in one process.

`--write-stage2` refits stage 2 on the whole dev set (threshold and veto threshold
from grouped 5-fold out-of-fold probabilities) and writes
detectors/cbrn/data/stage2.json.
"""

from __future__ import annotations

import argparse
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
from corpusgate.detectors.base import Record
from corpusgate.detectors.cbrn import CbrnDetector, stage2
from corpusgate.detectors.cbrn.matcher import Matcher
from corpusgate.detectors.cbrn.scorer import (
    assess,
    genres,
    rule_tokens,
    usable_hits,
    vetoable,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVALSET = REPO.parent / "shared" / "evalsets" / "cbrn" / "mixed"


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
    """Texts, labels and document ids, in file order."""
    with open(evalset / "truth.jsonl", encoding="utf-8") as fh:
        truth = {t["doc_id"]: t["positive"] for t in map(json.loads, fh)}
    texts, labels, ids = [], [], []
    with open(evalset / "corpus.jsonl", encoding="utf-8") as fh:
        for doc in map(json.loads, fh):
            texts.append(doc["text"])
            labels.append(bool(truth[doc["id"]]))
            ids.append(doc["id"])
    return texts, labels, ids


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


def _prf(pred: list[bool], labels: list[bool]) -> str:
    tp = sum(p and y for p, y in zip(pred, labels, strict=True))
    fp = sum(p and not y for p, y in zip(pred, labels, strict=True))
    fn = sum(y and not p for p, y in zip(pred, labels, strict=True))
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f"precision={prec:.3f} recall={rec:.3f} f1={f1:.3f}"


class _DevSet:
    """The dev set with everything stage 2 needs, computed once: each document's
    rules-only decision, whether the scorer would ask stage 2 about it, and its
    (text, rule tokens) features."""

    def __init__(self, evalset: Path, overrides: dict | None = None) -> None:
        self.texts, self.labels, self.ids = load_evalset(evalset)
        self.groups = near_duplicate_groups(self.texts, self.ids)
        detector = CbrnDetector({**(overrides or {}), "stage2": False})
        detector.setup()
        self.cfg = cfg = detector.config
        self.lexicon = lexicon = detector.lexicon
        matcher = Matcher(lexicon, lab_terms_to_anchor=1)
        self.matches = [matcher.match(t) for t in self.texts]
        self.rules, self.asked, self.docs, self.margin = [], [], [], []
        self.vetoable: list[bool] = []
        for text, m in zip(self.texts, self.matches, strict=True):
            seen: list[list[str]] = []

            def probe(_text: str, tokens: list[str], seen=seen) -> float:
                seen.append(tokens)
                return 0.0

            found = assess(
                text,
                m,
                lexicon,
                window=cfg["window_chars"],
                density_threshold=cfg["density_threshold"],
                stage2=probe,
                stage2_threshold=1.0,
                stage2_min_density=cfg["stage2_min_density"],
            )
            self.rules.append(any(a.severity != "info" for a in found))
            self.vetoable.append(vetoable(text, found, m, lexicon))
            self.asked.append(bool(seen))
            if not seen:  # not asked: the tokens of its rules-only assessment
                seen.append(
                    rule_tokens(text, usable_hits(m, lexicon), m, lexicon, found)
                )
            self.docs.append((text, seen[0]))
            self.margin.append(genres(text, m, lexicon)[1])

    def flagged(
        self, i: int, probability: float, threshold: float, veto: float = 0.0
    ) -> bool:
        """The detector's decision for document i given stage 2's probability, its
        threshold and its veto threshold."""
        if self.rules[i]:
            return not (self.vetoable[i] and probability < veto)
        return self.asked[i] and probability >= threshold + self.margin[i]

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

    def best_threshold(
        self, idx: list[int], probs: list[float], veto: bool = True
    ) -> tuple[float, float]:
        """The stage-2 threshold (grid 0.30-0.90) and veto threshold (grid
        0.00-0.40; 0 without `veto`) that maximise the smaller of precision and
        recall of the detector's decision on `idx` (the acceptance asks for both),
        F1 breaking ties, then the smaller veto. The F1 curve is flat over a wide
        range; this picks its balanced point rather than an arbitrary end of it."""

        import numpy as np

        p = np.array(probs)
        rules = np.array([self.rules[i] for i in idx])
        kept = rules & ~np.array([self.vetoable[i] for i in idx])
        asked = np.array([self.asked[i] for i in idx]) & ~rules
        need = p - np.array([self.margin[i] for i in idx])
        y = np.array([self.labels[i] for i in idx])

        def quality(pair: tuple[float, float]) -> tuple[float, float, float]:
            th, vt = pair  # as flagged(), for all of idx at once
            pred = kept | (rules & (p >= vt)) | (asked & (need >= th))
            tp = int((pred & y).sum())
            fp, fn = int(pred.sum()) - tp, int(y.sum()) - tp
            precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
            f1 = 2 * tp / max(1, 2 * tp + fp + fn)
            return round(min(precision, recall), 6), round(f1, 6), -vt

        vetoes = [v / 100 for v in range(0, 51, 5)] if veto else [0.0]
        grid = [(t / 100, v) for t in range(30, 91) for v in vetoes]
        return max(grid, key=quality)


def cross_validate(
    evalset: Path,
    folds: int = 5,
    overrides: dict | None = None,
    errors: Path | None = None,
) -> float:
    """Grouped k-fold CV of the whole detector (rules + stage 2): per outer fold,
    the threshold is chosen by an inner grouped 3-fold CV on the training folds,
    then stage 2 is fitted on all training folds and applied to the held-out one.
    Returns the F1 of rules + stage 2."""
    from sklearn.model_selection import GroupKFold

    dev = _DevSet(evalset, overrides)
    n = len(dev.texts)
    with_stage2 = list(dev.rules)
    probs = [0.0] * n
    thresholds = []
    for train_idx, test_idx in GroupKFold(folds).split(
        dev.texts, dev.labels, dev.groups
    ):
        train_idx = list(train_idx)
        threshold, veto = dev.best_threshold(
            train_idx, dev.out_of_fold(train_idx, 3), dev.cfg["stage2_veto"]
        )
        thresholds.append((threshold, veto))
        model = stage2.train(
            [dev.docs[i] for i in train_idx], [dev.labels[i] for i in train_idx], "cv"
        )
        for i in test_idx:
            probs[i] = model.probability(*dev.docs[i])
            with_stage2[i] = dev.flagged(i, probs[i], threshold, veto)
    print(
        f"grouped {folds}-fold CV on {evalset} ({n} docs, {len(set(dev.groups))} "
        "groups: a question and its rewrites stay in one fold)"
    )
    print(f"  rules only        {_prf(dev.rules, dev.labels)}")
    print(f"  rules + stage 2   {_prf(with_stage2, dev.labels)}")
    print(
        "  stage-2 (threshold, veto threshold) chosen on the training folds: "
        f"{thresholds}"
    )
    print(f"  stage 2 asked about {sum(dev.asked)} of {n} documents")
    if errors is not None:
        with open(errors, "w", encoding="utf-8") as fh:
            for i in range(n):
                if with_stage2[i] != dev.labels[i]:
                    row = {
                        "doc_id": dev.ids[i],
                        "positive": dev.labels[i],
                        "rules": dev.rules[i],
                        "asked": dev.asked[i],
                        "probability": round(probs[i], 3),
                        "rule_tokens": dev.docs[i][1],
                        "text": dev.texts[i],
                    }
                    fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"  misclassified documents written to {errors}")
    tp = sum(p and y for p, y in zip(with_stage2, dev.labels, strict=True))
    return 2 * tp / max(1, sum(with_stage2) + sum(dev.labels))


def write_stage2(evalset: Path) -> None:
    """Fits stage 2 on the whole dev set; its threshold is the best one for
    grouped 5-fold out-of-fold probabilities."""
    dev = _DevSet(evalset)
    idx = list(range(len(dev.texts)))
    threshold, veto = dev.best_threshold(idx, dev.out_of_fold(idx, 5))
    version = f"{evalset.name}-{time.strftime('%Y%m%d')}"
    model = stage2.train(dev.docs, dev.labels, version, threshold=threshold)
    model.veto_threshold = veto
    path = REPO / "detectors" / "cbrn" / "data" / "stage2.json"
    path.write_text(model.to_json() + "\n", encoding="utf-8")
    print(
        f"wrote {path} ({len(model.weights)} weights, threshold {threshold:.2f}, "
        f"veto threshold {veto:.2f}, "
        f"version {version})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--evalsets",
        type=Path,
        metavar="DIR",
        help="labelled evaluation data; reads DIR/cbrn/mixed "
        "(default: ../shared/evalsets next to the repository)",
    )
    ap.add_argument("--evalset", type=Path, default=DEFAULT_EVALSET)
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--skip-audit", action="store_true", help="throughput only")
    ap.add_argument("--skip-cv", action="store_true", help="no cross-validation")
    ap.add_argument("--cv", action="store_true", help="cross-validate stage 2")
    ap.add_argument("--write-stage2", action="store_true", help="refit stage 2")
    ap.add_argument(
        "--cv-errors", type=Path, help="with --cv: write misclassified docs (JSONL)"
    )
    ap.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="KEY=JSON",
        help="detector option for --cv, e.g. --set density_threshold=2.8",
    )
    args = ap.parse_args()
    if args.evalsets is not None:
        args.evalset = args.evalsets / "cbrn" / "mixed"
    if args.cv or args.write_stage2:
        if args.cv:
            overrides = dict(
                (k, json.loads(v)) for k, v in (x.split("=", 1) for x in args.set)
            )
            cross_validate(args.evalset, overrides=overrides, errors=args.cv_errors)
        if args.write_stage2:
            write_stage2(args.evalset)
        return

    detector = CbrnDetector()
    detector.setup()
    print(f"cbrn {detector.version}, lexicon {detector.lexicon.version}")
    if not args.skip_audit:
        with tempfile.TemporaryDirectory() as tmp:
            out, base = Path(tmp) / "audit", Path(tmp) / "baseline"
            secs = run_audit(args.evalset, out)
            ours = score(args.evalset, out)
            keyword_baseline(args.evalset, base, detector)
            kw = score(args.evalset, base)
        print(f"dev set {args.evalset} (flagged = severity >= high)")
        for name, m in (("corpusgate cbrn", ours), ("keyword baseline", kw)):
            print(
                f"  {name:<18} precision={m['precision']:.3f} recall={m['recall']:.3f}"
                f" f1={m['f1']:.3f} (tp={m['tp']} fp={m['fp']} fn={m['fn']})"
            )
        print(f"  F1 gain over baseline: {ours['f1'] - kw['f1']:+.3f}")
        print(f"  audit wall time (DirectRunner, incl. start-up): {secs:.1f} s")
        if not args.skip_cv:
            cv_f1 = cross_validate(args.evalset)
            print(f"  CV F1 gain over the keyword baseline: {cv_f1 - kw['f1']:+.3f}")
    rate, found = throughput(detector, args.docs)
    print(
        f"throughput: {rate:,.0f} docs/s per core on {args.docs} synthetic 1 KB docs "
        f"(10% touch CBRN vocabulary; {found} findings)"
    )
    rate, _ = throughput(detector, args.docs, lambda i: i % 10 != 0)
    print(f"  general text only:      {rate:,.0f} docs/s per core")
    rate, _ = throughput(detector, args.docs * 2, lambda i: i % 10 == 0)
    print(f"  CBRN-dense 1 KB only:   {rate:,.0f} docs/s per core")


if __name__ == "__main__":
    main()
