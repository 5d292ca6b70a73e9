"""Neo4j failures reach the user as one ``StoreError`` line (exit code 3) that says what failed
and how to fix it, and never shows the password."""

from __future__ import annotations

import dataclasses

import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.errors import StoreError
from dataflyt.graph import neo4j_write
from dataflyt.graph.model import Direction, Engages, GraphBatch, NodeKind, Organisation
from dataflyt.graph.neo4j_store import Neo4jStore
from tests.conftest import free_port
from tests.store_fixtures import version

SECRET = "not-the-Password-4711"


def refusal(settings: Neo4jSettings) -> str:
    """Return the message of the ``StoreError`` opening a store with ``settings`` raises."""
    with pytest.raises(StoreError) as caught:
        Neo4jStore(settings)
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "\n" not in message
    assert settings.password not in message or not settings.password
    return message


def test_a_server_that_is_not_running() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    settings = Neo4jSettings(uri=uri, user="neo4j", database="neo4j", password=SECRET)
    assert refusal(settings) == (
        f"cannot reach Neo4j at {uri}: is it running? start it with "
        "scripts/neo4j-local start or docker compose up -d"
    )


def test_an_empty_password() -> None:
    settings = Neo4jSettings(uri="bolt://127.0.0.1:7687", user="neo4j", database="x", password="")
    assert "set NEO4J_PASSWORD" in refusal(settings)


def test_an_address_that_is_not_bolt() -> None:
    settings = Neo4jSettings(
        uri="http://127.0.0.1:7474", user="neo4j", database="neo4j", password=SECRET
    )
    assert "is not a Bolt address" in refusal(settings)


@pytest.mark.neo4j
def test_a_wrong_password(neo4j_settings: Neo4jSettings) -> None:
    settings = dataclasses.replace(neo4j_settings, password=SECRET)
    assert refusal(settings) == (
        f"Neo4j refused the credentials for user {settings.user} at {settings.uri}: "
        "check NEO4J_USER / NEO4J_PASSWORD in the environment or .env"
    )


@pytest.mark.neo4j
def test_a_database_that_does_not_exist(neo4j_settings: Neo4jSettings) -> None:
    settings = dataclasses.replace(neo4j_settings, database="nosuchmap")
    assert refusal(settings) == (
        f"Neo4j database nosuchmap does not exist at {settings.uri}: check NEO4J_DATABASE"
    )


@pytest.mark.neo4j
def test_a_server_error_mid_write_is_one_line_and_rolls_back(
    neo4j_store: Neo4jStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = version("d")
    a, b, c = (Organisation(id=f"org:{n}", name=n) for n in "abc")
    edge = Engages(source=a.id, target=b.id, doc=doc.id)
    neo4j_store.replace_documents(GraphBatch(documents=[doc], nodes=[a, b], edges=[edge]))
    before = neo4j_store.summary()
    # the relationships are created last, after the old ones are deleted and nodes written
    monkeypatch.setattr(neo4j_write, "_CREATE_FACTS", "UNWIND $rows AS row RETURN 1 / 0")
    changed = Engages(source=a.id, target=c.id, doc=doc.id)
    with pytest.raises(StoreError) as caught:
        neo4j_store.replace_documents(GraphBatch(documents=[doc], nodes=[a, c], edges=[changed]))
    assert str(caught.value).startswith(
        f"Neo4j at {neo4j_store.settings.uri} failed to replace documents: "
        "Neo.ClientError.Statement.ArithmeticError: "
    )
    assert "\n" not in str(caught.value)
    assert neo4j_store.summary() == before
    assert neo4j_store.edges([a.id], Direction.OUT) == [edge]
    assert neo4j_store.node(c.id) is None


@pytest.mark.neo4j
def test_a_closed_store_says_so(neo4j_settings: Neo4jSettings) -> None:
    store = Neo4jStore(neo4j_settings)
    store.close()
    with pytest.raises(StoreError, match=r"failed to read the map .*: DriverError: Driver closed$"):
        store.nodes(NodeKind.SERVICE)
