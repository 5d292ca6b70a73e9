"""``transfers``: where personal data is processed outside the EEA, with its status under GDPR
Chapter V; where a document says its list of places is not complete; and where no document
states a place at all.

A flow is one party processing one holder's data in one place: a service's provider where the
service's own document places the service, a sub-processor where the engaging document places
that engagement (the holder is then the engaging service or organisation), or an organisation
where its own document places its processing. A service without a place of its own, and an
engagement whose sub-processor no document places, are flows whose place is not stated: such
data is not known to stay in the EEA, so ``leaves_eea`` is then unknown (None) unless another
flow is known to leave it.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

import msgspec

from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Country,
    Direction,
    EdgeKind,
    Engages,
    NodeKind,
    ProcessedIn,
)
from dataflyt.graph.store import GraphStore
from dataflyt.queries.facts import OrganisationRef, certified_among, processing_in_us
from dataflyt.queries.places import Standing, leaves_eea, standing
from dataflyt.words import counted

__all__ = ["Flow", "FlowLevel", "TransfersResult", "transfers", "why_not_known"]


class FlowLevel(StrEnum):
    """Whose processing a flow is."""

    SERVICE = "service"  # a service's own place (its provider processes there)
    ENGAGEMENT = "engagement"  # a sub-processor's place for one engagement
    ORGANISATION = "organisation"  # an organisation's own place, as its own document states


class Flow(msgspec.Struct, kw_only=True, frozen=True):
    """One party (``processor``) processing the data of ``holder`` (a service, or the
    service or organisation engaging a sub-processor) in one place, or in a place no document
    states (``place``, ``code`` and ``standing`` None)."""

    level: FlowLevel
    holder: OrganisationRef
    processor: OrganisationRef | None
    place: str | None = None
    code: str | None = None
    standing: Standing | None = None
    exhaustive: bool = True
    safeguards: list[str] = msgspec.field(default_factory=list)
    note: str | None = None
    source: Citation | None = None


class TransfersResult(msgspec.Struct, kw_only=True, frozen=True):
    """Flows outside the EEA, flows whose list of places is not complete, flows whose place
    no document states, and whether data leaves the EEA: True when a flow is known to, None
    (unknown) when none is known to but a place is not stated, False otherwise."""

    transfers: list[Flow]
    not_exhaustive: list[Flow]
    not_stated: list[Flow]
    leaves_eea: bool | None


class _Map:
    """The facts ``transfers`` reads, once: every place, engagement and provider, and the
    nodes to name and cite them by."""

    def __init__(self, store: GraphStore) -> None:
        kinds = (NodeKind.SERVICE, NodeKind.ORGANISATION, NodeKind.COUNTRY, NodeKind.DOCUMENT)
        self.nodes: Mapping[str, AnyNode] = {n.id: n for kind in kinds for n in store.nodes(kind)}
        services, organisations, countries = (
            [n for n, node in self.nodes.items() if node.kind is kind] for kind in kinds[:3]
        )
        self.services = services
        self.is_service = set(services)
        # each kind of fact read from the end that has the fewest nodes
        places = store.edges(countries, Direction.IN, [EdgeKind.PROCESSED_IN])
        self.places = [e for e in places if isinstance(e, ProcessedIn)]
        provides = store.edges(organisations, Direction.OUT, [EdgeKind.PROVIDES])
        self.provider = {e.target: e.source for e in reversed(provides)}
        own = {e.source for e in self.places if e.by is None}
        # the engagements of a sub-processor without places of its own may be unplaced
        unplaced_orgs = [o for o in organisations if o not in own]
        engages = store.edges(unplaced_orgs, Direction.IN, [EdgeKind.ENGAGES])
        self.engages = [e for e in engages if isinstance(e, Engages)]
        # a service no document places is cited by what describes it
        unplaced = [s for s in services if s not in own]
        described = store.edges(unplaced, Direction.OUT, [EdgeKind.DESCRIBED_IN])
        self.described = {e.source: e for e in reversed(described)}
        self.certified = certified_among(store, processing_in_us(self.places, self.provider))

    def ref(self, node_id: str | None) -> OrganisationRef | None:
        node = self.nodes.get(node_id or "")
        return OrganisationRef(id=node.id, name=node.name) if node else None


def _flow(facts: _Map, edge: ProcessedIn) -> Flow:
    """Return the flow one place states."""
    level, holder = FlowLevel.ORGANISATION, edge.source
    processor: str | None = edge.source
    if edge.by is not None:
        level, processor = FlowLevel.ENGAGEMENT, edge.by
    elif edge.source in facts.is_service:
        level, processor = FlowLevel.SERVICE, facts.provider.get(edge.source)
    country = facts.nodes[edge.target]
    if not isinstance(country, Country):
        raise ValueError(f"{edge.target} is not a country or region")
    return Flow(
        level=level,
        holder=facts.ref(holder) or OrganisationRef(id=holder, name=holder),
        processor=facts.ref(processor),
        place=country.name,
        code=country.code,
        standing=standing(country, processor in facts.certified or "dpf" in edge.safeguards),
        exhaustive=edge.exhaustive,
        safeguards=list(edge.safeguards),
        note=edge.note,
        source=cite(edge, facts.nodes),
    )


def _unstated(facts: _Map) -> list[Flow]:
    """Return the flows no place is stated for: services without a place of their own, and
    engagements whose sub-processor neither the engaging document nor its own places."""
    own = {e.source for e in facts.places if e.by is None}
    engaged = {(e.source, e.by) for e in facts.places if e.by is not None}
    found = [
        Flow(
            level=FlowLevel.ENGAGEMENT,
            holder=facts.ref(e.source) or OrganisationRef(id=e.source, name=e.source),
            processor=facts.ref(e.target),
            source=cite(e, facts.nodes),
        )
        for e in facts.engages
        if e.target not in own and (e.source, e.target) not in engaged
    ]
    for service in facts.services:
        if service not in own:
            said: AnyEdge | None = facts.described.get(service)
            found.append(
                Flow(
                    level=FlowLevel.SERVICE,
                    holder=facts.ref(service) or OrganisationRef(id=service, name=service),
                    processor=facts.ref(facts.provider.get(service)),
                    source=cite(said, facts.nodes) if said else None,
                )
            )
    return found


def _order(flow: Flow) -> tuple[str, str, str, str]:
    processor = flow.processor.name.casefold() if flow.processor else ""
    return (flow.holder.name.casefold(), flow.holder.id, processor, flow.code or "")


def transfers(store: GraphStore) -> TransfersResult:
    """Return every flow outside the EEA (adequacy, adequacy on a condition, or Art. 46
    safeguards needed), every flow whose list of places is not exhaustive and every flow
    whose place is not stated, each sorted by holder, processor and place."""
    facts = _Map(store)
    abroad = {
        n.id for n in facts.nodes.values() if isinstance(n, Country) and standing(n).leaves_eea
    }
    reported = [e for e in facts.places if e.target in abroad or not e.exhaustive]
    flows = sorted((_flow(facts, edge) for edge in reported), key=_order)
    outside = [f for f in flows if f.standing is not None and f.standing.leaves_eea]
    not_stated = sorted(_unstated(facts), key=_order)
    return TransfersResult(
        transfers=outside,
        not_exhaustive=[f for f in flows if not f.exhaustive],
        not_stated=not_stated,
        leaves_eea=leaves_eea([*(f.standing for f in outside), *(None for _ in not_stated)]),
    )


def why_not_known(result: TransfersResult) -> str:
    """Return why it is not known whether data leaves the EEA (``leaves_eea`` None): no flow
    is stated to, but some have no stated place, or some places (every one outside the EEA's
    list, then) are not pinned down to a country."""
    reasons = []
    if result.not_stated:
        flows = len(result.not_stated)
        verb = "has" if flows == 1 else "have"
        reasons.append(f"{counted(flows, 'flow')} {verb} no stated place")
    if result.transfers:
        reasons.append("some places are not pinned down")
    return "no flow is stated to, but " + " and ".join(reasons)
