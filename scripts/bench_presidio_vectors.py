#!/usr/bin/env python3
"""Agreement of the `pii` detector with Presidio's own recognizer test vectors.

Reads ../shared/evalsets/pii/presidio_vectors (corpus.jsonl + vectors.jsonl, see its
README), runs PiiDetector in its default configuration and with every Presidio
country enabled (`countries = ["all"]`, nothing disabled) and compares, per vector, findings of the vector's entity type
(CN_MOBILE_PHONE / CN_LANDLINE_PHONE count as PHONE_NUMBER, CN_BANK_CARD as
CREDIT_CARD) at score >= --threshold with Presidio's expectation:

* a positive vector agrees when every expected span is a finding (same start/end);
  rows whose expected score is below the threshold are left out, as Presidio itself
  would not report them there: the table's `score_hi`, else the score Presidio's
  own recognizer gives the span;
* a silent vector (`expected_len` 0) agrees when no finding of the type is reported.

Entity types no enabled recognizer emits are counted apart. Agreement is given as
reported (overlapping findings resolved) and per type (as Presidio's tests run one
recognizer at a time). Also checks the pre-scan: no positive vector of an enabled type
may have its recognizer skipped by it.

usage: scripts/bench_presidio_vectors.py [--evalsets DIR] [--threshold 0.5] [--list]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from corpusgate.detectors.base import Record  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ALIASES = {
    "CN_MOBILE_PHONE": "PHONE_NUMBER",
    "CN_LANDLINE_PHONE": "PHONE_NUMBER",
    "CN_BANK_CARD": "CREDIT_CARD",
}


def load(folder: Path):
    texts = {}
    with (folder / "corpus.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            d = json.loads(line)
            texts[d["id"]] = d["text"]
    with (folder / "vectors.jsonl").open(encoding="utf-8") as fh:
        vectors = [json.loads(line) for line in fh]
    return texts, vectors


def stock_scores(text: str, entity: str, classes: dict) -> dict:
    """Span -> best score of Presidio's own recognizers for `entity` on `text`
    (their `analyze` called directly, as Presidio's recognizer tests do)."""
    out: dict = {}
    for cls in classes.values():
        r = cls()
        if entity not in r.supported_entities:
            continue
        for x in r.analyze(text, [entity], None):
            key = (x.start, x.end)
            out[key] = max(out.get(key, 0.0), x.score)
    return out


def evaluate(det, texts, vectors, threshold, classes, show: bool) -> None:
    enabled = {
        e
        for r in det._engines.en_patterns + det._engines.zh_patterns
        for e in r.supported_entities
    } | {"PERSON", "LOCATION"}
    resolve = det._resolve
    agree: Counter = Counter()
    agree_type: Counter = Counter()
    total: Counter = Counter()
    below = 0
    not_enabled: Counter = Counter()
    reasons: Counter = Counter()
    rows = []
    prescan_lost = []
    for v in vectors:
        entity = v["entity"]
        if entity not in enabled:
            not_enabled[entity] += 1
            continue
        text = texts[v["doc_id"]]
        want = {tuple(s) for s in v["spans"] or []}
        if v["expected_len"]:
            # Presidio's expectation: the score its own recognizer gives the span,
            # else the table's; rows expected below the threshold are left out
            # (`score_hi` is only the upper end of the range its test accepts).
            stock = stock_scores(text, entity, classes)
            hi = v.get("score_hi") or []
            if want and all(s in stock for s in want):
                expected = min(stock[s] for s in want)
            elif not want and stock:  # count-only rows: any span of the entity
                expected = max(stock.values())
            else:
                expected = min(hi, default=0.0)
            if expected < threshold:
                below += 1
                continue
        rec = Record(v["doc_id"], "vectors", 0, text)

        def found(fs, entity=entity):
            return {
                (f.start, f.end): f
                for f in fs
                if ALIASES.get(f.finding_type, f.finding_type) == entity
                and f.score >= threshold
            }

        resolved = found(det.scan(rec))
        det._resolve = lambda rs: [r for r in rs if r.score >= det.config["min_score"]]
        try:
            per_type = found(det.scan(rec))
        finally:
            det._resolve = resolve
        if v["expected_len"]:
            n = v["expected_len"]
            ok = want <= set(resolved) if want else len(resolved) >= n
            ok_type = want <= set(per_type) if want else len(per_type) >= n
        else:
            ok = not resolved
            ok_type = not per_type
        total[entity] += 1
        agree[entity] += ok
        agree_type[entity] += ok_type
        if v["expected_len"]:
            view = text if text.isascii() else det._ascii_view(text)
            runs = det._en_prescan.candidates(view) + det._zh_prescan.candidates(text)
            if not any(
                ALIASES.get(e, e) == entity for r in runs for e in r.supported_entities
            ):
                prescan_lost.append((entity, v["doc_id"]))
        if not ok:
            if ok_type:
                reason = "an overlapping finding of another type scores higher"
            elif not v["expected_len"]:
                stock = stock_scores(text, entity, classes)
                reason = (
                    "reported where the table expects silence; so does Presidio's "
                    f"own recognizer (score {max(stock.values()):.2f})"
                    if stock and max(stock.values()) >= threshold
                    else "reported where the table expects silence"
                )
            elif per_type:
                reason = "different span"
            else:
                reason = "not reported at the threshold"
            reasons[reason] += 1
            rows.append(
                (entity, v["doc_id"], text, sorted(want), sorted(resolved), reason)
            )

    n, a, t = sum(total.values()), sum(agree.values()), sum(agree_type.values())
    print(
        f"vectors scored: {n}; agreement as reported {a}/{n} = {a / n:.4f}; per type "
        f"(overlaps with other types not resolved) {t}/{n} = {t / n:.4f}; left out: "
        f"{below} rows Presidio scores below {threshold}, "
        f"{sum(not_enabled.values())} rows of types not enabled"
    )
    print(
        f"  positive vectors whose recognizer the pre-scan skipped: {len(prescan_lost)}"
    )
    for e in sorted(total):
        if agree[e] < total[e]:
            print(f"  {e:30s} {agree[e]:4d}/{total[e]:<4d} per type {agree_type[e]}")
    for reason, c in reasons.most_common():
        print(f"  {c:4d} {reason}")
    if show:
        for e, doc, text, want, got, reason in rows:
            print(f"    {e}\t{doc}\t{text!r}\twant {want}\tgot {got}\t{reason}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evalsets", default=str(REPO.parent / "shared" / "evalsets"))
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--list", action="store_true", help="print every disagreement")
    args = ap.parse_args()

    from corpusgate.detectors.base import DetectorContext
    from corpusgate.detectors.pii import PiiDetector
    from corpusgate.detectors.pii.international import predefined_classes

    texts, vectors = load(Path(args.evalsets) / "pii" / "presidio_vectors")
    classes = predefined_classes()
    for label, config in (
        ("default configuration", {}),
        (
            'every country (countries = ["all"], nothing disabled)',
            {"countries": ["all"], "disabled_entities": []},
        ),
    ):
        det = PiiDetector(config, context=DetectorContext(salt=b"bench"))
        det.setup()
        print(f"== {label}")
        evaluate(det, texts, vectors, args.threshold, classes, args.list)


if __name__ == "__main__":
    main()
