"""What the Chinese name stage's settle vetoes (CnPersonRecognizer.SETTLE_VETOES)
remove: gold names of the training sentences, and findings on the real corpora.

* --gold: every PERSON span of the Chinese training sentences
  (../shared/traindata/ner/<set>/), read with the whole-text jieba cut the second
  stage makes: how many each veto would remove (with the spans); `among_brands`
  counts the spans the model scores below CONTEXT_SCORE, the only ones it reads.
* --real CORPUS[,CORPUS]: the `pii` detector's PERSON findings at score >= 0.5 on the
  first --limit documents of each real corpus (../shared/realsets), with the vetoes
  off (only the --new-vetoes ones, when given) and on in the same run: the
  findings the vetoes remove (and add, when a span they drop gave way to another),
  each with the veto that holds for it, written to --out as CSV
  (doc_id,start,end,veto,span,context) for reading in context.
* --speed: CPU time of the Chinese name stage (`name_routing.analyze_chinese`) on
  the first 2,000 documents of zh_hans_news with the --new-vetoes off and on,
  alternating, --rounds times: the ratio after/before (minimum and median).

usage: scripts/count_cn_vetoes.py --gold [--sets a,b]
       scripts/count_cn_vetoes.py --real zh_hans_web --limit 1000 --out DIR
           [--new-vetoes function_head_cut]
       scripts/count_cn_vetoes.py --speed --new-vetoes a,b [--rounds 10]
"""

from __future__ import annotations

import argparse
import csv
import gc
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "scripts"))

from bench_names import SHARED, detector, load_jsonl, persons  # noqa: E402
from corpusgate.detectors.language import to_simplified  # noqa: E402
from corpusgate.detectors.pii import name_routing  # noqa: E402
from corpusgate.detectors.pii.china.cn_person_recognizer import (  # noqa: E402
    CnPersonRecognizer,
    WholeCut,
)

TRAIN_SETS = "cluener_zh_train,weibo_zh_train,resume_zh_train"
SUFFIX = "suffix_word_after"
# Asked by `settle` only for spans the second stage scored below CONTEXT_SCORE.
BRANDS = "among_brands"


def gold(args) -> None:
    rec = CnPersonRecognizer()
    rec.load()
    counts: Counter[str] = Counter()
    examples: dict[str, list[str]] = defaultdict(list)
    total = 0
    for name in args.sets.split(","):
        folder = args.traindata / name
        texts = {r["id"]: r["text"] for r in load_jsonl(folder / "corpus.jsonl")}
        spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for t in load_jsonl(folder / "truth.jsonl"):
            if t["type"] == "PERSON" and not t.get("negative"):
                spans[t["doc_id"]].append((t["start"], t["end"]))
        for doc_id, found in spans.items():
            text = texts[doc_id]
            cut = WholeCut(rec._cut(text))  # the cut the second stage makes
            for s, e in found:
                total += 1
                held = [
                    v for v in rec.SETTLE_VETOES if getattr(rec, v)(text, s, e, cut)
                ]
                # The words of data/cn_not_name_suffixes.txt after a span, which
                # ends_in_place_word reads too.
                if rec.suffix_word_after(text, e):
                    held.append(SUFFIX)
                if rec.among_brands(text, s, e):
                    # It removes the span only where the model reports it below
                    # CONTEXT_SCORE; the others are counted apart.
                    scores = {
                        (r.start, r.end): r.score for r in rec.analyze(text, ["PERSON"])
                    }
                    if scores.get((s, e), 1.0) < rec.CONTEXT_SCORE:
                        held.append(BRANDS)
                    else:
                        counts[BRANDS + "_any_score"] += 1
                for veto in held:
                    counts[veto] += 1
                    examples[veto].append(
                        f"{doc_id} {text[max(0, s - 8) : s]}[{text[s:e]}]"
                        f"{text[e : e + 8]}"
                    )
    print(f"{total} gold PERSON spans in {args.sets}")
    for veto in (*CnPersonRecognizer.SETTLE_VETOES, SUFFIX, BRANDS):
        print(f"  {veto:22s} would remove {counts[veto]}")
        if veto == BRANDS:
            print(
                f"  {'':22s} (and {counts[BRANDS + '_any_score']} more in such"
                " sentences that the model misses or scores >= CONTEXT_SCORE)"
            )
        for line in examples[veto][:20]:
            print("     ", line)


