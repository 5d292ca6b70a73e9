"""The store contract: every store gives the same answers for the same batches.

Each test runs against the embedded store and against a real Neo4j server (marked ``neo4j``;
it fails, never skips, when the server is down). Graphs are tiny literal batches, plus the
real seed document loaded into both stores side by side.
"""

from __future__ import annotations

import itertools
from operator import attrgetter
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from dataflyt.errors import StoreError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    Node,
    NodeKind,
    Provision,
    ServiceOutline,
)
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.graph.summary import document_infos
from dataflyt.ingest.load import load_files
from tests.conftest import SEED

ACME = Path(__file__).parent / "data" / "acme-annex.txt"
OUT, IN, BOTH = Direction.OUT, Direction.IN, Direction.BOTH
ENGAGES, CHILD_OF = EdgeKind.ENGAGES, EdgeKind.CHILD_OF


def doc(name: str, attrs: dict[str, Any] | None = None) -> Node:
    """Return the document node ``document:<name>``."""
    return Node(id=f"document:{name}", kind=NodeKind.DOCUMENT, name=name.upper(), attrs=attrs or {})


def org(name: str, attrs: dict[str, Any] | None = None) -> Node:
    """Return the organisation node ``org:<name>``."""
    return Node(id=f"org:{name}", kind=NodeKind.ORGANISATION, name=name.title(), attrs=attrs or {})


def category(name: str) -> Node:
    """Return the category node ``category:<name>``."""
    return Node(id=f"category:{name}", kind=NodeKind.CATEGORY, name=name, attrs={"key": name})


def fact(
    source: Node, kind: EdgeKind, target: Node, document: Node, line: int = 1, **attrs: Any
) -> Edge:
    """Return the edge ``source -kind-> target`` that ``document`` states at ``line``, with
    these attributes."""
    return Edge(source.id, target.id, kind, document.id, line, "said", attrs)


def batch(document: Node, edges: list[tuple[Node, EdgeKind, Node]]) -> GraphBatch:
    """Return a batch of ``document`` with these facts (one line each) and their nodes."""
    nodes = {n.id: n for s, _, t in edges for n in (s, t)}
    return GraphBatch(
        documents=[document],
        nodes=list(nodes.values()),
        edges=[fact(s, k, t, document, line) for line, (s, k, t) in enumerate(edges, 1)],
    )


def everything(store: GraphStore) -> dict[str, Any]:
    """Return all a store holds, comparable between stores: nodes, edges and counts; check on
    the way that the uncited reads (which the Neo4j store serves from each node's copy of its
    leaving relationships) give the same edges without line and text."""
    nodes = {kind.value: store.nodes(kind) for kind in NodeKind}
    ids = [n.id for found in nodes.values() for n in found]
    edges = store.edges(ids, OUT)
    around = store.around(ids, EdgeKind, EdgeKind, cited=False)
    leaving = [e for node in around.values() for e in node.leaving]
    entering = sorted((e for node in around.values() for e in node.entering), key=attrgetter("key"))
    assert uncited(leaving) == uncited(entering) == uncited(edges)
    # the kinds an outline and a breach read, which the Neo4j store takes from the copy
    read_kinds = [EdgeKind.PROCESSES, EdgeKind.PROCESSED_IN, ENGAGES, EdgeKind.PROVIDES]
    copied = store.around(ids, read_kinds, [], cited=False)
    leaving = [e for node in copied.values() for e in node.leaving]
    assert uncited(leaving) == uncited([e for e in edges if e.kind in read_kinds])
    summary = store.summary()
    return {
        "nodes": nodes,
        "edges": edges,
        "counts": summary.counts,
        "edge_count": summary.edges,
        "documents": summary.documents,
    }


def uncited(edges: list[Edge]) -> list[Edge]:
    """Return ``edges`` without line and text, which uncited reads may leave out."""
    return [replace(e, line=None, text=None) for e in edges]


A, B, C, D, E = (org(name) for name in "abcde")
DOC_1, DOC_2 = doc("one"), doc("two")


# -- traversal -----------------------------------------------------------------------------
def test_chain_of_three_hops(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (C, ENGAGES, D)]))
    assert store.reachable(A.id, ENGAGES, OUT) == {B.id: 1, C.id: 2, D.id: 3}
    assert store.reachable(D.id, ENGAGES, IN) == {C.id: 1, B.id: 2, A.id: 3}
    assert store.reachable(B.id, ENGAGES, BOTH) == {A.id: 1, C.id: 1, D.id: 2}
    assert store.reachable(D.id, ENGAGES, OUT) == {}
    assert store.reachable(A.id, EdgeKind.PROVIDES, OUT) == {}
    assert store.reachable("org:nobody", ENGAGES, OUT) == {}


