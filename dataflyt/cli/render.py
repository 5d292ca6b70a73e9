"""Rich tables for the CLI's results (people read these; machines use ``--json``).

Every name is printed as text, never as rich markup, so names with brackets stay literal.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table
from rich.text import Text

from dataflyt.citation import format_place
from dataflyt.reference.jurisdictions import TransferStatus

if TYPE_CHECKING:
    from dataflyt.graph.summary import MapSummary
    from dataflyt.ingest.load import LoadReport
    from dataflyt.queries.breach import BreachResult
    from dataflyt.queries.browse import Listing, ShowResult
    from dataflyt.queries.services import Cite
    from dataflyt.queries.touches import TouchesResult
    from dataflyt.queries.transfers import Flow, TransfersResult

__all__ = [
    "new_table",
    "render_breach",
    "render_listing",
    "render_load",
    "render_show",
    "render_status",
    "render_touches",
    "render_transfers",
]

# Piped to a file, a pager or a CI log, output is laid out 160 columns wide rather than rich's
# 80, which wrapped every table's citations; a terminal's width (or COLUMNS) wins.
PIPED_WIDTH = 160


def _width() -> int | None:
    """Return the width to lay tables out in: None (the terminal's, or COLUMNS) on a terminal
    or with COLUMNS set, else ``PIPED_WIDTH``."""
    return None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPED_WIDTH


console = Console(highlight=False, soft_wrap=False, width=_width())

_PLURALS = {"category": "categories", "data category": "data categories", "country": "countries"}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {_PLURALS.get(noun, noun + 's')}"


# names listed in one cell of a summary table; the rest are counted (``--json`` lists all)
NAMES_IN_A_CELL = 10


def _some(names: list[str]) -> str:
    """Return ``names`` joined, or the first ``NAMES_IN_A_CELL`` of them and how many more."""
    if len(names) <= NAMES_IN_A_CELL:
        return ", ".join(names)
    return f"{', '.join(names[:NAMES_IN_A_CELL])} and {len(names) - NAMES_IN_A_CELL} more"


def _say(text: str, style: str | None = None) -> None:
    console.print(Text(text, style=style or ""))


def _where(source: Cite) -> str:
    """Return where a fact is written: ``annex.txt:14``, or ``annex.pdf p.2:14`` in a PDF."""
    path = (source.path or source.document).rsplit("/", 1)[-1]
    # the page reaches a citation once the graph keeps it for every fact (Cite.page)
    return format_place(path, source.line or None, getattr(source, "page", None))


def new_table(title: str, *columns: str) -> Table:
    table = Table(title=Text(title, style="bold"), title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def render_load(report: LoadReport) -> None:
    """Print the documents loaded, what they hold, and every term left unmapped."""
    for doc in report.documents:
        dated = f", dated {doc.date}" if doc.date else ", undated"
        _say(
            f"Loaded {doc.title} ({doc.provider}{dated}): "
            f"{_count(doc.services, 'service')} from {doc.path}"
        )
        if doc.replaced:
            _say(f"  replaced the version dated {doc.replaced_date or 'unknown'}")
    nouns = {
        "Service": "service",
        "Organisation": "organisation",
        "DataCategory": "data category",
        "DataSubject": "data subject",
        "Country": "country",
    }
    held = [_count(n, nouns.get(kind, kind)) for kind, n in report.counts.items()]
    _say("They hold " + ", ".join(held) + ".")
    _render_merges(report)
    if not report.unmapped:
        _say("Every term was mapped to the vocabulary.")
        return
    unmapped = new_table("Terms not in the vocabulary (kept as unmapped)", "kind", "term", "where")
    for term in report.unmapped:
        where = format_place(term.source.file, term.source.line, term.source.page)
        unmapped.add_row(term.kind, term.text, where)
    console.print(unmapped)


def _render_merges(report: LoadReport) -> None:
    """Print the organisations merged from several spellings and the documents' conflicts."""
    if report.merges:
        merges = new_table(
            "Organisations written differently, taken as one",
            "organisation",
            "written as",
            "because",
        )
        for merge in report.merges:
            spelled = "; ".join(s.cite() for s in merge.spellings)
            merges.add_row(merge.name, spelled, merge.reason)
        console.print(merges)
    if report.conflicts:
        conflicts = new_table("Documents that disagree", "about", "what", "they say")
        for conflict in report.conflicts:
            what = {"alias": "alias still a separate organisation; load those documents again"}
            conflicts.add_row(
                f"{conflict.about} {conflict.name}",
                what.get(conflict.kind, conflict.kind),
                "; ".join(s.cite() for s in conflict.statements),
            )
        console.print(conflicts)


def render_touches(result: TouchesResult) -> None:
    """Print the services touching a category, one row each, with the source line."""
    covers = f" (and {', '.join(result.covers)})" if result.covers else ""
    if not result.services:
        _say(f"No service processes {result.category}{covers}.")
        return
    table = new_table(
        f"{_count(len(result.services), 'service')} "
        f"{'touches' if len(result.services) == 1 else 'touch'} {result.category}{covers}",
        "service",
        "provider (role)",
        "categories",
        "data subjects",
        "sub-processors",
        "countries",
        "source",
    )
    for service in result.services:
        provider = service.provider.name if service.provider else "?"
        table.add_row(
            service.name,
            f"{provider} ({service.role_label})",
            "; ".join(f"{c.name} [{c.source.text}]" for c in service.matched),
            ", ".join(sorted({s for c in service.matched for s in c.subjects})),
            ", ".join(_subprocessor(s.name, s.purpose) for s in service.subprocessors) or "none",
            ", ".join(_country(c.name, c.exhaustive) for c in service.countries),
            ", ".join(sorted({_where(c.source) for c in service.matched})),
        )
    console.print(table)


def _subprocessor(name: str, purpose: str | None) -> str:
    return f"{name} ({purpose})" if purpose else name


def _country(name: str, exhaustive: bool) -> str:
    return name if exhaustive else f"{name} (not exhaustive)"


def render_breach(result: BreachResult) -> None:
    """Print the blast radius of a breach: services, data, subjects, countries, notifications."""
    org = result.organisation.name
    if not result.services:
        _say(f"A breach at {org} affects no service in the map.")
        return
    services = new_table(
        f"A breach at {org} affects {_count(len(result.services), 'service')}",
        "service",
        "chain of roles",
        "exposed data",
        "data subjects",
        "countries",
    )
    for service in result.services:
        chain = " → ".join(f"{link.name} ({link.role.replace('_', ' ')})" for link in service.chain)
        exposed = _count(len(service.exposed), "category")
        exposed += " (assumed: all)" if service.assumption else ""
        services.add_row(
            service.name,
            chain,
            exposed,
            ", ".join(service.data_subjects),
            ", ".join(service.countries),
        )
    console.print(services)
    categories = new_table("Data categories exposed", "category", "sensitivity", "services")
    for category in result.data_categories:
        marker = " *" if category.assumption else ""
        categories.add_row(category.name + marker, category.sensitivity, _some(category.services))
    console.print(categories)
    if any(c.assumption for c in result.data_categories):
        _say(
            "* assumption: the document does not say which categories the organisation "
            "receives, so all of the service's categories are treated as exposed."
        )
    _say("Data subjects: " + ", ".join(s.name for s in result.data_subjects))
    _say("Countries: " + ", ".join(f"{c.name} ({c.code})" for c in result.countries))
    if result.high_risk:
        _say("High-sensitivity data exposed: " + ", ".join(result.high_risk), "bold red")
    duties = new_table("Who must notify whom", "notifier", "recipient", "article", "deadline")
    for step in result.notifications:
        duties.add_row(step.notifier, step.recipient, step.article, step.deadline)
    console.print(duties)


def _flows(title: str, flows: list[Flow]) -> Table:
    table = new_table(title, "service", "processed by", "country", "status", "note", "source")
    for flow in flows:
        status = TransferStatus(flow.status).label
        if flow.condition and flow.status != TransferStatus.ADEQUACY.value:
            status += f" ({flow.condition})"
        if flow.safeguards:
            status += f"; stated safeguards: {', '.join(flow.safeguards)}"
        service = flow.service if flow.level == "service" else f"all processing by {flow.service}"
        table.add_row(
            service,
            flow.provider or "?",
            f"{flow.country} ({flow.code})",
            status,
            flow.note or "",
            _where(flow.source),
        )
    return table


def render_transfers(result: TransfersResult) -> None:
    """Print third-country flows with their status, and locations that are not exhaustive."""
    if result.transfers:
        console.print(_flows("Flows outside the EEA", result.transfers))
    else:
        _say("No data leaves the EEA according to the documents.")
    if result.not_exhaustive:
        console.print(
            _flows("Locations the document says are not exhaustive", result.not_exhaustive)
        )


def render_show(result: ShowResult) -> None:
    """Print one node, its attributes and its neighbours with sources."""
    _say(f"{result.name} ({result.kind}, {result.id})", "bold")
    for key, value in sorted(result.attrs.items()):
        if value not in (None, [], ""):
            _say(f"  {key}: {value}")
    table = new_table("Neighbours", "relation", "node", "kind", "details", "source")
    for n in result.neighbours:
        arrow = "→" if n.direction == "out" else "←"
        details = ", ".join(f"{k}={v}" for k, v in sorted(n.attrs.items()))
        table.add_row(f"{arrow} {n.relation}", n.name, n.kind, details, _where(n.source))
    console.print(table)


def render_listing(result: Listing) -> None:
    """Print the nodes of one kind."""
    table = new_table(f"{len(result.items)} {result.kind}", "name", "id")
    for item in result.items:
        table.add_row(item.name, item.id)
    console.print(table)


def render_status(summary: MapSummary) -> None:
    """Print where the map is and what it holds."""
    _say(f"Map: {summary.location} ({summary.backend})", "bold")
    for key, value in summary.server.items():
        _say(f"  server {key}: {value}")
    table = new_table("Nodes", "kind", "count")
    for kind, count in summary.counts.items():
        table.add_row(kind, str(count))
    table.add_row("(edges)", str(summary.edges))
    console.print(table)
    docs = new_table("Documents", "title", "provider", "date", "path")
    for doc in summary.documents:
        docs.add_row(
            doc.name,
            str(doc.attrs.get("provider", "")),
            str(doc.attrs.get("date") or "undated"),
            str(doc.attrs.get("path", "")),
        )
    console.print(docs)
