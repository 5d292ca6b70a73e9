"""Loading documents into a store: parse every file first, then, holding the map against other
writers, give each document its version and write everything in one atomic step, so one bad
file means nothing is written and two loads at once both land.

A new version of a document ends the one in force (``versions``); organisation names become
nodes by the names the map and the new documents hold (``names``), and organisations in the map
that those names now join to another have their documents rebuilt onto it (``moved``). The
load reports what it did: documents and their versions, merges, conflicts between documents,
possible duplicates, and terms the vocabulary does not know.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import msgspec

from dataflyt.graph.mapfile import is_map_file, read_map_batch
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    DescribedIn,
    Direction,
    Document,
    EdgeKind,
    GraphBatch,
    NodeKind,
    Organisation,
    PartOf,
    ProcessedIn,
    Provides,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.build import build_batch
from dataflyt.ingest.compare import (
    Conflict,
    MergeDecision,
    PossibleDuplicate,
    conflicts,
    merges,
    possible_duplicates,
)
from dataflyt.ingest.names import Alias, AliasSource, NameResolver, Resolution, reference_names
from dataflyt.ingest.versions import Placement, VersionStatus, place_version
from dataflyt.loaders import ColumnMapping, parse_document
from dataflyt.loaders.models import DocumentFormat, ParsedDocument, UnmappedTerm
from dataflyt.progress import Progress, silent
from dataflyt.reference.vendor_groups import VendorGroups, vendor_groups

__all__ = ["LoadReport", "LoadedDocument", "Moved", "load_documents", "load_files"]

# who declares an alias, by the format of the document declaring it
_ALIAS_SOURCES = {
    DocumentFormat.ALIASES.value: AliasSource.USER,
    DocumentFormat.DATAMAP.value: AliasSource.DATA_MAP,
}


class LoadedDocument(msgspec.Struct, kw_only=True):
    """One document that was loaded: its version, what loading it did, and the version in
    force before it when it replaced one."""

    id: str
    identity: str
    title: str
    provider: str
    path: str
    date: str | None
    services: int
    status: VersionStatus
    valid_from: str
    valid_to: str | None = None
    replaced: Document | None = None


class Moved(msgspec.Struct, kw_only=True):
    """An organisation already in the map that now stands for another (rebuilt onto it)."""

    id: str
    name: str
    now: str
    now_name: str
    why: str


class LoadReport(msgspec.Struct, kw_only=True):
    """What a load did: documents, what they hold per node kind, the unmapped terms, the
    organisations merged or moved, the conflicts between documents and the possible
    duplicates."""

    documents: list[LoadedDocument]
    counts: dict[str, int]
    unmapped: list[UnmappedTerm]
    merges: list[MergeDecision] = msgspec.field(default_factory=list)
    conflicts: list[Conflict] = msgspec.field(default_factory=list)
    duplicates: list[PossibleDuplicate] = msgspec.field(default_factory=list)
    moved: list[Moved] = msgspec.field(default_factory=list)


def load_files(
    store: GraphStore,
    paths: list[Path],
    provider: str | None = None,
    *,
    service: str | None = None,
    document_format: DocumentFormat | None = None,
    columns: ColumnMapping | None = None,
    progress: Progress = silent,
    waiting: Callable[[], None] = lambda: None,
    today: dt.date | None = None,
    groups: VendorGroups | None = None,
) -> LoadReport:
    """Parse ``paths`` and give their documents their versions and facts in ``store``; return
    what was loaded.

    Raises ``LoadError`` before anything is written when any file is bad. ``progress`` hears
    of each file read, of building the graph and of writing it; ``waiting`` is called once
    when another load holds the map and this one waits for it. ``columns`` names a
    sub-processor list's columns by their headers (``--columns``); ``groups`` are the vendor
    groups names resolve with (the built-in reference data without them). ``today`` is the
    date a version without a date of its own comes into force (the day it is loaded).
    """
    steps = len(paths) + 2
    maps = [path for path in paths if document_format is None and is_map_file(path)]
    exported = []
    for done, path in enumerate(maps):
        progress(f"Reading {path.name}", done, steps)
        exported.append(read_map_batch(path))
    parsed = []
    for done, path in enumerate([p for p in paths if p not in maps], start=len(maps)):
        progress(f"Reading {path.name}", done, steps)
        parsed.append(
            parse_document(
                path, provider, service=service, document_format=document_format, columns=columns
            )
        )
    progress("Building the graph", len(paths), steps)
    with store.writing(waiting):
        report = load_documents(store, parsed, exported, today or dt.date.today(), groups)
    progress("Loaded", steps, steps)
    return report


def load_documents(
    store: GraphStore,
    parsed: list[ParsedDocument],
    exported: list[GraphBatch],
    today: dt.date,
    groups: VendorGroups | None = None,
) -> LoadReport:
    """Give parsed documents (and exported maps' versions) their versions and facts in
    ``store``, which the caller holds for writing; return what was loaded. Organisation names
    resolve with the vendor ``groups`` (the built-in reference data without them)."""
    # a fixed order whatever order the files came in; data maps first, so that the names and
    # facts the user's own inventory gives come first
    parsed = sorted(parsed, key=lambda d: (d.format is not DocumentFormat.DATAMAP, d.path))
    placements = _placements(store, parsed, today)
    stored = store.nodes(NodeKind.ORGANISATION)
    names, reasons = _resolver(store, stored, parsed, groups or vendor_groups())
    batch = build_batch(
        [(p, placement.version) for p, placement in zip(parsed, placements, strict=True)], names
    )
    built = {n.id for n in batch.nodes}
    moved = names.moved((org.id, org.name) for org in stored if org.id not in built)
    batch = _with_moved(store, batch, moved)
    restamped = [d for placement in placements for d in placement.restamped]
    batch = _combined([batch, *exported], restamped)
    described, provides, nodes = _said(store, batch)
    stored_names = {org.id: org.name for org in stored}
    orgs = [n for n in batch.nodes if isinstance(n, Organisation)]
    report = LoadReport(
        documents=[_loaded(p) for p in placements],
        counts=_counts(batch.nodes),
        unmapped=[term for doc in parsed for term in doc.unmapped],
        merges=merges(described, nodes, reasons),
        conflicts=conflicts(described, provides, nodes),
        duplicates=possible_duplicates(orgs, [*(n for n in stored if n.id not in moved), *orgs]),
        moved=[
            Moved(id=org, name=stored_names[org], now=to.id, now_name=to.name, why=_why(to))
            for org, to in sorted(moved.items())
        ],
    )
    store.replace_documents(batch)
    return report


def _placements(store: GraphStore, parsed: list[ParsedDocument], today: dt.date) -> list[Placement]:
    """Return each parsed document's placement among the versions the map keeps and the ones
    placed before it in this load."""
    versions = store.document_versions()
    placements = []
    for doc in parsed:
        placement = place_version(doc, versions, today)
        placements.append(placement)
        changed = {d.id: d for d in [placement.version, *placement.restamped]}
        versions = [changed.pop(v.id, v) for v in versions] + list(changed.values())
    return placements


def _resolver(
    store: GraphStore, orgs: list[AnyNode], parsed: list[ParsedDocument], groups: VendorGroups
) -> tuple[NameResolver, dict[str, str]]:
    """Return the name resolver of the map's organisations ``orgs`` and the new documents'
    organisation names and aliases, and the reason each alias gives a merge (by the id it
    resolves to)."""
    described = store.edges([o.id for o in orgs], Direction.OUT, [EdgeKind.DESCRIBED_IN])
    formats = {d.id: d.format for d in store.nodes(NodeKind.DOCUMENT) if isinstance(d, Document)}
    names = [o.name for o in orgs]
    aliases = []
    by_id = {o.id: o.name for o in orgs}
    for edge in described:
        if isinstance(edge, DescribedIn):
            names.extend(edge.spellings)
            source = _ALIAS_SOURCES.get(formats.get(edge.doc, ""), AliasSource.DOCUMENT)
            aliases += [Alias(a, by_id.get(edge.source, a), source) for a in edge.aliases]
    for doc in parsed:
        source = _ALIAS_SOURCES.get(doc.format.value, AliasSource.DOCUMENT)
        for record in doc.organisations:
            names.append(record.name)
            aliases += [Alias(a, record.name, source) for a in record.aliases]
        for service in doc.services:
            names.append(service.provider)
            for sub in service.subprocessors:
                names.append(sub.name)
                aliases += [Alias(a, sub.name, AliasSource.DOCUMENT) for a in sub.aliases]
        for relation in doc.relations:
            names += [relation.organisation, relation.subprocessor.name]
    reference = reference_names(groups)
    resolver = NameResolver(
        names,
        [*aliases, *reference.aliases],
        reference.groups,
        reference.members,
        reference.brands,
    )
    reasons = {}
    for alias in aliases:
        found = resolver.resolve(alias.alias)
        if found.via is not None:
            reasons[found.id] = (
                f"{found.via.alias} is an alias of {found.via.name} ({_SAYS[found.via.source]})"
            )
    return resolver, reasons


_SAYS = {
    AliasSource.USER: "confirmed with dataflyt alias add",
    AliasSource.DATA_MAP: "in a data map",
    AliasSource.DOCUMENT: "as a document writes it",
    AliasSource.REFERENCE: "in dataflyt's reference data of vendor groups",
}


def _why(resolution: Resolution) -> str:
    if resolution.via is not None:
        return f"{resolution.via.alias} is an alias of {resolution.via.name}"
    return f"the only legal entity named {resolution.name}"


def _with_moved(
    store: GraphStore, batch: GraphBatch, moved: Mapping[str, Resolution]
) -> GraphBatch:
    """Return ``batch`` with the documents in force that name a moved organisation rebuilt:
    their facts about it now about the organisation it stands for."""
    if not moved:
        return batch
    touching = store.edges(list(moved), Direction.BOTH)
    docs = sorted({e.doc for e in touching} - set(batch.document_ids))
    versions = [d for d in store.get_nodes(docs).values() if isinstance(d, Document)]
    rebuilt: dict[tuple[str, str, str, str, str], AnyEdge] = {}
    for edge in store.document_edges(docs):
        edge = _repointed(edge, moved)
        if not (isinstance(edge, PartOf) and edge.source == edge.target):
            rebuilt.setdefault(edge.key, edge)
    built = {n.id for n in batch.nodes}
    targets = {
        to.id: Organisation(id=to.id, name=to.name) for to in moved.values() if to.id not in built
    }
    ends = {end for e in rebuilt.values() for end in (e.source, e.target)}
    kept = store.get_nodes(ends - targets.keys() - built)
    return GraphBatch(
        documents=[*batch.documents, *versions],
        nodes=[*batch.nodes, *targets.values(), *kept.values()],
        edges=[*batch.edges, *rebuilt.values()],
    )


def _repointed(edge: AnyEdge, moved: Mapping[str, Resolution]) -> AnyEdge:
    """Return ``edge`` with every moved organisation it names replaced by where it moved."""
    changes: dict[str, str] = {}
    for end in ("source", "target"):
        now = moved.get(getattr(edge, end))
        if now is not None:
            changes[end] = now.id
    if isinstance(edge, ProcessedIn) and edge.by is not None:
        by = moved.get(edge.by)
        if by is not None:
            changes["by"] = by.id
    return msgspec.structs.replace(edge, **changes) if changes else edge


def _combined(batches: list[GraphBatch], restamped: list[Document]) -> GraphBatch:
    """Return one batch holding every batch's versions, nodes and edges (later ones win)."""
    documents: dict[str, Document] = {}
    nodes: dict[str, AnyNode] = {}
    edges: dict[tuple[str, str, str, str, str], AnyEdge] = {}
    for batch in batches:
        documents |= {doc.id: doc for doc in batch.documents}
        nodes |= {node.id: node for node in batch.nodes}
        edges |= {edge.key: edge for edge in batch.edges}
    return GraphBatch(
        documents=sorted(documents.values(), key=lambda n: n.id),
        nodes=sorted(nodes.values(), key=lambda n: n.id),
        edges=sorted(edges.values(), key=lambda e: e.key),
        restamped=sorted((d for d in restamped if d.id not in documents), key=lambda n: n.id),
    )


def _said(
    store: GraphStore, batch: GraphBatch
) -> tuple[dict[str, list[DescribedIn]], dict[str, list[Provides]], dict[str, AnyNode]]:
    """Return, for the batch's organisations and services, what every document in force
    after the load says of them: their ``DescribedIn`` and ``Provides`` edges, and the nodes
    (documents included) to cite them by."""
    replaced = set(batch.document_ids) | {d.id for d in batch.restamped if d.valid_to is not None}
    orgs = {n.id for n in batch.nodes if isinstance(n, Organisation)}
    services = {n.id for n in batch.nodes if n.kind is NodeKind.SERVICE}
    stored = [
        e
        for e in [
            *store.edges(orgs, Direction.OUT, [EdgeKind.DESCRIBED_IN]),
            *store.edges(services, Direction.IN, [EdgeKind.PROVIDES]),
        ]
        if e.doc not in replaced
    ]
    edges = sorted([*stored, *batch.edges], key=lambda e: e.key)
    described: dict[str, list[DescribedIn]] = {}
    provides: dict[str, list[Provides]] = {}
    wanted = orgs | services
    for edge in edges:
        if isinstance(edge, DescribedIn) and edge.source in orgs:
            described.setdefault(edge.source, []).append(edge)
        elif isinstance(edge, Provides) and edge.target in wanted:
            provides.setdefault(edge.target, []).append(edge)
    nodes: dict[str, AnyNode] = {n.id: n for n in batch.nodes}
    nodes |= {d.id: d for d in batch.documents}
    nodes |= store.get_nodes({e.doc for e in stored} - nodes.keys())
    return described, provides, nodes


def _loaded(placement: Placement) -> LoadedDocument:
    version = placement.version
    return LoadedDocument(
        id=version.id,
        identity=version.identity,
        title=version.name,
        provider=version.provider,
        path=version.path,
        date=version.date,
        services=version.services,
        status=placement.status,
        valid_from=version.valid_from,
        valid_to=version.valid_to,
        replaced=placement.previous,
    )


def _counts(nodes: Iterable[AnyNode]) -> dict[str, int]:
    counts = {kind.value: 0 for kind in NodeKind if kind is not NodeKind.DOCUMENT}
    for node in nodes:
        if node.kind is not NodeKind.DOCUMENT:
            counts[node.kind.value] += 1
    return counts
