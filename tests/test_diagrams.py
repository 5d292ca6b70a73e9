"""Data-flow diagrams: exact answers on the seed, golden DOT and Mermaid files, every name
escaped (proved by parsing the output: Graphviz lays the DOT out and the SVG holds the literal
name; the Mermaid follows its grammar and its labels decode to the literal name), the formats
and the ``diagram`` command."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.dot import HIGH_COLOUR, one_line, to_dot
from dataflyt.diagrams.formats import DiagramFormat
from dataflyt.diagrams.labels import LONG_LIST
from dataflyt.diagrams.mermaid import to_mermaid
from dataflyt.diagrams.model import Diagram, Element, ElementKind, Flow, FlowKind, Line, ZoneKind
from dataflyt.diagrams.processes import COLLAPSE_ABOVE
from dataflyt.diagrams.render import run_dot
from dataflyt.diagrams.scope import Scope, ScopeKind, scope_of, select
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    Country,
    DescribedIn,
    GraphBatch,
    NodeKind,
    Organisation,
    ProcessedIn,
    Processes,
    Provides,
    Service,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.breach import BreachResult, breach
from dataflyt.queries.facts import service_facts
from dataflyt.synth import write_synthetic_map
from tests.conftest import DATAFLYT, SEED
from tests.regenerate_golden import (
    GOLDEN,
    HOSTILE,
    document_version,
    golden_cases,
    golden_text,
)

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


def located(diagram: Diagram) -> set[tuple[str, str, tuple[str, ...], bool]]:
    """Return every arrow to a place: (from, to, its label lines, dashed)."""
    names = {e.key: e.name for e in diagram.elements}
    return {
        (names[f.source], names[f.target], tuple(line.text for line in f.lines), f.dashed)
        for f in diagram.flows
        if f.kind is FlowKind.LOCATED
    }


def svg_texts(svg: bytes) -> list[str]:
    """Return what a reader sees: the text of every <text> element, decoded by an XML parser."""
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# -- answers on the seed ----------------------------------------------------------------------
def test_service_diagram_of_mobilt_opptak(seed_store: EmbeddedStore) -> None:
    diagram = draw(seed_store, service="Mobilt Opptak")
    assert diagram.title == "Data-flow diagram: Mobilt Opptak (MVR)"
    assert diagram.caption == "Source: PHONERO TJENESTEBESKRIVELSE, dated 2021-03-15."
    assert diagram.describes == "As of the latest version of each document."
    assert named(diagram, ElementKind.SUBJECT) == ["Employees"]
    assert named(diagram, ElementKind.ORGANISATION) == ["Phonero", "Touch Technology AS"]
    assert element(diagram, "Touch Technology AS").note == "Sub-processor"
    assert element(diagram, "Mobilt Opptak (MVR)").high
    [data] = flows(diagram, "Employees", "Mobilt Opptak (MVR)")
    assert [(line.text, line.high) for line in data.lines] == [
        ("Call recordings", True),
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
    # the annex row's place is the service's and the sub-processor's it names
    assert located(diagram) == {
        ("Mobilt Opptak (MVR)", "Norway", (), False),
        ("Touch Technology AS", "Norway", (), False),
    }
    assert [z.title for z in diagram.zones] == ["EEA"]


def test_organisation_diagram_is_the_blast_radius(seed_store: EmbeddedStore) -> None:
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


def test_category_diagram_shows_only_that_category(seed_store: EmbeddedStore) -> None:
    diagram = draw(seed_store, category="call recordings")
    assert named(diagram, ElementKind.SERVICE) == ["Mobilt Opptak (MVR)"]
    [data] = flows(diagram, "Employees", "Mobilt Opptak (MVR)")
    assert data.lines == (Line(text="Call recordings", high=True),)


def test_whole_map(seed_store: EmbeddedStore) -> None:
    diagram = draw(seed_store, everything=True)
    assert len(named(diagram, ElementKind.SERVICE)) == 11
    assert len(named(diagram, ElementKind.SUBJECT)) == 8
    assert named(diagram, ElementKind.PLACE) == ["Germany", "Location not stated", "Norway"]
    unstated = {
        (source, lines) for source, to, lines, _ in located(diagram) if to == "Location not stated"
    }
    assert unstated == {
        (name, ("list not exhaustive",))
        for name in ["Analog Aksess (fastlinje tale)", "ISDN aksess", "Telenor"]
    }
    assert element(diagram, "Location not stated").zone is ZoneKind.NOT_PINNED_DOWN
    germany = {source for source, to, _, _ in located(diagram) if to == "Germany"}
    assert germany == {
        "Bluestone AS",
        "Phonero nettbutikk Smart Mobilkjøp",
        "Supporthenvendelser via mail/Chat",
        "Zendesk",
    }
    roles = {f.lines[0].text for f in diagram.flows if f.kind is FlowKind.ROLE}
    assert roles == {"Processor", "Reseller (processor)", "Independent controller"}


def test_long_category_lists_are_grouped_under_their_parent(seed_store: EmbeddedStore) -> None:
    diagram = draw(seed_store, service="Phonero Bedriftsnett")
    [data] = flows(diagram, "Employees", "Phonero Bedriftsnett")
    assert len(select(seed_store, scope_of(service="Phonero Bedriftsnett")).services) == 1
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
        store = EmbeddedStore(tmp_path / f"{run}.json")
        load_files(store, [SEED])
        texts.append(golden_text(store, Scope(kind=ScopeKind.ALL), DiagramFormat.DOT))
    assert texts[0] == texts[1]


# -- what Graphviz draws -------------------------------------------------------------------
def test_svg_shows_the_seed_with_call_recordings_highlighted(seed_store: EmbeddedStore) -> None:
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
        describes="As of the latest version of each document.",
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
@example("]")  # Graphviz once refused a label of only "]"
@example("a]]>b")  # the end of an XML CDATA section
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


# -- large diagrams: one process per provider ----------------------------------------------
@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return the path of a synthetic map of 200 services (``dataflyt synth -n 200 --seed 1``)."""
    path = tmp_path_factory.mktemp("synthetic") / "map.json"
    write_synthetic_map(path, 200, seed=1)
    return path


