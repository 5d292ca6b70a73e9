"""``transfers``: flows of personal data to countries outside the EEA, with their status under
GDPR Chapter V, and flows whose location list the document says is not exhaustive."""

from __future__ import annotations

from typing import Any

import msgspec

from dataflyt.graph.model import Direction, EdgeKind, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import Cite, cite_values
from dataflyt.reference.jurisdictions import Place, TransferStatus, adequacy, transfer_status

__all__ = ["Flow", "TransfersResult", "standing", "transfers"]


class Flow(msgspec.Struct, kw_only=True):
    """One service's data processed in one country or region, with its transfer status."""

    service: str  # the service, or the organisation for its own processing
    service_id: str
    level: str  # "service", or "organisation" for a sub-processor's own places
    provider: str | None  # who processes there
    country: str
    code: str
    status: str
    safeguards: list[str] = msgspec.field(default_factory=list)  # safeguards stated
    decision: str | None = None
    decided: str | None = None
    condition: str | None = None
    exhaustive: bool
    note: str | None = None
    source: Cite


class TransfersResult(msgspec.Struct, kw_only=True):
    """Third-country flows, flows not pinned down, and whether anything leaves the EEA."""

    transfers: list[Flow]
    not_exhaustive: list[Flow]
    leaves_eea: bool


def standing(
    country: Node, processor: Node | None = None
) -> tuple[TransferStatus, dict[str, str] | None]:
    """Return how processing at a country or region node stands under GDPR Chapter V, and the
    adequacy decision covering it (None for regions and countries without one). A processor
    certified under the EU-US Data Privacy Framework meets the US decision's condition."""
    place = _place(country)
    decision = None if place.is_region else adequacy(place.code)
    status = transfer_status(place)
    if (
        status is TransferStatus.CONDITIONAL_ADEQUACY
        and place.code == "US"
        and _dpf_certified(processor)
    ):
        status = TransferStatus.ADEQUACY
    return status, decision


def _place(country: Node) -> Place:
    """Return the country or region node ``country`` as a place."""
    return Place(str(country.attrs["code"]), country.name, bool(country.attrs.get("region")))


def _dpf_certified(processor: Node | None) -> bool:
    """Return whether ``processor`` is certified under the EU-US Data Privacy Framework, the
    only thing about a processor that changes where its processing stands."""
    return processor is not None and processor.attrs.get("dpf_certified") is True


def transfers(store: GraphStore) -> TransfersResult:
    """Return every flow outside the EEA (adequacy, conditional adequacy or Art. 46 safeguards
    needed) and every flow whose location list is not exhaustive, sorted by service."""
    places = store.nodes(NodeKind.COUNTRY)
    by_id = {p.id: p for p in places}
    # Most flows stay inside the EEA, where who processes changes nothing: only the others
    # are read further (their providers, names and citations), which on a large map is a
    # fifth of them.
    third_places = {p.id for p in places if transfer_status(_place(p)) is not TransferStatus.EEA}
    found = store.edges(list(by_id), Direction.IN, [EdgeKind.PROCESSED_IN], cited=False)
    reported = {
        e.key for e in found if e.target in third_places or not e.attrs.get("exhaustive", True)
    }
    services = {key[0] for key in reported}
    edges = [
        e
        for e in store.edges(services, Direction.OUT, [EdgeKind.PROCESSED_IN])
        if e.key in reported
    ]
    provides = store.edges(services, Direction.IN, [EdgeKind.PROVIDES], cited=False)
    nodes = store.get_nodes(services | {e.source for e in provides} | {e.doc for e in edges})
    # who processes there: a service's provider, or the sub-processor organisation itself
    processor_of = {e.target: nodes[e.source] for e in provides if e.source in nodes}
    processor_of |= {s: nodes[s] for s in services if s.startswith("org:") and s in nodes}
    # each place's standing is worked out once, and the flows become plain values, validated
    # together at the end
    standings: dict[tuple[str, bool], tuple[TransferStatus, dict[str, str] | None]] = {}
    flows: list[dict[str, Any]] = []
    for edge in edges:
        country = by_id[edge.target]
        processor = processor_of.get(edge.source)
        key = (country.id, _dpf_certified(processor))
        known = standings.get(key)
        if known is None:
            known = standings[key] = standing(country, processor)
        status, decision = known
        flows.append(
            {
                "service": nodes[edge.source].name,
                "service_id": edge.source,
                "level": "organisation" if edge.source.startswith("org:") else "service",
                "provider": processor.name if processor else None,
                "country": country.name,
                "code": str(country.attrs["code"]),
                "status": status.value,
                "safeguards": list(edge.attrs.get("safeguards") or []),
                "decision": decision["decision"] if decision else None,
                "decided": decision["decided"] if decision else None,
                "condition": decision.get("condition") if decision else None,
                "exhaustive": bool(edge.attrs.get("exhaustive", True)),
                "note": edge.attrs.get("note"),
                "source": cite_values(edge, nodes),
            }
        )
    flows.sort(key=lambda f: (f["service"].casefold(), f["service_id"], f["code"]))
    outside = [f for f in flows if f["status"] != TransferStatus.EEA.value]
    return msgspec.convert(
        {
            "transfers": outside,
            "not_exhaustive": [f for f in flows if not f["exhaustive"]],
            "leaves_eea": any(f["status"] != TransferStatus.NOT_PINNED_DOWN.value for f in outside),
        },
        TransfersResult,
    )
