"""What the map says about services, each fact with its source: the one description of a
service every answer builds on (``touches``, ``breach``, ``show``, the diagrams, the report,
the exports and ``diff``).

A service's facts are its provider and role, the data it processes and whose, where it is
processed, what its documents say of it (purposes, legal basis, retention, ...) and its
engagements: each sub-processor with the purpose, the categories passed on and the places the
engaging document states for that engagement, and nothing another document says of that
sub-processor's work for others.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import msgspec

from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    DescribedIn,
    Direction,
    EdgeKind,
    Engages,
    ProcessedIn,
    Processes,
    Provides,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ids import country_id
from dataflyt.queries.places import NOT_STATED, PlaceUse, place_use
from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "CategoryUse",
    "EngagementFacts",
    "OrganisationRef",
    "ServiceFacts",
    "category_use",
    "certified_among",
    "dpf_certified",
    "engaged_places",
    "engagement_facts",
    "places_by",
    "processing_in_us",
    "role_label",
    "service_facts",
    "subject_names",
]


class OrganisationRef(msgspec.Struct, kw_only=True, frozen=True):
    """An organisation by id and the name it is shown by."""

    id: str
    name: str


class CategoryUse(msgspec.Struct, kw_only=True, frozen=True):
    """A data category a service processes, whose data it is, and where that is written."""

    key: str
    name: str
    sensitivity: str
    open_ended: bool = False
    mapped: bool = True
    subjects: list[str] = msgspec.field(default_factory=list)
    source: Citation | None = None


class EngagementFacts(msgspec.Struct, kw_only=True, frozen=True):
    """A sub-processor a service or organisation engages, as the engaging document states it:
    the purpose, the categories passed on (None when it does not say) and where the
    sub-processor processes for this engagement ([] when it does not say)."""

    organisation: OrganisationRef
    purpose: str | None = None
    categories: list[str] | None = None
    places: list[PlaceUse] = msgspec.field(default_factory=list)
    added: str | None = None
    details: list[str] = msgspec.field(default_factory=list)
    source: Citation | None = None

    @property
    def receives(self) -> str:
        """Return the categories passed on, by name, in the words both faces show: "not
        stated" (every category of the service then assumed) when the document does not
        say, "none" when it states none."""
        if self.categories is None:
            return f"{NOT_STATED} (all of the service's categories assumed)"
        names = vocabulary().categories
        return ", ".join(names[k].en if k in names else k for k in self.categories) or "none"


class ServiceFacts(msgspec.Struct, kw_only=True, frozen=True):
    """One service: provider and role, categories and subjects, its own places, what its
    documents say of it, and its engagements. Empty lists are things no document states."""

    id: str
    name: str
    provider: OrganisationRef | None
    role: str
    role_label: str
    categories: list[CategoryUse]
    data_subjects: list[str]
    places: list[PlaceUse]
    engagements: list[EngagementFacts]
    purposes: list[str] = msgspec.field(default_factory=list)
    recipients: list[str] = msgspec.field(default_factory=list)
    legal_basis: str | None = None
    retention: str | None = None
    security_measures: str | None = None
    portals: list[str] = msgspec.field(default_factory=list)
    source: Citation | None = None


def role_label(role: str) -> str:
    """Return the English wording of a provider's role (a vocabulary key)."""
    roles = vocabulary().roles
    return roles[role].en if role in roles else role


def subject_names(keys: Iterable[str]) -> list[str]:
    """Return the English names of data subjects given by vocabulary key (a key the
    vocabulary does not know stays as it is)."""
    names = vocabulary().subjects
    return [names[key].en if key in names else key for key in keys]


def category_use(edge: Processes, nodes: Mapping[str, AnyNode], cited: bool = True) -> CategoryUse:
    """Return the category one ``Processes`` edge names, with its data subjects by name."""
    category = nodes[edge.target]
    if not isinstance(category, Category):
        raise ValueError(f"{edge.target} is not a data category")
    return CategoryUse(
        key=category.key,
        name=category.name,
        sensitivity=category.sensitivity,
        open_ended=category.open_ended,
        mapped=category.mapped,
        subjects=subject_names(edge.subjects),
        source=cite(edge, nodes) if cited else None,
    )


def dpf_certified(described: Iterable[AnyEdge]) -> set[str]:
    """Return the ids of the organisations some document in force says are certified under
    the EU-US Data Privacy Framework, from their ``DescribedIn`` edges."""
    return {e.source for e in described if isinstance(e, DescribedIn) and e.dpf_certified}


def processing_in_us(places: Iterable[AnyEdge], provider: Mapping[str, str]) -> set[str]:
    """Return the organisations that process data in the United States by these places: the
    sub-processor of an engagement's place, a service's provider (``provider``: by service
    id), or the organisation itself. Only there does certification under the EU-US Data
    Privacy Framework change how a place stands, so only theirs need be read."""
    us = country_id("US")
    return {
        e.by or provider.get(e.source, e.source)
        for e in places
        if isinstance(e, ProcessedIn) and e.target == us
    }


def certified_among(store: GraphStore, organisations: Iterable[str]) -> set[str]:
    """Return those of ``organisations`` that some document in force says are certified under
    the EU-US Data Privacy Framework."""
    ids = sorted(set(organisations))
    if not ids:
        return set()
    return dpf_certified(store.edges(ids, Direction.OUT, [EdgeKind.DESCRIBED_IN]))


