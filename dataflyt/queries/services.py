"""What the map says about services, each fact with its source: the shared building block of
``touches``, ``breach`` and the diagrams."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import msgspec

from dataflyt.collector import collector_paused
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node, provider_role, subject_keys
from dataflyt.graph.store import GraphStore
from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "CategoryUse",
    "Cite",
    "CountryUse",
    "Ref",
    "ServiceView",
    "SubProcessorUse",
    "category_facts",
    "cite",
    "cite_values",
    "service_facts",
    "service_views",
    "subject_names",
]


class Cite(msgspec.Struct, kw_only=True):
    """Where a fact comes from: document title, its date, file, line and original wording."""

    document: str
    date: str | None = None
    path: str | None = None
    line: int | None = None
    text: str | None = None


class Ref(msgspec.Struct, kw_only=True):
    """A node referred to by id and display name."""

    id: str
    name: str


class CategoryUse(msgspec.Struct, kw_only=True):
    """A data category a service processes, whose data it is, and where that is written."""

    key: str
    name: str
    subjects: list[str]
    sensitivity: str
    open_ended: bool = False
    mapped: bool = True
    source: Cite


class SubProcessorUse(msgspec.Struct, kw_only=True):
    """An organisation a service engages, its purpose, and what it receives if stated."""

    id: str
    name: str
    purpose: str | None = None
    categories: list[str] | None = None
    source: Cite


class CountryUse(msgspec.Struct, kw_only=True):
    """A place where a service's data is processed."""

    name: str
    code: str
    eea: bool
    region: bool = False
    exhaustive: bool = True
    note: str | None = None
    source: Cite


class ServiceView(msgspec.Struct, kw_only=True):
    """One service with its provider, role, categories, subjects, sub-processors, countries."""

    id: str
    name: str
    provider: Ref | None
    role: str
    role_label: str
    categories: list[CategoryUse]
    data_subjects: list[str]
    subprocessors: list[SubProcessorUse]
    countries: list[CountryUse]
    portals: list[str] = msgspec.field(default_factory=list)
    source: Cite | None = None


def cite(edge: Edge, documents: dict[str, Node]) -> Cite:
    """Return the citation of ``edge``: its document's title and date, line and wording."""
    return msgspec.convert(cite_values(edge, documents), Cite)


def cite_values(edge: Edge, documents: dict[str, Node]) -> dict[str, Any]:
    """Return the citation of ``edge`` as plain values (the fields of ``Cite``)."""
    doc = documents.get(edge.doc)
    if doc is None:
        return {"document": edge.doc, "line": edge.line, "text": edge.text}
    return {
        "document": doc.name,
        "date": doc.attrs.get("date"),
        "path": doc.attrs.get("path"),
        "line": edge.line,
        "text": edge.text,
    }


