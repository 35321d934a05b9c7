"""`corpusgate gate OUT [--policy POLICY.toml]`: the release gate
(docs/policy-and-gate.md).

`RULES` is the rule table: one function per policy rule, each evaluating the rule
against a finished audit and reporting the clause it implements, its threshold, the
measured value and a result (pass | fail | review | pending). `gate()` evaluates
every enabled rule and writes `OUT/gate.json` and the `gate` Parquet table
(`OUT/gate/gate.parquet`); `cli.py` prints the table and turns the overall result
into the exit code (0 not failed, 1 failed).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

import pyarrow as pa
from corpusgate.detectors.base import SEVERITY_RANK
from corpusgate.detectors.decision import REDACTABLE_DETECTORS
from corpusgate.pipelines import outputs
from corpusgate.pipelines.errors import GATE_EXIT_CODES
from corpusgate.pipelines.outputs import AuditOutput, open_audit
from corpusgate.pipelines.release.policy import Policy, load_policy
from corpusgate.pipelines.release.statistics import (
    Bounds,
    clopper_pearson,
    max_failures,
    three_way_decision,
)
from corpusgate.schemas.arrow import arrow_schema
from corpusgate.schemas.tables import FLOAT64, INT64, STRING, Field, Table

log = logging.getLogger(__name__)

RESULTS = ("pass", "review", "pending", "fail")

GATE = Table(
    "gate",
    (
        Field("run_id", STRING, doc="the audit run the gate was evaluated on"),
        Field("rule_id", STRING, doc="policy rule id"),
        Field("clause", STRING, doc="the standard's clause the rule implements"),
        Field("subject", STRING, True, "null: the whole corpus; else a source"),
        Field("threshold", STRING, doc="the threshold, readable"),
        Field("threshold_value", FLOAT64, True, "the threshold as a number"),
        Field("measured", FLOAT64, True, "the measured value"),
        Field("measured_text", STRING, doc="the measured value, readable"),
        Field("n", INT64, True, "records the measure is over"),
        Field("k", INT64, True, "records counted (flagged, failed, ...)"),
        Field("lower", FLOAT64, True, "one-sided lower confidence bound"),
        Field("upper", FLOAT64, True, "one-sided upper confidence bound"),
        Field("result", STRING, doc="pass | review | pending | fail"),
        Field("detail", STRING, doc="why"),
        Field("policy", STRING, doc="policy name"),
        Field("evaluated_at", STRING, doc="ISO 8601, UTC"),
    ),
    "one row per rule, plus one per source for per-source rules",
)


@dataclass
class RuleResult:
    rule_id: str
    clause: str
    threshold: str
    threshold_value: float | None
    measured: float | None
    measured_text: str
    result: str
    detail: str = ""
    subject: str | None = None
    n: int | None = None
    k: int | None = None
    lower: float | None = None
    upper: float | None = None


@dataclass
class GateResult:
    run_id: str
    policy: Policy
    rules: list[RuleResult]
    subjects: list[RuleResult] = field(default_factory=list)  # per-source rows
    evaluated_at: str = ""

    @property
    def result(self) -> str:
        results = {r.result for r in self.rules}
        if "fail" in results:
            return "fail"
        if results & {"review", "pending"}:
            return "fail" if self.policy.strict else "incomplete"
        return "pass"

    @property
    def exit_code(self) -> int:
        return GATE_EXIT_CODES[self.result]

    def to_json(self) -> dict[str, Any]:
        return {
            "run_id": self.run_id,
            "result": self.result,
            "exit_code": self.exit_code,
            "evaluated_at": self.evaluated_at,
            "policy": {
                "name": self.policy.name,
                "source": self.policy.source,
                "sha256": self.policy.sha256,
                "strict": self.policy.strict,
                "rules": self.policy.rules,
            },
            "rules": [asdict(r) for r in self.rules],
            "subjects": [asdict(r) for r in self.subjects],
        }


# --- the rules -----------------------------------------------------------------------


class _Facts:
    """What the rules need from the tables, extracted once."""

    def __init__(self, audit: AuditOutput) -> None:
        self.audit = audit
        docs = audit.documents.select(
            ["source", "record_index", "source_name", "max_severity", "decision"]
        ).to_pydict()
        self.doc_keys = list(zip(docs["source"], docs["record_index"], strict=True))
        self.doc_group = _groups(docs["source_name"], docs["source"])
        self.doc_severity = docs["max_severity"]
        self.decision = dict(zip(self.doc_keys, docs["decision"], strict=True))
        f = audit.findings.select(
            [
                "source",
                "record_index",
                "detector",
                "finding_type",
                "severity",
                "sensitive",
                "start",
                "end",
            ]
        ).to_pydict()
        self.findings = [
            dict(zip(f, row, strict=True)) for row in zip(*f.values(), strict=True)
        ]
        self.sources = audit.sources.to_pylist()
        self.dead_letters = audit.dead_letters.select(
            ["source", "record_index", "stage"]
        ).to_pylist()
        counts = audit.run.get("counts") or {}
        self.records_read = counts.get("records_read")
        if not isinstance(self.records_read, int):
            self.records_read = sum(s["records"] for s in self.sources) or len(
                self.doc_keys
            )
        self.ran = {
            d.get("name") if isinstance(d, dict) else str(d)
            for d in audit.run.get("detectors") or []
        }

    def remediated(self, finding: dict[str, Any]) -> bool:
        """True when `apply` removes the finding: its record is dropped, or redacted
        and the finding is a span that redaction masks."""
        decision = self.decision.get((finding["source"], finding["record_index"]))
        if decision == "drop":
            return True
        return (
            decision == "redact"
            and finding["detector"] in REDACTABLE_DETECTORS
            and finding["start"] is not None
            and finding["end"] is not None
        )


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.2f}%"


@dataclass(frozen=True)
class SourceRate:
    """One source's flagged rate and what the policy decides about it."""

    source: str  # its logical source (--source-field), else its input file
    n: int  # scanned records
    k: int  # of which flagged: a finding of severity >= min_severity
    decision: str  # pass | review | block
    bounds: Bounds  # one-sided Clopper-Pearson at the policy's confidence