PlacesBy = Mapping[tuple[str, str], list[ProcessedIn]]


def places_by(edges: Iterable[AnyEdge]) -> dict[tuple[str, str], list[ProcessedIn]]:
    """Return the ``ProcessedIn`` edges among ``edges`` by (source, the sub-processor ``by``
    whom, "" for the source's own), in the order given."""
    found: dict[tuple[str, str], list[ProcessedIn]] = {}
    for edge in edges:
        if isinstance(edge, ProcessedIn):
            found.setdefault((edge.source, edge.by or ""), []).append(edge)
    return found


def engaged_places(
    edge: Engages, places: PlacesBy, nodes: Mapping[str, AnyNode], *, certified: bool = False
) -> list[PlaceUse]:
    """Return where the sub-processor of one engagement processes (``places`` as
    ``places_by`` gives them): the places the engaging side's document states for this
    engagement (its ``ProcessedIn`` edges ``by`` the sub-processor), then the sub-processor's
    own (``certified``: it is under the EU-US Data Privacy Framework). ``nodes`` holds the
    countries and documents."""
    mine = places.get((edge.source, edge.target), [])
    own = places.get((edge.target, ""), [])
    return [place_use(p, nodes, certified) for p in [*mine, *own]]


def engagement_facts(
    edge: Engages,
    places: PlacesBy,
    nodes: Mapping[str, AnyNode],
    *,
    certified: bool = False,
    cited: bool = True,
) -> EngagementFacts:
    """Return what the engaging document states of one engagement, with the places that
    belong to it (``engaged_places``). ``nodes`` holds the ends, countries and documents."""
    return EngagementFacts(
        organisation=OrganisationRef(id=edge.target, name=nodes[edge.target].name),
        purpose=edge.purpose,
        categories=None if edge.categories is None else list(edge.categories),
        places=engaged_places(edge, places, nodes, certified=certified),
        added=edge.added,
        details=list(edge.details),
        source=cite(edge, nodes) if cited else None,
    )


def service_facts(
    store: GraphStore, service_ids: Iterable[str], *, cited: bool = True
) -> dict[str, ServiceFacts]:
    """Return the facts of every existing service in ``service_ids``, keyed and sorted by id;
    with ``cited=False`` without citations (None), which a store may then not read."""
    ids = sorted(set(service_ids))
    leaving = [EdgeKind.PROCESSES, EdgeKind.PROCESSED_IN, EdgeKind.ENGAGES, EdgeKind.DESCRIBED_IN]
    around = store.neighbourhoods(ids, leaving, [EdgeKind.PROVIDES])
    engaged = {e.target for n in around.values() for e in n.leaving if isinstance(e, Engages)}
    providers = {e.source for n in around.values() for e in n.entering}
    orgs = sorted(engaged | providers)
    org_edges = store.edges(orgs, Direction.OUT, [EdgeKind.PROCESSED_IN])
    every = [e for n in around.values() for e in (*n.leaving, *n.entering)] + org_edges
    # a service's provider is its first PROVIDES edge, as below
    provider = {s: n.entering[0].source for s, n in around.items() if n.entering}
    certified = certified_among(store, processing_in_us(every, provider))
    nodes = store.get_nodes(
        {e.target for e in every} | {e.source for e in every} | {e.doc for e in every}
    )
    placed = places_by([*org_edges, *(e for n in around.values() for e in n.leaving)])
    found = {}
    for service, near in around.items():
        provides = next((e for e in near.entering if isinstance(e, Provides)), None)
        described = [e for e in near.leaving if isinstance(e, DescribedIn)]
        categories = [
            category_use(e, nodes, cited) for e in near.leaving if isinstance(e, Processes)
        ]
        provider_certified = provides is not None and provides.source in certified
        engagements = [
            engagement_facts(e, placed, nodes, certified=e.target in certified, cited=cited)
            for e in near.leaving
            if isinstance(e, Engages)
        ]
        role = provides.role if provides else "unknown"
        found[service] = ServiceFacts(
            id=service,
            name=near.node.name,
            provider=OrganisationRef(id=provides.source, name=nodes[provides.source].name)
            if provides
            else None,
            role=role,
            role_label=role_label(role),
            categories=categories,
            data_subjects=sorted({s for c in categories for s in c.subjects}),
            places=[
                place_use(e, nodes, provider_certified)
                for e in near.leaving
                if isinstance(e, ProcessedIn) and e.by is None
            ],
            engagements=engagements,
            purposes=_all(described, "purposes"),
            recipients=_all(described, "recipients"),
            legal_basis=_first(described, "legal_basis"),
            retention=_first(described, "retention"),
            security_measures=_first(described, "security_measures"),
            portals=_all(described, "portals"),
            source=cite(described[0], nodes) if cited and described else None,
        )
    return found


def _all(described: list[DescribedIn], field: str) -> list[str]:
    """Return what every document says in the list ``field``, each item once, in order."""
    return list(dict.fromkeys(item for e in described for item in getattr(e, field)))


def _first(described: list[DescribedIn], field: str) -> str | None:
    """Return the first document's ``field`` that states one, or None."""
    return next((getattr(e, field) for e in described if getattr(e, field)), None)
