#!/usr/bin/env python3
"""False alarms of the default audit and gate on real text of other origins.

Each --root NAME[/CHUNK]=DIR[,DIR...][:GLOB[|GLOB...]] is one corpus: every file under
its folders (recursively) whose name matches a GLOB (every file without one) becomes
one document, or several when it is longer than CHUNK characters (--chunk; cut at blank
lines, else at line ends). `.gz` files are decompressed; files that are not UTF-8 are
read as Latin-1; binary files are left out. A deterministic sample of at most --limit
files, then documents, per corpus (every k-th) is written as JSONL (id, path, text; the
path lets text kind go by extension) under --out, audited with the default detectors
(`corpusgate audit`) and gated (`corpusgate gate`, default policy). Printed per corpus:
the gate's verdict and exit code with its failing rules, documents, dead letters, text
kinds, languages, and findings per 1,000 documents by detector, type and severity;
--show SEVERITY lists every finding of that severity or above and every secrets/cbrn
finding with its masked evidence.

Nothing here depends on the project's labelled or real sets: point --root at any
folders (system documentation, manual pages, a language's standard library, packages'
data). The corpora hold real text: keep --out outside the repository.

With --split REGEX a file is first cut into records at the lines REGEX matches (fortune
files: '^%$'; dictd dictionaries, gzip-compressed: '^\\S', each unindented headword
line opening its entry), each record then a document as above.

usage: scripts/bench_other_corpora.py --out /tmp/other [--limit 600] [--show high] \\
           --root "copyright=/usr/share/doc:copyright" \\
           --root "man=/usr/share/man/man1,/usr/share/man/de" \\
           --root "stdlib=/usr/lib/python3.11:*.py"
"""

from __future__ import annotations

import argparse
import fnmatch
import gzip
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEVERITIES = ("info", "low", "medium", "high", "critical")
SKIP_EXT = (".pyc", ".so", ".png", ".jpg", ".gif", ".ico", ".whl", ".zip", ".mo")


def read_file(path: Path) -> str | None:
    try:
        data = path.read_bytes()
        if path.suffix in (".gz", ".dz"):  # .dz: dictzip, gzip's format
            data = gzip.decompress(data)
    except (OSError, EOFError):
        return None
    if b"\0" in data[:4096]:
        return None  # binary
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def chunks(text: str, size: int) -> list[str]:
    """Pieces of at most `size` characters, cut at blank lines, else at line ends."""
    if len(text) <= size:
        return [text]
    out, cur = [], ""
    for sep, part in _pieces(text, size):
        if cur and len(cur) + len(sep) + len(part) > size:
            out.append(cur)
            cur = ""
        cur = f"{cur}{sep}{part}" if cur else part
    if cur.strip():
        out.append(cur)
    return [c for c in out if c.strip()]


def _pieces(text: str, size: int):
    for para in text.split("\n\n"):
        if len(para) <= size:
            yield "\n\n", para
            continue
        for line in para.split("\n"):
            for i in range(0, max(len(line), 1), size):  # a line longer than size
                yield "\n", line[i : i + size]


def file_text(f: Path) -> tuple[str, str] | None:
    """(path, text) of a regular file holding text (`.gz` decompressed, its path
    without the suffix), else None."""
    if f.is_symlink() or not f.is_file():
        return None
    text = read_file(f)
    if not text or not text.strip():
        return None
    return (str(f)[:-3] if f.suffix in (".gz", ".dz") else str(f)), text


def list_files(dirs: list[str], keep) -> list[Path]:
    """Every file under `dirs` (recursively) whose name `keep` accepts, binary
    kinds (SKIP_EXT) left out, sorted."""
    files = []
    for d in dirs:
        for root, _, names in os.walk(d):
            files += [
                Path(root, n) for n in names if not n.endswith(SKIP_EXT) and keep(n)
            ]
    return sorted(set(files))


def records(text: str, split: re.Pattern[str] | None) -> list[str]:
    """The records of a file: the whole text, or with `split` one record from each
    line it matches to the next (a line it matches whole, such as a fortune file's
    `%`, is a separator and dropped; a dictionary's unindented headword line, `^\\S`,
    starts its entry)."""
    if split is None:
        return [text]
    out: list[list[str]] = [[]]
    for line in text.split("\n"):
        if split.search(line):
            out.append([])
            if split.fullmatch(line):
                continue
        out[-1].append(line)
    return [t for t in ("\n".join(r) for r in out) if t.strip()]


