"""Nodes and edges of the data-flow graph, shared by every store.

Node kinds: service, organisation, data category, data subject, country (or region) and
source document. Every edge is a fact and carries its provenance: the document it came
from (``doc``, a document node id), the line in that file and the original wording.
Replacing a document removes exactly the edges whose ``doc`` is that document, then the
nodes left without any edge.

Nodes, edges and batches are frozen ``msgspec`` structs rather than pydantic models: a large
map holds hundreds of thousands of them, and msgspec decodes and validates a map file several
times faster than pydantic and defines its types in microseconds, which keeps the CLI's start-up
short. They are built either by code that already holds typed values (the loaders' pydantic
models, the stores) or by ``msgspec.convert``/``msgspec.json.decode``, which validate.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, NamedTuple

import msgspec

__all__ = [
    "Direction",
    "Edge",
    "EdgeKind",
    "GraphBatch",
    "Neighbourhood",
    "Node",
    "NodeKind",
    "Provision",
    "ServiceOutline",
    "combine_batches",
    "merge_nodes",
    "provider_role",
    "subject_keys",
]


class NodeKind(StrEnum):
    """What a node stands for; the value is also its Neo4j label."""

    SERVICE = "Service"
    ORGANISATION = "Organisation"
    CATEGORY = "DataCategory"
    SUBJECT = "DataSubject"
    COUNTRY = "Country"
    DOCUMENT = "Document"


class EdgeKind(StrEnum):
    """What an edge says; the value is also its Neo4j relationship type."""

    PROVIDES = "PROVIDES"  # organisation -> service, with the provider's role
    PROCESSES = "PROCESSES"  # service -> category, with the subjects whose data it is
    CONCERNS = "CONCERNS"  # service -> data subject
    ENGAGES = "ENGAGES"  # service or organisation -> sub-processor, with the purpose
    PROCESSED_IN = "PROCESSED_IN"  # service -> country, flagged when not exhaustive
    CHILD_OF = "CHILD_OF"  # category -> its parent category in the vocabulary
    DESCRIBED_IN = "DESCRIBED_IN"  # service or organisation -> its source document


def provider_role(attrs: dict[str, Any]) -> str:
    """Return the role a ``PROVIDES`` edge's attributes give the provider ("unknown" without
    one)."""
    return str(attrs.get("role", "unknown"))


def subject_keys(attrs: dict[str, Any]) -> tuple[str, ...]:
    """Return the vocabulary keys of the data subjects a ``PROCESSES`` edge's attributes name
    (whose data the service processes), in their order."""
    return tuple(attrs.get("subjects", ()))


class Direction(StrEnum):
    """Which edges of a node to follow: leaving it, entering it, or both."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


class Node(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One node: a stable id, its kind, a display name and kind-specific attributes."""

    id: str
    kind: NodeKind
    name: str
    attrs: dict[str, Any] = msgspec.field(default_factory=dict)


def merge_nodes(existing: Node | None, incoming: Node) -> Node:
    """Return the node a store keeps when ``incoming`` meets ``existing``: the stored name and
    kind, with both sets of attributes (the incoming values win on conflict)."""
    if existing is None:
        return incoming
    return msgspec.structs.replace(existing, attrs={**existing.attrs, **incoming.attrs})


class Edge(msgspec.Struct, frozen=True, omit_defaults=True, gc=False):
    """One fact between two nodes, with the document, line and wording it came from."""

    source: str
    target: str
    kind: EdgeKind
    doc: str
    line: int | None = None
    text: str | None = None
    attrs: dict[str, Any] = msgspec.field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """Return the identity of this fact: the same key twice is the same fact."""
        # ``_value_`` is the member's value as a plain attribute: ``value`` is a descriptor
        # that took two thirds of this method's time, and keys are made for every edge of a load
        return (self.source, self.kind._value_, self.target, self.doc)


class Neighbourhood(NamedTuple):
    """A node with some of its edges: those of the kinds asked for that leave it, and those
    that enter it, each list sorted by edge key."""

    node: Node
    leaving: list[Edge]
    entering: list[Edge]


class Provision(NamedTuple):
    """Who provides a service: the organisation's id and name, and its role."""

    organisation: str
    name: str
    role: str


class ServiceOutline(NamedTuple):
    """A service's own facts without citations, for queries that sum up many services.

    ``categories`` pairs each category it processes (by id) with the vocabulary keys of the
    data subjects whose data it is, and ``countries`` names the places where it is processed
    (by id), both in the order of their edges' keys, once per fact; ``engagements`` are its
    ENGAGES edges, in key order (a store may leave out their line and text); ``provision``
    comes from the first PROVIDES edge entering it (by key), None without one. Equal pairs
    and subject lists may be one shared object: treat it all as read-only.
    """

    id: str
    name: str
    provision: Provision | None
    categories: list[tuple[str, tuple[str, ...]]]
    countries: list[str]
    engagements: list[Edge]


class GraphBatch(msgspec.Struct, frozen=True):
    """Everything some documents say, ready to replace those documents in a store."""

    documents: list[Node]
    nodes: list[Node]
    edges: list[Edge]

    @property
    def document_ids(self) -> list[str]:
        """Return the ids of the documents this batch replaces."""
        return [doc.id for doc in self.documents]


def combine_batches(batches: list[GraphBatch]) -> GraphBatch:
    """Return one batch holding every batch's documents, nodes and edges (later ones win)."""
    documents: dict[str, Node] = {}
    nodes: dict[str, Node] = {}
    edges: dict[tuple[str, str, str, str], Edge] = {}
    for batch in batches:
        documents |= {doc.id: doc for doc in batch.documents}
        for node in batch.nodes:
            nodes[node.id] = merge_nodes(nodes.get(node.id), node)
        edges |= {edge.key: edge for edge in batch.edges}
    return GraphBatch(
        documents=sorted(documents.values(), key=lambda n: n.id),
        nodes=sorted(nodes.values(), key=lambda n: n.id),
        edges=sorted(edges.values(), key=lambda e: e.key),
    )
