"""A detector's version changes with its data files: the version written to findings
and run.json carries a hash of every file the detector ships under its data/ folder,
and the configuration fingerprint covers them too."""

import hashlib
import importlib
import sys
from pathlib import Path

import corpusgate.detectors as detectors_package
import pytest
from corpusgate.detectors import registry

DETECTORS_ROOT = Path(detectors_package.__file__).parent


def shipped_data_hash(data_dir: Path) -> str | None:
    """Computed here independently: names and bytes of every shipped data file."""
    files = sorted(
        p
        for p in data_dir.rglob("*")
        if p.is_file() and p.name != "__init__.py" and "__pycache__" not in p.parts
    )
    if not files:
        return None
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(data_dir).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


@pytest.mark.parametrize("name", registry.available())
def test_version_carries_the_hash_of_the_shipped_data_files(name):
    cls = registry.get(name)
    data_dir = Path(sys.modules[cls.__module__].__file__).parent / "data"
    expected = shipped_data_hash(data_dir) if data_dir.is_dir() else None
    if expected is None:
        assert cls.version_id() == cls.version
    else:
        assert cls.version_id() == f"{cls.version}+data.{expected[:8]}"


def test_every_shipped_data_file_belongs_to_a_detector():
    claimed = {p for n in registry.available() for p in registry.get(n).data_files()}
    shipped = {
        p
        for p in DETECTORS_ROOT.rglob("data/*")
        if p.is_file() and p.name != "__init__.py"
    }
    assert shipped <= claimed, sorted(str(p) for p in shipped - claimed)


DETECTOR_MODULE = """
from typing import ClassVar
from corpusgate.detectors.base import RecordDetector

class Tiny(RecordDetector):
    name: ClassVar[str] = "tiny"
    version: ClassVar[str] = "2.1.0"
"""


def load_tiny(root: Path, module: str):
    sys.path.insert(0, str(root))
    try:
        return importlib.import_module(module).Tiny
    finally:
        sys.path.remove(str(root))


def test_editing_a_data_file_changes_version_and_fingerprint(tmp_path):
    for i, words in enumerate((b"alpha\nbeta\n", b"alpha\nbeta\ngamma\n")):
        package = tmp_path / f"pkg{i}"
        (package / "data").mkdir(parents=True)
        (package / "__init__.py").write_text("")
        (package / "tiny.py").write_text(DETECTOR_MODULE)
        (package / "data" / "words.txt").write_bytes(words)
    before = load_tiny(tmp_path, "pkg0.tiny")
    after = load_tiny(tmp_path, "pkg1.tiny")
    assert before.version_id().startswith("2.1.0+data.")
    assert before.version_id() != after.version_id()
    assert before.config_fingerprint({}) != after.config_fingerprint({})
    assert before.config_fingerprint({"a": 1}) != before.config_fingerprint({})
