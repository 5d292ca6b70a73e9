"""How a place in a document is written for people: ``annex.txt:14``, or ``annex.pdf p.2:14``
for a document with pages (the line then counts on that page); a fact's citation written so,
the same in the CLI's tables and the explorer's pages."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dataflyt.graph.citation import Citation

__all__ = ["cited_place", "format_place"]


def format_place(file: str, line: int | None = None, page: int | None = None) -> str:
    """Return ``file`` with its page (``p.2``) and line (``:14``) where known."""
    where = file if page is None else f"{file} p.{page}"
    return where if line is None else f"{where}:{line}"


def cited_place(source: Citation) -> str:
    """Return where the fact ``source`` cites is written: its file's name (without folders;
    the document's title when no file is known), page and line ("annex.txt:24",
    "annex.pdf p.2:14")."""
    name = (source.path or source.document).rsplit("/", 1)[-1]
    return format_place(name, source.line, source.page)
