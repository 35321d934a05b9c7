"""What importing the pii detector costs: the launching process reads its options only."""

from __future__ import annotations

import subprocess
import sys

from corpusgate.detectors.pii import PiiDetector
from corpusgate.detectors.pii.international import predefined_entities


def test_reading_the_options_imports_neither_presidio_nor_spacy():
    code = (
        "import sys\n"
        "from corpusgate.detectors.pii import PiiDetector\n"
        "PiiDetector.version_id()\n"
        "PiiDetector.config_fingerprint(PiiDetector.DEFAULTS)\n"
        "loaded = {m.split('.')[0] for m in sys.modules}\n"
        "print(sorted(loaded & {'presidio_analyzer', 'spacy'}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_finding_types_list_every_predefined_type():
    types = PiiDetector.finding_types
    assert isinstance(types, tuple) and len(set(types)) == len(types)
    assert set(predefined_entities()) <= set(types)
    assert {"PERSON", "CN_RESIDENT_ID", "HEALTH_INFO"} <= set(types)
