"""The small interface every store implements, and how a store is chosen.

The embedded store (a JSON file, held in memory with adjacency indexes) is the default; the
Neo4j store lives in ``dataflyt.graph.neo4j_store``, the only module that imports the driver,
and is imported only when chosen. Queries are written against ``GraphStore`` and never see a
backend type.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from dataflyt.errors import StoreError
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    Node,
    NodeKind,
    ServiceOutline,
)
from dataflyt.graph.summary import MapSummary

__all__ = ["GraphStore", "dangling_edge"]


def dangling_edge(edge: Edge, missing: str) -> StoreError:
    """Return the error of a batch whose ``edge`` names node ``missing``, which neither the
    batch nor the map holds (the same words from every store)."""
    return StoreError(
        f"edge {edge.kind.value} {edge.source} -> {edge.target} (document {edge.doc}) names "
        f"node {missing}, which is neither in the batch nor in the map; nothing was written"
    )


@runtime_checkable
class GraphStore(Protocol):
    """A graph of nodes and provenance-carrying edges, replaced one document set at a time."""

    def replace_documents(self, batch: GraphBatch) -> None:
        """Atomically drop the facts of the batch's documents and add the batch's facts.

        Nodes left without any edge are removed. Either all of it lands or nothing changes.
        """
        ...

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or None."""
        ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """Return the nodes with these ids that exist, keyed by id."""
        ...

    def nodes(self, kind: NodeKind) -> list[Node]:
        """Return every node of ``kind``, sorted by id."""
        ...

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
        *,
        cited: bool = True,
    ) -> list[Edge]:
        """Return the edges leaving/entering the given nodes, optionally of some kinds only.

        Sorted by (source, kind, target, doc); with ``Direction.BOTH`` an edge between two of
        the given nodes appears once. With ``cited=False``, for queries that cite nothing, a
        store may leave out each edge's ``line`` and ``text`` (None), which it then need not
        read.
        """
        ...

    def around(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
        *,
        cited: bool = True,
    ) -> dict[str, Neighbourhood]:
        """Return, in one read, every node with one of these ids, keyed and sorted by id,
        with its edges of the ``leaving`` kinds that leave it and of the ``entering`` kinds
        that enter it, each list sorted by (source, kind, target, doc); ``cited`` as for
        ``edges``."""
        ...

    def outlines(self, service_ids: Iterable[str]) -> dict[str, ServiceOutline]:
        """Return, in one read, the outline of every node with one of these ids (services:
        another node gets an outline of whatever such edges it has), keyed and sorted by id."""
        ...

    def reachable(self, start: str, kind: EdgeKind, direction: Direction) -> dict[str, int]:
        """Return every node reachable from ``start`` along edges of ``kind``, with its hop count.

        ``Direction.IN`` walks edges backwards (who reaches ``start``). ``start`` itself is
        not included.
        """
        ...

    def summary(self) -> MapSummary:
        """Return where the store is and what it holds."""
        ...

    def close(self) -> None:
        """Release connections or files; the store is unusable afterwards."""
        ...
