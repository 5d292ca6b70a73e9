"""The Neo4j store's write: how ``replace_documents`` gives document versions their facts, in
one transaction the store passes in.

The replaced versions' stored facts are compared with the batch: a fact the batch states again
exactly as stored keeps its relationship, every other one is deleted, and only new or changed
facts are created; a node is written only when it changes. Loading the same documents again
so writes next to nothing, and a new version of a document only what it changes, which keeps a
large map's reload within the server's transaction memory.

Labels and relationship types of written rows are dynamic (``$(row[1])``, Neo4j 5.26) and come
from the model's enums; every value is a parameter. Imports no driver.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any, Protocol

from dataflyt.graph.model import AnyEdge, AnyNode, GraphBatch, merged_nodes
from dataflyt.graph.neo4j_properties import (
    FACTS_OF_VERSIONS,
    NODE_MAP,
    edge_map,
    edge_properties,
    edges_from_maps,
    node_properties,
    nodes_from_maps,
)
from dataflyt.graph.store import dangling_edge

__all__ = ["Transaction", "replace"]

_Key = tuple[str, str, str, str, str]
# rows per UNWIND statement: few round trips, each statement's parameters well under the
# server's message limits
_CHUNK = 5000

# Every statement keeps the plan it was first given: the server otherwise plans a statement
# again once the counts of nodes and relationships have moved, which nearly every load does,
# and planning costs more than these statements. Each plan here is right whatever the counts:
# seeks in the unique index on ``id`` or in the index on ``doc``.
_FIXED_PLAN = "CYPHER replan=skip "
_STORED_NODES = _FIXED_PLAN + f"MATCH (n:Node) WHERE n.id IN $ids RETURN collect({NODE_MAP})"
_EXISTING = _FIXED_PLAN + "MATCH (n:Node) WHERE n.id IN $ids RETURN collect(n.id)"


# the element ids and ``edge_map`` maps of the stored facts of the versions ``$docs``
_STORED_FACTS = (
    f"{_FIXED_PLAN}{FACTS_OF_VERSIONS} RETURN collect(elementId(r)), collect({edge_map('s', 't')})"
)
_DELETE_FACTS = _FIXED_PLAN + "UNWIND $rows AS id MATCH ()-[r]->() WHERE elementId(r) = id DELETE r"
# a row per node: [id, label of its kind, properties]
_WRITE_NODES = (
    _FIXED_PLAN + "UNWIND $rows AS row MERGE (n:Node {id: row[0]}) SET n = row[2], n:$(row[1])"
)
# a row per edge: [source id, type, target id, properties]
_CREATE_FACTS = (
    _FIXED_PLAN + "UNWIND $rows AS row MATCH (s:Node {id: row[0]}) MATCH (t:Node {id: row[2]}) "
    "CREATE (s)-[r:$(row[1])]->(t) SET r = row[3]"
)
_DELETE_ORPHANS = (
    _FIXED_PLAN + "UNWIND $rows AS id MATCH (n:Node {id: id}) "
    "WHERE NOT n:Document AND NOT EXISTS { (n)--() } DELETE n"
)


class Transaction(Protocol):
    """What this module needs of a driver transaction."""

    def run(self, query: str, parameters: dict[str, Any]) -> Iterable[Any]:
        """Run ``query``; return its records."""
        ...


def replace(tx: Transaction, batch: GraphBatch) -> None:
    """Give the batch's versions exactly the batch's facts inside ``tx``, write its nodes
    (a stored node keeps its name, ``model.merged_nodes``) and its restamped versions, and
    delete the nodes left without any relationship. Raise ``StoreError`` before writing
    anything when an edge names a node neither the batch nor the map holds."""
    incoming = {edge.key: edge for edge in batch.edges}
    stored_maps = _one(tx, _STORED_NODES, ids=_ids(batch.written))[0]
    stored = {n.id: n for n in nodes_from_maps(stored_maps)}
    merged = merged_nodes(stored, batch)
    _refuse_dangling(tx, batch.edges, merged.keys())
    kept, stale, touched = _compare(tx, batch, incoming)
    _write_chunks(tx, _DELETE_FACTS, stale)
    changed = (node for node_id, node in merged.items() if stored.get(node_id) != node)
    _write_chunks(tx, _WRITE_NODES, ([n.id, n.kind.value, node_properties(n)] for n in changed))
    added = (edge for key, edge in incoming.items() if key not in kept)
    _write_chunks(
        tx,
        _CREATE_FACTS,
        ([e.source, e.kind.value, e.target, edge_properties(e)] for e in added),
    )
    joined = {end for edge in incoming.values() for end in (edge.source, edge.target)}
    _write_chunks(tx, _DELETE_ORPHANS, sorted((touched | merged.keys()) - joined))


def _ids(nodes: Iterable[AnyNode]) -> list[str]:
    return sorted({node.id for node in nodes})


def _refuse_dangling(tx: Transaction, edges: list[AnyEdge], batch_nodes: Iterable[str]) -> None:
    """Raise the ``dangling_edge`` error of the first of ``edges`` that names a node neither
    ``batch_nodes`` nor the map holds."""
    known = set(batch_nodes)
    others = sorted({end for e in edges for end in (e.source, e.target)} - known)
    if not others:
        return
    known.update(_one(tx, _EXISTING, ids=others)[0])
    for edge in edges:
        for end in (edge.source, edge.target):
            if end not in known:
                raise dangling_edge(edge, end)


def _compare(
    tx: Transaction, batch: GraphBatch, incoming: dict[_Key, AnyEdge]
) -> tuple[set[_Key], list[str], set[str]]:
    """Compare the stored facts of the batch's versions (and of any other version a batch
    edge cites) with ``incoming``; return the keys of the facts stored as the batch states
    them, which stay, the element ids of the relationships to delete (a replaced version's
    fact the batch does not state as stored, or a fact with the key of a batch edge), and the
    ids of the nodes those touched."""
    replaced = set(batch.document_ids)
    docs = sorted(replaced | {edge.doc for edge in incoming.values()})
    element_ids, maps = _one(tx, _STORED_FACTS, docs=docs)
    kept: set[_Key] = set()
    stale: list[str] = []
    touched: set[str] = set()
    for element_id, edge in zip(element_ids, edges_from_maps(maps), strict=True):
        key = edge.key
        new = incoming.get(key)
        if new == edge and key not in kept:
            kept.add(key)
        elif edge.doc in replaced or new is not None:
            stale.append(element_id)
            touched |= {edge.source, edge.target}
    return kept, stale, touched


def _one(tx: Transaction, query: str, **params: Any) -> Any:
    """Return the one record of ``query``."""
    return next(iter(tx.run(query, params)))


class _Rows(list[Any]):
    """A chunk of rows that shows as its length: the driver formats every statement's
    parameters for its debug log even while the log is off, which for thousands of rows
    would be much of a load's time."""

    def __repr__(self) -> str:
        return f"<{len(self)} rows>"


def _write_chunks(tx: Transaction, query: str, rows: Iterable[Any]) -> None:
    """Run ``query`` once per chunk of ``_CHUNK`` rows (as ``$rows``), not at all without
    rows; ``rows`` is consumed a chunk at a time."""
    remaining = iter(rows)
    while chunk := _Rows(islice(remaining, _CHUNK)):
        for _ in tx.run(query, {"rows": chunk}):
            pass
