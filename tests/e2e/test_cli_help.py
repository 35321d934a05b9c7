"""--version and help texts (CLI in, text and exit codes out)."""

import subprocess
import sys

import pytest
from corpusgate.detectors import registry
from corpusgate.pipelines import cli


def corpusgate(*argv):
    return subprocess.run(
        [sys.executable, "-m", "corpusgate.pipelines.cli", *argv],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version():
    from importlib import metadata

    proc = corpusgate("--version")
    assert proc.returncode == 0
    assert proc.stdout.strip() == f"corpusgate {metadata.version('corpusgate')}"


def test_audit_help_describes_inputs_detectors_beam_and_exit_codes():
    proc = corpusgate("audit", "--help")
    assert proc.returncode == 0
    text = proc.stdout
    for needle in ("INPUT is a file, a directory", ".ndjson", ".parquet", ".txt"):
        assert needle in text
    for name in registry.available():
        assert f"\n  {name} " in text, name
    assert "Apache Beam" in text and "--runner" in text
    assert "exit codes: 0" in text and "3 the job failed" in text


@pytest.mark.parametrize("command", ["audit", "demo", *cli.RELEASE_COMMANDS])
def test_every_option_is_described(command):
    parser = cli.build_parser()
    [sub] = [a for a in parser._actions if a.dest == "command"]
    for action in sub.choices[command]._actions:
        assert action.help, f"{command} {action.option_strings or action.dest}"
