"""The user documentation stays true to the code: generated pages are current, links
resolve, every detector has its page, and the README stays a README."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from corpusgate.detectors import registry

from tests.support.scripts import load_script

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
USER_DOCS = [REPO / "README.md", *sorted(DOCS.rglob("*.md"))]
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def _gen_docs():
    return load_script("gen_docs")


@pytest.mark.parametrize("page", ["tables.md", "cli.md", "options.md"])
def test_generated_page_is_current(page):
    generated = _gen_docs().PAGES[page]()
    committed = (DOCS / page).read_text(encoding="utf-8")
    assert committed == generated, (
        f"docs/{page} is out of date: run `.venv/bin/python scripts/gen_docs.py`"
    )


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_relative_links_resolve(path):
    text = path.read_text(encoding="utf-8")
    broken = []
    for target in _LINK.findall(text):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file_part = target.split("#", 1)[0]
        if not (path.parent / file_part).exists():
            broken.append(target)
    assert not broken, f"{path.name}: links to missing files {broken}"


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_user_docs_describe_the_software_not_its_history(path):
    text = path.read_text(encoding="utf-8")
    # The specification and the evaluation data are not part of a user's checkout:
    # nothing links there, and the spec is never cited.
    assert "](../shared" not in text and "](../../shared" not in text
    assert "shared/spec" not in text
    assert not re.search(r"standards\.md §|contract §", text)
    for phrase in ("session", "this round", "before this round", "tried and not kept"):
        assert phrase not in text.lower(), f"{path.name} narrates history: {phrase!r}"


def test_every_detector_has_a_page_linked_from_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in registry.available():
        assert (DOCS / "detectors" / f"{name}.md").exists(), name
        assert f"docs/detectors/{name}.md" in readme, name


def test_readme_stays_short():
    lines = (REPO / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 300, f"README.md has {lines} lines; move detail to docs/"


_CODE_PATH = re.compile(r"`((?:pipelines|detectors|schemas|scripts|tests)/[^`\s]*)`")


@pytest.mark.parametrize("path", USER_DOCS, ids=lambda p: str(p.relative_to(REPO)))
def test_paths_named_in_docs_exist(path):
    text = path.read_text(encoding="utf-8")
    missing = [
        p
        for p in _CODE_PATH.findall(text)
        # `module.py:name` names something inside a file: the file must exist.
        if not any(c in p for c in "<*{")
        and not (REPO / p.split(":", 1)[0].rstrip("/")).exists()
    ]
    assert not missing, f"{path.name} names files that do not exist: {missing}"
