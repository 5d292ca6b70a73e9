"""Fixtures for the web explorer's tests: the app over the seed map, over the seed with the
bundled data map (which has transfers outside the EEA), and over the map whose every name is
hostile; and a live server of the app for the browser tests. ``conftest.py`` registers them.

``explorer_store`` is parametrised by store: the Neo4j run of the same pages is one more
parameter that loads the same documents into ``neo4j_store``."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient

from dataflyt.examples import example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.web.app import create_app
from tests.conftest import SEED, free_port
from tests.regenerate_golden import hostile_store

ACME = next(p for p in example_paths()[0].parent.iterdir() if p.name == "acme-datamap.yaml")


def load_examples(store: GraphStore) -> GraphStore:
    """Return ``store`` with the seed annex and the bundled data map loaded."""
    load_files(store, [SEED, ACME])
    return store


@pytest.fixture
def client(seed_store: EmbeddedStore) -> TestClient:
    """Return a test client of the app over the seed map."""
    return TestClient(create_app(seed_store), raise_server_exceptions=False)


@pytest.fixture
def examples_client(embedded_store: EmbeddedStore) -> TestClient:
    """Return a test client of the app over the seed and the bundled data map."""
    return TestClient(create_app(load_examples(embedded_store)), raise_server_exceptions=False)


@pytest.fixture
def hostile_client(tmp_path: Path) -> TestClient:
    """Return a test client of the app over the map whose every name is hostile."""
    return TestClient(create_app(hostile_store(tmp_path)), raise_server_exceptions=False)


class LiveServer:
    """The app served by uvicorn in a thread of the test process, on a free local port."""

    def __init__(self, store: GraphStore) -> None:
        self.port = free_port()
        config = uvicorn.Config(
            create_app(store), host="127.0.0.1", port=self.port, log_level="warning"
        )
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


@pytest.fixture(scope="module", params=["embedded"])
def explorer_store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> GraphStore:
    """Return a store holding the seed annex and the bundled data map, once per store kind."""
    folder = tmp_path_factory.mktemp("explorer")
    return load_examples(EmbeddedStore(folder / "map.json"))


@pytest.fixture(scope="module")
def explorer(explorer_store: GraphStore) -> Iterator[str]:
    """Return the address of a live explorer over ``explorer_store``."""
    with LiveServer(explorer_store) as server:
        yield server.url


@pytest.fixture(scope="module")
def hostile_explorer(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Return the address of a live explorer over the map whose every name is hostile."""
    with LiveServer(hostile_store(tmp_path_factory.mktemp("hostile"))) as server:
        yield server.url
