"""Exports of the whole map: JSON that loads back byte-identically, GraphML that networkx reads,
a Cypher script that recreates the map on a real Neo4j, and the Art. 30 record as CSV."""

from __future__ import annotations

import csv
import io
import itertools
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli import app
from dataflyt.exports import ExportFormat, export
from dataflyt.exports.cypher import cypher_literal
from dataflyt.graph.ingest import load_files
from dataflyt.graph.model import Direction, Edge, EdgeKind, GraphBatch, Node, NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.graph.store import GraphStore

pytest_plugins = ["tests.store_fixtures"]

HOSTILE = [
    "x' }) DETACH DELETE n //",
    'quote " and \\ backslash',
    "line\nbreak\ttab",
    "=1+2",
    "`backtick` <script>alert(1)</script> æøå 🙂",
]


def hostile_batch() -> GraphBatch:
    doc = Node(id="document:hostile", kind=NodeKind.DOCUMENT, name=HOSTILE[0], attrs={"date": None})
    orgs = [
        Node(id=f"org:h{i}", kind=NodeKind.ORGANISATION, name=name, attrs={"aliases": [name]})
        for i, name in enumerate(HOSTILE)
    ]
    edges = [
        Edge(
            source=a.id,
            target=b.id,
            kind=EdgeKind.ENGAGES,
            doc=doc.id,
            line=i,
            text=HOSTILE[i],
            attrs={"purpose": HOSTILE[-1 - i]},
        )
        for i, (a, b) in enumerate(itertools.pairwise(orgs))
    ]
    return GraphBatch(documents=[doc], nodes=orgs, edges=edges)


def everything(store: GraphStore) -> tuple[list[Node], list[Edge]]:
    nodes = sorted((n for kind in NodeKind for n in store.nodes(kind)), key=lambda n: n.id)
    return nodes, store.edges([n.id for n in nodes], Direction.OUT)


def test_json_export_loads_back_identically(seed_store: NetworkxStore, tmp_path: Path) -> None:
    seed_store.replace_documents(hostile_batch())
    first = export(seed_store, ExportFormat.JSON)
    path = tmp_path / "export.json"
    path.write_text(first, "utf-8")
    again = NetworkxStore(tmp_path / "other.json")
    load_files(again, [path])
    assert export(again, ExportFormat.JSON) == first
    assert json.loads(first)["format"] == "dataflyt-map"


def test_graphml_is_read_by_networkx(seed_store: NetworkxStore) -> None:
    import networkx as nx

    graph = nx.parse_graphml(export(seed_store, ExportFormat.GRAPHML))
    nodes, edges = everything(seed_store)
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    assert graph.nodes["org:touch-technology"]["name"] == "Touch Technology AS"


def test_ropa_csv_has_one_row_per_service(seed_store: NetworkxStore) -> None:
    seed_store.replace_documents(hostile_batch())
    rows = list(csv.reader(io.StringIO(export(seed_store, ExportFormat.ROPA_CSV))))
    header, body = rows[0], {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert header[0] == "Processing activity (service)"
    assert len(body) == 11
    mvr = body["Mobilt Opptak (MVR)"]
    assert mvr["High-sensitivity data"] == "Call recordings; Message content"
    assert mvr["Recipients and sub-processors"] == "Touch Technology AS"
    assert (mvr["Controller"], mvr["Processor"]) == ("the customer", "Phonero")
    portal = body["Phonero Bedriftsportal & Fakturakontroll"]
    assert (portal["Controller"], portal["Processor"]) == ("Phonero", "")
    assert mvr["Retention"] == "" and mvr["Security measures"] == ""


def test_ropa_cells_never_start_a_formula(tmp_path: Path) -> None:
    from dataflyt.exports.ropa import ropa_rows
    from tests.conftest import SEED

    text = SEED.read_text("utf-8").replace("Mobilt Opptak (MVR)", "=HYPERLINK(1)")
    path = tmp_path / "annex.txt"
    path.write_text(text, "utf-8")
    store = NetworkxStore(tmp_path / "m.json")
    load_files(store, [path])
    cells = [cell for row in ropa_rows(store) for cell in row]
    assert "'=HYPERLINK(1)" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


@pytest.mark.parametrize("value", HOSTILE)
def test_cypher_literals_escape_everything(value: str) -> None:
    literal = cypher_literal(value)
    assert literal.startswith("'") and literal.endswith("'")
    assert "\n" not in literal
    body = literal[1:-1].replace("\\\\", "")
    assert "'" not in body.replace("\\'", "")


@pytest.mark.neo4j
def test_cypher_script_recreates_the_map(
    seed_store: NetworkxStore, neo4j_store: Neo4jStore
) -> None:
    seed_store.replace_documents(hostile_batch())
    script = export(seed_store, ExportFormat.CYPHER)
    statements = [s for s in script.split(";\n") if s.strip() and not s.startswith("//")]
    driver = neo4j_store._driver  # the test runs the script as a user would, statement by statement
    with driver.session(database=neo4j_store.settings.database) as session:
        for statement in statements:
            session.run(
                statement.removeprefix(
                    "// dataflyt map: run with cypher-shell or paste into Neo4j Browser\n"
                )
            ).consume()
    assert everything(neo4j_store) == everything(seed_store)


def test_cli_export_to_stdout(seed_store: NetworkxStore, runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["export", "--map", str(seed_store.path), "-f", "ropa-csv", "-o", "-"]
    )
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0].startswith("Processing activity (service),Controller")


