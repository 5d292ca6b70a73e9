"""The small interface every store implements: graph primitives only.

A store holds every version of every document loaded, and answers as of one date: the date
it was opened for (``as_of``), or, without one, the latest version of each document. What a
version no longer in force says is kept (for ``--as-of`` and ``history``) but no read sees it.

The embedded store (a JSON file, held in memory with adjacency lists) is the default; the
Neo4j store lives in ``dataflyt.graph.neo4j_store``, the only module that imports the driver,
and is imported only when chosen. Queries are written against ``GraphStore`` and never see a
backend type.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Protocol, runtime_checkable

from dataflyt.errors import StoreError
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Direction,
    Document,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    NodeKind,
)
from dataflyt.graph.summary import MapSummary

__all__ = ["LOCK_TIMEOUT", "GraphStore", "dangling_edge", "read_only"]

# how long a load waits for another one to finish with the map, in seconds (every store)
LOCK_TIMEOUT = 600


def dangling_edge(edge: AnyEdge, missing: str) -> StoreError:
    """Return the error of a batch whose ``edge`` names node ``missing``, which neither the
    batch nor the map holds (the same words from every store)."""
    return StoreError(
        f"edge {edge.kind.value} {edge.source} -> {edge.target} (document {edge.doc}) names "
        f"node {missing}, which is neither in the batch nor in the map; nothing was written"
    )


def read_only(as_of: str) -> StoreError:
    """Return the error of a change asked of a store opened as of a past date."""
    return StoreError(f"the map was opened as of {as_of}, to read it: nothing can be written")


@runtime_checkable
class GraphStore(Protocol):
    """A graph of nodes and provenance-carrying edges, changed one set of document versions
    at a time, read as of one date."""

    @property
    def as_of(self) -> str | None:
        """Return the date (YYYY-MM-DD) the store answers for; None for the latest versions."""
        ...

    def writing(self, waiting: Callable[[], None]) -> AbstractContextManager[None]:
        """Return a context in which this process alone changes the map: other writers wait
        until it ends (``waiting`` is called once if this one has to wait first), and the
        store reads the map again on entry, so that what is written builds on every change
        made before."""
        ...

    def replace_documents(self, batch: GraphBatch) -> None:
        """Atomically give the batch's document versions exactly the batch's facts, write its
        nodes and the new attributes of its restamped versions. Nodes left without any fact
        of any version are removed. Either all of it lands or nothing changes."""
        ...

    def node(self, node_id: str) -> AnyNode | None:
        """Return the node with this id, or None (also when nothing in force names it)."""
        ...

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, AnyNode]:
        """Return the nodes with these ids that exist, keyed by id."""
        ...

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        """Return every node of ``kind`` that a fact in force names (documents: the versions
        in force), sorted by id."""
        ...

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
    ) -> list[AnyEdge]:
        """Return the facts in force leaving/entering the given nodes, optionally of some
        kinds only, sorted by key; with ``Direction.BOTH`` an edge between two of the given
        nodes appears once."""
        ...

    def count_neighbours(
        self, node_ids: Iterable[str], direction: Direction, kinds: Iterable[EdgeKind]
    ) -> dict[str, int]:
        """Return, for each of these nodes that exists, how many distinct nodes facts in
        force of ``kinds`` link it to in ``direction`` (a node's degree, each neighbour
        counted once however many documents state the link), sorted by id."""
        ...

    def neighbourhoods(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
    ) -> dict[str, Neighbourhood]:
        """Return, in one read, every node with one of these ids, keyed and sorted by id,
        with its facts in force of the ``leaving`` kinds that leave it and of the ``entering``
        kinds that enter it, each list sorted by key."""
        ...

    def reachable(
        self, start: str, kinds: Iterable[EdgeKind], direction: Direction
    ) -> dict[str, int]:
        """Return every node reachable from ``start`` along facts in force of ``kinds``, with
        its fewest hops, sorted by id. ``Direction.IN`` walks edges backwards (who reaches
        ``start``). ``start`` itself is not included."""
        ...

    def document_versions(self) -> list[Document]:
        """Return every version of every document the map holds, in force or not, by id."""
        ...

    def document_edges(self, doc_ids: Iterable[str]) -> list[AnyEdge]:
        """Return every fact of these document versions, in force or not, sorted by key."""
        ...

    def summary(self) -> MapSummary:
        """Return where the store is and what it holds."""
        ...

    def close(self) -> None:
        """Release connections or files; the store is unusable afterwards."""
        ...
