"""``breach``: the blast radius of a personal-data breach at one organisation (or at every
legal entity of a group or brand).

A service is affected when the breached organisation provides it, or when its data reaches the
organisation: the service, or its provider for all it does, engages the organisation, directly
or through a chain of sub-processors of any depth; an organisation on the chain passes a
customer's data on through the services its own documents describe (the chain then goes
through that service, which is an assumption when it provides several).

For each affected service the answer says what the organisation receives (the categories the
engagements on the chain state, else every category of the service, marked as an assumption),
and where each party on the chain processes the data: the places the engaging document states
for that engagement, or the party's own documents' places; "not stated" where no document
says, never the places another provider's document gives for its own engagement.
"""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from dataflyt.graph.model import (
    AnyEdge,
    Direction,
    EdgeKind,
    Engages,
    NodeKind,
    Provides,
    kind_of,
)
from dataflyt.graph.store import GraphStore
from dataflyt.queries.facts import (
    CategoryUse,
    OrganisationRef,
    ServiceFacts,
    certified_among,
    engaged_places,
    places_by,
    processing_in_us,
    role_label,
    service_facts,
)
from dataflyt.queries.notification import (
    Duty,
    NotificationStep,
    duties,
    notification_steps,
    passed_on,
    to_subjects,
)
from dataflyt.queries.places import NOT_STATED, PlaceUse
from dataflyt.queries.resolve import Party, resolve_party
from dataflyt.words import counted

__all__ = [
    "AffectedService",
    "BreachResult",
    "ChainLink",
    "ExposedCategory",
    "ExposedCountry",
    "ExposedSubject",
    "breach",
]

_WALKED = (EdgeKind.ENGAGES, EdgeKind.PROVIDES)


class ChainLink(msgspec.Struct, kw_only=True, frozen=True):
    """One party on the way from the customer to the breached organisation: who (None for
    the customer), in which role, the service it processes the data in (when the chain goes
    through one of its services), and where it processes the data ([] not stated)."""

    party: OrganisationRef | None
    role: str
    through: str | None = None
    places: list[PlaceUse] = msgspec.field(default_factory=list)

    @property
    def name(self) -> str:
        """Return the party's name ("Customer" for the customer)."""
        return self.party.name if self.party else "Customer"

    @property
    def role_words(self) -> str:
        """Return the role as words within a sentence ("sub-processor")."""
        return role_label(self.role).lower()


class AffectedService(msgspec.Struct, kw_only=True, frozen=True):
    """A service in the blast radius: how the breach reaches it, what it exposes and where
    the breached organisation processes it (``countries``: codes, [] when not stated); the
    service's own places are ``facts.places``, context apart from the breached party's."""

    facts: ServiceFacts
    chain: list[ChainLink]
    exposed: list[str]
    assumption: bool
    basis: str
    possible: str | None = None
    data_subjects: list[str]
    countries: list[str]

    @property
    def exposed_words(self) -> str:
        """Return what the breached organisation receives, in the words both faces show: how
        many categories, or that no document names any (a silence, never "0 categories")."""
        if self.exposed:
            return counted(len(self.exposed), "category")
        return f"{NOT_STATED}: no document names its categories"

    @property
    def all_assumed(self) -> bool:
        """Return whether the categories shown are every category of the service, assumed
        because no engagement on the chain says which it passes on."""
        return self.assumption and bool(self.exposed)


class ExposedCategory(msgspec.Struct, kw_only=True, frozen=True):
    """A data category exposed, by which services, and whether that is an assumption."""

    key: str
    name: str
    sensitivity: str
    assumption: bool
    services: list[str]


class ExposedSubject(msgspec.Struct, kw_only=True, frozen=True):
    """A kind of data subject whose data is exposed."""

    name: str
    services: list[str]


class ExposedCountry(msgspec.Struct, kw_only=True, frozen=True):
    """A place where the breached organisation processes exposed data."""

    name: str
    code: str
    eea: bool
    services: list[str]


class BreachResult(msgspec.Struct, kw_only=True, frozen=True):
    """The blast radius: the organisation (and the entities it covers, for a group or brand),
    the services, categories, subjects and places exposed, the services for which no
    document states where the organisation processes the data, who notifies whom, and the
    high-sensitivity categories."""

    organisation: str
    covers: list[OrganisationRef]
    services: list[AffectedService]
    data_categories: list[ExposedCategory]
    data_subjects: list[ExposedSubject]
    countries: list[ExposedCountry]
    places_not_stated: list[str]
    notifications: list[NotificationStep]
    high_risk: list[str]

    @property
    def categories_not_stated(self) -> str | None:
        """Return the words both faces say when no document names a category of the services
        affected (a silence, never an empty table); None when some are named."""
        if self.data_categories:
            return None
        return f"{NOT_STATED}: no document names the categories of the services affected"


