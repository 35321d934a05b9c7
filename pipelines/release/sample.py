"""`corpusgate sample OUT --size 4000 [--seed N]`: the manual-review sample.

A reproducible random sample of the scanned records, stratified by source
(proportional allocation, largest remainder), written for reviewers as
`OUT/sample/sample.parquet` and `OUT/sample/sample.csv` with empty `verdict`,
`reason` and `reviewer` columns to fill in. The text shown has every PII and secret
span masked as `[FINDING_TYPE]`, and, as a fallback for what the detectors missed,
e-mail addresses, long opaque tokens and runs of 4+ digits masked with `*`.
By default the sample is drawn from the release corpus (records not dropped), and
shows the text as `apply` would release it.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from corpusgate.detectors.decision import REDACTABLE_DETECTORS
from corpusgate.pipelines.outputs import AuditOutput, UsageError, open_audit
from corpusgate.pipelines.release.apply import Span, merge_spans
from corpusgate.pipelines.release.csv_cells import escape_cell
from corpusgate.pipelines.release.input_records import read_texts, text_field
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import BOOL, INT64, STRING, Field, Table

SAMPLE_DIR = "sample"

SAMPLE = Table(
    "sample",
    (
        Field("sample_index", INT64, doc="position in the sample (review order)"),
        Field("run_id", STRING),
        Field("doc_id", STRING),
        Field("source", STRING, doc="input file URI"),
        Field("record_index", INT64),
        Field("stratum", STRING, doc="logical source the record was drawn from"),
        Field("decision", STRING, doc="the audit's decision for the record"),
        Field("finding_types", STRING, doc="comma-separated finding types"),
        Field("text", STRING, doc="the record's text, identifiers masked"),
        Field("truncated", BOOL, doc="text cut to --max-chars"),
        Field("verdict", STRING, True, "to fill in: pass | fail"),
        Field("reason", STRING, True, "to fill in"),
        Field("reviewer", STRING, True, "to fill in"),
    ),
    "the manual-review sample",
)

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_LONG_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9+/=_\-]{20,}")
# Runs of digits with the separators identifiers are written with; masked when they
# hold 4 or more digits (phone, ID, card and account numbers, dates of birth).
_DIGIT_RUN = re.compile(r"\d(?:[\d\s\-./()]*\d)?")


def _mask_free(text: str) -> str:
    text = _EMAIL.sub(lambda m: "*" * len(m.group(0)), text)
    text = _LONG_TOKEN.sub(lambda m: "*" * len(m.group(0)), text)

    def digits(m: re.Match[str]) -> str:
        s = m.group(0)
        if sum(c.isdigit() for c in s) < 4:
            return s
        return re.sub(r"\d", "*", s)

    return _DIGIT_RUN.sub(digits, text)


def mask_for_review(text: str, spans: list[Span]) -> str:
    """Spans replaced by `[TYPE]`; the text between them masked conservatively."""
    out, pos = [], 0
    for start, end, kind in merge_spans(spans, len(text)):
        out.append(_mask_free(text[pos:start]))
        out.append(f"[{kind}]")
        pos = end
    out.append(_mask_free(text[pos:]))
    return "".join(out)


def _seeded(seed: int, stratum: str) -> random.Random:
    digest = hashlib.sha256(f"{seed}\x00{stratum}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def allocate(sizes: dict[str, int], total: int) -> dict[str, int]:
    """Proportional allocation of `total` over strata (largest remainder; ties by
    name), never more than a stratum holds."""
    n = sum(sizes.values())
    if total >= n:
        return dict(sizes)
    quotas = {s: total * c / n for s, c in sizes.items()}
    alloc = {s: int(q) for s, q in quotas.items()}
    left = total - sum(alloc.values())
    order = sorted(sizes, key=lambda s: (-(quotas[s] - alloc[s]), s))
    for s in order[:left]:
        alloc[s] += 1
    return alloc


def draw(
    keys_by_stratum: dict[str, list[Any]], size: int, seed: int
) -> list[tuple[str, Any]]:
    """(stratum, key) pairs of a stratified sample, in a shuffled review order.
    Each stratum's keys must be sorted; the draw depends only on them and the seed."""
    alloc = allocate({s: len(k) for s, k in keys_by_stratum.items()}, size)
    picked = []
    for stratum in sorted(keys_by_stratum):
        keys = keys_by_stratum[stratum]
        for i in sorted(
            _seeded(seed, stratum).sample(range(len(keys)), alloc[stratum])
        ):
            picked.append((stratum, keys[i]))
    _seeded(seed, "\x00order").shuffle(picked)
    return picked


