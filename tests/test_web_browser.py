"""The explorer in the real headless Chromium (Playwright driving Debian's browser), as a person
uses it: search and open a service, run a breach and read the chain, filter transfers, open the
graph and expand a node, download a report, all by keyboard where a person would. Every page
logs no console error (a refused script or style would log one), passes axe-core with no
serious or critical violation, and shows the hostile names as inert text. Screenshots are kept
in the test's temporary folder (``DATAFLYT_SCREENSHOT=docs/img/explorer.png`` also writes the
README's)."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    expect,
    sync_playwright,
)

from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.web.templating import node_url
from tests.regenerate_golden import HOSTILE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
ANNEX = "PHONERO TJENESTEBESKRIVELSE"
# every page of the explorer over the seed and the bundled data map, with what marks it loaded
PAGES = {
    "overview": ("/", "table.attention"),
    "search": ("/search?q=link", "#results a"),
    "service": ("/node/service:phonero/mobilt-opptak-mvr~5377620a", "h1"),
    "organisation": ("/node/org:link-mobility", "h1"),
    "category": ("/node/category:call_recordings", "#touches table"),
    "country": ("/node/country:us", "h1"),
    "subject": ("/node/subject:employees", "h1"),
    "document": (ANNEX, "h1"),  # the test finds the address of the annex in force
    "list": ("/list/organisations", "h1"),
    "breach": ("/breach?organisation=Link+Mobility", "#breach-diagram svg"),
    "transfers": ("/transfers", "h1"),
    "transfers as of a date": ("/transfers?as_of=2023-06-01", "h1"),
    "graph": ("/graph?id=org:link-mobility", "#graph-list li"),
    "downloads": ("/downloads?service=Mobilt+Opptak", "h1"),
    "error": ("/breach?organisation=Linc", "h1"),
}


@pytest.fixture(scope="module")
def playwright() -> Iterator[Playwright]:
    if not Path(CHROMIUM).exists():
        pytest.fail("needs Debian's chromium: run scripts/setup-system (make test does)")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="module")
def browser(playwright: Playwright) -> Iterator[Browser]:
    launched = playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
    )
    yield launched
    launched.close()


class Console:
    """What the pages of one browser context logged: console errors and warnings, uncaught
    exceptions, failed requests."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.messages.append(f"{message.type}: {message.text}")

    def error(self, error: Exception) -> None:
        self.messages.append(f"page error: {error}")


@pytest.fixture
def console() -> Console:
    return Console()


def open_page(browser: Browser, console: Console, bypass_csp: bool = False) -> Page:
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000}, accept_downloads=True, bypass_csp=bypass_csp
    )
    page = context.new_page()
    page.on("console", console.console)
    page.on("pageerror", console.error)
    page.set_default_timeout(15_000)
    return page


@pytest.fixture
def page(browser: Browser, console: Console) -> Iterator[Page]:
    """A page in a fresh context that keeps the app's Content-Security-Policy; the test fails
    if anything logged an error or a warning."""
    opened = open_page(browser, console)
    yield opened
    opened.context.close()
    assert console.messages == []


def shot(page: Page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    assert path.stat().st_size > 10_000
    return path


def test_search_and_open_a_service_by_keyboard(page: Page, explorer: str, tmp_path: Path) -> None:
    page.goto(explorer + "/search")
    page.keyboard.type("mobilt opp")
    first = page.locator("#results a").first
    first.wait_for()
    assert first.inner_text() == "Mobilt Opptak (MVR)"
    page.wait_for_url(re.compile(r"/search\?q=mobilt(%20|\+)opp$"))  # the address holds it
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Mobilt Opptak (MVR)"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/node/service:phonero/mobilt-opptak-mvr~5377620a$"))
    assert page.locator("h1").inner_text() == "Mobilt Opptak (MVR)"
    assert "Touch Technology AS" in page.locator("#ENGAGES-out").inner_text()
    assert "Touch Technology AS" in page.locator("table.engagements").inner_text()
    shot(page, tmp_path, "service")


