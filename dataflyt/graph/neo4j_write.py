"""The Neo4j store's write transaction: how ``replace_documents`` brings documents up to date.

A replaced document's stored facts are compared with the batch: a fact the batch states again
with the same properties stays as it is, every other one is deleted, and only new or changed
facts are created. Loading the same documents again so writes next to nothing (re-creating an
unchanged map of 10,000 services, 132,000 relationships, in one transaction took more than a
1 GB server's transaction memory), and a new version of a document writes only what changed.

Labels and relationship types of written rows are dynamic (``$(row.kind)``, Neo4j 5.26), so
that a batch takes a handful of statements whatever its kinds: each statement is a round trip,
and on a fresh server a query plan to compile. Labels and types written into query text come
only from the ``EdgeKind`` enum; every value is a parameter.

Imports no driver: the store passes its transaction in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from itertools import chain, groupby, islice
from operator import attrgetter
from typing import Any, NoReturn, Protocol

from dataflyt.errors import StoreError
from dataflyt.graph.model import Edge, EdgeKind, GraphBatch, Node, merge_nodes
from dataflyt.graph.neo4j_rows import (
    NODES_BY_ID,
    SEPARATOR,
    SET_LEAVING,
    attrs_json,
    edge_row,
    edge_values,
    leaving_copies,
    node_from_row,
    node_row,
)
from dataflyt.graph.store import dangling_edge

__all__ = ["Transaction", "replace"]

# rows per UNWIND statement: large enough to need few round trips, small enough to keep a
# statement's parameters well under the server's message limits
_CHUNK = 5000
# about how many edges leave a node in a map, for chunks of edges grouped by source
_EDGES_PER_SOURCE = 10

Key = tuple[str, str, str, str]

# Every statement keeps the plan it was first given (``replan=skip``). The server otherwise
# plans a statement again once its plan is ten seconds old and the counts of nodes and
# relationships have moved, which is the case at nearly every load (a map emptied, thousands of
# facts added): in trials that took up to a quarter of a second per statement, more than the
# statement itself. Each plan here is right whatever the counts: seeks in the unique index on
# ``id``, by element id, or (by hint, as an empty database would plan a scan) in the index on
# ``doc``.
_FIXED_PLAN = "CYPHER replan=skip "

# the documents' stored facts, each kind found through its own index on `doc`
_FACTS = (
    _FIXED_PLAN
    + "UNWIND $docs AS doc CALL (doc) { "
    + " UNION ALL ".join(
        f"MATCH (s)-[r:{kind.value} {{doc: doc}}]->(t) USING INDEX r:{kind.value}(doc) "
        "RETURN r, s.id AS source, t.id AS target"
        for kind in EdgeKind
    )
    # properties(r) would take the server five times as long as naming them
    + " } RETURN collect([elementId(r), source, type(r), target, r.doc, r.line, r.text, "
    "r.attrs_json]) AS rows"
)
_DELETE_FACTS = _FIXED_PLAN + "UNWIND $rows AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r"
_STORED_NODES = _FIXED_PLAN + NODES_BY_ID
# Nodes are written first and answer with their element ids, by which the relationships then
# find their ends: a seek by element id takes a third of the time of a seek in the unique
# index, which also locks. Element ids are only used inside the transaction that read them.
_MERGE_NODES = (
    _FIXED_PLAN + "UNWIND $rows AS row MERGE (n:Node {id: row.id}) SET n = row, n:$(row.kind) "
    "RETURN collect([n.id, elementId(n)]) AS rows"
)
_ELEMENT_IDS = (
    _FIXED_PLAN + "MATCH (n:Node) WHERE n.id IN $ids RETURN collect([n.id, elementId(n)]) AS rows"
)
_DROP_EDGES = (
    _FIXED_PLAN
    + "UNWIND $rows AS row MATCH (:Node {id: row.source})-[old]->(:Node {id: row.target}) "
    "WHERE type(old) = row.kind AND old.doc = row.props.doc DELETE old"
)
# A row per source (``_created``): its element id, then a list per edge leaving it: the
# target's element id, the type and ``edge_values``. Lists, not maps: a map's keys in each of
# thousands of rows took the driver and the server a third longer to carry; and each source is
# sent and found once, not once per edge (~7 ms of a 1,000-service load's ~115 ms of edges).
_CREATE_EDGES = (
    _FIXED_PLAN
    + "UNWIND $rows AS source MATCH (s) WHERE elementId(s) = source[0] UNWIND source[1] AS row "
    "MATCH (t) WHERE elementId(t) = row[0] CREATE (s)-[r:$(row[1]) {doc: row[2], line: row[3], "
    "text: row[4], attrs_json: row[5]}]->(t) SET r += row[6]"
)
_REFRESH_LEAVING = _FIXED_PLAN + f"UNWIND $rows AS id MATCH (n:Node {{id: id}}) {SET_LEAVING}"
_ORPHANS = (
    _FIXED_PLAN + "UNWIND $ids AS id MATCH (n:Node {id: id}) "
    "WHERE NOT n:Document AND NOT EXISTS { (n)--() } DELETE n"
)


class Transaction(Protocol):
    """What this module needs of a driver transaction."""

    def run(self, query: str, parameters: dict[str, Any]) -> Iterable[Any]:
        """Run ``query``; return its records, which read their columns by name."""
        ...


def replace(tx: Transaction, batch: GraphBatch) -> None:
    """Bring the batch's documents to what the batch says, inside ``tx``: drop the facts it
    no longer states, merge its nodes, add its new or changed edges, drop orphaned nodes, and
    refresh the copies of leaving relationships of every node written or left with other
    relationships (a node new to the database gets its copy with its properties)."""
    _refuse_separators(batch)
    docs = batch.document_ids
    replaced = set(docs)
    edges = {edge.key: edge for edge in batch.edges}
    touched, kept = _drop_stale(tx, docs, edges)
    added = [edge for key, edge in edges.items() if key not in kept]
    element_ids, new = _merge_nodes(tx, [*batch.documents, *batch.nodes], replaced, added)
    touched |= element_ids.keys() | {edge.source for edge in added}
    _add_edges(tx, added, replaced, element_ids)
    # an end of an added edge has a relationship, so is no orphan
    joined = {end for edge in added for end in (edge.source, edge.target)}
    _run(tx, _ORPHANS, ids=sorted(touched - joined))
    _write_chunks(tx, _REFRESH_LEAVING, sorted(touched - new))


def _refuse_separators(batch: GraphBatch) -> None:
    """Raise a ``StoreError`` naming the first node or document id of ``batch`` that holds
    the separator of the copies of relationships (an edge's ends are nodes)."""
    ids = chain(batch.document_ids, (n.id for n in batch.nodes), (e.doc for e in batch.edges))
    refused = min((node_id for node_id in ids if SEPARATOR in node_id), default=None)
    if refused is not None:
        raise StoreError(
            f"node id {refused!r} holds the control character U+001F, which the Neo4j "
            "store cannot keep; nothing was written"
        )


def _drop_stale(
    tx: Transaction, docs: list[str], edges: dict[Key, Edge]
) -> tuple[set[str], set[Key]]:
    """Delete the documents' stored facts that ``edges`` do not state again unchanged; return
    the ids of the nodes these touched, and the keys of the facts left in place."""
    touched: set[str] = set()
    kept: set[Key] = set()
    stale: list[str] = []
    for element_id, source, kind, target, doc, *stored in _run(tx, _FACTS, docs=docs)[0]["rows"]:
        key = (source, kind, target, doc)
        edge = edges.get(key)
        # the flattened attributes follow from attrs_json
        if key not in kept and edge is not None and stored == _stored(edge):
            kept.add(key)
        else:
            stale.append(element_id)
            touched |= {source, target}
    _write_chunks(tx, _DELETE_FACTS, stale)
    return touched, kept


def _stored(edge: Edge) -> list[Any]:
    """Return the line, text and attributes (as JSON) the server holds for ``edge``."""
    return [edge.line, edge.text, attrs_json(edge.attrs)]


def _merge_nodes(
    tx: Transaction, incoming: list[Node], replaced: set[str], added: list[Edge]
) -> tuple[dict[str, str], set[str]]:
    """Write ``incoming`` over the stored nodes (a stored node keeps its name and kind, and
    incoming attributes win), in order; a replaced document's node is written anew. A node
    new to the database is written with its copy of leaving relationships: the ``added``
    edges it is the source of, as it has no others. Return the element id of every node
    written, by node id, and the ids of the new nodes."""
    ids = [node.id for node in incoming if node.id not in replaced]
    merged = {row[0]: node_from_row(row) for row in _run(tx, _STORED_NODES, ids=ids)[0]["rows"]}
    new = {node.id for node in incoming} - merged.keys() - replaced
    for node in incoming:
        merged[node.id] = merge_nodes(merged.get(node.id), node)
    copies = leaving_copies(new, added)
    rows = (node_row(node, copies.get(node.id)) for node in merged.values())
    records = _write_chunks(tx, _MERGE_NODES, rows)
    return {node: element for record in records for node, element in record["rows"]}, new


def _add_edges(
    tx: Transaction, edges: list[Edge], replaced: set[str], element_ids: dict[str, str]
) -> None:
    """Write ``edges`` (one per key) between the nodes of ``element_ids`` and nodes already
    stored; a replaced document's edge is created outright; an edge of any other document
    first removes the relationship with its key. (``MERGE`` would look every edge up, and in
    a fresh database, whose statistics say it holds no relationships, the planner does that
    lookup by scanning them all: quadratic in the batch.) Raise a ``StoreError`` naming the
    first edge whose source or target is no node, before writing any."""
    elements = dict(element_ids)
    stored = sorted(({e.source for e in edges} | {e.target for e in edges}) - elements.keys())
    if stored:
        elements |= dict(_run(tx, _ELEMENT_IDS, ids=stored)[0]["rows"])
        if not elements.keys() >= set(stored):
            _raise_dangling(edges, elements.keys())
    others = [edge_row(edge) for edge in edges if edge.doc not in replaced]
    _write_chunks(tx, _DROP_EDGES, others)
    _write_chunks(tx, _CREATE_EDGES, _created(edges, elements), _CHUNK // _EDGES_PER_SOURCE)


def _created(edges: list[Edge], elements: dict[str, str]) -> Iterator[list[Any]]:
    """Yield the rows that create ``edges`` between the nodes of these element ids, one per
    run of edges with the same source (a batch lists a node's edges together): the source's
    element id, then for each edge its target's element id, its type and its
    ``edge_values``."""
    for source, leaving in groupby(edges, key=attrgetter("source")):
        rows = [[elements[e.target], e.kind._value_, *edge_values(e)] for e in leaving]
        yield [elements[source], rows]


def _raise_dangling(edges: list[Edge], nodes: Set[str]) -> NoReturn:
    """Raise a ``StoreError`` naming the first edge (by key) whose source or target is not
    among ``nodes``."""
    edge = next(e for e in sorted(edges, key=lambda e: e.key) if {e.source, e.target} - nodes)
    raise dangling_edge(edge, edge.source if edge.source not in nodes else edge.target)


def _run(tx: Transaction, query: str, **params: Any) -> list[Any]:
    """Return the records of ``query``."""
    return list(tx.run(query, params))


class _Rows(list[Any]):
    """A chunk of rows that the driver's debug log shows by its length: the driver formats the
    parameters of every statement for that log even while it is off, which for thousands of
    rows took a tenth of a load's time (and would copy every value into the log)."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _write_chunks(
    tx: Transaction, query: str, rows: Iterable[Any], size: int = _CHUNK
) -> list[Any]:
    """Run ``query`` once per chunk of ``size`` rows (as ``$rows``), not at all without rows;
    return every record.

    Every chunk is sent before any result is read, and ``rows`` is consumed one chunk at a
    time, so that this process makes and packs the next chunk while the server writes the
    last one.
    """
    results = []
    remaining = iter(rows)
    while chunk := _Rows(islice(remaining, size)):
        results.append(tx.run(query, {"rows": chunk}))
    return [record for result in results for record in result]
