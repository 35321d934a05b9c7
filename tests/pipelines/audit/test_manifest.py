"""run.json provenance: the installed versions of the actual runtime dependencies."""

import tomllib
from pathlib import Path

import corpusgate.pipelines as pipelines
from corpusgate.pipelines.audit.manifest import runtime_dependencies

PYPROJECT = Path(pipelines.__file__).resolve().parent.parent / "pyproject.toml"


def _name(requirement: str) -> str:
    for i, ch in enumerate(requirement):
        if not (ch.isalnum() or ch in "._-"):
            return requirement[:i]
    return requirement


def test_dependencies_are_the_declared_runtime_ones():
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    names = {_name(r).lower() for r in declared}
    assert {n.lower() for n in runtime_dependencies()} == names
    assert "pytest" not in names  # dev extras are not runtime dependencies
