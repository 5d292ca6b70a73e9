"""The embedded store's breadth-first walk gives networkx's shortest-path lengths."""

from __future__ import annotations

import networkx as nx
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.graph.traverse import hop_counts

NODES = st.integers(0, 30).map(str)


@given(edges=st.lists(st.tuples(NODES, NODES), max_size=80), start=NODES)
def test_hop_counts_match_networkx_shortest_path_lengths(
    edges: list[tuple[str, str]], start: str
) -> None:
    graph = nx.DiGraph(edges)
    graph.add_node(start)
    expected = nx.single_source_shortest_path_length(graph, start)
    del expected[start]
    found = hop_counts(start, lambda node: graph.successors(node))
    assert found == expected


def test_a_cycle_back_to_the_start_does_not_count_the_start() -> None:
    ring = {"a": ["b"], "b": ["c"], "c": ["a"]}
    assert hop_counts("a", lambda node: ring[node]) == {"b": 1, "c": 2}
