"""``breach``: the blast radius of a personal-data breach at one organisation.

A service is affected when the organisation provides it, or when the service or its provider
engages the organisation, directly or through a chain of sub-processors of any depth. What the
organisation receives is what the engagement edges say; where they are silent, every category
of the service is reported as potentially exposed and marked as an assumption.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

from dataflyt.collector import collector_paused
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.notification import NotificationStep, notification_steps
from dataflyt.queries.resolve import resolve_node
from dataflyt.queries.services import Ref, service_facts

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


class _Routes:
    """The way from any party to the breached organisation along the engagements, worked out
    once per party however many services start there."""

    def __init__(
        self,
        org: Node,
        depths: dict[str, int],
        engages: dict[str, list[Edge]],
        names: dict[str, Node],
    ) -> None:
        self.org = org
        self.depths = depths
        self.engages = engages
        self.names = names
        self.found: dict[str, tuple[list[dict[str, Any]], list[set[str]]]] = {}

    def from_party(self, start: str) -> tuple[list[dict[str, Any]], list[set[str]]]:
        """Return the chain links after ``start`` (sub-processors, the organisation last) and
        the category sets the engagements on the way state; shared: treat as read-only."""
        route = self.found.get(start)
        if route is None:
            target = self.org.id
            hops = [_next_hop(start, self.depths, target, self.engages)]
            while hops[-1].target != target:
                hops.append(_next_hop(hops[-1].target, self.depths, target, self.engages))
            links = [
                {"name": self.name(h.target), "id": h.target, "role": "sub_processor"} for h in hops
            ]
            stated = [
                set(h.attrs["categories"]) for h in hops if h.attrs.get("categories") is not None
            ]
            route = self.found[start] = (links, stated)
        return route

    def name(self, node: str) -> str:
        """Return the display name of a party on a route."""
        if node == self.org.id:
            return self.org.name
        return self.names[node].name if node in self.names else node


def breach(store: GraphStore, organisation: str) -> BreachResult:
    """Return what a breach at ``organisation`` affects, along the whole sub-processor chain."""
    org = resolve_node(store, NodeKind.ORGANISATION, organisation)
    with collector_paused():
        return _blast_radius(store, org)


def _blast_radius(store: GraphStore, org: Node) -> BreachResult:
    depths = store.reachable(org.id, EdgeKind.ENGAGES, Direction.IN)
    upstream = sorted(depths)
    # who engages whom on the way, and what the organisations on it provide: one read
    engages: dict[str, list[Edge]] = {}
    provided: set[str] = set()
    kinds = [EdgeKind.ENGAGES, EdgeKind.PROVIDES]
    for edge in store.edges([org.id, *upstream], Direction.OUT, kinds):
        if edge.kind is EdgeKind.PROVIDES:
            provided.add(edge.target)
        elif edge.source in depths:
            engages.setdefault(edge.source, []).append(edge)
    upstream_orgs = [org.id, *(n for n in upstream if n.startswith("org:"))]
    service_ids = {n for n in upstream if n.startswith("service:")} | provided
    # many services can be affected: work on plain facts and validate the result once
    facts = service_facts(store, service_ids, brief=True)
    routes = _Routes(org, depths, engages, store.get_nodes(upstream_orgs))
    affected = [_affected(f, routes) for f in facts.values()]
    affected.sort(key=lambda a: (a["name"].casefold(), a["id"]))
    return BreachResult.model_validate(
        {
            "organisation": {"id": org.id, "name": org.name},
            "services": affected,
            "data_categories": _categories(affected, facts),
            "data_subjects": _grouped(
                affected, lambda a: ((s, {"name": s}) for s in a["data_subjects"])
            ),
            "countries": _grouped(
                affected,
                lambda a: (
                    (c["code"], {"name": c["name"], "code": c["code"], "eea": c["eea"]})
                    for c in facts[a["id"]]["countries"]
                ),
            ),
            "notifications": notification_steps(
                affected, {i: f["data_subjects"] for i, f in facts.items()}
            ),
            "high_risk": sorted(
                {
                    c["name"]
                    for a in affected
                    for c in facts[a["id"]]["categories"]
                    if c["key"] in a["exposed"] and c["sensitivity"] == "high"
                }
            ),
        }
    )


def _affected(facts: dict[str, Any], routes: _Routes) -> dict[str, Any]:
    provider = facts["provider"]
    customer = {"name": "Customer", "id": None, "role": "controller"}
    provider_link = {
        "name": provider["name"] if provider else "unknown provider",
        "id": provider["id"] if provider else None,
        "role": facts["role"],
    }
    every = [c["key"] for c in facts["categories"]]
    if provider is not None and provider["id"] == routes.org.id:
        chain, exposed, assumption, basis = [customer, provider_link], every, False, "provider"
    else:
        own = facts["id"]
        start = own if own in routes.depths or provider is None else provider["id"]
        links, stated = routes.from_party(start)
        exposed = sorted(set(every).intersection(*stated)) if stated else every
        assumption = not stated
        basis = "sub-processor of the service" if start == own else "sub-processor of the provider"
        chain = [customer, provider_link, *links]
    shown = set(exposed)
    return {
        "id": facts["id"],
        "name": facts["name"],
        "provider": provider,
        "role": facts["role"],
        "chain": chain,
        "exposed": exposed,
        "assumption": assumption,
        "basis": basis,
        "data_subjects": sorted(
            {s for c in facts["categories"] if c["key"] in shown for s in c["subjects"]}
        ),
        "countries": sorted({c["code"] for c in facts["countries"]}),
    }


def _categories(
    affected: list[dict[str, Any]], facts: dict[str, dict[str, Any]]
) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for service in affected:
        exposed = set(service["exposed"])
        for use in facts[service["id"]]["categories"]:
            if use["key"] not in exposed:
                continue
            entry = found.setdefault(
                use["key"],
                {
                    "key": use["key"],
                    "name": use["name"],
                    "sensitivity": use["sensitivity"],
                    "assumption": True,
                    "services": [],
                },
            )
            entry["services"].append(service["name"])
            entry["assumption"] = entry["assumption"] and service["assumption"]
    return sorted(found.values(), key=lambda c: c["name"].casefold())


def _grouped(
    affected: list[dict[str, Any]],
    entries: Callable[[dict[str, Any]], Iterable[tuple[str, dict[str, Any]]]],
) -> list[dict[str, Any]]:
    """Return one entry per distinct key the affected services yield (as ``(key, entry)``),
    each naming once the services that yield it, sorted by name."""
    found: dict[str, dict[str, Any]] = {}
    named: set[tuple[str, str]] = set()
    for service in affected:
        name = service["name"]
        for key, entry in entries(service):
            if key not in found:
                found[key] = {**entry, "services": []}
            if (key, name) not in named:
                named.add((key, name))
                found[key]["services"].append(name)
    return sorted(found.values(), key=lambda group: group["name"])
