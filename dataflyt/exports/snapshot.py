"""The whole map of a store as it answers (as of its date), and its export as a dataflyt map
file (which ``load`` reads back)."""

from __future__ import annotations

from dataflyt.graph.mapfile import encode_map
from dataflyt.graph.model import AnyEdge, AnyNode, Direction, NodeKind
from dataflyt.graph.store import GraphStore

__all__ = ["export_json", "snapshot"]


def snapshot(store: GraphStore) -> tuple[list[AnyNode], list[AnyEdge]]:
    """Return every node (sorted by id) and every edge (sorted by key) of ``store`` in force
    on its date: the document versions in force and the facts they state."""
    nodes = sorted((n for kind in NodeKind for n in store.nodes(kind)), key=lambda n: n.id)
    edges = store.edges([n.id for n in nodes], Direction.OUT)
    return nodes, edges


def export_json(store: GraphStore) -> str:
    """Return the map as a versioned dataflyt map file; ``dataflyt load`` reads it back."""
    nodes, edges = snapshot(store)
    return encode_map(nodes, edges).decode("utf-8") + "\n"
