"""What diagrams say on documents of the classes that went wrong: a sub-processor two providers
engage, each stating its own places, is drawn where each engaging document places it, with
whose data each arrow carries; a list that states no place is drawn "Location not stated";
a name of ten thousand characters is shortened for drawing; the date described is stated;
a map too large to lay out is drawn as an overview that keeps every place and every silence.
Every rendering is parsed: DOT by Graphviz, SVG as XML, Mermaid by its statements."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.diagrams.build import LARGEST, build_diagram
from dataflyt.diagrams.dot import LABEL_LIMIT, to_dot
from dataflyt.diagrams.mermaid import to_mermaid
from dataflyt.diagrams.model import Diagram, ElementKind, FlowKind, Line
from dataflyt.diagrams.overview import OVERVIEW_NOTE
from dataflyt.diagrams.scope import scope_of, select
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.breach import breach
from dataflyt.synth import write_synthetic_map
from tests.conftest import SEED
from tests.shared_maps import SUPPORT, load_no_places, load_zendesk_twice
from tests.test_diagrams import located, mermaid_labels, named, svg_texts

NOT_STATED = "Location not stated"


def draw(store: GraphStore, **scope: str | bool) -> Diagram:
    return build_diagram(store, select(store, scope_of(**scope)))  # type: ignore[arg-type]


def laid_out(diagram: Diagram) -> list[str]:
    """Return the texts of the diagram laid out by Graphviz, after checking that ``dot``
    reads its DOT without a word on stderr and writes SVG an XML parser reads."""
    source = to_dot(diagram)
    done = subprocess.run(["dot", "-Tsvg"], input=source.encode(), capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    mermaid_labels(to_mermaid(diagram))  # every line a Mermaid statement
    return svg_texts(done.stdout)


@pytest.fixture
def zendesk(embedded_store: EmbeddedStore) -> GraphStore:
    return load_zendesk_twice(embedded_store)


def test_phonero_support_shows_zendesk_in_germany_never_the_us(zendesk: GraphStore) -> None:
    diagram = draw(zendesk, service=SUPPORT)
    assert located(diagram) == {(SUPPORT, "Germany", (), False), ("Zendesk", "Germany", (), False)}
    assert named(diagram, ElementKind.PLACE) == ["Germany"]
    assert "United States" not in laid_out(diagram)


def test_arrows_say_whose_data_where_one_sub_processors_places_differ(
    zendesk: GraphStore,
) -> None:
    diagram = draw(zendesk, everything=True)
    arrows = {(to, lines) for source, to, lines, _ in located(diagram) if source == "Zendesk"}
    assert arrows == {("Germany", (f"for {SUPPORT}",)), ("United States", ("for GitHub",))}
    texts = laid_out(diagram)
    assert f"for {SUPPORT}" in texts and "for GitHub" in texts


def test_a_breach_diagram_follows_the_breach_chains(zendesk: GraphStore) -> None:
    result = breach(zendesk, "Zendesk")
    chains = {a.facts.name: [p.name for p in a.chain[-1].places] for a in result.services}
    assert chains == {SUPPORT: ["Germany"], "GitHub": ["United States"]}
    diagram = draw(zendesk, organisation="Zendesk")
    assert named(diagram, ElementKind.SERVICE) == ["GitHub", SUPPORT]
    arrows = {(to, lines) for source, to, lines, _ in located(diagram) if source == "Zendesk"}
    assert arrows == {("Germany", (f"for {SUPPORT}",)), ("United States", ("for GitHub",))}
    engaged = {
        (next(e.name for e in diagram.elements if e.key == f.source), f.lines)
        for f in diagram.flows
        if f.kind is FlowKind.ENGAGES
    }
    assert engaged == {("GitHub", (Line(text="Customer support ticketing system"),)), (SUPPORT, ())}


# two providers' services of one name engage one sub-processor, each placing it elsewhere
NAMESAKES = """\
title: Acme record of processing
date: 2025-01-01
services:
  - name: Support
    provider: Alpha AS
    countries: [Norge]
    subprocessors: [{name: Helpdesk Inc., purpose: ticketing, countries: [Tyskland]}]
  - name: Support
    provider: Beta AS
    countries: [Norge]
    subprocessors: [{name: Helpdesk Inc., purpose: ticketing, countries: [India]}]