def test_ropa_xlsx_has_header_frozen_panes_filters_and_widths(seed_store: NetworkxStore) -> None:
    from openpyxl import load_workbook

    data = export(seed_store, ExportFormat.ROPA_XLSX)
    assert isinstance(data, bytes)
    assert export(seed_store, ExportFormat.ROPA_XLSX) == data  # deterministic
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet.cell(1, 1).value == "Processing activity (service)"
    assert sheet.cell(1, 1).font.bold
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:N12"
    assert sheet.column_dimensions["A"].width > 20
    assert sheet.max_row == 12


def test_dpv_json_ld_parses_back_with_the_right_triples(seed_store: NetworkxStore) -> None:
    from rdflib import RDF, Graph, Namespace, URIRef

    text = export(seed_store, ExportFormat.DPV)
    assert isinstance(text, str)
    graph = Graph().parse(data=text, format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    pd = Namespace("https://w3id.org/dpv/pd#")
    loc = Namespace("https://w3id.org/dpv/loc#")
    mvr = URIRef("urn:dataflyt:service:phonero/mobilt-opptak-mvr")
    assert (mvr, RDF.type, dpv.Process) in graph
    assert (mvr, dpv.hasPersonalData, pd.VoiceCommunicationRecording) in graph
    assert (mvr, dpv.hasPersonalData, pd.EmailAddress) in graph
    assert (mvr, dpv.hasLocation, loc.NO) in graph
    assert (mvr, dpv.hasDataProcessor, URIRef("urn:dataflyt:org:phonero")) in graph
    assert (URIRef("urn:dataflyt:org:touch-technology"), RDF.type, dpv.DataSubProcessor) in graph
    portal = URIRef("urn:dataflyt:service:phonero/phonero-bedriftsportal-fakturakontroll")
    assert (portal, dpv.hasDataController, URIRef("urn:dataflyt:org:phonero")) in graph
    assert not list(graph.subjects(RDF.type, dpv.DataTransfer))  # nothing leaves the EEA


def test_dpv_transfers_carry_their_legal_basis(tmp_path: Path) -> None:
    from rdflib import Graph, Namespace

    acme = Path(__file__).parent / "data" / "acme-annex.txt"
    store = NetworkxStore(tmp_path / "m.json")
    load_files(store, [acme])
    graph = Graph().parse(data=export(store, ExportFormat.DPV), format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    gdpr = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
    bases = set(graph.objects(None, dpv.hasLegalBasis))
    assert {gdpr["A45-3"], gdpr["A46"]} <= bases  # USA (DPF) and India (safeguards)


def test_fides_manifest_validates_with_fideslang(seed_store: NetworkxStore) -> None:
    import yaml
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY
    from fideslang.models import System

    text = export(seed_store, ExportFormat.FIDES)
    assert isinstance(text, str)
    systems = yaml.safe_load(text)["system"]
    assert len(systems) == 11
    known = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    subjects = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}
    for system in systems:
        System.model_validate(system)
        for declaration in system["privacy_declarations"]:
            assert set(declaration["data_categories"]) <= known
            assert set(declaration["data_subjects"]) <= subjects
    mvr = next(s for s in systems if s["name"] == "Mobilt Opptak (MVR)")
    assert "user.content.private" in mvr["privacy_declarations"][0]["data_categories"]


def test_every_vocabulary_fides_key_is_in_fideslang() -> None:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    from dataflyt.reference.vocabulary import vocabulary

    known = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    subjects = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}
    assert {c.fides for c in vocabulary().categories.values()} <= known
    assert {s.fides for s in vocabulary().subjects.values()} <= subjects
