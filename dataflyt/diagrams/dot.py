"""The diagram as Graphviz DOT text: a left-to-right data-flow diagram with data subjects on the
left, services as processes (rounded boxes), organisations as external entities and places of
processing inside dashed jurisdiction boundaries, plus a legend and a caption.

Every name goes into an HTML-like label, made ``one_line`` (``dataflyt.safe_text``) and escaped
as XML text, so no name can end a string, start an attribute, reorder the text around it or be
read as a Graphviz escape such as ``\\N`` (a backslash is followed by an invisible word joiner,
U+2060).
"""

from __future__ import annotations

from dataflyt.diagrams.model import Diagram, Element, ElementKind, Flow, FlowKind, Line, ZoneKind
from dataflyt.safe_text import one_line

__all__ = ["CAPTION_LIMIT", "HIGH_COLOUR", "LABEL_LIMIT", "drawn", "html_text", "to_dot"]

HIGH_COLOUR = "#c0392b"
_FONT = "Helvetica,Arial,sans-serif"
_ZONE_COLOURS = {
    ZoneKind.EEA: ("#2e7d32", "#e8f5e9"),
    ZoneKind.ADEQUACY: ("#1565c0", "#e3f2fd"),
    ZoneKind.NO_ADEQUACY: ("#b71c1c", "#ffebee"),
    ZoneKind.NOT_PINNED_DOWN: ("#616161", "#f5f5f5"),
}
_ELEMENT_STYLES = {
    ElementKind.SUBJECT: 'shape=box, style="filled", fillcolor="#fff4cc"',
    ElementKind.SERVICE: 'shape=box, style="rounded,filled", fillcolor="#dbe9f6"',
    ElementKind.ORGANISATION: 'shape=box, style="filled", fillcolor="#eeeeee"',
    ElementKind.PLACE: 'shape=box, style="filled"',
}
_FLOW_STYLES = {
    FlowKind.DATA: 'color="#37474f"',
    FlowKind.ROLE: 'color="#7e57c2", fontcolor="#4527a0", arrowhead=none',
    FlowKind.ENGAGES: 'color="#37474f"',
    FlowKind.LOCATED: 'color="#9e9e9e", fontcolor="#616161", arrowhead=odot',
}
# Past this many elements mincross and network simplex get a bounded number of passes: plain
# dot needs minutes on a 500-service map, bounded it needs seconds for a layout nearly as good.
_LARGE = 150
_BOUNDED = "mclimit=0.2, nslimit=2, nslimit1=2, "
_NOTES = {ElementKind.SUBJECT: "data subject", ElementKind.SERVICE: "service"}
# the most characters a name or a label line is drawn with, and a line under the title: a
# name of thousands of characters would make a box wider than Graphviz and viewers handle
LABEL_LIMIT = 80
CAPTION_LIMIT = 240


# "&" first. Graphviz expands \G, \N, \E, ... even inside HTML-like labels (after decoding
# entities), so every backslash is followed by an invisible word joiner (U+2060).
# "]" as a character reference: Graphviz (2.43) rejects a label that is only "]", and XML
# text may not hold "]]>"
_ENTITIES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("]", "&#93;"),
    ("\\", "\\&#8288;"),
)


