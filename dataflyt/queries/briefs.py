"""What a query that sums up many services at once needs to know about each: its name,
provider, role, categories, countries and engagements, without citations, read in two store
calls (the services' outlines, then their categories and countries).

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

from dataflyt.graph.model import Edge, Node, Provision, ServiceOutline
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import category_facts, subject_names

__all__ = ["CategoryBrief", "CountryBrief", "Party", "ServiceBrief", "read_briefs"]


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
    by id (the services' outlines in one read, their categories and countries in a second)."""
    outlines = store.outlines(service_ids)
    ends = {pair[0] for o in outlines.values() for pair in o.categories}
    ends.update(country for o in outlines.values() for country in o.countries)
    maker = _BriefMaker(store.get_nodes(ends))
    return {node_id: maker.service(outline) for node_id, outline in outlines.items()}


class _BriefMaker:
    """Makes briefs, each category use, country and provider once."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.uses: dict[tuple[str, tuple[str, ...]], CategoryBrief] = {}
        self.about: dict[str, tuple[str, str, str]] = {}  # key, name, sensitivity
        self.named: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.countries: dict[str, CountryBrief] = {}
        self.providers: dict[str, Party] = {}

    def service(self, outline: ServiceOutline) -> ServiceBrief:
        """Return the brief of a service from its outline."""
        uses, known_countries = self.uses, self.countries
        categories = []
        for pair in outline.categories:
            use = uses.get(pair)
            categories.append(use if use is not None else self.category(*pair))
        countries = []
        for country_id in outline.countries:
            country = known_countries.get(country_id)
            countries.append(country if country is not None else self.country(country_id))
        provision = outline.provision
        return ServiceBrief(
            outline.id,
            outline.name,
            None if provision is None else self.provider(provision),
            "unknown" if provision is None else provision.role,
            categories,
            countries,
            outline.engagements,
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

    def provider(self, provision: Provision) -> Party:
        """Return the reference to a providing organisation."""
        ref = self.providers.get(provision.organisation)
        if ref is None:
            ref = self.providers[provision.organisation] = Party(
                id=provision.organisation, name=provision.name
            )
        return ref
