"""Loaders: read documents of every supported shape into ``ParsedDocument`` models.

``parse_document`` picks the loader from the file's content; each loader raises ``LoadError``
naming file and line, and never prints, exits or touches a store.
"""

from __future__ import annotations

from pathlib import Path

from dataflyt.errors import LoadError
from dataflyt.loaders.annex import looks_like_annex, parse_annex
from dataflyt.loaders.models import ParsedDocument
from dataflyt.loaders.text import read_source

__all__ = ["parse_document", "parse_documents"]


def parse_document(path: Path, provider: str | None = None) -> ParsedDocument:
    """Return what the document at ``path`` says; raise ``LoadError`` if it cannot be read."""
    source = read_source(path)
    if looks_like_annex(source):
        return parse_annex(source, provider=provider)
    raise LoadError(
        str(path),
        "not a known document format (expected a service annex: a tab-separated table "
        "with columns service, role, data types, sub-processors, location)",
    )


def parse_documents(paths: list[Path], provider: str | None = None) -> list[ParsedDocument]:
    """Return every document parsed; the first unreadable one raises ``LoadError``."""
    return [parse_document(path, provider=provider) for path in paths]
