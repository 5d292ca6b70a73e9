"""The record of processing activities (GDPR Art. 30(1) and (2)) as CSV, one row per service.

Recipients are the service's sub-processors, then the rest of the chain (its provider's
sub-processors and theirs, at any depth) with who engages each. Transfers list the places
outside the EEA of the service and of every organisation in that chain, each with its status
under GDPR Chapter V and the safeguards the documents state. Cells that a spreadsheet
would read as a formula (starting with = + - @, or a tab or carriage return) get a leading quote.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

from dataflyt.exports.flows import service_chains, service_flows
from dataflyt.graph.model import Edge, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import ServiceView, service_views
from dataflyt.queries.transfers import Flow
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["ROPA_COLUMNS", "export_ropa_csv", "export_ropa_xlsx", "ropa_rows"]

_EPOCH = dt.datetime(2000, 1, 1)
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

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


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def _transfer(flow: Flow) -> str:
    via = f" via {flow.service}" if flow.level == "organisation" else ""
    stated = f"; stated safeguards: {', '.join(flow.safeguards)}" if flow.safeguards else ""
    return f"{flow.country}{via} ({flow.status}{stated})"


def _recipients(view: ServiceView, chain: list[Edge], names: dict[str, Node]) -> str:
    direct = [f"{s.name} ({s.purpose})" if s.purpose else s.name for s in view.subprocessors]
    further = []
    for edge in chain:
        purpose = edge.attrs.get("purpose")
        engaged_by = names[edge.source].name + (f": {purpose}" if purpose else "")
        further.append(f"{names[edge.target].name} (engaged by {engaged_by})")
    return "; ".join(direct + further)


def _row(
    view: ServiceView, attrs: dict[str, object], recipients: str, flows: list[Flow]
) -> list[str]:
    role = vocabulary().roles.get(view.role)
    provider = view.provider.name if view.provider else ""
    controller = provider if role and role.gdpr == "controller" else "the customer"
    purposes = attrs.get("purposes") or []
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
        recipients,
        "; ".join(c.name + ("" if c.exhaustive else " (not exhaustive)") for c in view.countries),
        "; ".join(_transfer(flow) for flow in flows),
        str(attrs.get("retention") or ""),
        str(attrs.get("security_measures") or ""),
        f"{source.document} ({source.date or 'undated'}), line {source.line}" if source else "",
    ]


def ropa_rows(store: GraphStore) -> list[list[str]]:
    """Return the header and one row per service, sorted by service name."""
    services = store.nodes(NodeKind.SERVICE)
    views = service_views(store, [s.id for s in services])
    attrs = {s.id: s.attrs for s in services}
    chains = service_chains(store, views)
    flows = service_flows(store, views, chains)
    names = store.get_nodes(
        {n for edges in chains.values() for e in edges for n in (e.source, e.target)}
    )
    rows = [
        _row(view, attrs[view.id], _recipients(view, chains[view.id], names), flows[view.id])
        for view in views.values()
    ]
    rows.sort(key=lambda row: row[0].casefold())
    return [ROPA_COLUMNS, *([_safe(cell) for cell in row] for row in rows)]


def export_ropa_csv(store: GraphStore) -> str:
    """Return the record of processing as CSV text (UTF-8, comma-separated, quoted as needed)."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(ropa_rows(store))
    return out.getvalue()


def export_ropa_xlsx(store: GraphStore) -> bytes:
    """Return the record of processing as an Excel workbook: a bold header row, frozen panes,
    filters on every column and column widths fitted to the content. Characters a workbook
    cannot hold (control characters) become U+FFFD."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.writer.excel import ExcelWriter

    rows = [[ILLEGAL_CHARACTERS_RE.sub("\ufffd", cell) for cell in row] for row in ropa_rows(store)]
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
