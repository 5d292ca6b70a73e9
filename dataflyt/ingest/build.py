"""Turning parsed documents into a ``GraphBatch``: stable node ids, one edge per fact, each
edge carrying the document, line and wording it came from.

One organisation written differently ("Zendesk", "Zendesk, Inc.", "ZENDESK INC") is one node;
aliases declared in a data map map other names onto it. Each document's spellings of an
organisation, and the country it states, stay on that document's ``DESCRIBED_IN`` edge, so
merges and disagreements between documents can be reported.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import pairwise
from typing import Any

import msgspec

from dataflyt.graph.model import Edge, EdgeKind, GraphBatch, Node, NodeKind
from dataflyt.ids import category_id, country_id, organisation_id, service_id, subject_id
from dataflyt.ids import document_id as make_document_id
from dataflyt.loaders.models import (
    DocumentFormat,
    LocationFact,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
    SubProcessorFact,
)
from dataflyt.reference.jurisdictions import is_eea
from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "alias_index",
    "build_batch",
    "document_id",
]

# list attributes that two statements of one fact in one document add up
_UNION_ATTRS = ("subjects", "spellings")


def document_id(doc: ParsedDocument) -> str:
    """Return the node id of a document: the same provider and title is the same document."""
    return make_document_id(doc.provider, doc.title)


def alias_index(documents: Iterable[ParsedDocument], known: Iterable[Node] = ()) -> dict[str, str]:
    """Return organisation id -> canonical name for the organisations whose name is settled:
    those with aliases among ``known`` nodes (already in a map), then those a data map
    declares, which win."""
    index: dict[str, str] = {}
    for node in known:
        for alias in [node.name, *node.attrs["aliases"]] if node.attrs.get("aliases") else []:
            index[organisation_id(alias)] = node.name
    for doc in documents:
        declared = doc.format is DocumentFormat.DATAMAP
        for record in doc.organisations:
            for alias in [record.name, *record.aliases] if declared or record.aliases else []:
                index[organisation_id(alias)] = record.name
    return index


class _Batch:
    def __init__(self, aliases: Mapping[str, str]) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str, str], Edge] = {}
        self.aliases = aliases

    def canonical(self, name: str) -> str:
        """Return the name an organisation goes by: its alias target, else ``name``."""
        return self.aliases.get(organisation_id(name), name)

    def node(self, node: Node) -> str:
        self.nodes.setdefault(node.id, node)
        return node.id

    def edge(
        self,
        source: str,
        target: str,
        kind: EdgeKind,
        doc: str,
        line: int | None,
        text: str | None,
        **attrs: Any,
    ) -> None:
        edge = Edge(
            source=source,
            target=target,
            kind=kind,
            doc=doc,
            line=line,
            text=text,
            attrs={k: v for k, v in attrs.items() if v is not None},
        )
        previous = self.edges.get(edge.key)
        if previous is not None:
            union = {
                key: sorted(set(previous.attrs[key]) | set(attrs.get(key) or []))
                for key in _UNION_ATTRS
                if key in previous.attrs
            }
            edge = msgspec.structs.replace(previous, attrs={**previous.attrs, **union})
        self.edges[edge.key] = edge


def _organisation(
    batch: _Batch, name: str, doc: str, line: int | None, country: str | None = None, **attrs: Any
) -> str:
    canonical = batch.canonical(name)
    org = organisation_id(canonical)
    existing = batch.nodes.get(org)
    known = {k: v for k, v in {**attrs, "country": country}.items() if v not in (None, [])}
    aliased = canonical != name or organisation_id(name) in batch.aliases
    batch.nodes[org] = Node(
        id=org,
        kind=NodeKind.ORGANISATION,
        name=canonical if aliased or not existing else existing.name,
        attrs={**(existing.attrs if existing else {}), **known},
    )
    batch.edge(org, doc, EdgeKind.DESCRIBED_IN, doc, line, name, spellings=[name], country=country)
    return org


def _category(batch: _Batch, key: str, label: str, doc: str) -> str:
    vocab = vocabulary()
    if key not in vocab.categories:
        return batch.node(
            Node(
                id=category_id(key),
                kind=NodeKind.CATEGORY,
                name=label,
                attrs={"key": key, "unmapped": True, "sensitivity": "unknown"},
            )
        )
    chain = [key, *vocab.ancestors(key)]
    for child, parent in pairwise(chain):
        batch.edge(category_id(child), category_id(parent), EdgeKind.CHILD_OF, doc, None, None)
    for entry_key in chain:
        entry = vocab.categories[entry_key]
        batch.node(
            Node(
                id=category_id(entry_key),
                kind=NodeKind.CATEGORY,
                name=entry.en,
                attrs={
                    "key": entry_key,
                    "no": entry.no,
                    "parent": entry.parent,
                    "fides": entry.fides,
                    "dpv": entry.dpv,
                    "sensitivity": entry.sensitivity,
                    "open_ended": entry.open_ended,
                },
            )
        )
    return category_id(key)


def _subject(batch: _Batch, key: str) -> str:
    entry = vocabulary().subjects[key]
    return batch.node(
        Node(
            id=subject_id(key),
            kind=NodeKind.SUBJECT,
            name=entry.en,
            attrs={"key": key, "no": entry.no, "dpv": entry.dpv},
        )
    )


def _service_attrs(record: ServiceRecord, provider: str) -> dict[str, Any]:
    stated = {
        "purposes": record.purposes,
        "recipients": record.recipients,
        "legal_basis": record.legal_basis,
        "retention": record.retention,
        "security_measures": record.security_measures,
    }
    return {
        "provider": provider,
        "portals": record.portals,
        **{key: value for key, value in stated.items() if value},
    }


def _service(batch: _Batch, record: ServiceRecord, doc: str) -> None:
    line = record.source.line
    provider = _organisation(batch, record.provider, doc, line)
    canonical = batch.canonical(record.provider)
    service = batch.node(
        Node(
            id=service_id(canonical, record.name),
            kind=NodeKind.SERVICE,
            name=record.name,
            attrs=_service_attrs(record, canonical),
        )
    )
    batch.edge(service, doc, EdgeKind.DESCRIBED_IN, doc, line, record.source.text)
    batch.edge(provider, service, EdgeKind.PROVIDES, doc, line, record.role_text, role=record.role)
    for fact in record.categories:
        category = _category(batch, fact.key, fact.label, doc)
        batch.edge(
            service,
            category,
            EdgeKind.PROCESSES,
            doc,
            fact.source.line,
            fact.label,
            subjects=fact.subjects,
            mapped=fact.mapped,
        )
        for subject in fact.subjects:
            batch.edge(
                service,
                _subject(batch, subject),
                EdgeKind.CONCERNS,
                doc,
                fact.source.line,
                fact.source.text,
            )
    for sub in record.subprocessors:
        _engage(batch, service, sub, doc)
    for place in record.locations:
        _located(batch, service, place, doc)


def _engage(batch: _Batch, source: str, sub: SubProcessorFact, doc: str) -> str:
    """Add ``source`` engaging ``sub`` and where ``sub`` processes; return the sub's node id."""
    org = _organisation(batch, sub.name, doc, sub.source.line)
    batch.edge(
        source,
        org,
        EdgeKind.ENGAGES,
        doc,
        sub.source.line,
        sub.source.text,
        purpose=sub.purpose,
        categories=sub.categories,
        countries=[place.code for place in sub.locations] or None,
    )
    for place in sub.locations:
        _located(batch, org, place, doc)
    return org


