"""What the map says about services, each fact with its source: the shared building block of
``touches``, ``breach`` and the diagrams."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, Field

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
    doc = documents.get(edge.doc)
    return Cite(
        document=doc.name if doc else edge.doc,
        date=doc.attrs.get("date") if doc else None,
        path=doc.attrs.get("path") if doc else None,
        line=edge.line,
        text=edge.text,
    )


def service_views(store: GraphStore, service_ids: Iterable[str]) -> dict[str, ServiceView]:
    """Return a view of every existing service in ``service_ids``, keyed by id."""
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
    nodes = store.get_nodes({e.source for e in edges} | {e.target for e in edges} | set(ids))
    documents = {e.doc: nodes[e.doc] for e in edges if e.doc in nodes}
    documents |= store.get_nodes({e.doc for e in edges} - set(documents))
    roles = vocabulary().roles
    by_service: dict[str, list[Edge]] = {}
    for edge in outgoing:
        by_service.setdefault(edge.source, []).append(edge)
    for edge in incoming:
        by_service.setdefault(edge.target, []).append(edge)
    views: dict[str, ServiceView] = {}
    for service in ids:
        if service not in nodes:
            continue
        own = by_service.get(service, [])
        provides = next((e for e in own if e.kind is EdgeKind.PROVIDES), None)
        role = str(provides.attrs.get("role", "unknown")) if provides else "unknown"
        categories = [
            _category_use(e, nodes[e.target], documents)
            for e in own
            if e.kind is EdgeKind.PROCESSES
        ]
        described = next((e for e in own if e.kind is EdgeKind.DESCRIBED_IN), None)
        views[service] = ServiceView(
            id=service,
            name=nodes[service].name,
            provider=Ref(id=provides.source, name=nodes[provides.source].name)
            if provides
            else None,
            role=role,
            role_label=roles[role].en if role in roles else role,
            categories=categories,
            data_subjects=sorted({s for c in categories for s in c.subjects}),
            subprocessors=[
                SubProcessorUse(
                    id=e.target,
                    name=nodes[e.target].name,
                    purpose=e.attrs.get("purpose"),
                    categories=e.attrs.get("categories"),
                    source=cite(e, documents),
                )
                for e in own
                if e.kind is EdgeKind.ENGAGES
            ],
            countries=[
                CountryUse(
                    name=nodes[e.target].name,
                    code=nodes[e.target].attrs["code"],
                    eea=bool(nodes[e.target].attrs.get("eea")),
                    region=bool(nodes[e.target].attrs.get("region")),
                    exhaustive=bool(e.attrs.get("exhaustive", True)),
                    note=e.attrs.get("note"),
                    source=cite(e, documents),
                )
                for e in own
                if e.kind is EdgeKind.PROCESSED_IN
            ],
            portals=list(nodes[service].attrs.get("portals", [])),
            source=cite(described, documents) if described else None,
        )
    return views


def _category_use(edge: Edge, category: Node, documents: dict[str, Node]) -> CategoryUse:
    subjects = vocabulary().subjects
    return CategoryUse(
        key=str(category.attrs.get("key", category.id.split(":", 1)[1])),
        name=category.name,
        subjects=[subjects[s].en if s in subjects else s for s in edge.attrs.get("subjects", [])],
        sensitivity=str(category.attrs.get("sensitivity", "normal")),
        open_ended=bool(category.attrs.get("open_ended", False)),
        mapped=not category.attrs.get("unmapped", False),
        source=cite(edge, documents),
    )
