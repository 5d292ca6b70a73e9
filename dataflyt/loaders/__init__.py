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
from dataflyt.loaders.list_columns import ColumnMapping
from dataflyt.loaders.models import DocumentFormat, ParsedDocument
from dataflyt.loaders.ropa_csv import parse_ropa_csv
from dataflyt.loaders.subprocessors import parse_subprocessor_list
from dataflyt.loaders.text import read_source

__all__ = ["ColumnMapping", "parse_document"]

_NOT_LISTS = (DocumentFormat.ANNEX, DocumentFormat.DATAMAP, DocumentFormat.ROPA_CSV)


def parse_document(
    path: Path,
    provider: str | None = None,
    *,
    service: str | None = None,
    document_format: DocumentFormat | None = None,
    columns: ColumnMapping | None = None,
) -> ParsedDocument:
    """Return what the document at ``path`` says; raise ``LoadError`` if it cannot be read
    (``UnknownProviderError`` when it names no provider and ``provider`` is None).

    ``provider`` names whose document it is when the document does not say; ``service`` names
    the one service of a sub-processor list without a services column; ``columns`` names a
    sub-processor list's columns by their headers where they are not recognised.
    """
    source = read_source(path)
    fmt = document_format or detect_format(source)
    if columns and fmt in _NOT_LISTS:
        raise LoadError(
            str(path), f"--columns applies to sub-processor lists; this is read as {fmt.value}"
        )
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
        return parse_subprocessor_list(
            source, fmt, provider=provider, service=service, columns=columns
        )
    raise LoadError(
        str(path),
        "not a known document format (expected a service annex, a data map (.yaml/.json), "
        "a sub-processor list (.csv/.html/.md) or a record of processing (.csv))",
    )
