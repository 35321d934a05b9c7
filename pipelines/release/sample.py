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

import csv
import hashlib
import io
import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from corpusgate.detectors.decision import REDACTABLE_DETECTORS
from corpusgate.pipelines import outputs
from corpusgate.pipelines.errors import UsageError
from corpusgate.pipelines.inputs import (
    InputFile,
    RecordDecoder,
    file_exists,
    read_options,
)
from corpusgate.pipelines.outputs import AuditOutput, open_audit
from corpusgate.pipelines.release import SAMPLE_MAX_CHARS, SAMPLE_SIZE
from corpusgate.pipelines.release.apply import Span, merge_spans
from corpusgate.pipelines.release.csv_cells import escape_cell
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
    max_chars: int = SAMPLE_MAX_CHARS,
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
    decoder = RecordDecoder(read_options(audit.config()))
    by_source: dict[str, set[int]] = defaultdict(set)
    for source, index in wanted:
        by_source[source].add(index)
    texts: dict[tuple[str, int], str] = {}
    for source, indexes in sorted(by_source.items()):
        fmt = formats.get(source)
        if fmt is None:
            raise UsageError(f"{source}: not in the sources table of {audit.root}")
        if not file_exists(source):
            raise UsageError(f"{source}: input file of the audit is missing")
        found = decoder.texts(InputFile(source, fmt, 0), indexes)
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


def sample_path(audit: AuditOutput) -> str:
    return audit.path(SAMPLE_DIR, "sample.parquet")


def write_sample(audit: AuditOutput, rows: list[dict[str, Any]], meta: dict) -> None:
    outputs.write_parquet(
        sample_path(audit), pa.Table.from_pylist(rows, schema=arrow_schema(SAMPLE))
    )
    text = io.StringIO(newline="")
    writer = csv.DictWriter(text, fieldnames=SAMPLE.column_names)
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: "" if v is None else escape_cell(v) for k, v in row.items()}
        )
    # utf-8-sig: spreadsheet programs then read Chinese text correctly
    outputs.write_bytes(
        audit.path(SAMPLE_DIR, "sample.csv"), text.getvalue().encode("utf-8-sig")
    )
    outputs.write_bytes(
        audit.path(SAMPLE_DIR, "sample.json"),
        (json.dumps(meta, indent=2) + "\n").encode(),
    )


@dataclass
class SampleResult:
    rows: list[dict[str, Any]]
    meta: dict[str, Any]
    directory: str  # where sample.csv and sample.parquet are


def sample(
    out: str,
    size: int = SAMPLE_SIZE,
    seed: int = 0,
    include_dropped: bool = False,
    max_chars: int = SAMPLE_MAX_CHARS,
    force: bool = False,
) -> SampleResult:
    """Draws the review sample of the audit in OUT and writes it there. Verdicts of
    an earlier sample are refused unless `force` (they are then removed)."""
    if size < 1:
        raise UsageError(f"--size {size}: must be at least 1")
    audit = open_audit(out)
    from corpusgate.pipelines.release.review import verdicts_path

    verdicts = verdicts_path(audit)
    if outputs.exists(verdicts) and not force:
        raise UsageError(
            f"{verdicts}: verdicts exist for the current sample; "
            "use --force to draw a new one (the verdicts are then removed)"
        )
    rows = build_sample(audit, size, seed, include_dropped, max_chars)
    outputs.delete(verdicts)
    meta = {
        "run_id": audit.run_id,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "requested_size": size,
        "size": len(rows),
        "seed": seed,
        "include_dropped": include_dropped,
        "strata": {
            s: sum(1 for r in rows if r["stratum"] == s)
            for s in sorted({r["stratum"] for r in rows})
        },
    }
    write_sample(audit, rows, meta)
    return SampleResult(rows, meta, audit.path(SAMPLE_DIR))
