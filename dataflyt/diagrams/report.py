"""What a DPIA report holds for a scope: each service's processing (provider, role, purposes),
its data categories and subjects, recipients and sub-processors, places of processing with
their transfer status, the points needing the DPO's attention, the diagram and the sources,
every fact with its document, date, line and original wording."""

from __future__ import annotations

import msgspec

from dataflyt.diagrams.build import build_diagram, sources
from dataflyt.diagrams.findings import Attention, attention_points
from dataflyt.diagrams.model import Diagram
from dataflyt.diagrams.places import PlaceRow, place_rows
from dataflyt.diagrams.scope import Scope, ScopeKind, Selection, chain, select
from dataflyt.graph.model import Node
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import CategoryUse, Cite, ServiceView, cite
from dataflyt.reference.jurisdictions import country_name

__all__ = [
    "Document",
    "Recipient",
    "Report",
    "ServiceSection",
    "build_report",
]


class Document(msgspec.Struct, kw_only=True):
    """A source document: its title and date."""

    title: str
    date: str | None


class Recipient(msgspec.Struct, kw_only=True):
    """An organisation receiving a service's data: provider or sub-processor, and where."""

    name: str
    relation: str
    purpose: str | None = None
    categories: list[str] | None = None
    established: str | None = None
    places: list[PlaceRow]
    source: Cite | None = None


class ServiceSection(msgspec.Struct, kw_only=True):
    """One service as the report describes it."""

    id: str
    name: str
    provider: str | None
    role: str
    purposes: list[str]
    legal_basis: str | None = None
    retention: str | None = None
    categories: list[CategoryUse]
    recipients: list[Recipient]
    places: list[PlaceRow]
    source: Cite | None = None


class Report(msgspec.Struct, kw_only=True):
    """A DPIA report: title, scope, attention points, services, diagram and sources."""

    title: str
    scope: str
    attention: list[Attention]
    services: list[ServiceSection]
    diagram: Diagram
    documents: list[Document]


def _scope_text(selection: Selection) -> str:
    count = len(selection.views)
    services = f"{count} service" + ("" if count == 1 else "s")
    return {
        ScopeKind.SERVICE: "One service and everything it touches.",
        ScopeKind.ORGANISATION: f"The blast radius of a breach: {services} reached, along the "
        "whole sub-processor chain.",
        ScopeKind.CATEGORY: f"Every flow of this data category and its sub-categories: {services}.",
        ScopeKind.ALL: f"The whole map: {services}.",
    }[selection.scope.kind]


def _recipients(
    view: ServiceView,
    selection: Selection,
    places: dict[str, list[PlaceRow]],
    nodes: dict[str, Node],
) -> list[Recipient]:
    def established(org: str) -> str | None:
        code = nodes[org].attrs.get("country") if org in nodes else None
        return country_name(str(code)) if code else None

    found = []
    if view.provider:
        found.append(
            Recipient(
                name=view.provider.name,
                relation=f"Provider: {view.role_label}",
                established=established(view.provider.id),
                places=places.get(view.provider.id, []),
                source=view.source,
            )
        )
    start = [view.id, *([view.provider.id] if view.provider else [])]
    engagements = selection.engagements
    for edge in chain(start, lambda nodes: [e for e in engagements if e.source in nodes]):
        engager = view.name if edge.source == view.id else nodes[edge.source].name
        found.append(
            Recipient(
                name=nodes[edge.target].name,
                relation=f"Sub-processor of {engager}",
                purpose=edge.attrs.get("purpose"),
                categories=edge.attrs.get("categories"),
                established=established(edge.target),
                places=places.get(edge.target, []),
                source=cite(edge, nodes),
            )
        )
    return found


def build_report(store: GraphStore, scope: Scope) -> Report:
    """Return the DPIA report of ``scope``; raise a name error when its name does not resolve."""
    selection = select(store, scope)
    diagram = build_diagram(store, selection)
    orgs = {e.source for e in selection.engagements} | {e.target for e in selection.engagements}
    orgs |= {v.provider.id for v in selection.views.values() if v.provider}
    nodes = store.get_nodes(orgs | {e.doc for e in selection.engagements})
    places = place_rows(store, [*selection.views, *orgs])
    services = store.get_nodes(selection.views)
    sections = []
    for view in sorted(selection.views.values(), key=lambda v: (v.name.casefold(), v.id)):
        attrs = services[view.id].attrs
        shown = selection.shown.get(view.id)
        sections.append(
            ServiceSection(
                id=view.id,
                name=view.name,
                provider=view.provider.name if view.provider else None,
                role=view.role_label,
                purposes=list(attrs.get("purposes", [])),
                legal_basis=attrs.get("legal_basis"),
                retention=attrs.get("retention"),
                categories=[c for c in view.categories if shown is None or c.key in shown],
                recipients=_recipients(view, selection, places, nodes),
                places=places.get(view.id, []),
                source=view.source,
            )
        )
    return Report(
        title=selection.title,
        scope=_scope_text(selection),
        attention=attention_points(selection, [row for rows in places.values() for row in rows]),
        services=sections,
        diagram=diagram,
        documents=[Document(title=t, date=d) for t, d in sources(selection, nodes)],
    )
