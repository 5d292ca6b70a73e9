"""What a DPIA report holds for a scope: each service's processing (provider, role, purposes,
legal basis, retention, security measures), its data categories and subjects, every recipient
with its purpose, the categories it receives and its places, the service's places of
processing with their transfer status, the points needing the DPO's attention, the diagram
and the sources; every fact with its document, date, page or line and original wording, and
the date the report describes."""

from __future__ import annotations

import msgspec

from dataflyt.diagrams.attention import Attention
from dataflyt.diagrams.build import build_diagram, established_in, sources
from dataflyt.diagrams.findings import attention_points
from dataflyt.diagrams.model import Diagram
from dataflyt.diagrams.scope import Scope, ScopeKind, Selection, select
from dataflyt.graph.citation import Citation
from dataflyt.graph.store import GraphStore
from dataflyt.queries.chains import ChainEngagement
from dataflyt.queries.facts import CategoryUse, ServiceFacts
from dataflyt.queries.places import PlaceUse
from dataflyt.reference.jurisdictions import country_name
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["Recipient", "Report", "ServiceSection", "Source", "build_report"]


class Source(msgspec.Struct, kw_only=True, frozen=True):
    """A source document: its title and date."""

    title: str
    date: str | None


class Recipient(msgspec.Struct, kw_only=True, frozen=True):
    """An organisation receiving a service's data: its provider, a sub-processor on the
    chain, or another recipient a document names; the purpose (None: not stated), the
    categories it receives (None: not stated, every category of the service assumed), the
    country it is established in and where it processes the data ([]: not stated)."""

    name: str
    relation: str
    purpose: str | None = None
    categories: list[str] | None = None
    established: str | None = None
    places: list[PlaceUse] = msgspec.field(default_factory=list)
    source: Citation | None = None


class ServiceSection(msgspec.Struct, kw_only=True, frozen=True):
    """One service as the report describes it; empty lists are things no document states."""

    id: str
    name: str
    provider: str | None
    role: str
    purposes: list[str]
    legal_basis: str | None = None
    retention: str | None = None
    security_measures: str | None = None
    categories: list[CategoryUse]
    data_subjects: list[str]
    recipients: list[Recipient]
    places: list[PlaceUse]
    source: Citation | None = None


class Report(msgspec.Struct, kw_only=True, frozen=True):
    """A DPIA report: title, scope, the date it describes, attention points, services,
    diagram and sources."""

    title: str
    scope: str
    describes: str
    attention: list[Attention]
    services: list[ServiceSection]
    diagram: Diagram
    documents: list[Source]


def _scope_text(selection: Selection) -> str:
    count = len(selection.services)
    services = f"{count} service" + ("" if count == 1 else "s")
    return {
        ScopeKind.SERVICE: "One service and everything it touches.",
        ScopeKind.ORGANISATION: f"The blast radius of a breach: {services} reached, along the "
        "whole sub-processor chain.",
        ScopeKind.CATEGORY: f"Every flow of this data category and its sub-categories: {services}.",
        ScopeKind.ALL: f"The whole map: {services}.",
    }[selection.scope.kind]


class _Recipients:
    """Every service's recipients, from the selection's chains."""

    def __init__(
        self, selection: Selection, categories: dict[str, str], established: dict[str, str]
    ) -> None:
        self.chains = selection.chains
        self.categories = categories
        self.established = {org: country_name(code) for org, code in established.items()}

    def of(self, service: ServiceFacts) -> list[Recipient]:
        """Return the recipients of ``service``: its provider, every sub-processor on its
        chain (once per statement of the engagement), then the other recipients its documents
        name."""
        found = []
        if service.provider:
            found.append(
                Recipient(
                    name=service.provider.name,
                    relation=f"Provider: {service.role_label}",
                    purpose="; ".join(service.purposes) or None,
                    categories=[c.name for c in service.categories] or None,
                    established=self.established.get(service.provider.id),
                    places=service.places,
                    source=service.source,
                )
            )
        for engagement in self.chains.get(service.id, []):
            facts = engagement.facts
            keys = facts.categories
            found.append(
                Recipient(
                    name=facts.organisation.name,
                    relation=_relation(engagement),
                    purpose=facts.purpose,
                    categories=None if keys is None else [self.categories.get(k, k) for k in keys],
                    established=self.established.get(facts.organisation.id),
                    places=facts.places,
                    source=facts.source,
                )
            )
        found += [
            Recipient(name=name, relation="Recipient, not a sub-processor", source=service.source)
            for name in service.recipients
        ]
        return found


def _relation(engagement: ChainEngagement) -> str:
    """Return how a sub-processor relates to the service: whose sub-processor it is, and
    through which service of the organisation engaging it."""
    if engagement.through is None:
        return f"Sub-processor of {engagement.by.name}"
    relation = f"Sub-processor of {engagement.through.name}, a service of {engagement.by.name}"
    if engagement.one_of_several:
        relation += " (one of several it provides: which carries the data is not stated)"
    return relation


def _section(
    service: ServiceFacts, shown: list[str] | None, recipients: list[Recipient]
) -> ServiceSection:
    """Return one service's section: of its categories those ``shown`` (the exposed or
    matched ones; None: all), and whose data those are, as ``breach`` and ``touches`` say."""
    categories = [c for c in service.categories if shown is None or c.key in shown]
    return ServiceSection(
        id=service.id,
        name=service.name,
        provider=service.provider.name if service.provider else None,
        role=service.role_label,
        purposes=service.purposes,
        legal_basis=service.legal_basis,
        retention=service.retention,
        security_measures=service.security_measures,
        categories=categories,
        data_subjects=sorted({s for c in categories for s in c.subjects}),
        recipients=recipients,
        places=service.places,
        source=service.source,
    )


def build_report(store: GraphStore, scope: Scope) -> Report:
    """Return the DPIA report of ``scope``; raise a name error when its name does not resolve."""
    selection = select(store, scope)
    names = {key: entry.en for key, entry in vocabulary().categories.items()}
    names.update({c.key: c.name for s in selection.services.values() for c in s.categories})
    orgs = {s.provider.id for s in selection.services.values() if s.provider}
    orgs |= {e.facts.organisation.id for e in selection.engagements}
    recipients = _Recipients(selection, names, established_in(store, sorted(orgs)))
    ordered = sorted(selection.services.values(), key=lambda s: (s.name.casefold(), s.id))
    return Report(
        title=selection.title,
        scope=_scope_text(selection),
        describes=selection.describes,
        attention=attention_points(selection),
        services=[_section(s, selection.shown.get(s.id), recipients.of(s)) for s in ordered],
        diagram=build_diagram(store, selection),
        documents=[Source(title=t, date=d) for t, d in sources(selection)],
    )