def source_rates(
    groups: Iterable[str], severities: Iterable[str | None], params: dict[str, Any]
) -> list[SourceRate]:
    """The decision per source under the `source_flagged_rate` rule's parameters,
    from each scanned record's source and highest severity. The gate, the report and
    the audit's summary all take a source's decision from here."""
    min_rank = SEVERITY_RANK[params["min_severity"]]
    n_by: Counter[str] = Counter()
    k_by: Counter[str] = Counter()
    for group, severity in zip(groups, severities, strict=True):
        n_by[group] += 1
        if severity is not None and SEVERITY_RANK.get(severity, -1) >= min_rank:
            k_by[group] += 1
    rates = []
    for group in sorted(n_by):
        n, k = n_by[group], k_by[group]
        decision, b = three_way_decision(k, n, params["max_rate"], params["confidence"])
        rates.append(SourceRate(group, n, k, decision, b))
    return rates


def audit_source_rates(audit: AuditOutput, params: dict[str, Any]) -> list[SourceRate]:
    return documents_source_rates(audit.documents, params)


def documents_source_rates(
    documents: pa.Table, params: dict[str, Any]
) -> list[SourceRate]:
    """`source_rates` of a `documents` table."""
    docs = documents.select(["source", "source_name", "max_severity"])
    return source_rates(
        _groups(
            docs.column("source_name").to_pylist(), docs.column("source").to_pylist()
        ),
        docs.column("max_severity").to_pylist(),
        params,
    )


def _groups(names: list[str | None], sources: list[str]) -> list[str]:
    return [n if n is not None else s for n, s in zip(names, sources, strict=True)]