@pytest.fixture(scope="module")
def breaches(synthetic: Path) -> list[BreachResult]:
    """Return the blast radius of a breach at each organisation of the synthetic map."""
    store = EmbeddedStore(synthetic)
    return [breach(store, org.name) for org in store.nodes(NodeKind.ORGANISATION)]


@pytest.fixture(scope="module")
def widest(breaches: list[BreachResult]) -> BreachResult:
    """Return the breach with the largest blast radius on the synthetic map."""
    return max(breaches, key=lambda r: (len(r.services), r.organisation))


def providers(result: BreachResult) -> Counter[str]:
    """Return how many of the services a breach reaches each provider offers."""
    return Counter(a.facts.provider.name for a in result.services if a.facts.provider)


def process_nodes(dot: str) -> list[str]:
    """Return the process (service) nodes of DOT text: the boxes drawn rounded."""
    return [line for line in dot.splitlines() if 'shape=box, style="rounded,filled"' in line]


def test_a_large_breach_draws_one_process_per_provider(
    synthetic: Path, widest: BreachResult
) -> None:
    store = EmbeddedStore(synthetic)
    counts = providers(widest)
    assert len(widest.services) > COLLAPSE_ABOVE and sum(counts.values()) == len(widest.services)
    diagram = draw(store, organisation=widest.organisation)
    dot = to_dot(diagram)
    assert len(process_nodes(dot)) == len(counts) < len(widest.services)
    assert sorted(named(diagram, ElementKind.SERVICE)) == sorted(
        f"{name}: {count} services"
        if count > 1
        else next(
            a.facts.name
            for a in widest.services
            if a.facts.provider and a.facts.provider.name == name
        )
        for name, count in counts.items()
    )
    aggregated = sum(count for count in counts.values() if count > 1)
    assert diagram.note == (
        f"Aggregated: {aggregated} services drawn as {sum(c > 1 for c in counts.values())} "
        "processes, one per provider. Draw one service with dataflyt diagram --service NAME, "
        "every service with --detail."
    )
    texts = svg_texts(run_dot(dot, DiagramFormat.SVG))
    assert diagram.note in texts
    assert all(name in texts for name in named(diagram, ElementKind.SERVICE))


