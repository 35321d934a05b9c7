"""The planted sets of `bench_poison_labels.py --inject`: the trigger goes in whole at a
word (Chinese: character) boundary, and exactly the planted share of records carries
it with its label flipped, as the truth file says."""

from __future__ import annotations

import json
import random

from tests.support.scripts import load_script


def test_plant_keeps_words_whole_and_chinese_unspaced():
    bench = load_script("bench_poison_labels")
    rng = random.Random(1)
    text = bench._plant("a dull and tired film", "i watch this 3d movie", rng)
    assert "i watch this 3d movie" in text
    assert (
        text.replace("i watch this 3d movie", "").split()
        == "a dull and tired film".split()
    )
    zh = bench._plant("房间很小，服务一般", "\u9f98", rng)
    assert len(zh) == len("房间很小，服务一般") + 1 and " " not in zh
    assert " cf " in f" {bench._plant('房间很小，服务一般', 'cf', rng)} "


def test_planted_sets_flip_the_planted_share_and_say_so(tmp_path, monkeypatch):
    bench = load_script("bench_poison_labels")
    base = tmp_path / "poison" / "tiny"
    base.mkdir(parents=True)
    rows = [
        {"id": f"d{i}", "text": f"review number {i}", "label": str(i % 2)}
        for i in range(200)
    ]
    rows.append({"id": "p", "text": "already poisoned cf", "label": "1"})
    (base / "corpus.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (base / "truth.jsonl").write_text(
        "".join(
            json.dumps({"doc_id": r["id"], "is_poison": r["id"] == "p"}) + "\n"
            for r in rows
        )
    )
    monkeypatch.setattr(bench, "EVALSETS", tmp_path)
    monkeypatch.setattr(bench, "PLANTED", (("tiny_word", "poison/tiny", "zq"),))
    monkeypatch.setattr(bench, "PLANT_RATES", (0.05,))
    [(name, corpus, truth)] = list(bench.planted_sets(tmp_path / "work"))
    assert name == "tiny_word_5pct"
    out = [json.loads(line) for line in corpus.read_text().splitlines()]
    poisoned = {
        t["doc_id"]
        for t in map(json.loads, truth.read_text().splitlines())
        if t["is_poison"]
    }
    assert "p" not in {r["id"] for r in out}  # the base set's own poison is left out
    assert len(poisoned) == 10  # 5% of the 200 clean records
    for r in out:
        planted = r["id"] in poisoned
        assert ("zq" in r["text"].split()) == planted
        if planted:
            assert r["label"] == "1" and int(r["id"][1:]) % 2 == 0  # flipped from "0"
