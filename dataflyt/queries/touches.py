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

    @property
    def data_subjects(self) -> list[str]:
        """Return whose data the matching categories are, each once, sorted."""
        return sorted({subject for use in self.matched for subject in use.subjects})


class TouchesResult(msgspec.Struct, kw_only=True, frozen=True):
    """The category asked about, the categories it covers, how many services touch them
    (``total``) and those of them asked for (``services``: all unless a range was asked)."""

    category: str
    key: str
    covers: list[str]
    total: int
    services: list[TouchingService]


def touches(store: GraphStore, category: str, rows: slice = slice(None)) -> TouchesResult:
    """Return the services processing ``category`` or any of its children (never its parent
    or siblings), sorted by name, each with its facts and the matching categories cited.
    ``rows`` picks a range of that sorted list (a page of it): only those services are
    described, as describing is the work that grows with the answer."""
    node = resolve_node(store, NodeKind.CATEGORY, category)
    if not isinstance(node, Category):
        raise ValueError(f"{node.id} is not a data category")
    below = store.reachable(node.id, [EdgeKind.CHILD_OF], Direction.IN)
    covered = store.get_nodes([node.id, *below])
    keys = {c.key for c in covered.values() if isinstance(c, Category)} | {node.key}
    processing = store.edges(covered, Direction.IN, [EdgeKind.PROCESSES])
    touching = store.get_nodes({edge.source for edge in processing}).values()
    ordered = sorted(touching, key=lambda s: (s.name.casefold(), s.id))
    facts = service_facts(store, [s.id for s in ordered[rows]])
    return TouchesResult(
        category=node.name,
        key=node.key,
        covers=sorted(c.name for i, c in covered.items() if i != node.id),
        total=len(ordered),
        services=[
            TouchingService(service=f, matched=[c for c in f.categories if c.key in keys])
            for f in (facts[s.id] for s in ordered[rows])
        ],
    )
