"""How a node or edge is stored as Neo4j properties, and read back: id, name, kind and every
attribute as JSON (what is read back, exactly), plus the plain attributes flattened for Neo4j
Browser and Bloom. Shared by the Neo4j store and the Cypher export; imports no driver.

Every node also keeps a copy of the relationships that leave it (``LEAVING``), of the types
the reads take from it (``COPIED``: for a service's outline and the organisations of a
breach's chain): one string per relationship, its type, far end's id, document and attributes
as JSON, separated by U+001F (which no id made by ``model.node_id`` holds, the Neo4j store
refuses in any other id, and JSON escapes). Reading a thousand services with their facts from
that one property took the server a third of the time of following their eleven thousand
relationships and reading three properties of each and the far end's id. Every load writes
the copy of each node whose leaving relationships or properties it writes. A read trusts a
copy only when it has as many entries as the node has leaving relationships of those types
(``LEAVING_READ``): a node without one (written by another tool, or by a version of dataflyt
that copied other types too), or one whose relationships were added or deleted by hand, is
read from its relationships.
"""

from __future__ import annotations

from collections.abc import Iterable
from operator import itemgetter
from typing import Any

import msgspec

from dataflyt.graph.model import (
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    Provision,
    ServiceOutline,
    provider_role,
    subject_keys,
)

__all__ = [
    "COPIED",
    "EDGE_FIELDS",
    "LEAVING",
    "LEAVING_COPY",
    "LEAVING_READ",
    "NODES_BY_ID",
    "NODE_COLUMNS",
    "NODE_FIELDS",
    "OUTLINES_BY_ID",
    "SEPARATOR",
    "SET_LEAVING",
    "LeavingCopies",
    "OutlineReader",
    "attrs_json",
    "edge_columns",
    "edge_props",
    "edge_row",
    "edge_values",
    "edges_from_near_rows",
    "edges_from_rows",
    "leaving_copies",
    "near_values",
    "node_from_row",
    "node_row",
]

LEAVING = "dataflyt_leaving"
# the types copied: an outline reads PROCESSES, PROCESSED_IN and ENGAGES, a breach the
# ENGAGES and PROVIDES of the organisations on the chain
COPIED = frozenset({EdgeKind.PROCESSES, EdgeKind.PROCESSED_IN, EdgeKind.ENGAGES, EdgeKind.PROVIDES})
_COPIED_TYPES = "|".join(sorted(kind.value for kind in COPIED))
# (a relationship some other tool made, without a document, is none of the map's facts)
LEAVING_COPY = (
    f"[(n)-[r:{_COPIED_TYPES}]->(t) WHERE r.doc IS NOT NULL AND t.id IS NOT NULL | "
    "type(r) + '\\u001f' + t.id + '\\u001f' + r.doc + '\\u001f' + coalesce(r.attrs_json, '{}')]"
)
SEPARATOR = "\x1f"
# what gives node ``n`` its copy
SET_LEAVING = f"SET n.{LEAVING} = {LEAVING_COPY}"
# the copy of node ``n``, or its relationships where the copy is missing or counts otherwise
LEAVING_READ = (
    f"CASE WHEN size(n.{LEAVING}) = COUNT {{ (n)-[:{_COPIED_TYPES}]->() }} THEN n.{LEAVING} "
    f"ELSE {LEAVING_COPY} END"
)

# a service's outline (``OutlineReader``): its id, name, copy and the PROVIDES entering it
OUTLINES_BY_ID = (
    f"MATCH (n:Node) WHERE n.id IN $ids RETURN collect([n.id, n.name, {LEAVING_READ}, "
    "[(n)<-[r:PROVIDES]-(t) | [t.id, r.doc, t.name, r.attrs_json]]]) AS rows"
)

NODE_FIELDS = frozenset({"id", "name", "kind", "attrs_json", LEAVING})
EDGE_FIELDS = frozenset({"doc", "line", "text", "attrs_json"})

# Reads return one record whose ``rows`` column lists every answer: the driver's cost per
# record (some 20 us) would otherwise outweigh the server's work several times over.
NODE_COLUMNS = "collect([n.id, n.kind, n.name, n.attrs_json]) AS rows"
NODES_BY_ID = f"MATCH (n:Node) WHERE n.id IN $ids RETURN {NODE_COLUMNS}"

_encode = msgspec.json.Encoder().encode
_decode = msgspec.json.Decoder(dict[str, Any]).decode
# the enums by value: a dict lookup is some thirty times cheaper than calling the enum
_NODE_KINDS = {kind.value: kind for kind in NodeKind}
_EDGE_KINDS = {kind.value: kind for kind in EdgeKind}


_PLAIN = (str, int, float, bool)


