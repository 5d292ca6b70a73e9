"""How a place in a document is written for people: ``annex.txt:14``, or ``annex.pdf p.2:14``
for a document with pages (the line then counts on that page)."""

from __future__ import annotations

__all__ = ["format_place"]


def format_place(file: str, line: int | None = None, page: int | None = None) -> str:
    """Return ``file`` with its page (``p.2``) and line (``:14``) where known."""
    where = file if page is None else f"{file} p.{page}"
    return where if line is None else f"{where}:{line}"
