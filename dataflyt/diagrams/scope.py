"""What a diagram or report covers: one service, the blast radius of a breach at one
organisation, every flow of one data category, or the whole map; and the part of the graph
each scope selects, found with the same queries (and name matching) as the query commands."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from itertools import pairwise

from pydantic import BaseModel, ConfigDict

from dataflyt.graph.model import Direction, Edge, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.breach import breach
from dataflyt.queries.resolve import resolve_node
from dataflyt.queries.services import ServiceView, service_views
from dataflyt.queries.touches import touches

__all__ = ["Scope", "ScopeKind", "Selection", "chain", "scope_of", "select"]


class ScopeKind(StrEnum):
    """The four scopes of ``diagram`` and ``report``."""

    SERVICE = "service"
    ORGANISATION = "organisation"
    CATEGORY = "category"
    ALL = "all"


class Scope(BaseModel):
    """A scope and the name it was asked for with (None for the whole map)."""

    model_config = ConfigDict(frozen=True)

    kind: ScopeKind
    name: str | None = None


def scope_of(
    service: str | None = None,
    organisation: str | None = None,
    category: str | None = None,
    everything: bool = False,
) -> Scope:
    """Return the one scope given; raise ``ValueError`` unless exactly one is."""
    given = [
        Scope(kind=kind, name=name)
        for kind, name in (
            (ScopeKind.SERVICE, service),
            (ScopeKind.ORGANISATION, organisation),
            (ScopeKind.CATEGORY, category),
        )
        if name is not None
    ]
    if everything:
        given.append(Scope(kind=ScopeKind.ALL))
    if len(given) != 1:
        raise ValueError("give exactly one of --service, --organisation, --category or --all")
    return given[0]


class Selection(BaseModel):
    """The part of the map a scope covers, ready to draw or report.

    ``shown`` limits the categories drawn per service (the matched or exposed ones); services
    missing from it show all their categories. ``assumed`` holds the services whose exposure
    is an assumption, ``engagements`` the sub-processor edges drawn, ``breached`` the
    organisation a breach scope is about.
    """

    # graph edges are msgspec structs, kept as they are
    model_config = ConfigDict(arbitrary_types_allowed=True)

    title: str
    scope: Scope
    views: dict[str, ServiceView]
    shown: dict[str, list[str]]
    assumed: list[str]
    engagements: list[Edge]
    breached: str | None = None


def chain(start: Iterable[str], engaged_by: Callable[[list[str]], list[Edge]]) -> list[Edge]:
    """Return the engagements reachable from ``start``, nearest first, walking the
    sub-processor chains one level at a time; ``engaged_by`` returns the engagements leaving
    a batch of nodes."""
    frontier = sorted(set(start))
    seen = set(frontier)
    found: list[Edge] = []
    while frontier:
        edges = engaged_by(frontier)
        found.extend(edges)
        frontier = sorted({e.target for e in edges} - seen)
        seen.update(frontier)
    return found


def _engagements(store: GraphStore, views: dict[str, ServiceView]) -> list[Edge]:
    """Return every engagement reachable from the services or their providers."""
    start = set(views) | {v.provider.id for v in views.values() if v.provider}
    found = chain(start, lambda nodes: store.edges(nodes, Direction.OUT, [EdgeKind.ENGAGES]))
    return sorted(found, key=lambda e: e.key)


def _whole(store: GraphStore, scope: Scope, title: str, ids: list[str]) -> Selection:
    views = service_views(store, ids)
    return Selection(
        title=title,
        scope=scope,
        views=views,
        shown={},
        assumed=[],
        engagements=_engagements(store, views),
    )


def _breach(store: GraphStore, scope: Scope, name: str) -> Selection:
    result = breach(store, name)
    views = service_views(store, [a.id for a in result.services])
    pairs: set[tuple[str, str]] = set()
    for affected in result.services:
        hops = [link.id for link in affected.chain[2:] if link.id]
        firsts = [affected.id, *([affected.provider.id] if affected.provider else [])]
        pairs |= {(first, hops[0]) for first in firsts if hops}
        pairs |= set(pairwise(hops))
    sources = sorted({source for source, _ in pairs})
    edges = store.edges(sources, Direction.OUT, [EdgeKind.ENGAGES]) if sources else []
    return Selection(
        title=f"Breach at {result.organisation.name}",
        scope=scope,
        views=views,
        shown={a.id: a.exposed for a in result.services},
        assumed=[a.id for a in result.services if a.assumption],
        engagements=[e for e in edges if (e.source, e.target) in pairs],
        breached=result.organisation.id,
    )


def select(store: GraphStore, scope: Scope) -> Selection:
    """Return what ``scope`` covers in ``store``; raise a name error when its name does not
    resolve to exactly one node."""
    if scope.kind is ScopeKind.ALL:
        ids = [n.id for n in store.nodes(NodeKind.SERVICE)]
        return _whole(store, scope, "All services", ids)
    name = str(scope.name)
    if scope.kind is ScopeKind.SERVICE:
        node = resolve_node(store, NodeKind.SERVICE, name)
        return _whole(store, scope, node.name, [node.id])
    if scope.kind is ScopeKind.ORGANISATION:
        return _breach(store, scope, name)
    result = touches(store, name)
    selection = _whole(store, scope, f"Flows of {result.category}", [s.id for s in result.services])
    shown = {s.id: [c.key for c in s.matched] for s in result.services}
    return selection.model_copy(update={"shown": shown})
