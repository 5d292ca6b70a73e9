"""How a node or edge is stored as Neo4j properties: id, name, kind and every attribute as
JSON (read back exactly), plus the plain attributes flattened for Neo4j Browser and Bloom.
Shared by the Neo4j store and the Cypher export; imports no driver."""

from __future__ import annotations

import json
from typing import Any

from dataflyt.graph.model import Edge, Node

__all__ = ["EDGE_FIELDS", "NODE_FIELDS", "edge_row", "node_row"]

NODE_FIELDS = frozenset({"id", "name", "kind", "attrs_json"})
EDGE_FIELDS = frozenset({"doc", "line", "text", "attrs_json"})


def _flat(attrs: dict[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Return the attributes Neo4j can hold as properties: plain values and lists of strings."""
    return {
        key: value
        for key, value in attrs.items()
        if key not in reserved
        and (
            isinstance(value, str | int | float | bool)
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        )
    }


def node_row(node: Node) -> dict[str, Any]:
    """Return the properties a node is stored with."""
    return {
        **_flat(node.attrs, NODE_FIELDS),
        "id": node.id,
        "name": node.name,
        "kind": node.kind.value,
        "attrs_json": json.dumps(node.attrs, ensure_ascii=False),
    }


def edge_row(edge: Edge) -> dict[str, Any]:
    """Return the end ids and properties an edge is stored with."""
    props = {
        **_flat(edge.attrs, EDGE_FIELDS),
        "doc": edge.doc,
        "line": edge.line,
        "text": edge.text,
        "attrs_json": json.dumps(edge.attrs, ensure_ascii=False),
    }
    return {"source": edge.source, "target": edge.target, "props": props}
