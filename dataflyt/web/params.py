"""Reading a request's parameters: the date it asks about (``as_of``) and the store answering
for it, a required text, a page number, the scope of a diagram or report (as ``dataflyt
diagram``'s options). A bad parameter raises ``BadRequest``, which the app answers with 400
and the message."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from dataflyt.diagrams.scope import Scope, scope_of

if TYPE_CHECKING:
    from starlette.requests import Request

    from dataflyt.graph.store import GraphStore

__all__ = [
    "AS_OF",
    "PAGE_SIZE",
    "SCOPE_PARAMETERS",
    "BadRequest",
    "Paged",
    "asked_date",
    "page_number",
    "page_of",
    "page_rows",
    "paged",
    "required",
    "scope_from",
    "scope_query",
    "store_of",
]

# the query parameters naming a scope, as the options of ``dataflyt diagram`` and ``report``
SCOPE_PARAMETERS = ("service", "organisation", "category", "all")
# the query parameter asking about the map as of a date
AS_OF = "as_of"
# rows of a long table on one page
PAGE_SIZE = 200
_Row = TypeVar("_Row")


class BadRequest(Exception):
    """A request whose parameters are missing or malformed; the message says which and why."""


def asked_date(request: Request) -> str | None:
    """Return the date the request asks about (``as_of``, YYYY-MM-DD), or None for the date
    the explorer serves."""
    text = request.query_params.get(AS_OF, "").strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise BadRequest(f"{AS_OF} {text!r} is not a date: write it as YYYY-MM-DD") from None


def store_of(request: Request) -> GraphStore:
    """Return the store answering the request (as of the date it asks about)."""
    store: GraphStore = request.state.store
    return store


def required(request: Request, name: str) -> str:
    """Return the query parameter ``name``, which must be given and not blank."""
    value: str = request.query_params.get(name, "").strip()
    if not value:
        raise BadRequest(f"give the parameter {name!r}")
    return value


def page_number(request: Request) -> int:
    """Return the page asked for (``page``, from 1; 1 when not given)."""
    text = request.query_params.get("page", "1")
    if not text.isdigit() or int(text) < 1:
        raise BadRequest(f"page must be a whole number from 1, not {text!r}")
    return int(text)


class Paged(NamedTuple, Generic[_Row]):
    """One page of a long list: its rows, its number (from 1), how many rows there are in all
    and whether a next page has any."""

    rows: list[_Row]
    number: int
    total: int
    more: bool


def page_rows(request: Request) -> slice:
    """Return the range of a list's rows on the page the request asks for."""
    start = (page_number(request) - 1) * PAGE_SIZE
    return slice(start, start + PAGE_SIZE)


def page_of(request: Request, rows: Sequence[_Row], total: int) -> Paged[_Row]:
    """Return the page the request asks for, given its ``rows`` (already the range
    ``page_rows`` gives) out of ``total``."""
    return Paged(list(rows), page_number(request), total, page_rows(request).stop < total)


def paged(request: Request, rows: Sequence[_Row]) -> Paged[_Row]:
    """Return the page of ``rows`` the request asks for (``page``, from 1)."""
    return page_of(request, rows[page_rows(request)], len(rows))


def scope_from(request: Request) -> Scope:
    """Return the scope the parameters name: ``service``, ``organisation`` or ``category``
    with a name, or ``all`` for the whole map; exactly one."""
    params = request.query_params
    try:
        return scope_of(
            service=params.get("service"),
            organisation=params.get("organisation"),
            category=params.get("category"),
            everything="all" in params,
        )
    except ValueError:
        raise BadRequest(
            "give exactly one of service=NAME, organisation=NAME, category=NAME or all=1"
        ) from None


def scope_query(scope: Scope) -> dict[str, str]:
    """Return the query parameters that name ``scope`` (the inverse of ``scope_from``)."""
    return {scope.kind.value: "1" if scope.name is None else scope.name}
