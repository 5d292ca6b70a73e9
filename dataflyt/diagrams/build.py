"""Turn a scope's selection of the map into the plain diagram model: data subjects on the left,
services as processes, providers and sub-processors as external organisations, and the places
where data is processed inside their jurisdiction zones, "Location not stated" among them
wherever no document says."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import NamedTuple

from dataflyt.diagrams.arrows import data_flows, drawn_from, engagement_flows
from dataflyt.diagrams.located import NOT_STATED_KEY, Placing, located_flows
from dataflyt.diagrams.model import (
    Diagram,
    Element,
    ElementKind,
    Flow,
    FlowKind,
    Zone,
    ZoneKind,
)
from dataflyt.diagrams.overview import OVERVIEW_NOTE, overview
from dataflyt.diagrams.processes import Process, aggregation_note, processes
from dataflyt.diagrams.scope import Selection
from dataflyt.graph.citation import Citation
from dataflyt.graph.model import DescribedIn, Direction, EdgeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import country_id
from dataflyt.queries.places import PlaceUse
from dataflyt.reference.jurisdictions import TransferStatus, country_name

__all__ = ["LARGEST", "ZONE_TITLES", "Budget", "build_diagram", "established_in", "sources"]

ZONE_TITLES = {
    ZoneKind.EEA: "EEA",
    ZoneKind.ADEQUACY: "Third countries with an adequacy decision",
    ZoneKind.NO_ADEQUACY: "Third countries without adequacy (Art. 46 safeguards needed)",
    ZoneKind.NOT_PINNED_DOWN: "Location not pinned down",
}
_ZONES = {
    TransferStatus.EEA: ZoneKind.EEA,
    TransferStatus.ADEQUACY: ZoneKind.ADEQUACY,
    TransferStatus.CONDITIONAL_ADEQUACY: ZoneKind.ADEQUACY,
    TransferStatus.NEEDS_SAFEGUARDS: ZoneKind.NO_ADEQUACY,
    TransferStatus.NOT_PINNED_DOWN: ZoneKind.NOT_PINNED_DOWN,
}
_KIND_ORDER = {kind: i for i, kind in enumerate(ElementKind)}


class Budget(NamedTuple):
    """The most elements and flows a diagram may have for some purpose."""

    elements: int
    flows: int


# the most a diagram draws box by box; past either, it is an overview. Graphviz's layout time
# grows much faster than the number of labelled arrows, and a diagram past these is too dense
# to read (``bench/diagrams.py`` times the layout)
LARGEST = Budget(elements=150, flows=600)
# a key longer than this is cut and made unique by a digest of the id it stands for
_LONGEST_KEY = 60


def _keys(ids: Iterable[str]) -> dict[str, str]:
    """Return a key per node id made of ASCII letters, digits and underscores, unique, of at
    most ``_LONGEST_KEY`` characters and a digest."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for node in sorted(set(ids)):
        base = re.sub(r"[^A-Za-z0-9]+", "_", node).strip("_") or "node"
        if len(base) > _LONGEST_KEY:
            base = f"{base[:_LONGEST_KEY]}_{hashlib.sha256(node.encode()).hexdigest()[:8]}"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}_{n}"
        taken.add(key)
        keys[node] = key
    return keys


def _place(place: PlaceUse) -> Element:
    note = "adequacy only if condition met" if place.standing.condition else None
    return Element(
        key=country_id(place.code),
        kind=ElementKind.PLACE,
        name=place.name,
        note=note,
        zone=_ZONES[place.standing.status],
    )


def _organisation(
    org: str, name: str, provider: bool, engaged: bool, breached: bool, established: str | None
) -> Element:
    roles = [word for word, on in (("provider", provider), ("sub-processor", engaged)) if on]
    note = ", ".join(roles).capitalize()
    if established:
        note += f" · established in {country_name(established)}"
    if breached:
        note = "BREACHED · " + note
    return Element(key=org, kind=ElementKind.ORGANISATION, name=name, note=note, high=breached)


