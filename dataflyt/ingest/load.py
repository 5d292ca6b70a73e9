"""Loading documents into a store: parse every file first, then replace their documents in
one atomic step, so one bad file means nothing is written.

Before writing, the facts of the new documents are compared with those of the documents
already in the map: organisations written differently that became one node (merges), and
documents disagreeing on an organisation's country or a service's role (conflicts), are
reported and kept on the nodes as ``merged_names`` and ``conflicts``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import msgspec
from pydantic import BaseModel

from dataflyt.graph.mapfile import is_map_file, read_map_batch
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    Node,
    NodeKind,
    combine_batches,
    provider_role,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ids import organisation_id
from dataflyt.ingest.build import alias_index, build_batch
from dataflyt.loaders import ColumnMapping, parse_document
from dataflyt.loaders.models import DocumentFormat, UnmappedTerm
from dataflyt.progress import Progress, silent

__all__ = [
    "Conflict",
    "LoadReport",
    "LoadedDocument",
    "MergeDecision",
    "Statement",
    "load_files",
]

# the node kinds that merges and conflicts are kept on
_ANNOTATED = (NodeKind.ORGANISATION, NodeKind.SERVICE)


class LoadedDocument(BaseModel):
    """One document that was loaded, and the version it replaced if any."""

    id: str
    title: str
    provider: str
    path: str
    date: str | None
    services: int
    replaced_date: str | None = None
    replaced: bool = False


class Statement(BaseModel):
    """What one document writes about a fact, and where."""

    value: str
    document: str
    path: str | None = None
    line: int | None = None

    def cite(self) -> str:
        """Return the value and where it is written, e.g. ``US (map.yaml:2)``."""
        where = (self.path or self.document).rsplit("/", 1)[-1]
        return f"{self.value} ({where}:{self.line})" if self.line else f"{self.value} ({where})"


class MergeDecision(BaseModel):
    """Several spellings taken for one organisation, and why."""

    id: str
    name: str
    spellings: list[Statement]
    reason: str


class Conflict(BaseModel):
    """Documents disagreeing: on an organisation's country, a service's role, or an alias
    whose organisation is still a separate node from documents loaded earlier."""

    kind: str
    id: str
    name: str
    about: str
    statements: list[Statement]


class LoadReport(BaseModel):
    """What a load did: documents, what they hold per node kind, the unmapped terms, the
    organisations merged and the conflicts between documents."""

    documents: list[LoadedDocument]
    counts: dict[str, int]
    unmapped: list[UnmappedTerm]
    merges: list[MergeDecision] = []
    conflicts: list[Conflict] = []


def load_files(
    store: GraphStore,
    paths: list[Path],
    provider: str | None = None,
    *,
    service: str | None = None,
    document_format: DocumentFormat | None = None,
    columns: ColumnMapping | None = None,
    progress: Progress = silent,
) -> LoadReport:
    """Parse ``paths`` and replace their documents in ``store``; return what was loaded.
    ``columns`` names a sub-processor list's columns by their headers (``--columns``).

    Raises ``LoadError`` before anything is written when any file is bad. ``progress`` hears
    of each file read, of building the graph and of writing it.
    """
    steps = len(paths) + 2
    maps = [path for path in paths if document_format is None and is_map_file(path)]
    exported = []
    for done, path in enumerate(maps):
        progress(f"Reading {path.name}", done, steps)
        exported.append(read_map_batch(path))
    documents = [path for path in paths if path not in maps]
    parsed = []
    for done, path in enumerate(documents, start=len(maps)):
        progress(f"Reading {path.name}", done, steps)
        parsed.append(
            parse_document(
                path, provider, service=service, document_format=document_format, columns=columns
            )
        )
    progress("Building the graph", len(paths), steps)
    aliases = alias_index(parsed, store.nodes(NodeKind.ORGANISATION))
    batch = build_batch(parsed, aliases)
    merges, conflicts = _compare(store, batch, aliases)
    batch = combine_batches([_annotated(store, batch, merges, conflicts), *exported])
    loaded = []
    for doc_node in batch.documents:
        previous = store.node(doc_node.id)
        loaded.append(
            LoadedDocument(
                id=doc_node.id,
                title=doc_node.name,
                provider=str(doc_node.attrs.get("provider") or ""),
                path=str(doc_node.attrs.get("path") or ""),
                date=doc_node.attrs.get("date"),
                services=int(doc_node.attrs.get("services") or 0),
                replaced=previous is not None,
                replaced_date=previous.attrs.get("date") if previous else None,
            )
        )
    progress("Writing the map", len(paths) + 1, steps)
    store.replace_documents(batch)
    progress("Loaded", steps, steps)
    counts = {kind.value: 0 for kind in NodeKind if kind is not NodeKind.DOCUMENT}
    for node in batch.nodes:
        if node.kind is not NodeKind.DOCUMENT:
            counts[node.kind.value] += 1
    unmapped = [term for doc in parsed for term in doc.unmapped]
    return LoadReport(
        documents=loaded, counts=counts, unmapped=unmapped, merges=merges, conflicts=conflicts
    )


class _Facts:
    """The edges of the batch together with those of the map's other documents."""

    def __init__(self, store: GraphStore, batch: GraphBatch) -> None:
        self.store = store
        self.batch = batch
        self.replaced = set(batch.document_ids)
        self.documents = {doc.id: doc for doc in batch.documents}

    def edges(self, ids: list[str], direction: Direction, kind: EdgeKind) -> list[Edge]:
        wanted = set(ids)
        mine = [
            e
            for e in self.batch.edges
            if e.kind is kind and (e.source if direction is Direction.OUT else e.target) in wanted
        ]
        theirs = self.store.edges(ids, direction, [kind]) if ids else []
        kept = [e for e in theirs if e.doc not in self.replaced]
        self.documents |= self.store.get_nodes({e.doc for e in kept} - set(self.documents))
        return sorted(mine + kept, key=lambda e: e.key)

    def statement(self, value: str, edge: Edge, line: bool = True) -> Statement:
        """Return ``value`` as ``edge``'s document states it, at the edge's line if ``line``."""
        doc = self.documents.get(edge.doc)
        return Statement(
            value=value,
            document=doc.name if doc else edge.doc,
            path=doc.attrs.get("path") if doc else None,
            line=edge.line if line else None,
        )


