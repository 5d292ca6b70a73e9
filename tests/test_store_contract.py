"""The store contract: every store gives the same answers for the same batches.

Each test runs against the embedded store and against a real Neo4j server (marked ``neo4j``;
it fails, never skips, when the server is down). Graphs are tiny literal batches, plus the
real seed document loaded into both stores side by side.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from dataflyt.errors import StoreError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    ChildOf,
    Concerns,
    Country,
    DescribedIn,
    Direction,
    Document,
    EdgeKind,
    Engages,
    GraphBatch,
    NodeKind,
    Organisation,
    PartOf,
    ProcessedIn,
    Processes,
    Provides,
    Service,
    Subject,
)
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED
from tests.store_fixtures import Reopen, version

ACME = Path(__file__).parent / "data" / "acme-annex.txt"
OUT, IN, BOTH = Direction.OUT, Direction.IN, Direction.BOTH
ENGAGES, CHILD_OF, PROVIDES = EdgeKind.ENGAGES, EdgeKind.CHILD_OF, EdgeKind.PROVIDES


def org(name: str) -> Organisation:
    """Return the organisation ``org:<name>``."""
    return Organisation(id=f"org:{name}", name=name.title())


def category(key: str) -> Category:
    """Return the category ``category:<key>``."""
    return Category(id=f"category:{key}", name=key, key=key)


def engages(source: AnyNode, target: AnyNode, doc: Document, line: int = 1) -> Engages:
    """Return ``source`` engaging ``target``, as ``doc`` states at ``line``."""
    return Engages(source=source.id, target=target.id, doc=doc.id, line=line, text="said")


def batch(doc: Document, edges: list[tuple[AnyNode, EdgeKind, AnyNode]]) -> GraphBatch:
    """Return a batch of ``doc`` with these facts (an edge per line, no fields) and nodes."""
    kinds = {ENGAGES: Engages, CHILD_OF: ChildOf, PROVIDES: Provides}
    nodes = {n.id: n for s, _, t in edges for n in (s, t)}
    made: list[AnyEdge] = [
        kinds[kind](source=s.id, target=t.id, doc=doc.id, line=line, text="said")
        for line, (s, kind, t) in enumerate(edges, 1)
    ]
    return GraphBatch(documents=[doc], nodes=list(nodes.values()), edges=made)


def everything(store: GraphStore) -> dict[str, Any]:
    """Return all a store shows, comparable between stores: nodes, edges, summary counts."""
    nodes = {kind.value: store.nodes(kind) for kind in NodeKind}
    ids = [n.id for found in nodes.values() for n in found]
    summary = store.summary()
    return {
        "nodes": nodes,
        "edges": store.edges(ids, OUT),
        "counts": summary.counts,
        "edge_count": summary.edges,
        "documents": summary.documents,
        "versions": store.document_versions(),
    }


A, B, C, D, E = (org(name) for name in "abcde")
DOC_1, DOC_2 = version("one"), version("two")


# -- traversal -----------------------------------------------------------------------------
def test_chain_of_three_hops(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (C, ENGAGES, D)]))
    assert store.reachable(A.id, [ENGAGES], OUT) == {B.id: 1, C.id: 2, D.id: 3}
    assert store.reachable(D.id, [ENGAGES], IN) == {C.id: 1, B.id: 2, A.id: 3}
    assert store.reachable(B.id, [ENGAGES], BOTH) == {A.id: 1, C.id: 1, D.id: 2}
    assert store.reachable(D.id, [ENGAGES], OUT) == {}
    assert store.reachable(A.id, [PROVIDES], OUT) == {}
    assert store.reachable(A.id, [], OUT) == {}
    assert store.reachable("org:nobody", [ENGAGES], OUT) == {}


def test_a_walk_follows_every_kind_asked_for(store: GraphStore) -> None:
    service = Service(id="service:b/x", name="X")
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, PROVIDES, service)]))
    assert store.reachable(service.id, [ENGAGES, PROVIDES], IN) == {B.id: 1, A.id: 2}
    assert store.reachable(service.id, [PROVIDES], IN) == {B.id: 1}


def test_diamond_with_a_cycle_counts_shortest_hops(store: GraphStore) -> None:
    edges = [(A, ENGAGES, B), (A, ENGAGES, C), (B, ENGAGES, D), (C, ENGAGES, D)]
    store.replace_documents(batch(DOC_1, [*edges, (D, ENGAGES, E), (E, ENGAGES, A)]))
    found = store.reachable(A.id, [ENGAGES], OUT)
    assert found == {B.id: 1, C.id: 1, D.id: 2, E.id: 3}
    assert list(found) == sorted(found)
    assert store.reachable(D.id, [ENGAGES], IN) == {A.id: 2, B.id: 1, C.id: 1, E.id: 3}
    assert store.reachable(A.id, [ENGAGES], BOTH) == {B.id: 1, C.id: 1, D.id: 2, E.id: 1}


def test_category_tree_follows_child_of_only(store: GraphStore) -> None:
    root, parent, leaf, other = (category(n) for n in ("root", "parent", "leaf", "other"))
    store.replace_documents(
        batch(DOC_1, [(leaf, CHILD_OF, parent), (parent, CHILD_OF, root), (other, ENGAGES, leaf)])
    )
    assert store.reachable(leaf.id, [CHILD_OF], OUT) == {parent.id: 1, root.id: 2}
    assert store.reachable(root.id, [CHILD_OF], IN) == {parent.id: 1, leaf.id: 2}
    assert [e.source for e in store.edges([parent.id], IN, [CHILD_OF])] == [leaf.id]
    assert store.nodes(NodeKind.CATEGORY) == sorted([root, parent, leaf, other], key=lambda n: n.id)


# -- reading -------------------------------------------------------------------------------
NODES: list[AnyNode] = [
    Service(id="service:acme/phone", name="Phone"),
    Organisation(id="org:acme", name="Acme"),
    Category(
        id="category:call_recordings",
        name="Call recordings",
        key="call_recordings",
        name_no="Samtaleopptak",
        parent="communications",
        sensitivity="high",
        open_ended=True,
        mapped=True,
        dpv="dpv-pd:CallLog",
    ),
    Category(id="category:x", name="Odd term", key="x", mapped=False, sensitivity="unknown"),
    Subject(id="subject:staff", name="Staff", key="staff", name_no="Ansatte"),
    Country(id="country:no", name="Norway", code="NO", eea=True),
    Country(id="country:eea", name="EEA", code="EEA", region=True, eea=True),
]
EDGES: list[AnyEdge] = [
    Provides(source="org:acme", target="service:acme/phone", doc=DOC_1.id, role="processor"),
    Processes(
        source="service:acme/phone",
        target="category:call_recordings",
        doc=DOC_1.id,
        page=2,
        line=14,
        text="Samtaleopptak",
        subjects=("staff", "customers"),
    ),
    Processes(source="service:acme/phone", target="category:x", doc=DOC_1.id, subjects=()),
    Concerns(source="service:acme/phone", target="subject:staff", doc=DOC_1.id),
    Engages(source="service:acme/phone", target="org:acme", doc=DOC_1.id, categories=()),
    Engages(
        source="org:acme",
        target="org:acme",
        doc=DOC_1.id,
        purpose="Hosting",
        categories=("call_recordings",),
        added="2024-02-01",
        details=("Contract: 12",),
    ),
    ProcessedIn(
        source="service:acme/phone",
        target="country:no",
        doc=DOC_1.id,
        exhaustive=False,
        safeguards=("SCC",),
        note="and elsewhere",
    ),
    # the same place for one engagement is another fact (its scope is the sub-processor)
    ProcessedIn(source="service:acme/phone", target="country:no", doc=DOC_1.id, by="org:acme"),
    ProcessedIn(source="org:acme", target="country:eea", doc=DOC_1.id),
    ChildOf(source="category:x", target="category:call_recordings", doc=DOC_1.id),
    DescribedIn(
        source="org:acme",
        target=DOC_1.id,
        doc=DOC_1.id,
        spellings=("ACME AS",),
        aliases=("Acme",),
        country="NO",
        dpf_certified=False,
        controller=True,
        contact="dpo@acme.example",
    ),
    # another spelling in the same document is another fact
    DescribedIn(source="org:acme", target=DOC_1.id, doc=DOC_1.id, spellings=("Acme",)),
    DescribedIn(
        source="service:acme/phone",
        target=DOC_1.id,
        doc=DOC_1.id,
        purposes=("Support",),
        legal_basis="Art. 6(1)(b)",
        retention="90 days",
        portals=("https://acme.example",),
    ),
    PartOf(source="org:acme", target="org:acme-group", doc=DOC_1.id),
]
GROUP = Organisation(id="org:acme-group", name="Acme Group")


def test_nodes_and_edges_of_every_kind_come_back_exactly_as_written(store: GraphStore) -> None:
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[*NODES, GROUP], edges=EDGES))
    assert store.get_nodes([n.id for n in NODES]) == {n.id: n for n in NODES}
    assert store.node(DOC_1.id) == DOC_1
    assert store.node("org:absent") is None
    assert store.nodes(NodeKind.CATEGORY) == [NODES[2], NODES[3]]
    ids = [n.id for n in [*NODES, GROUP, DOC_1]]
    assert store.edges(ids, OUT) == sorted(EDGES, key=lambda e: e.key)
    assert len({e.key for e in EDGES}) == len(EDGES)


def test_edges_by_direction_and_kind(store: GraphStore) -> None:
    leaf, parent = category("leaf"), category("parent")
    store.replace_documents(
        batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, A), (B, ENGAGES, C), (leaf, CHILD_OF, parent)])
    )
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B)]))
    keys = [e.key[:4] for e in store.edges([A.id, B.id], BOTH)]
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
    assert store.edges([leaf.id], OUT) == [
        ChildOf(source=leaf.id, target=parent.id, doc=DOC_1.id, line=4, text="said")
    ]


def test_uncited_edges_are_the_same_facts_maybe_without_line_and_text(store: GraphStore) -> None:
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[*NODES, GROUP], edges=EDGES))
    ids = [n.id for n in NODES]
    for direction in Direction:
        cited = store.edges(ids, direction)
        uncited = store.edges(ids, direction, cited=False)
        assert [strip(e) for e in uncited] == [strip(e) for e in cited]


def strip(edge: AnyEdge) -> AnyEdge:
    """Return ``edge`` without page, line and text, which uncited reads may leave out."""
    return replace(edge, page=None, line=None, text=None)


def test_neighbourhoods_are_each_node_with_its_edges_in_one_read(store: GraphStore) -> None:
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
        found = store.neighbourhoods(ids, leaving, entering)
        assert list(found) == [leaf.id, A.id, B.id]
        for node_id, near in found.items():
            assert near.node == store.node(node_id)
            assert near.leaving == store.edges([node_id], OUT, leaving)
            assert near.entering == store.edges([node_id], IN, entering)
    uncited = store.neighbourhoods(ids, [ENGAGES], [ENGAGES], cited=False)
    cited = store.neighbourhoods(ids, [ENGAGES], [ENGAGES])
    for node_id, near in uncited.items():
        assert [strip(e) for e in near.leaving] == [strip(e) for e in cited[node_id].leaving]
        assert [strip(e) for e in near.entering] == [strip(e) for e in cited[node_id].entering]


def test_neighbourhoods_of_many_nodes_are_each_with_its_own_edges(store: GraphStore) -> None:
    chain = [org(f"n{i:04}") for i in range(1200)]
    store.replace_documents(batch(DOC_1, [(a, ENGAGES, b) for a, b in itertools.pairwise(chain)]))
    found = store.neighbourhoods([n.id for n in reversed(chain)], [ENGAGES], [ENGAGES])
    assert list(found) == [n.id for n in chain]
    edges = store.edges(list(found), OUT)
    assert [e for near in found.values() for e in near.leaving] == edges
    assert [near.entering for near in found.values()][1:] == [[e] for e in edges]


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
    assert (summary.edges, summary.documents, summary.versions) == (2, [DOC_1, DOC_2], 2)
    assert summary.as_of is None


# -- replacing -----------------------------------------------------------------------------
def test_loading_the_same_batch_twice_changes_nothing(store: GraphStore) -> None:
    first = batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (A, CHILD_OF, category("x"))])
    store.replace_documents(first)
    before = everything(store)
    store.replace_documents(first)
    assert everything(store) == before
    assert before["edge_count"] == 3


def test_a_repeated_fact_in_one_batch_is_one_edge_the_last_stated(store: GraphStore) -> None:
    once = batch(DOC_1, [(A, ENGAGES, B)])
    again = engages(A, B, DOC_1, line=9)
    store.replace_documents(replace(once, edges=[*once.edges, again]))
    assert store.edges([A.id], OUT) == [again]


def test_an_edge_of_another_document_replaces_the_fact_with_its_key(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    restated = engages(A, B, DOC_1, line=7)
    store.replace_documents(
        GraphBatch(documents=[DOC_2], nodes=[A, B, D], edges=[restated, engages(A, D, DOC_2)])
    )
    assert [(e.key[:4], e.line) for e in store.edges([A.id, B.id], OUT)] == [
        ((A.id, "ENGAGES", B.id, DOC_1.id), 7),
        ((A.id, "ENGAGES", D.id, DOC_2.id), 1),
        ((B.id, "ENGAGES", C.id, DOC_1.id), 2),
    ]


def test_places_of_two_engagements_are_two_facts(store: GraphStore) -> None:
    norway = NODES[5]
    own, for_b = (
        ProcessedIn(source=A.id, target=norway.id, doc=DOC_1.id, by=by) for by in (None, B.id)
    )
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[A, B, norway], edges=[own, for_b]))
    assert store.edges([A.id], OUT) == [own, for_b]
    moved = replace(for_b, by=C.id)
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[A, C, norway], edges=[own, moved]))
    assert store.edges([norway.id], IN) == [own, moved]


def test_replacing_a_document_keeps_the_other_documents_facts(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C), (C, ENGAGES, D)]))
    store.replace_documents(batch(DOC_2, [(A, ENGAGES, B), (E, ENGAGES, C)]))
    theirs = [e for e in everything(store)["edges"] if e.doc == DOC_2.id]
    store.replace_documents(batch(replace(DOC_1, path="moved.txt"), [(A, ENGAGES, E)]))
    after = everything(store)
    assert [e for e in after["edges"] if e.doc == DOC_2.id] == theirs
    assert [e.key[:4] for e in after["edges"] if e.doc == DOC_1.id] == [
        (A.id, "ENGAGES", E.id, DOC_1.id)
    ]
    # D only appeared in document one's old facts; C stays through document two
    assert [n.id for n in after["nodes"]["Organisation"]] == [A.id, B.id, C.id, E.id]
    assert store.node(DOC_1.id) == replace(DOC_1, path="moved.txt")
    assert store.reachable(A.id, [ENGAGES], OUT) == {B.id: 1, E.id: 1, C.id: 2}


def test_a_stored_node_keeps_its_name_and_takes_the_new_fields(store: GraphStore) -> None:
    first = Category(id="category:a", name="First", key="a", sensitivity="normal")
    store.replace_documents(batch(DOC_1, [(first, CHILD_OF, category("b"))]))
    renamed = replace(first, name="Another name", sensitivity="high", name_no="Annen")
    store.replace_documents(batch(DOC_2, [(renamed, CHILD_OF, category("c"))]))
    assert store.node(first.id) == replace(renamed, name="First")
    # a document version is taken whole, its name too
    store.replace_documents(batch(replace(DOC_2, name="Renamed"), [(A, ENGAGES, B)]))
    assert store.node(DOC_2.id) == replace(DOC_2, name="Renamed")


def test_a_document_without_facts_stays_and_loose_nodes_go(store: GraphStore) -> None:
    store.replace_documents(GraphBatch(documents=[DOC_1], nodes=[A, B], edges=[]))
    assert everything(store)["nodes"]["Document"] == [DOC_1]
    assert store.node(A.id) is None
    assert store.summary().counts["Organisation"] == 0


def test_a_fact_may_name_a_node_only_the_map_holds(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B)]))
    # the second document's batch holds E but not B, which the first document brought
    store.replace_documents(GraphBatch(documents=[DOC_2], nodes=[E], edges=[engages(E, B, DOC_2)]))
    assert [e.key[:4] for e in store.edges([B.id], IN)] == [
        (A.id, "ENGAGES", B.id, DOC_1.id),
        (E.id, "ENGAGES", B.id, DOC_2.id),
    ]
    assert store.node(B.id) == B


def test_a_failing_batch_changes_nothing(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    store.replace_documents(batch(DOC_2, [(C, ENGAGES, D)]))
    before = everything(store)
    broken = batch(replace(DOC_1, path="new.txt"), [(A, ENGAGES, E), (E, ENGAGES, D)])
    dangling = Engages(source=A.id, target="org:nowhere", doc=DOC_1.id)
    with pytest.raises(StoreError, match="names node org:nowhere, which is neither in the batch"):
        store.replace_documents(replace(broken, edges=[*broken.edges, dangling]))
    assert everything(store) == before
    assert store.node(E.id) is None


# -- versions ------------------------------------------------------------------------------
OLD = version("list", "2023-01-01", "2024-01-01", n=1)
NEW = version("list", "2024-01-01", None, n=2)


def two_versions(store: GraphStore) -> None:
    """Load version 1 of a list (A engages B), then version 2 (A engages C), which ends it."""
    store.replace_documents(batch(replace(OLD, valid_to=None), [(A, ENGAGES, B)]))
    store.replace_documents(replace(batch(NEW, [(A, ENGAGES, C)]), restamped=[OLD]))


def test_a_store_answers_as_of_its_date(store: GraphStore, reopen: Reopen) -> None:
    two_versions(store)
    assert store.document_versions() == [OLD, NEW]
    assert store.reachable(A.id, [ENGAGES], OUT) == {C.id: 1}
    assert store.nodes(NodeKind.DOCUMENT) == [NEW]
    assert store.node(B.id) is None
    assert store.get_nodes([B.id, C.id]) == {C.id: C}
    then = reopen(store, "2023-06-30")
    assert then.as_of == "2023-06-30"
    assert then.reachable(A.id, [ENGAGES], OUT) == {B.id: 1}
    assert then.nodes(NodeKind.ORGANISATION) == [A, B]
    assert then.nodes(NodeKind.DOCUMENT) == [OLD]
    assert then.edges([A.id], OUT) == [engages(A, B, OLD)]
    assert then.neighbourhoods([A.id, C.id], [ENGAGES], [])[A.id].leaving == [engages(A, B, OLD)]
    summary = then.summary()
    assert (summary.as_of, summary.edges, summary.documents, summary.versions) == (
        "2023-06-30",
        1,
        [OLD],
        2,
    )
    # on the day the new version comes into force, it answers; before the first, nothing
    assert reopen(store, "2024-01-01").edges([A.id], OUT) == [engages(A, C, NEW)]
    before = reopen(store, "2022-12-31")
    assert before.nodes(NodeKind.ORGANISATION) == before.nodes(NodeKind.DOCUMENT) == []


def test_every_version_keeps_its_facts(store: GraphStore) -> None:
    two_versions(store)
    assert store.document_edges([OLD.id]) == [engages(A, B, OLD)]
    assert store.document_edges([NEW.id, OLD.id]) == [engages(A, B, OLD), engages(A, C, NEW)]
    assert store.document_edges(["document:none"]) == []


def test_a_restamped_version_keeps_its_facts(store: GraphStore, reopen: Reopen) -> None:
    two_versions(store)
    # an older version loaded later ends before the one that was first
    oldest = version("list", "2022-01-01", "2023-01-01", n=0)
    store.replace_documents(
        replace(batch(oldest, [(A, ENGAGES, D)]), restamped=[replace(OLD, loaded="2024-07-01")])
    )
    assert store.document_versions() == [oldest, replace(OLD, loaded="2024-07-01"), NEW]
    assert store.document_edges([OLD.id]) == [engages(A, B, OLD)]
    assert reopen(store, "2022-06-30").reachable(A.id, [ENGAGES], OUT) == {D.id: 1}
    assert store.reachable(A.id, [ENGAGES], OUT) == {C.id: 1}


def test_a_store_opened_as_of_a_date_writes_nothing(store: GraphStore, reopen: Reopen) -> None:
    two_versions(store)
    then = reopen(store, "2023-06-30")
    refused = "opened as of 2023-06-30, to read it: nothing can be written"
    with pytest.raises(StoreError, match=refused):
        then.replace_documents(batch(DOC_1, [(A, ENGAGES, D)]))
    with pytest.raises(StoreError, match=refused), then.writing(lambda: None):
        pass
    assert store.document_versions() == [OLD, NEW]


def test_writing_reads_what_another_store_wrote(store: GraphStore, reopen: Reopen) -> None:
    other = reopen(store, None)
    other.replace_documents(batch(DOC_1, [(A, ENGAGES, B)]))
    waited: list[bool] = []
    with store.writing(lambda: waited.append(True)):
        assert store.edges([A.id], OUT) == [engages(A, B, DOC_1)]
    assert waited == []


# -- hostile text --------------------------------------------------------------------------
HOSTILE = [
    'O\'Brien "quoted" `backtick`',
    "x'}) DETACH DELETE n //",
    "`) MATCH (m) DETACH DELETE m //",
    "<script>alert('x')</script>",
    "Ærlig Øl på Å 🍺 \\ back\nslash",
    "$id {id} ${rows} \x1f\x00",
]


def test_hostile_text_is_stored_verbatim_and_deletes_nothing(store: GraphStore) -> None:
    store.replace_documents(batch(DOC_1, [(A, ENGAGES, B), (B, ENGAGES, C)]))
    theirs = everything(store)
    nasty = [Organisation(id=f"org:{text}", name=text) for text in HOSTILE]
    nasty_doc = replace(version(HOSTILE[1]), name=HOSTILE[2], path=HOSTILE[4])
    edges = [
        Engages(source=s.id, target=t.id, doc=nasty_doc.id, text=s.name, purpose=t.name)
        for s, t in zip([A, *nasty], [*nasty, A], strict=True)
    ]
    store.replace_documents(GraphBatch(documents=[nasty_doc], nodes=[A, *nasty], edges=edges))
    assert store.get_nodes([n.id for n in nasty]) == {n.id: n for n in nasty}
    assert store.nodes(NodeKind.ORGANISATION) == sorted([A, B, C, *nasty], key=lambda n: n.id)
    assert store.edges([n.id for n in nasty], BOTH) == sorted(edges, key=lambda e: e.key)
    assert store.reachable(nasty[0].id, [ENGAGES], OUT)[A.id] == len(HOSTILE)
    # replacing the hostile document again leaves the other document exactly as it was
    store.replace_documents(GraphBatch(documents=[nasty_doc], nodes=[], edges=[]))
    after = everything(store)
    assert after["edges"] == theirs["edges"]
    assert after["nodes"]["Organisation"] == theirs["nodes"]["Organisation"]


# -- real documents, side by side ------------------------------------------------------------
@pytest.mark.neo4j
@pytest.mark.parametrize("paths", [[SEED], [SEED, ACME]], ids=["seed", "seed+acme"])
def test_real_documents_give_the_same_graph_in_both_stores(
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore, paths: list[Path]
) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, paths)
        load_files(store, paths[:1])
    expected = everything(embedded_store)
    assert expected["edge_count"] > 0
    assert everything(neo4j_store) == expected
    ids = [n.id for nodes in expected["nodes"].values() for n in nodes]
    for direction in Direction:
        assert neo4j_store.edges(ids, direction) == embedded_store.edges(ids, direction)
    assert neo4j_store.neighbourhoods(ids, EdgeKind, EdgeKind) == (
        embedded_store.neighbourhoods(ids, EdgeKind, EdgeKind)
    )
    for node in expected["nodes"]["Organisation"] + expected["nodes"]["Service"]:
        for direction in Direction:
            walked = [ENGAGES, PROVIDES]
            assert neo4j_store.reachable(node.id, walked, direction) == (
                embedded_store.reachable(node.id, walked, direction)
            ), (node.id, direction)
