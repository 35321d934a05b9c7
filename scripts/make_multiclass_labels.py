"""A multiclass label-noise set with a known noise matrix, for bench_poison_labels.py.

    .venv/bin/python scripts/make_multiclass_labels.py [--realsets DIR]
        [--out /tmp/corpusgate-multiclass/agnews_noisy] [--noise 0.1] [--seed 0]
        [--venvs /tmp/corpusgate-bench-venvs]

The AG News descriptions of `realsets/en_web` (four topics: World, Sports, Business,
Sci/Tech; the class is in `provenance.jsonl.gz`) get noisy labels from cleanlab's
noise generator (`generate_noise_matrix_from_trace` with trace = K x (1 - noise), then
`generate_noisy_labels`), run in the benchmark's cleanlab virtual environment. Writes
`corpus.jsonl` (`id`, `text`, noisy `label`), `truth.jsonl` (`doc_id`, `is_error`) and
`noise_matrix.json` (P(noisy label | true label), columns = true label) to `--out`,
outside the repository: evaluation data is never committed.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

# The same cleanlab virtualenv as the benchmark (this script's folder is on sys.path).
from bench_poison_labels import cleanlab_python

REPO = Path(__file__).resolve().parent.parent
REALSETS = REPO.parent / "shared" / "realsets"
TOPICS = {"1": "world", "2": "sports", "3": "business", "4": "scitech"}

NOISE_SNIPPET = """
import json, sys
import numpy as np
from cleanlab.benchmarking.noise_generation import (
    generate_noise_matrix_from_trace, generate_noisy_labels)
y = np.array(json.load(open(sys.argv[1])))
k = int(y.max()) + 1
noise, seed = float(sys.argv[2]), int(sys.argv[3])
py = np.bincount(y, minlength=k) / len(y)
nm = generate_noise_matrix_from_trace(
    k, trace=k * (1 - noise), py=py, valid_noise_matrix=True, seed=seed)
np.random.seed(seed)
s = generate_noisy_labels(y, nm)
json.dump({"noisy": [int(v) for v in s], "matrix": nm.tolist()}, open(sys.argv[4], "w"))
"""


def agnews(realsets: Path) -> list[tuple[str, str, str]]:
    """(id, text, topic) of the AG News records of en_web."""
    base = realsets / "en_web"
    with gzip.open(base / "provenance.jsonl.gz", "rt", encoding="utf-8") as f:
        topic = {}
        for line in f:
            p = json.loads(line)
            m = re.search(r"class=(\d)", p.get("src_id", ""))
            if p["source"].startswith("AG News") and m:
                topic[p["id"]] = TOPICS[m.group(1)]
    with gzip.open(base / "corpus.jsonl.gz", "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    return [(r["id"], r["text"], topic[r["id"]]) for r in rows if r["id"] in topic]


def make(out: Path, realsets: Path, noise: float, seed: int, venvs: Path) -> Path:
    rows = agnews(realsets)
    classes = sorted({t for _, _, t in rows})
    y = [classes.index(t) for _, _, t in rows]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "y.json").write_text(json.dumps(y))
        (tmp / "noise.py").write_text(NOISE_SNIPPET)
        subprocess.run(
            [
                str(cleanlab_python(venvs)),
                str(tmp / "noise.py"),
                str(tmp / "y.json"),
                str(noise),
                str(seed),
                str(tmp / "noisy.json"),
            ],
            check=True,
        )
        result = json.loads((tmp / "noisy.json").read_text())
    out.mkdir(parents=True, exist_ok=True)
    with (
        open(out / "corpus.jsonl", "w", encoding="utf-8") as c,
        open(out / "truth.jsonl", "w", encoding="utf-8") as t,
    ):
        for (doc_id, text, _), true, noisy in zip(
            rows, y, result["noisy"], strict=True
        ):
            c.write(
                json.dumps(
                    {"id": doc_id, "text": text, "label": classes[noisy]},
                    ensure_ascii=False,
                )
                + "\n"
            )
            t.write(json.dumps({"doc_id": doc_id, "is_error": noisy != true}) + "\n")
    (out / "noise_matrix.json").write_text(
        json.dumps(
            {
                "classes": classes,
                "noise": noise,
                "seed": seed,
                "p_noisy_given_true": result["matrix"],
            },
            indent=1,
        )
    )
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--realsets", default=str(REALSETS), metavar="DIR")
    ap.add_argument("--out", default="/tmp/corpusgate-multiclass/agnews_noisy")
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--venvs",
        default=os.environ.get("CG_BENCH_VENVS", "/tmp/corpusgate-bench-venvs"),
    )
    args = ap.parse_args()
    out = make(
        Path(args.out), Path(args.realsets), args.noise, args.seed, Path(args.venvs)
    )
    n = sum(
        json.loads(line)["is_error"]
        for line in open(out / "truth.jsonl", encoding="utf-8")
    )
    print(f"{out}: {n} flipped labels")
    return 0


if __name__ == "__main__":
    sys.exit(main())