def rule_source_flagged_rate(
    facts: _Facts, p: dict[str, Any]
) -> tuple[RuleResult, list]:
    max_rate, confidence = p["max_rate"], p["confidence"]
    threshold = (
        f"one-sided {confidence:.0%} CP: upper <= {_pct(max_rate)} pass, "
        f"lower > {_pct(max_rate)} block"
    )
    rows = []
    decisions: Counter[str] = Counter()
    worst: tuple[float, str] = (-1.0, "")
    rates = source_rates(facts.doc_group, facts.doc_severity, p)
    for r in rates:
        group, n, k, decision, b = r.source, r.n, r.k, r.decision, r.bounds
        decisions[decision] += 1
        worst = max(worst, (b.upper, group))
        result = {"pass": "pass", "block": "fail", "review": p["on_review"]}[decision]
        rows.append(
            RuleResult(
                "source_flagged_rate",
                p["clause"],
                threshold,
                max_rate,
                k / n,
                f"{k}/{n} flagged = {_pct(k / n)} [{_pct(b.lower)}, {_pct(b.upper)}]",
                result,
                f"source {decision}",
                subject=group,
                n=n,
                k=k,
                lower=b.lower,
                upper=b.upper,
            )
        )
    results = {r.result for r in rows}
    result = (
        "fail" if "fail" in results else "review" if "review" in results else "pass"
    )
    summary = ", ".join(f"{decisions[d]} {d}" for d in ("pass", "review", "block"))
    text = f"{len(rows)} sources: {summary}"
    detail = (
        f"worst upper bound {_pct(worst[0])} ({worst[1]})"
        if rows
        else "no scanned records"
    )
    top = RuleResult(
        "source_flagged_rate",
        p["clause"],
        threshold,
        max_rate,
        worst[0] if rows else None,
        text,
        result,
        detail,
        n=sum(r.n for r in rates),
        k=sum(r.k for r in rates),
    )
    return top, rows


def rule_critical_findings(facts: _Facts, p: dict[str, Any]) -> tuple[RuleResult, list]:
    critical = [f for f in facts.findings if f["severity"] == "critical"]
    by_type = Counter(f["finding_type"] for f in critical)
    records = {(f["source"], f["record_index"]) for f in critical}
    detail = ", ".join(f"{t}: {c}" for t, c in by_type.most_common()) or "none"
    result = "pass" if len(critical) <= p["max_count"] else "fail"
    return RuleResult(
        "critical_findings",
        p["clause"],
        f"<= {p['max_count']} critical findings",
        float(p["max_count"]),
        float(len(critical)),
        f"{len(critical)} critical findings in {len(records)} records",
        result,
        detail,
        k=len(critical),
    ), []


def rule_sensitive_pi(facts: _Facts, p: dict[str, Any]) -> tuple[RuleResult, list]:
    consented = {
        s["source"] for s in facts.sources if (s.get("consent_record") or "").strip()
    }
    records = set()
    for f in facts.findings:
        if not f["sensitive"] or f["source"] in consented:
            continue
        if p["exclude_remediated"] and facts.remediated(f):
            continue
        records.add((f["source"], f["record_index"]))
    n = len(facts.doc_keys)
    rate = len(records) / n if n else 0.0
    result = "pass" if rate <= p["max_rate"] else "fail"
    what = "unremediated " if p["exclude_remediated"] else ""
    return RuleResult(
        "sensitive_pi_without_consent",
        p["clause"],
        f"<= {_pct(p['max_rate'])} of records",
        p["max_rate"],
        rate,
        f"{len(records)}/{n} records = {_pct(rate)}",
        result,
        f"records with {what}sensitive PI in sources without consent_record "
        f"({len(consented)} sources have one)",
        n=n,
        k=len(records),
    ), []


_TRACE_NEEDS = {
    "open_source": "license",
    "self_collected": "collection_record",
    "commercial": "license",
    "user_input": "consent_record",
}


def rule_source_traceability(
    facts: _Facts, p: dict[str, Any]
) -> tuple[RuleResult, list]:
    rows = []
    for s in facts.sources:
        acquisition = s.get("acquisition")
        if acquisition is None:
            if p["require_acquisition"]:
                problem = "no acquisition type in its provenance"
            else:
                continue
        else:
            needed = _TRACE_NEEDS.get(acquisition)
            if needed is None or (s.get(needed) or "").strip():
                continue
            problem = f"{acquisition} source without {needed}"
        rows.append(
            RuleResult(
                "source_traceability",
                p["clause"],
                "every source traceable",
                0.0,
                1.0,
                problem,
                "fail",
                problem,
                subject=s["source"],
            )
        )
    unknown = sum(1 for s in facts.sources if s.get("acquisition") is None)
    result = "fail" if rows else "pass"
    return RuleResult(
        "source_traceability",
        p["clause"],
        "0 untraceable sources",
        0.0,
        float(len(rows)),
        f"{len(rows)}/{len(facts.sources)} sources untraceable",
        result,
        f"{unknown} sources declare no acquisition type"
        + ("" if p["require_acquisition"] else " (not required)"),
        n=len(facts.sources),
        k=len(rows),
    ), rows