def established_in(store: GraphStore, orgs: list[str]) -> dict[str, str]:
    """Return the country code of where each of the organisations ``orgs`` is established, by
    the first document in force that says (those no document places are left out)."""
    found: dict[str, str] = {}
    for edge in store.edges(orgs, Direction.OUT, [EdgeKind.DESCRIBED_IN]):
        if isinstance(edge, DescribedIn) and edge.country:
            found.setdefault(edge.source, edge.country)
    return found


def _placings(drawn: list[Process], selection: Selection, boxes: dict[str, str]) -> list[Placing]:
    """Return where each box processes data: each process box its services' own places,
    each sub-processor's box the places of each engagement drawn, for whose data (the
    engager's box)."""
    names = {p.key: p.name for p in drawn}
    found = [
        Placing(
            box=p.key,
            holder=s.id,
            whose=s.name,
            places=s.places,
            counted="services" if p.aggregated else None,
        )
        for p in drawn
        for s in p.services
    ]
    for engagement in selection.engagements:
        engager = drawn_from(engagement, boxes)
        found.append(
            Placing(
                box=engagement.facts.organisation.id,
                holder=engagement.holder.id,
                whose=names.get(engager, engagement.holder.name),
                places=engagement.facts.places,
            )
        )
    return found


def _citations(selection: Selection) -> list[Citation]:
    """Return the citation of every fact the selection draws or reports."""
    found: list[Citation] = []
    for service in selection.services.values():
        found += [c.source for c in service.categories if c.source]
        found += [p.source for p in service.places]
        found += [service.source] if service.source else []
    for engagement in selection.engagements:
        facts = engagement.facts
        found += [p.source for p in facts.places] + ([facts.source] if facts.source else [])
    return found


def sources(selection: Selection) -> list[tuple[str, str | None]]:
    """Return the (title, date) of every document the selection's facts come from, sorted."""
    found = {(c.document, c.date) for c in _citations(selection)}
    return sorted(found, key=lambda d: (d[0].casefold(), d[0], d[1] or ""))


def _caption(found: list[tuple[str, str | None]]) -> str:
    if len(found) == 1:
        title, date = found[0]
        return f"Source: {title}, " + (f"dated {date}." if date else "undated.")
    dates = sorted(date for _, date in found if date)
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    return f"Sources: {len(found)} documents{span}." if found else "No source documents."


def _finish(
    selection: Selection, note: str | None, elements: list[Element], flows: list[Flow]
) -> Diagram:
    """Return the diagram with format-safe keys, everything sorted and the zones in use."""
    keys = _keys(e.key for e in elements)
    ordered = sorted(elements, key=lambda e: (_KIND_ORDER[e.kind], e.name.casefold(), e.key))
    drawn = [
        f.model_copy(update={"source": keys[f.source], "target": keys[f.target]}) for f in flows
    ]
    zones = sorted({e.zone for e in elements if e.zone is not None}, key=list(ZoneKind).index)
    return Diagram(
        title=f"Data-flow diagram: {selection.title}",
        caption=_caption(sources(selection)),
        describes=selection.describes,
        note=note,
        elements=tuple(e.model_copy(update={"key": keys[e.key]}) for e in ordered),
        flows=tuple(sorted(drawn, key=lambda f: (f.source, f.target, f.kind.value))),
        zones=tuple(Zone(kind=z, title=ZONE_TITLES[z]) for z in zones),
    )