class _Walk:
    """Every party and service whose data reaches the breached organisations, the way each
    is shown to take there (fewest hops, then lowest id), and every fact it passes data on by
    towards them on any way."""

    def __init__(self, store: GraphStore, breached: list[str]) -> None:
        self.breached = set(breached)
        depths: dict[str, int] = {b: 0 for b in breached}
        for start in breached:
            for node, hops in store.reachable(start, _WALKED, Direction.IN).items():
                depths[node] = min(hops, depths.get(node, hops))
        self.depths = depths
        # The facts entering the nodes reached all come from nodes reached. They come sorted
        # by key: a party's engagements (ENGAGES) before its services (PROVIDES), each by
        # target id; the first one nearer the breach is the way taken.
        self.next: dict[str, AnyEdge] = {}
        self.onward: dict[str, list[AnyEdge]] = {}
        self._ways: dict[str, list[AnyEdge]] = {}
        for edge in store.edges(sorted(depths), Direction.IN, _WALKED):
            if edge.source in self.breached:
                continue
            self.onward.setdefault(edge.source, []).append(edge)
            if depths[edge.target] == depths[edge.source] - 1:
                self.next.setdefault(edge.source, edge)

    def route(self, start: str) -> list[AnyEdge]:
        """Return the hops from ``start`` to a breached organisation."""
        hops = []
        node = start
        while node not in self.breached:
            hop = self.next[node]
            hops.append(hop)
            node = hop.target
        return hops

    def ways(self, start: str) -> list[AnyEdge]:
        """Return every fact on any way from ``start`` to a breached organisation, each once
        (found once per start: the services of a provider share its ways)."""
        if start in self._ways:
            return self._ways[start]
        found: list[AnyEdge] = []
        seen, todo = {start}, [start]
        while todo:
            for edge in self.onward.get(todo.pop(), []):
                found.append(edge)
                if edge.target not in seen:
                    seen.add(edge.target)
                    todo.append(edge.target)
        self._ways[start] = found
        return found

    def hands_on(self, party: str) -> bool:
        """Return whether ``party`` passes data on to the breach for all it does (its next hop
        is an engagement of its own, not one of its services)."""
        return isinstance(self.next.get(party), Engages)

    def through_a_service(self) -> set[str]:
        """Return the parties whose way to the breach goes through one of their services."""
        return {party for party, hop in self.next.items() if isinstance(hop, Provides)}


def breach(store: GraphStore, organisation: str, *, cited: bool = False) -> BreachResult:
    """Return what a breach at ``organisation`` affects, along the whole sub-processor chain;
    a group or brand name covers each of its legal entities. Each affected service's facts
    are cited (every category and engagement with its source) only when ``cited`` is asked
    for, as a report is; the places on the chains always are."""
    party = resolve_party(store, organisation)
    breached = {*(m.id for m in party.members), *([party.node.id] if party.node else [])}
    # a legal entity's breach may reach what names only its group or brand
    brands = _brands(store, party) - breached
    walk = _Walk(store, sorted(breached | brands))
    provided = _Provided(store, walk)
    facts = service_facts(store, provided.affected, cited=cited)
    radius = _Radius(store, walk, facts, provided.services_of, brands)
    services = [
        radius.affected(service, provided.affected[service.id])
        for service in sorted(facts.values(), key=lambda f: (f.name.casefold(), f.id))
    ]
    # the duties on the ways depend on where a way starts, which a provider's services share
    told = {start: radius.told_on_the_way(start) for start in set(provided.affected.values())}
    by_service = {service: told[start] for service, start in provided.affected.items()}
    covers = [OrganisationRef(id=m.id, name=m.name) for m in party.members]
    return _summed(party.name, covers, services, by_service)


def _brands(store: GraphStore, party: Party) -> set[str]:
    """Return the groups or brands the breached legal entity belongs to (none for a group)."""
    if party.node is None or party.members:
        return set()
    part_of = store.edges([party.node.id], Direction.OUT, [EdgeKind.PART_OF])
    return {e.target for e in part_of}


class _Provided:
    """The affected services, each with where its way to the breach starts (itself, or its
    provider, which hands all it does on or is breached), and how many services each party
    whose way goes through one of its services provides."""

    def __init__(self, store: GraphStore, walk: _Walk) -> None:
        self.affected = {n: n for n in walk.depths if kind_of(n) is NodeKind.SERVICE}
        parties = [n for n in walk.depths if kind_of(n) is NodeKind.ORGANISATION]
        whole = [p for p in parties if p in walk.breached or walk.hands_on(p)]
        for edge in store.edges(whole, Direction.OUT, [EdgeKind.PROVIDES]):
            self.affected.setdefault(edge.target, edge.source)
        counted = walk.through_a_service()
        self.services_of = store.count_neighbours(counted, Direction.OUT, [EdgeKind.PROVIDES])


