"""``touches``: which services process a data category (its sub-categories included)."""

from __future__ import annotations

import msgspec

from dataflyt.collector import collector_paused
from dataflyt.graph.model import Direction, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import category_id
from dataflyt.queries.resolve import resolve_node
from dataflyt.queries.services import CategoryUse, ServiceView, service_facts

__all__ = ["TouchesResult", "TouchingService", "touches"]


class TouchingService(ServiceView, kw_only=True):
    """A service that processes the category asked about, with the matching categories."""

    matched: list[CategoryUse]


class TouchesResult(msgspec.Struct, kw_only=True):
    """The category asked about, the categories it covers, and the services touching them."""

    category: str
    key: str
    covers: list[str]
    services: list[TouchingService]


def touches(store: GraphStore, category: str) -> TouchesResult:
    """Return the services processing ``category`` or any of its children (never its parent
    or siblings), sorted by name, each with role, sub-processors, countries and sources."""
    node = resolve_node(store, NodeKind.CATEGORY, category)
    key = str(node.attrs.get("key", node.id.split(":", 1)[1]))
    below = store.reachable(node.id, EdgeKind.CHILD_OF, Direction.IN)
    covered = [node.id, *below]
    processing = store.edges(covered, Direction.IN, [EdgeKind.PROCESSES], cited=False)
    covered_keys = {c.removeprefix("category:") for c in covered}
    names = store.get_nodes(covered)
    with collector_paused():
        # plain values first, then one validation of the whole answer
        facts = service_facts(store, {edge.source for edge in processing})
        services = [
            {**view, "matched": [c for c in view["categories"] if c["key"] in covered_keys]}
            for view in facts.values()
        ]
        services.sort(key=lambda s: (s["name"].casefold(), s["id"]))
        return msgspec.convert(
            {
                "category": node.name,
                "key": key,
                "covers": sorted(
                    names[c].name for c in covered if c in names and c != category_id(key)
                ),
                "services": services,
            },
            TouchesResult,
        )
