"""Data-flow diagrams: exact answers on the seed, golden DOT and Mermaid files, every name
escaped (proved by parsing the output: Graphviz lays the DOT out and the SVG holds the literal
name; the Mermaid follows its grammar and its labels decode to the literal name), the formats
and the ``diagram`` command."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dataflyt.cli import app
from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.dot import HIGH_COLOUR, one_line, to_dot
from dataflyt.diagrams.formats import DiagramFormat
from dataflyt.diagrams.labels import LONG_LIST
from dataflyt.diagrams.mermaid import to_mermaid
from dataflyt.diagrams.model import Diagram, Element, ElementKind, Flow, FlowKind, Line, ZoneKind
from dataflyt.diagrams.render import run_dot
from dataflyt.diagrams.scope import Scope, ScopeKind, scope_of, select
from dataflyt.graph.ingest import load_files
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.graph.store import GraphStore
from tests.conftest import SEED
from tests.regenerate_golden import GOLDEN, HOSTILE, golden_cases, golden_text

SVG = "{http://www.w3.org/2000/svg}"
WORD_JOINER = "\u2060"


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[GraphStore, Scope]]:
    return golden_cases(tmp_path_factory.mktemp("golden"))


def draw(store: GraphStore, **scope: str | bool) -> Diagram:
    return build_diagram(store, select(store, scope_of(**scope)))  # type: ignore[arg-type]


def named(diagram: Diagram, kind: ElementKind) -> list[str]:
    return [e.name for e in diagram.elements if e.kind is kind]


def element(diagram: Diagram, name: str) -> Element:
    return next(e for e in diagram.elements if e.name == name)


def flows(diagram: Diagram, source: str, target: str) -> list[Flow]:
    keys = {e.name: e.key for e in diagram.elements}
    return [f for f in diagram.flows if (f.source, f.target) == (keys[source], keys[target])]


def svg_texts(svg: bytes) -> list[str]:
    """Return what a reader sees: the text of every <text> element, decoded by an XML parser."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# -- answers on the seed ----------------------------------------------------------------------
def test_service_diagram_of_mobilt_opptak(seed_store: NetworkxStore) -> None:
    diagram = draw(seed_store, service="Mobilt Opptak")
    assert diagram.title == "Data-flow diagram: Mobilt Opptak (MVR)"
    assert diagram.caption == "Source: PHONERO TJENESTEBESKRIVELSE, dated 2021-03-15."
    assert named(diagram, ElementKind.SUBJECT) == ["Employees"]
    assert named(diagram, ElementKind.ORGANISATION) == ["Phonero", "Touch Technology AS"]
    assert element(diagram, "Touch Technology AS").note == "Sub-processor"
    assert element(diagram, "Mobilt Opptak (MVR)").high
    [data] = flows(diagram, "Employees", "Mobilt Opptak (MVR)")
    assert [(line.text, line.high) for line in data.lines] == [
        ("Call recordings", True),
        ("Communications data", False),
        ("Communications metadata", False),
        ("Email address", False),
        ("Message content", True),
        ("Mobile phone number", False),
        ("Name", False),
    ]
    assert data.high
    [role] = flows(diagram, "Mobilt Opptak (MVR)", "Phonero")
    assert role.kind is FlowKind.ROLE and role.lines == (Line(text="Processor"),)
    assert element(diagram, "Norway").zone is ZoneKind.EEA
    assert [z.title for z in diagram.zones] == ["EEA"]


def test_organisation_diagram_is_the_blast_radius(seed_store: NetworkxStore) -> None:
    diagram = draw(seed_store, organisation="Link Mobility")
    assert diagram.title == "Data-flow diagram: Breach at Link Mobility"
    assert named(diagram, ElementKind.SERVICE) == [
        "Phonero Bedriftsnett",
        "Phonero Bedriftsnett Besøksregistrering",
        "Phonero Bedriftsnett Kundetilfredshet og NPS",
    ]
    breached = element(diagram, "Link Mobility")
    assert breached.high and breached.note == "BREACHED · Sub-processor"
    data = [f for f in diagram.flows if f.kind is FlowKind.DATA]
    assert len(data) == 5 and all(f.dashed for f in data)  # nothing narrower is stated
    assert all(f.lines[-1].text.startswith("(exposure assumed") for f in data)


