"""Exports: the whole map in standard formats, read through the store interface so they work
on every store. Each format lives in its own module and is imported only when asked for."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataflyt.exports.formats import ExportFormat

if TYPE_CHECKING:
    from dataflyt.graph.store import GraphStore

__all__ = ["ExportFormat", "export"]


def export(store: GraphStore, fmt: ExportFormat) -> str:
    """Return the map in ``store`` written in ``fmt``; the same map gives the same text."""
    if fmt is ExportFormat.JSON:
        from dataflyt.exports.snapshot import export_json

        return export_json(store)
    if fmt is ExportFormat.GRAPHML:
        from dataflyt.exports.graphml import export_graphml

        return export_graphml(store)
    if fmt is ExportFormat.CYPHER:
        from dataflyt.exports.cypher import export_cypher

        return export_cypher(store)
    from dataflyt.exports.ropa import export_ropa_csv

    return export_ropa_csv(store)
