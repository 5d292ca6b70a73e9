"""The chain of engagements beyond a service's own sub-processors: those its provider makes
for all its processing, and, for every organisation the data reaches (a sub-processor, and
theirs, at any depth), those it makes for all its processing and those of the services it
provides (its own sub-processor list is such a service), as ``breach`` walks them.

Each link is an engagement as the engaging document states it: the purpose, the categories
passed on, and the places of that engagement (with the sub-processor's own, from its own
documents), never the places another provider's document gives for its own engagement of the
same organisation. A link through one of several services an organisation provides is marked:
which of them carries the data is then not stated.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from dataflyt.graph.model import AnyEdge, Direction, EdgeKind, Engages, NodeKind, Provides, kind_of
from dataflyt.graph.store import GraphStore
from dataflyt.queries.facts import (
    EngagementFacts,
    OrganisationRef,
    ServiceFacts,
    dpf_certified,
    engagement_facts,
    places_by,
)

__all__ = ["ChainEngagement", "engagement_chains", "own_engagements"]

# what an organisation's or a service's edges must hold to describe its engagements: the
# engagements, the places stated for them and its own, its certification and its services
_READ = (EdgeKind.ENGAGES, EdgeKind.PROCESSED_IN, EdgeKind.DESCRIBED_IN, EdgeKind.PROVIDES)


class ChainEngagement(msgspec.Struct, kw_only=True, frozen=True):
    """One engagement on a service's chain: who engages (``by``), through which of its
    services (``through``; None when for all its processing), whether that is one of
    several it provides (``one_of_several``: which carries the data is not stated), and what
    the engaging document states of it."""

    by: OrganisationRef
    through: OrganisationRef | None = None
    one_of_several: bool = False
    facts: EngagementFacts

    @property
    def holder(self) -> OrganisationRef:
        """Return whose engagement the engaging document states: the service it is made
        for, else the organisation (or, for a service's own sub-processor, the service)."""
        return self.through or self.by


def own_engagements(facts: ServiceFacts) -> list[ChainEngagement]:
    """Return the engagements a service makes itself, each made by the service."""
    service = OrganisationRef(id=facts.id, name=facts.name)
    return [ChainEngagement(by=service, facts=e) for e in facts.engagements]


def engagement_chains(
    store: GraphStore, services: Mapping[str, ServiceFacts], *, cited: bool = True
) -> dict[str, list[ChainEngagement]]:
    """Return, for each service in ``services``, the engagements that carry its data past its
    own sub-processors: its provider's for all its processing, then those of every
    organisation reached from the provider or the service's sub-processors, at any depth, for
    all its processing or through the services it provides. Nearest the service first (the
    provider stands at its place, its sub-processors one hop away), then by engaging
    organisation, service and engaged organisation's id, then by document (an engagement two
    documents state is there twice). ``cited`` as for ``service_facts``."""
    starts = {
        sid: [e.organisation.id for e in facts.engagements] for sid, facts in services.items()
    }
    providers = {f.provider.id for f in services.values() if f.provider}
    reached = {o for ids in starts.values() for o in ids} | providers
    edges_of = _edges(store, reached)
    engagements = _engagements(store, edges_of, cited)
    return {sid: _chain(services[sid], starts[sid], engagements) for sid in services}


def _edges(store: GraphStore, starts: set[str]) -> dict[str, list[AnyEdge]]:
    """Return every organisation and service reachable from ``starts`` along engagements and
    the services organisations provide, with its edges, read one breadth at a time."""
    edges_of: dict[str, list[AnyEdge]] = {}
    frontier = sorted(starts)
    while frontier:
        for node in frontier:
            edges_of[node] = []
        for edge in store.edges(frontier, Direction.OUT, _READ):
            edges_of[edge.source].append(edge)
        onward = {
            e.target
            for node in frontier
            for e in edges_of[node]
            if isinstance(e, Engages | Provides)
        }
        frontier = sorted(onward - edges_of.keys())
    return edges_of


class _Engaging(msgspec.Struct, frozen=True):
    """An organisation's engagements: for all its processing, and through each service."""

    own: list[EngagementFacts]
    through: dict[str, list[EngagementFacts]]
    names: dict[str, str]


def _engagements(
    store: GraphStore, edges_of: dict[str, list[AnyEdge]], cited: bool
) -> dict[str, _Engaging]:
    """Return each organisation's engagements, each list by sub-processor id and document."""
    every = [e for edges in edges_of.values() for e in edges]
    certified = dpf_certified(every)
    placed = places_by(every)
    nodes = store.get_nodes(
        {e.target for e in every} | {e.source for e in every} | {e.doc for e in every}
    )

    def stated(node: str) -> list[EngagementFacts]:
        # a node's edges come sorted by key: its engagements by target, then document
        return [
            engagement_facts(e, placed, nodes, certified=e.target in certified, cited=cited)
            for e in edges_of.get(node, [])
            if isinstance(e, Engages)
        ]

    found = {}
    for node, edges in edges_of.items():
        if kind_of(node) is NodeKind.ORGANISATION:
            provided = sorted({e.target for e in edges if isinstance(e, Provides)})
            found[node] = _Engaging(
                own=stated(node),
                through={service: stated(service) for service in provided},
                names={service: nodes[service].name for service in provided},
            )
    return found


def _chain(
    facts: ServiceFacts, starts: list[str], engagements: dict[str, _Engaging]
) -> list[ChainEngagement]:
    """Return the engagements beyond ``facts``' own sub-processors, nearest first: the
    provider's for all its processing, then, breadth first, each organisation's own and
    those of its services (never the chain's own service)."""
    provider = facts.provider.id if facts.provider else None
    hops = {org: 1 for org in starts}
    if provider is not None:
        hops.setdefault(provider, 0)
    names = {e.organisation.id: e.organisation.name for e in facts.engagements}
    if facts.provider is not None:
        names[facts.provider.id] = facts.provider.name
    found: list[ChainEngagement] = []
    queue = sorted(hops, key=lambda org: (hops[org], org))
    for org in queue:  # breadth first: the queue grows while it is walked
        engaging = engagements.get(org)
        if engaging is None:
            continue
        by = OrganisationRef(id=org, name=names.get(org, org))
        links = [ChainEngagement(by=by, facts=e) for e in engaging.own]
        if hops[org] > 0:  # the provider's other services are not this one's chain
            several = len(engaging.through) > 1
            links += [
                ChainEngagement(
                    by=by,
                    through=OrganisationRef(id=service, name=engaging.names[service]),
                    one_of_several=several,
                    facts=e,
                )
                for service, stated in engaging.through.items()
                if service != facts.id
                for e in stated
            ]
        for link in links:
            target = link.facts.organisation
            names.setdefault(target.id, target.name)
            if target.id not in hops:
                hops[target.id] = hops[org] + 1
                queue.append(target.id)
        found += links
    return found
