"""What a diagram or report covers: one service, the blast radius of a breach at one
organisation, every flow of one data category, or the whole map; and the part of the graph
each scope selects, found with the same queries (and name matching) as the query commands.

Every fact is taken along the path it belongs to: a sub-processor's places are those of the
engagement drawn (``queries.chains``), and a breach follows the breach result's chains, each
party with the places ``breach`` gives it on that chain.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

import msgspec
from pydantic import BaseModel, ConfigDict

from dataflyt.graph.citation import Citation
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.breach import AffectedService, breach
from dataflyt.queries.chains import ChainEngagement, engagement_chains, own_engagements
from dataflyt.queries.facts import ServiceFacts, service_facts
from dataflyt.queries.resolve import resolve_node
from dataflyt.queries.touches import touches

__all__ = [
    "Scope",
    "ScopeKind",
    "Selection",
    "engagement_id",
    "engagement_subject",
    "scope_of",
    "select",
]

# the basis of an affected service whose own engagement starts its chain (``breach``)
_SERVICE_ENGAGES = "sub-processor of the service"


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


class Selection(msgspec.Struct, kw_only=True, frozen=True):
    """The part of the map a scope covers, ready to draw or report, as of ``as_of`` (the
    store's date; None for the latest version of each document).

    ``chains`` gives each service's engagements: its own, then those beyond them, nearest
    first (for a breach, those on the way to the breached organisation), each with the places
    of that engagement; ``engagements`` holds each of them once. ``shown`` limits the
    categories drawn per service (the matched or exposed ones); services missing from it show
    all their categories. ``assumed`` holds the services whose exposure is an assumption,
    ``breached`` the organisations a breach scope is about.
    """

    title: str
    scope: Scope
    as_of: str | None
    services: dict[str, ServiceFacts]
    chains: dict[str, list[ChainEngagement]]
    engagements: list[ChainEngagement]
    shown: dict[str, list[str]] = msgspec.field(default_factory=dict)
    assumed: list[str] = msgspec.field(default_factory=list)
    breached: list[str] = msgspec.field(default_factory=list)

    @property
    def describes(self) -> str:
        """Return the sentence saying which versions of the documents the selection
        describes."""
        if self.as_of is None:
            return "As of the latest version of each document."
        return f"As of {self.as_of}: the versions of the documents in force that day."


def engagement_subject(engagement: ChainEngagement) -> str:
    """Return how an answer names a sub-processor in one engagement: "Zendesk (sub-processor
    of GitHub)", since what one engaging document states reaches no other engagement."""
    return f"{engagement.facts.organisation.name} (sub-processor of {engagement.holder.name})"


def engagement_id(engagement: ChainEngagement) -> tuple[str, str, str]:
    """Return which engagement a statement is of: the engaging organisation or service, the
    service it engages through ("" for all its processing) and the sub-processor."""
    through = engagement.through.id if engagement.through else ""
    return (engagement.by.id, through, engagement.facts.organisation.id)


def _key(engagement: ChainEngagement) -> tuple[str, str, str, Citation | None]:
    """Return what tells one statement of an engagement from every other."""
    return (*engagement_id(engagement), engagement.facts.source)


def _each_once(chains: Iterable[list[ChainEngagement]]) -> list[ChainEngagement]:
    """Return every engagement of ``chains`` once, sorted by engager and sub-processor."""
    found = {_key(e): e for chain in chains for e in chain}
    return [found[key] for key in sorted(found, key=lambda k: (k[:3], str(k[3])))]


def _selection(
    store: GraphStore,
    scope: Scope,
    title: str,
    facts: dict[str, ServiceFacts],
    chains: dict[str, list[ChainEngagement]],
) -> Selection:
    return Selection(
        title=title,
        scope=scope,
        as_of=store.as_of,
        services=facts,
        chains=chains,
        engagements=_each_once(chains.values()),
    )


def _whole(
    store: GraphStore, scope: Scope, title: str, facts: dict[str, ServiceFacts]
) -> Selection:
    """Return the selection of the services ``facts`` describes, each with its own
    engagements and every one its chain reaches."""
    beyond = engagement_chains(store, facts)
    chains = {sid: own_engagements(f) + beyond[sid] for sid, f in facts.items()}
    return _selection(store, scope, title, facts, chains)


def _on_the_way(affected: AffectedService, stated: list[ChainEngagement]) -> list[ChainEngagement]:
    """Return the engagements on the breach's way to ``affected``, each with the places its
    party has on that way."""
    found = []
    chain = affected.chain
    for at in range(2, len(chain)):
        before, link = chain[at - 1], chain[at]
        if link.party is None or before.party is None:
            continue
        own = at == 2 and affected.basis == _SERVICE_ENGAGES
        engager = affected.facts.id if own else before.party.id
        through = None if own else before.through
        found += [
            msgspec.structs.replace(e, facts=msgspec.structs.replace(e.facts, places=link.places))
            for e in stated
            if e.by.id == engager
            and e.facts.organisation.id == link.party.id
            and (e.through.name if e.through else None) == through
        ]
    return found


def _breach(store: GraphStore, scope: Scope, name: str) -> Selection:
    result = breach(store, name, cited=True)
    facts = {a.facts.id: a.facts for a in sorted(result.services, key=lambda a: a.facts.id)}
    beyond = engagement_chains(store, facts)
    chains = {
        a.facts.id: _on_the_way(a, own_engagements(facts[a.facts.id]) + beyond[a.facts.id])
        for a in result.services
    }
    breached = {m.id for m in result.covers}
    breached |= {a.chain[-1].party.id for a in result.services if a.chain[-1].party}
    selection = _selection(store, scope, f"Breach at {result.organisation}", facts, chains)
    return msgspec.structs.replace(
        selection,
        shown={a.facts.id: a.exposed for a in result.services},
        assumed=[a.facts.id for a in result.services if a.assumption],
        breached=sorted(breached),
    )


def select(store: GraphStore, scope: Scope) -> Selection:
    """Return what ``scope`` covers in ``store``; raise a name error when its name does not
    resolve to exactly one node."""
    if scope.kind is ScopeKind.ALL:
        ids = [n.id for n in store.nodes(NodeKind.SERVICE)]
        return _whole(store, scope, "All services", service_facts(store, ids))
    name = str(scope.name)
    if scope.kind is ScopeKind.SERVICE:
        node = resolve_node(store, NodeKind.SERVICE, name)
        return _whole(store, scope, node.name, service_facts(store, [node.id]))
    if scope.kind is ScopeKind.ORGANISATION:
        return _breach(store, scope, name)
    result = touches(store, name)
    facts = {s.service.id: s.service for s in result.services}
    selection = _whole(store, scope, f"Flows of {result.category}", facts)
    shown = {s.service.id: [c.key for c in s.matched] for s in result.services}
    return msgspec.structs.replace(selection, shown=shown)
