"""The web explorer's routes through Starlette's test client: each page answers what the CLI
answers, bad requests get the CLI's message with the right status, every response carries the
security headers, and hostile names come out as text, never markup."""

from __future__ import annotations

import html
import json
import re

import pytest
from starlette.testclient import TestClient

from dataflyt.queries.breach import breach
from dataflyt.web.security import CONTENT_SECURITY_POLICY
from tests.regenerate_golden import HOSTILE

PAGES = [
    "/",
    "/attention",
    "/list/services",
    "/search?q=opptak",
    "/node/service:phonero/mobilt-opptak-mvr",
    "/node/org:link-mobility",
    "/node/category:call_recordings",
    "/touches?category=call+recordings",
    "/node/country:no",
    "/node/subject:employees",
    "/node/document:phonero/phonero-tjenestebeskrivelse",
    "/breach",
    "/breach?organisation=Link+Mobility",
    "/breach/diagram?organisation=Link+Mobility",
    "/transfers",
    "/graph?id=org:phonero",
    "/graph",
    "/downloads",
    "/downloads?service=Mobilt+Opptak",
]


def text_of(page: str) -> str:
    """Return what a person reads on ``page``: its text without tags, entities decoded, white
    space made single."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    body = re.sub(r"</?(a|span|strong|q|code|em|abbr)\b[^>]*>", "", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.mark.parametrize("path", PAGES)
def test_every_page_answers_with_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["cache-control"] == "no-store"
    assert "server" not in response.headers


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_inline_script_or_style(client: TestClient, path: str) -> None:
    page = client.get(path).text
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page), "inline script"
    assert not re.search(r"<style\b", page) and not re.search(r"\sstyle=", page)
    assert not re.search(r"\son[a-z]+=", page), "event handler attribute"
    for src in re.findall(r'<script[^>]*\bsrc="([^"]+)"', page):
        assert src.startswith("/static/")


def test_overview_lists_counts_and_documents(client: TestClient) -> None:
    page = text_of(client.get("/").text)
    assert "11 services 6 organisations 33 categories 8 subjects 2 countries 1 documents" in page
    assert "PHONERO TJENESTEBESKRIVELSE Phonero 2021-03-15" in page


def test_attention_points_are_the_reports(client: TestClient) -> None:
    page = text_of(client.get("/attention", headers={"HX-Request": "true"}).text)
    assert page.startswith("8 points, as the DPIA report of the whole map lists them.")
    assert (
        "High-sensitivity data Mobilt Opptak (MVR) Call recordings (communications content, "
        "confidential under ePrivacy rules): check the legal basis and safeguards. "
        "phonero-tjenestebeskrivelse.txt:13, 2021-03-15: Samtaleopptak in "
        "PHONERO TJENESTEBESKRIVELSE"
    ) in page


def test_search_fragment_for_htmx_and_page_otherwise(client: TestClient) -> None:
    fragment = client.get("/search?q=samtaleopptak", headers={"HX-Request": "true"}).text
    assert "<html" not in fragment
    assert text_of(fragment) == "1 data category Call recordings (matched “samtaleopptak”)"
    assert 'href="/node/category:call_recordings"' in fragment
    page = client.get("/search?q=samtaleopptak").text
    assert page.startswith("<!DOCTYPE html>") and 'value="samtaleopptak"' in page


def test_search_with_nothing_found_says_so(client: TestClient) -> None:
    fragment = client.get("/search?q=qqqzzz", headers={"HX-Request": "true"}).text
    assert text_of(fragment) == "Nothing in the map matches “qqqzzz”."


def test_service_page_cites_every_fact(client: TestClient) -> None:
    page = text_of(client.get("/node/service:phonero/mobilt-opptak-mvr").text)
    assert "service Mobilt Opptak (MVR)" in page
    assert (
        "Provided by (1) organisation what the document says source Phonero role: processor" in page
    )
    assert (
        "Call recordings mapped: yes subjects: employees "
        "phonero-tjenestebeskrivelse.txt:13, 2021-03-15: Samtaleopptak in" in page
    )
    assert "Engages (sub-processors) (1)" in page and "Touch Technology AS" in page
    assert "Processed in (1)" in page


def test_node_page_links_every_neighbour(client: TestClient) -> None:
    page = client.get("/node/org:phonero").text
    links = set(re.findall(r'href="(/node/service:[^"]+)"', page))
    assert len(links) == 11


def test_touches_answers_as_the_cli(client: TestClient) -> None:
    page = text_of(client.get("/touches?category=samtaleopptak").text)
    assert "1 service touches Call recordings" in page
    assert "Mobilt Opptak (MVR) Phonero (Processor) Call recordings" in page
    covered = text_of(client.get("/touches?category=communications content").text)
    assert "touch Communications content (and Call recordings, " in covered


def test_category_page_loads_what_touches_it(client: TestClient) -> None:
    page = client.get("/node/category:call_recordings").text
    assert 'hx-get="/touches?category=Call+recordings" hx-trigger="load"' in page
    assert '<a href="/touches?category=Call+recordings">' in page


def test_country_page_says_where_it_stands(examples_client: TestClient) -> None:
    page = text_of(examples_client.get("/node/country:us").text)
    assert "Transfers here: adequacy only if the condition is met." in page


def test_breach_page_answers_as_the_cli(client: TestClient, seed_store: object) -> None:
    page = text_of(client.get("/breach?organisation=link+mobility").text)
    assert "A breach at Link Mobility" in page
    assert "3 services affected" in page
    assert (
        "Phonero Bedriftsnett Customer (controller) Phonero (processor) Link Mobility "
        "(sub processor) 9 categories (assumed: all) Employees NO"
    ) in page
    assert "Link Mobility Phonero Art. 33(2) (duty passed on by Art. 28(4))" in page
    assert "Customer (controller) Supervisory authority Art. 33(1)" in page


def test_breach_json_is_the_clis(client: TestClient, seed_store: object) -> None:
    response = client.get("/breach.json?organisation=Link Mobility")
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert [s["name"] for s in answer["services"]] == [
        "Phonero Bedriftsnett",
        "Phonero Bedriftsnett Besøksregistrering",
        "Phonero Bedriftsnett Kundetilfredshet og NPS",
    ]
    assert answer["services"][0]["assumption"] is True


def test_breach_diagram_is_inline_svg(client: TestClient) -> None:
    fragment = client.get(
        "/breach/diagram?organisation=Link Mobility", headers={"HX-Request": "true"}
    ).text
    assert fragment.lstrip().startswith('<figure class="diagram-figure">')
    assert '<svg class="diagram"' in fragment and "Link Mobility" in fragment


def test_transfers_filters(examples_client: TestClient) -> None:
    every = text_of(examples_client.get("/transfers").text)
    assert "Flows outside the EEA (3)" in every
    assert "Data leaves the EEA according to the documents." in every
    adequacy = text_of(examples_client.get("/transfers?status=adequacy").text)
    assert "Flows outside the EEA (1)" in adequacy and "Customer support Zendesk, Inc." in adequacy
    assert "Locations the document says are not exhaustive (1)" in adequacy
    by_service = text_of(examples_client.get("/transfers?service=analog").text)
    assert "Flows outside the EEA (0)" in by_service
    assert "Locations the document says are not exhaustive (1)" in by_service
    by_provider = text_of(examples_client.get("/transfers?provider=Twilio&country=US").text)
    assert "Flows outside the EEA (1) " in by_provider and "all processing by Twilio" in by_provider


def test_transfers_json_is_the_clis(examples_client: TestClient) -> None:
    answer = examples_client.get("/transfers.json").json()
    assert answer["leaves_eea"] is True and len(answer["transfers"]) == 3


def test_graph_data_is_json_for_fetch(client: TestClient) -> None:
    response = client.get("/graph/data?id=org:link-mobility")
    assert response.headers["content-type"] == "application/json"
    answer = response.json()
    assert answer["centre"] == ["org:link-mobility"]
    names = {n["name"] for n in answer["nodes"]}
    assert {"Link Mobility", "Phonero Bedriftsnett"} <= names


def test_graph_page_never_inlines_its_data(client: TestClient) -> None:
    page = client.get("/graph?id=org:link-mobility").text
    assert 'data-centre="org:link-mobility"' in page and "Phonero Bedriftsnett" not in page


@pytest.mark.parametrize(
    ("path", "kind", "start"),
    [
        ("/download/diagram.svg?organisation=Link Mobility", "image/svg+xml", b"<?xml"),
        ("/download/diagram.png?service=Mobilt Opptak", "image/png", b"\x89PNG"),
        ("/download/diagram.pdf?all=1", "application/pdf", b"%PDF"),
        ("/download/diagram.dot?category=call recordings", "text/vnd.graphviz", b"digraph"),
        ("/download/diagram.mmd?all=1", "text/plain", b"flowchart LR"),
        ("/download/report.html?organisation=Link Mobility", "text/html", b"<!DOCTYPE html>"),
        (
            "/download/report.md?service=Mobilt Opptak",
            "text/markdown",
            b"# DPIA data-flow report: Mobilt Opptak (MVR)",
        ),
        ("/download/export/json", "application/json", b"{"),
        ("/download/export/graphml", "application/graphml+xml", b"<graphml"),
        ("/download/export/ropa-xlsx", "application/vnd.openxmlformats", b"PK"),
    ],
)
def test_downloads_are_attachments(client: TestClient, path: str, kind: str, start: bytes) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(kind)
    assert response.content.startswith(start)
    disposition = response.headers["content-disposition"]
    assert re.fullmatch(r'attachment; filename="dataflyt-[a-z0-9.-]+"', disposition)


def test_download_names_its_scope(client: TestClient) -> None:
    response = client.get("/download/diagram.svg?organisation=Link Mobility")
    assert response.headers["content-disposition"] == (
        'attachment; filename="dataflyt-organisation-link-mobility.svg"'
    )


def test_show_sends_a_typed_name_to_its_page(client: TestClient) -> None:
    response = client.get("/show?name=zendesk, inc.", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/node/org:zendesk"
    kinded = client.get("/show?name=Phonero&kind=organisation", follow_redirects=False)
    assert kinded.headers["location"] == "/node/org:phonero"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (
            "/breach?organisation=Linc Mobility",
            404,
            "unknown organisation 'Linc Mobility'; did you mean: Link Mobility?",
        ),
        ("/show?name=Phonero", 400, "ambiguous service 'Phonero': it matches Phonero Bedriftsnett"),
        ("/node/org:nobody", 404, "unknown node 'org:nobody'"),
        ("/graph/data?id=org:nobody", 404, "unknown node 'org:nobody'"),
        ("/graph/data", 400, "give the parameter 'id'"),
        (
            "/download/diagram.gif?all=1",
            400,
            "'gif' is not a format here: choose one of svg, png, pdf, dot, mmd",
        ),
        (
            "/download/diagram.svg",
            400,
            "give exactly one of service=NAME, organisation=NAME, category=NAME or all=1",
        ),
        ("/download/diagram.svg?service=a&category=b", 400, "give exactly one of"),
        ("/download/report.html?category=qqqzzz", 404, "unknown data category 'qqqzzz'"),
        ("/list/planets", 400, "list one of: services, organisations"),
        ("/list/services?page=x", 400, "page must be a whole number from 1, not 'x'"),
        ("/show?kind=planet&name=x", 400, "kind must be one of"),
        ("/no/such/page", 404, "there is no such page"),
    ],
)
def test_bad_requests_get_the_clis_message(
    client: TestClient, path: str, status: int, message: str
) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("text/html")
    assert f"dataflyt: error: {message}" in text_of(response.text)
    assert "Traceback" not in response.text


def test_suggestions_link_to_search(client: TestClient) -> None:
    page = client.get("/breach?organisation=Linc Mobility").text
    assert '<a href="/search?q=Link+Mobility">Link Mobility</a>' in page


def test_read_only(client: TestClient) -> None:
    for path in ("/", "/breach", "/download/export/json"):
        assert client.post(path).status_code == 405
        assert client.delete(path).status_code == 405


@pytest.mark.parametrize(
    "path", ["/static/", "/static/vendor/", "/static/../app.py", "/static/%2e%2e/app.py"]
)
def test_no_listing_no_path_outside_static(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "create_app" not in response.text


def test_static_files_are_served_with_their_type(client: TestClient) -> None:
    script = client.get("/static/vendor/htmx/htmx.min.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    assert client.get("/static/vendor/cytoscape/LICENSE").status_code == 200


def test_hostile_names_are_text_on_every_page(hostile_client: TestClient) -> None:
    pages = [
        "/",
        "/attention",
        "/list/services",
        "/list/organisations",
        "/list/categories",
        "/node/service:hostile",
        "/node/org:hostile-provider",
        "/node/org:hostile-sub",
        "/node/category:hostile",
        "/node/document:hostile",
        "/breach?organisation=" + HOSTILE["subprocessor"],
        "/transfers",
        "/downloads?service=" + HOSTILE["service"],
        "/search?q=x",
        "/search?q=" + HOSTILE["subject"],
    ]
    for path in pages:
        page = hostile_client.get(path).text
        assert "<script>document" not in page and "<img src=x" not in page, path
        assert "<b>x</b>" not in page, path
    service = text_of(hostile_client.get("/node/service:hostile").text)
    for key in ("service", "provider", "subprocessor", "category"):
        assert HOSTILE[key] in service, key
    breach_page = text_of(
        hostile_client.get("/breach?organisation=" + HOSTILE["subprocessor"]).text
    )
    assert HOSTILE["service"] in breach_page and HOSTILE["provider"] in breach_page


def test_hostile_names_in_graph_json_are_plain_strings(hostile_client: TestClient) -> None:
    answer = hostile_client.get("/graph/data?id=service:hostile").json()
    names = {n["name"] for n in answer["nodes"]}
    assert {HOSTILE["service"], HOSTILE["provider"], HOSTILE["category"]} <= names
    raw = hostile_client.get("/graph/data?id=service:hostile").text
    assert json.loads(raw) == answer


def test_hostile_name_in_the_error_page_is_text(client: TestClient) -> None:
    page = client.get("/breach", params={"organisation": HOSTILE["subject"]}).text
    assert "<script>document" not in page
    assert f"unknown organisation {HOSTILE['subject']!r}" in text_of(page)


def test_breach_matches_the_library(client: TestClient, seed_store: object) -> None:
    from dataflyt.graph.store import GraphStore

    assert isinstance(seed_store, GraphStore)
    expected = breach(seed_store, "Zendesk")
    page = text_of(client.get("/breach?organisation=Zendesk").text)
    for service in expected.services:
        assert service.name in page
