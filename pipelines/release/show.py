"""`corpusgate show OUT DOC_ID`: one record with its findings, for a person to look at.

By default the text is shown as reviewers see it in the sample: every finding span
replaced by `[FINDING_TYPE]` and the text between masked conservatively, so the output
can be pasted into a ticket. `--raw` shows the text as it is in the input file, each
finding span marked `⟦…⟧[TYPE]`; it is for the data owner on a machine allowed to hold
the data. Both read the text from the audit's input files (the audit tables hold no
text); without them, the findings are listed alone.
"""

from __future__ import annotations

from typing import Any

from corpusgate.pipelines.errors import UsageError
from corpusgate.pipelines.inputs import (
    InputFile,
    RecordDecoder,
    file_exists,
    read_options,
)
from corpusgate.pipelines.outputs import AuditOutput, open_audit
from corpusgate.pipelines.release.apply import merge_spans
from corpusgate.pipelines.release.sample import mask_for_review


def find_document(audit: AuditOutput, doc_id: str) -> dict[str, Any]:
    docs = audit.documents
    mask = [d == doc_id for d in docs.column("doc_id").to_pylist()]
    matches = docs.filter(mask).to_pylist()
    if not matches:
        raise UsageError(f"{doc_id!r}: no such document in {audit.root}")
    if len(matches) > 1:
        where = ", ".join(f"{m['source']}:{m['record_index']}" for m in matches[:3])
        raise UsageError(
            f"{doc_id!r}: {len(matches)} documents have this id ({where}); "
            "ids are not unique in this corpus"
        )
    return matches[0]


def record_findings(audit: AuditOutput, doc: dict[str, Any]) -> list[dict[str, Any]]:
    f = audit.findings
    keys = zip(
        f.column("source").to_pylist(),
        f.column("record_index").to_pylist(),
        strict=True,
    )
    mask = [k == (doc["source"], doc["record_index"]) for k in keys]
    rows = f.filter(mask).to_pylist()
    return sorted(rows, key=lambda r: (r["start"] is None, r["start"] or 0))


def marked_raw(text: str, findings: list[dict[str, Any]]) -> str:
    spans = [
        (r["start"], r["end"], r["finding_type"])
        for r in findings
        if r["start"] is not None and r["end"] is not None
    ]
    out, pos = [], 0
    for start, end, kind in merge_spans(spans, len(text)):
        out += [text[pos:start], "⟦", text[start:end], f"⟧[{kind}]"]
        pos = end
    out.append(text[pos:])
    return "".join(out)


def show_text(audit: AuditOutput, doc_id: str, raw: bool = False) -> str:
    doc = find_document(audit, doc_id)
    findings = record_findings(audit, doc)
    lines = [
        f"document {doc['doc_id']}: record {doc['record_index']} of {doc['source']}",
        f"decision {doc['decision']}, max severity {doc['max_severity'] or '-'}, "
        f"{doc['n_chars']} characters, language {doc['language'] or '-'}",
        "",
        f"{len(findings)} finding(s):",
    ]
    for r in findings:
        where = "" if r["start"] is None else f" at {r['start']}-{r['end']}"
        lines.append(
            f"  {r['severity']:<8} {r['detector']} {r['finding_type']}{where}"
            f" (score {r['score']:.2f})"
        )
    fmt = dict(
        zip(
            *audit.sources.select(["source", "format"]).to_pydict().values(),
            strict=True,
        )
    ).get(doc["source"])
    try:
        texts = _texts(audit, doc["source"], fmt, doc["record_index"])
    except UsageError as e:
        if raw:
            raise
        lines += ["", f"(text not shown: {e})"]
        return "\n".join(lines)
    text = texts.get(doc["record_index"])
    if text is None:
        raise UsageError(f"{doc['source']}: the file changed since the audit")
    spans = [
        (r["start"], r["end"], r["finding_type"])
        for r in findings
        if r["start"] is not None and r["end"] is not None
    ]
    shown = marked_raw(text, findings) if raw else mask_for_review(text, spans)
    lines += ["", "text (raw, findings marked):" if raw else "text (masked):", shown]
    return "\n".join(lines)


def _texts(audit: AuditOutput, source: str, fmt: str | None, index: int):
    """The record's text read again with the audit's decoder and read options."""
    if fmt is None or not file_exists(source):
        raise UsageError(f"{source}: input file of the audit is missing")
    decoder = RecordDecoder(read_options(audit.config()))
    return decoder.texts(InputFile(source, fmt, 0), [index])


def show(out: str, doc_id: str, raw: bool = False) -> str:
    """One record of the audit in OUT as reviewers see it (see `show_text`)."""
    return show_text(open_audit(out), doc_id, raw)
