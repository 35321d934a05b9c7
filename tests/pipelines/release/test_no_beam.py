"""The release tools read a finished audit; they never build a Beam pipeline.

They reach files only through `pipelines/outputs.py` and `pipelines/inputs.py` (Beam's
FileSystems, so remote audits open like local ones); no module of the package imports
Apache Beam itself or the audit job's and corpus detectors' pipeline code."""

import ast
from pathlib import Path

import corpusgate.pipelines.release as release
import pytest

MODULES = sorted(Path(release.__file__).parent.glob("*.py"))
FORBIDDEN = ("apache_beam", "corpusgate.pipelines.audit", "corpusgate.pipelines.corpus")


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_the_release_package_has_its_modules():
    names = {p.stem for p in MODULES}
    assert {"gate", "policy", "statistics", "sample", "review", "report", "apply"} <= (
        names
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_beam_import(path):
    bad = sorted(
        name
        for name in imported_modules(path)
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    )
    assert not bad, f"{path.name} imports {', '.join(bad)}"