def _detailed(
    selection: Selection, drawn: list[Process]
) -> tuple[list[Element], list[Flow], list[Placing]]:
    """Return the boxes of the data subjects and processes, the arrows other than those to
    places, and where each box processes data: every process and organisation drawn."""
    services = selection.services
    boxes = {s.id: p.key for p in drawn for s in p.services}
    flows: list[Flow] = []
    subjects: dict[str, Element] = {}
    for process in drawn:
        for subject, flow in data_flows(process, selection):
            subjects[subject.key] = subject
            flows.append(flow)
        if process.provider:
            flows.append(
                Flow(
                    source=process.key,
                    target=process.provider.id,
                    kind=FlowKind.ROLE,
                    lines=process.role_lines(),
                )
            )
    known = {c.key: c for s in services.values() for c in s.categories}
    flows += engagement_flows(selection, known, boxes)
    high = {f.target for f in flows if f.high and f.kind is FlowKind.DATA}
    processes_drawn = [
        Element(key=p.key, kind=ElementKind.SERVICE, name=p.name, note=p.note, high=p.key in high)
        for p in drawn
    ]
    return [*subjects.values(), *processes_drawn], flows, _placings(drawn, selection, boxes)


def _place_keys(placings: list[Placing]) -> dict[str, str]:
    """Return the element key of every place the placings name, by country code."""
    return {p.code: country_id(p.code) for placing in placings for p in placing.places}


def _beyond(budget: Budget, selection: Selection, drawn: list[Process]) -> bool:
    """Return whether a diagram drawing each of ``drawn`` and each organisation on its own
    has more boxes or engagement arrows than ``budget`` allows, before building it."""
    boxes = {s.id: p.key for p in drawn for s in p.services}
    orgs = {e.facts.organisation.id for e in selection.engagements}
    orgs |= {s.provider.id for s in selection.services.values() if s.provider}
    arrows = {(drawn_from(e, boxes), e.facts.organisation.id) for e in selection.engagements}
    return len(drawn) + len(orgs) > budget.elements or len(arrows) > budget.flows


def build_diagram(store: GraphStore, selection: Selection, detail: bool = False) -> Diagram:
    """Return the diagram of ``selection``: elements and flows sorted by kind, name and key,
    so the same map always gives the same diagram. Past ``COLLAPSE_ABOVE`` services the
    services of each provider are one aggregate process, and past ``LARGEST`` elements or
    flows the diagram is an overview, unless ``detail`` is set."""
    drawn = processes(selection.services, detail)
    large = not detail and _beyond(LARGEST, selection, drawn)
    if not large:
        elements, flows, placings = _detailed(selection, drawn)
        flows += located_flows(placings, _place_keys(placings))
        note = aggregation_note(drawn)
        large = not detail and (len(elements) > LARGEST.elements or len(flows) > LARGEST.flows)
    if large:
        elements, flows, placings = overview(selection)
        flows += located_flows(placings, _place_keys(placings))
        note = OVERVIEW_NOTE
    places = {p.code: p for placing in placings for p in placing.places}
    place_keys = _place_keys(placings)
    providers = {s.provider.id: s.provider.name for s in selection.services.values() if s.provider}
    engaged = {e.facts.organisation.id: e.facts.organisation.name for e in selection.engagements}
    engagers = {e.by.id: e.by.name for e in selection.engagements}
    ends = {f.source for f in flows} | {f.target for f in flows}
    ends -= {e.key for e in elements}
    orgs = {o: n for o, n in {**engagers, **providers, **engaged}.items() if o in ends}
    established = established_in(store, sorted(orgs))
    breached = set(selection.breached)
    elements += [
        _organisation(
            org, name, org in providers, org in engaged, org in breached, established.get(org)
        )
        for org, name in sorted(orgs.items())
    ]
    elements += [_place(places[code]) for code in sorted(places) if place_keys[code] in ends]
    if NOT_STATED_KEY in ends:
        elements.append(
            Element(
                key=NOT_STATED_KEY,
                kind=ElementKind.PLACE,
                name="Location not stated",
                note="no document says where, or not all",
                zone=ZoneKind.NOT_PINNED_DOWN,
            )
        )
    return _finish(selection, note, elements, flows)
