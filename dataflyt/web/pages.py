"""The overview, the listings, search and the page of each node (service, organisation, data
category, data subject, country, document): each parses the request, calls the library
function the CLI calls, and renders it."""

from __future__ import annotations

from itertools import groupby

import msgspec
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dataflyt.diagrams.findings import attention_points
from dataflyt.diagrams.places import place_rows
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.graph.model import NodeKind
from dataflyt.queries.browse import Neighbour, list_nodes
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.node_view import show_node
from dataflyt.queries.resolve import KIND_WORDS, resolve_name, resolve_node
from dataflyt.queries.search import search
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import standing
from dataflyt.web.params import PAGE_SIZE, BadRequest, paged, required, store_of
from dataflyt.web.templating import node_url, page

__all__ = ["attention", "listing", "node", "overview", "search_page", "show", "touches_page"]

# the words a page heads each group of neighbours with: (relation, direction) -> heading
RELATION_HEADINGS = {
    ("PROVIDES", "in"): "Provided by",
    ("PROVIDES", "out"): "Provides",
    ("PROCESSES", "out"): "Data categories processed",
    ("PROCESSES", "in"): "Processed by",
    ("CONCERNS", "out"): "Data subjects",
    ("CONCERNS", "in"): "Services processing their data",
    ("ENGAGES", "out"): "Engages (sub-processors)",
    ("ENGAGES", "in"): "Engaged by",
    ("PROCESSED_IN", "out"): "Processed in",
    ("PROCESSED_IN", "in"): "Processing here",
    ("CHILD_OF", "out"): "Parent category",
    ("CHILD_OF", "in"): "Sub-categories",
    ("DESCRIBED_IN", "out"): "Described in",
    ("DESCRIBED_IN", "in"): "Describes",
}
_KINDS_BY_WORD = {word: kind for kind, word in KIND_WORDS.items()}


class NeighbourGroup(msgspec.Struct, kw_only=True):
    """The neighbours of a node along one relation and direction, as a page shows them."""

    key: str
    heading: str
    neighbours: list[Neighbour]
    total: int


def overview(request: Request) -> Response:
    """The overview: what the map holds, its documents and dates; the points needing attention
    arrive as a fragment (``attention``)."""
    return page(request, "overview.html.j2", {"summary": store_of(request).summary()})


def attention(request: Request) -> Response:
    """The points needing attention in the whole map, as the DPIA report of everything lists
    them (found as the report finds them, without the rest of the report)."""
    store = store_of(request)
    selection = select(store, Scope(kind=ScopeKind.ALL))
    engagements = selection.engagements
    holders = {e.source for e in engagements} | {e.target for e in engagements}
    holders |= {v.provider.id for v in selection.views.values() if v.provider}
    places = place_rows(store, [*selection.views, *holders])
    points = attention_points(selection, [row for rows in places.values() for row in rows])
    return page(request, "attention.html.j2", {"points": points})


def touches_page(request: Request) -> Response:
    """The services touching a data category, its sub-categories included (``dataflyt
    touches``), a page of rows at a time."""
    result = touches(store_of(request), required(request, "category"))
    return page(
        request, "touches.html.j2", {"touches": result, "services": paged(request, result.services)}
    )


def listing(request: Request) -> Response:
    """Every node of one kind, a page at a time (``dataflyt list``)."""
    try:
        kind = ListKind(request.path_params["kind"])
    except ValueError:
        choices = ", ".join(k.value for k in ListKind)
        raise BadRequest(f"list one of: {choices}") from None
    result = list_nodes(store_of(request), kind)
    return page(
        request, "listing.html.j2", {"listing": result, "items": paged(request, result.items)}
    )


def search_page(request: Request) -> Response:
    """Search as you type: the nodes the text may mean, grouped by kind."""
    text = request.query_params.get("q", "")
    result = search(store_of(request), text)
    return page(request, "search.html.j2", {"result": result, "query": text})


def show(request: Request) -> Response:
    """Find the node a typed name means, as ``dataflyt show`` does (of one kind when ``kind``
    is given), and send the browser to its page."""
    store = store_of(request)
    name = required(request, "name")
    word = request.query_params.get("kind")
    if word is None:
        found = resolve_name(store, name)
    elif word in _KINDS_BY_WORD:
        found = resolve_node(store, _KINDS_BY_WORD[word], name)
    else:
        raise BadRequest(f"kind must be one of: {', '.join(_KINDS_BY_WORD)}")
    return RedirectResponse(node_url(found.id), status_code=303)


def _groups(neighbours: list[Neighbour], expanded: str | None) -> list[NeighbourGroup]:
    """Return ``neighbours`` grouped by relation and direction, each group cut to a page of
    rows unless it is the ``expanded`` one."""
    groups = []
    ordered = sorted(neighbours, key=lambda n: (n.relation, n.direction))
    for (relation, direction), members in groupby(ordered, key=lambda n: (n.relation, n.direction)):
        rows = list(members)
        key = f"{relation}-{direction}"
        groups.append(
            NeighbourGroup(
                key=key,
                heading=RELATION_HEADINGS.get((relation, direction), relation),
                neighbours=rows if key == expanded else rows[:PAGE_SIZE],
                total=len(rows),
            )
        )
    return groups


def node(request: Request) -> Response:
    """The page of one node: its attributes and every neighbour, each fact with its source; a
    country also says where it stands for transfers (a data category's page loads the
    services touching it from ``touches_page``)."""
    store = store_of(request)
    shown = show_node(store, request.path_params["node_id"])
    status = None
    if _KINDS_BY_WORD[shown.kind] is NodeKind.COUNTRY:
        country = store.node(shown.id)
        status = standing(country)[0] if country else None
    groups = _groups(shown.neighbours, request.query_params.get("all"))
    return page(request, "node.html.j2", {"node": shown, "groups": groups, "standing": status})
