"""The record of processing activities (GDPR Art. 30(1) and (2)) as CSV and as an Excel
workbook, one row per service (``record``). Cells that a spreadsheet would read as a formula
(starting with = + - @, or a tab or carriage return) get a leading quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from dataflyt.exports.flows import service_chains
from dataflyt.exports.record import RECORD_COLUMNS, record_row
from dataflyt.graph.store import GraphStore
from dataflyt.queries.controller import controllers

__all__ = ["export_ropa_csv", "export_ropa_xlsx", "ropa_rows"]

_EPOCH = dt.datetime(2000, 1, 1)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def ropa_rows(store: GraphStore, controller: str | None = None) -> list[list[str]]:
    """Return the header and one row per service, sorted by service name; ``controller``
    names the user's organisation when no data map in the store does."""
    ours = controllers(store, controller)
    rows = [record_row(chain, ours) for chain in service_chains(store)]
    return [RECORD_COLUMNS, *([_safe(cell) for cell in row] for row in rows)]


def export_ropa_csv(store: GraphStore, controller: str | None = None) -> str:
    """Return the record of processing as CSV text (UTF-8, comma-separated, quoted as needed);
    ``controller`` as for ``ropa_rows``."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(ropa_rows(store, controller))
    return out.getvalue()


def export_ropa_xlsx(store: GraphStore, controller: str | None = None) -> bytes:
    """Return the record of processing as an Excel workbook: a bold header row, frozen panes,
    filters on every column and column widths fitted to the content; ``controller`` as for
    ``ropa_rows``. Characters a workbook cannot hold (control characters) become U+FFFD."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    rows = [
        [ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell) for cell in row]
        for row in ropa_rows(store, controller)
    ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Record of processing"
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(zip(*rows, strict=True), start=1):
        width = max(len(value) for value in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 60) + 2
    book.properties.created = book.properties.modified = _EPOCH
    out = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the current time
    ExcelWriter(book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_times(out.getvalue())


def _fixed_times(archive: bytes) -> bytes:
    """Return the zip ``archive`` with every member dated 1980-01-01, so the same map gives
    the same bytes (openpyxl dates each member with the current time)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = member.external_attr
            target.writestr(info, source.read(member))
    return out.getvalue()