def test_diamond_with_a_cycle_counts_shortest_hops(store: GraphStore) -> None:
    edges = [(A, ENGAGES, B), (A, ENGAGES, C), (B, ENGAGES, D), (C, ENGAGES, D)]
    store.replace_documents(batch(DOC_1, [*edges, (D, ENGAGES, E), (E, ENGAGES, A)]))
    found = store.reachable(A.id, ENGAGES, OUT)
    assert found == {B.id: 1, C.id: 1, D.id: 2, E.id: 3}
    assert list(found) == sorted(found)
    assert store.reachable(D.id, ENGAGES, IN) == {A.id: 2, B.id: 1, C.id: 1, E.id: 3}
    assert store.reachable(A.id, ENGAGES, BOTH) == {B.id: 1, C.id: 1, D.id: 2, E.id: 1}


def test_category_tree_follows_child_of_only(store: GraphStore) -> None:
    root, parent, leaf, other = (category(n) for n in ("root", "parent", "leaf", "other"))
    store.replace_documents(
        batch(DOC_1, [(leaf, CHILD_OF, parent), (parent, CHILD_OF, root), (other, ENGAGES, leaf)])
    )
    assert store.reachable(leaf.id, CHILD_OF, OUT) == {parent.id: 1, root.id: 2}
    assert store.reachable(root.id, CHILD_OF, IN) == {parent.id: 1, leaf.id: 2}
    assert store.reachable(leaf.id, CHILD_OF, BOTH) == {parent.id: 1, root.id: 2}
    assert [e.source for e in store.edges([parent.id], IN, [CHILD_OF])] == [leaf.id]
    assert store.nodes(NodeKind.CATEGORY) == sorted([root, parent, leaf, other], key=lambda n: n.id)


# -- reading -------------------------------------------------------------------------------
def test_nodes_come_back_exactly_as_written(store: GraphStore) -> None:
    attrs = {
        "country": "NO",
        "count": 3,
        "share": 0.5,
        "exhaustive": False,
        "date": None,
        "aliases": ["A/S", "Aktieselskap"],
        "empty": [],
        "conflicts": [{"kind": "country", "statements": [{"value": "NO", "line": 4}]}],
        "id": "not the id",
        "name": "not the name",
    }
    rich = org("rich", attrs)
    store.replace_documents(batch(doc("one", {"date": None, "services": 2}), [(rich, ENGAGES, A)]))
    assert store.node(rich.id) == rich
    assert store.node("org:absent") is None
    assert store.get_nodes([A.id, "org:absent", rich.id]) == {A.id: A, rich.id: rich}
    assert store.nodes(NodeKind.DOCUMENT) == [doc("one", {"date": None, "services": 2})]
    assert store.nodes(NodeKind.SERVICE) == []


def test_edges_by_direction_and_kind(store: GraphStore) -> None:
    leaf, parent = category("leaf"), category("parent")
    store.replace_documents(
        batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, A), (B, ENGAGES, C), (leaf, CHILD_OF, parent)])
    )
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B)]))
    keys = [e.key for e in store.edges([A.id, B.id], BOTH)]
    assert keys == [
        (A.id, "ENGAGES", B.id, DOC_1.id),
        (A.id, "ENGAGES", B.id, DOC_2.id),
        (B.id, "ENGAGES", A.id, DOC_1.id),
        (B.id, "ENGAGES", C.id, DOC_1.id),
    ]
    assert [e.target for e in store.edges([B.id], OUT)] == [A.id, C.id]
    assert [e.source for e in store.edges([B.id], IN, [ENGAGES])] == [A.id, A.id]
    assert store.edges([A.id], OUT, []) == []
    assert store.edges([A.id], OUT, [CHILD_OF]) == []
    assert store.edges(["org:absent"], BOTH) == []
    assert store.edges([leaf.id], OUT) == [fact(leaf, CHILD_OF, parent, DOC_1, line=4)]


