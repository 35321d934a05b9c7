"""A labels audit of a corpus with three classes runs end to end (the pinned
scikit-learn's one-vs-rest liblinear solver refuses 3+ classes) and finds the
records whose label was flipped."""

import json
import random

import pyarrow.parquet as pq
from corpusgate.pipelines import cli

WORDS = {
    "sport": "goal match team coach league score season player".split(),
    "money": "stock market bank shares profit investor trade price".split(),
    "tech": "chip software laptop network device code cloud server".split(),
}
COMMON = "the a of and in on today new report says".split()


def test_multiclass_labels_audit(tmp_path):
    rng = random.Random(7)
    rows, flipped = [], set()
    for i in range(90):
        topic = list(WORDS)[i % 3]
        text = " ".join(rng.choices(WORDS[topic], k=6) + rng.choices(COMMON, k=4))
        label = topic
        if i % 30 == 7:  # three flipped labels
            label = list(WORDS)[(i + 1) % 3]
            flipped.add(f"r{i}")
        rows.append({"id": f"r{i}", "text": text, "label": label})
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    assert (
        cli.main(["audit", str(corpus), "--out", str(out), "--detectors", "labels"])
        == 0
    )
    findings = pq.read_table(out / "findings").to_pylist()
    suspects = {
        f["doc_id"]
        for f in findings
        if f["finding_type"] == "LABEL_SUSPECT" and f["score"] >= 0.5
    }
    assert flipped <= suspects
    assert len(suspects - flipped) <= 3, suspects
    details = [json.loads(f["details"]) for f in findings]
    assert all(len(d["probabilities"]) == 3 for d in details)
