"""The embedded store: the whole map in memory, persisted to one JSON file.

The file holds every version of every document; the store answers as of one date, from an
index of the facts in force then: every such edge sits in two sorted adjacency lists (leaving
its source, entering its target), so a query touches only the nodes it asks about. The file is
decoded and validated by msgspec and written atomically (a temporary file in the same folder,
then a rename): a failed load never leaves a half-written map, and readers always see a whole
one. Writers take a lock file beside the map (``filelock``) and read the map again under it,
so that two loads at once both land.

Traversals are a breadth-first walk over the adjacency lists (``traverse.hop_counts``), which
the tests check against networkx's shortest-path lengths on generated graphs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from dataflyt.atomic import write_atomically
from dataflyt.errors import MapFileError, StoreError
from dataflyt.graph.mapfile import decode_map, encode_map, is_map_file
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Direction,
    Document,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    NodeKind,
    merged_nodes,
)
from dataflyt.graph.store import LOCK_TIMEOUT, dangling_edge, read_only
from dataflyt.graph.summary import MapSummary
from dataflyt.graph.traverse import hop_counts
from dataflyt.graph.versions import versions_in_force

__all__ = ["EmbeddedStore"]


class _Map:
    """Every node and edge of a map file, whatever version states it; the edges sorted by
    key, as the map file keeps them."""

    def __init__(self, nodes: dict[str, AnyNode], edges: list[AnyEdge]) -> None:
        self.nodes = nodes
        self.edges = edges


class _View:
    """The map as of one date: the facts in force, the nodes they name (and the document
    versions in force), and the adjacency lists that find them."""

    def __init__(self, whole: _Map, as_of: str | None) -> None:
        versions = [n for n in whole.nodes.values() if isinstance(n, Document)]
        current = versions_in_force(versions, as_of)
        self.edges = [e for e in whole.edges if e.doc in current]  # in key order, as ``whole``
        self.out: dict[str, list[AnyEdge]] = {}
        self.into: dict[str, list[AnyEdge]] = {}
        # appending in key order keeps every list sorted by key (source first)
        for edge in self.edges:
            self.out.setdefault(edge.source, []).append(edge)
            self.into.setdefault(edge.target, []).append(edge)
        named = self.out.keys() | self.into.keys() | current
        self.nodes = {i: whole.nodes[i] for i in sorted(named) if i in whole.nodes}
        self.by_kind: dict[NodeKind, list[AnyNode]] = {kind: [] for kind in NodeKind}
        for node in self.nodes.values():
            self.by_kind[node.kind].append(node)

    def adjacent(self, node_id: str, direction: Direction) -> Iterator[AnyEdge]:
        """Yield the edges leaving, entering or touching ``node_id``."""
        if direction is not Direction.IN:
            yield from self.out.get(node_id, ())
        if direction is not Direction.OUT:
            yield from self.into.get(node_id, ())


class EmbeddedStore:
    """A ``GraphStore`` kept in memory and saved to ``path`` after every change."""

    def __init__(self, path: Path, *, fresh: bool = False, as_of: str | None = None) -> None:
        """Open the map at ``path`` (empty if there is no file) as of ``as_of`` (None: the
        latest versions); with ``fresh``, start from an empty map without reading the file,
        which the first change then replaces whole; a file there that is not a map is never
        replaced (``MapFileError``)."""
        if fresh and path.exists() and not is_map_file(path):
            raise MapFileError(f"{path}: exists and is not a dataflyt map; not overwritten")
        self.path = path
        self._as_of = as_of
        self._map = _Map({}, []) if fresh else self._read(path)
        self._view = _View(self._map, as_of)

    @property
    def as_of(self) -> str | None:
        """Return the date the store answers for; None for the latest versions."""
        return self._as_of

    # -- persistence ---------------------------------------------------------------------
    @staticmethod
    def _read(path: Path) -> _Map:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return _Map({}, [])
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
        return _Map(known, edges)

    def _write(self, whole: _Map) -> None:
        try:
            write_atomically(self.path, encode_map(whole.nodes.values(), whole.edges))
        except OSError as exc:
            raise MapFileError(f"{self.path}: cannot write the map: {exc.strerror}") from None

    @contextmanager
    def writing(self, waiting: Callable[[], None]) -> Iterator[None]:
        """Hold the lock file beside the map (``<map>.lock``) while the ``with`` block runs,
        reading the map again once it is held; ``waiting`` is called once if another writer
        holds it first. Yields nothing."""
        if self._as_of is not None:
            raise read_only(self._as_of)
        lock_path = self.path.resolve().with_name(self.path.resolve().name + ".lock")
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            lock = FileLock(lock_path)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                waiting()
                lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout:
            raise StoreError(
                f"{self.path}: another load has held the map for {LOCK_TIMEOUT} s; try again "
                f"later (its lock is {lock_path})"
            ) from None
        except OSError as exc:
            raise MapFileError(f"{lock_path}: cannot lock the map: {exc.strerror}") from None
        try:
            self._map = self._read(self.path)
            self._view = _View(self._map, None)
            yield
        finally:
            lock.release()

    # -- GraphStore ----------------------------------------------------------------------
    def replace_documents(self, batch: GraphBatch) -> None:
        """Give the batch's versions their facts in a new state of the map, save it, then
        keep it."""
        if self._as_of is not None:
            raise read_only(self._as_of)
        replaced = set(batch.document_ids)
        current = self._map
        nodes = merged_nodes(current.nodes, batch)
        edges = {e.key: e for e in current.edges if e.doc not in replaced}
        for edge in batch.edges:
            missing = [end for end in (edge.source, edge.target) if end not in nodes]
            if missing:
                raise dangling_edge(edge, missing[0])
            edges[edge.key] = edge
        linked = {end for edge in edges.values() for end in (edge.source, edge.target)}
        kept = {i: n for i, n in nodes.items() if i in linked or isinstance(n, Document)}
        whole = _Map(kept, sorted(edges.values(), key=lambda e: e.key))
        self._write(whole)
        self._map = whole
        self._view = _View(whole, None)

    def node(self, node_id: str) -> AnyNode | None:
        """Return the node with this id, or None."""
        return self._view.nodes.get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, AnyNode]:
        """Return the nodes with these ids that exist, keyed by id."""
        nodes = self._view.nodes
        return {i: nodes[i] for i in node_ids if i in nodes}

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        """Return every node of ``kind`` that a fact in force names, sorted by id."""
        return list(self._view.by_kind[NodeKind(kind)])

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
    ) -> list[AnyEdge]:
        """Return the facts leaving/entering the given nodes, sorted by edge key."""
        wanted = set(EdgeKind) if kinds is None else set(kinds)
        view = self._view
        ids = sorted(set(node_ids))
        found = [e for i in ids for e in view.adjacent(i, direction) if e.kind in wanted]
        if direction is Direction.OUT:
            return found  # sources ascending, each node's list in key order
        if direction is Direction.BOTH:  # an edge between two of the nodes is in both lists
            found = list({edge.key: edge for edge in found}.values())
        return sorted(found, key=lambda e: e.key)

    def count_neighbours(
        self, node_ids: Iterable[str], direction: Direction, kinds: Iterable[EdgeKind]
    ) -> dict[str, int]:
        """Return how many distinct nodes facts of ``kinds`` link each existing node to in
        ``direction``, sorted by id."""
        view = self._view
        wanted = set(kinds)
        found = {}
        for node_id in sorted(set(node_ids)):
            if node_id in view.nodes:
                edges = [e for e in view.adjacent(node_id, direction) if e.kind in wanted]
                found[node_id] = len({e.target if e.source == node_id else e.source for e in edges})
        return found

    def neighbourhoods(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
    ) -> dict[str, Neighbourhood]:
        """Return every node with one of these ids, keyed and sorted by id, with its facts of
        the ``leaving`` kinds that leave it and of the ``entering`` kinds that enter it."""
        view = self._view
        leaving, entering = set(leaving), set(entering)
        return {
            node_id: Neighbourhood(
                view.nodes[node_id],
                [e for e in view.out.get(node_id, ()) if e.kind in leaving],
                [e for e in view.into.get(node_id, ()) if e.kind in entering],
            )
            for node_id in sorted(set(node_ids))
            if node_id in view.nodes
        }

    def reachable(
        self, start: str, kinds: Iterable[EdgeKind], direction: Direction
    ) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along facts of
        ``kinds``, sorted by id; ``start`` itself is not included."""
        view = self._view
        if start not in view.nodes:
            return {}
        wanted = set(kinds)

        def neighbours(node_id: str) -> Iterator[str]:
            for edge in view.adjacent(node_id, direction):
                if edge.kind in wanted:
                    yield edge.target if edge.source == node_id else edge.source

        return dict(sorted(hop_counts(start, neighbours).items()))

    def document_versions(self) -> list[Document]:
        """Return every document version the map holds, in force or not, sorted by id."""
        found = [n for n in self._map.nodes.values() if isinstance(n, Document)]
        return sorted(found, key=lambda n: n.id)

    def document_edges(self, doc_ids: Iterable[str]) -> list[AnyEdge]:
        """Return every fact of these document versions, sorted by key."""
        wanted = set(doc_ids)
        return [e for e in self._map.edges if e.doc in wanted]

    def summary(self) -> MapSummary:
        """Return the map file's path, node counts per kind, facts and documents in force."""
        view = self._view
        documents = [n for n in view.by_kind[NodeKind.DOCUMENT] if isinstance(n, Document)]
        return MapSummary(
            location=str(self.path),
            backend="embedded",
            as_of=self._as_of,
            counts={kind.value: len(found) for kind, found in view.by_kind.items()},
            edges=len(view.edges),
            documents=documents,
            versions=len(self.document_versions()),
        )

    def close(self) -> None:
        """Nothing to release: every change is already on disk."""
