"""Fixtures for running the same tests against every store: the embedded map file and a real
Neo4j server. The Neo4j settings come from the environment or the repository's ``.env`` (which
``scripts/neo4j-local start`` writes); when the server cannot be reached the test fails, it is
never skipped. ``conftest.py`` loads them for every test module."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from dataflyt.config import Neo4jSettings, store_settings
from dataflyt.errors import StoreError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Document
from dataflyt.graph.store import GraphStore

if TYPE_CHECKING:
    import neo4j

    from dataflyt.graph.neo4j_store import Neo4jStore

ROOT = Path(__file__).resolve().parents[1]


def version(
    name: str, valid_from: str = "2024-01-01", valid_to: str | None = None, n: int = 1
) -> Document:
    """Return version ``n`` of the document ``name``, in force from ``valid_from``."""
    return Document(
        id=f"document:{name}@{n}",
        name=name.upper(),
        identity=f"document:{name}",
        provider="Acme",
        path=f"{name}.txt",
        format="annex",
        sha256=f"{n:064}",
        loaded="2024-06-01",
        valid_from=valid_from,
        valid_to=valid_to,
    )


@pytest.fixture
def neo4j_settings() -> Neo4jSettings:
    """Return the Neo4j settings the tests use: environment first, then ``<repo>/.env``."""
    return store_settings(cwd=ROOT).neo4j


def run_cypher(settings: Neo4jSettings, query: str) -> list[neo4j.Record]:
    """Return the records of ``query``, run with a driver of the test's own, as a person in
    Neo4j Browser or another tool would run it."""
    import neo4j

    auth = (settings.user, settings.password)
    # one auto-commit statement, never retried: a server that is down fails at once
    with (
        neo4j.GraphDatabase.driver(settings.uri, auth=auth) as driver,
        driver.session(database=settings.database) as session,
    ):
        return list(session.run(query))


@pytest.fixture
def neo4j_store(neo4j_settings: Neo4jSettings) -> Iterator[Neo4jStore]:
    """Return an empty Neo4j store, closed after the test; fail the test (never skip it) when
    the server does not answer."""
    import neo4j

    from dataflyt.graph.neo4j_store import Neo4jStore

    try:
        # start from an empty database, whatever an earlier run or a person left in it
        run_cypher(neo4j_settings, "MATCH (n) DETACH DELETE n")
        store = Neo4jStore(neo4j_settings)
    except (StoreError, neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError) as error:
        reason = str(error)
    else:
        reason = ""
    if reason:
        pytest.fail(f"the Neo4j tests need a running server: {reason}", pytrace=False)
    try:
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


# a function that opens the map of the store given to it again, as of a date (None: the latest)
Reopen = Callable[[GraphStore, "str | None"], GraphStore]


@pytest.fixture
def reopen() -> Iterator[Reopen]:
    """Return a function that opens the map of a store again, as a new store of the same kind
    answering as of a date; the stores it opens are closed after the test."""
    from dataflyt.graph.neo4j_store import Neo4jStore

    opened: list[GraphStore] = []

    def again(store: GraphStore, as_of: str | None) -> GraphStore:
        found: GraphStore
        if isinstance(store, EmbeddedStore):
            found = EmbeddedStore(store.path, as_of=as_of)
        elif isinstance(store, Neo4jStore):
            found = Neo4jStore(store.settings, as_of=as_of)
        else:
            raise TypeError(f"no way to open {type(store).__name__} again")
        opened.append(found)
        return found

    yield again
    for store in opened:
        store.close()
