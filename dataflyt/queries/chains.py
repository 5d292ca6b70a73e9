"""The chain of engagements beyond a service's own sub-processors: those its provider makes
for all its processing, and those of every organisation its provider and its sub-processors
engage, at any depth.

Each link is an engagement as the engaging organisation's document states it: the purpose,
the categories passed on, and the places of that engagement (with the sub-processor's own,
from its own documents), never the places another provider's document gives for its own
engagement of the same organisation.
"""

from __future__ import annotations

from collections.abc import Mapping

from dataflyt.graph.model import AnyEdge, Direction, EdgeKind, Engages
from dataflyt.graph.store import GraphStore
from dataflyt.queries.browse import Engagement
from dataflyt.queries.facts import (
    EngagementFacts,
    OrganisationRef,
    ServiceFacts,
    dpf_certified,
    engagement_facts,
    places_by,
)

__all__ = ["engagement_chains"]

# what an organisation's own edges must hold to describe its engagements: the engagements,
# the places it states for them and its own, and its certification
_READ = (EdgeKind.ENGAGES, EdgeKind.PROCESSED_IN, EdgeKind.DESCRIBED_IN)


def engagement_chains(
    store: GraphStore, services: Mapping[str, ServiceFacts], *, cited: bool = True
) -> dict[str, list[Engagement]]:
    """Return, for each service in ``services``, the engagements organisations make that
    carry its data past its own sub-processors: its provider's, and those of every
    organisation reached from the provider or the service's sub-processors, at any depth.
    Nearest the service first (the provider stands at its place, its sub-processors one hop
    away), then by engaging and engaged organisation's id, then by document (an engagement
    two documents state is there twice). ``cited`` as for ``service_facts``."""
    starts = {
        sid: [
            *([facts.provider.id] if facts.provider else []),
            *(e.organisation.id for e in facts.engagements),
        ]
        for sid, facts in services.items()
    }
    edges_of = _organisation_edges(store, {o for ids in starts.values() for o in ids}, cited)
    engagements = _engagements(store, edges_of, cited)
    return {sid: _chain(services[sid], starts[sid], engagements) for sid in services}


def _organisation_edges(
    store: GraphStore, starts: set[str], cited: bool
) -> dict[str, list[AnyEdge]]:
    """Return every organisation reachable from ``starts`` along engagements, with its own
    engagements, places and descriptions, read one breadth of the walk at a time."""
    edges_of: dict[str, list[AnyEdge]] = {}
    frontier = sorted(starts)
    while frontier:
        for org in frontier:
            edges_of[org] = []
        for edge in store.edges(frontier, Direction.OUT, _READ, cited=cited):
            edges_of[edge.source].append(edge)
        engaged = {e.target for org in frontier for e in edges_of[org] if isinstance(e, Engages)}
        frontier = sorted(engaged - edges_of.keys())
    return edges_of


def _engagements(
    store: GraphStore, edges_of: dict[str, list[AnyEdge]], cited: bool
) -> dict[str, list[EngagementFacts]]:
    """Return each organisation's engagements, sorted by sub-processor id and document."""
    every = [e for edges in edges_of.values() for e in edges]
    certified = dpf_certified(every)
    placed = places_by(every)
    nodes = store.get_nodes(
        {e.target for e in every} | {e.source for e in every} | {e.doc for e in every}
    )
    found: dict[str, list[EngagementFacts]] = {}
    for org, edges in edges_of.items():
        # an organisation's edges come sorted by key: its engagements by target, then document
        found[org] = [
            engagement_facts(edge, placed, nodes, certified=edge.target in certified, cited=cited)
            for edge in edges
            if isinstance(edge, Engages)
        ]
    return found


def _chain(
    facts: ServiceFacts, starts: list[str], engagements: dict[str, list[EngagementFacts]]
) -> list[Engagement]:
    """Return the engagements beyond ``facts``' own sub-processors, nearest first."""
    hops = {org: 0 if facts.provider and org == facts.provider.id else 1 for org in starts}
    queue = sorted(hops, key=lambda org: (hops[org], org))
    for org in queue:  # breadth first: the queue grows while it is walked
        for engaged in engagements.get(org, []):
            target = engaged.organisation.id
            if target not in hops:
                hops[target] = hops[org] + 1
                queue.append(target)
    known = [*facts.engagements, *(e for es in engagements.values() for e in es)]
    names = {e.organisation.id: e.organisation.name for e in known}
    if facts.provider:
        names[facts.provider.id] = facts.provider.name
    return [
        Engagement(by=OrganisationRef(id=org, name=names.get(org, org)), facts=engaged)
        for org in sorted(hops, key=lambda org: (hops[org], org))
        for engaged in engagements.get(org, [])
    ]
