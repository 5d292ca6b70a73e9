"""Replacing documents on Neo4j writes only what changed: a fact stated again as it was keeps
its relationship, a changed fact is rewritten, a fact no longer stated goes; and the answers
stay those of the embedded store."""

from __future__ import annotations

import gc

import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.errors import StoreError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Direction, Edge, EdgeKind, GraphBatch, Node, NodeKind
from dataflyt.graph.neo4j_rows import LEAVING, LEAVING_COPY
from dataflyt.graph.neo4j_store import Neo4jStore
from tests.store_fixtures import run_cypher

DOC = Node(id="document:dpa", kind=NodeKind.DOCUMENT, name="DPA", attrs={"date": "2024-01-01"})
OTHER = Node(id="document:list", kind=NodeKind.DOCUMENT, name="List")
A, B, C, D = (Node(id=f"org:{n}", kind=NodeKind.ORGANISATION, name=n.upper()) for n in "abcd")


def engages(source: Node, target: Node, doc: Node, line: int, purpose: str = "x") -> Edge:
    """Return the engagement ``source -> target`` that ``doc`` states at ``line``."""
    return Edge(
        source=source.id,
        target=target.id,
        kind=EdgeKind.ENGAGES,
        doc=doc.id,
        line=line,
        text=f"{target.name}: {purpose}",
        attrs={"purpose": purpose},
    )


UNCHANGED = engages(A, B, DOC, 1)
MOVED = engages(A, C, DOC, 2)
DROPPED = engages(B, C, DOC, 3)
TO_THE_DOCUMENT = Edge(source=D.id, target=DOC.id, kind=EdgeKind.DESCRIBED_IN, doc=OTHER.id)
VERSIONS = [
    GraphBatch(documents=[DOC], nodes=[A, B, C], edges=[UNCHANGED, MOVED, DROPPED]),
    GraphBatch(documents=[OTHER], nodes=[D, DOC], edges=[TO_THE_DOCUMENT]),
    GraphBatch(
        documents=[DOC],
        nodes=[A, B, C, D],
        edges=[UNCHANGED, engages(A, C, DOC, 5), engages(A, D, DOC, 6, "new")],
    ),
]


def relationship_ids(settings: Neo4jSettings) -> dict[tuple[str, str], str]:
    """Return the element id of every relationship, by its source's and target's ids."""
    query = "MATCH (s:Node)-[r]->(t:Node) RETURN s.id AS s, t.id AS t, elementId(r) AS r"
    return {(record["s"], record["t"]): record["r"] for record in run_cypher(settings, query)}


def answers(store: Neo4jStore | EmbeddedStore) -> tuple[object, ...]:
    """Return every node and edge the store holds."""
    nodes = [n for kind in NodeKind for n in store.nodes(kind)]
    return nodes, store.edges([n.id for n in nodes], Direction.OUT)


@pytest.mark.neo4j
def test_a_new_version_rewrites_only_the_facts_that_changed(
    neo4j_store: Neo4jStore, embedded_store: EmbeddedStore, neo4j_settings: Neo4jSettings
) -> None:
    for version in VERSIONS[:2]:
        neo4j_store.replace_documents(version)
        embedded_store.replace_documents(version)
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


