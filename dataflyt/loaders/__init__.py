"""Loaders: read documents of every supported shape into ``ParsedDocument`` models.

``parse_document`` picks the loader from the file's name and content (or the format asked
for); each loader raises ``LoadError`` naming file and line, and never prints, exits or
touches a store.
"""

from __future__ import annotations

from pathlib import Path

from dataflyt.errors import LoadError
from dataflyt.loaders.annex import parse_annex
from dataflyt.loaders.datamap import parse_datamap
from dataflyt.loaders.detect import detect_format
from dataflyt.loaders.models import DocumentFormat, ParsedDocument
from dataflyt.loaders.ropa_csv import parse_ropa_csv
from dataflyt.loaders.subprocessors import parse_subprocessor_list
from dataflyt.loaders.text import read_source

__all__ = ["parse_document"]


def parse_document(
    path: Path,
    provider: str | None = None,
    *,
    service: str | None = None,
    document_format: DocumentFormat | None = None,
) -> ParsedDocument:
    """Return what the document at ``path`` says; raise ``LoadError`` if it cannot be read.

    ``provider`` names whose document it is when the document does not say; ``service`` names
    the one service of a sub-processor list without a services column.
    """
    source = read_source(path)
    fmt = document_format or detect_format(source)
    if fmt is DocumentFormat.ANNEX:
        return parse_annex(source, provider=provider)
    if fmt is DocumentFormat.DATAMAP:
        return parse_datamap(source, provider=provider)
    if fmt is DocumentFormat.ALIASES:
        raise LoadError(
            str(path), "aliases are confirmed with dataflyt alias add, not loaded from a file"
        )
    if fmt is DocumentFormat.ROPA_CSV:
        return parse_ropa_csv(source, provider=provider)
    if fmt is not None:
        return parse_subprocessor_list(source, fmt, provider=provider, service=service)
    raise LoadError(
        str(path),
        "not a known document format (expected a service annex, a data map (.yaml/.json), "
        "a sub-processor list (.csv/.html/.md) or a record of processing (.csv))",
    )
