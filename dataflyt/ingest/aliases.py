"""Aliases a user confirms (``dataflyt alias add "Twillio" Twilio``): kept in the map as a
document of their own, one version per change, so that they apply to the documents loaded
before (their facts about the alias are rebuilt onto the organisation it names) and after
(the name resolves to it), and so that ``--as-of`` answers with the aliases of that date.

Removing an alias ends it for documents loaded afterwards; documents already rebuilt onto its
organisation stay so until they are loaded again.
"""

from __future__ import annotations

import datetime as dt
import hashlib

import msgspec

from dataflyt.errors import SettingsError
from dataflyt.graph.model import DescribedIn, Document, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import document_identity, normalised
from dataflyt.ingest.load import LoadReport, load_documents
from dataflyt.loaders.models import DocumentFormat, OrganisationRecord, ParsedDocument, Source
from dataflyt.queries.resolve import resolve_node

__all__ = ["ALIASES_TITLE", "UserAlias", "UserAliases", "add_alias", "remove_alias", "user_aliases"]

ALIASES_TITLE = "Aliases confirmed by the user"
_PROVIDER = "dataflyt"
_PATH = "dataflyt alias add"


class UserAlias(msgspec.Struct, kw_only=True, frozen=True):
    """A name a user confirmed stands for an organisation."""

    alias: str
    organisation: str
    organisation_id: str


class UserAliases(msgspec.Struct, kw_only=True, frozen=True):
    """The aliases confirmed by the user in force, sorted by alias."""

    aliases: list[UserAlias]


def _current(store: GraphStore) -> Document | None:
    identity = document_identity(_PROVIDER, ALIASES_TITLE)
    found = [
        d
        for d in store.nodes(NodeKind.DOCUMENT)
        if isinstance(d, Document) and d.identity == identity
    ]
    return found[0] if found else None


def user_aliases(store: GraphStore) -> UserAliases:
    """Return the aliases confirmed by the user in force, sorted by alias."""
    current = _current(store)
    if current is None:
        return UserAliases(aliases=[])
    edges = [e for e in store.document_edges([current.id]) if isinstance(e, DescribedIn)]
    names = store.get_nodes({e.source for e in edges})
    found = [
        UserAlias(alias=alias, organisation=names[e.source].name, organisation_id=e.source)
        for e in edges
        if e.source in names
        for alias in e.aliases
    ]
    return UserAliases(aliases=sorted(found, key=lambda a: (a.alias.casefold(), a.alias)))


def _document(aliases: list[UserAlias], today: dt.date) -> ParsedDocument:
    """Return the aliases document holding ``aliases``: one organisation record per
    organisation named, its aliases sorted; its contents give its version."""
    by_target: dict[str, list[str]] = {}
    for alias in aliases:
        by_target.setdefault(alias.organisation, []).append(alias.alias)
    text = "\n".join(
        f"{name}\t{alias}" for name, found in sorted(by_target.items()) for alias in sorted(found)
    )
    return ParsedDocument(
        path=_PATH,
        title=ALIASES_TITLE,
        provider=_PROVIDER,
        format=DocumentFormat.ALIASES,
        date=today,
        sha256=hashlib.sha256(text.encode()).hexdigest(),
        services=[],
        organisations=[
            OrganisationRecord(
                name=name,
                aliases=sorted(found),
                source=Source(file=_PATH, text=f"{', '.join(sorted(found))} = {name}"),
            )
            for name, found in sorted(by_target.items())
        ],
    )


def add_alias(store: GraphStore, alias: str, organisation: str, today: dt.date) -> LoadReport:
    """Confirm that ``alias`` names the organisation ``organisation`` (which must be in the
    map, by any name it goes by) from ``today``; return what the map's documents became.
    The caller holds ``store`` for writing."""
    target = resolve_node(store, NodeKind.ORGANISATION, organisation)
    if normalised(alias) == normalised(target.name):
        raise SettingsError(f"{alias!r} is already the name of {target.name}")
    kept = [a for a in user_aliases(store).aliases if normalised(a.alias) != normalised(alias)]
    added = UserAlias(alias=alias.strip(), organisation=target.name, organisation_id=target.id)
    return load_documents(store, [_document([*kept, added], today)], [], today)


def remove_alias(store: GraphStore, alias: str, today: dt.date) -> LoadReport:
    """End the confirmed alias ``alias`` from ``today``; return what the load did. Raises
    ``SettingsError`` when no such alias was confirmed. The caller holds ``store`` for
    writing."""
    current = user_aliases(store).aliases
    kept = [a for a in current if normalised(a.alias) != normalised(alias)]
    if len(kept) == len(current):
        known = ", ".join(a.alias for a in current) or "none"
        raise SettingsError(f"{alias!r} is no alias confirmed with dataflyt alias add ({known})")
    return load_documents(store, [_document(kept, today)], [], today)
