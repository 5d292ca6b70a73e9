"""Nodes and edges of the data-flow graph, shared by every store.

Node kinds: service, organisation, data category, data subject, country (or region) and
document version. A node holds what it is (its name, and for a category or country what the
reference data says of it); everything a document states is an edge, and every edge carries its
provenance: the document version it came from (``doc``), the page and line in that file and the
original wording. Each edge kind is a struct of its own with typed facts (a ``Provides`` edge
has a role, a ``ProcessedIn`` edge its safeguards, ...).

A fact belongs to the statement that made it: a place a provider's document states for a
sub-processor its service engages is a ``ProcessedIn`` edge from that service to the place,
marked ``by`` the sub-processor ("the service's data is processed in Germany by Zendesk"); it
says nothing of the sub-processor's work for anyone else. A ``ProcessedIn`` edge without ``by``
from an organisation is where its own document says it processes, for everyone it works for.

Nodes and edges are frozen ``msgspec`` structs, tagged by their kind, so that a map file decodes
into the right type of each and validates in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar, NamedTuple

import msgspec

from dataflyt.ids import KIND_PREFIXES, normalised

__all__ = [
    "AnyEdge",
    "AnyNode",
    "Category",
    "ChildOf",
    "Concerns",
    "Country",
    "DescribedIn",
    "Direction",
    "Document",
    "Edge",
    "EdgeKind",
    "Engages",
    "GraphBatch",
    "Neighbourhood",
    "Node",
    "NodeKind",
    "Organisation",
    "PartOf",
    "ProcessedIn",
    "Processes",
    "Provides",
    "Service",
    "Subject",
    "kind_of",
    "merged_nodes",
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
    PROCESSED_IN = "PROCESSED_IN"  # service or organisation -> country, by a sub-processor
    CHILD_OF = "CHILD_OF"  # category -> its parent category in the vocabulary
    DESCRIBED_IN = "DESCRIBED_IN"  # service or organisation -> a document version about it
    PART_OF = "PART_OF"  # organisation (a legal entity) -> the group or brand it belongs to


class Direction(StrEnum):
    """Which edges of a node to follow: leaving it, entering it, or both."""

    OUT = "out"
    IN = "in"
    BOTH = "both"


_KIND_BY_PREFIX = {prefix: NodeKind(kind) for kind, prefix in KIND_PREFIXES.items()}


def kind_of(node_id: str) -> NodeKind:
    """Return the kind of the node with id ``node_id`` (ids start with their kind's prefix,
    ``dataflyt.ids``); raise ``ValueError`` for an id of no kind."""
    prefix = node_id.partition(":")[0]
    try:
        return _KIND_BY_PREFIX[prefix]
    except KeyError:
        raise ValueError(f"{node_id!r} is not a node id") from None


# -- nodes ----------------------------------------------------------------------------------


class Node(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="kind"):
    """A node: a stable id (from ``dataflyt.ids``) and the name it is shown by."""

    id: str
    name: str
    KIND: ClassVar[NodeKind]

    @property
    def kind(self) -> NodeKind:
        """Return what this node stands for."""
        return self.KIND


class Service(Node, frozen=True, tag=NodeKind.SERVICE.value):
    """A service that processes personal data; its provider, data and places are edges."""

    KIND = NodeKind.SERVICE


class Organisation(Node, frozen=True, tag=NodeKind.ORGANISATION.value):
    """An organisation: a legal entity, or a group or brand its entities are ``PART_OF``."""

    KIND = NodeKind.ORGANISATION


class Category(Node, frozen=True, tag=NodeKind.CATEGORY.value):
    """A data category: a vocabulary entry, or a term the vocabulary does not know
    (``mapped`` false, its name the document's wording and its sensitivity "unknown")."""

    KIND = NodeKind.CATEGORY
    key: str
    name_no: str | None = None
    parent: str | None = None
    sensitivity: str = "normal"
    open_ended: bool = False
    mapped: bool = True
    fides: str | None = None
    dpv: str | None = None


class Subject(Node, frozen=True, tag=NodeKind.SUBJECT.value):
    """A kind of data subject, from the vocabulary."""

    KIND = NodeKind.SUBJECT
    key: str
    name_no: str | None = None
    dpv: str | None = None


class Country(Node, frozen=True, tag=NodeKind.COUNTRY.value):
    """A country (ISO 3166-1 code) or a region (such as EEA or Worldwide)."""

    KIND = NodeKind.COUNTRY
    code: str
    region: bool = False
    eea: bool = False


class Document(Node, frozen=True, tag=NodeKind.DOCUMENT.value):
    """One version of a document (its name is the document's title). ``identity`` is the
    document across its versions (provider, title, the service it is about); the version is
    in force from ``valid_from`` until ``valid_to``, the next version's date (None while it is
    the latest). Dates are ISO strings (YYYY-MM-DD)."""

    KIND = NodeKind.DOCUMENT
    identity: str
    provider: str
    path: str
    format: str
    sha256: str
    loaded: str
    valid_from: str
    about: str | None = None
    date: str | None = None
    valid_to: str | None = None
    services: int = 0


AnyNode = Service | Organisation | Category | Subject | Country | Document


# -- edges ----------------------------------------------------------------------------------


class Edge(
    msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True, tag_field="kind", gc=False
):
    """One fact between two nodes, with the document version, page, line and wording it came
    from."""

    source: str
    target: str
    doc: str
    page: int | None = None
    line: int | None = None
    text: str | None = None
    KIND: ClassVar[EdgeKind]

    @property
    def kind(self) -> EdgeKind:
        """Return what this edge says."""
        return self.KIND

    @property
    def scope(self) -> str:
        """Return what, besides its ends, kind and document, tells this fact apart from
        another ("" for most kinds)."""
        return ""

    @property
    def key(self) -> tuple[str, str, str, str, str]:
        """Return the identity of this fact: the same key twice is the same fact."""
        return (self.source, self.KIND, self.target, self.doc, self.scope)


class Provides(Edge, frozen=True, tag=EdgeKind.PROVIDES.value):
    """An organisation provides a service, in a role (a vocabulary key: processor, ...)."""

    KIND = EdgeKind.PROVIDES
    role: str = "unknown"


class Processes(Edge, frozen=True, tag=EdgeKind.PROCESSES.value):
    """A service processes a data category, of these data subjects (vocabulary keys)."""

    KIND = EdgeKind.PROCESSES
    subjects: tuple[str, ...] = ()


class Concerns(Edge, frozen=True, tag=EdgeKind.CONCERNS.value):
    """A service processes data about a kind of data subject."""

    KIND = EdgeKind.CONCERNS


class Engages(Edge, frozen=True, tag=EdgeKind.ENGAGES.value):
    """A service or organisation engages a sub-processor: for a purpose, passing on some
    categories (None when the document does not say which), with the row's other columns as
    "label: value" details and the date the row says the engagement was added."""

    KIND = EdgeKind.ENGAGES
    purpose: str | None = None
    categories: tuple[str, ...] | None = None
    added: str | None = None
    details: tuple[str, ...] = ()


class ProcessedIn(Edge, frozen=True, tag=EdgeKind.PROCESSED_IN.value):
    """The source's data (a service's, or an organisation's) is processed in a country or
    region: ``by`` the sub-processor the source engages there, as the source's document states
    for that engagement; without ``by``, by the source itself (a service's provider). An
    organisation's own places (no ``by``) come from its own documents and hold for everyone it
    works for. ``exhaustive`` is false when the document says the list of places is not
    complete; ``safeguards`` are the transfer safeguards stated for the place."""

    KIND = EdgeKind.PROCESSED_IN
    exhaustive: bool = True
    safeguards: tuple[str, ...] = ()
    note: str | None = None
    by: str | None = None

    @property
    def scope(self) -> str:
        """Return the sub-processor whose processing this is ("" for the source's own)."""
        return self.by or ""


class ChildOf(Edge, frozen=True, tag=EdgeKind.CHILD_OF.value):
    """A data category is a kind of its parent category (from the vocabulary)."""

    KIND = EdgeKind.CHILD_OF


class DescribedIn(Edge, frozen=True, tag=EdgeKind.DESCRIBED_IN.value):
    """A document version describes a service or organisation. For an organisation: how the
    document spells it, the other names it declares, where it is established, its
    certification under the EU-US Data Privacy Framework (None when not stated), details such
    as its registration number, and, for the user's own organisation as a data map names it,
    that it is the controller, with its contact and its data protection officer's. For a
    service: its purposes, recipients that are not sub-processors, legal basis, retention,
    security measures and self-service portals."""

    KIND = EdgeKind.DESCRIBED_IN
    spellings: tuple[str, ...] = ()
    # (a document naming an organisation two ways states two facts, each at its own line)
    aliases: tuple[str, ...] = ()
    country: str | None = None
    dpf_certified: bool | None = None
    controller: bool = False
    contact: str | None = None
    dpo_contact: str | None = None
    details: tuple[str, ...] = ()
    purposes: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    legal_basis: str | None = None
    retention: str | None = None
    security_measures: str | None = None
    portals: tuple[str, ...] = ()

    @property
    def scope(self) -> str:
        """Return the spelling this statement names the organisation by ("" for a service)."""
        return normalised(self.spellings[0]) if self.spellings else ""


class PartOf(Edge, frozen=True, tag=EdgeKind.PART_OF.value):
    """A legal entity belongs to a group or brand (from the document that names the entity,
    by the reference data of vendor groups, a data map or the shared name)."""

    KIND = EdgeKind.PART_OF


AnyEdge = Provides | Processes | Concerns | Engages | ProcessedIn | ChildOf | DescribedIn | PartOf


class Neighbourhood(NamedTuple):
    """A node with some of its edges: those of the kinds asked for that leave it, and those
    that enter it, each list sorted by edge key."""

    node: AnyNode
    leaving: list[AnyEdge]
    entering: list[AnyEdge]


class GraphBatch(msgspec.Struct, frozen=True):
    """A change to the map: the document versions in ``documents`` get exactly the batch's
    edges that cite them (their earlier facts go), with the batch's nodes; the versions in
    ``restamped`` only get new attributes (their validity), their facts staying as they are."""

    documents: list[Document]
    nodes: list[AnyNode]
    edges: list[AnyEdge]
    restamped: list[Document] = msgspec.field(default_factory=list)

    @property
    def document_ids(self) -> list[str]:
        """Return the ids of the document versions whose facts this batch replaces."""
        return [doc.id for doc in self.documents]

    @property
    def written(self) -> list[AnyNode]:
        """Return every node the batch writes: its versions, its restamped versions and its
        other nodes, in that order."""
        return [*self.documents, *self.restamped, *self.nodes]


def merged_nodes(stored: Mapping[str, AnyNode], batch: GraphBatch) -> dict[str, AnyNode]:
    """Return the nodes a store keeps once the nodes ``batch`` writes meet the ``stored`` ones
    (by id): a node already there keeps its stored name, with everything else as the batch
    says (a document version is always taken whole)."""
    merged = dict(stored)
    for node in batch.written:
        existing = merged.get(node.id)
        if existing is not None and not isinstance(node, Document) and existing.name != node.name:
            node = msgspec.structs.replace(node, name=existing.name)
        merged[node.id] = node
    return merged