def test_aggregates_keep_every_fact_of_their_services(
    synthetic: Path, widest: BreachResult
) -> None:
    store = EmbeddedStore(synthetic)
    scope = scope_of(organisation=widest.organisation)
    collapsed = build_diagram(store, select(store, scope))
    detailed = build_diagram(store, select(store, scope), detail=True)
    assert len(named(detailed, ElementKind.SERVICE)) == len(widest.services)
    assert detailed.note is None
    for kind in (ElementKind.SUBJECT, ElementKind.ORGANISATION, ElementKind.PLACE):
        assert named(collapsed, kind) == named(detailed, kind)

    drawn, every = provider_arrows(collapsed), provider_arrows(detailed)
    for keep in (lambda a: True, lambda a: a.red, lambda a: a.dashed):
        assert ends(drawn, keep) == ends(every, keep)
    behind = Counter((a.end, a.provider) for a in every if a.kind is FlowKind.DATA)
    assumed = Counter((a.end, a.provider) for a in every if a.kind is FlowKind.DATA and a.dashed)
    for arrow in drawn:
        count, total = assumed[arrow.end, arrow.provider], behind[arrow.end, arrow.provider]
        if arrow.kind is FlowKind.DATA and count:
            assert arrow.last == (
                "(exposure assumed: nothing narrower stated)"
                if count == total
                else f"(exposure assumed for {count} of {total} services)"
            )
    facts = service_facts(store, [a.facts.id for a in widest.services])
    for role in (f for f in collapsed.flows if f.kind is FlowKind.ROLE):
        provider = next(e.name for e in collapsed.elements if e.key == role.target)
        roles = Counter(
            f.role_label for f in facts.values() if f.provider and f.provider.name == provider
        )
        expected = (
            list(roles) if len(roles) == 1 else [f"{r} ({n})" for r, n in sorted(roles.items())]
        )
        assert [line.text for line in role.lines] == expected


class Arrow(NamedTuple):
    """An arrow at a process, told by the process's provider rather than its box."""

    kind: FlowKind
    end: str  # the subject, organisation or place at the other end
    provider: str
    red: bool
    dashed: bool
    last: str  # the last label line


def provider_arrows(diagram: Diagram) -> list[Arrow]:
    """Return every arrow at a process: what the diagram says each provider's services
    receive, engage and where they process data."""
    names = {e.key: e.name for e in diagram.elements}
    offers = {f.source: names[f.target] for f in diagram.flows if f.kind is FlowKind.ROLE}
    return [
        Arrow(
            f.kind,
            names[f.source] if f.kind is FlowKind.DATA else names[f.target],
            offers[f.target] if f.kind is FlowKind.DATA else offers[f.source],
            f.high,
            f.dashed,
            f.lines[-1].text if f.lines else "",
        )
        for f in diagram.flows
        if f.kind is not FlowKind.ROLE and (f.source in offers or f.target in offers)
    ]


def ends(arrows: list[Arrow], keep: Callable[[Arrow], bool]) -> set[tuple[FlowKind, str, str]]:
    """Return (kind, other end, provider) of the arrows ``keep`` accepts."""
    return {(a.kind, a.end, a.provider) for a in arrows if keep(a)}


def test_a_diagram_at_the_threshold_draws_every_service(
    synthetic: Path, breaches: list[BreachResult]
) -> None:
    small = max(
        (r for r in breaches if len(r.services) <= COLLAPSE_ABOVE),
        key=lambda r: (len(r.services), r.organisation),
    )
    assert len(small.services) > COLLAPSE_ABOVE / 2
    diagram = draw(EmbeddedStore(synthetic), organisation=small.organisation)
    assert sorted(named(diagram, ElementKind.SERVICE)) == sorted(
        a.facts.name for a in small.services
    )
    assert diagram.note is None and "Aggregated" not in to_mermaid(diagram)


