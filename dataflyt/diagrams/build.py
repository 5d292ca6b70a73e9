"""Turn a scope's selection of the map into the plain diagram model: data subjects on the left,
services as processes, providers and sub-processors as external organisations, and the places
where data is processed inside their jurisdiction zones."""

from __future__ import annotations

import re
from collections.abc import Iterable

from dataflyt.diagrams.labels import category_lines
from dataflyt.diagrams.model import (
    Diagram,
    Element,
    ElementKind,
    Flow,
    FlowKind,
    Line,
    Zone,
    ZoneKind,
)
from dataflyt.diagrams.processes import Process, aggregation_note, assumed_line, processes
from dataflyt.diagrams.scope import Selection
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node
from dataflyt.graph.store import GraphStore
from dataflyt.ids import subject_id
from dataflyt.queries.services import CategoryUse, Cite
from dataflyt.queries.transfers import standing
from dataflyt.reference.jurisdictions import TransferStatus, country_name
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["UNSTATED", "ZONE_TITLES", "build_diagram", "sources"]

UNSTATED = "place:unstated"
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


def _keys(ids: Iterable[str]) -> dict[str, str]:
    """Return a key per node id made of ASCII letters, digits and underscores, unique."""
    keys: dict[str, str] = {}
    taken: set[str] = set()
    for node in sorted(set(ids)):
        base = re.sub(r"[^A-Za-z0-9]+", "_", node).strip("_") or "node"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}_{n}"
        taken.add(key)
        keys[node] = key
    return keys


def _subject(name: str) -> Element:
    if not name:
        return Element(
            key="subject:?",  # no slug holds "?", so no real subject shares this key
            kind=ElementKind.SUBJECT,
            name="Data subjects",
            note="not stated",
        )
    return Element(key=subject_id(name), kind=ElementKind.SUBJECT, name=name)


def _place(node: Node) -> Element:
    status, decision = standing(node)
    note = "adequacy only if condition met" if decision and "condition" in decision else None
    return Element(
        key=node.id, kind=ElementKind.PLACE, name=node.name, note=note, zone=_ZONES[status]
    )


def _organisation(node: Node, provider: bool, engaged: bool, breached: bool) -> Element:
    roles = [word for word, on in (("provider", provider), ("sub-processor", engaged)) if on]
    note = ", ".join(roles).capitalize()
    if node.attrs.get("country"):
        note += f" · {country_name(str(node.attrs['country']))}"
    if breached:
        note = "BREACHED · " + note
    return Element(
        key=node.id, kind=ElementKind.ORGANISATION, name=node.name, note=note, high=breached
    )


def _uses(keys: Iterable[str], known: dict[str, CategoryUse]) -> list[CategoryUse]:
    """Return category uses for ``keys``, from the services' own uses or the vocabulary."""
    found = []
    for key in keys:
        entry = vocabulary().categories.get(key)
        found.append(
            known.get(key)
            or CategoryUse(
                key=key,
                name=entry.en if entry else key,
                subjects=[],
                sensitivity=entry.sensitivity if entry else "unknown",
                source=Cite(document=""),
            )
        )
    return found


def _data_flows(process: Process, selection: Selection) -> list[tuple[Element, Flow]]:
    """Return one arrow per data subject into the process, labelled with the categories its
    services show, with the subject it comes from; categories naming no subject come from
    "Data subjects"."""
    by_subject: dict[str, tuple[list[CategoryUse], set[str]]] = {}
    for view in process.views:
        shown = selection.shown.get(view.id)
        for use in view.categories:
            if shown is None or use.key in shown:
                for name in use.subjects or [""]:
                    uses, services = by_subject.setdefault(name, ([], set()))
                    uses.append(use)
                    services.add(view.id)
    found = []
    for name in sorted(by_subject):
        uses, services = by_subject[name]
        assumed = len(services.intersection(selection.assumed))
        lines = category_lines(uses)
        if assumed:
            lines += (assumed_line(assumed, len(services)),)
        subject = _subject(name)
        flow = Flow(
            source=subject.key,
            target=process.key,
            kind=FlowKind.DATA,
            lines=lines,
            high=any(line.high for line in lines),
            dashed=bool(assumed),
        )
        found.append((subject, flow))
    return found


def _engagement_flows(
    edges: list[Edge], known: dict[str, CategoryUse], drawn: dict[str, str]
) -> list[Flow]:
    """Return one arrow per engaging pair of boxes (``drawn`` maps a service to the key of its
    process), labelled with purposes and stated categories."""
    merged: dict[tuple[str, str], list[Edge]] = {}
    for edge in edges:
        merged.setdefault((drawn.get(edge.source, edge.source), edge.target), []).append(edge)
    flows = []
    for (source, target), group in merged.items():
        purposes = sorted({str(e.attrs["purpose"]) for e in group if e.attrs.get("purpose")})
        stated = sorted({k for e in group for k in e.attrs.get("categories") or []})
        lines = tuple(Line(text=p) for p in purposes) + category_lines(_uses(stated, known))
        flows.append(
            Flow(
                source=source,
                target=target,
                kind=FlowKind.ENGAGES,
                lines=lines,
                high=any(line.high for line in lines),
            )
        )
    return flows


