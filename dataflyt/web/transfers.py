"""The transfers page: the flows ``dataflyt transfers`` lists (outside the EEA, and locations
not exhaustive), filtered by country, status, provider and service."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from dataflyt.answer_json import answer_json
from dataflyt.queries.transfers import Flow, transfers
from dataflyt.reference.vocabulary import fold
from dataflyt.web.params import paged, store_of
from dataflyt.web.templating import page

__all__ = ["FlowFilter", "filter_flows", "transfers_json", "transfers_page"]


class FlowFilter(msgspec.Struct, kw_only=True):
    """What the flows shown must match: a country code, a status value, a provider's name
    (each exactly) and part of a service's name (any case); None or empty matches all."""

    country: str | None = None
    status: str | None = None
    provider: str | None = None
    service: str | None = None

    @classmethod
    def from_request(cls, request: Request) -> FlowFilter:
        """Return the filter the query parameters ask for."""
        params = request.query_params
        return cls(**{name: params.get(name) or None for name in cls.__struct_fields__})


def filter_flows(flows: list[Flow], chosen: FlowFilter) -> list[Flow]:
    """Return the flows that match every part of ``chosen``, in their order."""
    part = fold(chosen.service or "").strip()
    return [
        flow
        for flow in flows
        if (chosen.country is None or flow.code == chosen.country)
        and (chosen.status is None or flow.status == chosen.status)
        and (chosen.provider is None or flow.provider == chosen.provider)
        and (not part or part in fold(flow.service))
    ]


def transfers_page(request: Request) -> Response:
    """The flows outside the EEA and the locations not exhaustive, filtered; the choices
    offered are the values the flows hold."""
    result = transfers(store_of(request))
    chosen = FlowFilter.from_request(request)
    every = result.transfers + result.not_exhaustive
    outside = filter_flows(result.transfers, chosen)
    open_ended = filter_flows(result.not_exhaustive, chosen)
    return page(
        request,
        "transfers.html.j2",
        {
            "result": result,
            "chosen": chosen,
            "outside": paged(request, outside),
            "open_ended": paged(request, open_ended),
            "countries": sorted({(f.country, f.code) for f in every}),
            "statuses": sorted({f.status for f in every}),
            "providers": sorted({f.provider for f in every if f.provider}, key=str.casefold),
        },
    )


def transfers_json(request: Request) -> Response:
    """The flows as ``dataflyt transfers --json`` prints them (unfiltered)."""
    return Response(answer_json(transfers(store_of(request))), media_type="application/json")
