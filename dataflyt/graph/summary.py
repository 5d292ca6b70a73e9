"""What a store reports about itself (``dataflyt status``): where the map is, node counts per
kind, the date it answers for, its documents in force and, for a server, its version."""

from __future__ import annotations

import msgspec

from dataflyt.graph.model import Document

__all__ = ["MapSummary", "ServerInfo"]


class ServerInfo(msgspec.Struct, kw_only=True):
    """The database server a store talks to: its version and edition."""

    version: str
    edition: str


class MapSummary(msgspec.Struct, kw_only=True):
    """What a store holds as of ``as_of`` (None: the latest versions): where it is, node
    counts per kind, facts in force, the document versions in force and how many versions it
    keeps in all."""

    location: str
    backend: str
    as_of: str | None = None
    counts: dict[str, int]
    edges: int
    documents: list[Document]
    versions: int
    server: ServerInfo | None = None
