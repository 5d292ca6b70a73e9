"""The explorer's HTML: one Jinja environment (autoescaped, strict about undefined names) over
the templates in ``dataflyt/web/templates``, the helpers templates use to link and cite, and
``page``, which renders a template as a response (only its fragment block for htmx requests).

A page asked about another date than the one served (``?as_of=``) keeps asking about it: the
templates' ``node_url`` and ``query_url`` add the date to every address they write.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, quote, urlencode

import jinja2
from starlette.responses import HTMLResponse

from dataflyt.citation import cited_place
from dataflyt.ids import category_id, country_id
from dataflyt.reference.safeguards import safeguard_names
from dataflyt.web.params import AS_OF
from dataflyt.words import counted

if TYPE_CHECKING:
    from starlette.requests import Request

__all__ = ["environment", "is_fragment", "node_url", "page", "query_url"]


def node_url(node_id: str) -> str:
    """Return the address of the page of the node with id ``node_id``."""
    return "/node/" + quote(node_id, safe=":/")


def query_url(path: str, **params: object) -> str:
    """Return ``path`` (which may hold a query already) with the parameters that are set (not
    None, not empty) added to its query."""
    base, _, query = path.partition("?")
    given = dict(parse_qsl(query))
    given |= {key: str(value) for key, value in params.items() if value not in (None, "", False)}
    return f"{base}?{urlencode(given)}" if given else base


# the date the page being rendered asks about (``as_of``), for every address it writes, in
# its own template and in the shared macros alike
_ASKED: ContextVar[str | None] = ContextVar("asked", default=None)


def _dated_query_url(path: str, **params: object) -> str:
    """``query_url`` in a template: the page's ``as_of`` kept in the address."""
    params.setdefault(AS_OF, _ASKED.get())
    return query_url(path, **params)


def _dated_node_url(node_id: str) -> str:
    """``node_url`` in a template: the page's ``as_of`` kept in the address."""
    return query_url(node_url(node_id), **{AS_OF: _ASKED.get()})


MACROS = (
    "cite",
    "dated_fields",
    "engagements",
    "flows",
    "names",
    "not_stated",
    "pager",
    "places",
)


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
    env.globals.update(
        node_url=_dated_node_url,
        query_url=_dated_query_url,
        country_id=country_id,
        category_id=category_id,
    )
    env.filters.update(
        where=cited_place,
        plural=counted,
        safeguard_names=safeguard_names,
    )
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
    store = getattr(request.state, "store", None)
    values = {
        "request": request,
        "location": request.app.state.location,
        "dated": request.app.state.stores.dated,
        # the date asked about, kept in every address; the date the answer describes
        "as_of": getattr(request.state, "as_of", None),
        "describes": store.as_of if store is not None else request.app.state.stores.served.as_of,
        **context,
    }
    asked = _ASKED.set(values["as_of"])
    try:
        if is_fragment(request) and "fragment" in template.blocks:
            html = "".join(template.blocks["fragment"](template.new_context(values)))
        else:
            html = template.render(values)
    finally:
        _ASKED.reset(asked)
    return HTMLResponse(html, status_code=status, headers={"vary": "HX-Request"})