def test_run_a_breach_and_read_the_chain(page: Page, explorer: str, tmp_path: Path) -> None:
    page.goto(explorer + "/breach")
    page.locator("#organisation").fill("link mobility")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/breach\?organisation=link\+mobility$"))
    assert page.locator("h1").inner_text() == "A breach at Link Mobility"
    rows = page.locator("table.breach-services tbody tr")
    assert rows.count() == 3
    chain = [" ".join(t.split()) for t in rows.first.locator("ol.chain > li").all_inner_texts()]
    assert [link.split(" Norway")[0] for link in chain] == [
        "Customer (controller)",
        "Phonero (processor)",
        "Link Mobility (sub-processor)",
    ]
    assert chain[2].startswith("Link Mobility (sub-processor) Norway (NO): Inside the EEA")
    assert "(assumed: all)" in rows.first.inner_text()
    page.locator("#breach-diagram svg").wait_for()
    assert "Link Mobility" in (page.locator("#breach-diagram svg").text_content() or "")
    path = shot(page, tmp_path, "breach")
    wanted = os.environ.get("DATAFLYT_SCREENSHOT")
    if wanted:
        page.set_viewport_size({"width": 1280, "height": 800})
        page.screenshot(path=wanted)
    assert path.exists()


def test_filter_transfers(page: Page, explorer: str, tmp_path: Path) -> None:
    page.goto(explorer + "/transfers")
    assert page.locator("#flows h2").first.inner_text() == "Flows outside the EEA (5)"
    page.locator("#f-status").select_option("adequacy")
    page.wait_for_url(re.compile(r"/transfers\?status=adequacy$"))
    heading = page.locator("#flows h2").first
    heading.filter(has_text="(2)").wait_for()
    assert heading.inner_text() == "Flows outside the EEA (2)"
    assert "Customer support" in page.locator("#flows table").first.inner_text()
    page.locator("#f-status").select_option("")
    page.locator("#f-provider").select_option("Twilio")
    page.wait_for_url(re.compile(r"/transfers\?provider=Twilio$"))  # no empty parameters
    assert "Customer support\tTwilio" in page.locator("#flows table").first.inner_text()
    page.locator("#f-provider").select_option("")
    page.locator("#f-status").select_option("not_stated")
    page.locator("#outside-heading").filter(has_text="(0)").wait_for()
    assert page.locator("#unstated-heading").inner_text() == (
        "Flows whose place no document states (4)"
    )
    shot(page, tmp_path, "transfers")


def test_read_the_map_as_of_another_date(page: Page, explorer: str) -> None:
    page.goto(explorer + "/node/org:bluestone.as")
    assert "India" in page.locator("table.engagements").inner_text()
    page.locator("#as-of-date").fill("2023-06-01")
    page.get_by_role("button", name="Show", exact=True).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/node/org:bluestone.as\?as_of=2023-06-01$"))
    assert page.locator("#as-of").inner_text() == (
        "As of 2023-06-01: the versions of the documents in force that day."
    )
    engaged = page.locator("table.engagements").inner_text()
    assert "Germany" in engaged and "India" not in engaged
    page.get_by_role("link", name="A breach at Bluestone AS").click()
    page.wait_for_url(re.compile(r"/breach\?organisation=Bluestone\+AS&as_of=2023-06-01$"))
    assert "Germany" in page.locator("table.breach-services").inner_text()


