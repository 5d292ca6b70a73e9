"""The DPIA report as text: one self-contained HTML file (inline CSS and SVG, no script, a
Content-Security-Policy that forbids fetching anything) or Markdown with a Mermaid diagram.

Every value is made ``visible`` (``dataflyt.safe_text``: no control characters, bidi controls
shown as their codes) on output; HTML is then autoescaped by Jinja, and in Markdown every value
is escaped (``md_text``), so names can neither inject HTML nor Markdown syntax, nor reorder the
text around them.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from dataflyt.diagrams.formats import ReportFormat
from dataflyt.diagrams.mermaid import to_mermaid
from dataflyt.diagrams.render import inline_svg
from dataflyt.diagrams.report import Report, build_report
from dataflyt.diagrams.scope import Scope
from dataflyt.graph.citation import Citation
from dataflyt.graph.store import GraphStore
from dataflyt.queries.places import PlaceUse
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.safeguards import safeguard_names
from dataflyt.safe_text import one_line, visible

if TYPE_CHECKING:
    import jinja2

__all__ = ["md_text", "render_report", "report_text"]

_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]|~#])")
# an "&" is only markup where it starts an entity such as "&lt;" or "&#60;"
_ENTITY_LIKE = re.compile(r"&(?=#?\w+;)")
# a report repeats document titles, names and citations many thousands of times: the texts
# and citations it writes are kept, up to this many of each
_CACHED = 1 << 18


def md_text(value: Any) -> str:
    """Return ``value`` as Markdown text that renders literally: ``one_line``, ``<``, ``>`` and
    an ``&`` that would start an entity written as entities, Markdown punctuation
    backslash-escaped."""
    return _md_escaped(str(value))


@lru_cache(maxsize=_CACHED)
def _md_escaped(text: str) -> str:
    text = _ENTITY_LIKE.sub("&amp;", one_line(text))
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def _finalize_markdown(value: Any) -> str:
    return str(value) if isinstance(value, Markup) else md_text(value)


def _finalize_html(value: Any) -> str:
    """Return ``value`` made ``visible``: markup Jinja made (a ``join`` of escaped values, the
    SVG, a citation) stays markup, anything else is then escaped by Jinja."""
    return Markup(visible(value)) if isinstance(value, Markup) else _visible(str(value))


@lru_cache(maxsize=_CACHED)
def _visible(text: str) -> str:
    return visible(text)


def _cited(citation: Citation) -> tuple[str, str | None]:
    """Return where a fact comes from (document, date, page, line) and its wording."""
    head = [citation.document]
    head += [citation.date] if citation.date else []
    head += [f"page {citation.page}"] if citation.page else []
    head += [f"line {citation.line}"] if citation.line else []
    return ", ".join(head), citation.text


@lru_cache(maxsize=_CACHED)
def _cite_markdown(citation: Citation | None) -> Markup:
    """Return a citation as Markdown: "Title, date, page 3, line 12: “wording”"."""
    if citation is None:
        return Markup("")
    head, text = _cited(citation)
    return Markup(md_text(head) + (f": “{md_text(text)}”" if text else ""))


@lru_cache(maxsize=_CACHED)
def _cite_html(citation: Citation | None) -> Markup:
    """Return a citation as HTML: the same words, the wording quoted with ``<q>``."""
    if citation is None:
        return Markup("")
    head, text = _cited(citation)
    quoted = f": <q>{escape(text)}</q>" if text else ""
    return Markup(f'<span class="cite">{escape(head)}{quoted}</span>')


def _place_text(place: PlaceUse) -> str:
    """Return a place as a report names it: "Netherlands (Inside the EEA; list not
    exhaustive)", "United States (...; stated safeguards: Standard Contractual Clauses)"."""
    partial = "" if place.exhaustive else "; list not exhaustive"
    stated = ", ".join(safeguard_names(place.safeguards))
    safeguards = f"; stated safeguards: {stated}" if stated else ""
    return f"{place.name} ({place.standing.wording}{safeguards}{partial})"


def _places_text(places: list[PlaceUse]) -> list[str]:
    """Return each place as a report names it, once (two statements of one engagement may
    state the same place)."""
    return list(dict.fromkeys(_place_text(place) for place in places))


def _decision(place: PlaceUse) -> str:
    """Return the adequacy decision covering a place as a report names it: none is needed
    inside the EEA, and none can be known for a place not pinned down to a country."""
    standing = place.standing
    if standing.decision:
        return standing.decision
    if standing.status is TransferStatus.EEA:
        return "not applicable"
    if standing.status is TransferStatus.NOT_PINNED_DOWN:
        return "not known: not pinned down to a country"
    return "none"


@cache
def _environment(fmt: ReportFormat) -> jinja2.Environment:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("dataflyt.diagrams", "templates"),
        autoescape=fmt is ReportFormat.HTML,
        finalize=_finalize_markdown if fmt is ReportFormat.MD else _finalize_html,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
    )
    environment.globals["cite"] = _cite_html if fmt is ReportFormat.HTML else _cite_markdown
    environment.filters["places"] = _places_text
    environment.filters["decision"] = _decision
    environment.filters["safeguard_names"] = safeguard_names
    return environment


def render_report(report: Report, fmt: ReportFormat) -> str:
    """Return ``report`` as HTML (the diagram as inline SVG, laid out by Graphviz) or as
    Markdown (the diagram as a Mermaid block)."""
    template = _environment(fmt).get_template(f"report.{fmt.value}.j2")
    if fmt is ReportFormat.HTML:
        return template.render(report=report, svg=Markup(inline_svg(report.diagram)))
    return template.render(report=report, mermaid=Markup(to_mermaid(report.diagram)))


def report_text(store: GraphStore, scope: Scope, fmt: ReportFormat) -> str:
    """Return the DPIA report of ``scope`` in ``fmt``; raise a name error when the scope's name
    does not resolve."""
    return render_report(build_report(store, scope), fmt)