def test_uncited_edges_are_the_same_facts_maybe_without_line_and_text(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (C, ENGAGES, A)]))
    rich = replace(fact(A, ENGAGES, D, DOC_2, line=3), attrs={"categories": ["x"], "n": 2})
    store.replace_documents(GraphBatch(documents=[DOC_2], nodes=[A, D], edges=[rich]))
    for direction in (OUT, IN, BOTH):
        cited = store.edges([A.id, B.id], direction, [ENGAGES])
        uncited = store.edges([A.id, B.id], direction, [ENGAGES], cited=False)
        assert [e.key for e in uncited] == [e.key for e in cited]
        assert [e.attrs for e in uncited] == [e.attrs for e in cited]
        assert all(
            (u.line, u.text) in {(c.line, c.text), (None, None)}
            for u, c in zip(uncited, cited, strict=True)
        )
    assert {"categories": ["x"], "n": 2} in [e.attrs for e in uncited]


def test_summary_counts_every_kind(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B)]))
    store.replace_documents(batch(DOC_1, [(A, CHILD_OF, category("x"))]))
    summary = store.summary()
    assert summary.counts == {
        "Service": 0,
        "Organisation": 2,
        "DataCategory": 1,
        "DataSubject": 0,
        "Country": 0,
        "Document": 2,
    }
    assert summary.edges == 2
    assert summary.documents == document_infos([DOC_1, DOC_2])


# -- replacing -----------------------------------------------------------------------------
def test_loading_the_same_batch_twice_changes_nothing(store: GraphStore) -> None:
    first = batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (A, CHILD_OF, category("x"))])
    store.replace_documents(first)
    before = everything(store)
    store.replace_documents(first)
    assert everything(store) == before
    assert before["edge_count"] == 3


def test_a_repeated_fact_in_one_batch_is_one_edge(store: GraphStore) -> None:
    once = batch(DOC_1, [(A, ENGAGES, B)])
    again = fact(A, ENGAGES, B, DOC_1, line=9)
    store.replace_documents(replace(once, edges=[*once.edges, again]))
    assert store.edges([A.id], OUT) == [again]


def test_an_edge_of_another_document_replaces_the_fact_with_its_key(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    restated = fact(A, ENGAGES, B, DOC_1, line=7)
    store.replace_documents(
        GraphBatch(documents=[DOC_2], nodes=[A, B, D], edges=[restated, fact(A, ENGAGES, D, DOC_2)])
    )
    assert [(e.key, e.line) for e in store.edges([A.id, B.id], OUT)] == [
        ((A.id, "ENGAGES", B.id, DOC_1.id), 7),
        ((A.id, "ENGAGES", D.id, DOC_2.id), 1),
        ((B.id, "ENGAGES", C.id, DOC_1.id), 2),
    ]


def test_replacing_a_document_keeps_the_other_documents_facts(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (C, ENGAGES, D)]))
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B), (E, ENGAGES, C)]))
    theirs = [e for e in everything(store)["edges"] if e.doc == DOC_2.id]
    store.replace_documents(batch(doc("one", {"date": "2024-01-01"}), [(A, ENGAGES, E)]))
    after = everything(store)
    assert [e for e in after["edges"] if e.doc == DOC_2.id] == theirs
    assert [e.key for e in after["edges"] if e.doc == DOC_1.id] == [
        (A.id, "ENGAGES", E.id, DOC_1.id)
    ]
    # D only appeared in document one's old facts; C stays through document two
    assert [n.id for n in after["nodes"]["Organisation"]] == [A.id, B.id, C.id, E.id]
    assert store.node(DOC_1.id) == doc("one", {"date": "2024-01-01"})
    assert store.reachable(A.id, ENGAGES, OUT) == {B.id: 1, E.id: 1, C.id: 2}


def test_merged_nodes_keep_their_name_and_take_new_attributes(store: GraphStore) -> None:
    first = org("a", {"country": "NO", "role": "processor"})
    store.replace_documents(batch(DOC_1, [(first, ENGAGES, B)]))
    renamed = replace(first, name="Another name", attrs={"country": "SE"})
    store.replace_documents(batch(DOC_2, [(renamed, ENGAGES, C)]))
    assert store.node(A.id) == replace(first, attrs={"country": "SE", "role": "processor"})


def test_a_document_without_facts_stays_and_loose_nodes_go(store: GraphStore) -> None:
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[A, B], edges=[]))
    assert everything(store)["nodes"]["Document"] == [DOC_1]
    assert store.node(A.id) is None
    assert store.summary().counts["Organisation"] == 0


