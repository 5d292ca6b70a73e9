"""Every query gives the same answer on the embedded store and on a real Neo4j server: on the
seed and on synthetic maps with sub-processor chains, shared vendors and third countries."""

from __future__ import annotations

from typing import Any

import pytest

from dataflyt.graph.build import build_batch
from dataflyt.graph.ingest import load_files
from dataflyt.graph.model import NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.graph.store import GraphStore
from dataflyt.queries.breach import breach
from dataflyt.queries.browse import show
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import transfers
from dataflyt.synth import synthesize
from tests.conftest import SEED

pytest_plugins = ["tests.store_fixtures"]
pytestmark = pytest.mark.neo4j

CATEGORIES = ["call recordings", "contact details", "email address", "communications data"]


def answers(store: GraphStore) -> dict[str, Any]:
    """Return every query's JSON answer on ``store``, keyed by query."""
    found: dict[str, Any] = {"transfers": transfers(store).model_dump(mode="json")}
    for category in CATEGORIES:
        found[f"touches {category}"] = touches(store, category).model_dump(mode="json")
    for org in store.nodes(NodeKind.ORGANISATION):
        found[f"breach {org.id}"] = breach(store, org.id.split(":", 1)[1]).model_dump(mode="json")
    for service in store.nodes(NodeKind.SERVICE)[:5]:
        found[f"show {service.id}"] = show(store, service.name).model_dump(mode="json")
    return found


def test_seed_answers_are_equal(embedded_store: NetworkxStore, neo4j_store: Neo4jStore) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, [SEED])
    assert answers(neo4j_store) == answers(embedded_store)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_answers_are_equal(
    embedded_store: NetworkxStore, neo4j_store: Neo4jStore, seed: int
) -> None:
    batch = build_batch(synthesize(60, seed))
    for store in (embedded_store, neo4j_store):
        store.replace_documents(batch)
    assert answers(neo4j_store) == answers(embedded_store)
