"""``subgraph``: the nodes around some nodes and the facts linking them, small enough to draw
interactively, with what a viewer filters on (kind, country, sensitivity, transfer zone).

Beyond ``limit`` neighbours the services around a node are drawn as the diagrams draw them, one
aggregate per provider ("Telia: 37 services"), and any other crowd of one kind as one aggregate
("212 organisations"); the aggregate says how many it stands for.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

import msgspec

from dataflyt.errors import UnknownNameError
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    Country,
    Direction,
    EdgeKind,
    Engages,
    NodeKind,
    ProcessedIn,
    Processes,
    Provides,
)
from dataflyt.graph.store import GraphStore
from dataflyt.queries.places import standing
from dataflyt.queries.resolve import KIND_WORDS
from dataflyt.words import counted

__all__ = ["GraphEdge", "GraphNode", "Subgraph", "subgraph"]

# a crowd of neighbours of one kind, along one relation, larger than this is aggregated once the
# neighbours as a whole are more than ``limit``
CROWD = 40


class GraphNode(msgspec.Struct, kw_only=True):
    """A node to draw: id, name and kind (as people say it); ``zone`` is a place's transfer
    status (its label), ``sensitivity`` a category's (for a service: "high" when it processes
    any high-sensitivity category), ``countries`` the codes of where a service is processed;
    an aggregate stands for ``count`` nodes and has ``aggregate`` set."""

    id: str
    name: str
    kind: str
    zone: str | None = None
    sensitivity: str | None = None
    countries: list[str] = msgspec.field(default_factory=list)
    count: int = 1
    aggregate: bool = False


class GraphEdge(msgspec.Struct, kw_only=True):
    """A fact between two drawn nodes: a key telling it from every other drawn, its relation
    (edge kind) and a short label (the role, the purpose, the sub-processor a place is
    stated for, "not exhaustive")."""

    key: str
    source: str
    target: str
    relation: str
    label: str = ""


class Subgraph(msgspec.Struct, kw_only=True):
    """The nodes asked about (``centre``) and their neighbours, the facts between them, how
    many neighbours there are in all and whether some were aggregated."""

    centre: list[str]
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    neighbours: int
    aggregated: bool


def _label(edge: AnyEdge, nodes: dict[str, AnyNode]) -> str:
    """Return the short label of a drawn fact."""
    if isinstance(edge, Provides):
        return edge.role.replace("_", " ")
    if isinstance(edge, Engages):
        return edge.purpose or ""
    if isinstance(edge, ProcessedIn):
        by = nodes[edge.by].name if edge.by in nodes else edge.by
        parts = [f"by {by}" if by else "", "" if edge.exhaustive else "not exhaustive"]
        return ", ".join(part for part in parts if part)
    return ""


class _Drawn:
    """The nodes of a subgraph as they are described for drawing, each described once."""

    def __init__(self, store: GraphStore, nodes: dict[str, AnyNode]) -> None:
        self.store = store
        self.nodes = nodes

    def describe(self, ids: Iterable[str]) -> list[GraphNode]:
        """Return the drawn nodes of ``ids`` (services with where their data is processed and
        their sensitivity, places with their zone), sorted by id."""
        ids = sorted(set(ids))
        services = [i for i in ids if self.nodes[i].kind is NodeKind.SERVICE]
        facts = self.store.edges(
            services, Direction.OUT, [EdgeKind.PROCESSES, EdgeKind.PROCESSED_IN]
        )
        self.nodes |= self.store.get_nodes({e.target for e in facts} - self.nodes.keys())
        high = {
            e.source
            for e in facts
            if isinstance(e, Processes)
            and isinstance(category := self.nodes.get(e.target), Category)
            and category.sensitivity == "high"
        }
        countries: dict[str, set[str]] = defaultdict(set)
        for edge in facts:
            place = self.nodes.get(edge.target)
            if isinstance(edge, ProcessedIn) and isinstance(place, Country):
                countries[edge.source].add(place.code)
        drawn = []
        for node_id in ids:
            node = self.nodes[node_id]
            item = GraphNode(id=node.id, name=node.name, kind=KIND_WORDS[node.kind])
            if isinstance(node, Category):
                item.sensitivity = node.sensitivity
            elif isinstance(node, Country):
                item.zone = standing(node).status.label
            elif node.kind is NodeKind.SERVICE:
                item.sensitivity = "high" if node_id in high else "normal"
                item.countries = sorted(countries[node_id])
            drawn.append(item)
        return drawn


def _providers(store: GraphStore, services: list[str]) -> dict[str, list[str]]:
    """Return ``services`` grouped by the name of their provider ("unknown provider" for a
    service no document gives one)."""
    provided = store.edges(services, Direction.IN, [EdgeKind.PROVIDES])
    provider = {e.target: e.source for e in provided}
    names = store.get_nodes(set(provider.values()))
    groups: dict[str, list[str]] = defaultdict(list)
    for service in services:
        found = names.get(provider.get(service, ""))
        groups[found.name if found else "unknown provider"].append(service)
    return groups


def _aggregate(
    store: GraphStore, centre: str, edges: list[AnyEdge], nodes: dict[str, AnyNode]
) -> tuple[list[GraphNode], list[GraphEdge], set[str]]:
    """Return aggregates for the crowds among ``centre``'s ``edges`` (one per provider for
    services, one per crowd otherwise), the edges to them, and the ids they stand for."""
    crowds: dict[tuple[str, str, NodeKind], list[str]] = defaultdict(list)
    for edge in edges:
        outgoing = edge.source == centre
        other = edge.target if outgoing else edge.source
        crowds[(edge.kind.value, "out" if outgoing else "in", nodes[other].kind)].append(other)
    drawn: list[GraphNode] = []
    links: list[GraphEdge] = []
    hidden: set[str] = set()
    for (relation, direction, kind), members in sorted(crowds.items()):
        if len(members) <= CROWD:
            continue
        hidden.update(members)
        groups: dict[str, list[str]] = {"": members}
        if kind is NodeKind.SERVICE:
            groups = _providers(store, sorted(set(members)))
            if len(groups) > CROWD:
                groups = {"": members}
        word = KIND_WORDS[kind]
        for provider, ids in sorted(groups.items()):
            name = counted(len(ids), word)
            # one crowd per relation, direction and kind: the key names all three
            key = f"aggregate:{centre}|{relation}|{direction}|{kind.value}|{provider}"
            drawn.append(
                GraphNode(
                    id=key,
                    name=f"{provider}: {name}" if provider else name,
                    kind=word,
                    count=len(ids),
                    aggregate=True,
                )
            )
            source, target = (centre, key) if direction == "out" else (key, centre)
            links.append(
                GraphEdge(
                    key=f"{source}|{relation}|{target}",
                    source=source,
                    target=target,
                    relation=relation,
                )
            )
    return drawn, links, hidden


def subgraph(store: GraphStore, node_ids: Iterable[str], limit: int = 300) -> Subgraph:
    """Return the nodes with ``node_ids``, their neighbours and the facts linking them; the
    crowds among a node's neighbours are aggregated when it has more than ``limit``. Raise
    ``UnknownNameError`` when none of the ids is a node of the map."""
    wanted = sorted(set(node_ids))
    nodes = store.get_nodes(wanted)
    if not nodes:
        raise UnknownNameError("node", ", ".join(wanted), [])
    drawn_ids = set(nodes)
    extra_nodes: list[GraphNode] = []
    facts: dict[str, GraphEdge] = {}
    count = 0
    for centre in sorted(nodes):
        edges = store.edges([centre], Direction.BOTH)
        others = {e.target if e.source == centre else e.source for e in edges} - {centre}
        count += len(others)
        nodes |= store.get_nodes(others - nodes.keys())
        hidden: set[str] = set()
        if len(others) > limit:
            aggregates, links, hidden = _aggregate(store, centre, edges, nodes)
            extra_nodes += aggregates
            facts |= {e.key: e for e in links}
        by = {e.by for e in edges if isinstance(e, ProcessedIn) and e.by}
        nodes |= store.get_nodes(by - nodes.keys())
        for edge in edges:
            if edge.source in hidden or edge.target in hidden:
                continue
            drawn_ids |= {edge.source, edge.target}
            label = _label(edge, nodes)
            key = f"{edge.source}|{edge.kind.value}|{edge.target}|{label}"
            facts.setdefault(
                key,
                GraphEdge(
                    key=key,
                    source=edge.source,
                    target=edge.target,
                    relation=edge.kind.value,
                    label=label,
                ),
            )
    described = _Drawn(store, nodes).describe(i for i in drawn_ids if i in nodes)
    return Subgraph(
        centre=sorted(set(wanted) & nodes.keys()),
        nodes=described + extra_nodes,
        edges=[facts[key] for key in sorted(facts)],
        neighbours=count,
        aggregated=bool(extra_nodes),
    )
