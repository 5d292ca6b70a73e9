"""The explorer as an ASGI app: its routes, the middleware that keeps it safe, and the pages a
bad request gets (the CLI's message and suggestions, the right status, never a traceback).

``create_app`` takes a store that is already open and serves it read-only: no route writes.
"""

from __future__ import annotations

import logging
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
from dataflyt.web import breach, downloads, graph, pages, transfers
from dataflyt.web.params import BadRequest
from dataflyt.web.security import SecurityHeaders, TokenGate
from dataflyt.web.templating import page

__all__ = ["STATIC", "create_app"]

STATIC = Path(__file__).parent / "static"
log = logging.getLogger("dataflyt.web")

ROUTES = [
    Route("/", pages.overview, name="overview"),
    Route("/attention", pages.attention),
    Route("/list/{kind}", pages.listing),
    Route("/search", pages.search_page),
    Route("/show", pages.show),
    Route("/node/{node_id:path}", pages.node),
    Route("/touches", pages.touches_page),
    Route("/breach", breach.breach_page),
    Route("/breach/diagram", breach.breach_diagram),
    Route("/breach.json", breach.breach_json),
    Route("/transfers", transfers.transfers_page),
    Route("/transfers.json", transfers.transfers_json),
    Route("/graph", graph.graph_page),
    Route("/graph/data", graph.graph_data),
    Route("/downloads", downloads.downloads_page),
    Route("/download/diagram.{fmt}", downloads.download_diagram),
    Route("/download/report.{fmt}", downloads.download_report),
    Route("/download/export/{fmt}", downloads.download_export),
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


def create_app(
    store: GraphStore, *, token: str | None = None, allowed_hosts: list[str] | None = None
) -> Starlette:
    """Return the explorer serving ``store`` read-only. With ``token`` every request must carry
    it; with ``allowed_hosts`` a request naming another host is refused (which stops a web page
    elsewhere from reaching a server on this machine through DNS rebinding)."""
    middleware = [Middleware(SecurityHeaders)]
    if allowed_hosts:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts))
    if token:
        middleware.append(Middleware(TokenGate, token=token))
    app = Starlette(
        routes=ROUTES,
        middleware=middleware,
        exception_handlers={
            NameError_: _name_error,
            BadRequest: _bad_request,
            DataflytError: _library_error,
            HTTPException: _http_error,
            500: _server_error,
        },
    )
    app.state.store = store
    app.state.location = store.summary().location
    return app
