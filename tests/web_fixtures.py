"""Fixtures for the web explorer's tests: one map of real and realistic documents in each store
(the Phonero annex in two versions, its 2024 one placing Bluestone in India; the bundled data
map, which has transfers outside the EEA; a published list that names no place), an app and a
live server over it, and the same for the map whose every name is hostile. ``conftest.py``
registers them.

``explorer_store`` is made once per test module and store: the embedded map, and a Neo4j run
of the same pages (marked ``neo4j``) that loads the same documents into the server the
``neo4j`` tests use.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dataflyt.examples import example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.web.app import create_app
from dataflyt.web.stores import Opener
from tests.conftest import SEED, free_port
from tests.regenerate_golden import hostile_store
from tests.shared_maps import load_no_places
from tests.store_fixtures import ROOT

__all__ = ["ACME", "BEFORE_2024", "Explorer", "LiveServer", "load_explorer_map", "text_of"]

ACME = next(p for p in example_paths()[0].parent.iterdir() if p.name == "acme-datamap.yaml")
# a day on which the annex's first version is in force, and the data map not yet
BEFORE_2024 = "2023-06-01"


def text_of(page: str) -> str:
    """Return what a person reads on ``page``: its text without tags, entities decoded, white
    space made single."""
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    body = re.sub(r"</?(a|span|strong|q|code|em|abbr)\b[^>]*>", "", body)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def load_explorer_map(store: GraphStore, folder: Path) -> GraphStore:
    """Load into ``store`` the Phonero annex of 2021, its version of 1 February 2024 (written
    to ``folder``: Bluestone moves from Germany to India), the bundled data map (dated
    2025-01-31) and Kvitre Mail's list of 2 May 2024, which states no place; return it."""
    annex = SEED.read_text("utf-8")
    later = annex.replace("Bluestone AS\tTyskland", "Bluestone AS\tIndia")
    later = later.replace("15.03.2021", "01.02.2024")
    assert later.count("India") == 1 and "01.02.2024" in later
    version = folder / "phonero-2024.txt"
    version.write_text(later, "utf-8")
    load_files(store, [SEED])
    load_files(store, [version, ACME])
    return load_no_places(store)


class Explorer:
    """A store holding the explorer's map, and how to open the same map as of another
    date."""

    def __init__(self, store: GraphStore, opener: Opener) -> None:
        self.store = store
        self.opener = opener

    def app(self) -> Starlette:
        """Return an explorer over the store that opens other dates with the opener."""
        return create_app(self.store, opener=self.opener)


def _embedded(folder: Path) -> Explorer:
    path = folder / "map.json"
    store = load_explorer_map(EmbeddedStore(path), folder)
    return Explorer(store, lambda day: EmbeddedStore(path, as_of=day))


def _neo4j(folder: Path) -> Iterator[Explorer]:
    from dataflyt.config import store_settings
    from dataflyt.graph.neo4j_store import Neo4jStore

    settings = store_settings(cwd=ROOT).neo4j
    store = Neo4jStore(settings)
    try:
        store.clear()
        yield Explorer(
            load_explorer_map(store, folder), lambda day: Neo4jStore(settings, as_of=day)
        )
    finally:
        store.close()


@pytest.fixture(scope="module", params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def explorer_map(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Explorer]:
    """Return the explorer's map in each store in turn, made once per test module."""
    folder = tmp_path_factory.mktemp("explorer")
    if request.param == "embedded":
        yield _embedded(folder)
    else:
        yield from _neo4j(folder)


@pytest.fixture(scope="module")
def explorer_store(explorer_map: Explorer) -> GraphStore:
    """Return the store holding the explorer's map."""
    return explorer_map.store


@pytest.fixture(scope="module")
def client(explorer_map: Explorer) -> Iterator[TestClient]:
    """Return a test client of the explorer over its map (the stores it opens for other dates
    are closed when the module is done)."""
    with TestClient(explorer_map.app(), raise_server_exceptions=False) as started:
        yield started


@pytest.fixture
def hostile_client(tmp_path: Path) -> TestClient:
    """Return a test client of the app over the map whose every name is hostile."""
    return TestClient(create_app(hostile_store(tmp_path)), raise_server_exceptions=False)


class LiveServer:
    """The app served by uvicorn in a thread of the test process, on a free local port."""

    def __init__(self, app: Callable[..., object]) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail("the explorer did not start", pytrace=False)
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def explorer(explorer_map: Explorer) -> Iterator[str]:
    """Return the address of a live explorer over its map."""
    with LiveServer(explorer_map.app()) as server:
        yield server.url


@pytest.fixture(scope="module")
def hostile_explorer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the address of a live explorer over the map whose every name is hostile."""
    with LiveServer(create_app(hostile_store(tmp_path_factory.mktemp("hostile")))) as server:
        yield server.url
