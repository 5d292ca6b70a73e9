"""The breach page: choose an organisation and see the blast radius of a breach there (as
``dataflyt breach``), its diagram (as ``dataflyt diagram --organisation``) and the downloads."""

from __future__ import annotations

from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import Response

from dataflyt.answer_json import answer_json
from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.render import inline_svg
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.queries.breach import breach
from dataflyt.queries.browse import list_nodes
from dataflyt.queries.kinds import ListKind
from dataflyt.web.params import PAGE_SIZE, required, store_of
from dataflyt.web.templating import page

__all__ = ["breach_diagram", "breach_json", "breach_page"]


def breach_page(request: Request) -> Response:
    """The form, and with ``organisation`` given, the blast radius of a breach there."""
    store = store_of(request)
    name = request.query_params.get("organisation", "").strip()
    result = breach(store, name) if name else None
    organisations = list_nodes(store, ListKind.ORGANISATIONS).items
    return page(
        request,
        "breach.html.j2",
        {
            "result": result,
            "organisation": name,
            "organisations": organisations,
            "show_all": "all" in request.query_params,
            "rows_shown": PAGE_SIZE,
        },
    )


def breach_diagram(request: Request) -> Response:
    """The breach's data-flow diagram as inline SVG (a fragment the breach page loads)."""
    store = store_of(request)
    scope = Scope(kind=ScopeKind.ORGANISATION, name=required(request, "organisation"))
    svg = inline_svg(build_diagram(store, select(store, scope)))
    return page(request, "diagram.html.j2", {"svg": Markup(svg)})


def breach_json(request: Request) -> Response:
    """The blast radius as ``dataflyt breach --json`` prints it."""
    result = breach(store_of(request), required(request, "organisation"))
    return Response(answer_json(result), media_type="application/json")
