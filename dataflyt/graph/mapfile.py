"""The map file format (``"format": "dataflyt-map"``): every node and edge as JSON, sorted, so
the same map is the same bytes. The embedded store keeps its map in it, ``export --format json``
writes it, and ``load`` reads it back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

from dataflyt.errors import MapFileError
from dataflyt.graph.model import Edge, GraphBatch, Node, NodeKind

__all__ = ["MAP_FORMAT", "MAP_VERSION", "decode_map", "encode_map", "is_map_file", "read_map_batch"]

MAP_FORMAT = "dataflyt-map"
MAP_VERSION = 1
_FORMAT_KEY = re.compile(rb'"format"\s*:\s*"' + MAP_FORMAT.encode() + rb'"')


def encode_map(nodes: Iterable[Node], edges: Iterable[Edge]) -> str:
    """Return the map file text for ``nodes`` and ``edges`` (sorted by id and edge key)."""
    payload = {
        "format": MAP_FORMAT,
        "version": MAP_VERSION,
        "nodes": [n.model_dump(mode="json") for n in sorted(nodes, key=lambda n: n.id)],
        "edges": [
            e.model_dump(mode="json", exclude_none=True) for e in sorted(edges, key=lambda e: e.key)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def decode_map(text: str, origin: str) -> tuple[list[Node], list[Edge]]:
    """Return the nodes and edges of map file text; raise ``MapFileError`` naming ``origin``."""
    try:
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("format") != MAP_FORMAT:
            raise ValueError("not a dataflyt map file")
        if data.get("version") != MAP_VERSION:
            raise ValueError(f"map version {data.get('version')!r} is not {MAP_VERSION}")
        nodes = [Node.model_validate(raw) for raw in data["nodes"]]
        edges = [Edge.model_validate(raw) for raw in data["edges"]]
    except (ValueError, KeyError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MapFileError(f"{origin}: cannot read the map: {reason}") from None
    return nodes, edges


def is_map_file(path: Path) -> bool:
    """Return True when ``path`` starts like a dataflyt map file (an export or a map): a JSON
    object whose ``"format": "dataflyt-map"`` comes before its nodes, spaced any way."""
    try:
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return head.lstrip().startswith(b"{") and _FORMAT_KEY.search(head) is not None


def read_map_batch(path: Path) -> GraphBatch:
    """Return a map file as a batch that replaces its documents in any store."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise MapFileError(f"{path}: cannot read the map: {exc}") from None
    nodes, edges = decode_map(text, str(path))
    documents = [n for n in nodes if n.kind is NodeKind.DOCUMENT]
    others = [n for n in nodes if n.kind is not NodeKind.DOCUMENT]
    return GraphBatch(documents=documents, nodes=others, edges=edges)