def test_a_fact_may_name_a_node_only_the_map_holds(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B)]))
    # the second document's batch holds E but not B, which the first document brought
    later = replace(batch(DOC_2, [(E, ENGAGES, B)]), nodes=[E])
    store.replace_documents(later)
    assert [e.key for e in store.edges([B.id], IN)] == [
        (A.id, "ENGAGES", B.id, DOC_1.id),
        (E.id, "ENGAGES", B.id, DOC_2.id),
    ]
    assert store.node(B.id) == B


def test_a_failing_batch_changes_nothing(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    store.replace_documents(batch(DOC_2, [(C, ENGAGES, D)]))
    before = everything(store)
    broken = batch(doc("one", {"date": "new"}), [(A, ENGAGES, E), (E, ENGAGES, D)])
    dangling = Edge(source=A.id, target="org:nowhere", kind=ENGAGES, doc=DOC_1.id)
    broken = replace(broken, edges=[*broken.edges, dangling])
    with pytest.raises(StoreError, match="org:nowhere"):
        store.replace_documents(broken)
    assert everything(store) == before
    assert store.node(E.id) is None


# -- hostile text --------------------------------------------------------------------------
HOSTILE = [
    'O\'Brien "quoted" `backtick`',
    "x'}) DETACH DELETE n //",
    "`) MATCH (m) DETACH DELETE m //",
    "<script>alert('x')</script>",
    "Ærlig Øl på Å 🍺 \\ back\nslash",
    "$id {id} ${rows}",
]


def test_hostile_text_is_stored_verbatim_and_deletes_nothing(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    theirs = everything(store)
    nasty = [
        Node(id=f"org:{text}", kind=NodeKind.ORGANISATION, name=text, attrs={text: text})
        for text in HOSTILE
    ]
    nasty_doc = Node(id=f"document:{HOSTILE[1]}", kind=NodeKind.DOCUMENT, name=HOSTILE[1])
    edges = [
        Edge(
            source=s.id,
            target=t.id,
            kind=ENGAGES,
            doc=nasty_doc.id,
            text=s.name,
            # the separator of the Neo4j store's copies of relationships, inside a value
            attrs={"p": t.name, "separated": "a\x1fb"},
        )
        for s, t in zip([A, *nasty], [*nasty, A], strict=True)
    ]
    store.replace_documents(GraphBatch(documents=[nasty_doc], nodes=[A, *nasty], edges=edges))
    everything(store)  # checks that uncited reads give the same edges
    for node in nasty:
        assert store.node(node.id) == node
    assert store.nodes(NodeKind.ORGANISATION) == sorted([A, B, C, *nasty], key=lambda n: n.id)
    assert store.edges([n.id for n in nasty], BOTH) == sorted(edges, key=lambda e: e.key)
    assert store.reachable(nasty[0].id, ENGAGES, OUT)[A.id] == len(HOSTILE)
    # replacing the hostile document again leaves the other document exactly as it was
    store.replace_documents(GraphBatch(documents=[nasty_doc], nodes=[], edges=[]))
    after = everything(store)
    assert after["edges"] == theirs["edges"]
    assert after["nodes"]["Organisation"] == theirs["nodes"]["Organisation"]
    assert after["documents"] == document_infos(sorted([DOC_1, nasty_doc], key=lambda n: n.id))


# -- the seed document, side by side ---------------------------------------------------------
@pytest.mark.neo4j
@pytest.mark.parametrize("paths", [[SEED], [SEED, ACME]], ids=["seed", "seed+acme"])
def test_real_documents_give_the_same_graph_in_both_stores(
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore, paths: list[Path]
) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, paths)
        load_files(store, paths[:1])
    expected, found = everything(embedded_store), everything(neo4j_store)
    assert expected["edge_count"] > 0
    for kind in NodeKind:
        assert found["nodes"][kind.value] == expected["nodes"][kind.value], kind
    assert found == expected
    ids = [n.id for nodes in expected["nodes"].values() for n in nodes]
    for direction in Direction:
        assert neo4j_store.edges(ids, direction) == embedded_store.edges(ids, direction)
    for node in expected["nodes"]["Organisation"] + expected["nodes"]["Service"]:
        for direction in Direction:
            assert neo4j_store.reachable(node.id, ENGAGES, direction) == (
                embedded_store.reachable(node.id, ENGAGES, direction)
            ), (node.id, direction)


def test_around_is_each_node_with_its_edges_in_one_read(store: GraphStore) -> None:
    leaf, parent = category("leaf"), category("parent")
    store.replace_documents(
        batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, A), (B, ENGAGES, C), (leaf, CHILD_OF, parent)])
    )
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B), (C, CHILD_OF, parent)]))
    ids = [B.id, leaf.id, A.id, "org:absent", A.id]
    for leaving, entering in [
        ([ENGAGES], [ENGAGES]),
        ([ENGAGES, CHILD_OF], []),
        ([], [ENGAGES]),
        ([CHILD_OF], [ENGAGES, CHILD_OF]),
        ([], []),
    ]:
        found = store.around(ids, leaving, entering)
        assert list(found) == sorted(store.get_nodes(ids))
        for node_id, around in found.items():
            assert around.node == store.node(node_id)
            assert around.leaving == store.edges([node_id], OUT, leaving)
            assert around.entering == store.edges([node_id], IN, entering)
    uncited = store.around(ids, [ENGAGES], [ENGAGES], cited=False)
    cited = store.around(ids, [ENGAGES], [ENGAGES])
    for node_id, around in uncited.items():
        assert [e.key for e in around.leaving] == [e.key for e in cited[node_id].leaving]
        assert [e.key for e in around.entering] == [e.key for e in cited[node_id].entering]
    assert (A.id, "ENGAGES", B.id, DOC_2.id) in [e.key for e in uncited[A.id].leaving]
    assert (A.id, "ENGAGES", B.id, DOC_2.id) in [e.key for e in uncited[B.id].entering]