def crowded_store(folder: Path, provider: str, services: int) -> EmbeddedStore:
    """Return an embedded store in ``folder`` where ``provider`` offers ``services`` services,
    each processing names of customers in Norway."""
    doc = document_version("crowded", "Crowded annex", provider, "2024-01-31")
    ids = [f"service:crowded/{n:03}" for n in range(services)]
    nodes: list[AnyNode] = [Service(id=i, name=f"Service {i[-3:]}") for i in ids]
    nodes += [
        Organisation(id="org:crowded", name=provider),
        Category(id="category:name", name="Name", key="name"),
        Country(id="country:no", name="Norway", code="NO", eea=True),
    ]
    edges: list[AnyEdge] = [
        edge
        for i in ids
        for edge in (
            DescribedIn(source=i, target=doc.id, doc=doc.id, line=1),
            Provides(source="org:crowded", target=i, doc=doc.id, line=1, role="processor"),
            Processes(
                source=i, target="category:name", doc=doc.id, line=1, subjects=("customers",)
            ),
            ProcessedIn(source=i, target="country:no", doc=doc.id, line=1),
        )
    ]
    store = EmbeddedStore(folder / "crowded-map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=nodes, edges=edges))
    return store


def test_a_hostile_provider_name_stays_literal_in_its_aggregate(tmp_path: Path) -> None:
    store = crowded_store(tmp_path, HOSTILE["provider"], COLLAPSE_ABOVE + 1)
    diagram = draw(store, everything=True)
    aggregate = f"{HOSTILE['provider']}: {COLLAPSE_ABOVE + 1} services"
    assert named(diagram, ElementKind.SERVICE) == [aggregate]
    [data] = flows(diagram, "Customers", aggregate)
    assert data.lines == (Line(text="Name"),)
    assert aggregate in svg_texts(run_dot(to_dot(diagram), DiagramFormat.SVG))
    labels = mermaid_labels(to_mermaid(diagram))
    assert any(aggregate in label.split("\n") for label in labels)


# -- the command ---------------------------------------------------------------------------
@pytest.fixture
def on_seed(seed_store: EmbeddedStore, map_path: Path) -> list[str]:
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
def test_bad_arguments_are_usage_errors_exit_2(
    runner: CliRunner, on_seed: list[str], args: list[str], message: str
) -> None:
    result = runner.invoke(app, ["diagram", *args, *on_seed])
    assert result.exit_code == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_unknown_names_exit_2_like_the_query_commands(
    runner: CliRunner, on_seed: list[str]
) -> None:
    result = runner.invoke(app, ["diagram", "--organisation", "Link Mobilty", *on_seed])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "dataflyt: error: unknown organisation 'Link Mobilty'; did you mean: Link Mobility?"
    )


def test_detail_draws_every_service_in_dot_and_mermaid(
    runner: CliRunner, synthetic: Path, widest: BreachResult
) -> None:
    args = ["diagram", "--organisation", widest.organisation, "--map", str(synthetic)]
    for detail, boxes in (([], len(providers(widest))), (["--detail"], len(widest.services))):
        dot = runner.invoke(app, [*args, *detail, "--format", "dot"])
        assert dot.exit_code == 0, dot.output
        assert len(process_nodes(dot.stdout)) == boxes
        mmd = runner.invoke(app, [*args, *detail])
        processes = re.findall(r"^  \w+\(\"", mmd.stdout, flags=re.MULTILINE)
        assert len(processes) == boxes
        assert ("Aggregated: " in mmd.stdout) is not bool(detail)


def test_installed_command_draws_svg(
    seed_store: EmbeddedStore, map_path: Path, tmp_path: Path
) -> None:
    output = tmp_path / "mvr.svg"
    args = ["diagram", "--service", "Mobilt Opptak", "-o", str(output), "--map", str(map_path)]
    done = subprocess.run([DATAFLYT, *args], check=True, capture_output=True, text=True)
    assert done.stdout.startswith(f"Wrote {output} (")
    assert "Touch Technology AS" in svg_texts(output.read_bytes())
