"""What a store reports about itself (``dataflyt status``): where the map is, node counts per
kind, its documents and, for a server, its version."""

from __future__ import annotations

from typing import Any

import msgspec

from dataflyt.graph.model import Node

__all__ = ["DocumentInfo", "MapSummary", "document_infos"]


class DocumentInfo(msgspec.Struct, kw_only=True):
    """A source document in the map: its id, title and attributes (path, date, provider)."""

    id: str
    name: str
    attrs: dict[str, Any] = msgspec.field(default_factory=dict)


class MapSummary(msgspec.Struct, kw_only=True):
    """What a store holds: where it is, node counts per kind and its documents."""

    location: str
    backend: str
    counts: dict[str, int]
    edges: int
    documents: list[DocumentInfo]
    server: dict[str, Any] = msgspec.field(default_factory=dict)


def document_infos(documents: list[Node]) -> list[DocumentInfo]:
    """Return the summary entries of document nodes, in the order given."""
    return [DocumentInfo(id=doc.id, name=doc.name, attrs=doc.attrs) for doc in documents]
