"""Downloads: the diagram of a scope in every format (``dataflyt diagram``), its DPIA report
(``dataflyt report``) and every export of the map (``dataflyt export``), each served as an
attachment named after its scope, so no download is ever shown as a page of the app."""

from __future__ import annotations

import re
from typing import TypeVar

from starlette.requests import Request
from starlette.responses import Response

from dataflyt.diagrams.formats import DiagramFormat, ReportFormat
from dataflyt.diagrams.render import draw
from dataflyt.diagrams.report_render import report_text
from dataflyt.diagrams.scope import Scope
from dataflyt.exports import ExportFormat, export
from dataflyt.ids import slug
from dataflyt.web.params import (
    SCOPE_PARAMETERS,
    BadRequest,
    scope_from,
    scope_query,
    store_of,
)
from dataflyt.web.templating import page

__all__ = ["download_diagram", "download_export", "download_report", "downloads_page"]

_Format = TypeVar("_Format", DiagramFormat, ReportFormat, ExportFormat)
_MEDIA_TYPES = {
    "svg": "image/svg+xml",
    "png": "image/png",
    "pdf": "application/pdf",
    "dot": "text/vnd.graphviz; charset=utf-8",
    "mmd": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "cypher": "text/plain; charset=utf-8",
    "ropa-csv": "text/csv; charset=utf-8",
    "ropa-xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dpv": "application/ld+json",
    "fides": "application/yaml",
}
_EXPORT_EXTENSIONS = {
    ExportFormat.JSON: "json",
    ExportFormat.GRAPHML: "graphml",
    ExportFormat.CYPHER: "cypher",
    ExportFormat.ROPA_CSV: "csv",
    ExportFormat.ROPA_XLSX: "xlsx",
    ExportFormat.DPV: "jsonld",
    ExportFormat.FIDES: "yaml",
}


def _file_name(scope: Scope, extension: str) -> str:
    """Return a file name for a download of ``scope`` made of ASCII letters, digits, dots and
    hyphens only (a header carries it, and any file system takes it)."""
    name = scope.kind.value
    if scope.name is not None:
        key = re.sub(r"[^a-z0-9-]+", "", slug(scope.name)).strip("-")
        name = f"{name}-{key}" if key else name
    return f"dataflyt-{name}.{extension}"


def _attachment(data: bytes, name: str, fmt: str) -> Response:
    return Response(
        data,
        media_type=_MEDIA_TYPES[fmt],
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


def _format(kind: type[_Format], value: str) -> _Format:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(f.value for f in kind)
        raise BadRequest(f"{value!r} is not a format here: choose one of {choices}") from None


def downloads_page(request: Request) -> Response:
    """Every download for the scope the parameters name (the whole map without one)."""
    named = any(name in request.query_params for name in SCOPE_PARAMETERS)
    scope = scope_from(request) if named else None
    return page(
        request,
        "downloads.html.j2",
        {
            "scope": scope,
            "scope_params": scope_query(scope) if scope else {"all": "1"},
            "diagram_formats": list(DiagramFormat),
            "report_formats": list(ReportFormat),
            "export_formats": list(ExportFormat),
        },
    )


def download_diagram(request: Request) -> Response:
    """The diagram of the scope in the format the address names (``detail`` draws every
    service on its own box)."""
    fmt = _format(DiagramFormat, request.path_params["fmt"])
    scope = scope_from(request)
    data = draw(store_of(request), scope, fmt, detail="detail" in request.query_params)
    return _attachment(data, _file_name(scope, fmt.value), fmt.value)


def download_report(request: Request) -> Response:
    """The DPIA report of the scope, as HTML or Markdown."""
    fmt = _format(ReportFormat, request.path_params["fmt"])
    scope = scope_from(request)
    text = report_text(store_of(request), scope, fmt)
    return _attachment(text.encode("utf-8"), _file_name(scope, fmt.value), fmt.value)


def download_export(request: Request) -> Response:
    """The whole map in an export format; the record of processing and DPV name the
    controller the explorer was started with when no data map does."""
    fmt = _format(ExportFormat, request.path_params["fmt"])
    content = export(store_of(request), fmt, controller=request.app.state.controller)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    name = f"dataflyt-map-{fmt.value}.{_EXPORT_EXTENSIONS[fmt]}"
    return _attachment(data, name, fmt.value)
