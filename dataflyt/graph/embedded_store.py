"""The embedded store: the whole map in memory, indexed by node, persisted to one JSON file.

Every edge sits in two sorted adjacency lists (leaving its source, entering its target), so a
query touches only the nodes it asks about. The file is decoded and validated by msgspec and
written atomically (a temporary file in the same folder, then ``os.replace``): a failed load
never leaves a half-written map, and the map in memory changes only after the file did.

Traversals are a breadth-first walk over those lists (``traverse.hop_counts``). networkx, which
the first version of this store was built on, is kept out of this path on purpose: importing
it costs about 150 ms, more than half the start-up budget of a command such as ``touches``; the
tests check the walk against networkx's shortest-path lengths on generated graphs.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from dataflyt.atomic import write_atomically
from dataflyt.collector import long_lived
from dataflyt.errors import MapFileError
from dataflyt.graph.mapfile import decode_map, encode_map, is_map_file
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    Node,
    NodeKind,
    ServiceOutline,
    merge_nodes,
)
from dataflyt.graph.outline import OutlineMaker
from dataflyt.graph.store import dangling_edge
from dataflyt.graph.summary import MapSummary, document_infos
from dataflyt.graph.traverse import hop_counts

__all__ = ["EmbeddedStore"]


class _Index:
    """One immutable state of the map: its nodes and edges, and the lists that find them."""

    def __init__(self, nodes: dict[str, Node], edges: list[Edge]) -> None:
        self.nodes = nodes
        self.edges = sorted(edges, key=lambda e: e.key)
        self.out: dict[str, list[Edge]] = {}
        self.into: dict[str, list[Edge]] = {}
        # appending in key order keeps every list sorted by key (source first)
        for edge in self.edges:
            self.out.setdefault(edge.source, []).append(edge)
            self.into.setdefault(edge.target, []).append(edge)
        self.by_kind: dict[NodeKind, list[Node]] = {kind: [] for kind in NodeKind}
        for node_id in sorted(nodes):
            node = nodes[node_id]
            self.by_kind[node.kind].append(node)

    def adjacent(self, node_id: str, direction: Direction) -> Iterator[Edge]:
        """Yield the edges leaving, entering or touching ``node_id``."""
        if direction is not Direction.IN:
            yield from self.out.get(node_id, ())
        if direction is not Direction.OUT:
            yield from self.into.get(node_id, ())


class EmbeddedStore:
    """A ``GraphStore`` kept in memory and saved to ``path`` after every change."""

    def __init__(self, path: Path, *, fresh: bool = False) -> None:
        """Open the map at ``path`` (empty if there is no file); with ``fresh``, start from an
        empty map without reading the file, which the first change then replaces whole; a
        file there that is not a map is never replaced (``MapFileError``)."""
        if fresh and path.exists() and not is_map_file(path):
            raise MapFileError(f"{path}: exists and is not a dataflyt map; not overwritten")
        self.path = path
        with long_lived():
            self._index = _Index({}, []) if fresh else _Index(*self._read(path))

    # -- persistence ---------------------------------------------------------------------
    @staticmethod
    def _read(path: Path) -> tuple[dict[str, Node], list[Edge]]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return {}, []
        except OSError as exc:
            raise MapFileError(f"{path}: cannot read the map: {exc.strerror}") from None
        nodes, edges = decode_map(data, str(path))
        known = {node.id: node for node in nodes}
        dangling = next((e for e in edges if e.source not in known or e.target not in known), None)
        if dangling is not None:
            missing = dangling.source if dangling.source not in known else dangling.target
            raise MapFileError(
                f"{path}: cannot read the map: edge {dangling.kind.value} {dangling.source} -> "
                f"{dangling.target} names node {missing}, which the map does not hold"
            )
        return known, edges

    def _write(self, index: _Index) -> None:
        try:
            write_atomically(self.path, encode_map(index.nodes.values(), index.edges))
        except OSError as exc:
            raise MapFileError(f"{self.path}: cannot write the map: {exc.strerror}") from None

    # -- GraphStore ----------------------------------------------------------------------
    def replace_documents(self, batch: GraphBatch) -> None:
        """Replace the batch's documents in a new state of the map, save it, then keep it."""
        replaced = set(batch.document_ids)
        current = self._index
        nodes = {i: n for i, n in current.nodes.items() if i not in replaced}
        for node in [*batch.documents, *batch.nodes]:
            nodes[node.id] = merge_nodes(nodes.get(node.id), node)
        edges = {e.key: e for e in current.edges if e.doc not in replaced}
        for edge in batch.edges:
            missing = [end for end in (edge.source, edge.target) if end not in nodes]
            if missing:
                raise dangling_edge(edge, missing[0])
            edges[edge.key] = edge
        linked = {end for edge in edges.values() for end in (edge.source, edge.target)}
        kept = {i: n for i, n in nodes.items() if i in linked or n.kind is NodeKind.DOCUMENT}
        with long_lived():
            index = _Index(kept, list(edges.values()))
        self._write(index)
        self._index = index

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or None."""
        return self._index.nodes.get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """Return the nodes with these ids that exist, keyed by id."""
        nodes = self._index.nodes
        return {i: nodes[i] for i in node_ids if i in nodes}

    def nodes(self, kind: NodeKind) -> list[Node]:
        """Return every node of ``kind``, sorted by id."""
        return list(self._index.by_kind[NodeKind(kind)])

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
        *,
        cited: bool = True,
    ) -> list[Edge]:
        """Return the edges leaving/entering the given nodes, sorted by edge key; always
        with their line and text, which cost nothing to keep (``cited`` is ignored)."""
        wanted = set(EdgeKind) if kinds is None else set(kinds)
        index = self._index
        ids = sorted(set(node_ids))
        if direction is Direction.BOTH:
            found = [e for i in ids for e in index.adjacent(i, direction) if e.kind in wanted]
        else:
            lists = index.out if direction is Direction.OUT else index.into
            found = [e for i in ids for e in lists.get(i, ()) if e.kind in wanted]
        if direction is Direction.OUT:
            return found  # sources ascending, each node's list in key order
        if direction is Direction.BOTH:  # an edge between two of the nodes is in both lists
            found = list({id(edge): edge for edge in found}.values())
        return sorted(found, key=lambda e: e.key)

    def around(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
        *,
        cited: bool = True,
    ) -> dict[str, Neighbourhood]:
        """Return every node with one of these ids, keyed and sorted by id, with its edges of
        the ``leaving`` kinds that leave it and of the ``entering`` kinds that enter it, each
        in key order as the adjacency lists keep them (``cited`` is ignored)."""
        index = self._index
        nodes, out, into = index.nodes, index.out, index.into
        leaving, entering = set(leaving), set(entering)
        return {
            node_id: Neighbourhood(
                nodes[node_id],
                [e for e in out.get(node_id, ()) if e.kind in leaving],
                [e for e in into.get(node_id, ()) if e.kind in entering],
            )
            for node_id in sorted(set(node_ids))
            if node_id in nodes
        }

    def outlines(self, service_ids: Iterable[str]) -> dict[str, ServiceOutline]:
        """Return the outline of every node with one of these ids, keyed and sorted by id."""
        index = self._index
        nodes, out, into = index.nodes, index.out, index.into
        maker = OutlineMaker(nodes)
        return {
            node_id: maker.outline(nodes[node_id], out.get(node_id, ()), into.get(node_id, ()))
            for node_id in sorted(set(service_ids))
            if node_id in nodes
        }

    def reachable(self, start: str, kind: EdgeKind, direction: Direction) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along ``kind`` edges,
        sorted by id; ``start`` itself is not included."""
        index = self._index
        if start not in index.nodes:
            return {}

        def neighbours(node_id: str) -> Iterator[str]:
            for edge in index.adjacent(node_id, direction):
                if edge.kind is kind:
                    yield edge.target if edge.source == node_id else edge.source

        depths = hop_counts(start, neighbours)
        return dict(sorted(depths.items()))

    def summary(self) -> MapSummary:
        """Return the map file's path, node counts per kind and its documents."""
        index = self._index
        return MapSummary(
            location=str(self.path),
            backend="embedded",
            counts={kind.value: len(found) for kind, found in index.by_kind.items()},
            edges=len(index.edges),
            documents=document_infos(index.by_kind[NodeKind.DOCUMENT]),
        )

    def close(self) -> None:
        """Nothing to release: every change is already on disk."""
