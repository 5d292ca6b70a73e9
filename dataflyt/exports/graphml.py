"""GraphML export (Gephi, yEd, networkx): every field of a node or edge as an attribute, flattened
to strings, numbers and booleans, lists written as JSON text; an edge's GraphML key is its
identity in the map (source, kind, target, document and scope). Characters XML 1.0 cannot hold
(control characters) become U+FFFD and booleans are written as XML Schema booleans ("true",
"false", as the GraphML primer types them: http://graphml.graphdrawing.org/primer/graphml-primer.html),
so every reader accepts the file."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
from networkx.readwrite.graphml import GraphMLWriter

from dataflyt.exports.snapshot import snapshot
from dataflyt.graph.store import GraphStore

__all__ = ["export_graphml"]

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


class _XsdWriter(GraphMLWriter):  # type: ignore[misc]
    """networkx's GraphML writer, writing booleans as xsd:boolean rather than Python's
    ``True``/``False``, which strict readers (yEd, the Java reference reader) refuse."""

    def add_data(
        self, name: str, element_type: type, value: str, scope: str = "all", default: Any = None
    ) -> Any:
        """Return the ``data`` element of one attribute value (networkx passes it as text)."""
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:
            element.text = element.text.lower()
        return element


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
    """Return the map as GraphML: each node's and edge's kind and fields (for an edge also its
    provenance: document, page, line and wording) as attributes."""
    import networkx as nx

    nodes, edges = snapshot(store)
    graph = nx.MultiDiGraph()
    for node in nodes:
        fields = msgspec.structs.asdict(node)
        del fields["id"]
        graph.add_node(node.id, **_plain({**fields, "kind": node.kind.value}))
    for edge in edges:
        fields = msgspec.structs.asdict(edge)
        del fields["source"], fields["target"]
        graph.add_edge(
            edge.source,
            edge.target,
            key=_text("|".join(edge.key)),
            **_plain({**fields, "kind": edge.kind.value}),
        )
    writer = _XsdWriter(prettyprint=True)
    writer.add_graph_element(graph)
    return str(writer).rstrip("\n") + "\n"
