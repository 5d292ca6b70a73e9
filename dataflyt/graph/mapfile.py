"""The map file format (``"format": "dataflyt-map"``): every node and edge as JSON, sorted, so
the same map is the same bytes. The embedded store keeps its map in it, ``export --format json``
writes it, and ``load`` reads it back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import msgspec

from dataflyt.errors import MapFileError
from dataflyt.graph.model import Edge, GraphBatch, Node, NodeKind

__all__ = ["MAP_FORMAT", "MAP_VERSION", "decode_map", "encode_map", "is_map_file", "read_map_batch"]

MAP_FORMAT = "dataflyt-map"
MAP_VERSION = 1
_FORMAT_KEY = re.compile(rb'"format"\s*:\s*"' + MAP_FORMAT.encode() + rb'"')


class _Header(msgspec.Struct):
    """The first fields of a map file, checked before the (large) body is decoded."""

    format: str
    version: int


class _MapFile(msgspec.Struct):
    format: str
    version: int
    nodes: list[Node]
    edges: list[Edge]


def encode_map(nodes: Iterable[Node], edges: Iterable[Edge]) -> bytes:
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


def decode_map(data: bytes, origin: str) -> tuple[list[Node], list[Edge]]:
    """Return the nodes and edges of map file bytes, validated; raise ``MapFileError`` naming
    ``origin`` and, for a bad value, where in the file it is (e.g. ``$.edges[12].kind``)."""
    try:
        try:
            header = msgspec.json.decode(data, type=_Header)
        except msgspec.ValidationError as exc:
            raise ValueError(f"not a dataflyt map file ({exc})") from None
        if header.format != MAP_FORMAT:
            raise ValueError("not a dataflyt map file")
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
    """Return a map file as a batch that replaces its documents in any store."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MapFileError(f"{path}: cannot read the map: {exc.strerror}") from None
    nodes, edges = decode_map(data, str(path))
    documents = [n for n in nodes if n.kind is NodeKind.DOCUMENT]
    others = [n for n in nodes if n.kind is not NodeKind.DOCUMENT]
    return GraphBatch(documents=documents, nodes=others, edges=edges)
