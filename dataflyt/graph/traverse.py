"""Breadth-first walks over any adjacency: the traversal the embedded store answers with."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

__all__ = ["hop_counts"]


def hop_counts(start: str, neighbours: Callable[[str], Iterable[str]]) -> dict[str, int]:
    """Return every node reachable from ``start`` with its fewest hops (``start`` excluded),
    in the order reached; ``neighbours`` gives the nodes one hop away from a node."""
    depths = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in neighbours(node):
            if nxt not in depths:
                depths[nxt] = depths[node] + 1
                queue.append(nxt)
    del depths[start]
    return depths