def real(args) -> None:
    d = detector()
    vetoes = CnPersonRecognizer.SETTLE_VETOES
    # The "before" run: without the --new-vetoes ones, or without any.
    new_vetoes = set(args.new_vetoes.split(","))
    before_vetoes = (
        tuple(v for v in vetoes if v not in new_vetoes) if args.new_vetoes else ()
    )
    # The detector's own recognizers: the "before" run reads without the
    # --new-suffixes words of data/cn_not_name_suffixes.txt.
    recs = [o for o in gc.get_objects() if isinstance(o, CnPersonRecognizer)]
    new = frozenset(args.new_suffixes.split())
    suffixes = {id(r): r._not_name_suffixes for r in recs}
    # The Latin names after a Chinese role word read the same list.
    routing_suffixes = name_routing.not_name_suffixes()
    # What held for each span the recognizers dropped (they read traditional
    # text converted to simplified, so the log keys are the spans' words).
    log: dict[str, str] = {}
    settle_veto, suffix_word_after, among_brands = (
        CnPersonRecognizer.settle_veto,
        CnPersonRecognizer.suffix_word_after,
        CnPersonRecognizer.among_brands,
    )
    brands_on = True  # off in the "before" run when --new-vetoes names it

    def logged_veto(self, text, s, e, cut, labelled=False):
        held = settle_veto(self, text, s, e, cut, labelled)
        if held:
            log.setdefault(text[s:e], held)
        return held

    def logged_suffix(self, text, end):
        held = suffix_word_after(self, text, end)
        if held:
            log.setdefault("after:" + text[end : end + 1], SUFFIX)
        return held

    def logged_brands(self, text, s, e):
        held = brands_on and among_brands(self, text, s, e)
        if held:
            log.setdefault(text[s:e], BRANDS)
        return held

    CnPersonRecognizer.settle_veto = logged_veto
    CnPersonRecognizer.among_brands = logged_brands
    CnPersonRecognizer.suffix_word_after = logged_suffix
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.real.split(","):
        docs = load_jsonl(args.realsets / name / "corpus.jsonl.gz")
        if args.limit:
            docs = docs[: args.limit]
        rows, n_before, n_after = [], 0, 0
        for r in docs:
            text = r["text"]
            CnPersonRecognizer.SETTLE_VETOES = before_vetoes
            brands_on = BRANDS not in new_vetoes
            for x in recs:
                x._not_name_suffixes = suffixes[id(x)] - new
            name_routing.not_name_suffixes = lambda: routing_suffixes - new
            before = {(f.start, f.end) for f in persons(d, r["id"], text)}
            log.clear()
            CnPersonRecognizer.SETTLE_VETOES = vetoes
            brands_on = True
            for x in recs:
                x._not_name_suffixes = suffixes[id(x)]
            name_routing.not_name_suffixes = lambda: routing_suffixes
            after = {(f.start, f.end) for f in persons(d, r["id"], text)}
            n_before, n_after = n_before + len(before), n_after + len(after)
            if before == after:
                continue
            for kind, spans in (("removed", before - after), ("added", after - before)):
                for s, e in sorted(spans):
                    word = to_simplified(text[s:e], "tw2sp")[0]
                    veto = log.get(word) or log.get(
                        "after:" + to_simplified(text[e : e + 1], "tw2sp")[0], "-"
                    )
                    ctx = f"{text[max(0, s - 30) : s]}[[{text[s:e]}]]{text[e : e + 30]}"
                    rows.append(
                        (kind, r["id"], s, e, veto, text[s:e], ctx.replace("\n", " "))
                    )
        removed = Counter(row[4] for row in rows if row[0] == "removed")
        added = sum(row[0] == "added" for row in rows)
        print(
            f"{name:14s} {len(docs)} docs: PERSON >= 0.5 {n_before} -> {n_after}; "
            f"removed {sum(removed.values())} ({dict(removed)}), added {added}",
            flush=True,
        )
        with open(
            args.out / f"changed_{name}.csv", "w", newline="", encoding="utf-8"
        ) as fh:
            w = csv.writer(fh)
            w.writerow(["change", "doc_id", "start", "end", "veto", "span", "context"])
            w.writerows(rows)


def speed(args) -> None:
    import statistics
    import time

    rec = CnPersonRecognizer()
    rec.load()
    docs = load_jsonl(args.realsets / "zh_hans_news" / "corpus.jsonl.gz")[:2000]
    texts = [r["text"] for r in docs]
    new = set(args.new_vetoes.split(","))
    after = CnPersonRecognizer.SETTLE_VETOES
    before = tuple(v for v in after if v not in new)
    brand_words = CnPersonRecognizer.BRAND_WORDS
    runs = {
        "before": (before, () if BRANDS in new else brand_words),
        "after": (after, brand_words),
    }
    times: dict[str, list[float]] = {"before": [], "after": []}
    for text in texts[:200]:  # warm the caches
        name_routing.analyze_chinese([rec], text, "zh-Hans")
    for k in range(args.rounds):
        for label in ("before", "after") if k % 2 == 0 else ("after", "before"):
            (CnPersonRecognizer.SETTLE_VETOES, CnPersonRecognizer.BRAND_WORDS) = runs[
                label
            ]
            t0 = time.process_time()
            for text in texts:
                name_routing.analyze_chinese([rec], text, "zh-Hans")
            times[label].append(time.process_time() - t0)
    CnPersonRecognizer.SETTLE_VETOES, CnPersonRecognizer.BRAND_WORDS = runs["after"]
    b, a = times["before"], times["after"]
    print(
        f"analyze_chinese, {len(texts)} zh_hans_news docs, {args.rounds} rounds: "
        f"before {min(b):.3f} s, after {min(a):.3f} s (min CPU); after/before "
        f"{min(a) / min(b):.3f} (min), "
        f"{statistics.median(a) / statistics.median(b):.3f} (median)"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", action="store_true")
    ap.add_argument("--sets", default=TRAIN_SETS)
    ap.add_argument("--traindata", type=Path, default=SHARED / "traindata" / "ner")
    ap.add_argument("--real", default="")
    ap.add_argument("--realsets", type=Path, default=SHARED / "realsets")
    ap.add_argument("--limit", type=int, default=1000, help="0: every document")
    ap.add_argument(
        "--new-suffixes",
        default="",
        help="words of cn_not_name_suffixes.txt left out of the 'before' run",
    )
    ap.add_argument(
        "--new-vetoes",
        default="",
        help="comma-separated SETTLE_VETOES (or among_brands) left out of the "
        "'before' run (default: all SETTLE_VETOES)",
    )
    ap.add_argument("--speed", action="store_true")
    ap.add_argument("--rounds", type=int, default=6)
    ap.add_argument(
        "--out", type=Path, default=Path(tempfile.gettempdir()) / "cn_vetoes"
    )
    args = ap.parse_args()
    if args.gold:
        gold(args)
    if args.real:
        real(args)
    if args.speed:
        speed(args)


if __name__ == "__main__":
    main()
