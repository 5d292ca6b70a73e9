"""The overview, the listings, search, ``show`` and ``touches``: each parses the request, calls
the library function the CLI calls, and renders it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from dataflyt.diagrams.findings import attention_points
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.queries.browse import list_nodes
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.resolve import KIND_WORDS, resolve_name, resolve_node
from dataflyt.queries.search import search
from dataflyt.queries.touches import touches
from dataflyt.web.params import (
    AS_OF,
    BadRequest,
    page_of,
    page_rows,
    paged,
    required,
    store_of,
)
from dataflyt.web.templating import node_url, page, query_url

__all__ = ["attention", "listing", "overview", "search_page", "show", "touches_page"]

_KINDS_BY_WORD = {word: kind for kind, word in KIND_WORDS.items()}


def overview(request: Request) -> Response:
    """The overview: what the map holds, its documents and dates; the points needing attention
    arrive as a fragment (``attention``)."""
    return page(request, "overview.html.j2", {"summary": store_of(request).summary()})


def attention(request: Request) -> Response:
    """The points needing attention in the whole map, as the DPIA report of everything lists
    them (found as the report finds them, without the rest of the report)."""
    points = attention_points(select(store_of(request), Scope(kind=ScopeKind.ALL)))
    return page(request, "attention.html.j2", {"points": paged(request, points)})


def touches_page(request: Request) -> Response:
    """The services touching a data category, its sub-categories included (``dataflyt
    touches``), a page of rows at a time."""
    result = touches(store_of(request), required(request, "category"), page_rows(request))
    services = page_of(request, result.services, result.total)
    return page(request, "touches.html.j2", {"touches": result, "services": services})


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
    address = query_url(node_url(found.id), **{AS_OF: request.state.as_of})
    return RedirectResponse(address, status_code=303)
