"""``breach``: the blast radius of a personal-data breach at one organisation.

A service is affected when the organisation provides it, or when the service or its provider
engages the organisation, directly or through a chain of sub-processors of any depth. What the
organisation receives is what the engagement edges say; where they are silent, every category
of the service is reported as potentially exposed and marked as an assumption.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import msgspec

from dataflyt.collector import collector_paused
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.briefs import (
    CategoryBrief,
    CountryBrief,
    Party,
    ServiceBrief,
    read_briefs,
)
from dataflyt.queries.notification import (
    Duty,
    NotificationStep,
    duties,
    notification_steps,
    to_subjects,
)
from dataflyt.queries.resolve import resolve_node

__all__ = [
    "AffectedService",
    "BreachResult",
    "ChainLink",
    "ExposedCategory",
    "ExposedCountry",
    "ExposedSubject",
    "breach",
]


class ChainLink(msgspec.Struct, frozen=True, gc=False):
    """One party in the chain from the customer to the breached organisation."""

    name: str
    id: str | None
    role: str


class AffectedService(msgspec.Struct, frozen=True, gc=False):
    """A service in the blast radius: how the breach reaches it and what it exposes."""

    id: str
    name: str
    provider: Party | None
    role: str
    chain: list[ChainLink]
    exposed: list[str]
    assumption: bool
    basis: str
    data_subjects: list[str]
    countries: list[str]


class ExposedCategory(msgspec.Struct, frozen=True, gc=False):
    """A data category exposed, by which services, and whether that is an assumption."""

    key: str
    name: str
    sensitivity: str
    assumption: bool
    services: list[str]


class ExposedSubject(msgspec.Struct, frozen=True, gc=False):
    """A kind of data subject whose data is exposed."""

    name: str
    services: list[str]


class ExposedCountry(msgspec.Struct, frozen=True, gc=False):
    """A country where exposed data is processed."""

    name: str
    code: str
    eea: bool
    services: list[str]


class BreachResult(msgspec.Struct, frozen=True, gc=False):
    """The blast radius: services, categories, subjects, countries and who notifies whom."""

    organisation: Party
    services: list[AffectedService]
    data_categories: list[ExposedCategory]
    data_subjects: list[ExposedSubject]
    countries: list[ExposedCountry]
    notifications: list[NotificationStep]
    high_risk: list[str]


def _next_hop(
    node: str, depths: dict[str, int], target: str, engages: dict[str, list[Edge]]
) -> Edge:
    """Return the engagement from ``node`` one hop nearer the target (lowest id on ties)."""
    wanted = depths.get(node, 1) - 1
    options = [
        e
        for e in engages.get(node, [])
        if (e.target == target if wanted == 0 else depths.get(e.target) == wanted)
    ]
    return min(options, key=lambda e: e.target)


class _Route(NamedTuple):
    """The way from a party to the breached organisation."""

    links: list[ChainLink]  # the sub-processors after the party, the organisation last
    names: tuple[str, ...]  # their names
    allowed: set[str] | None  # the categories every engagement that says so passes on


class _Routes:
    """The way from any party to the breached organisation along the engagements, worked out
    once per party however many services start there."""

    def __init__(
        self,
        org: Node,
        depths: dict[str, int],
        engages: dict[str, list[Edge]],
        names: dict[str, str],
    ) -> None:
        self.org = org
        self.depths = depths
        self.engages = engages
        self.names = names
        self.found: dict[str, _Route] = {org.id: _Route([], (), None)}
        self.links: dict[str, ChainLink] = {}

    def from_party(self, start: str) -> _Route:
        """Return the route from ``start``; shared: treat it as read-only."""
        # walk towards the organisation until a party whose route is known, then work the
        # routes out backwards: each party's once, however many services and parties lead
        # through it
        hops: list[Edge] = []
        node = start
        while node not in self.found:
            hops.append(_next_hop(node, self.depths, self.org.id, self.engages))
            node = hops[-1].target
        for hop in reversed(hops):
            later = self.found[hop.target]
            link = self.link(hop.target)
            stated = hop.attrs.get("categories")
            allowed = later.allowed
            if stated is not None:
                allowed = set(stated) if allowed is None else allowed.intersection(stated)
            self.found[hop.source] = _Route(
                [link, *later.links], (link.name, *later.names), allowed
            )
        return self.found[start]

    def link(self, node: str) -> ChainLink:
        """Return the chain link of the sub-processor ``node`` (made once)."""
        link = self.links.get(node)
        if link is None:
            name = self.names.get(node, node)
            link = self.links[node] = ChainLink(name=name, id=node, role="sub_processor")
        return link


def breach(store: GraphStore, organisation: str) -> BreachResult:
    """Return what a breach at ``organisation`` affects, along the whole sub-processor chain."""
    org = resolve_node(store, NodeKind.ORGANISATION, organisation)
    with collector_paused():
        return _blast_radius(store, org)


def _blast_radius(store: GraphStore, org: Node) -> BreachResult:
    depths = store.reachable(org.id, EdgeKind.ENGAGES, Direction.IN)
    upstream = sorted(depths)
    parties = [n for n in upstream if n.startswith("org:")]
    # the organisations on the way, whom they engage and what they provide: one read; the
    # services' own engagements come with their briefs
    kinds = [EdgeKind.ENGAGES, EdgeKind.PROVIDES]
    around = store.around([org.id, *parties], kinds, [], cited=False)
    engages: dict[str, list[Edge]] = {}
    provided: set[str] = set()
    for edge in (edge for party in around.values() for edge in party.leaving):
        if edge.kind is EdgeKind.PROVIDES:
            provided.add(edge.target)
        elif edge.source in depths:
            engages.setdefault(edge.source, []).append(edge)
    services = {n for n in upstream if n.startswith("service:")} | provided
    briefs = read_briefs(store, services)
    engages |= {b.id: b.engagements for b in briefs.values() if b.id in depths}
    names = {party_id: party.node.name for party_id, party in around.items()}
    radius = _Radius(_Routes(org, depths, engages, names))
    for brief in sorted(briefs.values(), key=lambda b: (b.name.casefold(), b.id)):
        radius.add(brief)
    return radius.result()


class _Radius:
    """The blast radius as it is summed up, one affected service at a time (chain links and
    provider references are made once and shared)."""

    def __init__(self, routes: _Routes) -> None:
        self.routes = routes
        self.org = routes.org
        self.customer = ChainLink(name="Customer", id=None, role="controller")
        self.provider_links: dict[tuple[str | None, str], ChainLink] = {}
        self.duties: dict[tuple[str | None, str, tuple[str, ...]], list[Duty]] = {}
        self.services: list[AffectedService] = []
        self.categories: dict[str, _CategoryCount] = {}
        self.subjects: dict[str, dict[str, None]] = {}
        self.countries: dict[str, tuple[CountryBrief, dict[str, None]]] = {}
        self.notices: list[tuple[str, list[Duty]]] = []

    def add(self, brief: ServiceBrief) -> None:
        """Add one affected service: how the breach reaches it and what it exposes."""
        provider = brief.provider
        link = self.provider_link(provider, brief.role)
        uses: list[CategoryBrief] = brief.categories
        if provider is not None and provider.id == self.org.id:
            route, assumption, basis = self.routes.from_party(self.org.id), False, "provider"
        else:
            own = brief.id
            start = own if own in self.routes.depths or provider is None else provider.id
            route = self.routes.from_party(start)
            assumption = route.allowed is None
            if route.allowed is not None:
                uses = [use for use in uses if use.key in route.allowed]
            basis = f"sub-processor of the {'service' if start == own else 'provider'}"
        name = brief.name
        exposed = sorted({use.key for use in uses})
        subjects = sorted({s for use in uses for s in use.subjects})
        self.services.append(
            AffectedService(
                brief.id,
                name,
                provider,
                brief.role,
                [self.customer, link, *route.links],
                exposed,
                assumption,
                basis,
                subjects,
                sorted({c.code for c in brief.countries}),
            )
        )
        self.count(uses, exposed, name, assumption)
        by_subject = self.subjects
        for subject in subjects:
            named = by_subject.get(subject)
            if named is None:
                named = by_subject[subject] = {}
            named[name] = None
        by_country = self.countries
        for country in brief.countries:
            entry = by_country.get(country.code)
            if entry is None:
                entry = by_country[country.code] = (country, {})
            entry[1][name] = None
        key = (link.id, link.role, route.names)
        steps = self.duties.get(key)
        if steps is None:
            chain = (self.customer.name, link.name, *route.names)
            steps = self.duties[key] = duties(chain, brief.role)
        if uses is not brief.categories:  # the duty to data subjects names them all
            subjects = sorted({s for use in brief.categories for s in use.subjects})
        self.notices.append((name, [*steps[:-1], to_subjects(steps[-1], subjects)]))

    def count(
        self, uses: list[CategoryBrief], exposed: list[str], service: str, assumption: bool
    ) -> None:
        """Count ``service`` once under every category it exposes (``exposed``, the keys of
        ``uses``)."""
        categories = self.categories
        for key in exposed:
            entry = categories.get(key)
            if entry is None:
                use = next(use for use in uses if use.key == key)
                entry = categories[key] = _CategoryCount(use)
            entry.services.append(service)
            if not assumption:
                entry.assumption = False

    def provider_link(self, provider: Party | None, role: str) -> ChainLink:
        """Return the chain link of a service's provider in its role."""
        key = (None if provider is None else provider.id, role)
        link = self.provider_links.get(key)
        if link is None:
            link = self.provider_links[key] = ChainLink(
                name=provider.name if provider else "unknown provider",
                id=provider.id if provider else None,
                role=role,
            )
        return link

    def result(self) -> BreachResult:
        """Return the blast radius of every service added."""
        categories = [
            ExposedCategory(c.use.key, c.use.name, c.use.sensitivity, c.assumption, c.services)
            for c in sorted(
                self.categories.values(), key=lambda c: (c.use.name.casefold(), c.use.key)
            )
        ]
        return BreachResult(
            organisation=Party(id=self.org.id, name=self.org.name),
            services=self.services,
            data_categories=categories,
            data_subjects=[
                ExposedSubject(subject, list(names))
                for subject, names in sorted(self.subjects.items(), key=lambda s: s[0])
            ],
            countries=[
                ExposedCountry(country.name, country.code, country.eea, list(names))
                for country, names in sorted(self.countries.values(), key=lambda c: c[0].name)
            ],
            notifications=notification_steps(self.notices),
            high_risk=sorted({c.name for c in categories if c.sensitivity == "high"}),
        )


@dataclass(slots=True)
class _CategoryCount:
    """An exposed category as it is counted: the services exposing it, and whether every one
    of them is an assumption."""

    use: CategoryBrief
    services: list[str] = field(default_factory=list)
    assumption: bool = True
