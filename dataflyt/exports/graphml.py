"""GraphML export (Gephi, yEd, networkx): attributes flattened to strings, numbers and booleans,
lists and mappings written as JSON text. Characters XML 1.0 cannot hold (control characters)
become U+FFFD, so every reader accepts the file."""

from __future__ import annotations

import json
import re
from typing import Any

from dataflyt.exports.snapshot import snapshot
from dataflyt.graph.store import GraphStore

__all__ = ["export_graphml"]

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def _plain(attrs: dict[str, Any]) -> dict[str, str | int | float | bool]:
    flat: dict[str, str | int | float | bool] = {}
    for key, value in sorted(attrs.items()):
        if value is None:
            continue
        if isinstance(value, str):
            flat[key] = _text(value)
        elif isinstance(value, int | float | bool):
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
        graph.add_node(
            node.id, **_plain({**node.attrs, "kind": node.kind.value, "name": node.name})
        )
    for edge in edges:
        provenance = {"doc": edge.doc, "line": edge.line, "text": edge.text}
        graph.add_edge(
            edge.source,
            edge.target,
            key=f"{edge.kind.value}|{edge.doc}",
            **_plain({**edge.attrs, **provenance, "kind": edge.kind.value}),
        )
    return "\n".join(nx.generate_graphml(graph, prettyprint=True)) + "\n"
