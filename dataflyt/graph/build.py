"""Turning parsed documents into a ``GraphBatch``: stable node ids, one edge per fact, each
edge carrying the document, line and wording it came from."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from dataflyt.graph.model import Edge, EdgeKind, GraphBatch, Node, NodeKind, node_id
from dataflyt.loaders.models import (
    LocationFact,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
)
from dataflyt.reference.jurisdictions import is_eea
from dataflyt.reference.legal_forms import TRAILING_LEGAL_FORM
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["build_batch", "category_id", "document_id", "organisation_id", "service_id"]


def organisation_id(name: str) -> str:
    """Return the node id of an organisation: case, punctuation and legal suffix ignored."""
    base = name.strip()
    while True:
        stripped = TRAILING_LEGAL_FORM.sub("", base).strip(" ,.")
        if stripped == base or not stripped:
            break
        base = stripped
    return node_id(NodeKind.ORGANISATION, base)


def service_id(provider: str, name: str) -> str:
    """Return the node id of ``provider``'s service ``name``."""
    return node_id(NodeKind.SERVICE, organisation_id(provider).split(":", 1)[1], name)


def category_id(key: str) -> str:
    """Return the node id of the category with vocabulary key (or ``unmapped:slug``) ``key``."""
    return "category:" + key


def document_id(doc: ParsedDocument) -> str:
    """Return the node id of a document: the same provider and title is the same document."""
    return node_id(NodeKind.DOCUMENT, doc.provider, doc.title)


class _Batch:
    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[tuple[str, str, str, str], Edge] = {}

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
        if previous is not None and "subjects" in previous.attrs:
            subjects = sorted(set(previous.attrs["subjects"]) | set(attrs.get("subjects", [])))
            edge = previous.model_copy(update={"attrs": {**previous.attrs, "subjects": subjects}})
        elif previous is not None:
            return
        self.edges[edge.key] = edge


def _organisation(batch: _Batch, name: str, doc: str, line: int | None, **attrs: Any) -> str:
    org = organisation_id(name)
    existing = batch.nodes.get(org)
    known = {k: v for k, v in attrs.items() if v not in (None, [])}
    batch.nodes[org] = Node(
        id=org,
        kind=NodeKind.ORGANISATION,
        name=existing.name if existing else name,
        attrs={**(existing.attrs if existing else {}), **known},
    )
    batch.edge(org, doc, EdgeKind.DESCRIBED_IN, doc, line, name)
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
            id=node_id(NodeKind.SUBJECT, key),
            kind=NodeKind.SUBJECT,
            name=entry.en,
            attrs={"key": key, "no": entry.no, "dpv": entry.dpv},
        )
    )


def _service(batch: _Batch, record: ServiceRecord, doc: str) -> None:
    line = record.source.line
    provider = _organisation(batch, record.provider, doc, line)
    service = batch.node(
        Node(
            id=service_id(record.provider, record.name),
            kind=NodeKind.SERVICE,
            name=record.name,
            attrs={"provider": record.provider, "portals": record.portals},
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
        org = _organisation(batch, sub.name, doc, sub.source.line)
        batch.edge(
            service,
            org,
            EdgeKind.ENGAGES,
            doc,
            sub.source.line,
            sub.source.text,
            purpose=sub.purpose,
            categories=sub.categories,
        )
    for place in record.locations:
        _located(batch, service, place, doc)


def _located(batch: _Batch, source: str, place: LocationFact, doc: str) -> None:
    country = batch.node(
        Node(
            id=node_id(NodeKind.COUNTRY, place.code),
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
    )


def _relation(batch: _Batch, relation: OrganisationRelation, doc: str) -> None:
    sub = relation.subprocessor
    org = _organisation(batch, relation.organisation, doc, sub.source.line)
    target = _organisation(batch, sub.name, doc, sub.source.line)
    batch.edge(
        org,
        target,
        EdgeKind.ENGAGES,
        doc,
        sub.source.line,
        sub.source.text,
        purpose=sub.purpose,
        categories=sub.categories,
    )
    for place in relation.locations:
        _located(batch, target, place, doc)


def build_batch(documents: Iterable[ParsedDocument]) -> GraphBatch:
    """Return the nodes and edges that ``documents`` state, ready to replace them in a store."""
    batch = _Batch()
    docs: dict[str, Node] = {}
    for parsed in documents:
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
