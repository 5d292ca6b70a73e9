"""``show_node``: one node, found by its id, with every neighbour and the source of each fact.

``browse.show`` finds its node by a typed name, which may be ambiguous across kinds (a service
and an organisation both called "Zendesk") or between a name and the prefix of others
("Phonero"); a page that already knows which node it shows finds it by its stable id.
"""

from __future__ import annotations

from dataflyt.errors import UnknownNameError
from dataflyt.graph.model import Direction
from dataflyt.graph.store import GraphStore
from dataflyt.queries.browse import Neighbour, ShowResult
from dataflyt.queries.resolve import KIND_WORDS
from dataflyt.queries.services import cite

__all__ = ["show_node"]


def show_node(store: GraphStore, node_id: str) -> ShowResult:
    """Return the node with id ``node_id``, its attributes and every neighbour with the source
    of the fact linking them (sorted by relation, then name); raise ``UnknownNameError`` when
    the map holds no such node."""
    node = store.node(node_id)
    if node is None:
        raise UnknownNameError("node", node_id, [])
    edges = store.edges([node.id], Direction.BOTH)
    others = {e.target if e.source == node.id else e.source for e in edges}
    nodes = store.get_nodes(others | {e.doc for e in edges})
    neighbours = []
    for edge in edges:
        outgoing = edge.source == node.id
        other = nodes.get(edge.target if outgoing else edge.source)
        if other is None:
            continue
        neighbours.append(
            Neighbour(
                relation=edge.kind.value,
                direction="out" if outgoing else "in",
                id=other.id,
                name=other.name,
                kind=KIND_WORDS[other.kind],
                attrs=edge.attrs,
                source=cite(edge, nodes),
            )
        )
    neighbours.sort(key=lambda n: (n.relation, n.name.casefold(), n.id, n.source.document))
    return ShowResult(
        id=node.id,
        name=node.name,
        kind=KIND_WORDS[node.kind],
        attrs=node.attrs,
        neighbours=neighbours,
    )
