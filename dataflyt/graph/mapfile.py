"""The map file format (``"format": "dataflyt-map"``, version 2): every node and edge as JSON,
each tagged with its kind, sorted, so that the same map is the same bytes. The embedded store
keeps its map in it, ``export --format json`` writes it, and ``load`` reads it back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import msgspec

from dataflyt.errors import MapFileError
from dataflyt.graph.model import AnyEdge, AnyNode, Document, GraphBatch

__all__ = ["MAP_FORMAT", "MAP_VERSION", "decode_map", "encode_map", "is_map_file", "read_map_batch"]

MAP_FORMAT = "dataflyt-map"
MAP_VERSION = 2
_FORMAT_KEY = re.compile(rb'"format"\s*:\s*"' + MAP_FORMAT.encode() + rb'"')


class _Header(msgspec.Struct):
    """The first fields of a map file, checked before the (large) body is decoded."""

    format: str
    version: int


class _MapFile(msgspec.Struct):
    format: str
    version: int
    nodes: list[AnyNode]
    edges: list[AnyEdge]


def encode_map(nodes: Iterable[AnyNode], edges: Iterable[AnyEdge]) -> bytes:
    """Return the map file bytes (UTF-8 JSON) for ``nodes`` and ``edges``, sorted by id and
    edge key, so the same map is always the same bytes."""
    return msgspec.json.encode(
        _MapFile(
            format=MAP_FORMAT,
            version=MAP_VERSION,
            nodes=sorted(nodes, key=lambda n: n.id),
            edges=sorted(edges, key=lambda e: e.key),
        )
    )


def decode_map(data: bytes, origin: str) -> tuple[list[AnyNode], list[AnyEdge]]:
    """Return the nodes and edges of map file bytes, validated; raise ``MapFileError`` naming
    ``origin`` and, for a bad value, where in the file it is (e.g. ``$.edges[12].kind``)."""
    try:
        try:
            header = msgspec.json.decode(data, type=_Header)
        except msgspec.ValidationError as exc:
            raise ValueError(f"not a dataflyt map file ({exc})") from None
        if header.format != MAP_FORMAT:
            raise ValueError("not a dataflyt map file")
        if header.version == 1:
            raise ValueError(
                "it was written by an earlier dataflyt (map version 1): load its documents "
                "again into a new map"
            )
        if header.version != MAP_VERSION:
            raise ValueError(f"map version {header.version!r} is not {MAP_VERSION}")
        body = msgspec.json.decode(data, type=_MapFile)
    except (msgspec.DecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise MapFileError(f"{origin}: cannot read the map: {reason}") from None
    return body.nodes, body.edges


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
    """Return a map file as a batch that gives its document versions their facts in any
    store."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MapFileError(f"{path}: cannot read the map: {exc.strerror}") from None
    nodes, edges = decode_map(data, str(path))
    documents = [n for n in nodes if isinstance(n, Document)]
    others: list[AnyNode] = [n for n in nodes if not isinstance(n, Document)]
    return GraphBatch(documents=documents, nodes=others, edges=edges)
