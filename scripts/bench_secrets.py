"""Secrets on real code and on the demo corpus: corpusgate next to detect-secrets.

    .venv/bin/python scripts/bench_secrets.py [--realsets DIR] [--before REV]
        [--venvs /tmp/corpusgate-bench-venvs] [--sample 40] [--judge]
        [--tree NAME=DIR:N ...]

In one run, over `realsets/code` (each record gets its repository path from
`provenance.jsonl.gz` as a `path` field, as a code corpus carries it) and the demo
corpus (`pipelines/demo_data`):

* corpusgate's `secrets` detector as it is now and, with `--before REV`, as it was at
  git revision REV (loaded from `git show REV:detectors/secrets.py`);
* detect-secrets (the scanner BigCode used to clean The Stack) in a virtual
  environment of its own (created with pip under `--venvs` unless it exists), twice:
  its defaults (every plugin, default filters) and BigCode's plugin/filter list (without
  BigCode's gibberish model, which is not on the package index). Each document is
  written to a file with its own base name, so detect-secrets sees the file type.

It prints findings per type (and severity, for corpusgate) for each corpus, then
precision on a hand-judged sample: up to `--sample` findings per (tool, corpus, type)
picked by a stable hash, verdicts read from `scripts/judgements/secrets/verdicts.csv`
(`doc_id,start,end,verdict`, verdict `secret` or `not_secret`). For corpusgate the
sample is its `high` findings, for detect-secrets every finding (it has no severity).
`--judge` prints the sampled findings that have no verdict yet, in context, for a
person to read; nothing is judged automatically.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REALSETS = REPO.parent / "shared" / "realsets"
JUDGEMENTS = REPO / "scripts" / "judgements" / "secrets" / "verdicts.csv"
DETECT_SECRETS = "detect-secrets==1.5.0"

# BigCode's configuration (bigcode-dataset pii/utils/keys_detection.py).
BIGCODE_PLUGINS = [
    "ArtifactoryDetector",
    "AWSKeyDetector",
    "Base64HighEntropyString",
    "HexHighEntropyString",
    "AzureStorageKeyDetector",
    "CloudantDetector",
    "DiscordBotTokenDetector",
    "GitHubTokenDetector",
    "IbmCloudIamDetector",
    "IbmCosHmacDetector",
    "JwtTokenDetector",
    "MailchimpDetector",
    "NpmDetector",
    "SendGridDetector",
    "SlackDetector",
    "SoftlayerDetector",
    "StripeDetector",
    "TwilioKeyDetector",
]
BIGCODE_FILTERS = [
    "detect_secrets.filters.heuristic.is_potential_uuid",
    "detect_secrets.filters.heuristic.is_likely_id_string",
    "detect_secrets.filters.heuristic.is_templated_secret",
    "detect_secrets.filters.heuristic.is_sequential_string",
]

RUNNER = r"""
import json, sys
from detect_secrets import SecretsCollection
from detect_secrets.settings import default_settings, transient_settings
manifest = json.load(open(sys.argv[1]))
configs = {
    "detect-secrets": lambda: default_settings(),
    "detect-secrets/bigcode": lambda: transient_settings({
        "plugins_used": [{"name": n} for n in manifest["bigcode_plugins"]],
        "filters_used": [{"path": p} for p in manifest["bigcode_filters"]],
    }),
}
out = open(sys.argv[2], "w")
for tool, settings in configs.items():
    with settings():
        for doc_id, path in manifest["files"]:
            found = SecretsCollection()
            found.scan_file(path)
            for _, s in found:
                out.write(json.dumps({"tool": tool, "doc_id": doc_id, "type": s.type,
                    "line": s.line_number, "value": s.secret_value}) + "\n")
