"""The transfers page: the flows ``dataflyt transfers`` lists (outside the EEA, places not
exhaustive, places no document states), filtered by country, status, provider (who
processes the data) and service (whose data it is)."""

from __future__ import annotations

import msgspec
from starlette.requests import Request
from starlette.responses import Response

from dataflyt.answer_json import answer_json
from dataflyt.queries.transfers import Flow, transfers, why_not_known
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.vocabulary import fold
from dataflyt.web.params import BadRequest, paged, store_of
from dataflyt.web.templating import page

__all__ = ["NOT_STATED_STATUS", "FlowFilter", "filter_flows", "transfers_json", "transfers_page"]

# the status filter's value for the flows whose place no document states
NOT_STATED_STATUS = "not_stated"


class FlowFilter(msgspec.Struct, kw_only=True, frozen=True):
    """What the flows shown must match: a country code, a status (a transfer status value, or
    ``not_stated``), who processes the data (a processor's name, exactly) and part of the
    name of whose data it is (any case); None matches all."""

    country: str | None = None
    status: str | None = None
    provider: str | None = None
    service: str | None = None

    @classmethod
    def from_request(cls, request: Request) -> FlowFilter:
        """Return the filter the query parameters ask for; an unknown status is a bad
        request."""
        params = request.query_params
        chosen = cls(**{name: params.get(name) or None for name in cls.__struct_fields__})
        known = {s.value for s in TransferStatus} | {NOT_STATED_STATUS}
        if chosen.status is not None and chosen.status not in known:
            raise BadRequest(f"status must be one of: {', '.join(sorted(known))}")
        return chosen

    @property
    def active(self) -> bool:
        """Return whether any part of the filter is set."""
        return any(getattr(self, name) for name in self.__struct_fields__)


def _status(flow: Flow) -> str:
    return flow.standing.status.value if flow.standing else NOT_STATED_STATUS


def filter_flows(flows: list[Flow], chosen: FlowFilter) -> list[Flow]:
    """Return the flows that match every part of ``chosen``, in their order."""
    part = fold(chosen.service or "").strip()
    return [
        flow
        for flow in flows
        if (chosen.country is None or flow.code == chosen.country)
        and (chosen.status is None or _status(flow) == chosen.status)
        and (chosen.provider is None or (flow.processor and flow.processor.name == chosen.provider))
        and (not part or part in fold(flow.holder.name))
    ]


def transfers_page(request: Request) -> Response:
    """The flows outside the EEA, the places not exhaustive and the places not stated,
    filtered; the choices offered are the values the flows hold."""
    result = transfers(store_of(request))
    chosen = FlowFilter.from_request(request)
    every = result.transfers + result.not_exhaustive + result.not_stated
    statuses = sorted({_status(f) for f in every})
    return page(
        request,
        "transfers.html.j2",
        {
            "result": result,
            "not_known_why": why_not_known(result) if result.leaves_eea is None else None,
            "chosen": chosen,
            "outside": paged(request, filter_flows(result.transfers, chosen)),
            "open_ended": paged(request, filter_flows(result.not_exhaustive, chosen)),
            "unstated": paged(request, filter_flows(result.not_stated, chosen)),
            "countries": sorted({(f.place, f.code) for f in every if f.place and f.code}),
            "statuses": [
                (s, TransferStatus(s).label if s != NOT_STATED_STATUS else "place not stated")
                for s in statuses
            ],
            "providers": sorted({f.processor.name for f in every if f.processor}, key=str.casefold),
        },
    )


def transfers_json(request: Request) -> Response:
    """The flows as ``dataflyt transfers --json`` prints them (unfiltered)."""
    return Response(answer_json(transfers(store_of(request))), media_type="application/json")