def _located(batch: _Batch, source: str, place: LocationFact, doc: str) -> None:
    country = batch.node(
        Node(
            id=country_id(place.code),
            kind=NodeKind.COUNTRY,
            name=place.name,
            attrs={
                "code": place.code,
                "region": place.is_region,
                "eea": True if place.code == "EEA" else is_eea(place.code),
            },
        )
    )
    batch.edge(
        source,
        country,
        EdgeKind.PROCESSED_IN,
        doc,
        place.source.line,
        place.source.text,
        exhaustive=place.exhaustive,
        note=place.note,
        safeguards=place.safeguards or None,
    )


def _relation(batch: _Batch, relation: OrganisationRelation, doc: str) -> None:
    sub = relation.subprocessor
    org = _organisation(batch, relation.organisation, doc, sub.source.line)
    target = _engage(batch, org, sub, doc)
    for place in relation.locations:
        _located(batch, target, place, doc)


def build_batch(
    documents: Iterable[ParsedDocument], aliases: Mapping[str, str] | None = None
) -> GraphBatch:
    """Return the nodes and edges that ``documents`` state, ready to replace them in a store.

    ``aliases`` (from ``alias_index``) maps organisation ids onto the name they stand for.
    Where documents disagree on an organisation's attributes, a data map's statement wins.
    """
    batch = _Batch(aliases or {})
    docs: dict[str, Node] = {}
    # a fixed order whatever order the files came in; data maps last, so what they state wins
    for parsed in sorted(documents, key=lambda d: (d.format is DocumentFormat.DATAMAP, d.path)):
        doc = document_id(parsed)
        docs[doc] = Node(
            id=doc,
            kind=NodeKind.DOCUMENT,
            name=parsed.title,
            attrs={
                "path": parsed.path,
                "provider": parsed.provider,
                "format": parsed.format.value,
                "date": parsed.date.isoformat() if parsed.date else None,
                "sha256": parsed.sha256,
                "services": len(parsed.services),
            },
        )
        for organisation in parsed.organisations:
            _organisation(
                batch,
                organisation.name,
                doc,
                organisation.source.line,
                aliases=organisation.aliases,
                country=organisation.country,
                dpf_certified=organisation.dpf_certified,
            )
        for record in parsed.services:
            _service(batch, record, doc)
        for relation in parsed.relations:
            _relation(batch, relation, doc)
    return GraphBatch(
        documents=sorted(docs.values(), key=lambda n: n.id),
        nodes=sorted(batch.nodes.values(), key=lambda n: n.id),
        edges=sorted(batch.edges.values(), key=lambda e: e.key),
    )