def service_facts(store: GraphStore, service_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Return what the map says about every existing service in ``service_ids``, keyed by id,
    as plain values shaped like ``ServiceView``. Values that are the same for several
    services are shared: treat them as read-only."""
    ids = sorted(set(service_ids))
    kinds = [EdgeKind.PROCESSES, EdgeKind.PROCESSED_IN, EdgeKind.ENGAGES, EdgeKind.DESCRIBED_IN]
    outgoing = store.edges(ids, Direction.OUT, kinds)
    incoming = store.edges(ids, Direction.IN, [EdgeKind.PROVIDES])
    edges = outgoing + incoming
    wanted = (
        {e.source for e in edges} | {e.target for e in edges} | set(ids) | {e.doc for e in edges}
    )
    nodes = store.get_nodes(wanted)
    by_service: dict[str, list[Edge]] = {}
    for edge in outgoing:
        by_service.setdefault(edge.source, []).append(edge)
    for edge in incoming:
        by_service.setdefault(edge.target, []).append(edge)
    maker = _FactMaker(nodes)
    return {
        service: maker.service(service, by_service.get(service, []))
        for service in ids
        if service in nodes
    }


def service_views(store: GraphStore, service_ids: Iterable[str]) -> dict[str, ServiceView]:
    """Return a view of every existing service in ``service_ids``, keyed by id."""
    # plain values first, then one validation of them all: far cheaper than a model per fact
    with collector_paused():
        return msgspec.convert(service_facts(store, service_ids), dict[str, ServiceView])


def category_facts(node: Node) -> dict[str, Any]:
    """Return what a data category node says of itself: its vocabulary key, name,
    sensitivity, whether it is open-ended and whether it is mapped to the vocabulary."""
    return {
        "key": str(node.attrs.get("key", node.id.split(":", 1)[1])),
        "name": node.name,
        "sensitivity": str(node.attrs.get("sensitivity", "normal")),
        "open_ended": bool(node.attrs.get("open_ended", False)),
        "mapped": not node.attrs.get("unmapped", False),
    }


def subject_names(keys: Iterable[str]) -> list[str]:
    """Return the English names of data subjects given by vocabulary key (a key the
    vocabulary does not know stays as it is)."""
    names = vocabulary().subjects
    return [names[key].en if key in names else key for key in keys]


class _FactMaker:
    """Turns a service's edges into plain facts, working out each category and each list of
    data subjects once however many services share it."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.roles = vocabulary().roles
        self.categories: dict[str, dict[str, Any]] = {}
        self.subjects: dict[tuple[str, ...], list[str]] = {}

    def service(self, service: str, own: list[Edge]) -> dict[str, Any]:
        """Return the facts of ``service`` from its own edges (one pass over them)."""
        nodes = self.nodes
        provides = described = None
        categories: list[dict[str, Any]] = []
        subprocessors: list[dict[str, Any]] = []
        countries: list[dict[str, Any]] = []
        for edge in own:
            kind = edge.kind
            if kind is EdgeKind.PROCESSES:
                categories.append(self.category_use(edge))
            elif kind is EdgeKind.PROCESSED_IN:
                countries.append(self.country_use(edge))
            elif kind is EdgeKind.ENGAGES:
                subprocessors.append(self.subprocessor_use(edge))
            elif kind is EdgeKind.PROVIDES:
                provides = provides or edge
            elif kind is EdgeKind.DESCRIBED_IN:
                described = described or edge
        role = provider_role(provides.attrs if provides else {})
        return {
            "id": service,
            "name": nodes[service].name,
            "provider": {"id": provides.source, "name": nodes[provides.source].name}
            if provides
            else None,
            "role": role,
            "categories": categories,
            "data_subjects": sorted({s for c in categories for s in c["subjects"]}),
            "countries": countries,
            "role_label": self.roles[role].en if role in self.roles else role,
            "subprocessors": subprocessors,
            "portals": list(nodes[service].attrs.get("portals", [])),
            "source": cite_values(described, nodes) if described else None,
        }

    def subprocessor_use(self, edge: Edge) -> dict[str, Any]:
        """Return the facts of one ``ENGAGES`` edge: whom, for what, receiving what."""
        return {
            "id": edge.target,
            "name": self.nodes[edge.target].name,
            "purpose": edge.attrs.get("purpose"),
            "categories": edge.attrs.get("categories"),
            "source": cite_values(edge, self.nodes),
        }

    def country_use(self, edge: Edge) -> dict[str, Any]:
        """Return the facts of one ``PROCESSED_IN`` edge: the country and how sure that is."""
        country = self.nodes[edge.target]
        return {
            "name": country.name,
            "code": country.attrs["code"],
            "eea": bool(country.attrs.get("eea")),
            "region": bool(country.attrs.get("region")),
            "exhaustive": bool(edge.attrs.get("exhaustive", True)),
            "note": edge.attrs.get("note"),
            "source": cite_values(edge, self.nodes),
        }

    def category_use(self, edge: Edge) -> dict[str, Any]:
        """Return the facts of one ``PROCESSES`` edge: the category and whose data it is."""
        category = self.categories.get(edge.target)
        if category is None:
            category = self.categories[edge.target] = category_facts(self.nodes[edge.target])
        return {
            **category,
            "subjects": self.subjects_named(subject_keys(edge.attrs)),
            "source": cite_values(edge, self.nodes),
        }

    def subjects_named(self, keys: tuple[str, ...]) -> list[str]:
        """Return the English names of data subjects given by vocabulary key."""
        subjects = self.subjects.get(keys)
        if subjects is None:
            subjects = self.subjects[keys] = subject_names(keys)
        return subjects