def test_open_the_graph_and_expand_a_node(page: Page, explorer: str, tmp_path: Path) -> None:
    page.goto(explorer + "/graph?id=org:link-mobility")
    page.locator("#graph canvas").first.wait_for()
    items = page.locator("#graph-list li")
    items.first.wait_for()
    before = items.count()
    assert before == 4  # Link Mobility and the three services that engage it
    page.get_by_role("button", name="Expand Phonero Bedriftsnett", exact=True).click()
    expect(items.nth(before)).to_be_attached()  # more than before (no eval: the page's CSP)
    names = items.all_inner_texts()
    assert any(name.startswith("Employees") for name in names)  # a neighbour of the service
    assert page.locator("#graph-status").inner_text().startswith("Loaded ")
    expanded = items.count()
    page.locator("#graph-sensitivity").select_option("high")  # no service here is high
    expect(items.nth(expanded - 1)).not_to_be_attached()
    kinds = page.locator("#graph-list .kind-word").all_inner_texts()
    assert "service" not in kinds and "organisation" in kinds
    shot(page, tmp_path, "graph")


def test_download_a_report(page: Page, explorer: str, tmp_path: Path) -> None:
    page.goto(explorer + "/breach?organisation=Link+Mobility")
    with page.expect_download() as info:
        page.get_by_role("link", name="DPIA report (HTML)").click()
    download = info.value
    assert download.suggested_filename == "dataflyt-organisation-link-mobility.html"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    text = saved.read_text("utf-8")
    assert "Breach at Link Mobility" in text and "<svg" in text


def test_keyboard_alone_reaches_a_breach(page: Page, explorer: str) -> None:
    page.goto(explorer + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to the content"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "quick-search"
    page.keyboard.type("Link Mobility")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=Link\+Mobility$"))
    page.locator("#q").focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent") == "Link Mobility"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/node/org:link-mobility$"))
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "A breach at Link Mobility":
            break
    else:
        pytest.fail("Tab never reached the breach link")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/breach\?organisation=Link\+Mobility$"))
    assert page.locator("table.breach-services tbody tr").count() == 3


@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_passes_axe_and_logs_nothing(
    browser: Browser,
    console: Console,
    explorer: str,
    explorer_store: GraphStore,
    name: str,
    tmp_path: Path,
) -> None:
    path, loaded = PAGES[name]
    if path == ANNEX:
        path = node_url(
            next(d.id for d in explorer_store.nodes(NodeKind.DOCUMENT) if d.name == ANNEX)
        )
    strict = open_page(browser, console)  # with the app's CSP: nothing refused, nothing logged
    strict.goto(explorer + path)
    strict.locator(loaded).first.wait_for()
    strict.wait_for_load_state("networkidle")
    shot(strict, tmp_path, name)
    strict.context.close()
    if name == "error":  # the browser logs the page's own status, 404
        assert console.messages == [
            "error: Failed to load resource: the server responded with a status of 404 (Not Found)"
        ]
    else:
        assert console.messages == []
    checked = open_page(browser, Console(), bypass_csp=True)  # axe is injected as a script
    checked.goto(explorer + path)
    checked.locator(loaded).first.wait_for()
    checked.wait_for_load_state("networkidle")
    checked.add_script_tag(path=str(AXE))
    results: dict[str, Any] = checked.evaluate("axe.run()")
    checked.context.close()
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert serious == []


HOSTILE_PAGES = [
    "/node/service:hostile",
    "/node/org:hostile-sub",
    "/node/category:unmapped:hostile",
    "/search?q=evil",
    "/breach?organisation=end%5D%3B+click+x+call+alert%281%29",
    "/graph?id=service:hostile",
    "/transfers",
    "/attention",
]


@pytest.mark.parametrize("path", HOSTILE_PAGES)
def test_hostile_names_are_inert_in_the_dom(page: Page, hostile_explorer: str, path: str) -> None:
    page.goto(hostile_explorer + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("/graph"):
        page.locator("#graph-list li").first.wait_for()
    assert page.title().endswith(" · dataflyt")  # a script would have set it to the marker
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    assert page.evaluate("document.querySelectorAll('main img, main b, main iframe').length") == 0
    sources = page.evaluate("Array.from(document.scripts).map(s => new URL(s.src).pathname)")
    assert all(source.startswith("/static/") for source in sources)
    shown = page.locator("main").inner_text()
    assert any(name in shown for name in (HOSTILE["service"], HOSTILE["category"]))
