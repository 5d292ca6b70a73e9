"""The overview a diagram becomes when even one process per provider is too many boxes and
arrows to lay out and to read: the services in one process, the providers in one box, the
sub-processors in one box, each pointing at every place where it processes data with how many
of its services or engagements do, and at "Location not stated" with how many no document
places. A breached organisation keeps a box of its own.

Every place and every silence of the full diagram is drawn; who engages whom is left to the
report, to a diagram of one service and to a breach diagram of one organisation.
"""

from __future__ import annotations

from dataflyt.diagrams.arrows import data_flows
from dataflyt.diagrams.located import Placing
from dataflyt.diagrams.model import Element, ElementKind, Flow, FlowKind, Line
from dataflyt.diagrams.processes import Process
from dataflyt.diagrams.scope import Selection, engagement_id
from dataflyt.queries.chains import ChainEngagement

__all__ = ["OVERVIEW_NOTE", "overview"]

# the sentence telling the reader the diagram is an overview, and where to see each box
OVERVIEW_NOTE = (
    "Overview: the services, providers and sub-processors are summed up in one box each. "
    "Draw one service with dataflyt diagram --service NAME, a breach at one organisation "
    "with --organisation NAME; the report lists every one."
)

# keys of the overview's own boxes; no node id starts with "overview:"
SERVICES = "overview:services"
PROVIDERS = "overview:providers"
SUB_PROCESSORS = "overview:sub-processors"
_ENGAGED = "engagements"


def _counted(count: int, noun: str) -> str:
    return f"{count:,} {noun}" + ("" if count == 1 else "s")


def _placing(box: str, engagement: ChainEngagement) -> Placing:
    """Return where ``box`` processes the data of one engagement, counted among engagements."""
    key = " ".join(engagement_id(engagement))
    return Placing(box=box, holder=key, whose=key, places=engagement.facts.places, counted=_ENGAGED)


def overview(selection: Selection) -> tuple[list[Element], list[Flow], list[Placing]]:
    """Return the boxes, the arrows other than those to places, and where each box
    processes data (``located_flows`` draws those arrows)."""
    services = list(selection.services.values())
    process = Process(key=SERVICES, provider=None, services=tuple(services))
    providers = {s.provider.id for s in services if s.provider}
    breached = set(selection.breached)
    engaged = [e for e in selection.engagements if e.facts.organisation.id not in breached]
    subs = {e.facts.organisation.id for e in engaged}
    elements = [
        Element(
            key=SERVICES,
            kind=ElementKind.SERVICE,
            name=_counted(len(services), "service"),
            note="summed up",
        )
    ]
    flows: list[Flow] = []
    for subject, flow in data_flows(process, selection):
        elements.append(subject)
        flows.append(flow)
    if providers - breached:
        elements.append(
            Element(
                key=PROVIDERS,
                kind=ElementKind.ORGANISATION,
                name=_counted(len(providers - breached), "provider"),
                note="Providers",
            )
        )
        flows.append(
            Flow(source=SERVICES, target=PROVIDERS, kind=FlowKind.ROLE, lines=process.role_lines())
        )
    if subs:
        elements.append(
            Element(
                key=SUB_PROCESSORS,
                kind=ElementKind.ORGANISATION,
                name=_counted(len(subs), "sub-processor"),
                note="Sub-processors, every level of the chains",
            )
        )
        line = Line(text=_counted(len({engagement_id(e) for e in engaged}), "engagement"))
        flows.append(
            Flow(source=SERVICES, target=SUB_PROCESSORS, kind=FlowKind.ENGAGES, lines=(line,))
        )
    placings = [
        Placing(box=SERVICES, holder=s.id, whose=s.name, places=s.places, counted="services")
        for s in services
    ]
    placings += [_placing(SUB_PROCESSORS, e) for e in engaged]
    placings += [
        _placing(e.facts.organisation.id, e)
        for e in selection.engagements
        if e.facts.organisation.id in breached
    ]
    flows += [
        Flow(
            source=SERVICES,
            target=party,
            kind=FlowKind.ROLE if party in providers else FlowKind.ENGAGES,
        )
        for party in sorted(breached)
    ]
    return elements, flows, placings