def test_category_diagram_shows_only_that_category(seed_store: NetworkxStore) -> None:
    diagram = draw(seed_store, category="call recordings")
    assert named(diagram, ElementKind.SERVICE) == ["Mobilt Opptak (MVR)"]
    [data] = flows(diagram, "Employees", "Mobilt Opptak (MVR)")
    assert data.lines == (Line(text="Call recordings", high=True),)


def test_whole_map(seed_store: NetworkxStore) -> None:
    diagram = draw(seed_store, everything=True)
    assert len(named(diagram, ElementKind.SERVICE)) == 11
    assert len(named(diagram, ElementKind.SUBJECT)) == 8
    assert named(diagram, ElementKind.PLACE) == ["Germany", "Norway", "Other locations"]
    unstated = element(diagram, "Other locations")
    assert unstated.zone is ZoneKind.NOT_PINNED_DOWN
    partial = sorted(
        next(e.name for e in diagram.elements if e.key == f.source)
        for f in diagram.flows
        if f.target == unstated.key
    )
    assert partial == ["Analog Aksess (fastlinje tale)", "ISDN aksess"]
    roles = {f.lines[0].text for f in diagram.flows if f.kind is FlowKind.ROLE}
    assert roles == {"Processor", "Reseller (processor)", "Independent controller"}


def test_long_category_lists_are_grouped_under_their_parent(seed_store: NetworkxStore) -> None:
    diagram = draw(seed_store, service="Phonero Bedriftsnett")
    [data] = flows(diagram, "Employees", "Phonero Bedriftsnett")
    assert len(select(seed_store, scope_of(service="Phonero Bedriftsnett")).views) == 1
    # nine categories are more than LONG_LIST: those sharing a top-level parent are counted
    assert [line.text for line in data.lines] == [
        "Any other information provided",
        "Call history",
        "Contact details (3)",
        "Identity data (2)",
        "Logs and statistical information (2)",
    ]
    assert LONG_LIST < 9


def test_scope_needs_exactly_one_choice() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        scope_of()
    with pytest.raises(ValueError, match="exactly one"):
        scope_of(service="a", everything=True)
    assert scope_of(category="x") == Scope(kind=ScopeKind.CATEGORY, name="x")


# -- golden files and determinism ----------------------------------------------------------
@pytest.mark.parametrize("fmt", [DiagramFormat.DOT, DiagramFormat.MMD])
@pytest.mark.parametrize(
    "name", ["mobilt-opptak", "link-mobility", "call-recordings", "all", "hostile"]
)
def test_golden(cases: dict[str, tuple[GraphStore, Scope]], name: str, fmt: DiagramFormat) -> None:
    store, scope = cases[name]
    expected = (GOLDEN / f"{name}.{fmt.value}").read_text("utf-8")
    assert golden_text(store, scope, fmt) == expected, "run `make golden` and review the diff"


def test_same_map_same_bytes(tmp_path: Path) -> None:
    texts = []
    for run in ("a", "b"):
        store = NetworkxStore(tmp_path / f"{run}.json")
        load_files(store, [SEED])
        texts.append(golden_text(store, Scope(kind=ScopeKind.ALL), DiagramFormat.DOT))
    assert texts[0] == texts[1]


# -- what Graphviz draws -------------------------------------------------------------------
def test_svg_shows_the_seed_with_call_recordings_highlighted(seed_store: NetworkxStore) -> None:
    svg = run_dot(to_dot(draw(seed_store, service="Mobilt Opptak")), DiagramFormat.SVG)
    texts = svg_texts(svg)
    assert "Touch Technology AS" in texts and "Processor" in texts
    assert "Data-flow diagram: Mobilt Opptak (MVR)" in texts
    root = ET.fromstring(svg)
    coloured = {
        "".join(t.itertext()): t.get("fill") for t in root.iter(f"{SVG}text") if t.get("fill")
    }
    assert coloured["Call recordings"] == HIGH_COLOUR
    assert coloured["Message content"] == HIGH_COLOUR
    assert "Name" not in coloured


