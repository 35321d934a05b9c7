"""Prints the CBRN lexicon's coverage: entries per category, tier, kind, language and
source list.

.venv/bin/python scripts/cbrn_lexicon_coverage.py [--lexicon PATH] [--signals PATH]
"""

from __future__ import annotations

import argparse
from collections import Counter

from corpusgate.detectors.cbrn.lexicon import CATEGORIES, TIERS, load_lexicon, source_of


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--lexicon", default=None)
    ap.add_argument("--signals", default=None)
    args = ap.parse_args()
    lex = load_lexicon(args.lexicon, args.signals)
    entries = lex.entries
    print(f"lexicon {lex.version}: {len(entries)} entries")
    print(
        f"{'category':<22}"
        + "".join(f"{'tier ' + t:>8}" for t in TIERS)
        + f"{'total':>8}"
    )
    for cat in CATEGORIES:
        row = Counter(e.tier for e in entries if e.category == cat)
        print(
            f"{cat:<22}"
            + "".join(f"{row[t]:>8}" for t in TIERS)
            + f"{sum(row.values()):>8}"
        )
    print()
    heads = ("en names", 10), ("zh names", 10), ("codes", 8), ("CAS", 6)
    print(f"{'category':<22}" + "".join(f"{h:>{w}}" for h, w in heads) + " standalone")
    for cat in CATEGORIES:
        es = [e for e in entries if e.category == cat]
        print(
            f"{cat:<22}{sum(len(e.en) for e in es):>10}{sum(len(e.zh) for e in es):>10}"
            f"{sum(len(e.codes) + len(e.weak_codes) for e in es):>8}"
            f"{sum(len(e.cas) for e in es):>6}{sum(e.standalone for e in es):>12}"
        )
    print()
    kinds = Counter(e.kind for e in entries)
    print("kinds: " + ", ".join(f"{k}={n}" for k, n in sorted(kinds.items())))
    sources = dict(lex.sources)
    lists = Counter(source_of(x, sources) for e in entries for x in e.lists)
    print("entries per source:")
    for name, n in sorted(lists.items()):
        print(f"  {name:<18}{n:>5}  {sources[name]}")
    tier1 = sum(any(x.endswith("*") for x in e.lists) for e in entries)
    print(f"select-agent Tier 1 entries: {tier1}")
    missing = [e.id for e in entries if not e.en or not e.zh]
    print(f"entries missing a language: {len(missing)}")
    print(
        f"Chinese boundary exceptions: {len(lex.zh_block)} block, "
        f"{len(lex.zh_allow)} allow"
    )
    print()
    print(f"signals {lex.signals_version}: {len(lex.signals)}")
    for s in lex.signals:
        size = f"{len(s.en)} en / {len(s.zh)} zh terms" if s.kind == "term" else "regex"
        print(f"  {s.group:<11}{s.name:<22}{size}")


if __name__ == "__main__":
    main()