"""


def read_jsonl(path: Path):
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as f:
        for line in f:
            try:
                row = json.loads(line)
            except ValueError:
                continue  # the demo's broken lines (the audit dead-letters them)
            if isinstance(row, dict) and isinstance(row.get("text"), str):
                yield row


def load_corpora(realsets: Path):
    from corpusgate.detectors.base import Record

    corpora = {}
    code = realsets / "code"
    paths = {
        p["id"]: f"{p['repo']}/{p['path']}"
        for p in read_jsonl_plain(code / "provenance.jsonl.gz")
    }
    corpora["realsets/code"] = [
        Record(
            str(r["id"]),
            str(code / "corpus.jsonl.gz"),
            i,
            r["text"],
            meta={"path": paths[r["id"]]},
        )
        for i, r in enumerate(read_jsonl(code / "corpus.jsonl.gz"))
    ]
    demo = []
    for f in sorted((REPO / "pipelines" / "demo_data").glob("*.jsonl")):
        for i, r in enumerate(read_jsonl(f)):
            meta = {k: v for k, v in r.items() if k not in ("id", "text", "label")}
            demo.append(
                Record(str(r.get("id", f"{f}:{i}")), str(f), i, r["text"], meta=meta)
            )
    corpora["demo"] = demo
    return corpora


TEXT_SUFFIXES = frozenset(
    ".py .js .ts .go .java .rb .php .c .h .cpp .rs .md .rst .txt .yaml .yml .toml .ini"
    " .cfg .json .sh .html .xml .properties .env".split()
)


def load_tree(root: Path, n: int):
    """Up to `n` text files under `root` (picked by a stable hash of their path)."""
    from corpusgate.detectors.base import Record

    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in TEXT_SUFFIXES
        and p.stat().st_size < 200_000
    )
    files.sort(key=lambda p: hashlib.sha256(str(p.relative_to(root)).encode()).digest())
    records = []
    for p in files[:n]:
        try:
            text = p.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        rel = str(p.relative_to(root))
        records.append(Record(rel, str(p), 0, text, meta={"path": rel}))
    return records


def read_jsonl_plain(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            yield json.loads(line)


def load_detector_at(rev: str):
    """The secrets detector as it was at git revision `rev`."""
    from git_revision import module_at

    return module_at(
        rev, "detectors/secrets.py", "corpusgate_secrets_before"
    ).SecretsDetector


def run_corpusgate(detector_cls, records):
    from corpusgate.detectors.base import DetectorContext

    d = detector_cls(context=DetectorContext(salt=b"bench"))
    d.setup()
    rows = []
    start = time.monotonic()
    for r in records:
        for f in d.scan(r):
            rows.append(
                {
                    "doc_id": r.doc_id,
                    "type": f.finding_type,
                    "severity": f.severity,
                    "start": f.start,
                    "end": f.end,
                    "details": dict(f.details or {}),
                }
            )
    return rows, time.monotonic() - start


def detect_secrets_python(venvs: Path) -> Path:
    venv = venvs / "detect-secrets"
    py = venv / "bin" / "python"
    if not py.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run(
            [str(py), "-m", "pip", "install", "-q", DETECT_SECRETS], check=True
        )
    return py


def line_offsets(text: str) -> list[int]:
    """Start of every line as Python's universal newlines split them."""
    starts = [0]
    for m in re.finditer(r"\r\n|\r|\n", text):
        starts.append(m.end())
    return starts


def run_detect_secrets(corpora, venvs: Path, work: Path):
    py = detect_secrets_python(venvs)
    files, texts = [], {}
    tree = work / "files"
    for corpus, records in corpora.items():
        for n, r in enumerate(records):
            base = Path(r.meta.get("path") or f"{r.doc_id}.txt").name
            folder = tree / corpus.replace("/", "__") / str(n)
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / base
            path.write_text(r.text, encoding="utf-8", newline="")
            key = f"{corpus}\t{r.doc_id}"
            files.append((key, str(path)))
            texts[key] = r.text
    manifest = work / "manifest.json"
    manifest.write_text(
        json.dumps(
            {
                "files": files,
                "bigcode_plugins": BIGCODE_PLUGINS,
                "bigcode_filters": BIGCODE_FILTERS,
            }
        )
    )
    (work / "runner.py").write_text(RUNNER)
    start = time.monotonic()
    subprocess.run(
        [str(py), str(work / "runner.py"), str(manifest), str(work / "found.jsonl")],
        check=True,
    )
    secs = time.monotonic() - start
    rows = defaultdict(lambda: defaultdict(list))  # tool -> corpus -> rows
    for line in (work / "found.jsonl").read_text().splitlines():
        hit = json.loads(line)
        corpus, doc_id = hit["doc_id"].split("\t", 1)
        text = texts[hit["doc_id"]]
        starts = line_offsets(text)
        ls = starts[hit["line"] - 1] if hit["line"] - 1 < len(starts) else 0
        le = starts[hit["line"]] if hit["line"] < len(starts) else len(text)
        at = text.find(hit["value"], ls, le) if hit["value"] else -1
        if at < 0 and hit["value"]:
            at = text.find(hit["value"])
        rows[hit["tool"]][corpus].append(
            {
                "doc_id": doc_id,
                "type": hit["type"],
                "severity": "-",
                "start": at if at >= 0 else None,
                "end": at + len(hit["value"]) if at >= 0 else None,
            }
        )
    return rows, secs


def stable_sample(rows, n):
    keyed = sorted(
        rows,
        key=lambda r: hashlib.sha256(
            f"{r['doc_id']}:{r['start']}:{r['end']}".encode()
        ).hexdigest(),
    )
    return keyed[:n]


def read_verdicts(path: Path) -> dict:
    if not path.exists():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        return {
            (r["doc_id"], int(r["start"]), int(r["end"])): r["verdict"]
            for r in csv.DictReader(f)
        }