def build(
    name: str,
    dirs: list[str],
    globs: list[str],
    limit: int,
    size: int,
    out: Path,
    split: re.Pattern[str] | None = None,
) -> Path:
    files = list_files(
        dirs, lambda n: not globs or any(fnmatch.fnmatch(n, g) for g in globs)
    )
    if limit and len(files) > limit:  # files first, so that a sample spans many
        step = len(files) / limit
        files = [files[int(i * step)] for i in range(limit)]
    docs = []
    for f in files:
        found = file_text(f)
        if found is None:
            continue
        path, text = found
        for k, part in enumerate(
            part for rec in records(text, split) for part in chunks(rec, size)
        ):
            docs.append(
                {"id": f"{name}:{len(docs)}", "path": path, "k": k, "text": part}
            )
    if limit and len(docs) > limit:
        step = len(docs) / limit
        docs = [docs[int(i * step)] for i in range(limit)]
    dest = out / f"{name}.jsonl"
    with dest.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    return dest


def audit(src: Path, out: Path) -> tuple[int, int, str]:
    cli = str(REPO / ".venv" / "bin" / "corpusgate")
    a = subprocess.run(
        [
            cli,
            "audit",
            str(src),
            "--out",
            str(out),
            "--overwrite",
            "-q",
            "--direct_num_workers=1",
        ],
        capture_output=True,
        text=True,
    )
    if a.returncode != 0:
        return a.returncode, -1, (a.stderr.strip().splitlines() or [""])[-1]
    g = subprocess.run([cli, "gate", str(out)], capture_output=True, text=True)
    rules = [ln.split() for ln in g.stdout.splitlines() if ln[:1].isalpha()]
    failing = [r[0] for r in rules if len(r) > 1 and r[1] == "FAIL"]
    return 0, g.returncode, ", ".join(failing)


def table(name: str, out: Path, show: str) -> None:
    from corpusgate.pipelines.outputs import open_audit

    res = open_audit(str(out))
    docs = res.documents.num_rows
    dead = res.dead_letters.num_rows
    f = res.findings.to_pylist()
    per_k = 1000 / max(docs, 1)
    by = Counter((r["detector"], r["finding_type"], r["severity"]) for r in f)
    kinds = Counter(res.documents.column("text_kind").to_pylist())
    langs = Counter(res.documents.column("language").to_pylist())
    print(
        f"  documents {docs}, dead letters {dead}, findings {len(f)}; "
        f"kinds {dict(kinds)}; languages {dict(langs.most_common(4))}"
    )
    for det, ftype in sorted({(d, t) for d, t, _ in by}):
        cells = "  ".join(
            f"{s} {by[(det, ftype, s)] * per_k:7.1f}"
            for s in SEVERITIES
            if by[(det, ftype, s)]
        )
        print(f"    {det:15s} {ftype:26s} {cells}")
    if show:
        low = SEVERITIES.index(show)
        for r in f:
            if SEVERITIES.index(r["severity"]) >= low or r["detector"] in (
                "secrets",
                "cbrn",
            ):
                print(
                    f"    ! {r['severity']:8s} {r['detector']}/{r['finding_type']} "
                    f"{r['doc_id']} [{r['start']},{r['end']}] {r['evidence'][:160]!r}"
                )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--root",
        action="append",
        required=True,
        help="NAME[/CHUNK]=DIR[,DIR...][:GLOB[|GLOB...]]: one corpus from "
        "the files of these folders whose names match a GLOB (all files "
        "without one), cut into documents of at most CHUNK characters",
    )
    ap.add_argument("--out", required=True, help="working folder (outside the repo)")
    ap.add_argument("--limit", type=int, default=600, help="documents per corpus")
    ap.add_argument("--chunk", type=int, default=6000, help="characters per document")
    ap.add_argument(
        "--show",
        choices=SEVERITIES,
        default=None,
        help="list findings of this severity and above (+ secrets/cbrn)",
    )
    ap.add_argument(
        "--split",
        metavar="REGEX",
        help="cut each file into records at the lines REGEX matches (a line it "
        "matches whole is a separator and dropped): '^%%$' for fortune files, "
        "'^\\S' for a dictd dictionary's entries",
    )
    ap.add_argument("--no-build", action="store_true", help="reuse OUT/NAME.jsonl")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for spec in args.root:
        name, _, where = spec.partition("=")
        name, _, chunk = name.partition("/")
        dirs, _, globs = where.partition(":")
        src = out / f"{name}.jsonl"
        if not args.no_build:
            src = build(
                name,
                dirs.split(","),
                [g for g in globs.split("|") if g],
                args.limit,
                int(chunk or args.chunk),
                out,
                re.compile(args.split) if args.split else None,
            )
        audit_out = out / f"{name}.audit"
        code, gate_code, why = audit(src, audit_out)
        if code:
            print(f"== {name}: audit exit {code}: {why}")
            continue
        verdict = {0: "pass", 1: "FAIL"}.get(gate_code, f"error {gate_code}")
        print(
            f"== {name}: gate {verdict} (exit {gate_code}){': ' + why if why else ''}"
        )
        table(name, audit_out, args.show)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
