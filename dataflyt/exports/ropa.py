"""The record of processing activities (GDPR Art. 30(1) and (2)) as CSV, one row per service.

Cells that a spreadsheet would read as a formula (starting with = + - @) get a leading quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import ServiceView, service_views
from dataflyt.reference.jurisdictions import Place, transfer_status
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["ROPA_COLUMNS", "export_ropa_csv", "export_ropa_xlsx", "ropa_rows"]

_EPOCH = dt.datetime(2000, 1, 1)

ROPA_COLUMNS = [
    "Processing activity (service)",
    "Controller",
    "Processor",
    "Role of the provider",
    "Purposes",
    "Categories of data subjects",
    "Categories of personal data",
    "High-sensitivity data",
    "Recipients and sub-processors",
    "Places of processing",
    "Transfers to third countries",
    "Retention",
    "Security measures",
    "Source",
]


def _safe(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def _row(view: ServiceView, attrs: dict[str, object]) -> list[str]:
    role = vocabulary().roles.get(view.role)
    provider = view.provider.name if view.provider else ""
    controller = provider if role and role.gdpr == "controller" else "the customer"
    purposes = attrs.get("purposes") or []
    transfers = [
        f"{c.name} ({transfer_status(Place(c.code, c.name, c.region)).value})"
        for c in view.countries
        if not c.eea
    ]
    source = view.source
    return [
        view.name,
        controller,
        "" if controller == provider else provider,
        view.role_label,
        "; ".join(str(p) for p in purposes) if isinstance(purposes, list) else str(purposes),
        "; ".join(view.data_subjects),
        "; ".join(c.name for c in view.categories),
        "; ".join(c.name for c in view.categories if c.sensitivity == "high"),
        "; ".join(f"{s.name} ({s.purpose})" if s.purpose else s.name for s in view.subprocessors),
        "; ".join(c.name + ("" if c.exhaustive else " (not exhaustive)") for c in view.countries),
        "; ".join(transfers),
        str(attrs.get("retention") or ""),
        str(attrs.get("security_measures") or ""),
        f"{source.document} ({source.date or 'undated'}), line {source.line}" if source else "",
    ]


def ropa_rows(store: GraphStore) -> list[list[str]]:
    """Return the header and one row per service, sorted by service name."""
    services = store.nodes(NodeKind.SERVICE)
    views = service_views(store, [s.id for s in services])
    attrs = {s.id: s.attrs for s in services}
    rows = [_row(view, attrs[view.id]) for view in views.values()]
    rows.sort(key=lambda row: row[0].casefold())
    return [ROPA_COLUMNS, *([_safe(cell) for cell in row] for row in rows)]


def export_ropa_csv(store: GraphStore) -> str:
    """Return the record of processing as CSV text (UTF-8, comma-separated, quoted as needed)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(ropa_rows(store))
    return out.getvalue()


def export_ropa_xlsx(store: GraphStore) -> bytes:
    """Return the record of processing as an Excel workbook: a bold header row, frozen panes,
    filters on every column and column widths fitted to the content."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = ropa_rows(store)
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
        width = max(len(str(value)) for value in column)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(width, 10), 60) + 2
    # a fixed creation time keeps the same map giving the same file
    book.properties.created = book.properties.modified = _EPOCH
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
