"""``show`` and ``list``: one node with every fact about it, and the nodes of one kind.

A service is shown with its facts (``facts.ServiceFacts``); an organisation with the services
it provides, who engages it (with each engagement's purpose and places), the sub-processors it
engages itself or through its services (with theirs), the groups it belongs to or the entities
it groups, and what each document says of it; any node also with every edge, cited.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import msgspec

from dataflyt.errors import UnknownNameError
from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    DescribedIn,
    Direction,
    Document,
    Edge,
    EdgeKind,
    Engages,
    NodeKind,
    PartOf,
    ProcessedIn,
    Provides,
)
from dataflyt.graph.store import GraphStore
from dataflyt.queries.facts import (
    EngagementFacts,
    OrganisationRef,
    ServiceFacts,
    certified_among,
    engagement_facts,
    places_by,
    processing_in_us,
    role_label,
    service_facts,
)
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.resolve import KIND_WORDS, resolve_name
from dataflyt.reference.safeguards import safeguard_names

__all__ = [
    "Engagement",
    "ListKind",
    "ListedNode",
    "Listing",
    "Neighbour",
    "OrganisationFacts",
    "Provided",
    "ShowResult",
    "list_nodes",
    "show",
    "show_node",
]

_KINDS = {
    ListKind.SERVICES: NodeKind.SERVICE,
    ListKind.ORGANISATIONS: NodeKind.ORGANISATION,
    ListKind.CATEGORIES: NodeKind.CATEGORY,
    ListKind.SUBJECTS: NodeKind.SUBJECT,
    ListKind.COUNTRIES: NodeKind.COUNTRY,
    ListKind.DOCUMENTS: NodeKind.DOCUMENT,
}


class Neighbour(msgspec.Struct, kw_only=True, frozen=True):
    """An edge of the shown node: what it says, its direction, the node at the other end,
    its facts as "field: value" texts, and its source."""

    relation: str
    direction: str
    id: str
    name: str
    kind: str
    details: list[str]
    source: Citation


class Provided(msgspec.Struct, kw_only=True, frozen=True):
    """A service an organisation provides, and in which role."""

    service: str
    service_id: str
    role: str
    source: Citation


class Engagement(msgspec.Struct, kw_only=True, frozen=True):
    """One engagement seen from an organisation: who engages whom (``by`` engages
    ``facts.organisation``) and what the engaging document states of it."""

    by: OrganisationRef
    facts: EngagementFacts


class OrganisationFacts(msgspec.Struct, kw_only=True, frozen=True):
    """An organisation's view: services it provides, engagements of it (by the engaging side's
    name), engagements it makes (its services', then its own), groups and members, and each
    document's statement."""

    provides: list[Provided]
    engaged_by: list[Engagement]
    engages: list[Engagement]
    part_of: list[OrganisationRef]
    members: list[OrganisationRef]
    described: list[Neighbour]


class ShowResult(msgspec.Struct, kw_only=True, frozen=True):
    """One node, what kind it is, and every fact about it: a service's facts, an
    organisation's view, and the edges of any node."""

    id: str
    name: str
    kind: str
    service: ServiceFacts | None = None
    organisation: OrganisationFacts | None = None
    neighbours: list[Neighbour]


class ListedNode(msgspec.Struct, kw_only=True, frozen=True):
    """A node in a listing; a document version with its validity."""

    id: str
    name: str
    document: Document | None = None


class Listing(msgspec.Struct, kw_only=True, frozen=True):
    """The nodes of one kind, sorted by name."""

    kind: str
    items: list[ListedNode]


# an edge's ends and citation, which ``_details`` leaves out
_CITED_ENDS = frozenset({"source", "target", "doc", "page", "line", "text"})


@cache
def _own_fields(kind: type[Edge]) -> tuple[msgspec.structs.FieldInfo, ...]:
    """Return the fields of an edge type besides its ends and citation (msgspec evaluates a
    type's annotations each time it is asked, the same for every edge of the type)."""
    return tuple(f for f in msgspec.structs.fields(kind) if f.name not in _CITED_ENDS)


def _details(edge: AnyEdge, nodes: Mapping[str, AnyNode]) -> list[str]:
    """Return an edge's own facts as "field: value" texts (ends and citation left out; the
    sub-processor a place is ``by`` named)."""
    shown = []
    for field in _own_fields(type(edge)):
        value = getattr(edge, field.name)
        if value == field.default or value in (None, (), ""):
            continue
        if field.name == "by" and value in nodes:
            value = nodes[value].name
        elif field.name == "safeguards":
            value = tuple(safeguard_names(value))
        text = ", ".join(value) if isinstance(value, tuple) else str(value)
        shown.append(f"{field.name.replace('_', ' ')}: {text}")
    return shown


def _neighbours(
    store: GraphStore, node: AnyNode, edges: list[AnyEdge]
) -> tuple[list[Neighbour], dict[str, AnyNode]]:
    """Return ``node``'s ``edges`` (all of them) as neighbours, and the nodes they name."""
    others = {e.target if e.source == node.id else e.source for e in edges}
    by = {e.by for e in edges if isinstance(e, ProcessedIn) and e.by}
    nodes = store.get_nodes(others | by | {e.doc for e in edges} | {node.id})
    found = []
    for edge in edges:
        outgoing = edge.source == node.id
        other = nodes.get(edge.target if outgoing else edge.source)
        if other is None:
            continue
        found.append(
            Neighbour(
                relation=edge.kind.value,
                direction="out" if outgoing else "in",
                id=other.id,
                name=other.name,
                kind=KIND_WORDS[other.kind],
                details=_details(edge, nodes),
                source=cite(edge, nodes),
            )
        )
    found.sort(key=lambda n: (n.relation, n.name.casefold(), n.id, n.source.document))
    return found, nodes


def _organisation(
    store: GraphStore, org: AnyNode, edges: list[AnyEdge], nodes: dict[str, AnyNode]
) -> OrganisationFacts:
    """Return what the map says of the organisation ``org``, from its ``edges`` (all of them)
    and ``nodes`` holding the nodes they name."""
    provides = [e for e in edges if isinstance(e, Provides) and e.source == org.id]
    services = [e.target for e in provides]
    facts = service_facts(store, services)
    engaged = [e for e in edges if isinstance(e, Engages)]
    # its services' engagements, then its own (for all its processing)
    engages = [
        Engagement(by=OrganisationRef(id=service, name=facts[service].name), facts=e)
        for service in services
        if service in facts
        for e in facts[service].engagements
    ] + _engagements(store, [e for e in engaged if e.source == org.id])
    engaged_by = _engagements(store, [e for e in engaged if e.target == org.id])
    engaged_by.sort(key=lambda e: (e.by.name.casefold(), e.by.id))
    part_of = [e for e in edges if isinstance(e, PartOf)]
    return OrganisationFacts(
        provides=[
            Provided(
                service=nodes[e.target].name,
                service_id=e.target,
                role=role_label(e.role),
                source=cite(e, nodes),
            )
            for e in provides
        ],
        engaged_by=engaged_by,
        engages=engages,
        part_of=_refs(nodes, [e.target for e in part_of if e.source == org.id]),
        members=_refs(nodes, [e.source for e in part_of if e.target == org.id]),
        described=[
            Neighbour(
                relation=e.kind.value,
                direction="out",
                id=e.target,
                name=nodes[e.target].name,
                kind="document",
                details=_details(e, nodes),
                source=cite(e, nodes),
            )
            for e in edges
            if isinstance(e, DescribedIn) and e.source == org.id
        ],
    )


def _engagements(store: GraphStore, edges: list[Engages]) -> list[Engagement]:
    """Return these engagements, each with what its engaging document states and the places
    its sub-processor processes in (those stated for it, then the sub-processor's own), judged
    with the sub-processor's certification under the EU-US Data Privacy Framework."""
    ends = {e.target for e in edges} | {e.source for e in edges}
    wanted = {(e.source, e.target) for e in edges} | {(e.target, "") for e in edges}
    stated = {
        key: places
        for key, places in places_by(
            store.edges(ends, Direction.OUT, [EdgeKind.PROCESSED_IN])
        ).items()
        if key in wanted
    }
    placed = [p for places in stated.values() for p in places]
    certified = certified_among(store, processing_in_us(placed, {}))
    known = store.get_nodes(
        ends | {e.doc for e in edges} | {p.target for p in placed} | {p.doc for p in placed}
    )
    return [
        Engagement(
            by=OrganisationRef(id=e.source, name=known[e.source].name),
            facts=engagement_facts(e, stated, known, certified=e.target in certified),
        )
        for e in edges
    ]


def _refs(nodes: dict[str, AnyNode], ids: list[str]) -> list[OrganisationRef]:
    return [OrganisationRef(id=i, name=nodes[i].name) for i in sorted(set(ids)) if i in nodes]


def show(store: GraphStore, name: str, kind: NodeKind | None = None) -> ShowResult:
    """Return the node ``name`` resolves to (of ``kind`` when given) with every fact about
    it and its source."""
    return _shown(store, resolve_name(store, name, kind))


def show_node(store: GraphStore, node_id: str) -> ShowResult:
    """Return the node with id ``node_id`` with every fact about it and its source, as
    ``show`` gives it: for a page that already knows which node it shows, where a typed name
    may be ambiguous. Raise ``UnknownNameError`` when the map holds no such node."""
    node = store.node(node_id)
    if node is None:
        raise UnknownNameError("node", node_id, [])
    return _shown(store, node)


def _shown(store: GraphStore, node: AnyNode) -> ShowResult:
    edges = store.edges([node.id], Direction.BOTH)
    neighbours, nodes = _neighbours(store, node, edges)
    service = None
    organisation = None
    if node.kind is NodeKind.SERVICE:
        service = service_facts(store, [node.id]).get(node.id)
    elif node.kind is NodeKind.ORGANISATION:
        organisation = _organisation(store, node, edges, nodes)
    return ShowResult(
        id=node.id,
        name=node.name,
        kind=KIND_WORDS[node.kind],
        service=service,
        organisation=organisation,
        neighbours=neighbours,
    )


def list_nodes(store: GraphStore, kind: ListKind) -> Listing:
    """Return every node of ``kind`` in the map (as of the store's date), sorted by name;
    document versions with their validity."""
    nodes = store.nodes(_KINDS[kind])
    items = [
        ListedNode(id=n.id, name=n.name, document=n if isinstance(n, Document) else None)
        for n in nodes
    ]
    items.sort(key=lambda n: (n.name.casefold(), n.id))
    return Listing(kind=kind.value, items=items)