def _located_flows(edges: list[Edge], drawn: dict[str, str]) -> list[Flow]:
    """Return arrows from each box (``drawn`` maps a service to the key of its process) to its
    places, and to "other locations" where a list is not exhaustive."""
    pairs = {(drawn.get(e.source, e.source), e.target) for e in edges}
    flows = [Flow(source=s, target=t, kind=FlowKind.LOCATED) for s, t in sorted(pairs)]
    partial = sorted(
        {drawn.get(e.source, e.source) for e in edges if not e.attrs.get("exhaustive", True)}
    )
    flows += [
        Flow(
            source=source,
            target=UNSTATED,
            kind=FlowKind.LOCATED,
            lines=(Line(text="list not exhaustive"),),
            dashed=True,
        )
        for source in partial
    ]
    return flows


def sources(selection: Selection, documents: dict[str, Node]) -> list[tuple[str, str | None]]:
    """Return the (title, date) of every document the selection's facts come from, sorted."""
    cites: list[Cite] = []
    for view in selection.views.values():
        cites += [c.source for c in view.categories] + [c.source for c in view.countries]
        cites += [s.source for s in view.subprocessors] + ([view.source] if view.source else [])
    found = {(c.document, c.date) for c in cites}
    for edge in selection.engagements:
        doc = documents.get(edge.doc)
        found.add((doc.name, doc.attrs.get("date")) if doc else (edge.doc, None))
    return sorted(found, key=lambda d: (d[0].casefold(), d[0], d[1] or ""))


def _caption(found: list[tuple[str, str | None]]) -> str:
    if len(found) == 1:
        title, date = found[0]
        return f"Source: {title}, " + (f"dated {date}." if date else "undated.")
    dates = sorted(date for _, date in found if date)
    span = f", dated {dates[0]} to {dates[-1]}" if dates else ""
    return f"Sources: {len(found)} documents{span}." if found else "No source documents."


def _finish(
    title: str, caption: str, note: str | None, elements: list[Element], flows: list[Flow]
) -> Diagram:
    """Return the diagram with format-safe keys, everything sorted and the zones in use."""
    keys = _keys(e.key for e in elements)
    ordered = sorted(elements, key=lambda e: (_KIND_ORDER[e.kind], e.name.casefold(), e.key))
    drawn = [
        f.model_copy(update={"source": keys[f.source], "target": keys[f.target]}) for f in flows
    ]
    zones = sorted({e.zone for e in elements if e.zone is not None}, key=list(ZoneKind).index)
    return Diagram(
        title=title,
        caption=caption,
        note=note,
        elements=tuple(e.model_copy(update={"key": keys[e.key]}) for e in ordered),
        flows=tuple(sorted(drawn, key=lambda f: (f.source, f.target, f.kind.value))),
        zones=tuple(Zone(kind=z, title=ZONE_TITLES[z]) for z in zones),
    )


def build_diagram(store: GraphStore, selection: Selection, detail: bool = False) -> Diagram:
    """Return the diagram of ``selection``: elements and flows sorted by kind, name and key,
    so the same map always gives the same diagram. Past ``COLLAPSE_ABOVE`` services the
    services of each provider are one aggregate process, unless ``detail`` is set."""
    views = selection.views
    drawn = processes(views, detail)
    where = {view.id: process.key for process in drawn for view in process.views}
    providers = {v.provider.id for v in views.values() if v.provider}
    engaged = {e.target for e in selection.engagements}
    orgs = sorted((providers | engaged | {e.source for e in selection.engagements}) - set(views))
    located = store.edges([*views, *orgs], Direction.OUT, [EdgeKind.PROCESSED_IN])
    places = sorted({e.target for e in located})
    nodes = store.get_nodes([*orgs, *places, *{e.doc for e in selection.engagements}])
    flows: list[Flow] = []
    subjects: dict[str, Element] = {}
    for process in drawn:
        for subject, flow in _data_flows(process, selection):
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
    known = {c.key: c for v in views.values() for c in v.categories}
    flows += _engagement_flows(selection.engagements, known, where)
    flows += _located_flows(located, where)
    high = {f.target for f in flows if f.high and f.kind is FlowKind.DATA}
    elements = [
        *subjects.values(),
        *(
            Element(
                key=p.key,
                kind=ElementKind.SERVICE,
                name=p.name,
                note=p.note,
                high=p.key in high,
            )
            for p in drawn
        ),
        *(
            _organisation(nodes[o], o in providers, o in engaged, o == selection.breached)
            for o in orgs
        ),
        *(_place(nodes[p]) for p in places),
    ]
    if any(f.target == UNSTATED for f in flows):
        elements.append(
            Element(
                key=UNSTATED,
                kind=ElementKind.PLACE,
                name="Other locations",
                note="not stated in the document",
                zone=ZoneKind.NOT_PINNED_DOWN,
            )
        )
    caption = _caption(sources(selection, nodes))
    title = f"Data-flow diagram: {selection.title}"
    return _finish(title, caption, aggregation_note(drawn), elements, flows)
