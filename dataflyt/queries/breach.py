"""``breach``: the blast radius of a personal-data breach at one organisation.

A service is affected when the organisation provides it, or when the service or its provider
engages the organisation, directly or through a chain of sub-processors of any depth. What the
organisation receives is what the engagement edges say; where they are silent, every category
of the service is reported as potentially exposed and marked as an assumption.
"""

from __future__ import annotations

from pydantic import BaseModel

from dataflyt.graph.model import Direction, Edge, EdgeKind, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.notification import NotificationStep, notification_steps
from dataflyt.queries.resolve import resolve_node
from dataflyt.queries.services import Ref, ServiceView, service_views

__all__ = [
    "AffectedService",
    "BreachResult",
    "ChainLink",
    "ExposedCategory",
    "ExposedCountry",
    "ExposedSubject",
    "breach",
]


class ChainLink(BaseModel):
    """One party in the chain from the customer to the breached organisation."""

    name: str
    id: str | None
    role: str


class AffectedService(BaseModel):
    """A service in the blast radius: how the breach reaches it and what it exposes."""

    id: str
    name: str
    provider: Ref | None
    role: str
    chain: list[ChainLink]
    exposed: list[str]
    assumption: bool
    basis: str
    data_subjects: list[str]
    countries: list[str]


class ExposedCategory(BaseModel):
    """A data category exposed, by which services, and whether that is an assumption."""

    key: str
    name: str
    sensitivity: str
    assumption: bool
    services: list[str]


class ExposedSubject(BaseModel):
    """A kind of data subject whose data is exposed."""

    name: str
    services: list[str]


class ExposedCountry(BaseModel):
    """A country where exposed data is processed."""

    name: str
    code: str
    eea: bool
    services: list[str]


class BreachResult(BaseModel):
    """The blast radius: services, categories, subjects, countries and who notifies whom."""

    organisation: Ref
    services: list[AffectedService]
    data_categories: list[ExposedCategory]
    data_subjects: list[ExposedSubject]
    countries: list[ExposedCountry]
    notifications: list[NotificationStep]
    high_risk: list[str]


def _next_hop(node: str, depths: dict[str, int], target: str, engages: list[Edge]) -> Edge:
    """Return the engagement from ``node`` one hop nearer the target (lowest id on ties)."""
    wanted = depths.get(node, 1) - 1
    options = [
        e
        for e in engages
        if e.source == node
        and (e.target == target if wanted == 0 else depths.get(e.target) == wanted)
    ]
    return min(options, key=lambda e: e.target)


def _route(start: str, depths: dict[str, int], target: str, engages: list[Edge]) -> list[Edge]:
    hops = [_next_hop(start, depths, target, engages)]
    while hops[-1].target != target:
        hops.append(_next_hop(hops[-1].target, depths, target, engages))
    return hops


def breach(store: GraphStore, organisation: str) -> BreachResult:
    """Return what a breach at ``organisation`` affects, along the whole sub-processor chain."""
    org = resolve_node(store, NodeKind.ORGANISATION, organisation)
    depths = store.reachable(org.id, EdgeKind.ENGAGES, Direction.IN)
    upstream = sorted(depths)
    engages = store.edges(upstream, Direction.OUT, [EdgeKind.ENGAGES]) if upstream else []
    upstream_orgs = [org.id, *(n for n in upstream if n.startswith("org:"))]
    provided = store.edges(upstream_orgs, Direction.OUT, [EdgeKind.PROVIDES])
    service_ids = {n for n in upstream if n.startswith("service:")} | {e.target for e in provided}
    views = service_views(store, service_ids)
    names = store.get_nodes(upstream_orgs)
    affected = [
        _affected(view, org.id, org.name, depths, engages, names) for view in views.values()
    ]
    affected.sort(key=lambda a: (a.name.casefold(), a.id))
    return BreachResult(
        organisation=Ref(id=org.id, name=org.name),
        services=affected,
        data_categories=_categories(affected, views),
        data_subjects=_subjects(affected),
        countries=_countries(affected, views),
        notifications=notification_steps(affected, views),
        high_risk=sorted(
            {
                c.name
                for a in affected
                for c in views[a.id].categories
                if c.key in a.exposed and c.sensitivity == "high"
            }
        ),
    )


def _affected(
    view: ServiceView,
    org: str,
    org_name: str,
    depths: dict[str, int],
    engages: list[Edge],
    names: dict[str, Node],
) -> AffectedService:
    provider = view.provider
    customer = ChainLink(name="Customer", id=None, role="controller")
    provider_link = ChainLink(
        name=provider.name if provider else "unknown provider",
        id=provider.id if provider else None,
        role=view.role,
    )
    every = [c.key for c in view.categories]
    if provider is not None and provider.id == org:
        chain, exposed, assumption, basis = [customer, provider_link], every, False, "provider"
    else:
        start = view.id if view.id in depths else provider.id if provider else view.id
        hops = _route(start, depths, org, engages)
        stated = [set(h.attrs["categories"]) for h in hops if h.attrs.get("categories") is not None]
        exposed = sorted(set(every).intersection(*stated)) if stated else every
        assumption = not stated
        basis = (
            "sub-processor of the service" if start == view.id else "sub-processor of the provider"
        )
        chain = [customer, provider_link] + [
            ChainLink(name=_name(names, h.target, org, org_name), id=h.target, role="sub_processor")
            for h in hops
        ]
    return AffectedService(
        id=view.id,
        name=view.name,
        provider=provider,
        role=view.role,
        chain=chain,
        exposed=exposed,
        assumption=assumption,
        basis=basis,
        data_subjects=sorted({s for c in view.categories if c.key in exposed for s in c.subjects}),
        countries=sorted({c.code for c in view.countries}),
    )


def _name(names: dict[str, Node], node: str, org: str, org_name: str) -> str:
    if node == org:
        return org_name
    return names[node].name if node in names else node


def _categories(
    affected: list[AffectedService], views: dict[str, ServiceView]
) -> list[ExposedCategory]:
    found: dict[str, ExposedCategory] = {}
    for service in affected:
        for use in views[service.id].categories:
            if use.key not in service.exposed:
                continue
            entry = found.setdefault(
                use.key,
                ExposedCategory(
                    key=use.key,
                    name=use.name,
                    sensitivity=use.sensitivity,
                    assumption=True,
                    services=[],
                ),
            )
            entry.services.append(service.name)
            entry.assumption = entry.assumption and service.assumption
    return sorted(found.values(), key=lambda c: c.name.casefold())


def _subjects(affected: list[AffectedService]) -> list[ExposedSubject]:
    found: dict[str, list[str]] = {}
    for service in affected:
        for subject in service.data_subjects:
            found.setdefault(subject, []).append(service.name)
    return [ExposedSubject(name=name, services=found[name]) for name in sorted(found)]


def _countries(
    affected: list[AffectedService], views: dict[str, ServiceView]
) -> list[ExposedCountry]:
    found: dict[str, ExposedCountry] = {}
    for service in affected:
        for country in views[service.id].countries:
            entry = found.setdefault(
                country.code,
                ExposedCountry(
                    name=country.name,
                    code=country.code,
                    eea=country.eea,
                    services=[],
                ),
            )
            if service.name not in entry.services:
                entry.services.append(service.name)
    return sorted(found.values(), key=lambda c: c.name)
