"""`corpusgate report OUT [--policy POLICY.toml]`: one self-contained HTML file.

`OUT/report.html` holds, in order: the gate result (evaluated with --policy, else
with the policy of the last `gate` run recorded in OUT/gate.json, else the default),
summary counts, findings per detector and finding type, a per-source table with its
decisions, severity / score / decision charts (inline SVG made here: no script, no
network, no CDN), masked examples per finding type (the `evidence` column only; the
input texts are never read), dead letters by stage, and the run's provenance (inputs
with their hashes, detector versions and configuration fingerprints).
"""

from __future__ import annotations

import html
import json
from collections import Counter, defaultdict
from datetime import UTC, datetime
from string import Template
from typing import Any

from corpusgate.detectors.base import SEVERITIES, SEVERITY_RANK
from corpusgate.detectors.decision import DECISIONS
from corpusgate.pipelines import outputs
from corpusgate.pipelines.outputs import AuditOutput, open_audit
from corpusgate.pipelines.release.gate import (
    RULES,
    GateResult,
    SourceRate,
    audit_source_rates,
    evaluate,
)
from corpusgate.pipelines.release.policy import Policy, load_policy
from corpusgate.pipelines.release.report_template import TEMPLATE

EXAMPLES_PER_TYPE = 3
TOP_DOCUMENTS_PER_TYPE = 5
MAX_DOCUMENT_SECTIONS = 500  # bounds the page on a corpus with many to review
MAX_SOURCES = 500

SEVERITY_COLORS = {
    "info": "#8c959f",
    "low": "#54aeff",
    "medium": "#d4a72c",
    "high": "#fb8f44",
    "critical": "#cf222e",
}
DECISION_COLORS = {
    "keep": "#1a7f37",
    "redact": "#54aeff",
    "review": "#d4a72c",
    "drop": "#cf222e",
}


def esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


# --- charts (inline SVG) -------------------------------------------------------------