class _Radius:
    """What the way from each affected service to the breach is read from: the walk, the
    services' facts and the places of the parties on the way."""

    def __init__(
        self,
        store: GraphStore,
        walk: _Walk,
        facts: Mapping[str, ServiceFacts],
        services_of: Mapping[str, int],
        brands: set[str],
    ) -> None:
        self.walk = walk
        self.facts = facts
        self.services_of = services_of
        # the places of the engagement each party on the way makes towards the breach (a
        # service's are in its facts)
        parties = sorted(n for n in walk.depths if kind_of(n) is NodeKind.ORGANISATION)
        edges = store.edges(parties, Direction.OUT, [EdgeKind.PROCESSED_IN])
        certified = certified_among(store, processing_in_us(edges, {}))
        nodes = store.get_nodes({*parties, *(e.target for e in edges), *(e.doc for e in edges)})
        self.parties = {p: nodes[p] for p in parties if p in nodes}
        self.brands = {b: nodes[b] for b in brands if b in nodes}
        placed = places_by(edges)
        self.engaged = {
            (hop.source, hop.target): engaged_places(
                hop, placed, nodes, certified=hop.target in certified
            )
            for hops in walk.onward.values()
            for hop in hops
            if isinstance(hop, Engages) and hop.source not in facts
        }

    def _ref(self, node_id: str) -> OrganisationRef:
        node = self.parties.get(node_id)
        return OrganisationRef(id=node_id, name=node.name if node else node_id)

    def _engaged_places(self, hop: Engages) -> list[PlaceUse]:
        """Return where the sub-processor of one engagement processes: the places the
        engaging side states for it, then the sub-processor's own."""
        engaging = self.facts.get(hop.source)
        if engaging is not None:  # a service: its facts hold its engagements' places
            stated = (e for e in engaging.engagements if e.organisation.id == hop.target)
            return next((e.places for e in stated), [])
        return self.engaged[(hop.source, hop.target)]

    def _chain(
        self, service: ServiceFacts, start: str
    ) -> tuple[list[ChainLink], list[AnyEdge], str | None]:
        """Return the links from the customer to the breached party, the hops taken, and why
        the way is only possible (a party providing several services, none named)."""
        provider = service.provider
        links = [
            ChainLink(party=None, role="controller"),
            ChainLink(party=provider, role=service.role, places=service.places),
        ]
        hops = self.walk.route(start)
        possible = None
        for hop in hops:
            if isinstance(hop, Engages):
                places = self._engaged_places(hop)
                links.append(
                    ChainLink(party=self._ref(hop.target), role="sub_processor", places=places)
                )
            elif isinstance(hop, Provides):
                used = self.facts.get(hop.target)
                through = used.name if used else hop.target
                last = links[-1]
                own = used.places if used else []
                links[-1] = msgspec.structs.replace(
                    last, through=through, places=[*last.places, *own]
                )
                if possible is None and self.services_of.get(hop.source, 0) > 1:
                    possible = (
                        f"the map does not say which of {last.name}'s services {service.name} "
                        f"uses; its service {through} leads to the breach"
                    )
        brand = self.brands.get(hops[-1].target) if hops else None
        if brand is not None:
            possible = (
                f"the document names {brand.name}, a group or brand, not which of its legal "
                "entities"
            )
        return links, hops, possible

    def _breached_places(self, shown: list[PlaceUse], ways: list[AnyEdge]) -> list[PlaceUse]:
        """Return where the breached organisations process the data on these ways: the
        places ``shown`` for the chain's last hop first, then those of every other engagement
        of them on the ways, each place stated once."""
        found = {(place.code, place.source): place for place in shown}
        for hop in ways:
            if isinstance(hop, Engages) and hop.target in self.walk.breached:
                for place in self._engaged_places(hop):
                    found.setdefault((place.code, place.source), place)
        return list(found.values())

    def told_on_the_way(self, start: str) -> list[Duty]:
        """Return the duty of each sub-processor on any way from ``start`` to the breach to
        tell the party that engaged it (for a service's engagement, the service's provider)."""
        found = []
        for hop in self.walk.ways(start):
            if not isinstance(hop, Engages):
                continue
            engaging = self.facts.get(hop.source)
            if engaging is None:
                found.append(passed_on(self._ref(hop.target).name, self._ref(hop.source).name))
            elif engaging.provider is not None:
                found.append(passed_on(self._ref(hop.target).name, engaging.provider.name))
        return found

    def affected(self, service: ServiceFacts, start: str) -> AffectedService:
        """Return one affected service: how the breach reaches it and what it exposes. The
        chain is the shortest way; the breached party's places and the data exposed are
        those of every way the service's data takes to it."""
        links, hops, possible = self._chain(service, start)
        ways = self.walk.ways(start)
        if hops:
            places = self._breached_places(links[-1].places, ways)
            links[-1] = msgspec.structs.replace(links[-1], places=places)
        allowed = _categories_passed_on(ways, start, self.walk.breached) if hops else None
        uses = (
            service.categories
            if allowed is None
            else [c for c in service.categories if c.key in allowed]
        )
        basis = (
            "provider"
            if not hops
            else f"sub-processor of the {'service' if start == service.id else 'provider'}"
        )
        return AffectedService(
            facts=service,
            chain=links,
            exposed=sorted({u.key for u in uses}),
            assumption=allowed is None and bool(hops),
            basis=basis,
            possible=possible,
            data_subjects=sorted({s for u in uses for s in u.subjects}),
            countries=sorted({p.code for p in links[-1].places}),
        )


