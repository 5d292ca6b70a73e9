"""The web explorer's routes through Starlette's test client, on every store: every page answers
with the security headers and no inline script, says which date it describes, keeps the date it
was asked about in every address; bad requests get the CLI's message with the right status;
nothing writes; downloads are attachments; hostile names come out as text, never markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.web.app import create_app
from dataflyt.web.security import CONTENT_SECURITY_POLICY
from tests.regenerate_golden import HOSTILE, hostile_store
from tests.web_fixtures import BEFORE_2024, text_of

MOBILT_OPPTAK = "/node/service:phonero/mobilt-opptak-mvr~5377620a"
PAGES = [
    "/",
    "/attention",
    "/list/services",
    "/list/documents",
    "/search?q=opptak",
    MOBILT_OPPTAK,
    "/node/org:link-mobility",
    "/node/category:call_recordings",
    "/touches?category=call+recordings",
    "/node/country:in",
    "/node/subject:employees",
    "/breach",
    "/breach?organisation=Link+Mobility",
    "/breach/diagram?organisation=Link+Mobility",
    "/transfers",
    "/graph?id=org:phonero",
    "/graph",
    "/downloads",
    "/downloads?service=Mobilt+Opptak",
]


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


@pytest.mark.parametrize(
    "path", [p for p in PAGES if p != "/breach/diagram?organisation=Link+Mobility"]
)
def test_every_page_says_which_date_it_describes(client: TestClient, path: str) -> None:
    latest = text_of(client.get(path).text)
    assert "As of the latest version of each document." in latest
    joiner = "&" if "?" in path else "?"
    dated = text_of(client.get(f"{path}{joiner}as_of={BEFORE_2024}").text)
    assert f"As of {BEFORE_2024}: the versions of the documents in force that day." in dated


def test_a_page_asked_about_a_date_keeps_it_in_every_address(client: TestClient) -> None:
    page = client.get(f"/node/org:phonero?as_of={BEFORE_2024}").text
    links = re.findall(r'<a [^>]*href="(/[^"]*)"', page)
    assert links and all(f"as_of={BEFORE_2024}" in link for link in links), [
        link for link in links if BEFORE_2024 not in link
    ]
    hx = re.findall(r'hx-get="(/[^"]*)"', client.get(f"/?as_of={BEFORE_2024}").text)
    assert hx == [f"/attention?as_of={BEFORE_2024}"]
    forms = client.get(f"/transfers?as_of={BEFORE_2024}").text
    assert f'<input type="hidden" name="as_of" value="{BEFORE_2024}">' in forms


def test_the_date_form_keeps_the_page_and_its_parameters(client: TestClient) -> None:
    page = client.get("/breach?organisation=Link+Mobility&page=2").text
    form = page[page.index('<form class="as-of-form"') :]
    form = form[: form.index("</form>")]
    assert 'action="/breach"' in form
    assert '<input type="hidden" name="organisation" value="Link Mobility">' in form
    assert 'name="page"' not in form
    assert '<input id="as-of-date" name="as_of" type="date" value="">' in form


def test_show_sends_a_typed_name_to_its_page(client: TestClient) -> None:
    response = client.get("/show?name=zendesk, inc.", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/node/org:zendesk.inc"
    kinded = client.get("/show?name=Phonero&kind=organisation", follow_redirects=False)
    assert kinded.headers["location"] == "/node/org:phonero"
    dated = client.get(f"/show?name=Bluestone&as_of={BEFORE_2024}", follow_redirects=False)
    assert dated.headers["location"] == f"/node/org:bluestone.as?as_of={BEFORE_2024}"


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        (
            "/breach?organisation=Linc Mobility",
            404,
            "unknown organisation 'Linc Mobility'; did you mean: Link Mobility?",
        ),
        (
            "/show?name=Phonero",
            400,
            "ambiguous service 'Phonero': it matches Phonero Bedriftsnett, ",
        ),
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
        ("/transfers?status=leaving", 400, "status must be one of: adequacy, "),
        ("/?as_of=yesterday", 400, "as_of 'yesterday' is not a date: write it as YYYY-MM-DD"),
        ("/node/org:phonero?as_of=2024-02-30", 400, "as_of '2024-02-30' is not a date"),
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


def test_an_explorer_without_an_opener_answers_for_its_own_date_only(
    explorer_store: object, tmp_path: Path
) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    single = TestClient(create_app(store), raise_server_exceptions=False)
    response = single.get(f"/?as_of={BEFORE_2024}")
    assert response.status_code == 400
    assert "this explorer answers for one date only: leave out as_of" in text_of(response.text)
    assert 'class="as-of-form"' not in single.get("/").text


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


def test_download_names_its_scope_in_ascii(client: TestClient) -> None:
    response = client.get("/download/diagram.svg?organisation=Link Mobility")
    assert response.headers["content-disposition"] == (
        'attachment; filename="dataflyt-organisation-link-mobility.svg"'
    )
    norwegian = client.get("/download/diagram.dot?service=Phonero nettbutikk Smart Mobilkjøp")
    assert norwegian.headers["content-disposition"] == (
        'attachment; filename="dataflyt-service-phonero-nettbutikk-smart-mobilkjp.dot"'
    )


def test_a_download_asked_about_a_date_describes_it(client: TestClient) -> None:
    latest = client.get("/download/diagram.mmd?organisation=Bluestone").text
    assert "India" in latest and "As of the latest version of each document." in latest
    before = client.get(f"/download/diagram.mmd?organisation=Bluestone&as_of={BEFORE_2024}").text
    assert "India" not in before and "Germany" in before
    assert f"As of {BEFORE_2024}" in before


def test_exports_name_the_controller_the_explorer_was_given(tmp_path: Path) -> None:
    app = create_app(hostile_store(tmp_path), controller="Kunde AS")
    record = TestClient(app).get("/download/export/ropa-csv").text
    assert "Kunde AS" in record
    without = TestClient(create_app(hostile_store(tmp_path / "other")))
    assert "Kunde AS" not in without.get("/download/export/ropa-csv").text


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
        "/node/category:unmapped:hostile",
        "/breach?organisation=" + HOSTILE["subprocessor"],
        "/transfers",
        "/touches?category=" + HOSTILE["category"],
        "/downloads?service=" + HOSTILE["service"],
        "/search?q=x",
        "/search?q=" + HOSTILE["subject"],
    ]
    for path in pages:
        response = hostile_client.get(path)
        assert response.status_code == 200, path
        page = response.text
        assert "<script>document" not in page and "<img src=x" not in page, path
        assert "<b>x</b>" not in page, path
    service = text_of(hostile_client.get("/node/service:hostile").text)
    for key in ("service", "provider", "subprocessor", "category", "subject", "document"):
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
