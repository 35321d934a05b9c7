"""`report`: one self-contained HTML file, parsed, and rendered by headless Chromium."""

import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from corpusgate.pipelines import cli
from corpusgate.pipelines.release import report  # noqa: E402

from tests.support.audit_factory import doc, finding, many_docs, source_row, write_audit  # noqa: E402

HOSTILE = '<script>alert("x")</script>'


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []  # (tag, attrs)
        self.sections = []
        self.text = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "section":
            self.sections.append(attrs.get("id"))

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def audit_root(tmp_path):
    a, b = "/data/a.jsonl", "/data/b.jsonl"
    docs = many_docs(a, 80) + many_docs(b, 30, flagged=10)
    docs[1] = doc(a, 1, decision="redact", max_severity="medium")
    docs[2] = doc(a, 2, decision="drop", max_severity="critical")
    findings = [
        finding(
            a, 1, "pii", "EMAIL_ADDRESS", "medium", 0, 5, evidence="z***@example.com"
        ),
        finding(
            a, 1, "pii", "CN_MOBILE_PHONE", "medium", 9, 20, evidence="138****5678"
        ),
        finding(
            a, 2, "cbrn", "CBRN_CHEMICAL", "critical", score=0.97, evidence=HOSTILE
        ),
    ] + [
        finding(b, i, "secrets", "SECRET_AWS_ACCESS_KEY", "high", 0, 20, score=i / 10)
        for i in range(10)
    ]
    sources = [
        source_row(
            a, 82, dead_letters=2, acquisition="open_source", license="CC-BY-4.0"
        ),
        source_row(b, 30, flagged=10),
    ]
    dead = [
        {
            "run_id": "run-test",
            "source": a,
            "record_index": 80 + i,
            "stage": "read",
            "error_type": "JSONDecodeError",
            "message": "not valid JSON",
            "raw_excerpt": "{**",
        }
        for i in range(2)
    ]
    return write_audit(tmp_path / "out", docs, findings, sources, dead)


def test_report_structure(audit_root, capsys):
    assert cli.main(["report", str(audit_root)]) == 0
    html = (audit_root / "report.html").read_text(encoding="utf-8")
    parser = Collector()
    parser.feed(html)
    assert parser.sections == [
        "gate",
        "summary",
        "findings",
        "charts",
        "sources",
        "review",
        "top-documents",
        "examples",
        "dead-letters",
        "provenance",
        "documents",
    ]
    text = " ".join(parser.text)
    assert "FAIL" in text  # a critical finding and a blocked source
    for rule_id in ("source_flagged_rate", "critical_findings", "manual_check"):
        assert rule_id in text
    for kind in (
        "EMAIL_ADDRESS",
        "CN_MOBILE_PHONE",
        "CBRN_CHEMICAL",
        "SECRET_AWS_ACCESS_KEY",
    ):
        assert kind in text
    assert "138****5678" in text and "JSONDecodeError" in text
    assert "CC-BY-4.0" in text and "/data/b.jsonl" in text
    svgs = [t for t, _ in parser.tags if t == "svg"]
    assert len(svgs) >= 4
    # the hostile evidence is text, never markup
    assert HOSTILE in text
    assert not any(t == "script" for t, _ in parser.tags)


def test_report_uses_the_policy_of_the_last_gate_run(audit_root, tmp_path):

    policy = tmp_path / "lenient.toml"
    policy.write_text(
        'name = "lenient"\n[rules.source_flagged_rate]\nenabled = false\n'
        "[rules.critical_findings]\nmax_count = 5\n"
    )
    cli.main(["gate", str(audit_root), "--policy", str(policy)])
    assert cli.main(["report", str(audit_root)]) == 0
    parser = Collector()
    parser.feed((audit_root / "report.html").read_text(encoding="utf-8"))
    text = " ".join(parser.text)
    assert "lenient" in text and "source_flagged_rate" not in text.split("Summary")[0]


def test_report_is_self_contained(audit_root):
    cli.main(["report", str(audit_root)])
    parser = Collector()
    parser.feed((audit_root / "report.html").read_text(encoding="utf-8"))
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "iframe", "img", "object")
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert "://" not in value, (tag, name, value)
        assert "url(" not in (attrs.get("style") or "")


def test_bar_chart_escapes_and_scales():
    svg = report.bar_chart([("<b>", 10), ("x", 5), ("zero", 0)])
    assert "&lt;b&gt;" in svg and "<b>" not in svg
    assert svg.count("<rect") == 3
    assert 'width="0.0"' in svg  # a zero value draws no bar


def test_histogram_bins():
    svg = report.histogram([0.0, 0.05, 0.95, 1.0], bins=10)
    assert svg.count("<rect") == 10
    assert "0.0–0.1: 2" in svg and "0.9–1.0: 2" in svg


def test_report_of_unfinished_audit_is_exit_two(tmp_path, capsys):
    root = write_audit(tmp_path / "out", many_docs("/data/a.jsonl", 3), finish=False)
    assert cli.main(["report", str(root)]) == 2
    assert "run.json" in capsys.readouterr().err


def test_empty_audit_renders(tmp_path):
    root = write_audit(tmp_path / "out", [], sources=[])
    assert cli.main(["report", str(root)]) == 0
    assert "no data" in (root / "report.html").read_text(encoding="utf-8")


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="headless Chromium not installed (Debian: apt-get install chromium)",
)
def test_report_renders_in_headless_chromium(audit_root, tmp_path):
    from PIL import Image, ImageStat

    cli.main(["report", str(audit_root)])
    png = tmp_path / "shot.png"
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1280,1600",
        f"--screenshot={png}",
        (audit_root / "report.html").as_uri(),
    ]
    subprocess.run(command, capture_output=True, timeout=120, check=False)
    assert png.exists(), "chromium wrote no screenshot"
    image = Image.open(png).convert("RGB")
    assert image.size == (1280, 1600)
    stat = ImageStat.Stat(image)
    assert max(stat.stddev) > 20  # not a blank page
    colors = image.getcolors(maxcolors=1 << 20)
    assert colors is not None and len(colors) > 50
    # the red FAIL banner is drawn near the top
    top = image.crop((0, 0, 1280, 400))
    reds = sum(
        n for n, (r, g, b) in top.getcolors(1 << 20) if r > 180 and g < 80 and b < 80
    )
    assert reds > 1000
