"""`corpusgate card OUT`: a Croissant 1.1 data card with RAI fields, validated by the
Croissant reference library (mlcroissant) when it is installed (CLI in, file out)."""

import json

import pytest
from corpusgate.pipelines import cli

SECRET_LINE = 'deploy with password = "Zq8!mNp4Lw" today'


def test_card_from_an_audit(tmp_path, capsys):
    d = tmp_path / "in"
    d.mkdir()
    rows = [{"text": f"clean review {i}"} for i in range(8)] + [{"text": SECRET_LINE}]
    (d / "a.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows) + "{bad\n")
    (d / "a.jsonl.provenance.json").write_text(
        json.dumps(
            {"source_id": "shop", "acquisition": "user_input", "license": "CC-BY-4.0"}
        )
    )
    out = tmp_path / "out"
    argv = ["audit", str(d), "--out", str(out), "--detectors", "secrets,pii", "-q"]
    assert cli.main(argv) == 0
    assert cli.main(["card", str(out)]) == 0  # before any gate too
    assert cli.main(["gate", str(out)]) in (0, 1)
    assert cli.main(["card", str(out), "--name", "shop reviews"]) == 0
    card = json.loads((out / "croissant.json").read_text())
    assert card["conformsTo"] == "http://mlcommons.org/croissant/1.1"
    assert card["name"] == "shop reviews" and card["license"] == ["CC-BY-4.0"]
    [file] = card["distribution"]
    assert file["name"] == "a.jsonl" and len(file["sha256"]) == 64
    assert "user input" in card["rai:dataCollection"]
    assert "1 record(s) could not be read" in card["rai:dataCollectionMissingData"]
    assert "Release gate" in card["rai:dataLimitations"]
    assert "SECRET_PASSWORD_ASSIGNMENT" in card["rai:dataLimitations"]
    assert "personal information" in card["rai:personalSensitiveInformation"]
    assert "Zq8!mNp4Lw" not in (out / "croissant.json").read_text()

    mlc = pytest.importorskip("mlcroissant")
    dataset = mlc.Dataset(jsonld=out / "croissant.json")  # raises on errors
    assert dataset.metadata.name == "shop reviews"
    assert not dataset.metadata.ctx.issues.errors
