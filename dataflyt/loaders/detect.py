"""Telling a document's format from its file name and content.

The extension decides where it is unambiguous (``.yaml``, ``.html``, ``.md``); a CSV file is
a record of processing when its header has an activity column and a sub-processor list
otherwise; files with other names are recognised by their content. A PDF, read into tables,
is an annex by its tables' header row, else a sub-processor list (``detect_table_format``).
"""

from __future__ import annotations

import re
from pathlib import Path

from dataflyt.loaders.annex import is_annex_header, looks_like_annex
from dataflyt.loaders.list_columns import is_list_header
from dataflyt.loaders.models import DocumentFormat
from dataflyt.loaders.ropa_csv import is_ropa_header
from dataflyt.loaders.tables import TablePage, read_csv, read_markdown
from dataflyt.loaders.text import SourceText

__all__ = ["detect_format", "detect_table_format"]

_BY_EXTENSION = {
    ".yaml": DocumentFormat.DATAMAP,
    ".yml": DocumentFormat.DATAMAP,
    ".json": DocumentFormat.DATAMAP,
    ".html": DocumentFormat.SUBPROCESSORS_HTML,
    ".htm": DocumentFormat.SUBPROCESSORS_HTML,
    ".xhtml": DocumentFormat.SUBPROCESSORS_HTML,
    ".md": DocumentFormat.SUBPROCESSORS_MARKDOWN,
    ".markdown": DocumentFormat.SUBPROCESSORS_MARKDOWN,
}
_HTML = re.compile(r"<(?:!doctype\s+html|html|table)\b", re.I)


def _csv_format(source: SourceText) -> DocumentFormat | None:
    """Return the CSV format whose header some row of ``source`` is, or None."""
    for fmt, is_header in (
        (DocumentFormat.ROPA_CSV, is_ropa_header),
        (DocumentFormat.SUBPROCESSORS_CSV, is_list_header),
    ):
        rows = read_csv(source, is_header).tables[0].rows
        if rows and is_header(rows[0].cells):
            return fmt
    return None


def detect_format(source: SourceText) -> DocumentFormat | None:
    """Return the format of ``source`` by extension, then by content; None when unknown."""
    suffix = Path(source.path).suffix.lower()
    if suffix in _BY_EXTENSION:
        return _BY_EXTENSION[suffix]
    if suffix in (".csv", ".tsv"):
        return _csv_format(source) or DocumentFormat.SUBPROCESSORS_CSV
    if looks_like_annex(source):
        return DocumentFormat.ANNEX
    if source.text.lstrip().startswith("{"):
        return DocumentFormat.DATAMAP
    if _HTML.search(source.text[:4096]):
        return DocumentFormat.SUBPROCESSORS_HTML
    if any(is_list_header(t.rows[0].cells) for t in read_markdown(source).tables):
        return DocumentFormat.SUBPROCESSORS_MARKDOWN
    return _csv_format(source)


def detect_table_format(page: TablePage) -> DocumentFormat | None:
    """Return the format of a document read as tables (a PDF): an annex when some row is the
    annex's header, else a sub-processor list when it has a table at all (as a ``.csv`` or
    ``.html`` file is one: the list loader names the header it could not read, and how to
    name its columns by hand); None for a document without tables."""
    rows = [row.cells for table in page.tables for row in table.rows]
    if any(is_annex_header(cells) for cells in rows):
        return DocumentFormat.ANNEX
    return DocumentFormat.SUBPROCESSORS_PDF if rows else None