def _compare(
    store: GraphStore, batch: GraphBatch, aliases: dict[str, str]
) -> tuple[list[MergeDecision], list[Conflict]]:
    facts = _Facts(store, batch)
    nodes = {node.id: node for node in batch.nodes}
    orgs = [n.id for n in batch.nodes if n.kind is NodeKind.ORGANISATION]
    services = [n.id for n in batch.nodes if n.kind is NodeKind.SERVICE]
    described = _by(facts.edges(orgs, Direction.OUT, EdgeKind.DESCRIBED_IN), lambda e: e.source)
    provides = _by(facts.edges(services, Direction.IN, EdgeKind.PROVIDES), lambda e: e.target)
    merges, conflicts = [], []
    for org, edges in described.items():
        # an edge's line is where its document first writes the organisation
        spellings = [
            facts.statement(name, e, line=name == e.text)
            for e in edges
            for name in e.attrs.get("spellings", [e.text])
        ]
        if len({s.value for s in spellings}) > 1:
            by_alias = any(organisation_id(s.value) != org for s in spellings)
            reason = (
                f"aliases of {nodes[org].name} in a data map"
                if by_alias
                else "the same name once case, punctuation and legal form are ignored"
            )
            merges.append(
                MergeDecision(id=org, name=nodes[org].name, spellings=spellings, reason=reason)
            )
        countries = [facts.statement(e.attrs["country"], e) for e in edges if "country" in e.attrs]
        conflicts.extend(_disagreeing("country", nodes[org], countries))
    for service, edges in provides.items():
        roles = [facts.statement(provider_role(e.attrs), e) for e in edges]
        conflicts.extend(_disagreeing("role", nodes[service], roles))
    conflicts.extend(_separate_aliases(facts, aliases))
    return merges, conflicts


def _by(edges: list[Edge], key: Callable[[Edge], str]) -> dict[str, list[Edge]]:
    grouped: dict[str, list[Edge]] = {}
    for edge in edges:
        grouped.setdefault(key(edge), []).append(edge)
    return grouped


def _disagreeing(kind: str, node: Node, statements: list[Statement]) -> list[Conflict]:
    if len({s.value for s in statements}) < 2:
        return []
    about = "service" if node.kind is NodeKind.SERVICE else "organisation"
    return [Conflict(kind=kind, id=node.id, name=node.name, about=about, statements=statements)]


def _separate_aliases(facts: _Facts, aliases: dict[str, str]) -> list[Conflict]:
    """Return a conflict for each alias still standing as its own node in the map."""
    stale = [
        alias
        for alias, name in aliases.items()
        if alias != organisation_id(name) and facts.store.node(alias) is not None
    ]
    conflicts = []
    for alias in sorted(stale):
        edges = facts.edges([alias], Direction.OUT, EdgeKind.DESCRIBED_IN)
        statements = [
            facts.statement(e.text or alias, e) for e in edges if e.doc not in facts.replaced
        ]
        if statements:
            conflicts.append(
                Conflict(
                    kind="alias",
                    id=alias,
                    name=aliases[alias],
                    about="organisation",
                    statements=statements,
                )
            )
    return conflicts


def _annotated(
    store: GraphStore, batch: GraphBatch, merges: list[MergeDecision], conflicts: list[Conflict]
) -> GraphBatch:
    """Return ``batch`` with merges and conflicts kept on their nodes; a node that had them
    and no longer has them gets them cleared."""
    merged = {m.id: sorted({s.value for s in m.spellings}) for m in merges}
    # plain texts, which every store can keep as a property
    disputed: dict[str, list[str]] = {}
    for conflict in conflicts:
        said = "; ".join(s.cite() for s in conflict.statements)
        disputed.setdefault(conflict.id, []).append(f"{conflict.kind}: {said}")
    before = store.get_nodes(n.id for n in batch.nodes if n.kind in _ANNOTATED)
    nodes = []
    for node in batch.nodes:
        attrs = dict(node.attrs)
        old = before.get(node.id)
        for key, found in (("merged_names", merged), ("conflicts", disputed)):
            if node.id in found:
                attrs[key] = found[node.id]
            elif old is not None and key in old.attrs:
                attrs[key] = []
        nodes.append(node if attrs == node.attrs else msgspec.structs.replace(node, attrs=attrs))
    return msgspec.structs.replace(batch, nodes=nodes)
