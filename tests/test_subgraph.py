"""``show_node`` and ``subgraph``: a node by its id with every fact ``show`` gives, and the
neighbourhood the graph view draws, aggregated beyond its limit."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.errors import AmbiguousNameError, UnknownNameError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Engages,
    GraphBatch,
    Organisation,
    Provides,
    Service,
)
from dataflyt.queries.browse import show, show_node
from dataflyt.queries.subgraph import CROWD, subgraph
from tests.regenerate_golden import document_version

MOBILT_OPPTAK = "service:phonero/mobilt-opptak-mvr~5377620a"


def test_show_node_is_show_by_id(seed_store: EmbeddedStore) -> None:
    assert show_node(seed_store, "org:link-mobility") == show(seed_store, "Link Mobility")
    assert show_node(seed_store, MOBILT_OPPTAK) == show(seed_store, "Mobilt Opptak")


def test_show_node_finds_a_name_show_calls_ambiguous(seed_store: EmbeddedStore) -> None:
    with pytest.raises(AmbiguousNameError):
        show(seed_store, "Phonero")
    shown = show_node(seed_store, "org:phonero")
    assert (shown.name, shown.kind) == ("Phonero", "organisation")
    assert shown.organisation is not None
    first = shown.organisation.provides[0]
    assert (first.service, first.role, first.source.line) == (
        "Analog Aksess (fastlinje tale)",
        "Reseller (processor)",
        14,
    )


def test_show_node_of_no_node(seed_store: EmbeddedStore) -> None:
    with pytest.raises(UnknownNameError, match="unknown node 'org:nobody'"):
        show_node(seed_store, "org:nobody")


def test_subgraph_of_a_service(seed_store: EmbeddedStore) -> None:
    graph = subgraph(seed_store, [MOBILT_OPPTAK])
    kinds = {n.id: n.kind for n in graph.nodes}
    assert kinds[MOBILT_OPPTAK] == "service"
    assert kinds["org:touch-technology.as"] == "organisation"
    assert kinds["country:no"] == "country"
    assert not graph.aggregated
    by_id = {n.id: n for n in graph.nodes}
    assert by_id[MOBILT_OPPTAK].sensitivity == "high"
    assert by_id[MOBILT_OPPTAK].countries == ["NO"]
    assert by_id["category:call_recordings"].sensitivity == "high"
    assert by_id["country:no"].zone == "inside the EEA"
    labels = {(e.source, e.relation, e.target): e.label for e in graph.edges}
    assert labels[("org:phonero", "PROVIDES", MOBILT_OPPTAK)] == "processor"
    assert sorted(e.label for e in graph.edges if e.relation == "PROCESSED_IN") == [
        "",
        "by Touch Technology AS",
    ]
    assert len({e.key for e in graph.edges}) == len(graph.edges)
    assert graph.neighbours == len(graph.nodes) - 1


def test_subgraph_of_no_node(seed_store: EmbeddedStore) -> None:
    with pytest.raises(UnknownNameError):
        subgraph(seed_store, ["service:nothing"])


def crowded(
    folder: Path, providers: int, services_each: int, organisations: int = 0
) -> EmbeddedStore:
    """Return a map where every service of several providers, and ``organisations`` other
    organisations, engage one hosting vendor."""
    doc = document_version("d", "D", "Host", "2024-01-31")
    host = Organisation(id="org:host", name="Host")
    nodes: list[AnyNode] = [host]
    edges: list[AnyEdge] = []
    for o in range(organisations):
        nodes.append(Organisation(id=f"org:o{o}", name=f"Org {o}"))
        edges.append(Engages(source=f"org:o{o}", target=host.id, doc=doc.id))
    for p in range(providers):
        provider = Organisation(id=f"org:p{p}", name=f"Provider {p}")
        nodes.append(provider)
        for s in range(services_each):
            service = Service(id=f"service:p{p}/s{s}", name=f"S{p}-{s}")
            nodes.append(service)
            edges += [
                Provides(source=provider.id, target=service.id, doc=doc.id),
                Engages(source=service.id, target=host.id, doc=doc.id),
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


def test_crowds_of_two_kinds_along_one_relation_are_two_aggregates(tmp_path: Path) -> None:
    graph = subgraph(crowded(tmp_path, CROWD + 1, 1, organisations=CROWD + 2), ["org:host"], 10)
    assert sorted((n.name, n.count) for n in graph.nodes if n.aggregate) == [
        (f"{CROWD + 1} services", CROWD + 1),
        (f"{CROWD + 2} organisations", CROWD + 2),
    ]
    ids = [n.id for n in graph.nodes]
    assert len(ids) == len(set(ids)) == 3
    assert len({e.key for e in graph.edges}) == len(graph.edges) == 2


def test_under_the_limit_nothing_is_aggregated(tmp_path: Path) -> None:
    graph = subgraph(crowded(tmp_path, 3, 20), ["org:host"], limit=60)
    assert not graph.aggregated and len(graph.nodes) == 61
