"""``history``: every version of the documents the map keeps, when each was in force, and what
each changed in the services its document describes (as ``diff`` says it, between the map on
the day before the version came into force and the map on that day).

Given a name, only the versions of the documents titled so, or of the documents that name the
organisation or service so called.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from dataflyt.errors import UnknownNameError
from dataflyt.graph.model import Document, Provides
from dataflyt.graph.store import GraphStore
from dataflyt.ids import bare_name
from dataflyt.queries.diff import MapDiff, diff_maps
from dataflyt.queries.resolve import resolve_name
from dataflyt.reference.vocabulary import fold

__all__ = ["DocumentHistory", "History", "VersionEntry", "history", "versions_of"]


class VersionEntry(msgspec.Struct, kw_only=True, frozen=True):
    """One version: the version node (file, dates, validity), whether it is in force today,
    and what it changed (None for a document's first version)."""

    version: Document
    in_force: bool
    changes: MapDiff | None = None


class DocumentHistory(msgspec.Struct, kw_only=True, frozen=True):
    """Every version of one document, oldest first."""

    identity: str
    title: str
    provider: str
    versions: list[VersionEntry]


class History(msgspec.Struct, kw_only=True, frozen=True):
    """The documents asked about and their versions, by title."""

    documents: list[DocumentHistory]


def _day_before(date: str) -> str:
    return (dt.date.fromisoformat(date) - dt.timedelta(days=1)).isoformat()


def _about(store: GraphStore, versions: list[Document], name: str) -> bool:
    """Return whether ``name`` is the title of these versions, or names (legal form set
    aside) an organisation or service one of them states facts about."""
    if any(fold(v.name) == fold(name) for v in versions):
        return True
    wanted = bare_name(name)
    written = {e.text for e in store.document_edges([v.id for v in versions]) if e.text}
    return any(bare_name(text) == wanted for text in written)


def _only(found: MapDiff, services: set[str], titles: set[str]) -> MapDiff:
    """Return ``found`` cut down to the services named in ``services`` and the documents
    titled as in ``titles``."""
    cut = msgspec.structs.replace(
        found,
        dates=[d for d in found.dates if d.document in titles],
        services_changed=[c for c in found.services_changed if c.service in services],
        new_subprocessors=[n for n in found.new_subprocessors if n.service in services],
        services_added=[s for s in found.services_added if s in services],
        services_removed=[s for s in found.services_removed if s in services],
    )
    changed = any(
        (cut.dates, cut.services_changed, cut.new_subprocessors, cut.services_added)
    ) or bool(cut.services_removed)
    return msgspec.structs.replace(cut, changed=changed)


def _changes(
    store: GraphStore, at: Callable[[str], GraphStore], previous: Document, version: Document
) -> MapDiff:
    """Return what ``version`` changed after ``previous``, in the services either describes:
    the map on the day before ``version`` came into force against the map on that day."""
    facts = store.document_edges([previous.id, version.id])
    services = {e.target for e in facts if isinstance(e, Provides)}
    before, after = at(_day_before(version.valid_from)), at(version.valid_from)
    try:
        names = {
            n.name
            for n in [*before.get_nodes(services).values(), *after.get_nodes(services).values()]
        }
        return _only(diff_maps(before, after), names, {previous.name, version.name})
    finally:
        before.close()
        after.close()


def _in_order(versions: list[Document]) -> list[Document]:
    """Return versions of one document oldest first: by the day each came into force, then
    the order they were loaded in."""
    return sorted(versions, key=lambda v: (v.valid_from, v.loaded, v.id))


def versions_of(store: GraphStore, version: Document) -> list[Document]:
    """Return every version of the document ``version`` is one of, oldest first."""
    return _in_order([v for v in store.document_versions() if v.identity == version.identity])


def history(store: GraphStore, at: Callable[[str], GraphStore], name: str | None = None) -> History:
    """Return the versions of every document (or those ``name`` is about), each with what it
    changed; ``at`` opens the map as of a date (YYYY-MM-DD), for the changes. ``name`` is a
    document's title or a name a document writes, else any name ``show`` finds (a prefix, an
    alias); raises ``UnknownNameError`` (with the names it may mean) when none is about it."""
    by_identity: dict[str, list[Document]] = {}
    for version in store.document_versions():
        by_identity.setdefault(version.identity, []).append(version)
    chosen = {identity: _in_order(versions) for identity, versions in sorted(by_identity.items())}
    if name is not None:
        chosen = _about_name(store, chosen, name)
    documents = []
    for identity, versions in chosen.items():
        entries = [
            VersionEntry(
                version=version,
                in_force=version.valid_to is None,
                changes=_changes(store, at, versions[index - 1], version) if index else None,
            )
            for index, version in enumerate(versions)
        ]
        last = versions[-1]
        documents.append(
            DocumentHistory(
                identity=identity, title=last.name, provider=last.provider, versions=entries
            )
        )
    return History(documents=documents)


def _about_name(
    store: GraphStore, documents: dict[str, list[Document]], name: str
) -> dict[str, list[Document]]:
    """Return those of ``documents`` (versions by identity) about ``name``: titled or writing
    it, else stating a fact about the node ``show`` finds by it."""
    found = {i: versions for i, versions in documents.items() if _about(store, versions, name)}
    if found:
        return found
    node = resolve_name(store, name)
    identity_of = {v.id: identity for identity, versions in documents.items() for v in versions}
    stating = {
        identity_of[e.doc]
        for e in store.document_edges(sorted(identity_of))
        if node.id in (e.source, e.target)
    }
    found = {identity: versions for identity, versions in documents.items() if identity in stating}
    if not found:
        raise UnknownNameError("document, organisation or service", name, [node.name])
    return found
