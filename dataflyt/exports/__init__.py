"""Exports: the whole map in standard formats, read through the store interface so they work
on every store. Each format lives in its own module and is imported only when asked for."""

from __future__ import annotations

from collections.abc import Callable
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


def export(store: GraphStore, fmt: ExportFormat, progress: Progress = silent) -> str | bytes:
    """Return the map in ``store`` written in ``fmt`` (bytes for xlsx); the same map gives the
    same output. Each writer's module, and its libraries, are imported only when used;
    ``progress`` hears when writing starts and ends."""
    module, function = _WRITERS[fmt]
    writer: Callable[[GraphStore], str | bytes] = getattr(import_module(module), function)
    progress(f"Writing {fmt.value}", 0, 1)
    content = writer(store)
    progress(f"Wrote {fmt.value}", 1, 1)
    return content
