"""Exports: the whole map in standard formats, read through the store interface so they work
on every store. Each format lives in its own module and is imported only when asked for."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from importlib import import_module
from typing import TYPE_CHECKING

from dataflyt.exports.formats import ExportFormat
from dataflyt.progress import Progress, silent

if TYPE_CHECKING:
    from dataflyt.graph.store import GraphStore

__all__ = ["ExportFormat", "export"]


_WRITERS = {
    ExportFormat.JSON: ("dataflyt.exports.snapshot", "export_json"),
    ExportFormat.GRAPHML: ("dataflyt.exports.graphml", "export_graphml"),
    ExportFormat.CYPHER: ("dataflyt.exports.cypher", "export_cypher"),
    ExportFormat.ROPA_CSV: ("dataflyt.exports.ropa", "export_ropa_csv"),
    ExportFormat.ROPA_XLSX: ("dataflyt.exports.ropa", "export_ropa_xlsx"),
    ExportFormat.DPV: ("dataflyt.exports.dpv", "export_dpv"),
    ExportFormat.FIDES: ("dataflyt.exports.fides", "export_fides"),
}
# the formats that name the controller (the user's own organisation)
_NAMING_CONTROLLER = frozenset({ExportFormat.ROPA_CSV, ExportFormat.ROPA_XLSX, ExportFormat.DPV})


def export(
    store: GraphStore,
    fmt: ExportFormat,
    progress: Progress = silent,
    *,
    controller: str | None = None,
) -> str | bytes:
    """Return the map in ``store`` written in ``fmt`` (bytes for xlsx); the same map gives the
    same output. ``controller`` names the user's own organisation for the formats that name
    it when no data map in the store does. Each writer's module, and its libraries, are
    imported only when used; ``progress`` hears when writing starts and ends."""
    module, function = _WRITERS[fmt]
    found = getattr(import_module(module), function)
    writer: Callable[[GraphStore], str | bytes] = (
        partial(found, controller=controller) if fmt in _NAMING_CONTROLLER else found
    )
    progress(f"Writing {fmt.value}", 0, 1)
    content = writer(store)
    progress(f"Wrote {fmt.value}", 1, 1)
    return content
