"""The explorer's HTML: one Jinja environment (autoescaped, strict about undefined names) over
the templates in ``dataflyt/web/templates``, the helpers templates use to link and cite, and
``page``, which renders a template as a response (only its fragment block for htmx requests).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

import jinja2
from starlette.responses import HTMLResponse

from dataflyt.queries.services import Cite
from dataflyt.reference.jurisdictions import TransferStatus

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["environment", "is_fragment", "node_url", "page", "query_url", "where"]


def node_url(node_id: str) -> str:
    """Return the address of the page of the node with id ``node_id``."""
    return "/node/" + quote(node_id, safe=":/")


def query_url(path: str, **params: object) -> str:
    """Return ``path`` with the parameters that are set (not None, not empty) as its query."""
    given = {key: str(value) for key, value in params.items() if value not in (None, "", False)}
    return f"{path}?{urlencode(given)}" if given else path


def where(source: Cite) -> str:
    """Return a citation's file name and line, as the CLI prints it ("annex.txt:13")."""
    path = (source.path or source.document).rsplit("/", 1)[-1]
    return f"{path}:{source.line}" if source.line else path


def status_label(status: str) -> str:
    """Return the words for a transfer status value ("needs Art. 46 safeguards")."""
    try:
        return TransferStatus(status).label
    except ValueError:
        return status


def plural(count: int, noun: str) -> str:
    """Return "1 service", "2 services", "3 categories"."""
    if count == 1:
        return f"{count} {noun}"
    if noun.endswith("y") and not noun.endswith("ey"):
        return f"{count:,} {noun[:-1]}ies"
    return f"{count:,} {noun}s"


MACROS = ("attrs", "cite", "flows", "names", "pager")


@cache
def environment() -> jinja2.Environment:
    """Return the template environment: every value autoescaped, an undefined name an error."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("dataflyt.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # the templates are the package's own and never change while served
    )
    env.globals.update(node_url=node_url, query_url=query_url)
    env.filters.update(where=where, status_label=status_label, plural=plural)
    # the shared macros are globals, so that a fragment block rendered alone has them too
    macros = env.get_template("macros.html.j2").module
    env.globals.update({name: getattr(macros, name) for name in MACROS})
    return env


def is_fragment(request: Request) -> bool:
    """Return whether ``request`` comes from htmx and wants a fragment of a page."""
    return request.headers.get("hx-request") == "true" and "hx-history-restore-request" not in (
        request.headers
    )


def page(request: Request, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """Return the template ``name`` rendered with ``context`` as a response: the whole page, or
    only its ``fragment`` block when htmx asks for it."""
    template = environment().get_template(name)
    values = {"request": request, "location": request.app.state.location, **context}
    if is_fragment(request) and "fragment" in template.blocks:
        html = "".join(template.blocks["fragment"](template.new_context(values)))
    else:
        html = template.render(values)
    return HTMLResponse(html, status_code=status, headers={"vary": "HX-Request"})