def bar_chart(
    items: list[tuple[str, float]],
    colors: dict[str, str] | None = None,
    width: int = 440,
    label_width: int = 150,
    bar_height: int = 18,
    title: str = "",
) -> str:
    """A horizontal bar chart as an inline <svg>; labels and values are escaped."""
    gap = 6
    top = 4
    height = top + max(1, len(items)) * (bar_height + gap) + 4
    vmax = max((v for _, v in items), default=0) or 1
    plot = width - label_width - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{esc(title)}" font-size="12" '
        'font-family="Helvetica, Arial, sans-serif">'
    ]
    if title:
        parts.append(f"<title>{esc(title)}</title>")
    if not items:
        parts.append(f'<text x="4" y="{top + 14}" fill="#57606a">no data</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * (bar_height + gap)
        w = 0 if value <= 0 else max(1.0, plot * value / vmax)
        color = (colors or {}).get(label, "#0969da")
        shown = label if len(label) <= 22 else label[:21] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height - 5}" text-anchor="end" '
            f'fill="#1f2328">{esc(shown)}</text>'
            f'<rect x="{label_width}" y="{y}" width="{w:.1f}" height="{bar_height}" '
            f'rx="2" fill="{color}"><title>{esc(label)}: {value:g}</title></rect>'
            f'<text x="{label_width + w + 4:.1f}" y="{y + bar_height - 5}" '
            f'fill="#57606a">{value:g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    values: list[float], bins: int = 10, width: int = 440, title: str = ""
) -> str:
    """A vertical histogram of values in [0, 1] as an inline <svg>."""
    counts = [0] * bins
    for v in values:
        counts[min(bins - 1, max(0, int(v * bins)))] += 1
    height, left, bottom, top = 200, 40, 24, 10
    plot_w, plot_h = width - left - 10, height - bottom - top
    cmax = max(counts) or 1
    bw = plot_w / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" aria-label="{esc(title)}" '
        'font-size="11" font-family="Helvetica, Arial, sans-serif">',
        f"<title>{esc(title)}</title>",
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}" stroke="#8c959f"/>',
        f'<text x="{left - 4}" y="{top + 8}" text-anchor="end" '
        f'fill="#57606a">{cmax}</text>',
        f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" '
        'fill="#57606a">0</text>',
    ]
    for i, c in enumerate(counts):
        h = plot_h * c / cmax
        x = left + i * bw
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bw - 2:.1f}" '
            f'height="{h:.1f}" fill="#0969da">'
            f"<title>{i / bins:.1f}–{(i + 1) / bins:.1f}: {c}</title></rect>"
        )
    for i in range(0, bins + 1, 2):
        x = left + i * bw
        parts.append(
            f'<text x="{x:.1f}" y="{height - 8}" text-anchor="middle" '
            f'fill="#57606a">{i / bins:.1f}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


# --- sections ------------------------------------------------------------------------


def _table(
    headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()
) -> str:
    head = "".join(
        f'<th class="num">{esc(h)}</th>' if i in numeric else f"<th>{esc(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>"
            for i, c in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return (
        f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _badge(result: str) -> str:
    return f'<span class="res {esc(result)}">{esc(result)}</span>'


def _pct(x: float | None) -> str:
    return "" if x is None else f"{100 * x:.2f}%"


def section_gate(gate: GateResult) -> str:
    label = {"pass": "PASS", "fail": "FAIL", "incomplete": "INCOMPLETE"}[gate.result]
    explain = {
        "pass": "every rule of the policy passes",
        "fail": "at least one rule fails: the corpus must not be released as is",
        "incomplete": "no rule fails, but some are pending or under review",
    }[gate.result]
    rows = [
        [
            f"<code>{esc(r.rule_id)}</code>",
            _badge(r.result),
            esc(r.measured_text),
            esc(r.threshold),
            f'{esc(r.detail)}<div class="clause">{esc(r.clause)}</div>',
        ]
        for r in gate.rules
    ]
    return (
        '<section id="gate"><h2>Release gate</h2>'
        f'<div class="verdict {gate.result}"><span class="big">{label}</span>'
        f"<span>{esc(explain)} &middot; policy <b>{esc(gate.policy.name)}</b> "
        f"({esc(gate.policy.source)}) &middot; <code>corpusgate gate</code> exit code "
        f"{gate.exit_code}</span></div>"
        + _table(["rule", "result", "measured", "threshold", "detail / clause"], rows)
        + "</section>"
    )


def section_summary(audit: AuditOutput, decisions: Counter[str]) -> str:
    counts = audit.run.get("counts") or {}
    cards = [
        (
            "records read",
            counts.get("records_read", sum(audit.sources["records"].to_pylist())),
        ),
        ("scanned", audit.documents.num_rows),
        ("dead letters", audit.dead_letters.num_rows),
        ("findings", audit.findings.num_rows),
        *(
            [("findings over the cap (not stored)", over)]
            if (over := counts.get("findings_over_cap"))
            else []
        ),
        *(
            [("input files skipped (unknown type)", len(skipped))]
            if (skipped := audit.run.get("skipped_inputs"))
            else []
        ),
        ("sources", audit.sources.num_rows),
        *((f"decision: {d}", decisions.get(d, 0)) for d in DECISIONS),
    ]
    body = "".join(
        f'<div class="card"><div class="v">{esc(f"{v:,}" if isinstance(v, int) else v)}'
        f'</div><div class="k">{esc(k)}</div></div>'
        for k, v in cards
    )
    return (
        f'<section id="summary"><h2>Summary</h2><div class="cards">{body}</div>'
        "</section>"
    )


def section_findings(findings: list[dict[str, Any]]) -> str:
    by_type: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    records: dict[tuple[str, str], set] = defaultdict(set)
    for f in findings:
        key = (f["detector"], f["finding_type"])
        by_type[key][f["severity"]] += 1
        records[key].add((f["source"], f["record_index"]))
    rows = []
    for (detector, kind), sev in sorted(by_type.items(), key=lambda kv: -kv[1].total()):
        rows.append(
            [
                esc(detector),
                f"<code>{esc(kind)}</code>",
                f"{sev.total():,}",
                f"{len(records[(detector, kind)]):,}",
                *(f"{sev.get(s, 0):,}" for s in SEVERITIES),
            ]
        )
    per_detector = Counter(f["detector"] for f in findings)
    chart = bar_chart(
        sorted(per_detector.items(), key=lambda kv: -kv[1]), title="per detector"
    )
    return (
        '<section id="findings"><h2>Findings per detector and type</h2>'
        f"<figure><figcaption>Findings per detector</figcaption>{chart}</figure>"
        + _table(
            ["detector", "finding type", "findings", "records", *SEVERITIES],
            rows,
            numeric=set(range(2, 4 + len(SEVERITIES))),
        )
        + "</section>"
    )


def section_charts(findings: list[dict[str, Any]], decisions: Counter[str]) -> str:
    severity = Counter(f["severity"] for f in findings)
    charts = [
        (
            "Findings by severity",
            bar_chart(
                [(s, severity.get(s, 0)) for s in SEVERITIES],
                SEVERITY_COLORS,
                title="findings by severity",
            ),
        ),
        (
            "Score distribution (all findings)",
            histogram([f["score"] for f in findings], title="score distribution"),
        ),
        (
            "Records by decision",
            bar_chart(
                [(d, decisions.get(d, 0)) for d in DECISIONS],
                DECISION_COLORS,
                title="records by decision",
            ),
        ),
    ]
    figures = "".join(
        f"<figure><figcaption>{esc(t)}</figcaption>{svg}</figure>" for t, svg in charts
    )
    return (
        '<section id="charts"><h2>Distributions</h2>'
        f'<div class="charts">{figures}</div></section>'
    )


def section_sources(audit: AuditOutput, gate: GateResult) -> str:
    # The decision per source is the gate's (same function, same policy).
    params = gate.policy.rules["source_flagged_rate"]
    rates = audit_source_rates(audit, params)
    docs = audit.documents.select(["source", "source_name", "decision"]).to_pydict()
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    for source, name, decision in zip(*docs.values(), strict=True):
        by_source[name if name is not None else source][decision] += 1
    files = {s["source"]: s for s in audit.sources.to_pylist()}
    subjects: list[tuple[float, str, SourceRate | None]] = [
        (r.bounds.upper, r.source, r) for r in rates
    ]
    decided = {r.source for r in rates}
    # Files of which no record could be scanned: listed, not decided.
    subjects += [(-1.0, uri, None) for uri in files if uri not in decided]
    subjects.sort(key=lambda t: (-t[0], t[1]))
    sources = subjects
    rows = []
    for _, subject, r in subjects[:MAX_SOURCES]:
        f = files.get(subject, {})
        c = by_source.get(subject, Counter())
        rows.append(
            [
                f'<span class="mono">{esc(subject)}</span>',
                esc(f.get("format") or "—"),
                f"{f['records']:,}" if f else f"{r.n:,}",
                f"{f['dead_letters']:,}" if f else "—",
                f"{r.k:,}" if r else "0",
                _pct(r.k / r.n) if r else "n/a",
                f"{_pct(r.bounds.lower)} – {_pct(r.bounds.upper)}" if r else "—",
                _badge(r.decision) if r else "no scanned records",
                *(f"{c.get(d, 0):,}" for d in DECISIONS),
                esc(f.get("acquisition") or "—"),
                esc(f.get("license") or "—"),
            ]
        )
    note = (
        f'<p class="note">Showing the {MAX_SOURCES} sources (of {len(sources)}) '
        "with the highest upper bound.</p>"
        if len(sources) > MAX_SOURCES
        else ""
    )
    return (
        '<section id="sources"><h2>Sources</h2>'
        '<p class="note">Flagged: records with a finding of severity &ge; '
        f"{esc(params['min_severity'])}. Bounds: one-sided "
        f"{params['confidence']:.0%} Clopper–Pearson; pass when the upper bound is "
        f"&le; {_pct(params['max_rate'])}, block when the lower bound is above it.</p>"
        + _table(
            [
                "source",
                "format",
                "records",
                "dead letters",
                "flagged",
                "rate",
                "bounds",
                "gate",
                *DECISIONS,
                "acquisition",
                "license",
            ],
            rows,
            numeric={2, 3, 4, 5, 8, 9, 10, 11},
        )
        + note
        + "</section>"
    )


def section_examples(findings: list[dict[str, Any]]) -> str:
    by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in sorted(findings, key=lambda f: (-f["score"], f["doc_id"])):
        if len(by_type[f["finding_type"]]) < EXAMPLES_PER_TYPE:
            by_type[f["finding_type"]].append(f)
    rows = [
        [
            f"<code>{esc(kind)}</code>",
            esc(f["detector"]),
            esc(f["severity"]),
            f"{f['score']:.2f}",
            f'<span class="mono">{esc(f["doc_id"])}</span>',
            f'<span class="mono">{esc(f["evidence"])}</span>',
        ]
        for kind in sorted(by_type)
        for f in by_type[kind]
    ]
    return (
        '<section id="examples"><h2>Masked examples per finding type</h2>'
        '<p class="note">The masked <code>evidence</code> of the most confident '
        "findings; the records' text is not shown.</p>"
        + _table(
            ["type", "detector", "severity", "score", "doc_id", "evidence"], rows, {3}
        )
        + "</section>"
    )


def _anchor(source: str, index: int) -> str:
    import hashlib

    return "doc-" + hashlib.sha256(f"{source}\0{index}".encode()).hexdigest()[:16]


def _doc_link(doc: dict[str, Any]) -> str:
    anchor = _anchor(doc["source"], doc["record_index"])
    return f'<a class="mono" href="#{anchor}">{esc(doc["doc_id"])}</a>'


def section_review(docs: list[dict[str, Any]], verdicts: dict[str, str]) -> str:
    """The documents the audit decided `review`: what a person must look at before
    `apply` releases them."""
    rows = [
        [
            _doc_link(d),
            esc(d["source"].rsplit("/", 1)[-1]),
            esc(d["max_severity"] or ""),
            esc(", ".join(d["finding_types"] or [])),
            esc(verdicts.get(d["doc_id"], "not reviewed")),
        ]
        for d in docs
        if d["decision"] == "review"
    ]
    return (
        '<section id="review"><h2>Documents to review</h2>'
        '<p class="note"><code>corpusgate apply</code> holds these back unless a '
        "reviewer passes them (<code>corpusgate show OUT DOC_ID</code> prints one).</p>"
        + (
            _table(["doc_id", "file", "max severity", "finding types", "verdict"], rows)
            if rows
            else "<p>None.</p>"
        )
        + "</section>"
    )


def top_documents(
    findings: list[dict[str, Any]], n: int = TOP_DOCUMENTS_PER_TYPE
) -> dict[str, list[tuple[str, int]]]:
    """Per finding type, the documents with the most severe and most findings."""
    per: dict[str, Counter[tuple[str, int]]] = defaultdict(Counter)
    worst: dict[tuple[str, tuple[str, int]], int] = defaultdict(int)
    for f in findings:
        key = (f["source"], f["record_index"])
        per[f["finding_type"]][key] += 1
        rank = SEVERITY_RANK.get(f["severity"], 0)
        worst[(f["finding_type"], key)] = max(worst[(f["finding_type"], key)], rank)
    return {
        kind: sorted(c, key=lambda k: (-worst[(kind, k)], -c[k], k))[:n]
        for kind, c in per.items()
    }


def section_top_documents(
    top: dict[str, list[tuple[str, int]]], by_key: dict[tuple[str, int], dict]
) -> str:
    rows = [
        [f"<code>{esc(kind)}</code>", " ".join(_doc_link(by_key[k]) for k in keys)]
        for kind, keys in sorted(top.items())
    ]
    return (
        '<section id="top-documents"><h2>Top documents per finding type</h2>'
        + (_table(["finding type", "documents"], rows) if rows else "<p>None.</p>")
        + "</section>"
    )


def section_documents(
    keys: list[tuple[str, int]],
    by_key: dict[tuple[str, int], dict],
    findings: list[dict[str, Any]],
) -> str:
    """One section per linked document: its row and its findings (masked evidence)."""
    per_doc: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    wanted = set(keys)
    for f in findings:
        key = (f["source"], f["record_index"])
        if key in wanted:
            per_doc[key].append(f)
    parts = []
    for key in keys:
        d = by_key[key]
        rows = [
            [
                esc(f["detector"]),
                f"<code>{esc(f['finding_type'])}</code>",
                esc(f["severity"]),
                f"{f['score']:.2f}",
                f'<span class="mono">{esc(f["evidence"])}</span>',
            ]
            for f in sorted(
                per_doc[key], key=lambda f: -SEVERITY_RANK.get(f["severity"], 0)
            )
        ]
        parts.append(
            f'<div id="{_anchor(*key)}"><h3>{esc(d["doc_id"])}</h3>'
            f'<p class="note">record {d["record_index"]} of {esc(d["source"])} '
            f"&middot; decision <b>{esc(d['decision'])}</b> &middot; "
            f"{d['n_chars']:,} characters</p>"
            + _table(["detector", "type", "severity", "score", "evidence"], rows, {3})
            + "</div>"
        )
    return (
        '<section id="documents"><h2>Documents</h2>'
        '<p class="note">The documents linked above, with their findings.</p>'
        + "".join(parts)
        + "</section>"
    )


def section_dead_letters(audit: AuditOutput) -> str:
    d = audit.dead_letters.select(["stage", "error_type"]).to_pydict()
    counts = Counter(zip(d["stage"], d["error_type"], strict=True))
    rows = [[esc(s), esc(e), f"{c:,}"] for (s, e), c in counts.most_common()]
    return (
        '<section id="dead-letters"><h2>Dead letters</h2>'
        + (
            _table(["stage", "error type", "count"], rows, {2})
            if rows
            else "<p>None.</p>"
        )
        + "</section>"
    )


def section_provenance(audit: AuditOutput) -> str:
    run = audit.run
    facts = [
        ("run_id", run.get("run_id")),
        ("corpusgate version", run.get("corpusgate_version")),
        ("schema version", run.get("schema_version")),
        ("started", run.get("started_at")),
        ("finished", run.get("finished_at")),
        ("runner", run.get("runner")),
        ("command line", " ".join(map(str, run.get("argv") or []))),
        ("audit output", str(audit.root)),
    ]
    info = _table(
        ["", ""], [[esc(k), f'<span class="mono">{esc(v)}</span>'] for k, v in facts]
    )
    detectors = [
        [
            esc(d.get("name")),
            esc(d.get("version")),
            f"<code>{esc(d.get('config_fingerprint'))}</code>",
        ]
        for d in run.get("detectors") or []
        if isinstance(d, dict)
    ]
    inputs = [
        [
            f'<span class="mono">{esc(i.get("uri"))}</span>',
            f"<code>{esc(i.get('sha256'))}</code>",
            f"{i.get('bytes') or 0:,}",
        ]
        for i in run.get("inputs") or []
        if isinstance(i, dict)
    ]
    deps = run.get("dependencies")
    if isinstance(deps, str):
        try:
            deps = json.loads(deps)
        except ValueError:
            deps = {}
    dep_rows = (
        [[esc(k), esc(v)] for k, v in sorted((deps or {}).items())]
        if isinstance(deps, dict)
        else []
    )
    return (
        '<section id="provenance"><h2>Run provenance</h2>'
        + info
        + "<h3>Detectors</h3>"
        + _table(["detector", "version", "config fingerprint"], detectors)
        + "<h3>Inputs</h3>"
        + _table(["input", "sha256", "bytes"], inputs, {2})
        + (
            "<h3>Libraries</h3>" + _table(["library", "version"], dep_rows)
            if dep_rows
            else ""
        )
        + "</section>"
    )


def render(audit: AuditOutput, gate: GateResult) -> str:
    findings = audit.findings.select(
        [
            "doc_id",
            "source",
            "record_index",
            "detector",
            "finding_type",
            "severity",
            "score",
            "evidence",
        ]
    ).to_pylist()
    decisions = Counter(audit.documents.column("decision").to_pylist())
    docs = audit.documents.select(
        [
            "doc_id",
            "source",
            "record_index",
            "decision",
            "max_severity",
            "finding_types",
            "n_chars",
        ]
    ).to_pylist()
    by_key = {(d["source"], d["record_index"]): d for d in docs}
    top = top_documents(findings)
    linked = [
        (d["source"], d["record_index"]) for d in docs if d["decision"] == "review"
    ]
    linked += sorted({k for keys in top.values() for k in keys} - set(linked))
    linked = linked[:MAX_DOCUMENT_SECTIONS]
    if len(linked) == MAX_DOCUMENT_SECTIONS:  # links beyond the bound go nowhere
        kept = set(linked)
        top = {t: [k for k in keys if k in kept] for t, keys in top.items()}
    body = "\n".join(
        [
            section_gate(gate),
            section_summary(audit, decisions),
            section_findings(findings),
            section_charts(findings, decisions),
            section_sources(audit, gate),
            section_review(docs, _verdicts(audit)),
            section_top_documents(top, by_key),
            section_examples(findings),
            section_dead_letters(audit),
            section_provenance(audit),
            section_documents(linked, by_key, findings),
        ]
    )
    template = Template(TEMPLATE)
    return template.substitute(
        run_id=esc(audit.run_id),
        finished_at=esc(audit.run.get("finished_at")),
        version=esc(audit.run.get("corpusgate_version")),
        generated_at=esc(datetime.now(UTC).isoformat(timespec="seconds")),
        body=body,
    )


def _verdicts(audit: AuditOutput) -> dict[str, str]:
    from corpusgate.pipelines.release.review import stored_verdicts

    return {r["doc_id"]: r["verdict"] for r in stored_verdicts(audit) or []}


def write_report(audit: AuditOutput, gate: GateResult, path: str | None = None) -> str:
    path = path or audit.path("report.html")
    outputs.write_bytes(path, render(audit, gate).encode("utf-8"))
    return path


def recorded_policy(audit: AuditOutput) -> Policy | None:
    """The policy of the last `gate` run on OUT (from OUT/gate.json), so the report
    shows the result CI saw; None when there is none or it is unusable."""
    try:
        gate_json = audit.path("gate.json")
        if not outputs.exists(gate_json):
            return None
        data = json.loads(outputs.read_bytes(gate_json).decode("utf-8"))["policy"]
        rules = data["rules"]
        if not isinstance(rules, dict) or set(rules) != set(RULES):
            return None
        return Policy(
            name=str(data["name"]),
            strict=bool(data["strict"]),
            rules=rules,
            source=str(data["source"]),
            sha256=str(data["sha256"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def report(out: str, policy_path: str | None = None) -> str:
    """Writes OUT/report.html; returns its path. The gate section is evaluated with
    `policy_path`, else the policy the last `gate` run recorded, else the default."""
    audit = open_audit(out)
    policy = None if policy_path else recorded_policy(audit)
    policy = policy or load_policy(policy_path)
    return write_report(audit, evaluate(audit, policy))