def build_sample(
    audit: AuditOutput,
    size: int,
    seed: int = 0,
    include_dropped: bool = False,
    max_chars: int = 5000,
) -> list[dict[str, Any]]:
    docs = audit.documents.select(
        ["doc_id", "source", "record_index", "source_name", "decision", "finding_types"]
    ).to_pylist()
    by_key = {(d["source"], d["record_index"]): d for d in docs}
    strata: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for d in docs:
        if d["decision"] == "drop" and not include_dropped:
            continue
        strata[d["source_name"] or d["source"]].append((d["source"], d["record_index"]))
    for keys in strata.values():
        keys.sort()
    picked = draw(strata, size, seed)

    f = audit.findings.select(
        [
            "source",
            "record_index",
            "detector",
            "finding_type",
            "sensitive",
            "start",
            "end",
        ]
    ).to_pydict()
    wanted = {key for _, key in picked}
    spans: dict[tuple[str, int], list[Span]] = defaultdict(list)
    for source, index, detector, kind, sensitive, start, end in zip(
        *f.values(), strict=True
    ):
        if (source, index) in wanted and start is not None and end is not None:
            if detector in REDACTABLE_DETECTORS or sensitive:
                spans[(source, index)].append((start, end, kind))

    formats = dict(
        zip(
            *audit.sources.select(["source", "format"]).to_pydict().values(),
            strict=True,
        )
    )
    field_name = text_field(audit)
    by_source: dict[str, set[int]] = defaultdict(set)
    for source, index in wanted:
        by_source[source].add(index)
    texts: dict[tuple[str, int], str] = {}
    for source, indexes in sorted(by_source.items()):
        fmt = formats.get(source)
        if fmt is None:
            raise UsageError(f"{source}: not in the sources table of {audit.root}")
        found = read_texts(source, fmt, indexes, field_name)
        missing = sorted(indexes - set(found))
        if missing:
            raise UsageError(
                f"{source}: record {missing[0]} has no text; "
                "the file changed since the audit"
            )
        for index, text in found.items():
            texts[(source, index)] = text

    rows = []
    for i, (stratum, key) in enumerate(picked):
        d = by_key[key]
        text = mask_for_review(texts[key], spans.get(key, []))
        truncated = max_chars > 0 and len(text) > max_chars
        rows.append(
            {
                "sample_index": i,
                "run_id": audit.run_id,
                "doc_id": d["doc_id"],
                "source": key[0],
                "record_index": key[1],
                "stratum": stratum,
                "decision": d["decision"],
                "finding_types": ",".join(d["finding_types"] or []),
                "text": text[:max_chars] + "…" if truncated else text,
                "truncated": truncated,
                "verdict": None,
                "reason": None,
                "reviewer": None,
            }
        )
    return rows


def sample_path(root: Path) -> Path:
    return root / SAMPLE_DIR / "sample.parquet"


def write_sample(rows: list[dict[str, Any]], root: Path, meta: dict[str, Any]) -> None:
    directory = root / SAMPLE_DIR
    directory.mkdir(exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=arrow_schema(SAMPLE)),
        directory / "sample.parquet",
    )
    # utf-8-sig: spreadsheet programs then read Chinese text correctly
    with open(directory / "sample.csv", "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=SAMPLE.column_names)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {k: "" if v is None else escape_cell(v) for k, v in row.items()}
            )
    (directory / "sample.json").write_text(
        json.dumps(meta, indent=2) + "\n", encoding="utf-8"
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="audit output directory")
    parser.add_argument(
        "--size", type=int, default=4000, help="records to sample [4000]"
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed [0]")
    parser.add_argument(
        "--include-dropped",
        action="store_true",
        help="also sample records the audit decided to drop [release corpus only]",
    )
    parser.add_argument(
        "--max-chars",
        type=int,
        default=5000,
        help="cut the text shown to this many characters; 0: no limit [5000]",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace an existing sample even though verdicts were recorded for it",
    )


def run(args: argparse.Namespace) -> int:
    try:
        if args.size < 1:
            raise UsageError(f"--size {args.size}: must be at least 1")
        audit = open_audit(args.out)
        from corpusgate.pipelines.release.review import verdicts_path

        if verdicts_path(audit.root).exists() and not args.force:
            raise UsageError(
                f"{verdicts_path(audit.root)}: verdicts exist for the current sample; "
                "use --force to draw a new one (the verdicts are then removed)"
            )
        rows = build_sample(
            audit, args.size, args.seed, args.include_dropped, args.max_chars
        )
        verdicts_path(audit.root).unlink(missing_ok=True)
        meta = {
            "run_id": audit.run_id,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "requested_size": args.size,
            "size": len(rows),
            "seed": args.seed,
            "include_dropped": args.include_dropped,
            "strata": {
                s: sum(1 for r in rows if r["stratum"] == s)
                for s in sorted({r["stratum"] for r in rows})
            },
        }
        write_sample(rows, audit.root, meta)
    except UsageError as e:
        print(f"corpusgate sample: {e}", file=sys.stderr)
        return 2
    print(
        f"corpusgate sample: {len(rows)} records from {len(meta['strata'])} sources "
        f"(seed {args.seed}) -> {audit.root / SAMPLE_DIR}/sample.csv and sample.parquet"
    )
    if len(rows) < args.size:
        print(f"  note: the corpus has only {len(rows)} eligible records")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="corpusgate sample", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
