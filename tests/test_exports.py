"""Exports of the whole map: JSON that loads back byte-identically, GraphML that networkx reads,
DPV JSON-LD read back with rdflib, fideslang manifests validated by fideslang; hostile names
(formula injection, quotes, backslashes, control characters) go through every format. The
record of processing has its own tests (``test_record``), the Cypher script too
(``test_export_cypher``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.exports import ExportFormat, export
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.reference.jurisdictions import TransferStatus
from tests.export_fixtures import FIKEN, HOSTILE, HOSTILE_SERVICE, everything

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[1] / "dataflyt" / "examples"
# the Cypher script has its own tests (test_export_cypher.py)
FORMATS = [f for f in ExportFormat if f is not ExportFormat.CYPHER]


def acme_store(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "acme.json")
    load_files(store, [DATA / "acme-annex.txt", EXAMPLES / "acme-datamap.yaml"])
    return store


def service_uri(store: GraphStore, name: str) -> str:
    """Return the DPV node of the service ``name``."""
    [found] = [n.id for n in store.nodes(NodeKind.SERVICE) if n.name == name]
    return "urn:dataflyt:" + found


# -- JSON, GraphML --------------------------------------------------------------------------


def test_json_export_loads_back_identically(hostile_store: EmbeddedStore, tmp_path: Path) -> None:
    first = export(hostile_store, ExportFormat.JSON)
    path = tmp_path / "export.json"
    path.write_text(str(first), "utf-8")
    again = EmbeddedStore(tmp_path / "other.json")
    load_files(again, [path])
    assert export(again, ExportFormat.JSON) == first
    assert everything(again) == everything(hostile_store)
    assert json.loads(first)["format"] == "dataflyt-map"


def test_a_pretty_printed_map_export_is_still_read_as_a_map(
    seed_store: EmbeddedStore, tmp_path: Path
) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(json.loads(export(seed_store, ExportFormat.JSON)), indent=4))
    again = EmbeddedStore(tmp_path / "other.json")
    load_files(again, [path])
    assert export(again, ExportFormat.JSON) == export(seed_store, ExportFormat.JSON)


def test_a_bad_map_export_changes_nothing(seed_store: EmbeddedStore, tmp_path: Path) -> None:
    from dataflyt.errors import MapFileError

    before = export(seed_store, ExportFormat.JSON)
    path = tmp_path / "bad.json"
    path.write_text('{"format": "dataflyt-map", "version": 99, "nodes": [], "edges": []}')
    with pytest.raises(MapFileError, match=r"bad\.json: cannot read the map: map version 99"):
        load_files(seed_store, [EXAMPLES / "acme-datamap.yaml", path])
    assert export(seed_store, ExportFormat.JSON) == before


def test_graphml_is_read_by_networkx(hostile_store: EmbeddedStore) -> None:
    import networkx as nx

    graph = nx.parse_graphml(export(hostile_store, ExportFormat.GRAPHML), force_multigraph=True)
    nodes, edges = everything(hostile_store)
    assert graph.number_of_nodes() == len(nodes)
    assert graph.number_of_edges() == len(edges)
    assert graph.nodes["org:touch-technology.as"]["name"] == "Touch Technology AS"
    assert graph.nodes["org:touch-technology.as"]["kind"] == "Organisation"
    assert graph.nodes["org:h0"]["name"] == HOSTILE[0]
    # XML cannot hold control characters: they become U+FFFD
    assert graph.nodes["org:h6"]["name"] == "control \ufffd\ufffd\x7f\u2028 characters"
    assert graph.nodes["country:us"]["eea"] is False
    [hops] = graph.get_edge_data("org:h0", "org:h1").values()
    assert (hops["kind"], hops["text"], hops["line"]) == ("ENGAGES", HOSTILE[0], 0)
    assert hops["purpose"] == "control \ufffd\ufffd\x7f\u2028 characters"


def test_graphml_booleans_are_xml_schema_booleans(seed_store: EmbeddedStore) -> None:
    """GraphML's boolean is xsd:boolean: "true" or "false", never Python's "True"."""
    from xml.etree import ElementTree

    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    root = ElementTree.fromstring(export(seed_store, ExportFormat.GRAPHML))
    booleans = {k.get("id") for k in root.iterfind("g:key[@attr.type='boolean']", ns)}
    values = {d.text for d in root.iterfind(".//g:data", ns) if d.get("key") in booleans}
    assert values == {"true", "false"}


def test_graphml_keeps_one_place_per_engagement(tmp_path: Path) -> None:
    """Two sub-processors placed in one country by one document are two facts, not one."""
    import networkx as nx

    store = acme_store(tmp_path)
    graph = nx.parse_graphml(export(store, ExportFormat.GRAPHML), force_multigraph=True)
    support = service_uri(store, "Customer support").removeprefix("urn:dataflyt:")
    places = graph.get_edge_data(support, "country:us")
    assert sorted(e.get("by", "") for e in places.values()) == ["", "org:twilio"]


# -- DPV --------------------------------------------------------------------------------------


def test_dpv_json_ld_parses_back_with_the_right_triples(seed_store: EmbeddedStore) -> None:
    from rdflib import RDF, Graph, Namespace, URIRef

    text = export(seed_store, ExportFormat.DPV)
    assert isinstance(text, str)
    graph = Graph().parse(data=text, format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    pd = Namespace("https://w3id.org/dpv/pd#")
    loc = Namespace("https://w3id.org/dpv/loc#")
    mvr = URIRef(service_uri(seed_store, "Mobilt Opptak (MVR)"))
    phonero = URIRef("urn:dataflyt:org:phonero")
    assert (mvr, RDF.type, dpv.Process) in graph
    assert (mvr, dpv.hasPersonalData, pd.VoiceCommunicationRecording) in graph
    assert (mvr, dpv.hasPersonalData, pd.EmailAddress) in graph
    assert (mvr, dpv.hasPersonalData, pd.TelephoneNumber) in graph
    assert (mvr, dpv.hasDataSubject, dpv.Employee) in graph
    assert (mvr, dpv.hasLocation, loc.NO) in graph
    assert (mvr, dpv.hasDataProcessor, phonero) in graph
    assert (phonero, RDF.type, dpv.DataProcessor) in graph
    touch = URIRef("urn:dataflyt:org:touch-technology.as")
    assert (touch, RDF.type, dpv.DataSubProcessor) in graph
    assert (mvr, dpv.hasRecipient, touch) in graph
    portal = URIRef(service_uri(seed_store, "Phonero Bedriftsportal & Fakturakontroll"))
    assert (portal, dpv.hasDataController, phonero) in graph
    assert (phonero, RDF.type, dpv.DataController) in graph
    # every place the annex states (also for the sub-processor each row names) is in the EEA
    assert not list(graph.subjects(dpv.hasProcessing, dpv.CrossBorderTransfer))
    assert not list(graph.subjects(dpv.hasProcessing, dpv.Transfer))
    assert {str(uri) for uri in graph.predicates()} <= {
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#type",
        "http://www.w3.org/2000/01/rdf-schema#label",
        "http://www.w3.org/2000/01/rdf-schema#comment",
        *(
            f"https://w3id.org/dpv#{name}"
            for name in (
                "hasApplicability",
                "hasDataController",
                "hasDataProcessor",
                "hasDataSubject",
                "hasLocation",
                "hasPersonalData",
                "hasProcess",
                "hasProcessing",
                "hasRecipient",
            )
        ),
    }


def test_dpv_marks_a_transfer_whose_place_is_not_stated(tmp_path: Path) -> None:
    from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef

    path = tmp_path / "fiken-underleverandorer.md"
    path.write_text(FIKEN, "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [path], provider="Fiken AS")
    graph = Graph().parse(data=export(store, ExportFormat.DPV), format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    service = URIRef(service_uri(store, "Fiken AS"))
    transfers = set(graph.objects(service, dpv.hasProcess))
    # the provider's place and each sub-processor's: none stated, each marked so
    recipients = {o for t in transfers for o in graph.objects(t, dpv.hasRecipient)}
    assert recipients == {
        URIRef("urn:dataflyt:org:fiken.as"),
        URIRef("urn:dataflyt:org:amazon-web-services-emea.sarl"),
        URIRef("urn:dataflyt:org:zendesk.inc"),
    }
    for transfer in transfers:
        assert (transfer, dpv.hasProcessing, dpv.Transfer) in graph
        assert not list(graph.objects(transfer, dpv.hasLegalBasis))
        [place] = graph.objects(transfer, dpv.hasLocation)
        assert (place, RDF.type, dpv.Location) in graph
        assert (place, dpv.hasApplicability, dpv.NotAvailable) in graph
        assert (place, RDFS.label, Literal("not stated")) in graph
        assert (
            transfer,
            RDFS.comment,
            Literal("place of processing not stated: not known to stay in the EEA"),
        ) in graph


def test_dpv_transfers_carry_their_legal_basis_in_words(tmp_path: Path) -> None:
    from rdflib import RDFS, Graph, Literal, Namespace, URIRef

    store = acme_store(tmp_path)
    graph = Graph().parse(data=export(store, ExportFormat.DPV), format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    gdpr = Namespace("https://w3id.org/dpv/legal/eu/gdpr#")
    loc = Namespace("https://w3id.org/dpv/loc#")
    centre = service_uri(store, "Acme Contact Centre")
    support = service_uri(store, "Customer support")

    def bases(service: str, transfer: str) -> set[object]:
        node = URIRef(f"{service}/transfer/{transfer}")
        assert (URIRef(service), dpv.hasProcess, node) in graph
        assert (node, dpv.hasProcessing, dpv.CrossBorderTransfer) in graph
        return set(graph.objects(node, dpv.hasLegalBasis))

    # India: no adequacy decision and no safeguards stated; the provider processes there
    assert bases(centre, "IN") == {dpv.DataTransferLegalBasis}
    india = URIRef(f"{centre}/transfer/IN")
    assert (india, dpv.hasLocation, loc.IN) in graph
    comment = "Third country without adequacy: Art. 46 safeguards needed"
    assert (india, RDFS.comment, Literal(comment)) in graph
    # a sub-processor's place for this engagement, with the SCCs and DPF its row states
    assert bases(support, "org:twilio/US") == {gdpr["A45-3"], gdpr["A46-2-c"]}
    # further down the chain: Zendesk's engagement of AWS, as Zendesk's entry states it
    assert bases(support, "org:zendesk.inc/org:amazon-web-services/US") == {gdpr["A46-2-c"]}
    equinix = URIRef("urn:dataflyt:org:equinix")  # two hops down Zendesk's chain
    assert (URIRef(support), dpv.hasRecipient, equinix) in graph
    # the user's own organisation is the controller of what its processors do
    acme = URIRef("urn:dataflyt:org:acme.as")
    assert (URIRef(support), dpv.hasDataController, acme) in graph
    assert (acme, RDFS.label, Literal("Acme AS")) in graph
    # statuses are written in words, never as codes
    comments = {str(c) for c in graph.objects(None, RDFS.comment)}
    assert not comments & {status.value for status in TransferStatus}


def test_dpv_gives_an_engagement_only_its_own_places(tmp_path: Path) -> None:
    """GitHub's list places its Zendesk in the US; Phonero's annex (restated in a data map)
    places Phonero's in Germany: Phonero's support process has no transfer at all."""
    from rdflib import Graph, Namespace, URIRef

    restated = tmp_path / "phonero.yaml"
    restated.write_text(
        "title: Phonero\nservices:\n  - name: Supporthenvendelser via mail/Chat\n"
        "    provider: Phonero\n    categories: [navn]\n    countries: [Tyskland]\n"
        "    subprocessors: [{name: Zendesk, countries: [Tyskland]}]\n",
        "utf-8",
    )
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [restated])
    load_files(store, [DATA / "github-subprocessors-2021.md"], provider="GitHub, Inc.")
    graph = Graph().parse(data=export(store, ExportFormat.DPV), format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    support = URIRef(service_uri(store, "Supporthenvendelser via mail/Chat"))
    github = URIRef(service_uri(store, "GitHub, Inc."))
    assert (support, dpv.hasRecipient, URIRef("urn:dataflyt:org:zendesk")) in graph
    assert list(graph.objects(support, dpv.hasProcess)) == []
    assert (github, dpv.hasProcess, URIRef(f"{github}/transfer/org:zendesk/US")) in graph


def test_dpv_names_the_controller_from_the_settings(seed_store: EmbeddedStore) -> None:
    from rdflib import Graph, Literal, Namespace, URIRef

    text = export(seed_store, ExportFormat.DPV, controller="Fjordkraft AS")
    graph = Graph().parse(data=text, format="json-ld")
    dpv = Namespace("https://w3id.org/dpv#")
    mvr = URIRef(service_uri(seed_store, "Mobilt Opptak (MVR)"))
    [controller] = graph.objects(mvr, dpv.hasDataController)
    assert Literal("Fjordkraft AS") in set(graph.objects(controller, None))


def test_dpv_keeps_hostile_names_as_literals(hostile_store: EmbeddedStore) -> None:
    from rdflib import RDFS, Graph, Literal

    graph = Graph().parse(data=export(hostile_store, ExportFormat.DPV), format="json-ld")
    labels = {str(o) for o in graph.objects(None, RDFS.label)}
    assert {HOSTILE_SERVICE, '=HYPERLINK("http://x")'} <= labels
    assert any(o == Literal("+cmd|' /C calc'!A0") for o in graph.objects())


# -- fideslang --------------------------------------------------------------------------------


def fides_systems(store: GraphStore) -> dict[str, dict[str, object]]:
    import yaml

    return {s["name"]: s for s in yaml.safe_load(str(export(store, ExportFormat.FIDES)))["system"]}


def test_fides_manifest_validates_with_fideslang(seed_store: EmbeddedStore) -> None:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY
    from fideslang.models import System

    systems = fides_systems(seed_store)
    assert len(systems) == 11
    known = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    subjects = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}
    for system in systems.values():
        checked = System.model_validate(system)
        for declaration in checked.privacy_declarations:
            assert set(declaration.data_categories) <= known
            assert set(declaration.data_subjects) <= subjects
    mvr = systems["Mobilt Opptak (MVR)"]
    [declaration] = mvr["privacy_declarations"]  # type: ignore[misc]
    assert "user.content.private" in declaration["data_categories"]
    assert declaration["data_subjects"] == ["employee"]
    assert declaration["third_parties"] == "Touch Technology AS"
    # communications content is confidential, but not an Art. 9 special category
    assert "processes_special_category_data" not in declaration


def test_fides_never_reads_an_unstated_place_as_no_transfer(
    seed_store: EmbeddedStore, tmp_path: Path
) -> None:
    path = tmp_path / "fiken-underleverandorer.md"
    path.write_text(FIKEN, "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [path], provider="Fiken AS")
    fiken = fides_systems(store)["Fiken AS"]
    assert "does_international_transfers" not in fiken  # fideslang's "no", said only with ...
    assert fiken["meta"] == {  # ... why it is not known
        "international_transfers": "not known: where it is processed is not stated for Fiken "
        "AS, Amazon Web Services EMEA SARL, Zendesk, Inc."
    }
    link = fides_systems(seed_store)["Phonero Link"]  # Norway, no sub-processors: in the EEA
    assert "does_international_transfers" not in link and "meta" not in link


def test_fides_states_transfers_retention_and_security(tmp_path: Path) -> None:
    support = fides_systems(acme_store(tmp_path))["Customer support"]
    assert support["does_international_transfers"] is True
    assert support["data_security_practices"] == (
        "Encryption in transit (TLS 1.2+) and at rest (AES-256); ISO/IEC 27001 certified"
    )
    [declaration] = support["privacy_declarations"]  # type: ignore[misc]
    assert declaration["retention_period"] == "12 months after the ticket is closed"
    assert declaration["third_parties"] == "Twilio, Amazon Web Services, Equinix"


def test_fides_marks_special_categories_and_keeps_hostile_names(
    hostile_store: EmbeddedStore, tmp_path: Path
) -> None:
    import yaml

    assert HOSTILE_SERVICE in fides_systems(hostile_store)
    path = tmp_path / "health.yaml"
    path.write_text(
        "title: Clinic\nowner: Clinic AS\nservices:\n  - name: Journal\n    provider: Clinic AS\n"
        "    role: processor\n    categories: [helseopplysninger]\n",
        "utf-8",
    )
    store = EmbeddedStore(tmp_path / "clinic.json")
    load_files(store, [path])
    [system] = yaml.safe_load(str(export(store, ExportFormat.FIDES)))["system"]
    [declaration] = system["privacy_declarations"]
    assert declaration["processes_special_category_data"] is True
    assert declaration["data_categories"] == ["user.health_and_medical"]


def test_every_vocabulary_fides_key_is_in_fideslang() -> None:
    from fideslang.default_taxonomy import DEFAULT_TAXONOMY

    from dataflyt.reference.vocabulary import vocabulary

    known = {c.fides_key for c in DEFAULT_TAXONOMY.data_category}
    subjects = {s.fides_key for s in DEFAULT_TAXONOMY.data_subject}
    assert {c.fides for c in vocabulary().categories.values()} <= known
    assert {s.fides for s in vocabulary().subjects.values()} <= subjects


def test_every_vocabulary_dpv_term_is_in_dpv_2() -> None:
    from dataflyt.reference.vocabulary import vocabulary

    listed = Path(__file__).parent / "data" / "dpv-2.0-pd-terms.txt"
    pd_terms = {line for line in listed.read_text("utf-8").splitlines() if line[:1].isalpha()}
    core = {"PersonalData", "SpecialCategoryPersonalData"}  # the DPV 2.0 core terms used
    written = {c.dpv for c in vocabulary().categories.values() if c.dpv}
    unknown = sorted(
        term
        for term in written
        if not (term.startswith("pd:") and term[3:] in pd_terms)
        and not (term.startswith("dpv:") and term[4:] in core)
    )
    assert unknown == []


# -- every format, and the command ------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_gives_the_same_output_for_the_same_map(
    fmt: ExportFormat, hostile_store: EmbeddedStore, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(str(export(hostile_store, ExportFormat.JSON)), "utf-8")
    other = EmbeddedStore(tmp_path / "other.json")
    load_files(other, [copy])
    assert export(other, fmt) == export(hostile_store, fmt)


@pytest.mark.neo4j
def test_every_format_is_the_same_from_neo4j(
    hostile_store: EmbeddedStore, neo4j_store: GraphStore, tmp_path: Path
) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(str(export(hostile_store, ExportFormat.JSON)), "utf-8")
    load_files(neo4j_store, [copy])
    for fmt in ExportFormat:
        assert export(neo4j_store, fmt) == export(hostile_store, fmt), fmt


def test_cli_export_to_stdout(
    seed_store: EmbeddedStore, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATAFLYT_CONTROLLER", "Fjordkraft AS")
    result = runner.invoke(
        app, ["export", "--map", str(seed_store.path), "-f", "ropa-csv", "-o", "-"]
    )
    assert result.exit_code == 0
    header, first = result.stdout.splitlines()[:2]
    assert header.startswith("Processing activity (service),Controller,Controller contact,")
    assert first.startswith("Analog Aksess (fastlinje tale),Fjordkraft AS,not stated,")


def test_cli_export_to_a_file(
    seed_store: EmbeddedStore, runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFLYT_CONTROLLER", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env of the checkout's
    out = tmp_path / "ropa.xlsx"
    result = runner.invoke(
        app, ["export", "--map", str(seed_store.path), "--format", "ropa-xlsx", "-o", str(out)]
    )
    assert result.exit_code == 0
    assert out.read_bytes() == export(seed_store, ExportFormat.ROPA_XLSX)
    assert result.stderr.startswith(f"Wrote {out} (ropa-xlsx, ")


def test_cli_refuses_a_workbook_on_stdout(seed_store: EmbeddedStore, runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["export", "--map", str(seed_store.path), "-f", "ropa-xlsx", "-o", "-"]
    )
    assert result.exit_code == 2
    assert "ropa-xlsx is not text" in result.stderr
