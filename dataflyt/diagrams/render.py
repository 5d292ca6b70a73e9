"""The thin step from a diagram to bytes: pick the text generator (DOT, Mermaid), or run
Graphviz's ``dot`` on the DOT source for SVG, PNG and PDF."""

from __future__ import annotations

import re

from dataflyt.diagrams.build import Budget, build_diagram
from dataflyt.diagrams.dot import to_dot
from dataflyt.diagrams.formats import DiagramFormat
from dataflyt.diagrams.mermaid import to_mermaid
from dataflyt.diagrams.model import Diagram
from dataflyt.diagrams.scope import Scope, select
from dataflyt.errors import RenderError
from dataflyt.graph.store import GraphStore

__all__ = ["LAYOUT_LIMIT", "draw", "inline_svg", "render", "run_dot"]

# past either, Graphviz needs minutes to lay a diagram out (``--detail`` of thousands of
# services): such a diagram is written as DOT or Mermaid text only
LAYOUT_LIMIT = Budget(elements=1_000, flows=4_000)


def run_dot(source: str, fmt: DiagramFormat) -> bytes:
    """Return ``source`` laid out by Graphviz ``dot`` as ``fmt`` (svg, png or pdf)."""
    import graphviz

    try:
        laid_out: bytes = graphviz.pipe("dot", fmt.value, source.encode("utf-8"), quiet=True)
    except graphviz.ExecutableNotFound:
        raise RenderError(
            "Graphviz's dot is not installed: install the graphviz package "
            "(scripts/setup-system does)"
        ) from None
    except graphviz.CalledProcessError as error:
        detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise RenderError(f"dot failed: {detail[-1] if detail else error}") from None
    return laid_out


def render(diagram: Diagram, fmt: DiagramFormat) -> bytes:
    """Return ``diagram`` in ``fmt``: DOT or Mermaid text, or Graphviz's rendering of the DOT;
    raise ``RenderError`` when the diagram is past ``LAYOUT_LIMIT`` for a rendering."""
    if fmt is DiagramFormat.MMD:
        return to_mermaid(diagram).encode("utf-8")
    source = to_dot(diagram)
    if fmt is DiagramFormat.DOT:
        return source.encode("utf-8")
    elements, flows = len(diagram.elements), len(diagram.flows)
    if elements > LAYOUT_LIMIT.elements or flows > LAYOUT_LIMIT.flows:
        raise RenderError(
            f"the diagram has {elements:,} boxes and {flows:,} arrows, more than Graphviz lays "
            f"out in reasonable time: write it as dot or mmd, draw a narrower scope, or leave "
            f"out --detail"
        )
    return run_dot(source, fmt)


def inline_svg(diagram: Diagram) -> str:
    """Return the SVG of ``diagram`` ready to place inside HTML: without the XML declaration,
    doctype, comments and the ``<title>`` tooltips naming internal keys, scaled to the width
    of the page."""
    svg = run_dot(to_dot(diagram), DiagramFormat.SVG).decode("utf-8")
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->\n?|<title>.*?</title>\n?", "", svg, flags=re.DOTALL)
    return re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg class="diagram"', svg, count=1)


def draw(store: GraphStore, scope: Scope, fmt: DiagramFormat, detail: bool = False) -> bytes:
    """Return the diagram of ``scope`` in ``fmt``, every service on its own box when ``detail``
    is set (else large diagrams draw one process per provider); raise a name error when the
    scope's name does not resolve, ``RenderError`` when Graphviz fails."""
    return render(build_diagram(store, select(store, scope), detail), fmt)
