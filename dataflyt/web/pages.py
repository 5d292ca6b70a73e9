"""The overview, the listings, search and the page of each node (service, organisation, data
category, data subject, country, document): each parses the request, calls the library
function the CLI calls, and renders it."""

from __future__ import annotations

from itertools import groupby
from typing import Any

import msgspec
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dataflyt.diagrams.report import build_report
from dataflyt.diagrams.scope import Scope, ScopeKind
from dataflyt.graph.model import NodeKind
from dataflyt.queries.browse import Neighbour, list_nodes
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.node_view import show_node
from dataflyt.queries.resolve import KIND_WORDS, resolve_name, resolve_node
from dataflyt.queries.search import search
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import standing
from dataflyt.web.params import BadRequest, page_number, required, store_of
from dataflyt.web.templating import node_url, page

__all__ = ["attention", "listing", "node", "overview", "search_page", "show"]

# rows of a listing, or of one group of a node's neighbours, on one page
PAGE_SIZE = 200
# the words a page heads each group of neighbours with: (relation, direction) -> heading
RELATION_HEADINGS = {
    ("PROVIDES", "in"): "Provided by",
    ("PROVIDES", "out"): "Provides",
    ("PROCESSES", "out"): "Data categories processed",
    ("PROCESSES", "in"): "Processed by",
    ("CONCERNS", "out"): "Data subjects",
    ("CONCERNS", "in"): "Services whose data subjects these are",
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
    """The points needing attention in the whole map: those of the DPIA report of everything."""
    report = build_report(store_of(request), Scope(kind=ScopeKind.ALL))
    return page(request, "attention.html.j2", {"points": report.attention})


def listing(request: Request) -> Response:
    """Every node of one kind, a page at a time (``dataflyt list``)."""
    try:
        kind = ListKind(request.path_params["kind"])
    except ValueError:
        choices = ", ".join(k.value for k in ListKind)
        raise BadRequest(f"list one of: {choices}") from None
    number = page_number(request)
    result = list_nodes(store_of(request), kind)
    start = (number - 1) * PAGE_SIZE
    return page(
        request,
        "listing.html.j2",
        {
            "listing": result,
            "items": result.items[start : start + PAGE_SIZE],
            "page": number,
            "pages": max(1, -(-len(result.items) // PAGE_SIZE)),
        },
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
    data category also lists the services touching it (its sub-categories included), a
    country says where it stands for transfers."""
    store = store_of(request)
    shown = show_node(store, request.path_params["node_id"])
    extra: dict[str, Any] = {"touches": None, "standing": None}
    kind = _KINDS_BY_WORD[shown.kind]
    if kind is NodeKind.CATEGORY:
        extra["touches"] = touches(store, shown.name)
    elif kind is NodeKind.COUNTRY:
        country = store.node(shown.id)
        extra["standing"] = standing(country)[0] if country else None
    groups = _groups(shown.neighbours, request.query_params.get("all"))
    return page(request, "node.html.j2", {"node": shown, "groups": groups, **extra})
