"""The graph page: an interactive drawing (Cytoscape.js, in ``static/graph.js``) of the
neighbourhood of any node; the script reads the nodes and facts as JSON from ``graph_data``
(never inlined in the page) and asks again for each node a person expands."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from dataflyt.errors import UnknownNameError
from dataflyt.queries.subgraph import subgraph
from dataflyt.web.params import BadRequest, store_of
from dataflyt.web.templating import page

__all__ = ["graph_data", "graph_page"]


def graph_page(request: Request) -> Response:
    """The drawing of the neighbourhood of the node ``id`` (or a pointer to search without
    one)."""
    node_id = request.query_params.get("id")
    node = store_of(request).node(node_id) if node_id else None
    if node_id and node is None:
        raise UnknownNameError("node", node_id, [])
    return page(request, "graph.html.j2", {"node": node})


def graph_data(request: Request) -> Response:
    """The nodes with the ids given (``id``, repeated), their neighbours and the facts between
    them, as JSON for the drawing."""
    ids = [value for value in request.query_params.getlist("id") if value]
    if not ids:
        raise BadRequest("give the parameter 'id' (a node id, repeated for several)")
    return Response(
        msgspec.json.encode(subgraph(store_of(request), ids)), media_type="application/json"
    )
