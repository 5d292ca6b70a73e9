"""GraphML export (Gephi, yEd, networkx): attributes flattened to strings, numbers and booleans."""

from __future__ import annotations

import json
from typing import Any

from dataflyt.exports.snapshot import snapshot
from dataflyt.graph.store import GraphStore

__all__ = ["export_graphml"]


def _plain(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for key, value in sorted(attrs.items()):
        if value is None:
            continue
        if isinstance(value, str | int | float | bool):
            flat[key] = value
        else:
            flat[key] = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return flat


def export_graphml(store: GraphStore) -> str:
    """Return the map as GraphML: node kind and name, edge kind and provenance as attributes."""
    import networkx as nx

    nodes, edges = snapshot(store)
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node.id, kind=node.kind.value, name=node.name, **_plain(node.attrs))
    for edge in edges:
        provenance = _plain({"doc": edge.doc, "line": edge.line, "text": edge.text})
        graph.add_edge(
            edge.source,
            edge.target,
            key=f"{edge.kind.value}|{edge.doc}",
            kind=edge.kind.value,
            **provenance,
            **_plain(edge.attrs),
        )
    return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
