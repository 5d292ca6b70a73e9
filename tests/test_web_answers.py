"""The explorer's answers, on every store: a breach's chain with each party's places ("not
stated" where none), a group's entities, a way that is only possible; transfers with every
filter, the flows whose place is not stated and whether data leaves the EEA (also when that is
not known); the JSON the CLI prints; and each as of the date asked about."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient

from dataflyt.answer_json import answer_json
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Country,
    Engages,
    GraphBatch,
    Organisation,
    ProcessedIn,
    Provides,
    Service,
)
from dataflyt.graph.store import GraphStore
from dataflyt.queries.breach import breach
from dataflyt.queries.transfers import transfers
from dataflyt.web.app import create_app
from tests.regenerate_golden import document_version
from tests.shared_maps import load_no_places
from tests.web_fixtures import BEFORE_2024, text_of

ANNEX = "PHONERO TJENESTEBESKRIVELSE"


def test_breach_page_gives_the_chain_with_each_partys_places(client: TestClient) -> None:
    page = text_of(client.get("/breach?organisation=link+mobility").text)
    assert "A breach at Link Mobility" in page
    assert (
        "A breach at Link Mobility affects 3 services, 14 data categories, 5 kinds of data "
        "subjects; Link Mobility processes the data in 1 place."
    ) in page
    assert (
        "Phonero Bedriftsnett Customer (controller) Phonero (processor) Norway (NO): Inside the "
        f"EEA phonero-2024.txt:10 ({ANNEX}, 2024-02-01): Norge Link Mobility (sub-processor) "
        f"Norway (NO): Inside the EEA phonero-2024.txt:10 ({ANNEX}, 2024-02-01): Norge "
        "9 categories (assumed: all) Employees"
    ) in page
    assert "Link Mobility Phonero Art. 33(2) (duty passed on by Art. 28(4))" in page
    assert "Customer (controller) Supervisory authority Art. 33(1)" in page


def test_breach_page_says_not_stated_where_no_document_places_a_party(client: TestClient) -> None:
    page = text_of(client.get("/breach?organisation=Mailgun").text)
    assert (
        "Mailgun Technologies, Inc. processes the data in 0 places, and no document states "
        "where for 1 service."
    ) in page
    assert (
        "Kvitre Mail Customer (controller) Kvitre Mail (processor) not stated Mailgun "
        "Technologies, Inc. (sub-processor) not stated not stated: no document names its "
        "categories not stated not stated"
    ) in page
    assert "Data categories exposed not stated: no document names the categories" in page
    assert (
        "Where Mailgun Technologies, Inc. processes the exposed data not stated for Kvitre Mail"
        in page
    )


def test_breach_at_a_group_covers_its_legal_entities(client: TestClient) -> None:
    response = client.get("/breach?organisation=Telia")
    page = text_of(response.text)
    assert "Telia covers 1 legal entity: Phonero." in page
    assert "A breach at Telia affects 11 services" in page
    assert '<a href="/node/org:phonero">Phonero</a>' in response.text


def test_breach_json_is_the_clis(client: TestClient, explorer_store: GraphStore) -> None:
    response = client.get("/breach.json?organisation=Link Mobility")
    assert response.headers["content-type"] == "application/json"
    assert response.text == answer_json(breach(explorer_store, "Link Mobility"))


def test_breach_diagram_is_inline_svg(client: TestClient) -> None:
    fragment = client.get(
        "/breach/diagram?organisation=Link Mobility", headers={"HX-Request": "true"}
    ).text
    assert fragment.lstrip().startswith('<figure class="diagram-figure">')
    assert '<svg class="diagram"' in fragment and "Link Mobility" in fragment


def test_a_breach_as_of_a_date(client: TestClient) -> None:
    latest = text_of(client.get("/breach?organisation=Bluestone").text)
    assert "India (IN) outside the EEA: Phonero nettbutikk Smart Mobilkjøp" in latest
    before = text_of(client.get(f"/breach?organisation=Bluestone&as_of={BEFORE_2024}").text)
    assert "Germany (DE): Phonero nettbutikk Smart Mobilkjøp" in before and "India" not in before
    assert f"phonero-tjenestebeskrivelse.txt:25 ({ANNEX}, 2021-03-15): Tyskland" in before


def possible_way(folder: Path) -> EmbeddedStore:
    """Return a map where a customer's portal engages an alarm company that provides two
    services, one of which engages an SMS gateway no document places."""
    doc = document_version(
        "kundeportal", "Kundeportal: databehandlere", "Kunde IT AS", "2024-03-01"
    )
    nodes: list[AnyNode] = [
        Organisation(id="org:kunde-it.as", name="Kunde IT AS"),
        Organisation(id="org:nordvakt.as", name="Nordvakt AS"),
        Organisation(id="org:sendr.as", name="Sendr AS"),
        Service(id="service:kunde-it/kundeportal", name="Kundeportal"),
        Service(id="service:nordvakt/alarm", name="Nordvakt Alarm"),
        Service(id="service:nordvakt/logg", name="Nordvakt Logg"),
        Country(id="country:no", name="Norway", code="NO", eea=True),
    ]
    portal, alarm, log = (
        "service:kunde-it/kundeportal",
        "service:nordvakt/alarm",
        "service:nordvakt/logg",
    )
    edges: list[AnyEdge] = [
        Provides(source="org:kunde-it.as", target=portal, role="processor", doc=doc.id, line=3),
        Provides(source="org:nordvakt.as", target=alarm, role="processor", doc=doc.id, line=4),
        Provides(source="org:nordvakt.as", target=log, role="processor", doc=doc.id, line=5),
        Engages(source=portal, target="org:nordvakt.as", doc=doc.id, line=3),
        ProcessedIn(source=portal, target="country:no", doc=doc.id, line=3, text="Norge"),
        Engages(source=log, target="org:sendr.as", purpose="SMS-varsling", doc=doc.id, line=5),
    ]
    store = EmbeddedStore(folder / "map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=nodes, edges=edges))
    return store


def test_a_way_the_map_only_makes_possible_is_marked(tmp_path: Path) -> None:
    client = TestClient(create_app(possible_way(tmp_path)))
    page = text_of(client.get("/breach?organisation=Sendr").text)
    assert (
        "Kundeportal Customer (controller) Kunde IT AS (processor) Norway (NO): Inside the EEA "
        "kundeportal.txt:3 (Kundeportal: databehandlere, 2024-03-01): Norge Nordvakt AS (sub-"
        "processor, in its service Nordvakt Logg) not stated Sendr AS (sub-processor) not stated"
    ) in page
    assert (
        "Possibly: the map does not say which of Nordvakt AS's services Kundeportal uses; its "
        "service Nordvakt Logg leads to the breach"
    ) in page
    assert "not stated for Kundeportal, Nordvakt Logg" in page


def test_transfers_say_whether_data_leaves_the_eea(client: TestClient) -> None:
    page = text_of(client.get("/transfers").text)
    assert "Data leaves the EEA according to the documents: 5 flows. JSON" in page
    assert "Flows outside the EEA (5)" in page
    assert "Places the document says are not exhaustive (5)" in page
    assert (
        "Flows whose place no document states (4) data of processed by place status note source "
        "Kvitre Mail Functional Software, Inc. not stated not stated: not known to stay in the EEA "
        "kvitre-subprocessors.md:10 (Kvitre Mail: sub-processors, 2024-05-02): Functional "
        "Software, Inc. (Sentry)"
    ) in page
    before = text_of(client.get(f"/transfers?as_of={BEFORE_2024}").text)
    assert "No data leaves the EEA according to the documents." in before
    assert "Flows outside the EEA (0) None." in before


def test_transfers_not_known_to_stay_say_so(tmp_path: Path) -> None:
    store = load_no_places(EmbeddedStore(tmp_path / "map.json"))
    assert transfers(store).leaves_eea is None
    page = text_of(TestClient(create_app(store)).get("/transfers").text)
    assert (
        "Not known whether data leaves the EEA: no flow is stated to, but 4 flows have no stated "
        "place."
    ) in page


def test_transfers_filters(client: TestClient) -> None:
    by_country = text_of(client.get("/transfers?country=IN").text)
    assert "Flows outside the EEA (2)" in by_country
    assert (
        "Phonero nettbutikk Smart Mobilkjøp Bluestone AS India (IN) Third country without "
        "adequacy: Art. 46 safeguards needed"
    ) in by_country
    assert "Phonero nettbutikk Smart Mobilkjøp Phonero India (IN)" in by_country
    assert "Flows whose place no document states (0) None match the filter." in by_country
    adequacy = text_of(client.get("/transfers?status=adequacy").text)
    assert "Flows outside the EEA (2)" in adequacy and "Customer support Twilio" in adequacy
    unstated = text_of(client.get("/transfers?status=not_stated").text)
    assert "Flows outside the EEA (0)" in unstated
    assert "Flows whose place no document states (4)" in unstated
    by_holder = text_of(client.get("/transfers?service=analog").text)
    assert "Flows outside the EEA (0)" in by_holder
    assert "Places the document says are not exhaustive (2)" in by_holder
    by_processor = text_of(client.get("/transfers?provider=Amazon Web Services&country=US").text)
    assert "Flows outside the EEA (1) " in by_processor
    assert "Zendesk, Inc. Amazon Web Services United States (US)" in by_processor


def test_transfers_offer_the_values_the_flows_hold(client: TestClient) -> None:
    page = client.get("/transfers").text
    assert '<option value="IN">India (IN)</option>' in page
    assert '<option value="not_stated">place not stated</option>' in page
    assert '<option value="Mailgun Technologies, Inc.">Mailgun Technologies, Inc.</option>' in page


def test_transfers_json_is_the_clis(client: TestClient, explorer_store: GraphStore) -> None:
    response = client.get("/transfers.json")
    assert response.text == answer_json(transfers(explorer_store))
    assert response.json()["leaves_eea"] is True
