"""``show`` and ``list``: one node with its neighbours, and the nodes of one kind."""

from __future__ import annotations

from typing import Any

import msgspec

from dataflyt.graph.model import Direction, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.resolve import KIND_WORDS, resolve_name
from dataflyt.queries.services import Cite, cite

__all__ = ["ListKind", "Listing", "Neighbour", "ShowResult", "list_nodes", "show"]


_KINDS = {
    ListKind.SERVICES: NodeKind.SERVICE,
    ListKind.ORGANISATIONS: NodeKind.ORGANISATION,
    ListKind.CATEGORIES: NodeKind.CATEGORY,
    ListKind.SUBJECTS: NodeKind.SUBJECT,
    ListKind.COUNTRIES: NodeKind.COUNTRY,
    ListKind.DOCUMENTS: NodeKind.DOCUMENT,
}


class Neighbour(msgspec.Struct, kw_only=True):
    """An edge of the shown node: its kind, direction, the node at the other end, the source."""

    relation: str
    direction: str
    id: str
    name: str
    kind: str
    attrs: dict[str, Any]
    source: Cite


class ShowResult(msgspec.Struct, kw_only=True):
    """One node, its attributes and its neighbours."""

    id: str
    name: str
    kind: str
    attrs: dict[str, Any]
    neighbours: list[Neighbour]


class ListedNode(msgspec.Struct, kw_only=True):
    """A node in a listing."""

    id: str
    name: str
    attrs: dict[str, Any]


class Listing(msgspec.Struct, kw_only=True):
    """The nodes of one kind, sorted by name."""

    kind: str
    items: list[ListedNode]


def show(store: GraphStore, name: str) -> ShowResult:
    """Return the node ``name`` resolves to (any kind) with every neighbour and its source."""
    node = resolve_name(store, name)
    edges = store.edges([node.id], Direction.BOTH)
    others = {e.target if e.source == node.id else e.source for e in edges}
    nodes = store.get_nodes(others | {e.doc for e in edges})
    neighbours = []
    for edge in edges:
        outgoing = edge.source == node.id
        other = nodes.get(edge.target if outgoing else edge.source)
        if other is None:
            continue
        neighbours.append(
            Neighbour(
                relation=edge.kind.value,
                direction="out" if outgoing else "in",
                id=other.id,
                name=other.name,
                kind=KIND_WORDS[other.kind],
                attrs=edge.attrs,
                source=cite(edge, nodes),
            )
        )
    neighbours.sort(key=lambda n: (n.relation, n.name.casefold(), n.id, n.source.document))
    return ShowResult(
        id=node.id,
        name=node.name,
        kind=KIND_WORDS[node.kind],
        attrs=node.attrs,
        neighbours=neighbours,
    )


def list_nodes(store: GraphStore, kind: ListKind) -> Listing:
    """Return every node of ``kind`` in the map, sorted by name."""
    nodes = store.nodes(_KINDS[kind])
    items = [ListedNode(id=n.id, name=n.name, attrs=n.attrs) for n in nodes]
    items.sort(key=lambda n: (n.name.casefold(), n.id))
    return Listing(kind=kind.value, items=items)
