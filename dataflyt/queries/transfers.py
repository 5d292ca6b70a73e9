"""``transfers``: flows of personal data to countries outside the EEA, with their status under
GDPR Chapter V, and flows whose location list the document says is not exhaustive."""

from __future__ import annotations

from pydantic import BaseModel

from dataflyt.graph.model import Direction, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import Cite, cite
from dataflyt.reference.jurisdictions import Place, adequacy, transfer_status

__all__ = ["Flow", "TransfersResult", "transfers"]


class Flow(BaseModel):
    """One service's data processed in one country or region, with its transfer status."""

    service: str
    service_id: str
    provider: str | None
    country: str
    code: str
    status: str
    decision: str | None = None
    decided: str | None = None
    condition: str | None = None
    exhaustive: bool
    note: str | None = None
    source: Cite


class TransfersResult(BaseModel):
    """Third-country flows, flows not pinned down, and whether anything leaves the EEA."""

    transfers: list[Flow]
    not_exhaustive: list[Flow]
    leaves_eea: bool


def transfers(store: GraphStore) -> TransfersResult:
    """Return every flow outside the EEA (adequacy, conditional adequacy or Art. 46 safeguards
    needed) and every flow whose location list is not exhaustive, sorted by service."""
    places = store.nodes(NodeKind.COUNTRY)
    edges = store.edges([p.id for p in places], Direction.IN, [EdgeKind.PROCESSED_IN])
    services = {e.source for e in edges}
    provides = store.edges(services, Direction.IN, [EdgeKind.PROVIDES])
    nodes = store.get_nodes(services | {e.source for e in provides} | {e.doc for e in edges})
    provider_of = {e.target: nodes[e.source].name for e in provides if e.source in nodes}
    by_id = {p.id: p for p in places}
    flows = []
    for edge in edges:
        country = by_id[edge.target]
        place = Place(str(country.attrs["code"]), country.name, bool(country.attrs.get("region")))
        decision = adequacy(place.code) if not place.is_region else None
        flows.append(
            Flow(
                service=nodes[edge.source].name,
                service_id=edge.source,
                provider=provider_of.get(edge.source),
                country=country.name,
                code=place.code,
                status=transfer_status(place).value,
                decision=decision["decision"] if decision else None,
                decided=decision["decided"] if decision else None,
                condition=decision.get("condition") if decision else None,
                exhaustive=bool(edge.attrs.get("exhaustive", True)),
                note=edge.attrs.get("note"),
                source=cite(edge, nodes),
            )
        )
    flows.sort(key=lambda f: (f.service.casefold(), f.service_id, f.code))
    outside = [f for f in flows if f.status != "inside_eea"]
    return TransfersResult(
        transfers=outside,
        not_exhaustive=[f for f in flows if not f.exhaustive],
        leaves_eea=any(f.status != "not_pinned_down" for f in outside),
    )