@pytest.mark.parametrize("name", sorted(GOLDEN.glob("*.dot")), ids=lambda p: p.stem)
def test_every_golden_dot_is_valid(name: Path) -> None:
    done = subprocess.run(["dot", "-Tsvg", str(name)], capture_output=True, check=False)
    assert done.returncode == 0 and done.stderr == b"", done.stderr


def test_hostile_names_are_literal_in_the_svg(cases: dict[str, tuple[GraphStore, Scope]]) -> None:
    store, scope = cases["hostile"]
    svg = run_dot(golden_text(store, scope, DiagramFormat.DOT), DiagramFormat.SVG)
    seen = "\n".join(svg_texts(svg)).replace(WORD_JOINER, "")
    for name in HOSTILE.values():
        assert name in seen
    root = ET.fromstring(svg)
    assert not [e for e in root.iter() if e.tag.split("}")[-1] in {"script", "a", "image"}]


def literal_diagram(name: str) -> Diagram:
    """Return a tiny diagram whose service, subject and flow label are all ``name``."""
    return Diagram(
        title=name,
        caption=name,
        elements=(
            Element(key="subject_a", kind=ElementKind.SUBJECT, name=name),
            Element(key="service_b", kind=ElementKind.SERVICE, name=name, high=True),
        ),
        flows=(
            Flow(
                source="subject_a",
                target="service_b",
                kind=FlowKind.DATA,
                lines=(Line(text=name, high=True),),
            ),
        ),
        zones=(),
    )


names = st.text(min_size=1, max_size=40).filter(lambda s: one_line(s).strip())


@settings(max_examples=40, deadline=None)
@given(names)
@example("0\r\x08 0")  # a control character between two line breaks once left two spaces
def test_any_name_survives_graphviz(name: str) -> None:
    assume(one_line(name) not in _fixed_svg_texts())  # e.g. "Provider" is also a caption
    svg = run_dot(to_dot(literal_diagram(name)), DiagramFormat.SVG)
    texts = [t.replace(WORD_JOINER, "") for t in svg_texts(svg)]
    assert texts.count(one_line(name)) == 5  # title, caption, subject, service and arrow


# -- Mermaid -------------------------------------------------------------------------------
_LABEL = r'"[^"]*"'
_STATEMENTS = [
    re.compile(r"flowchart LR"),
    re.compile(rf"(?P<key>\w+)(\[{_LABEL}\]|\({_LABEL}\))(:::\w+)?"),
    re.compile(rf"subgraph \w+\[{_LABEL}\]"),
    re.compile(r"end|direction TB"),
    re.compile(rf"\w+ (-->|-\.->|---|-\.-o)(\|{_LABEL}\|)? \w+"),
    re.compile(r"(classDef \w+|style \w+|linkStyle [\d,]+|class [\w,]+) [\w#:;,. -]+"),
]
_TAGS = re.compile(r"</?b>|</?i>|<br/>")


def mermaid_labels(text: str) -> list[str]:
    """Parse the flowchart line by line against the statements dataflyt writes; return every
    label as a reader sees it (tags dropped, entity codes decoded)."""
    labels = []
    for line in text.splitlines():
        assert any(p.fullmatch(line.strip()) for p in _STATEMENTS), f"not a statement: {line!r}"
        for label in re.findall(r'"([^"]*)"', line):
            bare = _TAGS.sub("\n", label)
            assert not set(re.sub(r"#\d+;", "", bare)) & set('<>"&;#[]{}|`'), label
            labels.append(re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), bare))
    return labels


