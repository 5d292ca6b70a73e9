"""``show_node`` and ``subgraph``: a node by its id with its cited neighbours, and the
neighbourhood the graph view draws, aggregated beyond its limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.errors import UnknownNameError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Edge, EdgeKind, GraphBatch, Node, NodeKind
from dataflyt.queries.browse import show
from dataflyt.queries.node_view import show_node
from dataflyt.queries.subgraph import CROWD, subgraph


def test_show_node_is_show_by_id(seed_store: EmbeddedStore) -> None:
    assert show_node(seed_store, "org:link-mobility") == show(seed_store, "Link Mobility")


def test_show_node_finds_a_name_show_calls_ambiguous(seed_store: EmbeddedStore) -> None:
    shown = show_node(seed_store, "org:phonero")
    assert (shown.name, shown.kind) == ("Phonero", "organisation")
    provides = [n for n in shown.neighbours if n.relation == "PROVIDES"]
    assert len(provides) == 11
    first = provides[0]
    assert (first.name, first.attrs, first.source.line) == (
        "Analog Aksess (fastlinje tale)",
        {"role": "reseller_processor"},
        14,
    )


def test_show_node_of_no_node(seed_store: EmbeddedStore) -> None:
    with pytest.raises(UnknownNameError, match="unknown node 'org:nobody'"):
        show_node(seed_store, "org:nobody")


def test_subgraph_of_a_service(seed_store: EmbeddedStore) -> None:
    graph = subgraph(seed_store, ["service:phonero/mobilt-opptak-mvr"])
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds["service:phonero/mobilt-opptak-mvr"] == "service"
    assert kinds["org:touch-technology"] == "organisation"
    assert kinds["country:no"] == "country"
    assert not graph.aggregated
    by_id = {n.id: n for n in graph.nodes}
    assert by_id["service:phonero/mobilt-opptak-mvr"].sensitivity == "high"
    assert by_id["service:phonero/mobilt-opptak-mvr"].countries == ["NO"]
    assert by_id["category:call_recordings"].sensitivity == "high"
    assert by_id["country:no"].zone == "inside the EEA"
    relations = {(e.source, e.relation, e.target) for e in graph.edges}
    assert ("org:phonero", "PROVIDES", "service:phonero/mobilt-opptak-mvr") in relations
    assert graph.neighbours == len(graph.nodes) - 1


def test_subgraph_of_no_node(seed_store: EmbeddedStore) -> None:
    with pytest.raises(UnknownNameError):
        subgraph(seed_store, ["service:nothing"])


def crowded(folder: Path, providers: int, services_each: int) -> EmbeddedStore:
    """Return a map where every service of several providers engages one hosting vendor."""
    doc = Node(id="document:d", kind=NodeKind.DOCUMENT, name="D")
    host = Node(id="org:host", kind=NodeKind.ORGANISATION, name="Host")
    nodes, edges = [host], []
    for p in range(providers):
        provider = Node(id=f"org:p{p}", kind=NodeKind.ORGANISATION, name=f"Provider {p}")
        nodes.append(provider)
        for s in range(services_each):
            service = Node(id=f"service:p{p}/s{s}", kind=NodeKind.SERVICE, name=f"S{p}-{s}")
            nodes.append(service)
            edges += [
                Edge(source=provider.id, target=service.id, kind=EdgeKind.PROVIDES, doc=doc.id),
                Edge(source=service.id, target=host.id, kind=EdgeKind.ENGAGES, doc=doc.id),
            ]
    store = EmbeddedStore(folder / "map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=nodes, edges=edges))
    return store


def test_a_crowd_is_aggregated_per_provider(tmp_path: Path) -> None:
    graph = subgraph(crowded(tmp_path, 3, 20), ["org:host"], limit=50)
    assert graph.aggregated and graph.neighbours == 60
    aggregates = sorted((n.name, n.count) for n in graph.nodes if n.aggregate)
    assert aggregates == [
        ("Provider 0: 20 services", 20),
        ("Provider 1: 20 services", 20),
        ("Provider 2: 20 services", 20),
    ]
    assert [n.id for n in graph.nodes if not n.aggregate] == ["org:host"]
    assert all(e.target == "org:host" and e.relation == "ENGAGES" for e in graph.edges)


def test_many_providers_make_one_aggregate(tmp_path: Path) -> None:
    graph = subgraph(crowded(tmp_path, CROWD + 1, 1), ["org:host"], limit=10)
    assert [(n.name, n.count) for n in graph.nodes if n.aggregate] == [
        (f"{CROWD + 1} services", CROWD + 1)
    ]


def test_under_the_limit_nothing_is_aggregated(tmp_path: Path) -> None:
    graph = subgraph(crowded(tmp_path, 3, 20), ["org:host"], limit=60)
    assert not graph.aggregated and len(graph.nodes) == 61
