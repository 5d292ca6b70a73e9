"""What the map says about services, each fact with its source: the shared building block of
``touches``, ``breach`` and the diagrams."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from pydantic import BaseModel, Field, TypeAdapter

from dataflyt.collector import collector_paused
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node
from dataflyt.graph.store import GraphStore
from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "CategoryUse",
    "Cite",
    "CountryUse",
    "Ref",
    "ServiceView",
    "SubProcessorUse",
    "cite",
    "service_facts",
    "service_views",
]


class Cite(BaseModel):
    """Where a fact comes from: document title, its date, file, line and original wording."""

    document: str
    date: str | None = None
    path: str | None = None
    line: int | None = None
    text: str | None = None


class Ref(BaseModel):
    """A node referred to by id and display name."""

    id: str
    name: str


class CategoryUse(BaseModel):
    """A data category a service processes, whose data it is, and where that is written."""

    key: str
    name: str
    subjects: list[str]
    sensitivity: str
    open_ended: bool = False
    mapped: bool = True
    source: Cite


class SubProcessorUse(BaseModel):
    """An organisation a service engages, its purpose, and what it receives if stated."""

    id: str
    name: str
    purpose: str | None = None
    categories: list[str] | None = None
    source: Cite


class CountryUse(BaseModel):
    """A place where a service's data is processed."""

    name: str
    code: str
    eea: bool
    region: bool = False
    exhaustive: bool = True
    note: str | None = None
    source: Cite


class ServiceView(BaseModel):
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
    portals: list[str] = Field(default_factory=list)
    source: Cite | None = None


def cite(edge: Edge, documents: dict[str, Node]) -> Cite:
    """Return the citation of ``edge``: its document's title and date, line and wording."""
    return Cite.model_validate(_cite(edge, documents))


def _cite(edge: Edge, documents: dict[str, Node]) -> dict[str, Any]:
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


def service_facts(
    store: GraphStore, service_ids: Iterable[str], *, citations: bool = True
) -> dict[str, dict[str, Any]]:
    """Return what the map says about every existing service in ``service_ids``, keyed by id,
    as plain values shaped like ``ServiceView`` (without ``source`` citations when
    ``citations`` is False): the cheap form for queries that summarise many services."""
    ids = sorted(set(service_ids))
    outgoing = store.edges(
        ids,
        Direction.OUT,
        [
            EdgeKind.PROCESSES,
            EdgeKind.ENGAGES,
            EdgeKind.PROCESSED_IN,
            EdgeKind.DESCRIBED_IN,
        ],
    )
    incoming = store.edges(ids, Direction.IN, [EdgeKind.PROVIDES])
    edges = outgoing + incoming
    wanted = {e.source for e in edges} | {e.target for e in edges} | set(ids)
    if citations:
        wanted |= {e.doc for e in edges}
    nodes = store.get_nodes(wanted)
    by_service: dict[str, list[Edge]] = {}
    for edge in outgoing:
        by_service.setdefault(edge.source, []).append(edge)
    for edge in incoming:
        by_service.setdefault(edge.target, []).append(edge)
    source = (lambda edge: _cite(edge, nodes)) if citations else (lambda edge: None)
    return {
        service: _facts(nodes, service, by_service.get(service, []), source)
        for service in ids
        if service in nodes
    }


def service_views(store: GraphStore, service_ids: Iterable[str]) -> dict[str, ServiceView]:
    """Return a view of every existing service in ``service_ids``, keyed by id."""
    # plain values first, then one validation of them all: far cheaper than a model per fact
    with collector_paused():
        return _views_adapter().validate_python(service_facts(store, service_ids))


def _facts(
    nodes: dict[str, Node],
    service: str,
    own: list[Edge],
    source: Callable[[Edge], dict[str, Any] | None],
) -> dict[str, Any]:
    roles = vocabulary().roles
    provides = next((e for e in own if e.kind is EdgeKind.PROVIDES), None)
    role = str(provides.attrs.get("role", "unknown")) if provides else "unknown"
    categories = [
        _category_use(e, nodes[e.target], source) for e in own if e.kind is EdgeKind.PROCESSES
    ]
    described = next((e for e in own if e.kind is EdgeKind.DESCRIBED_IN), None)
    return {
        "id": service,
        "name": nodes[service].name,
        "provider": {"id": provides.source, "name": nodes[provides.source].name}
        if provides
        else None,
        "role": role,
        "role_label": roles[role].en if role in roles else role,
        "categories": categories,
        "data_subjects": sorted({s for c in categories for s in c["subjects"]}),
        "subprocessors": [
            {
                "id": e.target,
                "name": nodes[e.target].name,
                "purpose": e.attrs.get("purpose"),
                "categories": e.attrs.get("categories"),
                "source": source(e),
            }
            for e in own
            if e.kind is EdgeKind.ENGAGES
        ],
        "countries": [
            {
                "name": nodes[e.target].name,
                "code": nodes[e.target].attrs["code"],
                "eea": bool(nodes[e.target].attrs.get("eea")),
                "region": bool(nodes[e.target].attrs.get("region")),
                "exhaustive": bool(e.attrs.get("exhaustive", True)),
                "note": e.attrs.get("note"),
                "source": source(e),
            }
            for e in own
            if e.kind is EdgeKind.PROCESSED_IN
        ],
        "portals": list(nodes[service].attrs.get("portals", [])),
        "source": source(described) if described else None,
    }


def _category_use(
    edge: Edge, category: Node, source: Callable[[Edge], dict[str, Any] | None]
) -> dict[str, Any]:
    subjects = vocabulary().subjects
    return {
        "key": str(category.attrs.get("key", category.id.split(":", 1)[1])),
        "name": category.name,
        "subjects": [
            subjects[s].en if s in subjects else s for s in edge.attrs.get("subjects", [])
        ],
        "sensitivity": str(category.attrs.get("sensitivity", "normal")),
        "open_ended": bool(category.attrs.get("open_ended", False)),
        "mapped": not category.attrs.get("unmapped", False),
        "source": source(edge),
    }


@cache
def _views_adapter() -> TypeAdapter[dict[str, ServiceView]]:
    # built on first use: building the validator costs start-up time commands like
    # ``breach`` never need
    return TypeAdapter(dict[str, ServiceView])