def test_mermaid_of_the_hostile_map_parses_to_the_literal_names(
    cases: dict[str, tuple[GraphStore, Scope]],
) -> None:
    store, scope = cases["hostile"]
    seen = "\n".join(mermaid_labels(golden_text(store, scope, DiagramFormat.MMD)))
    for name in HOSTILE.values():
        assert name in seen


@settings(max_examples=200, deadline=None)
@given(names)
def test_any_name_survives_mermaid(name: str) -> None:
    assume(one_line(name) not in _fixed_mermaid_lines())  # e.g. "service" is also a caption
    labels = mermaid_labels(to_mermaid(literal_diagram(name)))
    assert sum(label.split("\n").count(one_line(name)) for label in labels) == 5


@cache
def _fixed_mermaid_lines() -> set[str]:
    """Return the label lines a diagram shows whatever its names are."""
    labels = mermaid_labels(to_mermaid(literal_diagram(NEUTRAL)))
    return {line for label in labels for line in label.split("\n")}


@cache
def _fixed_svg_texts() -> set[str]:
    """Return the SVG texts a diagram shows whatever its names are."""
    return set(svg_texts(run_dot(to_dot(literal_diagram(NEUTRAL)), DiagramFormat.SVG)))


NEUTRAL = "Qz neutral name"


# -- the command ---------------------------------------------------------------------------
@pytest.fixture
def on_seed(seed_store: NetworkxStore, map_path: Path) -> list[str]:
    return ["--map", str(map_path)]


def test_mermaid_on_stdout_by_default(runner: CliRunner, on_seed: list[str]) -> None:
    result = runner.invoke(app, ["diagram", "--service", "Mobilt Opptak", *on_seed])
    assert result.exit_code == 0, result.output
    assert result.stdout == (GOLDEN / "mobilt-opptak.mmd").read_text("utf-8")


def test_dot_on_stdout(runner: CliRunner, on_seed: list[str]) -> None:
    args = ["diagram", "--organisation", "Link Mobility", "-o", "-", "--format", "dot"]
    result = runner.invoke(app, [*args, *on_seed])
    assert result.stdout == (GOLDEN / "link-mobility.dot").read_text("utf-8")


@pytest.mark.parametrize(
    ("file_name", "magic"),
    [("d.svg", b"<?xml"), ("d.png", b"\x89PNG"), ("d.pdf", b"%PDF"), ("d.mmd", b"flowchart")],
)
def test_format_from_the_extension(
    runner: CliRunner, on_seed: list[str], tmp_path: Path, file_name: str, magic: bytes
) -> None:
    output = tmp_path / file_name
    result = runner.invoke(app, ["diagram", "--all", "-o", str(output), *on_seed])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {output} (")
    assert output.read_bytes().startswith(magic)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "give exactly one of --service, --organisation, --category or --all"),
        (["--all", "--service", "x"], "give exactly one"),
        (["--all", "-o", "-", "--format", "png"], "png is binary"),
        (["--all", "-o", "d.txt"], "cannot tell the format from 'd.txt'"),
    ],
)
def test_bad_arguments_exit_1(
    runner: CliRunner, on_seed: list[str], args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["diagram", *args, *on_seed])
    assert result.exit_code == 1
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_names_exit_2_like_the_query_commands(
    runner: CliRunner, on_seed: list[str]
) -> None:
    result = runner.invoke(app, ["diagram", "--organisation", "Link Mobilty", *on_seed])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "dataflyt: error: unknown organisation 'Link Mobilty'; did you mean: Link Mobility?"
    )


def test_installed_command_draws_svg(
    seed_store: NetworkxStore, map_path: Path, tmp_path: Path
) -> None:
    binary = Path(sys.executable).parent / "dataflyt"
    output = tmp_path / "mvr.svg"
    args = ["diagram", "--service", "Mobilt Opptak", "-o", str(output), "--map", str(map_path)]
    done = subprocess.run([binary, *args], check=True, capture_output=True, text=True)
    assert done.stdout.startswith(f"Wrote {output} (")
    assert "Touch Technology AS" in svg_texts(output.read_bytes())
