#!/usr/bin/env python3
"""Agreement of the `pii` detector with Presidio's own recognizer test vectors.

Reads ../shared/evalsets/pii/presidio_vectors (corpus.jsonl + vectors.jsonl, see its
README), runs PiiDetector with every Presidio country enabled (`countries = ["all"]`,
nothing disabled) and compares, per vector, findings of the vector's entity type
(CN_MOBILE_PHONE / CN_LANDLINE_PHONE count as PHONE_NUMBER, CN_BANK_CARD as
CREDIT_CARD) at score >= --threshold with Presidio's expectation:

* a positive vector agrees when every expected span is a finding (same start/end);
  rows whose expected score (`score_hi`) is below the threshold are left out, as
  Presidio itself does not expect them to be reported;
* a silent vector (`expected_len` 0) agrees when no finding of the type is reported.

Entity types no enabled recognizer emits are counted apart. Also checks the
pre-scan: no vector of an enabled type may have its recognizer skipped by it.

usage: scripts/bench_presidio_vectors.py [--evalsets DIR] [--threshold 0.5] [--list]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from pathlib import Path

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--evalsets", default=str(REPO.parent / "shared" / "evalsets"))
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--list", action="store_true", help="print every disagreement")
    args = ap.parse_args()

    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    texts, vectors = load(Path(args.evalsets) / "pii" / "presidio_vectors")
    det = PiiDetector(
        {"countries": ["all"], "disabled_entities": []},
        context=DetectorContext(salt=b"bench"),
    )
    det.setup()
    enabled = {
        e for r in det._engines.en_patterns + det._engines.zh_patterns
        for e in r.supported_entities
    } | {"PERSON", "LOCATION"}
    enabled |= set(ALIASES.values())

    agree: Counter = Counter()
    total: Counter = Counter()
    skipped_low = 0
    not_enabled: Counter = Counter()
    disagreements = []
    prescan_lost = []
    for v in vectors:
        entity = v["entity"]
        if entity not in enabled:
            not_enabled[entity] += 1
            continue
        if v["expected_len"] and any(s < args.threshold for s in v.get("score_hi") or []):
            skipped_low += 1
            continue
        text = texts[v["doc_id"]]
        findings = det.scan(Record(v["doc_id"], "vectors", 0, text))
        got = {
            (f.start, f.end)
            for f in findings
            if ALIASES.get(f.finding_type, f.finding_type) == entity
            and f.score >= args.threshold
        }
        want = {tuple(s) for s in v["spans"]}
        ok = want <= got if v["expected_len"] else not got
        total[entity] += 1
        agree[entity] += ok
        if not ok:
            disagreements.append((entity, v["doc_id"], text, sorted(want), sorted(got)))
        if v["expected_len"]:
            view = text if text.isascii() else det._ascii_view(text)
            runs = det._en_prescan.candidates(view) + det._zh_prescan.candidates(text)
            if not any(
                ALIASES.get(e, e) == entity for r in runs for e in r.supported_entities
            ):
                prescan_lost.append((entity, v["doc_id"]))

    n, a = sum(total.values()), sum(agree.values())
    print(
        f"vectors of enabled types scored: {n}; agreement {a}/{n} = {a / n:.4f} "
        f"(threshold {args.threshold}); left out: {skipped_low} rows expected below "
        f"the threshold, {sum(not_enabled.values())} rows of types no recognizer emits "
        f"({', '.join(sorted(not_enabled))})"
    )
    print(f"positive vectors whose recognizer the pre-scan skipped: {len(prescan_lost)}")
    for e in sorted(total):
        if agree[e] < total[e]:
            print(f"  {e:28s} {agree[e]:4d}/{total[e]:<4d}")
    by = defaultdict(list)
    for d in disagreements:
        by[d[0]].append(d)
    if args.list:
        for e, rows in sorted(by.items()):
            for _, doc, text, want, got in rows:
                print(f"{e}\t{doc}\t{text!r}\twant {want}\tgot {got}")


if __name__ == "__main__":
    main()
