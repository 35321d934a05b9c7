"""Shared fixtures: an offline Beam test pipeline and a tiny corpus builder."""

import json
from pathlib import Path

import pytest
from apache_beam.runners.portability.fn_api_runner import FnApiRunner
from apache_beam.testing.test_pipeline import TestPipeline


@pytest.fixture
def test_pipeline():
    """A TestPipeline on the in-process FnApiRunner (Beam's DirectRunner would first
    try to download a Prism binary, and this machine has no network)."""

    def make():
        return TestPipeline(runner=FnApiRunner(), blocking=True)

    return make


@pytest.fixture
def write_jsonl():
    def write(path, records):
        path.write_text(
            "".join(
                (r if isinstance(r, str) else json.dumps(r, ensure_ascii=False)) + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
        return path

    return write


E2E_DIR = Path(__file__).parent / "e2e"


def pytest_collection_modifyitems(config, items):
    """Every test under tests/e2e/ runs whole audits: mark it `e2e`, so the inner loop
    (`make test-fast`, `-m "not e2e"`) can leave them out."""
    for item in items:
        if E2E_DIR in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


# Beam's in-process runner leaves gRPC threads behind; at interpreter shutdown they can
# abort the process ("terminate called without an active exception") after every test
# has passed and the summary is printed, turning a green run red. End pytest with its
# real exit status once its own work is done (the CLI does the same, see entrypoint()).
_EXIT_STATUS: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    _EXIT_STATUS.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _EXIT_STATUS and not hasattr(config, "workerinput"):
        import os
        import sys

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_EXIT_STATUS[-1])