def rule_technical_check(facts: _Facts, p: dict[str, Any]) -> tuple[RuleResult, list]:
    listed = set(p["detectors"])
    ran = listed & facts.ran
    threshold = (
        f"coverage >= {_pct(p['min_coverage'])}, pass >= {_pct(p['min_pass_rate'])}"
    )
    if not ran:
        return RuleResult(
            "technical_check",
            p["clause"],
            threshold,
            p["min_pass_rate"],
            None,
            "no keyword/classifier detector ran",
            "fail",
            f"none of {', '.join(sorted(listed))} is in run.json detectors",
            n=0,
            k=0,
        ), []
    failed_scan = {
        (d["source"], d["record_index"])
        for d in facts.dead_letters
        if d["stage"].removeprefix("scan:") in ran and d["stage"].startswith("scan:")
    }
    covered = [key for key in facts.doc_keys if key not in failed_scan]
    coverage = len(covered) / facts.records_read if facts.records_read else 0.0
    min_rank = SEVERITY_RANK[p["min_severity"]]
    failing = set()
    for f in facts.findings:
        if f["detector"] not in ran or SEVERITY_RANK.get(f["severity"], -1) < min_rank:
            continue
        if p["after_remediation"] and facts.remediated(f):
            continue
        failing.add((f["source"], f["record_index"]))
    considered = [
        key
        for key in covered
        if not (p["after_remediation"] and facts.decision.get(key) == "drop")
    ]
    n = len(considered)
    k = sum(1 for key in considered if key in failing)
    pass_rate = (n - k) / n if n else 0.0
    b = clopper_pearson(n - k, n)
    ok = coverage >= p["min_coverage"] and n > 0 and pass_rate >= p["min_pass_rate"]
    return RuleResult(
        "technical_check",
        p["clause"],
        threshold,
        p["min_pass_rate"],
        pass_rate,
        f"coverage {_pct(coverage)} ({len(covered)}/{facts.records_read}), "
        f"pass {_pct(pass_rate)} ({n - k}/{n}, lower bound {_pct(b.lower)})",
        "pass" if ok else "fail",
        f"detectors {', '.join(sorted(ran))}; failing = severity >= {p['min_severity']}"
        + (" left after apply" if p["after_remediation"] else ""),
        n=n,
        k=k,
        lower=b.lower,
        upper=b.upper,
    ), []


def rule_manual_check(facts: _Facts, p: dict[str, Any]) -> tuple[RuleResult, list]:
    from corpusgate.pipelines.release.review import load_verdicts

    # GB/T 45654 asks for min_reviewed random records; a release corpus smaller than
    # that is checked whole.
    released = sum(1 for d in facts.decision.values() if d != "drop")
    required = min(p["min_reviewed"], released)
    whole = " (the whole release corpus)" if required < p["min_reviewed"] else ""
    threshold = f">= {required} reviewed{whole}, pass >= {_pct(p['min_pass_rate'])}"
    verdicts = load_verdicts(facts.audit)
    if verdicts is None:
        return RuleResult(
            "manual_check",
            p["clause"],
            threshold,
            p["min_pass_rate"],
            None,
            "no verdicts",
            "pending",
            "run `corpusgate sample`, then `corpusgate review --verdicts FILE`",
        ), []
    n = len(verdicts)
    passed = sum(1 for v in verdicts if v == "pass")
    rate = passed / n if n else 0.0
    b = clopper_pearson(passed, n, p["confidence"])
    allowed = max_failures(required, p["min_pass_rate"])
    if n < required and n - passed > allowed:
        result = "fail"
        detail = f"{n - passed} failures already exceed the {allowed} allowed"
    elif n < required:
        result, detail = "pending", f"{required - n} more records to review"
    elif rate >= p["min_pass_rate"]:
        result, detail = "pass", f"{n - passed} failures"
    else:
        result, detail = "fail", f"pass rate below {_pct(p['min_pass_rate'])}"
    return RuleResult(
        "manual_check",
        p["clause"],
        threshold,
        p["min_pass_rate"],
        rate,
        f"{passed}/{n} pass = {_pct(rate)} (lower bound {_pct(b.lower)})",
        result,
        detail,
        n=n,
        k=n - passed,
        lower=b.lower,
        upper=b.upper,
    ), []


