"""What a query that sums up many services at once needs to know about each: its name,
provider, role, categories, countries and engagements, without citations, read in two store
calls.

``breach`` on a large map reaches more than a thousand services. It needs no citation, and
most of what it meets repeats: the same category with the same data subjects, the same country,
the same provider. Each of those is made once here and shared by every service that has it, as
small immutable values, so that the work per service is little more than reading its edges.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import msgspec

from dataflyt.graph.model import Edge, EdgeKind, Neighbourhood, Node
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import category_facts, subject_names

__all__ = ["CategoryBrief", "CountryBrief", "Party", "ServiceBrief", "read_briefs"]

_PROCESSES = EdgeKind.PROCESSES
_PROCESSED_IN = EdgeKind.PROCESSED_IN
_ENGAGES = EdgeKind.ENGAGES


class Party(msgspec.Struct, frozen=True, gc=False):
    """An organisation by id and display name."""

    id: str
    name: str


class CategoryBrief(NamedTuple):
    """A data category as one service processes it: whose data it is, by English name."""

    key: str
    name: str
    sensitivity: str
    subjects: tuple[str, ...]


class CountryBrief(NamedTuple):
    """A country or region where a service's data is processed."""

    code: str
    name: str
    eea: bool


@dataclass(slots=True)
class ServiceBrief:
    """One service in brief, its categories and countries in edge order (the categories and
    countries are shared with other services: treat it all as read-only)."""

    id: str
    name: str
    provider: Party | None
    role: str
    categories: list[CategoryBrief]
    countries: list[CountryBrief]
    engagements: list[Edge]  # its own sub-processors' ENGAGES edges


def read_briefs(store: GraphStore, service_ids: Iterable[str]) -> dict[str, ServiceBrief]:
    """Return the brief of every existing service in ``service_ids``, keyed by id and sorted
    by id (the services with their edges in one read, their providers, categories and
    countries in a second)."""
    kinds = [_PROCESSES, _PROCESSED_IN, _ENGAGES]
    found = store.around(service_ids, kinds, [EdgeKind.PROVIDES], cited=False)
    ends = {e.target for n in found.values() for e in n.leaving if e.kind is not _ENGAGES}
    ends |= {n.entering[0].source for n in found.values() if n.entering}
    maker = _BriefMaker(store.get_nodes(ends))
    return {node_id: maker.service(n) for node_id, n in found.items()}


class _BriefMaker:
    """Makes briefs, each category use, country and provider once."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.uses: dict[tuple[str, tuple[str, ...]], CategoryBrief] = {}
        self.about: dict[str, tuple[str, str, str]] = {}  # key, name, sensitivity
        self.named: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.countries: dict[str, CountryBrief] = {}
        self.providers: dict[str, Party] = {}

    def service(self, around: Neighbourhood) -> ServiceBrief:
        """Return the brief of a service from its own edges and the first that provides it."""
        categories = []
        countries = []
        engagements = []
        uses, known_countries = self.uses, self.countries
        for edge in around.leaving:
            target = edge.target
            kind = edge.kind
            if kind is _PROCESSES:
                keys = tuple(edge.attrs.get("subjects", ()))
                use = uses.get((target, keys))
                categories.append(use if use is not None else self.category(target, keys))
            elif kind is _PROCESSED_IN:
                country = known_countries.get(target)
                countries.append(country if country is not None else self.country(target))
            else:
                engagements.append(edge)
        provides = around.entering[0] if around.entering else None
        return ServiceBrief(
            around.node.id,
            around.node.name,
            None if provides is None else self.provider(provides.source),
            "unknown" if provides is None else str(provides.attrs.get("role", "unknown")),
            categories,
            countries,
            engagements,
        )

    def category(self, category_id: str, subjects: tuple[str, ...]) -> CategoryBrief:
        """Return the category ``category_id`` with the names of the data subjects given by
        vocabulary key (made once per pair, from parts each made once)."""
        about = self.about.get(category_id)
        if about is None:
            facts = category_facts(self.nodes[category_id])
            about = self.about[category_id] = (facts["key"], facts["name"], facts["sensitivity"])
        named = self.named.get(subjects)
        if named is None:
            named = self.named[subjects] = tuple(subject_names(subjects))
        use = self.uses[category_id, subjects] = CategoryBrief(*about, named)
        return use

    def country(self, country_id: str) -> CountryBrief:
        """Return the country or region node ``country_id`` in brief (made once)."""
        node = self.nodes[country_id]
        country = self.countries[country_id] = CountryBrief(
            code=str(node.attrs["code"]), name=node.name, eea=bool(node.attrs.get("eea"))
        )
        return country

    def provider(self, organisation: str) -> Party:
        """Return the reference to a providing organisation."""
        ref = self.providers.get(organisation)
        if ref is None:
            name = self.nodes[organisation].name
            ref = self.providers[organisation] = Party(id=organisation, name=name)
        return ref
