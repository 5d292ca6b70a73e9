"""The embedded store: a networkx MultiDiGraph persisted to one JSON file.

The file is written atomically (a temporary file in the same folder, then ``os.replace``),
so a failed load never leaves a half-written map.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

from dataflyt.errors import MapFileError, StoreError
from dataflyt.graph.mapfile import decode_map, encode_map
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    MapSummary,
    Node,
    NodeKind,
    merge_nodes,
)

__all__ = ["NetworkxStore"]


def _edge_key(edge: Edge) -> str:
    return f"{edge.kind.value}|{edge.doc}"


class NetworkxStore:
    """A ``GraphStore`` kept in memory and saved to ``path`` after every change."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.graph = self._read(path)

    # -- persistence ---------------------------------------------------------------------
    @staticmethod
    def _read(path: Path) -> nx.MultiDiGraph:
        graph = nx.MultiDiGraph()
        if not path.exists():
            return graph
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise MapFileError(f"{path}: cannot read the map: {exc}") from None
        nodes, edges = decode_map(text, str(path))
        for node in nodes:
            graph.add_node(node.id, node=node)
        for edge in edges:
            graph.add_edge(edge.source, edge.target, key=_edge_key(edge), edge=edge)
        return graph

    def _write(self, graph: nx.MultiDiGraph) -> None:
        text = encode_map(
            (data["node"] for _, data in graph.nodes(data=True)),
            (data["edge"] for *_, data in graph.edges(data=True)),
        )
        folder = self.path.parent if str(self.path.parent) else Path(".")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            handle, tmp_name = tempfile.mkstemp(prefix=".dataflyt-map-", dir=folder)
            os.chmod(tmp_name, 0o644)
            with os.fdopen(handle, "w", encoding="utf-8") as tmp:
                tmp.write(text)
            os.replace(tmp_name, self.path)
        except OSError as exc:
            raise MapFileError(f"{self.path}: cannot write the map: {exc.strerror}") from None

    # -- GraphStore ----------------------------------------------------------------------
    def replace_documents(self, batch: GraphBatch) -> None:
        """Replace the batch's documents in a copy of the graph, save it, then keep the copy."""
        graph = self.graph.copy()
        replaced = set(batch.document_ids)
        stale = [
            (u, v, k)
            for u, v, k, data in graph.edges(keys=True, data=True)
            if data["edge"].doc in replaced
        ]
        graph.remove_edges_from(stale)
        graph.remove_nodes_from(replaced)
        for node in [*batch.documents, *batch.nodes]:
            existing = graph.nodes[node.id]["node"] if node.id in graph else None
            merged = merge_nodes(existing, node)
            graph.add_node(node.id, node=merged)
        for edge in batch.edges:
            missing = [end for end in (edge.source, edge.target) if end not in graph]
            if missing:
                raise StoreError(
                    f"edge {edge.kind.value} {edge.source} -> {edge.target} (document "
                    f"{edge.doc}) names node {missing[0]}, which is neither in the batch nor "
                    "in the map; nothing was written"
                )
            graph.add_edge(edge.source, edge.target, key=_edge_key(edge), edge=edge)
        orphans = [
            node_id
            for node_id, data in graph.nodes(data=True)
            if graph.degree(node_id) == 0 and data["node"].kind is not NodeKind.DOCUMENT
        ]
        graph.remove_nodes_from(orphans)
        self._write(graph)
        self.graph = graph

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or None."""
        data = self.graph.nodes.get(node_id)
        return None if data is None else data["node"]

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """Return the nodes with these ids that exist, keyed by id."""
        graph_nodes = self.graph.nodes
        return {i: graph_nodes[i]["node"] for i in node_ids if i in graph_nodes}

    def nodes(self, kind: NodeKind) -> list[Node]:
        """Return every node of ``kind``, sorted by id."""
        found = [data["node"] for _, data in self.graph.nodes(data=True)]
        return sorted((n for n in found if n.kind is kind), key=lambda n: n.id)

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
    ) -> list[Edge]:
        """Return the edges leaving/entering the given nodes, sorted by edge key."""
        wanted = set(kinds) if kinds is not None else None
        found: dict[tuple[str, str, str, str], Edge] = {}
        for node_id in node_ids:
            if node_id not in self.graph:
                continue
            views = []
            if direction in (Direction.OUT, Direction.BOTH):
                views.append(self.graph.out_edges(node_id, data="edge"))
            if direction in (Direction.IN, Direction.BOTH):
                views.append(self.graph.in_edges(node_id, data="edge"))
            for view in views:
                for _, _, edge in view:
                    if wanted is None or edge.kind in wanted:
                        found[edge.key] = edge
        return [found[key] for key in sorted(found)]

    def reachable(self, start: str, kind: EdgeKind, direction: Direction) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along ``kind`` edges."""
        if start not in self.graph:
            return {}
        view = nx.subgraph_view(
            self.graph, filter_edge=lambda u, v, k: self.graph.edges[u, v, k]["edge"].kind is kind
        )
        if direction is Direction.IN:
            view = view.reverse(copy=False)
        elif direction is Direction.BOTH:
            view = view.to_undirected(as_view=True)
        depths: dict[str, int] = nx.single_source_shortest_path_length(view, start)
        depths.pop(start, None)
        return dict(sorted(depths.items()))

    def summary(self) -> MapSummary:
        """Return the map file's path, node counts per kind and its documents."""
        counts = {kind.value: 0 for kind in NodeKind}
        for _, data in self.graph.nodes(data=True):
            counts[data["node"].kind.value] += 1
        return MapSummary(
            location=str(self.path),
            backend="embedded",
            counts=counts,
            edges=self.graph.number_of_edges(),
            documents=self.nodes(NodeKind.DOCUMENT),
        )

    def close(self) -> None:
        """Nothing to release: every change is already on disk."""
