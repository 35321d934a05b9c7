#!/usr/bin/env python3
"""Accuracy and speed of the text-kind classifier (`detectors/text_kind.py`).

The label of a document comes from its file extension (`kind_from_path`) or, for a
corpus whose every record is prose or troff, from the corpus; the classifier sees the
content only (`kind_from_content`, as for a JSONL record without a path field).
Sources:
- realsets `code` and `markup_data`, labelled by the file path in their provenance
  (files whose extension names no kind, such as LICENSE or README, are counted
  as unlabelled and their predicted kinds shown);
- files of this machine, read as `bench_other_corpora.py` reads them (whole files, a
  deterministic sample of at most --limit per source): the Python standard library,
  site-packages' code and data, /usr/share/doc files with a known extension, C headers,
  JavaScript/CSS/HTML/XML/YAML found under /usr, manual pages (troff: markup) and,
  unlabelled, Debian changelogs and copyright files;
- prose whose truth is the corpus: every record of realsets zh_hans_news, zh_hans_web,
  zh_hant, ja, en_web, en_email, of every ../shared/evalsets/pii set (templated forms
  included), and every k-th sentence of each ../shared/traindata/ner set.

Printed: a confusion matrix per source (rows: label, columns: predicted), the prose ->
non-prose count with every such document listed (--show N characters of each), code
and markup recall, and speed: docs/s of kind_from_content on the whole mixed set and,
with --pii N, its share of the pii detector's scan time on N mixed records.
--baseline REV also classifies with text_kind.py as of git revision REV (same
process, same documents) and prints both matrices and the documents whose kind
changed (--changed N lists N of them per source and direction).
--realsets-pii runs the pii detector over all of realsets code and markup_data
(no path field, the record's kind set by each classifier) and prints findings per
1,000 documents by type and severity, before and after (needs --baseline).
--library magika|pygments adds a library's guess as a third classifier (magika:
content type groups code/markup/text; pygments: guess_lexer's lexer, text = prose).

--library magika needs magika importable (it is no dependency of corpusgate); with
--per-source N every source is cut to N documents (every k-th) for all classifiers.

usage: scripts/bench_text_kind.py [--limit 300] [--baseline REV] [--pii 800]
           [--realsets-pii] [--library magika|pygments] [--per-source 60]
           [--show 160] [--changed 4]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
sys.path.insert(0, str(REPO / "scripts"))
from bench_other_corpora import file_text, list_files  # noqa: E402
from corpusgate.detectors.text_kind import (  # noqa: E402
    CODE,
    KINDS,
    MARKUP,
    PROSE,
    kind_from_content,
    kind_from_path,
)
from git_revision import module_at  # noqa: E402

PROSE_REALSETS = ("zh_hans_news", "zh_hans_web", "zh_hant", "ja", "en_web", "en_email")
LABELLED_REALSETS = ("code", "markup_data")
# name, folders, file-name suffixes (empty: any), the label when the corpus fixes it
MACHINE = (
    ("stdlib", ["/usr/lib/python3.11"], (".py",), None),
    (
        "site_packages",
        [str(REPO / ".venv" / "lib" / "python3.11" / "site-packages")],
        (".py", ".json", ".txt", ".md", ".cfg", ".toml", ".csv", ".rst", ".yaml"),
        None,
    ),
    (
        "usr_doc",
        ["/usr/share/doc"],
        (".html", ".txt", ".md", ".rst", ".css", ".js", ".json", ".xml", ".gz"),
        None,
    ),
    ("usr_c", ["/usr/include", "/usr/share", "/usr/lib"], (".c", ".h"), None),
    (
        "usr_web_data",
        ["/usr/share", "/usr/lib"],
        (".js", ".css", ".html", ".xml", ".yaml", ".yml", ".svg"),
        None,
    ),
    ("man", ["/usr/share/man"], (".gz",), MARKUP),
    ("debian_changelog", ["/usr/share/doc"], ("changelog.Debian.gz",), "?"),
    ("debian_copyright", ["/usr/share/doc"], ("copyright",), "?"),
)
MAX_CHARS = 200_000  # longer files are cut: the classifier reads only the head


def machine_docs(name, dirs, suffixes, fixed, limit) -> list[dict]:
    files = list_files(dirs, lambda n: not suffixes or n.endswith(suffixes))
    docs = []
    step = max(1.0, len(files) / (limit * 2)) if limit else 1.0
    i = 0.0
    while int(i) < len(files) and (not limit or len(docs) < limit):
        f = files[int(i)]
        i += step
        found = file_text(f)
        if found is None:
            continue
        path, text = found
        label = fixed if fixed else kind_from_path(path)
        if fixed is None and label is None:
            continue  # a .gz of something else
        docs.append(
            {
                "id": f"{name}:{len(docs)}",
                "path": path,
                "text": text[:MAX_CHARS],
                "label": None if label == "?" else label,
            }
        )
    return docs


def jsonl(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def realset_docs(name: str) -> list[dict]:
    folder = SHARED / "realsets" / name
    docs = jsonl(folder / "corpus.jsonl.gz")
    paths = {}
    if (folder / "provenance.jsonl.gz").exists():
        paths = {p["id"]: p.get("path") for p in jsonl(folder / "provenance.jsonl.gz")}
    for d in docs:
        if name in LABELLED_REALSETS:
            d["path"] = paths.get(d["id"])
            d["label"] = kind_from_path(d["path"])
        else:
            d["label"] = PROSE
    return docs


def sources(limit: int, train_every: int, per_source: int) -> dict[str, list[dict]]:
    out = {name: realset_docs(name) for name in LABELLED_REALSETS}
    for name, dirs, suffixes, fixed in MACHINE:
        out[name] = machine_docs(name, dirs, suffixes, fixed, limit)
    for name in PROSE_REALSETS:
        out[name] = realset_docs(name)
    for folder in sorted((SHARED / "evalsets" / "pii").iterdir()):
        if (folder / "corpus.jsonl").exists():
            out[f"eval:{folder.name}"] = [
                {**d, "label": PROSE} for d in jsonl(folder / "corpus.jsonl")
            ]
    for folder in sorted((SHARED / "traindata" / "ner").iterdir()):
        if (folder / "corpus.jsonl").exists():
            docs = jsonl(folder / "corpus.jsonl")[::train_every]
            out[f"train:{folder.name}"] = [{**d, "label": PROSE} for d in docs]
    if per_source:  # every k-th document, for a slow --library
        for name, docs in out.items():
            step = max(1, len(docs) // per_source)
            out[name] = docs[::step][:per_source]
    return out


def load_revision(rev: str) -> Callable[[str], str]:
    """kind_from_content as of git revision `rev`, loaded as a module of its own."""
    return module_at(rev, "detectors/text_kind.py", "text_kind_base").kind_from_content


def library(name: str) -> Callable[[str], str]:
    if name == "pygments":
        from pygments.lexers import guess_lexer
        from pygments.util import ClassNotFound

        markup_words = (
            "xml",
            "html",
            "json",
            "yaml",
            "css",
            "tex",
            "ini",
            "toml",
            "svg",
            "csv",
            "groff",
            "markdown",
            "restructuredtext",
        )

        def guess(text: str) -> str:
            try:
                lexer = guess_lexer(text[:4000])
            except ClassNotFound:
                return PROSE
            names = " ".join([lexer.name.lower(), *lexer.aliases])
            if lexer.name in ("Text only", "Text output") or lexer.aliases[:1] == [
                "text"
            ]:
                return PROSE
            if any(w in names for w in markup_words):
                return MARKUP
            return CODE

        return guess
    if name == "magika":
        from magika import Magika

        m = Magika()

        def guess(text: str) -> str:
            out = m.identify_bytes(text[:4000].encode("utf-8")).output
            group, label = out.group, out.label
            if label in MAGIKA_MARKUP:
                return MARKUP
            if group == "code":
                return CODE
            return PROSE  # txt, markdown, rst, unknown, empty, documents

        return guess
    raise SystemExit(f"unknown --library {name!r}: magika or pygments")


# magika's content types that kind_from_path calls markup (its group for them is "code")
MAGIKA_MARKUP = frozenset(
    "csv tsv json jsonl yaml toml ini xml html latex bib css scss svg groff po"
    " srt vcalendar vcard ipynb".split()
)


def matrix(docs: list[dict], key: str) -> Counter:
    return Counter((d["label"] or "-", d[key]) for d in docs)


def print_matrices(name: str, docs: list[dict], keys: list[str]) -> None:
    labels = [k for k in (*KINDS, "-") if any((d["label"] or "-") == k for d in docs)]
    head = f"{name} ({len(docs)} docs)"
    cols = "".join(f"{k[:6]:>7}" for k in KINDS)
    print(
        f"\n{head:40s}" + "  |  ".join(cols for _ in keys) + "   <- " + " | ".join(keys)
    )
    for lab in labels:
        row = []
        for key in keys:
            m = matrix(docs, key)
            row.append("".join(f"{m[(lab, k)]:7d}" for k in KINDS))
        print(f"  label {lab:32s}" + "  |  ".join(row))


def timed(fn: Callable[[str], str], docs: list[dict], key: str) -> float:
    t0 = time.process_time()
    for d in docs:
        d[key] = fn(d["text"])
    return time.process_time() - t0


def pii_share(docs: list[dict], n: int) -> None:
    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    det = PiiDetector(context=DetectorContext(salt=b"bench"))
    det.setup()
    step = max(1, len(docs) // n)
    sample = docs[::step][:n]
    t0 = time.process_time()
    for d in sample:
        kind_from_content(d["text"])
    t_kind = time.process_time() - t0
    t0 = time.process_time()
    for i, d in enumerate(sample):
        det.scan(Record(d["id"], "bench", i, d["text"]))
    t_pii = time.process_time() - t0
    print(
        f"\npii share: {len(sample)} mixed records, kind_from_content {t_kind:.3f} s CPU,"
        f" pii scan (text kind included) {t_pii:.2f} s CPU: {100 * t_kind / t_pii:.2f}%"
    )


def realsets_pii(all_docs: dict[str, list[dict]]) -> None:
    """Findings per 1,000 documents on realsets code and markup_data with each
    classifier's kind (no path field: the audit of those JSONL files)."""
    from corpusgate.detectors.base import DetectorContext, Record
    from corpusgate.detectors.pii import PiiDetector

    det = PiiDetector(context=DetectorContext(salt=b"bench"))
    det.setup()
    for name in LABELLED_REALSETS:
        docs = all_docs[name]
        counts = {"before": Counter(), "after": Counter()}
        secs = {"before": 0.0, "after": 0.0}
        for i, d in enumerate(docs):
            found = {}
            for when, kind in (("before", d["base"]), ("after", d["new"])):
                if when == "after" and d["base"] == d["new"]:
                    found["after"] = found["before"]  # same kind, same findings
                else:
                    t0 = time.process_time()
                    rec = Record(d["id"], "realsets", i, d["text"], text_kind=kind)
                    found[when] = Counter(
                        (f.finding_type, f.severity) for f in det.scan(rec)
                    )
                    if d["base"] != d["new"]:
                        secs[when] += time.process_time() - t0
                counts[when].update(found[when])
        n = len(docs)
        print(
            f"\n== pii findings per 1,000 documents, realsets {name} ({n} docs, no path)"
        )
        print(f"  {'type':24s} {'severity':9s} {'before':>9s} {'after':>9s}")
        for key in sorted(set(counts["before"]) | set(counts["after"])):
            b, a = counts["before"][key], counts["after"][key]
            print(f"  {key[0]:24s} {key[1]:9s} {1000 * b / n:9.1f} {1000 * a / n:9.1f}")
        tb, ta = sum(counts["before"].values()), sum(counts["after"].values())
        print(f"  {'all':34s} {1000 * tb / n:9.1f} {1000 * ta / n:9.1f}")
        print(
            f"  pii CPU on documents whose kind changed: before {secs['before']:.1f} s,"
            f" after {secs['after']:.1f} s (unchanged documents scanned once)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=300, help="files per machine source")
    ap.add_argument("--train-every", type=int, default=20)
    ap.add_argument("--per-source", type=int, default=0, help="cap per source (0: all)")
    ap.add_argument("--baseline", default="", metavar="REV")
    ap.add_argument("--library", default="", choices=("", "magika", "pygments"))
    ap.add_argument("--pii", type=int, default=0, metavar="N")
    ap.add_argument("--realsets-pii", action="store_true")
    ap.add_argument("--show", type=int, default=200, metavar="CHARS")
    ap.add_argument("--changed", type=int, default=0, metavar="N")
    args = ap.parse_args()

    all_docs = sources(args.limit, args.train_every, args.per_source)
    keys = ["new"]
    if args.baseline:
        keys.insert(0, "base")
    if args.library:
        keys.append(args.library)
    fns = {"new": kind_from_content}
    if args.baseline:
        fns["base"] = load_revision(args.baseline)
    if args.library:
        fns[args.library] = library(args.library)
    flat = [d for docs in all_docs.values() for d in docs]
    secs = {k: timed(fn, flat, k) for k, fn in fns.items()}
    chars = sum(min(len(d["text"]), 4000) for d in flat)

    for name, docs in all_docs.items():
        print_matrices(name, docs, keys)

    print("\n== key figures (" + " | ".join(keys) + ")")
    for key in keys:
        labelled = [d for d in flat if d["label"]]
        prose = [d for d in labelled if d["label"] == PROSE]
        wrong = [d for d in prose if d[key] != PROSE]
        recall = {
            k: sum(d[key] == k for d in labelled if d["label"] == k)
            / max(1, sum(d["label"] == k for d in labelled))
            for k in (CODE, MARKUP)
        }
        corpus_prose = [d for d in prose if "path" not in d]
        corpus_wrong = [d for d in corpus_prose if d[key] != PROSE]
        acc = sum(d[key] == d["label"] for d in labelled) / len(labelled)
        print(
            f"  {key:9s} prose->non-prose {len(wrong)}/{len(prose)} (prose corpora"
            f" {len(corpus_wrong)}/{len(corpus_prose)}, prose by extension"
            f" {len(wrong) - len(corpus_wrong)}/{len(prose) - len(corpus_prose)});"
            f" recall code {recall[CODE]:.3f} markup {recall[MARKUP]:.3f};"
            f" accuracy {acc:.3f}; {len(flat) / secs[key]:,.0f} docs/s"
            f" ({chars / secs[key] / 1e6:.1f} M sample chars/s)"
        )
    key = keys[-1] if not args.library else "new"
    print(f"\n== prose labelled documents read as code/markup ({key})")
    for d in flat:
        if d["label"] == PROSE and d[key] != PROSE:
            snippet = d["text"][: args.show].replace("\n", "\\n")
            print(f"  {d['id']} {d.get('path') or ''} -> {d[key]}: {snippet}")
    if args.baseline and args.changed:
        print("\n== documents whose kind changed (base -> new)")
        by = defaultdict(list)
        for name, docs in all_docs.items():
            for d in docs:
                if d["base"] != d["new"]:
                    by[(name, d["label"], d["base"], d["new"])].append(d)
        for (name, lab, b, n), ds in sorted(by.items(), key=lambda kv: -len(kv[1])):
            print(f"  {name}: label {lab}, {b} -> {n}: {len(ds)}")
            for d in ds[: args.changed]:
                snippet = d["text"][: args.show].replace("\n", "\\n")
                print(f"      {d['id']} {d.get('path') or ''}: {snippet}")
    if args.pii:
        pii_share(flat, args.pii)
    if args.realsets_pii:
        if not args.baseline:
            raise SystemExit("--realsets-pii needs --baseline REV")
        realsets_pii(all_docs)


if __name__ == "__main__":
    main()
