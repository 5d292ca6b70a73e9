"""Cypher export: a script of MERGE statements that recreates the map in Neo4j with the same
labels, relationship types and properties the Neo4j store writes (``graph.neo4j_properties``).
Every value is written as an escaped literal; labels and types come from the model's enums."""

from __future__ import annotations

import json
from typing import Any

from dataflyt.exports.snapshot import snapshot
from dataflyt.graph.neo4j_properties import edge_properties, node_properties
from dataflyt.graph.store import GraphStore

__all__ = ["cypher_literal", "export_cypher"]

_ESCAPES = {
    "\\": "\\\\",
    "'": "\\'",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\b": "\\b",
    "\f": "\\f",
}


def cypher_literal(value: Any) -> str:
    """Return ``value`` (string, number, boolean, None or list) as a Cypher literal."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(cypher_literal(item) for item in value) + "]"
    return "'" + "".join(_escape(ch) for ch in str(value)) + "'"


def _escape(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    if ch.isprintable():
        return ch
    # Cypher reads \uXXXX (four hex digits) and \UXXXXXXXX (eight)
    return f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}"


def _map(props: dict[str, Any]) -> str:
    # property keys come from the model, but are quoted as identifiers all the same
    body = ", ".join(
        f"`{key.replace('`', '``')}`: {cypher_literal(value)}"
        for key, value in sorted(props.items())
    )
    return "{" + body + "}"


def export_cypher(store: GraphStore) -> str:
    """Return a Cypher script that MERGEs every node and relationship of the map. A
    relationship is merged on all its properties, so that running the script twice adds
    nothing and two facts between the same nodes in one document (the places of two
    engagements, say) stay two."""
    nodes, edges = snapshot(store)
    lines = [
        "// dataflyt map: run with cypher-shell or paste into Neo4j Browser",
        "CREATE CONSTRAINT dataflyt_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE;",
    ]
    for node in nodes:
        lines.append(
            f"MERGE (n:Node {{id: {cypher_literal(node.id)}}}) "
            f"SET n = {_map(node_properties(node))}, n:{node.kind.value};"
        )
    for edge in edges:
        lines.append(
            f"MATCH (s:Node {{id: {cypher_literal(edge.source)}}}), "
            f"(t:Node {{id: {cypher_literal(edge.target)}}}) "
            f"MERGE (s)-[:{edge.kind.value} {_map(edge_properties(edge))}]->(t);"
        )
    return "\n".join(lines) + "\n"