RULES = {
    "source_flagged_rate": rule_source_flagged_rate,
    "critical_findings": rule_critical_findings,
    "sensitive_pi_without_consent": rule_sensitive_pi,
    "source_traceability": rule_source_traceability,
    "technical_check": rule_technical_check,
    "manual_check": rule_manual_check,
}


def evaluate(audit: AuditOutput, policy: Policy) -> GateResult:
    facts = _Facts(audit)
    result = GateResult(
        audit.run_id, policy, [], [], datetime.now(UTC).isoformat(timespec="seconds")
    )
    for rule_id, params in policy.enabled_rules():
        top, subjects = RULES[rule_id](facts, params)
        result.rules.append(top)
        result.subjects.extend(subjects)
    return result


# --- output --------------------------------------------------------------------------


def write_outputs(gate: GateResult, audit: AuditOutput) -> None:
    outputs.write_bytes(
        audit.path("gate.json"),
        (json.dumps(gate.to_json(), indent=2, ensure_ascii=False) + "\n").encode(),
    )
    rows = []
    for r in gate.rules + gate.subjects:
        row = asdict(r)
        row.update(
            run_id=gate.run_id, policy=gate.policy.name, evaluated_at=gate.evaluated_at
        )
        rows.append(row)
    schema = arrow_schema(GATE)
    table = pa.Table.from_pylist(rows, schema=schema)
    outputs.write_parquet(audit.path("gate", "gate.parquet"), table)


def format_table(gate: GateResult, max_subjects: int = 20) -> str:
    header = ("RULE", "RESULT", "MEASURED", "THRESHOLD")
    body = [
        (r.rule_id, r.result.upper(), r.measured_text, r.threshold) for r in gate.rules
    ]
    widths = [max(len(row[i]) for row in [header, *body]) for i in range(4)]
    widths[2] = min(widths[2], 70)

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(
            cell.ljust(w) for cell, w in zip(row, widths, strict=True)
        ).rstrip()

    out = [f"corpusgate gate: run {gate.run_id}, policy {gate.policy.name!r}", ""]
    out += [line(header), line(tuple("-" * w for w in widths))]
    for r, row in zip(gate.rules, body, strict=True):
        out.append(line(row))
        out.append(f"    clause: {r.clause}")
        if r.detail:
            out.append(f"    {r.detail}")
    not_passing = [s for s in gate.subjects if s.result != "pass"]
    if not_passing:
        out += ["", "Sources not passing:"]
        for s in not_passing[:max_subjects]:
            out.append(
                f"  {s.result.upper():7} {s.rule_id}: {s.subject}: {s.measured_text}"
            )
        if len(not_passing) > max_subjects:
            out.append(f"  ... {len(not_passing) - max_subjects} more in gate.json")
    verdict = {
        "pass": "PASSED",
        "fail": "FAILED",
        "incomplete": "NOT FAILED (incomplete)",
    }
    out += ["", f"Gate {verdict[gate.result]}"]
    return "\n".join(out)


# --- command -------------------------------------------------------------------------


def gate(out: str, policy_path: str | None = None) -> GateResult:
    """Evaluates the policy (default: GB/T 45654-2025) on the audit in OUT and writes
    the gate's outputs there."""
    policy = load_policy(policy_path)
    audit = open_audit(out)
    result = evaluate(audit, policy)
    write_outputs(result, audit)
    return result