def test_around_many_nodes_is_each_with_its_own_edges(store: GraphStore) -> None:
    # enough nodes for the Neo4j store to read them in parts at once
    chain = [org(f"n{i:04}") for i in range(1200)]
    store.replace_documents(batch(DOC_1, [(a, ENGAGES, b) for a, b in itertools.pairwise(chain)]))
    ids = [node.id for node in reversed(chain)]
    found = store.around(ids, [ENGAGES], [ENGAGES], cited=False)
    assert list(found) == sorted(ids)
    edges = everything(store)["edges"]
    assert uncited([e for n in found.values() for e in n.leaving]) == uncited(edges)
    assert [uncited(n.entering) for n in found.values()][1:] == [[e] for e in uncited(edges)]


def test_outlines_are_each_services_own_facts_and_first_provider(store: GraphStore) -> None:
    x = Node(id="service:x", kind=NodeKind.SERVICE, name="X")
    y = Node(id="service:y", kind=NodeKind.SERVICE, name="Y")
    a, b = category("a"), category("b")
    norway = Node(id="country:no", kind=NodeKind.COUNTRY, name="Norway", attrs={"code": "NO"})
    staff = Node(id="subject:staff", kind=NodeKind.SUBJECT, name="Staff")

    engagement = fact(x, ENGAGES, C, DOC_1, categories=["a"])
    edges = [
        fact(B, EdgeKind.PROVIDES, x, DOC_1, role="processor"),
        fact(A, EdgeKind.PROVIDES, x, DOC_2, role="sub_processor"),
        fact(x, EdgeKind.PROCESSES, b, DOC_1, subjects=["customers"]),
        fact(x, EdgeKind.PROCESSES, a, DOC_2),
        fact(x, EdgeKind.PROCESSES, a, DOC_1, subjects=["employees", "customers"]),
        fact(x, EdgeKind.PROCESSED_IN, norway, DOC_1, exhaustive=False),
        fact(x, EdgeKind.CONCERNS, staff, DOC_1),
        fact(x, EdgeKind.DESCRIBED_IN, DOC_1, DOC_1),
        engagement,
        fact(y, EdgeKind.PROCESSED_IN, norway, DOC_2),
    ]
    nodes = [x, y, a, b, norway, staff, A, B, C]
    store.replace_documents(GraphBatch(documents=[DOC_1, DOC_2], nodes=nodes, edges=edges))
    outlines = {  # engagements as uncited reads give them, maybe without line and text
        node_id: outline._replace(engagements=uncited(outline.engagements))
        for node_id, outline in store.outlines([y.id, x.id, "service:absent", x.id, A.id]).items()
    }
    assert list(outlines) == [A.id, x.id, y.id]
    assert outlines == {
        A.id: ServiceOutline(A.id, "A", None, [], [], []),
        x.id: ServiceOutline(
            id=x.id,
            name="X",
            provision=Provision(A.id, "A", "sub_processor"),  # org:a before org:b
            categories=[(a.id, ("employees", "customers")), (a.id, ()), (b.id, ("customers",))],
            countries=[norway.id],
            engagements=uncited([engagement]),
        ),
        y.id: ServiceOutline(y.id, "Y", None, [], [norway.id], []),
    }