def _flat(attrs: dict[str, Any], reserved: frozenset[str]) -> dict[str, Any]:
    """Return the attributes Neo4j can hold as properties: plain values and lists of strings."""
    return {
        key: value
        for key, value in attrs.items()
        if key not in reserved
        and (
            isinstance(value, _PLAIN)
            or (isinstance(value, list) and all(isinstance(item, str) for item in value))
        )
    }


def attrs_json(attrs: dict[str, Any]) -> str:
    """Return ``attrs`` as compact JSON text (msgspec: a tenth of ``json.dumps``'s time)."""
    return _encode(attrs).decode()


def node_row(node: Node, leaving: list[str] | None = None) -> dict[str, Any]:
    """Return the properties a node is stored with, with its ``leaving`` copy if given."""
    row = {
        **_flat(node.attrs, NODE_FIELDS),
        "id": node.id,
        "name": node.name,
        "kind": node.kind._value_,
        "attrs_json": attrs_json(node.attrs),
    }
    if leaving is not None:
        row[LEAVING] = leaving
    return row


def leaving_copies(node_ids: Iterable[str], edges: Iterable[Edge]) -> dict[str, list[str]]:
    """Return the ``LEAVING`` copy of each of these nodes, by id, when ``edges`` hold all the
    relationships that leave it (as for a node new to the database): for each edge of a
    ``COPIED`` kind, the string ``LEAVING_COPY`` makes of its relationship on the server."""
    copies: dict[str, list[str]] = {node_id: [] for node_id in node_ids}
    for edge in edges:
        copy = copies.get(edge.source)
        if copy is not None and edge.kind in COPIED:
            kind = edge.kind._value_
            copy.append(SEPARATOR.join((kind, edge.target, edge.doc, attrs_json(edge.attrs))))
    return copies


def edge_values(edge: Edge) -> list[Any]:
    """Return the properties an edge is stored with as a list: its document, line, text,
    attributes as JSON, and a map of the attributes flattened for Neo4j Browser. (A list
    costs the driver and the server less to carry than a map with its keys in every row.)"""
    attrs = edge.attrs
    flat = _flat(attrs, EDGE_FIELDS) if attrs else {}
    return [edge.doc, edge.line, edge.text, attrs_json(attrs), flat]


def edge_props(edge: Edge) -> dict[str, Any]:
    """Return the properties an edge is stored with."""
    doc, line, text, json_text, flat = edge_values(edge)
    return {**flat, "doc": doc, "line": line, "text": text, "attrs_json": json_text}


def edge_row(edge: Edge) -> dict[str, Any]:
    """Return the end ids, relationship type and properties an edge is stored with."""
    # ``_value_``: the enum's ``value`` is a descriptor, several times slower, for every edge
    kind = edge.kind._value_
    return {"source": edge.source, "kind": kind, "target": edge.target, "props": edge_props(edge)}


# A relationship without a document (made by hand in Neo4j Browser, say) is none of the map's
# facts: the decoders below pass its rows by. Where the document is in each row shape, and
# the orders that sort rows as their edges' keys sort:
_ROW_DOC, _NEAR_DOC = 3, 2
_ROW_KEY = itemgetter(0, 1, 2, 3)  # (source, kind, target, doc)
_KIND_END = itemgetter(0, 1, 2)  # (kind, other end, doc), for edges leaving the node
_END_KIND = itemgetter(1, 0, 2)  # (other end, kind, doc), for edges entering it


def _relationship_values(cited: bool) -> str:
    """Return the Cypher of what a row holds of relationship ``r`` itself (``_edge`` reads
    it): its document and attributes, with ``cited`` also its line and text."""
    return "r.doc, r.attrs_json" + (", r.line, r.text" if cited else "")


def edge_columns(source: str, target: str, cited: bool = True) -> str:
    """Return the Cypher that collects relationships ``r`` into one ``rows`` column for
    ``edges_from_rows``, given the expressions of their source's and target's ids."""
    return f"collect([{source}, type(r), {target}, {_relationship_values(cited)}]) AS rows"


def near_values(other: str, cited: bool = True) -> str:
    """Return the Cypher list of one relationship ``r`` of a node that
    ``edges_from_near_rows`` reads, given the expression of its other end's id (the node's
    own id is not repeated in every row)."""
    return f"[type(r), {other}, {_relationship_values(cited)}]"


def node_from_row(row: list[Any]) -> Node:
    """Return the node of a ``NODE_COLUMNS`` row."""
    node_id, kind, name, attrs = row
    return Node(id=node_id, kind=_NODE_KINDS[kind], name=name, attrs=_decode(attrs))


