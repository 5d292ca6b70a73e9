"""The diagram as a Mermaid flowchart (GitHub, GitLab and Confluence render it): the same
elements, flows, zones, legend and caption as the DOT output.

Every name is made ``one_line`` (``dataflyt.safe_text``) and written inside double quotes with
each character other than letters, digits, spaces and ``.,:-_()/`` replaced by a Mermaid entity
code (``#60;`` for ``<``), so no name can end a label, start a statement, become HTML or
reorder the text around it.
"""

from __future__ import annotations

from dataflyt.diagrams.dot import CAPTION_LIMIT, HIGH_COLOUR, LABEL_LIMIT, drawn
from dataflyt.diagrams.model import Diagram, Element, ElementKind, Flow, FlowKind, Line, ZoneKind

__all__ = ["mermaid_text", "to_mermaid"]

_SAFE = frozenset(" .,:-_()/")
_SHAPES = {
    ElementKind.SUBJECT: ('["', '"]'),
    ElementKind.SERVICE: ('("', '")'),
    ElementKind.ORGANISATION: ('["', '"]'),
    ElementKind.PLACE: ('["', '"]'),
}
_ARROWS = {
    (FlowKind.DATA, False): "-->",
    (FlowKind.DATA, True): "-.->",
    (FlowKind.ROLE, False): "---",
    (FlowKind.ENGAGES, False): "-->",
    (FlowKind.LOCATED, False): "-.-o",
    (FlowKind.LOCATED, True): "-.-o",
}
_CLASSES = {
    "subject": "fill:#fff4cc,stroke:#333,color:#000",
    "service": "fill:#dbe9f6,stroke:#333,color:#000",
    "organisation": "fill:#eeeeee,stroke:#333,color:#000",
    "place": "fill:#ffffff,stroke:#333,color:#000",
    "high": f"stroke:{HIGH_COLOUR},stroke-width:3px",
    "caption": "fill:none,stroke:none,color:#000",
}
_ZONE_STYLES = {
    ZoneKind.EEA: "fill:#e8f5e9,stroke:#2e7d32,stroke-dasharray:5 5",
    ZoneKind.ADEQUACY: "fill:#e3f2fd,stroke:#1565c0,stroke-dasharray:5 5",
    ZoneKind.NO_ADEQUACY: "fill:#ffebee,stroke:#b71c1c,stroke-dasharray:5 5",
    ZoneKind.NOT_PINNED_DOWN: "fill:#f5f5f5,stroke:#616161,stroke-dasharray:5 5",
}
_NOTES = {ElementKind.SUBJECT: "data subject", ElementKind.SERVICE: "service"}


def mermaid_text(text: str, limit: int = LABEL_LIMIT) -> str:
    """Return ``text`` as drawn (``one_line``, cut to ``limit`` characters) with every
    character that Mermaid or HTML could read as syntax written as a Mermaid entity code."""
    return "".join(
        ch if ch.isalnum() or ch in _SAFE else f"#{ord(ch)};" for ch in drawn(text, limit)
    )


def _line(line: Line) -> str:
    return f"<b>{mermaid_text(line.text)}</b>" if line.high else mermaid_text(line.text)


def _element(element: Element) -> str:
    note = element.note or _NOTES.get(element.kind)
    label = f"<b>{mermaid_text(element.name)}</b>"
    if note:
        label += f"<br/><i>{mermaid_text(note)}</i>"
    start, end = _SHAPES[element.kind]
    return f"{element.key}{start}{label}{end}:::{element.kind.value}"


def _flow(flow: Flow) -> str:
    arrow = _ARROWS.get((flow.kind, flow.dashed), "-.->")
    label = "<br/>".join(_line(line) for line in flow.lines)
    return (
        f'{flow.source} {arrow}|"{label}"| {flow.target}'
        if label
        else (f"{flow.source} {arrow} {flow.target}")
    )


def _legend(diagram: Diagram) -> list[str]:
    lines = [f"<b>{mermaid_text(diagram.title, CAPTION_LIMIT)}</b>"]
    lines += [mermaid_text(line, CAPTION_LIMIT) for line in diagram.caption_lines]
    caption = "<br/>".join(lines)
    return [
        'subgraph legend["Legend"]',
        "  direction TB",
        '  legend_subject["Data subject"]:::subject',
        '  legend_service("Service (process)"):::service',
        '  legend_organisation["Organisation: provider or sub-processor"]:::organisation',
        '  legend_high["Red border or bold: high sensitivity: communications content, '
        'Art. 9/10 data, national ID numbers"]:::high',
        '  legend_dashed["Dashed arrow: not stated, list not exhaustive, or exposure '
        'assumed"]:::place',
        f'  legend_caption["{caption}"]:::caption',
        "end",
    ]


def to_mermaid(diagram: Diagram) -> str:
    """Return the Mermaid flowchart of ``diagram``; the same diagram always gives the same
    bytes."""
    out = ["flowchart LR"]
    out += [f"  {_element(e)}" for e in diagram.elements if e.zone is None]
    for zone in diagram.zones:
        out.append(f'  subgraph zone_{zone.kind.value}["{mermaid_text(zone.title)}"]')
        out += [f"    {_element(e)}" for e in diagram.elements if e.zone is zone.kind]
        out.append("  end")
    out += [f"  {_flow(f)}" for f in diagram.flows]
    out += [f"  {line}" for line in _legend(diagram)]
    out += [f"  classDef {name} {style}" for name, style in _CLASSES.items()]
    out += [f"  style zone_{z.kind.value} {_ZONE_STYLES[z.kind]}" for z in diagram.zones]
    marked = [e.key for e in diagram.elements if e.high]
    if marked:
        out.append(f"  class {','.join(marked)} high")
    high = [str(i) for i, flow in enumerate(diagram.flows) if flow.high]
    if high:
        out.append(f"  linkStyle {','.join(high)} stroke:{HIGH_COLOUR},stroke-width:3px")
    return "\n".join(out) + "\n"
