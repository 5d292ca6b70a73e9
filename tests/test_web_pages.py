"""The explorer's pages of the map, on every store: the overview with its documents and the
points needing attention (the diagrams' own list), search as you type, the page of a node of
every kind with every fact cited and a link to every neighbour, ``touches``, the graph's data."""

from __future__ import annotations

import re

from starlette.testclient import TestClient

from dataflyt.diagrams.findings import attention_points
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.graph.model import Document, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.browse import show_node
from dataflyt.web.templating import node_url
from tests.web_fixtures import BEFORE_2024, text_of

MOBILT_OPPTAK = "/node/service:phonero/mobilt-opptak-mvr~5377620a"
ANNEX = "PHONERO TJENESTEBESKRIVELSE"
FRAGMENT = {"HX-Request": "true"}


def test_overview_lists_counts_and_documents_in_force(client: TestClient) -> None:
    page = text_of(client.get("/").text)
    assert "13 services 18 organisations 33 categories 8 subjects 5 countries 3 documents" in page
    assert "Documents in force (3 of 4 versions kept)" in page
    assert f"{ANNEX} Phonero 2024-02-01 2024-02-01" in page
    before = text_of(client.get(f"/?as_of={BEFORE_2024}").text)
    assert "11 services 7 organisations 33 categories 8 subjects 2 countries 1 documents" in before
    assert "Documents in force (1 of 4 versions kept)" in before
    assert f"{ANNEX} Phonero 2021-03-15 2021-03-15" in before


def test_attention_points_are_the_diagrams(client: TestClient, explorer_store: GraphStore) -> None:
    expected = attention_points(select(explorer_store, Scope(kind=ScopeKind.ALL)))
    page = text_of(client.get("/attention", headers=FRAGMENT).text)
    assert page.startswith(
        f"{len(expected)} points, as the DPIA report of the whole map lists them"
    )
    assert (
        "High-sensitivity data Mobilt Opptak (MVR) Call recordings: communications content, "
        "confidential under ePrivacy rules; check the legal basis and safeguards. "
        f"phonero-2024.txt:13 ({ANNEX}, 2024-02-01): Samtaleopptak"
    ) in page
    assert (
        "Transfer Bluestone AS (sub-processor of Phonero nettbutikk Smart Mobilkjøp) Transfer to "
        "India without an adequacy decision"
    ) in page
    rows = re.findall(r"<tr><td>", client.get("/attention", headers=FRAGMENT).text)
    assert len(rows) == min(len(expected), 200)


def test_search_fragment_for_htmx_and_page_otherwise(client: TestClient) -> None:
    fragment = client.get("/search?q=samtaleopptak", headers=FRAGMENT).text
    assert "<html" not in fragment
    assert text_of(fragment) == "1 data category Call recordings (matched “samtaleopptak”)"
    assert 'href="/node/category:call_recordings"' in fragment
    page = client.get("/search?q=samtaleopptak").text
    assert page.startswith("<!DOCTYPE html>") and 'value="samtaleopptak"' in page


def test_search_finds_an_organisation_by_the_name_a_document_spells(client: TestClient) -> None:
    fragment = text_of(client.get("/search?q=zendesk", headers=FRAGMENT).text)
    assert fragment == "1 organisation Zendesk, Inc. (matched “Zendesk”)"


def test_search_with_nothing_found_says_so(client: TestClient) -> None:
    fragment = client.get("/search?q=qqqzzz", headers=FRAGMENT).text
    assert text_of(fragment) == "Nothing in the map matches “qqqzzz”."


def test_service_page_cites_every_fact(client: TestClient) -> None:
    page = text_of(client.get(MOBILT_OPPTAK).text)
    assert "service Mobilt Opptak (MVR) id service:phonero/mobilt-opptak-mvr~5377620a" in page
    assert (
        "provider Phonero (Processor) purposes not stated data subjects Employees "
        "legal basis not stated retention not stated security measures not stated"
    ) in page
    assert (
        f"Where Phonero processes it Norway (NO): Inside the EEA phonero-2024.txt:13 ({ANNEX}, "
        "2024-02-01): Norge"
    ) in page
    assert (
        f"Call recordings high Employees phonero-2024.txt:13 ({ANNEX}, 2024-02-01): Samtaleopptak"
    ) in page
    assert (
        "Sub-processors (1) engaged by sub-processor purpose receives where, for this engagement "
        "source Mobilt Opptak (MVR) Touch Technology AS not stated not stated (all of the "
        f"service's categories assumed) Norway (NO): Inside the EEA phonero-2024.txt:13 ({ANNEX}, "
        f"2024-02-01): Norge phonero-2024.txt:13 ({ANNEX}, 2024-02-01): Touch Technology AS"
    ) in page
    assert "Processed in (2)" in page and "Norway by: Touch Technology AS" in page


def test_a_service_no_document_places_says_not_stated(client: TestClient) -> None:
    page = text_of(client.get("/node/service:kvitre-mail/kvitre-mail").text)
    assert "Where Kvitre Mail processes it not stated" in page
    assert "Data categories (0) not stated: no document names the categories it processes." in page
    assert (
        "Kvitre Mail Mailgun Technologies, Inc. Email delivery not stated (all of the service's "
        "categories assumed) not stated kvitre-subprocessors.md:9"
    ) in page