@pytest.mark.neo4j
def test_loading_the_same_documents_again_rewrites_nothing(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    neo4j_store.replace_documents(VERSIONS[0])
    before = relationship_ids(neo4j_settings)
    neo4j_store.replace_documents(VERSIONS[0])
    assert relationship_ids(neo4j_settings) == before


@pytest.mark.neo4j
def test_every_load_refreshes_the_copies_of_leaving_relationships(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    # the last version's fact leaves B, which only the map holds
    from_the_map = GraphBatch(
        documents=[OTHER], nodes=[D], edges=[TO_THE_DOCUMENT, engages(B, D, OTHER, 2)]
    )
    query = f"MATCH (n:Node) RETURN n.id AS id, n.{LEAVING} AS copy, {LEAVING_COPY} AS now"
    for version in [*VERSIONS, from_the_map]:
        neo4j_store.replace_documents(version)
        nodes = run_cypher(neo4j_settings, query)
        assert nodes
        for node in nodes:
            assert sorted(node["copy"]) == sorted(node["now"]), node["id"]
    copies = {node["id"]: node["copy"] for node in nodes}
    assert any(entry.startswith("ENGAGES\x1forg:d\x1f") for entry in copies[B.id])


@pytest.mark.neo4j
def test_relationships_show_their_facts_as_properties_in_neo4j_browser(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    attrs = {"purpose": "Hosting", "subjects": ["customers", "staff"], "scope": {"eu": True}}
    cited = Edge(A.id, B.id, EdgeKind.ENGAGES, DOC.id, line=7, text="B: Hosting", attrs=attrs)
    uncited = Edge(A.id, C.id, EdgeKind.ENGAGES, DOC.id)
    neo4j_store.replace_documents(GraphBatch([DOC], [A, B, C], [cited, uncited]))
    query = "MATCH (:Node)-[r]->(t:Node) RETURN t.id AS target, properties(r) AS props"
    shown = {record["target"]: record["props"] for record in run_cypher(neo4j_settings, query)}
    # plain values and lists of strings get properties of their own; everything is in the JSON
    assert shown[B.id] == {
        "doc": DOC.id,
        "line": 7,
        "text": "B: Hosting",
        "attrs_json": '{"purpose":"Hosting","subjects":["customers","staff"],"scope":{"eu":true}}',
        "purpose": "Hosting",
        "subjects": ["customers", "staff"],
    }
    assert shown[C.id] == {"doc": DOC.id, "attrs_json": "{}"}


@pytest.mark.neo4j
def test_an_id_holding_the_copies_separator_is_refused_before_writing(
    neo4j_store: Neo4jStore,
) -> None:
    neo4j_store.replace_documents(VERSIONS[0])
    before = answers(neo4j_store)
    odd = Node(id="org:a\x1fb", kind=NodeKind.ORGANISATION, name="Odd")
    batch = GraphBatch(documents=[OTHER], nodes=[D, odd], edges=[engages(D, odd, OTHER, 1)])
    with pytest.raises(StoreError, match=r"^node id 'org:a\\x1fb' holds the control character"):
        neo4j_store.replace_documents(batch)
    assert answers(neo4j_store) == before


@pytest.mark.neo4j
def test_relationships_changed_by_hand_are_read_as_they_are(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    neo4j_store.replace_documents(VERSIONS[0])
    kinds = [EdgeKind.ENGAGES]
    # someone deletes one relationship in Neo4j Browser, and adds another
    run_cypher(neo4j_settings, "MATCH (:Node {id: 'org:a'})-[r]->(:Node {id: 'org:c'}) DELETE r")
    run_cypher(
        neo4j_settings,
        "MATCH (b:Node {id: 'org:b'}), (a:Node {id: 'org:a'}) "
        "CREATE (b)-[:ENGAGES {doc: 'document:dpa', attrs_json: '{}'}]->(a)",
    )
    found = neo4j_store.around([A.id, B.id], kinds, [], cited=False)
    cited = neo4j_store.around([A.id, B.id], kinds, [])
    for node in (A, B):
        assert [e.key for e in found[node.id].leaving] == [e.key for e in cited[node.id].leaving]
    assert [e.target for e in found[A.id].leaving] == [B.id]
    assert [e.target for e in found[B.id].leaving] == [A.id, C.id]
    outlines = neo4j_store.outlines([A.id, B.id])
    assert [e.target for e in outlines[B.id].engagements] == [A.id, C.id]


@pytest.mark.neo4j
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
    found = neo4j_store.around([A.id], [EdgeKind.ENGAGES], [], cited=False)
    assert [(e.target, e.doc) for e in found[A.id].leaving] == [
        (B.id, DOC.id),
        (C.id, DOC.id),
        (D.id, DOC.id),
    ]


@pytest.mark.neo4j
@pytest.mark.parametrize("enabled", [True, False], ids=["collector on", "collector off"])
def test_a_load_leaves_pythons_collector_as_it_found_it(
    neo4j_store: Neo4jStore, enabled: bool
) -> None:
    # the store pauses the collector while it writes, for an application that embeds it too
    dangling = GraphBatch(
        [OTHER], [D], [engages(D, Node("org:gone", NodeKind.ORGANISATION, "Gone"), OTHER, 1)]
    )
    was_enabled = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        neo4j_store.replace_documents(VERSIONS[0])
        assert gc.isenabled() is enabled
        with pytest.raises(StoreError, match="org:gone"):
            neo4j_store.replace_documents(dangling)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was_enabled else gc.disable)()
