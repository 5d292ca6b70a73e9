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
from dataflyt.diagrams.scope import Selection
from dataflyt.graph.model import Direction, Edge, EdgeKind, Node, NodeKind, node_id
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import CategoryUse, Cite, ServiceView
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
    return Element(key=node_id(NodeKind.SUBJECT, name), kind=ElementKind.SUBJECT, name=name)


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


def _data_flows(
    view: ServiceView, shown: list[str] | None, assumed: bool
) -> list[tuple[Element, Flow]]:
    """Return one arrow per data subject into the service, labelled with its categories, with
    the subject it comes from; categories naming no subject come from "Data subjects"."""
    by_subject: dict[str, list[CategoryUse]] = {}
    for use in view.categories:
        if shown is None or use.key in shown:
            for name in use.subjects or [""]:
                by_subject.setdefault(name, []).append(use)
    found = []
    for name, uses in sorted(by_subject.items()):
        subject = _subject(name)
        lines = category_lines(uses)
        if assumed:
            lines += (Line(text="(exposure assumed: nothing narrower stated)"),)
        flow = Flow(
            source=subject.key,
            target=view.id,
            kind=FlowKind.DATA,
            lines=lines,
            high=any(line.high for line in lines),
            dashed=assumed,
        )
        found.append((subject, flow))
    return found


def _engagement_flows(edges: list[Edge], known: dict[str, CategoryUse]) -> list[Flow]:
    """Return one arrow per engaging pair, labelled with purposes and stated categories."""
    merged: dict[tuple[str, str], list[Edge]] = {}
    for edge in edges:
        merged.setdefault((edge.source, edge.target), []).append(edge)
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


def _located_flows(edges: list[Edge]) -> list[Flow]:
    """Return arrows to the places, and to "other locations" where a list is not exhaustive."""
    flows = [Flow(source=e.source, target=e.target, kind=FlowKind.LOCATED) for e in edges]
    partial = sorted({e.source for e in edges if not e.attrs.get("exhaustive", True)})
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


def _finish(title: str, caption: str, elements: list[Element], flows: list[Flow]) -> Diagram:
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
        elements=tuple(e.model_copy(update={"key": keys[e.key]}) for e in ordered),
        flows=tuple(sorted(drawn, key=lambda f: (f.source, f.target, f.kind.value))),
        zones=tuple(Zone(kind=z, title=ZONE_TITLES[z]) for z in zones),
    )


def build_diagram(store: GraphStore, selection: Selection) -> Diagram:
    """Return the diagram of ``selection``: elements and flows sorted by kind, name and key,
    so the same map always gives the same diagram."""
    views = selection.views
    providers = {v.provider.id for v in views.values() if v.provider}
    engaged = {e.target for e in selection.engagements}
    orgs = sorted((providers | engaged | {e.source for e in selection.engagements}) - set(views))
    located = store.edges([*views, *orgs], Direction.OUT, [EdgeKind.PROCESSED_IN])
    places = sorted({e.target for e in located})
    nodes = store.get_nodes([*orgs, *places, *{e.doc for e in selection.engagements}])
    flows: list[Flow] = []
    subjects: dict[str, Element] = {}
    for view in views.values():
        for subject, flow in _data_flows(
            view, selection.shown.get(view.id), view.id in selection.assumed
        ):
            subjects[subject.key] = subject
            flows.append(flow)
        if view.provider:
            flows.append(
                Flow(
                    source=view.id,
                    target=view.provider.id,
                    kind=FlowKind.ROLE,
                    lines=(Line(text=view.role_label),),
                )
            )
    known = {c.key: c for v in views.values() for c in v.categories}
    flows += _engagement_flows(selection.engagements, known) + _located_flows(located)
    high = {f.target for f in flows if f.high and f.kind is FlowKind.DATA}
    elements = [
        *subjects.values(),
        *(
            Element(
                key=v.id,
                kind=ElementKind.SERVICE,
                name=v.name,
                high=v.id in high,
            )
            for v in views.values()
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
    return _finish(f"Data-flow diagram: {selection.title}", caption, elements, flows)
