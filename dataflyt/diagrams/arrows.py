"""The arrows into and between a diagram's boxes: from each data subject into a process,
labelled with the categories it gives (and "categories not stated" where no document names
them), and from each engaging box to the sub-processor it engages, labelled with the
purposes and the categories stated for the engagement."""

from __future__ import annotations

from collections.abc import Iterable

from dataflyt.diagrams.labels import category_lines
from dataflyt.diagrams.model import Element, ElementKind, Flow, FlowKind, Line
from dataflyt.diagrams.processes import Process, assumed_line
from dataflyt.diagrams.scope import Selection
from dataflyt.queries.chains import ChainEngagement
from dataflyt.queries.facts import CategoryUse
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["data_flows", "drawn_from", "engagement_flows"]

# the key of the data subjects no document names; no node id starts with "unstated:"
_NO_SUBJECT = "unstated:subject"


def drawn_from(engagement: ChainEngagement, boxes: dict[str, str]) -> str:
    """Return the key of the box an engagement is drawn from: the process of the service
    that engages (or that the organisation engages through, when that service is drawn),
    else the engaging organisation's box (``boxes`` maps a service to its process)."""
    if engagement.through and engagement.through.id in boxes:
        return boxes[engagement.through.id]
    return boxes.get(engagement.by.id, engagement.by.id)


def _subject(name: str) -> Element:
    if not name:
        return Element(
            key=_NO_SUBJECT, kind=ElementKind.SUBJECT, name="Data subjects", note="not stated"
        )
    return Element(key=f"subject:{name}", kind=ElementKind.SUBJECT, name=name)


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
                sensitivity=entry.sensitivity if entry else "unknown",
            )
        )
    return found


def data_flows(process: Process, selection: Selection) -> list[tuple[Element, Flow]]:
    """Return one arrow per data subject into the process, labelled with the categories its
    services show, with the subject it comes from; categories naming no subject come from
    "Data subjects (not stated)", as does an arrow saying the categories are not stated for
    services whose documents name none."""
    by_subject: dict[str, tuple[list[CategoryUse], set[str]]] = {}
    unstated = 0
    for service in process.services:
        shown = selection.shown.get(service.id)
        uses = [u for u in service.categories if shown is None or u.key in shown]
        unstated += not service.categories
        for use in uses:
            for name in use.subjects or [""]:
                named, services = by_subject.setdefault(name, ([], set()))
                named.append(use)
                services.add(service.id)
    found: list[tuple[Element, Flow]] = []
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
    if unstated:
        total = len(process.services)
        text = "categories not stated"
        if process.aggregated:
            text += f" for {unstated} of {total} services"
        subject = _subject("")
        line = Line(text=text)
        found.append(
            (
                subject,
                Flow(
                    source=subject.key,
                    target=process.key,
                    kind=FlowKind.DATA,
                    lines=(line,),
                    dashed=True,
                ),
            )
        )
    return found


def engagement_flows(
    selection: Selection, known: dict[str, CategoryUse], drawn: dict[str, str]
) -> list[Flow]:
    """Return one arrow per engaging pair of boxes (``drawn`` maps a service to the key of its
    process), labelled with purposes and stated categories."""
    merged: dict[tuple[str, str], tuple[set[str], set[str]]] = {}
    for engagement in selection.engagements:
        source = drawn_from(engagement, drawn)
        purposes, stated = merged.setdefault(
            (source, engagement.facts.organisation.id), (set(), set())
        )
        if engagement.facts.purpose:
            purposes.add(engagement.facts.purpose)
        stated.update(engagement.facts.categories or [])
    flows = []
    for (source, target), (purposes, stated) in merged.items():
        lines = tuple(Line(text=p) for p in sorted(purposes))
        lines += category_lines(_uses(sorted(stated), known))
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