def _categories_passed_on(ways: list[AnyEdge], start: str, breached: set[str]) -> set[str] | None:
    """Return the category keys some way from ``start`` passes on to the breach (``ways``:
    every fact on them), None when some way does not say which (all). An engagement naming
    categories passes on those of what reaches it; where ways meet again, or loop, what
    each passes on is gathered until nothing more is."""
    reaches: dict[str, set[str] | None] = dict.fromkeys(breached)
    changed = True
    while changed:
        changed = False
        for hop in ways:
            if hop.target not in reaches:
                continue
            passed = reaches[hop.target]
            if isinstance(hop, Engages) and hop.categories is not None:
                named = set(hop.categories)
                passed = named if passed is None else passed & named
            before = reaches.get(hop.source, set())
            after = None if before is None or passed is None else before | passed
            if hop.source not in reaches or after != before:
                reaches[hop.source] = after
                changed = True
    return reaches.get(start, set())


def _exposed(affected: AffectedService) -> list[CategoryUse]:
    """Return the categories of ``affected`` the breached organisation receives."""
    keys = set(affected.exposed)
    return [use for use in affected.facts.categories if use.key in keys]


def _notices(affected: AffectedService, told: list[Duty]) -> list[Duty]:
    """Return the duties to notify of a breach reaching ``affected`` along its chain and
    ``told`` on its other ways: the data subjects told are those whose exposed data it
    reaches."""
    steps = duties([link.name for link in affected.chain], affected.facts.role, told)
    return [*steps[:-1], to_subjects(steps[-1], affected.data_subjects)]


def _summed(
    name: str,
    covers: list[OrganisationRef],
    services: list[AffectedService],
    told: Mapping[str, list[Duty]],
) -> BreachResult:
    """Return the blast radius of ``services``: the categories, subjects and places they
    expose, each with the services exposing it, and who notifies whom."""
    exposed: dict[str, tuple[CategoryUse, list[str], list[bool]]] = {}
    subjects: dict[str, list[str]] = {}
    countries: dict[str, tuple[PlaceUse, list[str]]] = {}
    for affected in services:
        service = affected.facts.name
        for use in _exposed(affected):
            entry = exposed.setdefault(use.key, (use, [], []))
            entry[1].append(service)
            entry[2].append(affected.assumption)
        for subject in affected.data_subjects:
            subjects.setdefault(subject, []).append(service)
        for place in affected.chain[-1].places:
            countries.setdefault(place.code, (place, []))[1].append(service)
    categories = [
        ExposedCategory(
            key=use.key,
            name=use.name,
            sensitivity=use.sensitivity,
            assumption=all(assumed),
            services=list(dict.fromkeys(names)),
        )
        for use, names, assumed in sorted(
            exposed.values(), key=lambda c: (c[0].name.casefold(), c[0].key)
        )
    ]
    return BreachResult(
        organisation=name,
        covers=covers,
        services=services,
        data_categories=categories,
        data_subjects=[
            ExposedSubject(name=s, services=list(dict.fromkeys(n)))
            for s, n in sorted(subjects.items())
        ],
        countries=[
            ExposedCountry(name=p.name, code=p.code, eea=p.eea, services=list(dict.fromkeys(n)))
            for p, n in sorted(countries.values(), key=lambda c: c[0].name)
        ],
        places_not_stated=[a.facts.name for a in services if not a.chain[-1].places],
        notifications=notification_steps(
            (a.facts.name, _notices(a, told[a.facts.id])) for a in services
        ),
        high_risk=sorted({c.name for c in categories if c.sensitivity == "high"}),
    )
