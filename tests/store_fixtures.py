"""Fixtures for running the same tests against every store: the embedded map file and a real
Neo4j server. The Neo4j settings come from the environment or the repository's ``.env`` (which
``scripts/neo4j-local start`` writes); when the server cannot be reached the test fails, it is
never skipped. ``conftest.py`` loads them for every test module."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dataflyt.config import Neo4jSettings, store_settings
from dataflyt.errors import StoreError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore

if TYPE_CHECKING:
    import neo4j

    from dataflyt.graph.neo4j_store import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def neo4j_settings() -> Neo4jSettings:
    """Return the Neo4j settings the tests use: environment first, then ``<repo>/.env``."""
    return store_settings(cwd=ROOT).neo4j


def run_cypher(settings: Neo4jSettings, query: str) -> list[neo4j.Record]:
    """Return the records of ``query``, run with a driver of the test's own, as a person in
    Neo4j Browser or another tool would run it."""
    import neo4j

    auth = (settings.user, settings.password)
    with neo4j.GraphDatabase.driver(settings.uri, auth=auth) as driver:
        records, _, _ = driver.execute_query(query, database_=settings.database)
    return records


@pytest.fixture
def neo4j_store(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    """Return an empty Neo4j store, closed after the test; fail the test (never skip it) when
    the server does not answer."""
    from dataflyt.graph.neo4j_store import Neo4jStore

    try:
        store = Neo4jStore(neo4j_settings)
    except StoreError as error:
        reason = str(error)
    else:
        reason = ""
    if reason:
        pytest.fail(f"the Neo4j tests need a running server: {reason}", pytrace=False)
    try:
        store.clear()
        yield store
    finally:
        store.close()


@pytest.fixture
def embedded_store(tmp_path: Path) -> EmbeddedStore:
    """Return an empty embedded store in the test's temporary folder."""
    return EmbeddedStore(tmp_path / "map.json")


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def store(request: pytest.FixtureRequest) -> GraphStore:
    """Return an empty store of each kind in turn: the contract holds for both."""
    name = "embedded_store" if request.param == "embedded" else "neo4j_store"
    chosen: GraphStore = request.getfixturevalue(name)
    return chosen
