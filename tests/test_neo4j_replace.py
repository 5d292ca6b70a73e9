"""Replacing documents on Neo4j writes only what changed: a fact stated again as it was keeps
its relationship, a changed fact is rewritten, a fact no longer stated goes; and the answers
stay those of the embedded store."""

from __future__ import annotations

import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    DescribedIn,
    Direction,
    Engages,
    GraphBatch,
    NodeKind,
    Organisation,
)
from dataflyt.graph.neo4j_store import Neo4jStore
from tests.store_fixtures import run_cypher, version

pytestmark = pytest.mark.neo4j


DOC, OTHER = version("dpa"), version("list")
A, B, C, D = (Organisation(id=f"org:{n}", name=n.upper()) for n in "abcd")


def engages(source: Organisation, target: Organisation, line: int, purpose: str = "x") -> Engages:
    """Return the engagement ``source -> target`` that ``DOC`` states at ``line``."""
    return Engages(
        source=source.id,
        target=target.id,
        doc=DOC.id,
        line=line,
        text=f"{target.name}: {purpose}",
        purpose=purpose,
    )


UNCHANGED = engages(A, B, 1)
TO_THE_DOCUMENT = DescribedIn(source=D.id, target=DOC.id, doc=OTHER.id, spellings=("D",))
VERSIONS = [
    GraphBatch(
        documents=[DOC], nodes=[A, B, C], edges=[UNCHANGED, engages(A, C, 2), engages(B, C, 3)]
    ),
    GraphBatch(documents=[OTHER], nodes=[D, DOC], edges=[TO_THE_DOCUMENT]),
    GraphBatch(
        documents=[DOC],
        nodes=[A, B, C, D],
        edges=[UNCHANGED, engages(A, C, 5), engages(A, D, 6, "new")],
    ),
]


def relationship_ids(settings: Neo4jSettings) -> dict[tuple[str, str], str]:
    """Return the element id of every relationship, by its source's and target's ids."""
    query = "MATCH (s:Node)-[r]->(t:Node) RETURN s.id AS s, t.id AS t, elementId(r) AS r"
    return {(record["s"], record["t"]): record["r"] for record in run_cypher(settings, query)}


def node_ids(settings: Neo4jSettings) -> dict[str, str]:
    """Return the element id of every node, by its id."""
    query = "MATCH (n:Node) RETURN n.id AS id, elementId(n) AS e"
    return {record["id"]: record["e"] for record in run_cypher(settings, query)}


def answers(store: Neo4jStore | EmbeddedStore) -> tuple[object, ...]:
    """Return every node and edge the store holds."""
    nodes = [n for kind in NodeKind for n in store.nodes(kind)]
    return nodes, store.edges([n.id for n in nodes], Direction.OUT)


def test_a_new_version_rewrites_only_the_facts_that_changed(
    neo4j_store: Neo4jStore, embedded_store: EmbeddedStore, neo4j_settings: Neo4jSettings
) -> None:
    for batch in VERSIONS[:2]:
        neo4j_store.replace_documents(batch)
        embedded_store.replace_documents(batch)
    before = relationship_ids(neo4j_settings)
    neo4j_store.replace_documents(VERSIONS[2])
    embedded_store.replace_documents(VERSIONS[2])
    after = relationship_ids(neo4j_settings)
    assert answers(neo4j_store) == answers(embedded_store)
    assert after[A.id, B.id] == before[A.id, B.id]
    assert after[A.id, C.id] != before[A.id, C.id]
    assert (B.id, C.id) not in after
    # another document's fact about a replaced document's node is none of its facts
    assert after[D.id, DOC.id] == before[D.id, DOC.id]


def test_loading_the_same_documents_again_rewrites_nothing(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    neo4j_store.replace_documents(VERSIONS[0])
    before = relationship_ids(neo4j_settings), node_ids(neo4j_settings)
    neo4j_store.replace_documents(VERSIONS[0])
    assert (relationship_ids(neo4j_settings), node_ids(neo4j_settings)) == before


def test_relationships_show_their_facts_as_properties_in_neo4j_browser(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    cited = Engages(
        source=A.id,
        target=B.id,
        doc=DOC.id,
        line=7,
        text="B: Hosting",
        purpose="Hosting",
        categories=("call_recordings",),
    )
    none_passed = Engages(source=A.id, target=C.id, doc=DOC.id, categories=())
    unstated = Engages(source=A.id, target=D.id, doc=DOC.id)
    neo4j_store.replace_documents(
        GraphBatch(documents=[DOC], nodes=[A, B, C, D], edges=[cited, none_passed, unstated])
    )
    query = "MATCH (:Node)-[r]->(t:Node) RETURN t.id AS target, properties(r) AS props"
    shown = {record["target"]: record["props"] for record in run_cypher(neo4j_settings, query)}
    # the model's fields; None and lists left empty by default (details) are no property;
    # categories stated as none are an empty list, not stated (None) no property
    assert shown == {
        B.id: {
            "doc": DOC.id,
            "line": 7,
            "text": "B: Hosting",
            "purpose": "Hosting",
            "categories": ["call_recordings"],
        },
        C.id: {"doc": DOC.id, "categories": []},
        D.id: {"doc": DOC.id},
    }
    nodes = run_cypher(neo4j_settings, "MATCH (n:Node {id: 'org:a'}) RETURN n, labels(n) AS l")
    assert dict(nodes[0]["n"]) == {"id": "org:a", "name": "A"}
    assert sorted(nodes[0]["l"]) == ["Node", "Organisation"]


def test_a_relationship_another_tool_made_does_not_stop_a_load(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    neo4j_store.replace_documents(VERSIONS[0])
    # made in Neo4j Browser: no document, no properties at all
    run_cypher(
        neo4j_settings,
        "MATCH (a:Node {id: 'org:a'}), (c:Node {id: 'org:c'}) CREATE (a)-[:ENGAGES]->(c)",
    )
    neo4j_store.replace_documents(VERSIONS[2])
    assert [(e.target, e.doc) for e in neo4j_store.edges([A.id], Direction.OUT)] == [
        (B.id, DOC.id),
        (C.id, DOC.id),
        (D.id, DOC.id),
    ]
