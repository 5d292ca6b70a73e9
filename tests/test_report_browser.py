"""The HTML report in a real browser (Debian's headless Chromium, offline): it renders with no
console message, a screenshot is written, it prints on A4, and names holding ``<script>`` or
``<img onerror>`` run nothing: each would set the page title to a marker, and a control page
proves the marker works. Mermaid output is also rendered by the real Mermaid library when it is
installed (``npm install mermaid``; set DATAFLYT_MERMAID_JS to its ``dist/mermaid.min.js``)."""

from __future__ import annotations

import html
import os
import re
import struct
import subprocess
from pathlib import Path

import pytest

from dataflyt.diagrams.formats import DiagramFormat, ReportFormat
from dataflyt.diagrams.report import build_report
from dataflyt.diagrams.report_render import render_report
from dataflyt.diagrams.scope import Scope, ScopeKind, scope_of
from dataflyt.graph.embedded_store import EmbeddedStore
from tests.browser import CHROMIUM, chromium
from tests.regenerate_golden import HOSTILE, golden_text, hostile_store
from tests.shared_maps import SUPPORT, load_no_places, load_zendesk_twice

MARKER = "PWNED"
ROOT = Path(__file__).resolve().parents[1]
MERMAID_JS = Path(
    os.environ.get("DATAFLYT_MERMAID_JS", ROOT / "node_modules/mermaid/dist/mermaid.min.js")
)


@pytest.fixture(autouse=True)
def _browser_installed() -> None:
    """Fail (never skip) when Chromium is missing: ``make test`` installs it."""
    if CHROMIUM is None:
        pytest.fail("needs Debian's chromium: run scripts/setup-system (make test does)")


def console(run: subprocess.CompletedProcess[str]) -> list[str]:
    """Return the console messages the page logged (errors, CSP violations, ...)."""
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line]


def title(dom: str) -> str:
    found = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    assert found is not None
    return html.unescape(found.group(1))


def write_report(store: EmbeddedStore, scope: Scope, path: Path) -> Path:
    path.write_text(render_report(build_report(store, scope), ReportFormat.HTML), "utf-8")
    return path


def test_marker_and_console_capture_work(tmp_path: Path) -> None:
    page = tmp_path / "control.html"
    page.write_text(
        "<!DOCTYPE html><title>clean</title><script>console.error('seen');"
        f"document.title='{MARKER}-script'</script>"
        f"<img src=missing.png onerror=\"document.title='{MARKER}-img'\">",
        "utf-8",
    )
    run = chromium(tmp_path, page, "--dump-dom")
    assert title(run.stdout) == f"{MARKER}-img"
    assert any("seen" in line for line in console(run))


def test_seed_report_renders_cleanly(seed_store: EmbeddedStore, tmp_path: Path) -> None:
    page = write_report(seed_store, scope_of(service="Mobilt Opptak"), tmp_path / "dpia.html")
    run = chromium(tmp_path, page, "--dump-dom")
    assert console(run) == []
    assert title(run.stdout) == "DPIA report: Mobilt Opptak (MVR)"
    assert "Touch Technology AS" in run.stdout and "<svg" in run.stdout
    shot = tmp_path / "shot.png"
    chromium(tmp_path, page, f"--screenshot={shot}", "--window-size=1240,1754")
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and struct.unpack(">II", data[16:24]) == (1240, 1754)
    assert len(data) > 50_000  # a blank page compresses to a few kilobytes


def test_report_of_shared_sub_processors_and_silences_renders_cleanly(
    embedded_store: EmbeddedStore, tmp_path: Path
) -> None:
    store = load_no_places(load_zendesk_twice(embedded_store))
    page = write_report(store, scope_of(everything=True), tmp_path / "dpia.html")
    run = chromium(tmp_path, page, "--dump-dom")
    assert console(run) == []
    shown = html.unescape(re.sub(r"<[^>]+>", " ", run.stdout))
    for text in (
        "for GitHub",
        f"for {SUPPORT}",
        "Location not stated",
        "not stated: all of the service's categories assumed",
        "No document states where Mailgun Technologies, Inc. processes the data of Kvitre Mail",
    ):
        assert text in shown


def test_report_prints_on_a4(seed_store: EmbeddedStore, tmp_path: Path) -> None:
    page = write_report(seed_store, scope_of(everything=True), tmp_path / "dpia.html")
    pdf = tmp_path / "dpia.pdf"
    chromium(tmp_path, page, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf.read_bytes())
    assert len(boxes) > 5  # attention, diagram, then one page per service
    for width, height in boxes:
        assert abs(float(width) - 595.3) < 1 and abs(float(height) - 841.9) < 1  # A4 in points


@pytest.mark.parametrize("keep_policy", [True, False], ids=["as written", "without its CSP"])
def test_hostile_names_run_no_script(tmp_path: Path, keep_policy: bool) -> None:
    text = render_report(
        build_report(hostile_store(tmp_path), scope_of(everything=True)), ReportFormat.HTML
    )
    if not keep_policy:  # escaping alone must hold, not just the Content-Security-Policy
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    page = tmp_path / "hostile.html"
    page.write_text(text, "utf-8")
    run = chromium(tmp_path, page, "--dump-dom")
    assert title(run.stdout) == "DPIA report: All services"
    assert MARKER not in title(run.stdout)
    assert not re.search(r"<(script|img|iframe)\b", run.stdout, re.IGNORECASE)
    assert console(run) == []
    shown = html.unescape(re.sub(r"<[^>]+>", "", run.stdout))
    for name in HOSTILE.values():
        assert name in shown


@pytest.mark.parametrize("case", ["seed", "hostile"])
def test_real_mermaid_renders_the_flowchart(
    seed_store: EmbeddedStore, tmp_path: Path, case: str
) -> None:
    if not MERMAID_JS.exists():
        pytest.fail(f"Mermaid is not installed at {MERMAID_JS}: run scripts/setup-system")
    store = hostile_store(tmp_path) if case == "hostile" else seed_store
    source = golden_text(store, Scope(kind=ScopeKind.ALL), DiagramFormat.MMD)
    page = tmp_path / "mermaid.html"
    page.write_text(
        f'<!DOCTYPE html><meta charset="utf-8"><title>waiting</title>'
        f'<script src="{MERMAID_JS.as_uri()}"></script>'
        f'<pre id="src">{html.escape(source)}</pre><div id="out"></div><script>'
        "mermaid.initialize({startOnLoad: false, securityLevel: 'strict'});"
        "mermaid.render('d', document.getElementById('src').textContent)"
        ".then(r => { document.getElementById('out').innerHTML = r.svg; "
        "document.title = 'drawn'; }).catch(e => { document.title = 'failed: ' + e; });</script>",
        "utf-8",
    )
    run = chromium(tmp_path, page, "--allow-file-access-from-files", "--dump-dom")
    assert title(run.stdout) == "drawn"
    drawn = run.stdout[run.stdout.index('<div id="out">') : run.stdout.rindex("<script>")]
    assert not re.search(r"<(script|img)\b", drawn, re.IGNORECASE)
    shown = html.unescape(re.sub(r"<[^>]+>", "", drawn))
    for name in HOSTILE.values() if case == "hostile" else ["Touch Technology AS"]:
        assert name in shown