def test_organisation_page_shows_its_services_and_engagements(client: TestClient) -> None:
    page = text_of(client.get("/node/org:zendesk.inc").text)
    assert (
        "Services it provides (1) service role source Customer support Processor "
        "acme-datamap.yaml:33 (Acme data map, 2025-01-31): databehandler"
    ) in page
    assert (
        "Engaged by (1) engaged by sub-processor purpose receives where, for this engagement "
        "source Supporthenvendelser via mail/Chat Zendesk, Inc. not stated not stated"
    ) in page
    assert "Germany (DE): Inside the EEA phonero-2024.txt:24" in page
    assert (
        "Sub-processors it engages (2) engaged by sub-processor purpose receives where, for this "
        "engagement source Customer support Twilio telephony Call recordings United States (US): "
        "Third country with an adequacy decision (Art. 45); stated safeguards: Standard "
        "Contractual Clauses, EU-US Data Privacy Framework acme-datamap.yaml:47 (Acme data map, "
        "2025-01-31): USA"
    ) in page
    assert (
        "Zendesk, Inc. Amazon Web Services hosting not stated (all of the service's categories "
        "assumed) Ireland (IE): Inside the EEA acme-datamap.yaml:22"
    ) in page


def test_organisation_page_matches_show(client: TestClient, explorer_store: GraphStore) -> None:
    shown = show_node(explorer_store, "org:phonero")
    assert shown.organisation is not None
    page = client.get("/node/org:phonero").text
    for provided in shown.organisation.provides:
        assert f'href="{node_url(provided.service_id)}"' in page
    links = set(re.findall(r'href="(/node/service:[^"]+)"', page))
    assert len(links) == 11


def test_category_page_says_what_it_is_and_loads_what_touches_it(client: TestClient) -> None:
    response = client.get("/node/category:call_recordings")
    page = text_of(response.text)
    assert "key call_recordings name no Samtaleopptak" in page and "sensitivity high" in page
    assert (
        "Processed by (2) service what the document says source Customer support subjects: "
        "callers acme-datamap.yaml:41 (Acme data map, 2025-01-31): Samtaleopptak"
    ) in page
    assert 'hx-get="/touches?category=Call+recordings" hx-trigger="load"' in response.text


def test_touches_answers_as_the_cli(client: TestClient) -> None:
    page = text_of(client.get("/touches?category=samtaleopptak").text)
    assert "2 services touch Call recordings" in page
    assert (
        "Mobilt Opptak (MVR) Phonero (Processor) Call recordings phonero-2024.txt:13 "
        f"({ANNEX}, 2024-02-01): Samtaleopptak Employees Touch Technology AS Norway (NO)"
    ) in page
    covered = text_of(client.get("/touches?category=communications content").text)
    assert "touch Communications content (and Call recordings, " in covered


def test_country_page_says_where_it_stands(client: TestClient) -> None:
    page = text_of(client.get("/node/country:us").text)
    assert "code US region no eea no" in page
    assert (
        "Processing here: Outside the EEA: adequacy for organisations certified under the EU-US "
        "Data Privacy Framework only (Commission Implementing Decision (EU) 2023/1795"
    ) in page
    india = text_of(client.get("/node/country:in").text)
    assert "Phonero nettbutikk Smart Mobilkjøp by: Bluestone AS phonero-2024.txt:25" in india
    response = client.get(f"/node/country:in?as_of={BEFORE_2024}")
    assert response.status_code == 404


def test_subject_page_lists_the_services_processing_their_data(client: TestClient) -> None:
    page = text_of(client.get("/node/subject:employees").text)
    assert "key employees name no Ansatte" in page
    assert "Services processing their data (4)" in page


def test_document_page_lists_the_versions(client: TestClient, explorer_store: GraphStore) -> None:
    versions = sorted(
        (v for v in explorer_store.document_versions() if v.name == ANNEX),
        key=lambda v: v.valid_from,
    )
    first, latest = versions
    page = client.get(f"/node/{latest.id}").text
    text = text_of(page)
    assert "provider Phonero" in text and "valid from 2024-02-01" in text
    assert "Versions of this document (2)" in text
    assert f'href="{node_url(first.id)}?as_of=2021-03-15"' in page
    assert f"{first.id} 2021-03-15 2021-03-15 2024-02-01" in text
    assert f"{latest.id} (this one) 2024-02-01 2024-02-01 in force" in text
    old = text_of(client.get(f"/node/{first.id}?as_of=2021-03-15").text)
    assert "valid to 2024-02-01" in old
    assert client.get(f"/node/{first.id}").status_code == 404  # not in force today


def test_listing_of_documents_gives_their_dates(client: TestClient) -> None:
    page = text_of(client.get("/list/documents").text)
    assert "3 documents title provider date in force from file" in page
    assert "Kvitre Mail: sub-processors Kvitre Mail 2024-05-02 2024-05-02" in page


def test_every_kind_has_a_page(client: TestClient, explorer_store: GraphStore) -> None:
    for kind in NodeKind:
        node = explorer_store.nodes(kind)[0]
        if isinstance(node, Document):
            assert node.valid_to is None
        response = client.get(f"/node/{node.id}")
        assert response.status_code == 200, node.id
        assert node.name in text_of(response.text)


def test_graph_data_is_json_for_fetch(client: TestClient) -> None:
    response = client.get("/graph/data?id=org:link-mobility")
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer["centre"] == ["org:link-mobility"]
    names = {n["name"] for n in answer["nodes"]}
    assert {"Link Mobility", "Phonero Bedriftsnett"} <= names
    labels = {e["label"] for e in answer["edges"] if e["relation"] == "ENGAGES"}
    assert labels == {"SMS varsling"}


def test_graph_page_never_inlines_its_data(client: TestClient) -> None:
    page = client.get("/graph?id=org:link-mobility").text
    assert 'data-centre="org:link-mobility"' in page and "Phonero Bedriftsnett" not in page
    dated = client.get(f"/graph?id=org:link-mobility&as_of={BEFORE_2024}").text
    assert f'data-as-of="{BEFORE_2024}"' in dated
