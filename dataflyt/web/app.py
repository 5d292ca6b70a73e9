"""The explorer as an ASGI app: its routes, the middleware that keeps it safe, and the pages a
bad request gets (the CLI's message and suggestions, the right status, never a traceback).

``create_app`` takes a store that is already open and serves it read-only: no route writes.
Every page answers as of the store's date, or as of the date it asks about (``?as_of=``), the
map then opened for that date by the opener given.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from dataflyt.errors import (
    AmbiguousNameError,
    DataflytError,
    NameError_,
    StoreError,
)
from dataflyt.graph.store import GraphStore
from dataflyt.web import breach, downloads, graph, nodes, pages, transfers
from dataflyt.web.params import BadRequest, asked_date
from dataflyt.web.security import SecurityHeaders, TokenGate
from dataflyt.web.stores import DatedStores, Opener
from dataflyt.web.templating import page

__all__ = ["STATIC", "create_app"]

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("dataflyt.web")

Endpoint = Callable[[Request], Response]


def dated(endpoint: Endpoint) -> Endpoint:
    """Return ``endpoint`` answering from the store of the date the request asks about
    (``request.state.store``; the date, when asked, in ``request.state.as_of``)."""

    @functools.wraps(endpoint)
    def answer(request: Request) -> Response:
        stores: DatedStores = request.app.state.stores
        as_of = asked_date(request)
        if as_of is not None and not stores.dated and as_of != stores.served.as_of:
            raise BadRequest("this explorer answers for one date only: leave out as_of")
        with stores.reading(as_of) as store:
            request.state.store = store
            request.state.as_of = as_of
            return endpoint(request)

    return answer


ROUTES = [
    Route("/", dated(pages.overview), name="overview"),
    Route("/attention", dated(pages.attention)),
    Route("/list/{kind}", dated(pages.listing)),
    Route("/search", dated(pages.search_page)),
    Route("/show", dated(pages.show)),
    Route("/node/{node_id:path}", dated(nodes.node)),
    Route("/touches", dated(pages.touches_page)),
    Route("/breach", dated(breach.breach_page)),
    Route("/breach/diagram", dated(breach.breach_diagram)),
    Route("/breach.json", dated(breach.breach_json)),
    Route("/transfers", dated(transfers.transfers_page)),
    Route("/transfers.json", dated(transfers.transfers_json)),
    Route("/graph", dated(graph.graph_page)),
    Route("/graph/data", dated(graph.graph_data)),
    Route("/downloads", dated(downloads.downloads_page)),
    Route("/download/diagram.{fmt}", dated(downloads.download_diagram)),
    Route("/download/report.{fmt}", dated(downloads.download_report)),
    Route("/download/export/{fmt}", dated(downloads.download_export)),
    Mount("/static", StaticFiles(directory=STATIC, html=False), name="static"),
]


def _error_page(
    request: Request, status: int, message: str, candidates: list[str] | None = None
) -> Response:
    return page(
        request,
        "error.html.j2",
        {"status": status, "message": message, "candidates": candidates or []},
        status=status,
    )


async def _name_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, NameError_)
    status = 400 if isinstance(error, AmbiguousNameError) else 404
    return _error_page(request, status, str(error), error.candidates)


async def _bad_request(request: Request, error: Exception) -> Response:
    return _error_page(request, 400, str(error))


async def _library_error(request: Request, error: Exception) -> Response:
    status = 503 if isinstance(error, StoreError) else 500
    log.error("%s: %s", request.url.path, error)
    return _error_page(request, status, str(error))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    messages = {404: "there is no such page", 405: "this page can only be read"}
    message = messages.get(error.status_code, str(error.detail))
    return _error_page(request, error.status_code, message)


async def _server_error(request: Request, error: Exception) -> Response:
    return _error_page(
        request, 500, "something went wrong inside dataflyt; the server log says what"
    )


@asynccontextmanager
async def _lifespan(app: Starlette) -> AsyncIterator[None]:
    """Close the stores opened for other dates when the server stops."""
    yield
    app.state.stores.close()


def create_app(
    store: GraphStore,
    *,
    opener: Opener | None = None,
    controller: str | None = None,
    token: str | None = None,
    allowed_hosts: list[str] | None = None,
) -> Starlette:
    """Return the explorer serving ``store`` read-only, as of its date; with ``opener`` a page
    may ask about another date (``?as_of=``), for which ``opener`` opens the map. ``controller``
    names the user's own organisation in the exports that name it, when no data map does.
    With ``token`` every request must carry it; with ``allowed_hosts`` a request naming another
    host is refused (which stops a web page elsewhere from reaching a server on this machine
    through DNS rebinding)."""
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if token:
        middleware.append(Middleware(TokenGate, token=token))
    app = Starlette(
        routes=ROUTES,
        lifespan=_lifespan,
        middleware=middleware,
        exception_handlers={
            NameError_: _name_error,
            BadRequest: _bad_request,
            DataflytError: _library_error,
            HTTPException: _http_error,
            500: _server_error,
        },
    )
    app.state.stores = DatedStores(store, opener)
    app.state.controller = controller
    app.state.location = store.summary().location
    return app