def drawn(text: str, limit: int = LABEL_LIMIT) -> str:
    """Return what every diagram format shows of ``text``: ``one_line``, and cut to ``limit``
    characters with an ellipsis when longer (the full text stays in reports and tables)."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def html_text(text: str, limit: int = LABEL_LIMIT) -> str:
    """Return ``text`` as drawn (``drawn``), escaped for a Graphviz HTML-like label (XML
    text, one line)."""
    text = drawn(text, limit)
    for char, entity in _ENTITIES:
        text = text.replace(char, entity)
    return text


def _quote(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _line(line: Line) -> str:
    if line.high:
        return f'<font color="{HIGH_COLOUR}"><b>{html_text(line.text)}</b></font>'
    return html_text(line.text)


def _element(element: Element) -> str:
    note = element.note or _NOTES.get(element.kind)
    label = f"<b>{html_text(element.name)}</b>"
    if note:
        label += f'<br/><font point-size="8">{html_text(note)}</font>'
    style = _ELEMENT_STYLES[element.kind]
    if element.zone is not None:
        style += f', color="{_ZONE_COLOURS[element.zone][0]}", fillcolor="white"'
    if element.high:
        style += f', color="{HIGH_COLOUR}", penwidth=2'
    return f"{_quote(element.key)} [{style}, label=<{label}>];"


def _flow(flow: Flow) -> str:
    attrs = [_FLOW_STYLES[flow.kind]]
    if flow.high:
        attrs = [f'color="{HIGH_COLOUR}", penwidth=2']
    if flow.lines:
        attrs.append("label=<" + "<br/>".join(_line(line) for line in flow.lines) + ">")
    if flow.dashed:
        attrs.append("style=dashed")
    return f"{_quote(flow.source)} -> {_quote(flow.target)} [{', '.join(attrs)}];"


def _legend() -> list[str]:
    rows = [
        ('bgcolor="#fff4cc"', "Data subject", "whose personal data it is"),
        ('bgcolor="#dbe9f6" style="rounded"', "Service", "process handling the data"),
        ('bgcolor="#eeeeee"', "Organisation", "provider or sub-processor"),
        ('color="#2e7d32" style="dashed"', "Jurisdiction", "boundary around places"),
        (
            f'color="{HIGH_COLOUR}"',
            "Red",
            "high sensitivity: communications content, Art. 9/10 data, national ID numbers",
        ),
        ('style="dashed"', "Dashed arrow", "not stated, list not exhaustive, or exposure assumed"),
    ]
    cells = "".join(
        f'<tr><td {attrs} border="1">{name}</td><td align="left">{text}</td></tr>'
        for attrs, name, text in rows
    )
    table = (
        '<table border="0" cellborder="0" cellspacing="3" cellpadding="3">'
        f'<tr><td colspan="2"><b>Legend</b></td></tr>{cells}</table>'
    )
    return [f'legend [shape=plaintext, style="", fontsize=8, label=<{table}>];']


def to_dot(diagram: Diagram) -> str:
    """Return the DOT source of ``diagram``; the same diagram always gives the same bytes."""
    lines = [f"<b>{html_text(diagram.title, CAPTION_LIMIT)}</b>"]
    lines += [html_text(line, CAPTION_LIMIT) for line in diagram.caption_lines]
    caption = "".join(f'{line}<br align="left"/>' for line in lines)
    bounded = _BOUNDED if len(diagram.elements) > _LARGE else ""
    out = [
        "digraph dataflyt {",
        f'  graph [rankdir=LR, newrank=true, {bounded}fontname="{_FONT}", fontsize=11, '
        f"labelloc=b, labeljust=l, nodesep=0.3, ranksep=0.9, pad=0.3, label=<{caption}>];",
        f'  node [fontname="{_FONT}", fontsize=10, margin="0.15,0.06"];',
        f'  edge [fontname="{_FONT}", fontsize=8];',
    ]
    zoned = {z.kind: [e for e in diagram.elements if e.zone is z.kind] for z in diagram.zones}
    out += [f"  {_element(e)}" for e in diagram.elements if e.zone is None]
    for zone in diagram.zones:
        border, fill = _ZONE_COLOURS[zone.kind]
        out.append(f"  subgraph cluster_{zone.kind.value} {{")
        out.append(
            f'    style="dashed,rounded,filled"; color="{border}"; fillcolor="{fill}"; '
            f'fontcolor="{border}"; labeljust=l; labelloc=t; '
            f"label=<<b>{html_text(zone.title)}</b>>;"
        )
        out += [f"    {_element(e)}" for e in zoned[zone.kind]]
        out.append("  }")
    out += [f"  {_flow(f)}" for f in diagram.flows]
    out += [f"  {line}" for line in _legend()]
    out.append("}")
    return "\n".join(out) + "\n"
