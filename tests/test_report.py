"""DPIA reports: what they say about the seed (attention points, tables, provenance), that the
HTML is one self-contained file and the Markdown renders literally whatever the names, and the
``report`` command."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.diagrams.formats import ReportFormat
from dataflyt.diagrams.processes import COLLAPSE_ABOVE
from dataflyt.diagrams.report import Report, build_report
from dataflyt.diagrams.report_render import md_text, render_report
from dataflyt.diagrams.scope import scope_of
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.synth import write_synthetic_map
from tests.regenerate_golden import HOSTILE, hostile_store


def attention(report: Report) -> list[tuple[str, str, int | None]]:
    return [(p.topic, p.subject, p.source.line if p.source else None) for p in report.attention]


def test_mobilt_opptak_report(seed_store: EmbeddedStore) -> None:
    report = build_report(seed_store, scope_of(service="Mobilt Opptak"))
    assert report.title == "Mobilt Opptak (MVR)"
    assert report.describes == "As of the latest version of each document."
    assert [(d.title, d.date) for d in report.documents] == [
        ("PHONERO TJENESTEBESKRIVELSE", "2021-03-15")
    ]
    touch = "Touch Technology AS (sub-processor of Mobilt Opptak (MVR))"
    assert [(p.topic, p.subject, p.text) for p in report.attention] == [
        (
            "Data not stated",
            touch,
            "The engaging document does not state which data categories Touch Technology AS "
            "receives: all of Mobilt Opptak (MVR)'s categories are assumed.",
        ),
        (
            "High-sensitivity data",
            "Mobilt Opptak (MVR)",
            "Call recordings: communications content, confidential under ePrivacy rules; "
            "check the legal basis and safeguards.",
        ),
        (
            "High-sensitivity data",
            "Mobilt Opptak (MVR)",
            "Message content: communications content, confidential under ePrivacy rules; "
            "check the legal basis and safeguards.",
        ),
        (
            "Purpose not stated",
            "Mobilt Opptak (MVR)",
            "No document states the purposes of Mobilt Opptak (MVR).",
        ),
        (
            "Purpose not stated",
            touch,
            "The engaging document does not state what Touch Technology AS does for Mobilt "
            "Opptak (MVR).",
        ),
    ]
    [section] = report.services
    assert (section.provider, section.role, section.purposes) == ("Phonero", "Processor", [])
    assert section.data_subjects == ["Employees"]
    assert [(r.name, r.relation, r.purpose, r.categories) for r in section.recipients] == [
        (
            "Phonero",
            "Provider: Processor",
            None,
            [c.name for c in section.categories],
        ),
        ("Touch Technology AS", "Sub-processor of Mobilt Opptak (MVR)", None, None),
    ]
    # the annex row's place is the sub-processor's too
    assert [[p.name for p in r.places] for r in section.recipients] == [["Norway"], ["Norway"]]
    assert [(p.name, p.standing.wording, p.exhaustive) for p in section.places] == [
        ("Norway", "Inside the EEA", True)
    ]
    recordings = next(c for c in section.categories if c.name == "Call recordings")
    assert (recordings.subjects, recordings.sensitivity) == (["Employees"], "high")
    assert recordings.source is not None
    assert (recordings.source.line, recordings.source.text) == (13, "Samtaleopptak")


def test_whole_map_attention_points(seed_store: EmbeddedStore) -> None:
    report = build_report(seed_store, scope_of(everything=True))
    found = attention(report)
    services = {
        "Analog Aksess (fastlinje tale)": 14,
        "ISDN aksess": 20,
        "Mobilt Opptak (MVR)": 13,
        "Phonero Bedriftsnett": 10,
        "Phonero Bedriftsnett Besøksregistrering": 11,
        "Phonero Bedriftsnett Kundetilfredshet og NPS": 12,
        "Phonero Bedriftsportal & Fakturakontroll": 23,
        "Phonero Link": 22,
        "Phonero nettbutikk Smart Mobilkjøp": 25,
        "Phonero SIP aksess": 21,
        "Supporthenvendelser via mail/Chat": 24,
    }
    engagements = {
        "Bluestone AS (sub-processor of Phonero nettbutikk Smart Mobilkjøp)": 25,
        "Link Mobility (sub-processor of Phonero Bedriftsnett Besøksregistrering)": 11,
        "Link Mobility (sub-processor of Phonero Bedriftsnett Kundetilfredshet og NPS)": 12,
        "Link Mobility (sub-processor of Phonero Bedriftsnett)": 10,
        "Telenor (sub-processor of Analog Aksess (fastlinje tale))": 14,
        "Telenor (sub-processor of ISDN aksess)": 20,
        "Touch Technology AS (sub-processor of Mobilt Opptak (MVR))": 13,
        "Zendesk (sub-processor of Supporthenvendelser via mail/Chat)": 24,
    }
    stated = {"Link Mobility", "Telenor"}  # the annex names a purpose for these
    assert found == sorted(
        [
            ("High-sensitivity data", "Mobilt Opptak (MVR)", 13),
            ("High-sensitivity data", "Mobilt Opptak (MVR)", 13),
            ("High-sensitivity data", "Supporthenvendelser via mail/Chat", 24),
            ("Independent controller", "Phonero Bedriftsportal & Fakturakontroll", 23),
            ("Location not exhaustive", "Analog Aksess (fastlinje tale)", 14),
            ("Location not exhaustive", "ISDN aksess", 20),
            (
                "Location not exhaustive",
                "Telenor (sub-processor of Analog Aksess (fastlinje tale))",
                14,
            ),
            ("Location not exhaustive", "Telenor (sub-processor of ISDN aksess)", 20),
            ("Open-ended category", "Phonero Bedriftsnett", 10),
            ("Open-ended category", "Supporthenvendelser via mail/Chat", 24),
            *(("Purpose not stated", name, line) for name, line in services.items()),
            *(("Data not stated", name, line) for name, line in engagements.items()),
            *(
                ("Purpose not stated", name, line)
                for name, line in engagements.items()
                if name.split(" (")[0] not in stated
            ),
        ],
        key=lambda p: (p[0], p[1].casefold()),
    )


def test_breach_report_flags_assumed_exposure(seed_store: EmbeddedStore) -> None:
    report = build_report(seed_store, scope_of(organisation="Link Mobility"))
    assert report.title == "Breach at Link Mobility"
    assert [s.name for s in report.services] == [
        "Phonero Bedriftsnett",
        "Phonero Bedriftsnett Besøksregistrering",
        "Phonero Bedriftsnett Kundetilfredshet og NPS",
    ]
    assumed = [p.subject for p in report.attention if p.topic == "Assumed exposure"]
    assert assumed == [s.name for s in report.services]


def test_html_is_one_self_contained_file(seed_store: EmbeddedStore) -> None:
    text = render_report(
        build_report(seed_store, scope_of(service="Mobilt Opptak")), ReportFormat.HTML
    )
    assert text.startswith("<!DOCTYPE html>")
    assert "default-src 'none'" in text  # the browser may fetch nothing
    assert "<svg" in text and "<style>" in text and "@page { size: A4" in text
    assert not re.search(r"<script|<link|<iframe|<img|\b(src|href)=", text, re.IGNORECASE)
    assert "Touch Technology AS" in text
    # provenance: document, date, line and the original wording
    assert "PHONERO TJENESTEBESKRIVELSE, 2021-03-15, line 13: <q>Samtaleopptak</q>" in text


def test_html_escapes_hostile_names(tmp_path: Path) -> None:
    text = render_report(
        build_report(hostile_store(tmp_path), scope_of(everything=True)), ReportFormat.HTML
    )
    assert "<script" not in text and "<img" not in text and "<b>x</b>" not in text
    shown = html.unescape(text)
    for name in HOSTILE.values():
        assert name in shown


def markdown_html(text: str) -> str:
    return MarkdownIt("commonmark").enable("table").render(text)


def test_markdown_report(seed_store: EmbeddedStore) -> None:
    text = render_report(
        build_report(seed_store, scope_of(service="Analog Aksess")), ReportFormat.MD
    )
    assert text.startswith("# DPIA data-flow report: Analog Aksess (fastlinje tale)\n")
    assert "```mermaid\nflowchart LR\n" in text
    rendered = markdown_html(text)
    assert rendered.count("<table>") == 4  # attention, categories, recipients, places
    assert "<td>Location not exhaustive</td>" in rendered
    assert "<td>Telenor</td>\n<td>Sub-processor of Analog Aksess (fastlinje tale)</td>" in rendered


def test_markdown_renders_hostile_names_literally(tmp_path: Path) -> None:
    text = render_report(
        build_report(hostile_store(tmp_path), scope_of(everything=True)), ReportFormat.MD
    )
    rendered = markdown_html(text)
    assert "<script" not in rendered and "<img" not in rendered and "<b>x" not in rendered
    assert "<a " not in rendered and "<em>md</em>" not in rendered
    shown = html.unescape(re.sub(r"<[^>]+>", "", rendered))
    for name in HOSTILE.values():
        assert name in shown


def test_a_large_report_aggregates_its_diagram_but_describes_every_service(
    tmp_path: Path,
) -> None:
    path = tmp_path / "synthetic.json"
    write_synthetic_map(path, COLLAPSE_ABOVE + 20, seed=1)
    report = build_report(EmbeddedStore(path), scope_of(everything=True))
    assert report.diagram.note and report.diagram.note.startswith("Aggregated: ")
    text = render_report(report, ReportFormat.MD)
    headings = re.findall(r"^## (.+)$", text, flags=re.MULTILINE)
    assert len(report.services) == COLLAPSE_ABOVE + 20
    assert all(md_text(section.name) in headings for section in report.services)
    processes = re.findall(r'^  \w+\("', text, flags=re.MULTILINE)
    assert 1 < len(processes) < len(report.services)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("a|b", "a\\|b"),
        ("<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),
        ("R&D &amp; &#60;", "R&D &amp;amp; &amp;\\#60;"),
        ("*x* _y_ [z](u) `c`", "\\*x\\* \\_y\\_ \\[z\\](u) \\`c\\`"),
        ("line\nbreak", "line break"),
    ],
)
def test_md_text(text: str, escaped: str) -> None:
    assert md_text(text) == escaped


# -- the command ---------------------------------------------------------------------------
def test_report_command_writes_html(
    runner: CliRunner, seed_store: EmbeddedStore, map_path: Path, tmp_path: Path
) -> None:
    output = tmp_path / "dpia.html"
    args = ["report", "--service", "Mobilt Opptak", "-o", str(output), "--map", str(map_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {output} (")
    assert "<title>DPIA report: Mobilt Opptak (MVR)</title>" in output.read_text("utf-8")


def test_report_command_markdown_on_stdout(
    runner: CliRunner, seed_store: EmbeddedStore, map_path: Path
) -> None:
    result = runner.invoke(app, ["report", "--all", "--map", str(map_path)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# DPIA data-flow report: All services\n")


def test_report_command_errors(
    runner: CliRunner, seed_store: EmbeddedStore, map_path: Path
) -> None:
    unknown = runner.invoke(app, ["report", "--service", "Nowhere", "--map", str(map_path)])
    assert unknown.exit_code == 2 and "unknown service 'Nowhere'" in unknown.stderr
    bad = runner.invoke(app, ["report", "--all", "-o", "r.pdf", "--map", str(map_path)])
    assert bad.exit_code == 2
    assert (
        bad.stderr
        == "dataflyt: error: cannot tell the format from 'r.pdf': use --format (html, md)\n"
    )