"""


@pytest.mark.parametrize("scope", [{"everything": True}, {"organisation": "Helpdesk Inc."}])
def test_services_of_one_name_each_draw_their_sub_processors_places(
    embedded_store: EmbeddedStore, tmp_path: Path, scope: dict[str, str | bool]
) -> None:
    datamap = tmp_path / "namesakes.yaml"
    datamap.write_text(NAMESAKES, "utf-8")
    load_files(embedded_store, [datamap])
    diagram = draw(embedded_store, **scope)
    arrows = {(to, lines) for source, to, lines, _ in located(diagram) if source == "Helpdesk Inc."}
    assert arrows == {("Germany", ("for Support",)), ("India", ("for Support",))}
    assert "India" in laid_out(diagram)


def test_a_list_without_places_is_drawn_not_stated(embedded_store: EmbeddedStore) -> None:
    diagram = draw(load_no_places(embedded_store), everything=True)
    subs = [
        "Functional Software, Inc.",
        "Intercom R&D Unlimited Company",
        "Mailgun Technologies, Inc.",
    ]
    assert located(diagram) == {(name, NOT_STATED, (), True) for name in ["Kvitre Mail", *subs]}
    [data] = [f for f in diagram.flows if f.kind is FlowKind.DATA]
    assert [line.text for line in data.lines] == ["categories not stated"] and data.dashed
    texts = laid_out(diagram)
    assert NOT_STATED in texts and "categories not stated" in texts


def test_a_name_of_ten_thousand_characters_is_shortened_for_drawing(
    embedded_store: EmbeddedStore, tmp_path: Path
) -> None:
    name = ("Nordlys lønn " * 800)[:10_000].strip()
    datamap = tmp_path / "long.yaml"
    datamap.write_text(
        f'services:\n  - name: "{name}"\n    provider: Visma Enterprise AS\n'
        "    categories: [navn]\n    subjects: [ansatte]\n    countries: [Norge]\n",
        "utf-8",
    )
    load_files(embedded_store, [datamap])
    diagram = draw(embedded_store, everything=True)
    assert named(diagram, ElementKind.SERVICE) == [name]  # the model keeps the name whole
    drawn = name[: LABEL_LIMIT - 1].rstrip() + "…"
    assert drawn in laid_out(diagram)
    assert any(drawn in label.split("\n") for label in mermaid_labels(to_mermaid(diagram)))


def test_the_diagram_states_the_date_it_describes(map_path: Path, runner: CliRunner) -> None:
    load_files(EmbeddedStore(map_path), [SEED])
    latest = draw(EmbeddedStore(map_path), everything=True)
    assert latest.describes == "As of the latest version of each document."
    dated = draw(EmbeddedStore(map_path, as_of="2022-01-01"), everything=True)
    said = "As of 2022-01-01: the versions of the documents in force that day."
    assert dated.describes == said
    assert said in laid_out(dated)
    args = ["diagram", "--all", "--as-of", "2022-01-01", "--map", str(map_path)]
    assert said in runner.invoke(app, args).stdout
    args = ["report", "--all", "--as-of", "2022-01-01", "--map", str(map_path)]
    assert said in runner.invoke(app, args).stdout


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a synthetic map of 1,000 services (``dataflyt synth -n 1000``)."""
    path = tmp_path_factory.mktemp("thousand") / "map.json"
    write_synthetic_map(path, 1000, seed=1)
    return path


def test_a_map_too_large_to_lay_out_is_drawn_as_an_overview(thousand: Path) -> None:
    store = EmbeddedStore(thousand)
    selection = select(store, scope_of(everything=True))
    detailed = build_diagram(store, selection, detail=True)
    assert len(detailed.flows) > LARGEST.flows
    diagram = build_diagram(store, selection)
    assert diagram.note == OVERVIEW_NOTE
    services = len(selection.services)
    subs = {e.facts.organisation.id for e in selection.engagements}
    assert named(diagram, ElementKind.SERVICE) == [f"{services:,} services"]
    assert f"{len(subs):,} sub-processors" in named(diagram, ElementKind.ORGANISATION)
    # every place the detailed diagram draws, and every silence, with how many it holds
    assert named(diagram, ElementKind.PLACE) == named(detailed, ElementKind.PLACE)
    unplaced = sum(not e.facts.places for e in selection.engagements)
    engagements = len(selection.engagements)
    arrows = {(source, to): lines for source, to, lines, _ in located(diagram)}
    assert arrows[f"{len(subs):,} sub-processors", NOT_STATED] == (
        f"for {unplaced:,} of {engagements:,} engagements (not stated)",
    )
    texts = laid_out(diagram)
    assert OVERVIEW_NOTE in texts


def test_a_detailed_diagram_past_the_layout_limit_is_written_as_text_only(
    thousand: Path, tmp_path: Path, runner: CliRunner
) -> None:
    args = ["diagram", "--all", "--detail", "--map", str(thousand)]
    refused = runner.invoke(app, [*args, "-o", str(tmp_path / "all.svg")])
    assert refused.exit_code == 1 and not (tmp_path / "all.svg").exists()
    assert re.fullmatch(
        r"dataflyt: error: the diagram has [\d,]+ boxes and [\d,]+ arrows, more than Graphviz "
        r"lays out in reasonable time: write it as dot or mmd, draw a narrower scope, or leave "
        r"out --detail\n",
        refused.stderr,
    )
    written = runner.invoke(app, [*args, "--format", "dot"])
    assert written.exit_code == 0
    boxes = re.findall(r'^  "\w+" \[shape=box, style="rounded,filled"', written.stdout, re.M)
    assert len(boxes) == len(EmbeddedStore(thousand).nodes(NodeKind.SERVICE))