def edges_from_rows(rows: list[list[Any]], both_ways: bool) -> list[Edge]:
    """Return the facts among ``edge_columns`` rows as edges sorted by key; with
    ``both_ways`` (edges read leaving and entering the nodes asked about, so that an edge
    between two of them comes twice) each once."""
    facts = [row for row in rows if row[_ROW_DOC] is not None]
    if both_ways:
        facts = list({tuple(row[:4]): row for row in facts}.values())
    return [_edge(s, t, kind, rest) for s, kind, t, *rest in sorted(facts, key=_ROW_KEY)]


def edges_from_near_rows(rows: list[list[Any]], node_id: str, leaving: bool) -> list[Edge]:
    """Return the facts among ``near_values`` rows of the node ``node_id`` as edges that
    leave it (``leaving``) or enter it, sorted by key."""
    facts = [row for row in rows if row[_NEAR_DOC] is not None]
    if leaving:  # (this node, kind, other end, doc)
        return [_edge(node_id, t, kind, rest) for kind, t, *rest in sorted(facts, key=_KIND_END)]
    # (other end, kind, this node, doc)
    return [_edge(s, node_id, kind, rest) for kind, s, *rest in sorted(facts, key=_END_KIND)]


class _DecodedAttributes(dict[str, dict[str, Any]]):
    """Attributes by their JSON text, each distinct text decoded once, on first lookup."""

    def __missing__(self, text: str) -> dict[str, Any]:
        attrs = self[text] = _decode(text)
        return attrs


class LeavingCopies:
    """Reads the edges of some relationship types from nodes' ``LEAVING`` copies, each
    distinct attribute text decoded once per reader: the edges share those dicts, so treat
    them as read-only, as the edges of every store."""

    def __init__(self, kinds: Iterable[str]) -> None:
        self.kinds = {kind: _EDGE_KINDS[kind] for kind in kinds}
        self.decoded = _DecodedAttributes()

    def edges(self, copy: list[str], node_id: str) -> list[Edge]:
        """Return the edges in the copy of the node ``node_id``, sorted by key (as the
        strings sort: the separator sorts before any character of an id)."""
        kinds, decoded = self.kinds, self.decoded
        edges = []
        for entry in sorted(copy):
            kind, target, doc, text = entry.split(SEPARATOR, 3)
            edge_kind = kinds.get(kind)
            if edge_kind is not None:
                edges.append(Edge(node_id, target, edge_kind, doc, None, None, decoded[text]))
        return edges


# the relationship types an outline reads from the copy
_PROCESSES = EdgeKind.PROCESSES.value
_PROCESSED_IN = EdgeKind.PROCESSED_IN.value
_ENGAGES_KIND = EdgeKind.ENGAGES
_ENGAGES = _ENGAGES_KIND.value


class OutlineReader:
    """Reads services' outlines from ``OUTLINES_BY_ID`` rows, each distinct attribute text
    decoded once per reader and each (category, attribute text) pair made once: outlines
    share them, so treat them as read-only.

    It reads the copy's strings as they are and makes edges of engagements only: a large
    breach reads 15,000 entries, and making an edge of each, then reading the edges again for
    the briefs, took about twice as long (29 against 15 ms in a trial)."""

    def __init__(self) -> None:
        self.decoded = _DecodedAttributes()
        self.pairs: dict[tuple[str, str], tuple[str, tuple[str, ...]]] = {}

    def outline(self, row: list[Any]) -> ServiceOutline:
        """Return the outline of the service of one row (its copy's entries sort as their
        edges' keys: the separator sorts before any character of an id)."""
        node_id, name, copy, provides = row
        categories = []
        countries = []
        engagements = []
        pairs, decoded = self.pairs, self.decoded
        for entry in sorted(copy):
            kind, target, doc, text = entry.split(SEPARATOR, 3)
            if kind == _PROCESSES:
                pair = pairs.get((target, text))
                if pair is None:
                    pair = pairs[target, text] = (target, subject_keys(decoded[text]))
                categories.append(pair)
            elif kind == _PROCESSED_IN:
                countries.append(target)
            elif kind == _ENGAGES:
                engagements.append(
                    Edge(node_id, target, _ENGAGES_KIND, doc, None, None, decoded[text])
                )
        facts = [entering for entering in provides if entering[1] is not None]
        provision = None
        if facts:  # the first by key: (source, kind, target, doc)
            source, _, source_name, text = min(facts)
            provision = Provision(source, source_name, provider_role(decoded[text]))
        return ServiceOutline(node_id, name, provision, categories, countries, engagements)


def _edge(source: str, target: str, kind: str, relationship: list[Any]) -> Edge:
    """Return the edge between these ends, of this type, from ``_relationship_values``."""
    doc, attrs, *cited = relationship
    line, text = cited or (None, None)
    return Edge(
        source=source,
        target=target,
        kind=_EDGE_KINDS[kind],
        doc=doc,
        line=line,
        text=text,
        attrs=_decode(attrs),
    )
