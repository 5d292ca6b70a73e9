"""Loaders: read documents of every supported shape into ``ParsedDocument`` models.

``parse_document`` picks the loader from the file's name and content (or the format asked
for); each loader raises ``LoadError`` naming file and line (and page, in a PDF), and never
prints, exits or touches a store. A PDF is read into tables (``pdf``) and handed to the annex
or sub-processor list loader's second step.
"""

from __future__ import annotations

from pathlib import Path

from dataflyt.errors import LoadError
from dataflyt.loaders.annex import annex_from_page, parse_annex
from dataflyt.loaders.datamap import parse_datamap
from dataflyt.loaders.detect import detect_format, detect_table_format
from dataflyt.loaders.list_columns import ColumnMapping
from dataflyt.loaders.models import DocumentFormat, ParsedDocument
from dataflyt.loaders.pdf import is_pdf, read_pdf
from dataflyt.loaders.ropa_csv import parse_ropa_csv
from dataflyt.loaders.subprocessors import parse_subprocessor_list, subprocessor_list_from_page
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
    if is_pdf(path):
        return _parse_pdf(path, provider, service, document_format, columns)
    source = read_source(path)
    fmt = document_format or detect_format(source)
    _check_columns(source.path, fmt, columns)
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


_LISTS = (
    DocumentFormat.SUBPROCESSORS_CSV,
    DocumentFormat.SUBPROCESSORS_HTML,
    DocumentFormat.SUBPROCESSORS_MARKDOWN,
    DocumentFormat.SUBPROCESSORS_PDF,
)


def _check_columns(path: str, fmt: DocumentFormat | None, columns: ColumnMapping | None) -> None:
    """Raise ``LoadError`` when ``columns`` is given for a document that is not a list."""
    if columns and fmt in _NOT_LISTS:
        raise LoadError(
            path, f"--columns applies to sub-processor lists; this is read as {fmt.value}"
        )


def _parse_pdf(
    path: Path,
    provider: str | None,
    service: str | None,
    document_format: DocumentFormat | None,
    columns: ColumnMapping | None,
) -> ParsedDocument:
    """Return what the PDF at ``path`` says: an annex, or a sub-processor list (its columns
    named by ``columns`` where given)."""
    pdf = read_pdf(path)
    fmt = document_format or detect_table_format(pdf.page)
    _check_columns(pdf.path, fmt, columns)
    if fmt is DocumentFormat.ANNEX:
        return annex_from_page(pdf.page, pdf.path, pdf.sha256, provider)
    if fmt in _LISTS:
        return subprocessor_list_from_page(
            pdf.page,
            pdf.path,
            pdf.sha256,
            DocumentFormat.SUBPROCESSORS_PDF,
            provider,
            service,
            columns,
        )
    if fmt is not None:
        raise LoadError(pdf.path, f"a PDF is read as an annex or a sub-processor list, not {fmt}")
    raise LoadError(
        pdf.path,
        "no table found in the PDF (a service annex or a sub-processor list is read from a "
        "table drawn with lines)",
    )
