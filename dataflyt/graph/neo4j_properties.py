"""How the map's nodes and edges are kept in Neo4j, and read back.

A node is a Neo4j node labelled ``:Node`` and the label of its kind (``:Service``,
``:Organisation``, ...; ``NodeKind``), with its struct's fields as properties. An edge is a
relationship whose type is its kind (``:PROCESSES``, ...; ``EdgeKind``) from its source's node
to its target's, with its document version (``doc``), page, line and wording (``text``) and
its kind's fields as properties. Tuples are stored as lists. A field that is None, and a
list field left empty where empty is its default (no safeguards, no aliases stated), is left
out: the property is absent, and reads back as the default. So what a person sees in Neo4j
Browser is the map itself and nothing else. The label gives a node's kind and the type an
edge's, so neither is stored.

Reading back decodes the property maps the Cypher of ``NODE_MAP`` and ``edge_map`` makes
(the kind added) into the model's typed structs with ``msgspec``. The Neo4j store and the
Cypher export share these functions; this module imports no driver.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import msgspec

from dataflyt.errors import StoreError
from dataflyt.graph.model import AnyEdge, AnyNode, Document, Edge, EdgeKind, Node, NodeKind

__all__ = [
    "EDGE_TYPES",
    "FACTS_OF_VERSIONS",
    "NODE_KIND",
    "NODE_MAP",
    "documents_from_maps",
    "edge_map",
    "edge_properties",
    "edges_from_maps",
    "node_properties",
    "nodes_from_maps",
]

# every relationship type of the map, for patterns: a relationship of another type, which
# some other tool made, is none of the map's facts
EDGE_TYPES = "|".join(kind.value for kind in EdgeKind)
_KIND_LABELS = "[" + ", ".join(f"'{kind.value}'" for kind in NodeKind) + "]"
# the kind of node ``n``: the label of its kind
NODE_KIND = f"[label IN labels(n) WHERE label IN {_KIND_LABELS}][0]"
# the property map of node ``n`` with its kind
NODE_MAP = f"n {{.*, kind: {NODE_KIND}}}"
# each relationship ``r`` (from ``s`` to ``t``) of the versions ``$docs``, every type found
# through its index on ``doc`` (by hint: a planner that believes the database empty would
# scan instead)
FACTS_OF_VERSIONS = (
    "UNWIND $docs AS doc CALL (doc) { "
    + " UNION ALL ".join(
        f"MATCH (s:Node)-[r:{kind.value} {{doc: doc}}]->(t:Node) USING INDEX r:{kind.value}(doc) "
        "RETURN r, s, t"
        for kind in EdgeKind
    )
    + " }"
)

_ENDS = ("source", "target")
_INDEX = re.compile(r"`\$\[(\d+)\]")


def edge_map(source: str, target: str) -> str:
    """Return the Cypher of the property map of relationship ``r`` with its kind and its
    ends' ids, given the Cypher of its source and target nodes."""
    return f"r {{.*, kind: type(r), source: {source}.id, target: {target}.id}}"


@cache
def _left_out(kind: type[msgspec.Struct]) -> frozenset[str]:
    """Return the fields of ``kind`` not stored when empty: those whose default is ()."""
    return frozenset(f.name for f in msgspec.structs.fields(kind) if f.default == ())


def _properties(struct: msgspec.Struct, ends: tuple[str, ...]) -> dict[str, Any]:
    """Return the fields of ``struct`` but ``ends``, as Neo4j keeps them: without None and
    without lists left empty where empty is the default; tuples as lists."""
    empty = _left_out(type(struct))
    return {
        key: list(value) if isinstance(value, tuple) else value
        for key, value in msgspec.structs.asdict(struct).items()
        if value is not None and key not in ends and not (value == () and key in empty)
    }


def node_properties(node: Node) -> dict[str, Any]:
    """Return the properties ``node`` is stored with."""
    return _properties(node, ())


def edge_properties(edge: Edge) -> dict[str, Any]:
    """Return the properties ``edge`` is stored with: its document, page, line, text and its
    kind's fields, without its ends (the relationship's nodes)."""
    return _properties(edge, _ENDS)


def nodes_from_maps(maps: list[dict[str, Any]]) -> list[AnyNode]:
    """Return the nodes of ``NODE_MAP`` maps; raise ``StoreError`` naming the first node
    whose properties are not those of its kind (changed by hand, say)."""
    nodes: list[AnyNode] = _decoded(maps, AnyNode)
    return nodes


def documents_from_maps(maps: list[dict[str, Any]]) -> list[Document]:
    """Return the document versions of ``NODE_MAP`` maps of ``:Document`` nodes."""
    documents: list[Document] = _decoded(maps, Document)
    return documents


def edges_from_maps(maps: list[dict[str, Any]]) -> list[AnyEdge]:
    """Return the edges of ``edge_map`` maps; raise ``StoreError`` naming the first
    relationship whose properties are not those of its type."""
    edges: list[AnyEdge] = _decoded(maps, AnyEdge)
    return edges


def _decoded(maps: list[dict[str, Any]], kind: Any) -> Any:
    try:
        return msgspec.convert(maps, list[kind])
    except msgspec.ValidationError as error:
        # msgspec ends its message with where the bad value is: "- at `$[12].line`"
        reason, _, where = str(error).partition(" - at ")
        index = _INDEX.match(where)
        found = maps[int(index.group(1))] if index else {}
        raise StoreError(_refusal(found, reason)) from None


def _refusal(found: dict[str, Any], reason: str) -> str:
    """Return the message for a node or relationship whose properties are not what dataflyt
    writes, for ``reason``."""
    if "source" in found:
        what = (
            f"relationship {found.get('kind')} {found.get('source')} -> {found.get('target')} "
            f"(document {found.get('doc')})"
        )
    else:
        what = f"node {found.get('id')!r}"
    return (
        f"the {what} in Neo4j does not hold what dataflyt writes ({reason}): load its "
        "documents again, or undo the change made to it by hand"
    )
