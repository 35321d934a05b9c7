"""`corpusgate card OUT`: the audit as a Croissant 1.1 data card (JSON-LD).

The card describes the audited corpus, not the audit tables: one `cr:FileObject` per
input file (name, format, size, SHA-256), and the Responsible-AI fields of the Croissant
RAI vocabulary filled from what the audit knows: how the data was collected (the
provenance sidecars), which personal and sensitive information it holds (the findings),
its limitations (dead letters, unscanned detectors, the gate result) and the decisions
a release would apply. Nothing in it quotes a record: only counts and types.
Written to OUT/croissant.json unless --dest says otherwise.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from corpusgate.pipelines import outputs
from corpusgate.pipelines.outputs import AuditOutput, open_audit

CARD_FILE = "croissant.json"

# The context every Croissant 1.1 file declares (croissant spec, section "Context").
CONTEXT: dict[str, Any] = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileProperty": "cr:fileProperty",
    "fileObject": "cr:fileObject",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}
CROISSANT = "http://mlcommons.org/croissant/1.1"
ENCODING = {
    "jsonl": "application/jsonlines",
    "parquet": "application/x-parquet",
    "avro": "application/avro",
    "text": "text/plain",
}
ACQUISITION_WORDS = {
    "open_source": "open-source data",
    "self_collected": "data the owner collected",
    "commercial": "commercially licensed data",
    "user_input": "user input",
}


def _file_name(uri: str) -> str:
    return uri.rsplit("/", 1)[-1]


def _count_phrase(counter: Counter[str], unit: str) -> str:
    return ", ".join(f"{k}: {n:,} {unit}" for k, n in counter.most_common())


def build_card(audit: AuditOutput, name: str | None = None) -> dict[str, Any]:
    run = audit.run
    sources = audit.sources.to_pylist()
    counts = run.get("counts") or {}
    findings = audit.findings.select(["detector", "finding_type", "sensitive"])
    rows = findings.to_pylist()
    docs = audit.documents.select(["decision", "language"]).to_pylist()

    distribution = []
    seen_ids: set[str] = set()
    for s in sorted(sources, key=lambda s: s["source"]):
        file_id = _file_name(s["source"])
        while file_id in seen_ids:  # the same name in two folders
            file_id = "_" + file_id
        seen_ids.add(file_id)
        entry = {
            "@type": "cr:FileObject",
            "@id": file_id,
            "name": file_id,
            "contentUrl": _file_name(s["source"]),
            "encodingFormat": ENCODING.get(s["format"], "application/octet-stream"),
            "contentSize": f"{s['bytes']} B",
            "sha256": s["file_sha256"],
        }
        if s.get("license"):
            entry["license"] = s["license"]
        distribution.append(entry)

    acquisition = Counter(
        ACQUISITION_WORDS.get(s["acquisition"], s["acquisition"])
        for s in sources
        if s.get("acquisition")
    )
    undocumented = sum(1 for s in sources if not s.get("provenance_complete"))
    n_sources = len({s["source_id"] or s["source"] for s in sources})
    declared = _count_phrase(acquisition, "file(s)") or "not declared"
    collection = (
        f"{len(sources)} file(s) from {n_sources} source(s). Acquisition: {declared}."
    )
    if undocumented:
        collection += (
            f" {undocumented} file(s) lack complete provenance "
            "(source_id, acquisition, license)."
        )

    personal = Counter(r["finding_type"] for r in rows if r["detector"] == "pii")
    sensitive = sum(1 for r in rows if r["detector"] == "pii" and r["sensitive"])
    pi_text = (
        f"corpusgate {run.get('corpusgate_version', '')} found personal information: "
        f"{_count_phrase(personal, 'finding(s)')}; {sensitive:,} of them sensitive."
        if personal
        else "corpusgate found no personal information"
        + ("." if "pii" in _detectors(run) else " (the pii detector did not run).")
    )

    decisions = Counter(d["decision"] for d in docs)
    limitations = [
        f"{counts.get('records_read', 0):,} records read, {counts.get('scanned', 0):,} "
        f"scanned, {counts.get('dead_lettered', 0):,} unreadable (dead letters).",
    ]
    if counts.get("findings_over_cap"):
        limitations.append(
            f"{counts['findings_over_cap']:,} findings over the per-record cap were "
            "counted, not stored."
        )
    gate = _gate(audit)
    if gate:
        limitations.append(
            f"Release gate ({gate['policy']}): {gate['result']}"
            + (
                f"; failing rules: {', '.join(gate['failing'])}."
                if gate["failing"]
                else "."
            )
        )
    else:
        limitations.append("The release gate has not been run on this audit.")
    other = Counter(
        f"{r['detector']} {r['finding_type']}" for r in rows if r["detector"] != "pii"
    )
    if other:
        limitations.append(
            f"Other findings (data risks): {_count_phrase(other, 'finding(s)')}."
        )
    languages = Counter(d["language"] for d in docs if d["language"])
    title = name or f"corpus audited by corpusgate (run {audit.run_id})"
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CROISSANT,
        "name": title,
        "description": (
            f"{counts.get('records_read', 0):,} records in {len(sources)} file(s), "
            f"audited by corpusgate run {audit.run_id} "
            f"on {run.get('finished_at', '')}. "
            f"Decisions: {_count_phrase(decisions, 'record(s)')}."
        ),
        "url": audit.root
        if "://" in audit.root
        else Path(audit.root).resolve().as_uri(),
        "identifier": f"corpusgate-run:{audit.run_id}",
        "dateCreated": run.get("finished_at", ""),
        "license": sorted({s["license"] for s in sources if s.get("license")})
        or "not declared",
        "inLanguage": [lang for lang, _ in languages.most_common()],
        "distribution": distribution,
        "rai:dataCollection": collection,
        "rai:dataCollectionType": sorted(acquisition) or ["not declared"],
        "rai:personalSensitiveInformation": pi_text,
        "rai:dataLimitations": " ".join(limitations),
        "rai:dataCollectionMissingData": (
            f"{counts.get('dead_lettered', 0):,} record(s) could not be read; they are "
            "listed with their reason in the audit's dead_letters table."
        ),
        "rai:dataReleaseMaintenancePlan": (
            "Records are released with `corpusgate apply`: "
            f"{decisions.get('drop', 0):,} to drop, {decisions.get('redact', 0):,} to "
            f"redact, {decisions.get('review', 0):,} held for review unless passed."
        ),
    }


def _detectors(run: dict[str, Any]) -> set[str]:
    return {d.get("name") for d in run.get("detectors") or [] if isinstance(d, dict)}


def _gate(audit: AuditOutput) -> dict[str, Any] | None:
    """The last gate result on this run (OUT/gate.json), if any."""
    try:
        data = json.loads(outputs.read_bytes(audit.path("gate.json")).decode("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("run_id") != audit.run_id:
        return None
    failing = [
        r.get("rule_id")
        for r in data.get("rules") or []
        if isinstance(r, dict) and r.get("result") == "fail"
    ]
    policy = data.get("policy")
    policy_name = policy.get("name") if isinstance(policy, dict) else policy
    return {"result": data.get("result"), "policy": policy_name, "failing": failing}


def card(out: str, name: str | None = None, dest: str | None = None) -> str:
    """Writes the Croissant card of the audit in OUT (to `dest`, else
    OUT/croissant.json); returns where."""
    audit = open_audit(out)
    data = build_card(audit, name)
    dest = dest or audit.path(CARD_FILE)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    outputs.write_bytes(dest, text.encode("utf-8"))
    return dest
