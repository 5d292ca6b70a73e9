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
    engagement_facts,
    places_by,
    role_label,
    service_facts,
)
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.resolve import KIND_WORDS, resolve_name

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
    """An organisation's view: services it provides, engagements of it, engagements it makes
    (itself or through its services), groups and members, and each document's statement."""

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
    engagers = sorted({e.source for e in edges if isinstance(e, Engages) and e.target == org.id})
    engager_services = [s for s in engagers if s in nodes and nodes[s].kind is NodeKind.SERVICE]
    facts = service_facts(store, [*services, *engager_services])
    engages = [
        Engagement(by=OrganisationRef(id=service, name=facts[service].name), facts=e)
        for service in services
        if service in facts
        for e in facts[service].engagements
    ]
    engaged_by = [
        Engagement(by=OrganisationRef(id=s, name=facts[s].name), facts=e)
        for s in engager_services
        for e in facts[s].engagements
        if e.organisation.id == org.id
    ]
    # organisations engaging it, or it engaging others, for all their processing
    for engagement in _organisation_engagements(store, org.id, engagers, nodes):
        (engages if engagement.by.id == org.id else engaged_by).append(engagement)
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


def _organisation_engagements(
    store: GraphStore, org: str, engagers: list[str], nodes: dict[str, AnyNode]
) -> list[Engagement]:
    """Return the engagements made by organisations (not services) that involve ``org``: its
    own, and those of the organisations engaging it, each with that engagement's places."""
    parties = [org, *(e for e in engagers if nodes[e].kind is NodeKind.ORGANISATION)]
    edges = [
        e
        for e in store.edges(parties, Direction.OUT, [EdgeKind.ENGAGES])
        if isinstance(e, Engages) and (e.source == org or e.target == org)
    ]
    ends = {e.target for e in edges} | {e.source for e in edges}
    placed = store.edges(ends, Direction.OUT, [EdgeKind.PROCESSED_IN])
    known = store.get_nodes(
        ends | {e.doc for e in edges} | {e.target for e in placed} | {e.doc for e in placed}
    )
    stated = places_by(placed)
    return [
        Engagement(
            by=OrganisationRef(id=e.source, name=known[e.source].name),
            facts=engagement_facts(e, stated, known),
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
