"""Where a fact comes from, as every answer shows it: the document's title and date, its file,
the page (PDF documents) and line, and the original wording."""

from __future__ import annotations

from collections.abc import Mapping

import msgspec

from dataflyt.graph.model import AnyEdge, AnyNode, Document

__all__ = ["Citation", "cite"]


class Citation(msgspec.Struct, kw_only=True, frozen=True, omit_defaults=True):
    """Where a fact comes from: the document's title, the date it states, its file, the page
    and line in that file and the original wording (each None where unknown)."""

    document: str
    date: str | None = None
    path: str | None = None
    page: int | None = None
    line: int | None = None
    text: str | None = None


def cite(edge: AnyEdge, nodes: Mapping[str, AnyNode]) -> Citation:
    """Return the citation of ``edge``, its document's title, date and file taken from
    ``nodes`` (by the edge's ``doc``; without it, the document's id stands for its title)."""
    doc = nodes.get(edge.doc)
    if not isinstance(doc, Document):
        return Citation(document=edge.doc, page=edge.page, line=edge.line, text=edge.text)
    return Citation(
        document=doc.name,
        date=doc.date,
        path=doc.path,
        page=edge.page,
        line=edge.line,
        text=edge.text,
    )