def show(record, row, width=160):
    text = record.text
    s, e = row["start"], row["end"]
    left = text[max(0, s - width) : s]
    value = text[s:e]
    if len(value) > 120:
        value = value[:60] + f"…[{len(value)} chars]…" + value[-40:]
    right = text[e : e + width // 2]
    return (left + "⟦" + value + "⟧" + right).replace("\n", "⏎\n    ")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realsets", default=str(REALSETS), metavar="DIR")
    ap.add_argument("--before", default=None, metavar="REV")
    ap.add_argument(
        "--venvs",
        default=os.environ.get("CG_BENCH_VENVS", "/tmp/corpusgate-bench-venvs"),
    )
    ap.add_argument("--sample", type=int, default=40)
    ap.add_argument("--judge", action="store_true")
    ap.add_argument("--no-detect-secrets", action="store_true")
    ap.add_argument(
        "--tree",
        action="append",
        default=[],
        metavar="NAME=DIR:N",
        help="also scan N text files of a source tree (their relative path is `path`)",
    )
    args = ap.parse_args()

    from corpusgate.detectors.secrets import SecretsDetector

    corpora = load_corpora(Path(args.realsets))
    for spec in args.tree:
        name, _, rest = spec.partition("=")
        folder, _, n = rest.rpartition(":")
        corpora[f"tree:{name}"] = load_tree(Path(folder), int(n))
    by_id = {c: {r.doc_id: r for r in recs} for c, recs in corpora.items()}
    results = defaultdict(dict)  # tool -> corpus -> rows
    timing = Counter()
    tools = [("corpusgate", SecretsDetector)]
    if args.before:
        tools.append((f"corpusgate@{args.before}", load_detector_at(args.before)))
    for tool, cls in tools:
        for corpus, records in corpora.items():
            rows, secs = run_corpusgate(cls, records)
            results[tool][corpus] = rows
            timing[tool] += secs
    if not args.no_detect_secrets:
        with tempfile.TemporaryDirectory(prefix="cg-bench-secrets-") as tmp:
            ds, secs = run_detect_secrets(corpora, Path(args.venvs), Path(tmp))
        for tool, per_corpus in ds.items():
            for corpus in corpora:
                results[tool][corpus] = per_corpus.get(corpus, [])
            timing[tool] = secs  # both configurations in one process
    docs = {c: len(r) for c, r in corpora.items()}

    print("## Findings per type (severity)\n")
    for corpus in corpora:
        print(f"### {corpus} ({docs[corpus]:,} documents)\n")
        for tool in results:
            counts = Counter(
                f"{r['type']}" + (f" ({r['severity']})" if r["severity"] != "-" else "")
                for r in results[tool][corpus]
            )
            listed = ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) or "none"
            print(f"- {tool}: {sum(counts.values())} — {listed}")
        print()

    verdicts = read_verdicts(JUDGEMENTS)
    print("## Precision on a hand-judged sample\n")
    print(
        "| tool | corpus | findings | in scope | sampled | judged | secret | precision |"
    )
    print("|---|---|---|---:|---:|---:|---:|---:|")
    unjudged = []
    scopes = {
        "high": ("high", "critical"),
        "medium+": ("medium", "high", "critical"),
        "all": ("-",),
    }
    for tool, corpus, scope in [
        (t, c, s)
        for t in results
        for c in corpora
        for s in (("all",) if t.startswith("detect") else ("high", "medium+"))
    ]:
        rows = [
            r
            for r in results[tool][corpus]
            if r["start"] is not None and r["severity"] in scopes[scope]
        ]
        by_type = defaultdict(list)
        for r in rows:
            by_type[r["type"]].append(r)
        sample = [
            s for t in sorted(by_type) for s in stable_sample(by_type[t], args.sample)
        ]
        judged = [
            verdicts[(r["doc_id"], r["start"], r["end"])]
            for r in sample
            if (r["doc_id"], r["start"], r["end"]) in verdicts
        ]
        unjudged += [
            (tool, corpus, r)
            for r in sample
            if (r["doc_id"], r["start"], r["end"]) not in verdicts
        ]
        tp = sum(v == "secret" for v in judged)
        precision = f"{tp / len(judged):.3f}" if judged else "—"
        print(
            f"| {tool} | {corpus} | {scope} | {len(rows)} | {len(sample)} "
            f"| {len(judged)} | {tp} | {precision} |"
        )
    print()
    print(
        "Time (s, this machine, same run): "
        + ", ".join(f"{k} {v:.1f}" for k, v in timing.items())
    )
    if args.judge:
        seen = set()
        print("\n## To judge (doc_id,start,end — value between ⟦ ⟧)\n")
        for tool, corpus, r in unjudged:
            key = (r["doc_id"], r["start"], r["end"])
            if key in seen:
                continue
            seen.add(key)
            rec = by_id[corpus][r["doc_id"]]
            print(
                f"--- {r['doc_id']},{r['start']},{r['end']}  [{tool} {r['type']} "
                f"{r['severity']}] path={rec.meta.get('path')}\n    {show(rec, r)}\n"
            )
    elif unjudged:
        print(f"{len(unjudged)} sampled findings have no verdict yet (--judge).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
