"""``touches``: which services process a data category (its sub-categories included)."""

from __future__ import annotations

import msgspec

from dataflyt.graph.model import Category, Direction, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.facts import CategoryUse, ServiceFacts, service_facts
from dataflyt.queries.resolve import resolve_node

__all__ = ["TouchesResult", "TouchingService", "touches"]


class TouchingService(msgspec.Struct, kw_only=True, frozen=True):
    """A service that processes the category asked about: its facts, and the categories of
    it that match."""

    service: ServiceFacts
    matched: list[CategoryUse]


class TouchesResult(msgspec.Struct, kw_only=True, frozen=True):
    """The category asked about, the categories it covers, and the services touching them."""

    category: str
    key: str
    covers: list[str]
    services: list[TouchingService]


def touches(store: GraphStore, category: str) -> TouchesResult:
    """Return the services processing ``category`` or any of its children (never its parent
    or siblings), sorted by name, each with its facts and the matching categories cited."""
    node = resolve_node(store, NodeKind.CATEGORY, category)
    if not isinstance(node, Category):
        raise ValueError(f"{node.id} is not a data category")
    below = store.reachable(node.id, [EdgeKind.CHILD_OF], Direction.IN)
    covered = store.get_nodes([node.id, *below])
    keys = {c.key for c in covered.values() if isinstance(c, Category)} | {node.key}
    processing = store.edges(covered, Direction.IN, [EdgeKind.PROCESSES], cited=False)
    facts = service_facts(store, {edge.source for edge in processing})
    services = [
        TouchingService(service=f, matched=[c for c in f.categories if c.key in keys])
        for f in facts.values()
    ]
    services.sort(key=lambda s: (s.service.name.casefold(), s.service.id))
    return TouchesResult(
        category=node.name,
        key=node.key,
        covers=sorted(c.name for i, c in covered.items() if i != node.id),
        services=services,
    )
