"""Turning parsed documents into a ``GraphBatch``: stable node ids, one edge per fact, each
edge carrying the document version, page, line and wording it came from.

Every statement becomes a fact of the document that makes it, and only of the path it belongs
to: a service's own places are its ``ProcessedIn`` edges; the places a document states for a
sub-processor the service engages are the service's ``ProcessedIn`` edges marked ``by`` that
sub-processor (likewise for an organisation's engagements); what a document says of an
organisation or a service (spellings, aliases, country, purposes, retention, ...) sits on its
``DescribedIn`` edge to that document. Organisation names become nodes by ``names.NameResolver``.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import TypedDict

import msgspec

from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    ChildOf,
    Concerns,
    Country,
    DescribedIn,
    Document,
    Engages,
    GraphBatch,
    Organisation,
    PartOf,
    ProcessedIn,
    Processes,
    Provides,
    Service,
    Subject,
)
from dataflyt.ids import category_id, country_id, service_id, subject_id
from dataflyt.ingest.names import NameResolver
from dataflyt.loaders.models import (
    CategoryFact,
    LocationFact,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
)
from dataflyt.reference.jurisdictions import is_eea
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["IDENTITY_DETAILS", "build_batch"]

_KeyT = tuple[str, str, str, str, str]
# what a row says of who an organisation is, rather than of the engagement (loaders take these
# out of a name cell: "AWS Europe (...), B 186284, 38 Avenue John F. Kennedy, Luxembourg")
IDENTITY_DETAILS = frozenset({"registration number", "address"})


def _details(attributes: dict[str, str]) -> tuple[str, ...]:
    """Return a row's other columns as "label: value" texts, in the row's order."""
    return tuple(f"{label}: {value}" for label, value in attributes.items() if value)


class _Cited(TypedDict):
    """Where an edge comes from: the document version, page, line and wording."""

    doc: str
    page: int | None
    line: int | None
    text: str | None


def _cited(doc: str, source: Source, text: str | None = None) -> _Cited:
    """Return the provenance of a fact ``doc`` states at ``source`` (its wording ``text``,
    else the source line's own)."""
    return _Cited(doc=doc, page=source.page, line=source.line, text=text or source.text)


class _Batch:
    """The nodes and edges of a batch as they are gathered; a fact stated twice by one
    document is one edge (lists of spellings, aliases and subjects add up)."""

    def __init__(self, names: NameResolver) -> None:
        self.nodes: dict[str, AnyNode] = {}
        self.edges: dict[_KeyT, AnyEdge] = {}
        self.names = names

    def node(self, node: AnyNode) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def edge(self, edge: AnyEdge) -> None:
        previous = self.edges.get(edge.key)
        if previous is not None:
            edge = _combined(previous, edge)
        self.edges[edge.key] = edge

    def organisation(
        self, name: str, doc: str, source: Source, described: DescribedIn | None = None
    ) -> str:
        """Add the organisation ``name`` stands for and what ``doc`` says of it (the facts of
        ``described``, whose ends are set here); return its id."""
        found = self.names.resolve(name)
        self.node(Organisation(id=found.id, name=found.name))
        for member in found.members:
            self.edge(
                PartOf(
                    source=member,
                    target=found.id,
                    **_cited(doc, source, f"{name} stands for its legal entities"),
                )
            )
        said = described or DescribedIn(source="", target="", doc="")
        self.edge(
            msgspec.structs.replace(
                said,
                source=found.id,
                target=doc,
                **_cited(doc, source, name),
                spellings=(name,),
                # a group the reference data knows goes by its brands too
                aliases=tuple(dict.fromkeys((*said.aliases, *found.brands))),
            )
        )
        group = self.names.group_of(found.name)
        if group is not None and group.id != found.id:
            self.node(Organisation(id=group.id, name=group.name))
            if group.brands:  # the names the reference data gives the group
                self.edge(
                    DescribedIn(
                        source=group.id,
                        target=doc,
                        **_cited(
                            doc, source, f"{name}: of the group {group.name}, by the reference data"
                        ),
                        spellings=(group.name,),
                        aliases=group.brands,
                    )
                )
            self.edge(
                PartOf(
                    source=found.id,
                    target=group.id,
                    **_cited(doc, source, f"{name}: one of the legal entities of {group.name}"),
                )
            )
        return found.id


def _combined(previous: AnyEdge, edge: AnyEdge) -> AnyEdge:
    """Return one fact stated twice by one document: lists added up, the first values kept."""
    changes: dict[str, object] = {}
    for name in ("spellings", "aliases", "subjects", "details", "purposes", "safeguards"):
        old, new = getattr(previous, name, None), getattr(edge, name, None)
        if isinstance(old, tuple) and isinstance(new, tuple):
            changes[name] = tuple(dict.fromkeys((*old, *new)))
    return msgspec.structs.replace(previous, **changes) if changes else previous


def _category(batch: _Batch, fact: CategoryFact, doc: str) -> str:
    vocab = vocabulary()
    if fact.key not in vocab.categories:
        return batch.node(
            Category(
                id=category_id(fact.key),
                name=fact.label,
                key=fact.key,
                mapped=False,
                sensitivity="unknown",
            )
        )
    chain = [fact.key, *vocab.ancestors(fact.key)]
    for child, parent in pairwise(chain):
        batch.edge(ChildOf(source=category_id(child), target=category_id(parent), doc=doc))
    for key in chain:
        entry = vocab.categories[key]
        batch.node(
            Category(
                id=category_id(key),
                name=entry.en,
                key=key,
                name_no=entry.no,
                parent=entry.parent,
                fides=entry.fides,
                dpv=entry.dpv,
                sensitivity=entry.sensitivity,
                open_ended=entry.open_ended,
            )
        )
    return category_id(fact.key)


def _subject(batch: _Batch, key: str) -> str:
    entry = vocabulary().subjects[key]
    return batch.node(
        Subject(id=subject_id(key), name=entry.en, key=key, name_no=entry.no, dpv=entry.dpv)
    )


def _located(batch: _Batch, source: str, place: LocationFact, doc: str, by: str | None) -> None:
    country = batch.node(
        Country(
            id=country_id(place.code),
            name=place.name,
            code=place.code,
            region=place.is_region,
            eea=place.code == "EEA" or is_eea(place.code),
        )
    )
    batch.edge(
        ProcessedIn(
            source=source,
            target=country,
            **_cited(doc, place.source),
            exhaustive=place.exhaustive,
            safeguards=tuple(place.safeguards),
            note=place.note,
            by=by,
        )
    )


def _engage(batch: _Batch, engager: str, sub: SubProcessorFact, doc: str) -> None:
    """Add ``engager`` engaging ``sub``, with where ``sub`` processes for this engagement."""
    identity = {k: v for k, v in sub.attributes.items() if k in IDENTITY_DETAILS}
    said = DescribedIn(
        source="", target="", doc=doc, aliases=tuple(sub.aliases), details=_details(identity)
    )
    org = batch.organisation(sub.name, doc, sub.source, said)
    batch.edge(
        Engages(
            source=engager,
            target=org,
            **_cited(doc, sub.source),
            purpose=sub.purpose,
            categories=None if sub.categories is None else tuple(sub.categories),
            added=sub.added.isoformat() if sub.added else None,
            details=_details(
                {k: v for k, v in sub.attributes.items() if k not in IDENTITY_DETAILS}
            ),
        )
    )
    for place in sub.locations:
        _located(batch, engager, place, doc, by=org)


def _service(batch: _Batch, record: ServiceRecord, doc: str) -> None:
    source = record.source
    provider = batch.organisation(record.provider, doc, source)
    service = batch.node(
        Service(id=service_id(batch.nodes[provider].name, record.name), name=record.name)
    )
    batch.edge(
        DescribedIn(
            source=service,
            target=doc,
            **_cited(doc, source),
            purposes=tuple(record.purposes),
            recipients=tuple(record.recipients),
            legal_basis=record.legal_basis,
            retention=record.retention,
            security_measures=record.security_measures,
            portals=tuple(record.portals),
        )
    )
    batch.edge(
        Provides(
            source=provider,
            target=service,
            **_cited(doc, source, record.role_text),
            role=record.role,
        )
    )
    for fact in record.categories:
        category = _category(batch, fact, doc)
        batch.edge(
            Processes(
                source=service,
                target=category,
                **_cited(doc, fact.source, fact.label),
                subjects=tuple(fact.subjects),
            )
        )
        for key in fact.subjects:
            subject = _subject(batch, key)
            batch.edge(Concerns(source=service, target=subject, **_cited(doc, fact.source)))
    for sub in record.subprocessors:
        _engage(batch, service, sub, doc)
    for place in record.locations:
        _located(batch, service, place, doc, by=None)


def _relation(batch: _Batch, relation: OrganisationRelation, doc: str) -> None:
    org = batch.organisation(relation.organisation, doc, relation.subprocessor.source)
    _engage(batch, org, relation.subprocessor, doc)


def build_batch(
    documents: Iterable[tuple[ParsedDocument, Document]], names: NameResolver
) -> GraphBatch:
    """Return the nodes and edges that ``documents`` (each with the node of its version)
    state, ready to give those versions their facts in a store; organisation names resolve
    by ``names``."""
    batch = _Batch(names)
    versions: list[Document] = []
    for parsed, version in documents:
        doc = version.id
        versions.append(version)
        for record in parsed.organisations:
            said = DescribedIn(
                source="",
                target="",
                doc=doc,
                aliases=tuple(record.aliases),
                country=record.country,
                dpf_certified=record.dpf_certified,
                controller=record.controller,
                contact=record.contact,
                dpo_contact=record.dpo_contact,
            )
            batch.organisation(record.name, doc, record.source, said)
        for service in parsed.services:
            _service(batch, service, doc)
        for relation in parsed.relations:
            _relation(batch, relation, doc)
    return GraphBatch(
        documents=sorted(versions, key=lambda n: n.id),
        nodes=sorted(batch.nodes.values(), key=lambda n: n.id),
        edges=sorted(batch.edges.values(), key=lambda e: e.key),
    )
