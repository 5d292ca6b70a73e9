"""Neo4j holds the map and nothing else: after loading the seed and a synthetic map, every
property key of every label and relationship type is a field of the model's struct of that
kind, and no value holds a copy of other relationships (the U+001F separator of the copies an
earlier version kept, or attribute JSON)."""

from __future__ import annotations

import msgspec
import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.graph.model import AnyEdge, AnyNode, EdgeKind, NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.ingest.load import load_files
from dataflyt.synth import load_synthetic_map
from tests.conftest import SEED
from tests.store_fixtures import run_cypher

pytestmark = pytest.mark.neo4j


def fields(union: object) -> dict[str, set[str]]:
    """Return the field names of each struct of a tagged union, by its tag (the label or
    relationship type it is stored as)."""
    return {
        kind.__struct_config__.tag: set(kind.__struct_fields__)
        for kind in union.__args__  # type: ignore[attr-defined]
    }


def test_nodes_and_relationships_hold_the_models_fields_only(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    load_files(neo4j_store, [SEED])
    with neo4j_store.writing(lambda: None):
        load_synthetic_map(neo4j_store, 200, seed=3, versions=2)
    labels = run_cypher(
        neo4j_settings,
        "MATCH (n) UNWIND labels(n) AS label UNWIND keys(n) AS key "
        "RETURN label, collect(DISTINCT key) AS keys",
    )
    types = run_cypher(
        neo4j_settings,
        "MATCH ()-[r]->() UNWIND keys(r) AS key "
        "RETURN type(r) AS type, collect(DISTINCT key) AS keys",
    )
    node_fields, edge_fields = fields(AnyNode), fields(AnyEdge)
    stored = {record["label"]: set(record["keys"]) for record in labels}
    assert set(stored) == {"Node", *(kind.value for kind in NodeKind)}
    for kind in NodeKind:
        assert stored[kind.value] <= node_fields[kind.value], kind
    assert stored["Node"] == set().union(*(stored[kind.value] for kind in NodeKind))
    relationships = {record["type"]: set(record["keys"]) for record in types}
    assert set(relationships) == {kind.value for kind in EdgeKind}
    for kind, keys in relationships.items():
        assert keys <= edge_fields[kind] - {"source", "target"}, kind
    # the fields that tell facts apart are there; what people query by is there
    assert {"id", "name"} <= stored["Service"]
    assert {"doc", "line", "text", "by"} <= relationships["PROCESSED_IN"]


def test_no_value_holds_a_copy_of_other_data(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    load_files(neo4j_store, [SEED])
    with neo4j_store.writing(lambda: None):
        load_synthetic_map(neo4j_store, 200, seed=3)
    values = run_cypher(
        neo4j_settings,
        "MATCH (n) UNWIND keys(n) AS key RETURN n[key] AS value "
        "UNION ALL MATCH ()-[r]->() UNWIND keys(r) AS key RETURN r[key] AS value",
    )
    texts = [
        text
        for record in values
        for text in (record["value"] if isinstance(record["value"], list) else [record["value"]])
        if isinstance(text, str)
    ]
    assert len(texts) > 10_000
    assert not [text for text in texts if "\x1f" in text]
    assert not [text for text in texts if text.startswith(("{", "[")) and _is_json(text)]


def _is_json(text: str) -> bool:
    try:
        msgspec.json.decode(text)
    except msgspec.DecodeError:
        return False
    return True
