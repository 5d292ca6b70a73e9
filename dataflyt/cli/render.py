"""Rich tables of the query commands' answers (people read these; machines use ``--json``):
``touches``, ``breach``, ``transfers``, ``show``, ``list`` and ``status``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataflyt.cli.output import (
    NOT_STATED,
    console,
    new_table,
    places_text,
    say,
    some,
    standing_text,
    where,
)
from dataflyt.queries.transfers import why_not_known
from dataflyt.words import counted

if TYPE_CHECKING:
    from rich.table import Table

    from dataflyt.graph.summary import MapSummary
    from dataflyt.queries.breach import BreachResult, ChainLink
    from dataflyt.queries.browse import Listing, OrganisationFacts, ShowResult
    from dataflyt.queries.facts import EngagementFacts, ServiceFacts
    from dataflyt.queries.touches import TouchesResult
    from dataflyt.queries.transfers import Flow, TransfersResult

__all__ = [
    "ROWS_SHOWN",
    "render_breach",
    "render_listing",
    "render_show",
    "render_status",
    "render_touches",
    "render_transfers",
]

# rows of a breach's tables of services and of duties shown before the rest are counted
# (``--all`` shows every one, ``--json`` lists them all)
ROWS_SHOWN = 25


def _engagement(engagement: EngagementFacts) -> str:
    name = engagement.organisation.name
    return f"{name} ({engagement.purpose})" if engagement.purpose else name


def render_touches(result: TouchesResult) -> None:
    """Print the services touching a category, one row each, with the source lines."""
    covers = f" (and {', '.join(result.covers)})" if result.covers else ""
    if not result.services:
        say(f"No service processes {result.category}{covers}.")
        return
    table = new_table(
        f"{counted(result.total, 'service')} "
        f"{'touches' if result.total == 1 else 'touch'} {result.category}{covers}",
        "service",
        "provider (role)",
        "categories",
        "data subjects",
        "sub-processors",
        "places",
        "source",
    )
    for touching in result.services:
        service = touching.service
        provider = service.provider.name if service.provider else NOT_STATED
        table.add_row(
            service.name,
            f"{provider} ({service.role_label})",
            "; ".join(f"{c.name} [{c.source.text if c.source else ''}]" for c in touching.matched),
            ", ".join(touching.data_subjects) or NOT_STATED,
            ", ".join(_engagement(e) for e in service.engagements) or "none stated",
            places_text(service.places),
            ", ".join(sorted({where(c.source) for c in touching.matched})),
        )
    console.print(table)


def _link(link: ChainLink) -> str:
    role = link.role_words
    through = f", in its service {link.through}" if link.through else ""
    if link.party is None:
        return f"{link.name} ({role})"
    return f"{link.name} ({role}{through}; {places_text(link.places)})"


def _exposed_categories(result: BreachResult) -> None:
    categories = new_table("Data categories exposed", "category", "sensitivity", "services")
    for category in result.data_categories:
        marker = " *" if category.assumption else ""
        categories.add_row(category.name + marker, category.sensitivity, some(category.services))
    console.print(categories)


def render_breach(result: BreachResult, every: bool = False) -> None:
    """Print the blast radius of a breach, summed up first: how much it reaches, then the
    services, the data, the places and who notifies whom (the first ``ROWS_SHOWN`` services
    and duties unless ``every``)."""
    org = result.organisation
    if result.covers:
        say(
            f"{org} covers {counted(len(result.covers), 'legal entity')}: "
            + some([c.name for c in result.covers])
        )
    if not result.services:
        say(f"A breach at {org} affects no service in the map.")
        return
    high = f" ({len(result.high_risk)} of high sensitivity)" if result.high_risk else ""
    unplaced = len(result.places_not_stated)
    say(
        f"A breach at {org} affects {counted(len(result.services), 'service')}, "
        f"{counted(len(result.data_categories), 'data category')}{high}, "
        f"{counted(len(result.data_subjects), 'kind')} of data subjects; "
        f"{org} processes the data in {counted(len(result.countries), 'place')}"
        + (
            f", and no document states where for {counted(unplaced, 'service')}."
            if unplaced
            else "."
        ),
        "bold",
    )
    shown = result.services if every else result.services[:ROWS_SHOWN]
    services = new_table(
        "Services affected",
        "service",
        "chain of roles (and where each processes it)",
        "exposed data",
        "data subjects",
        f"where {org} processes it",
    )
    for affected in shown:
        exposed = affected.exposed_words + (" (assumed: all)" if affected.all_assumed else "")
        if affected.possible:
            exposed += f"; possibly: {affected.possible}"
        services.add_row(
            affected.facts.name,
            " → ".join(_link(link) for link in affected.chain),
            exposed,
            ", ".join(affected.data_subjects) or NOT_STATED,
            places_text(affected.chain[-1].places, cited=True),
        )
    console.print(services)
    if len(shown) < len(result.services):
        say(
            f"... and {len(result.services) - len(shown)} more services: add --all to list "
            "every one, or --json for the whole answer."
        )
    if result.categories_not_stated:
        say(f"Data categories exposed: {result.categories_not_stated}.")
    else:
        _exposed_categories(result)
    if any(c.assumption for c in result.data_categories):
        say(
            "* assumption: no document says which categories the organisation receives, so "
            "all of the service's categories are treated as exposed."
        )
    say("Data subjects: " + (", ".join(s.name for s in result.data_subjects) or NOT_STATED))
    say(
        f"Where {org} processes the exposed data: "
        + (", ".join(f"{c.name} ({c.code})" for c in result.countries) or NOT_STATED)
    )
    if result.places_not_stated:
        say(f"Not stated for: {some(result.places_not_stated)}", "yellow")
    if result.high_risk:
        say("High-sensitivity data exposed: " + ", ".join(result.high_risk), "bold red")
    steps = result.notifications if every else result.notifications[:ROWS_SHOWN]
    duties = new_table("Who must notify whom", "notifier", "recipient", "article", "deadline")
    for step in steps:
        duties.add_row(step.notifier, step.recipient, step.article, step.deadline)
    console.print(duties)
    if len(steps) < len(result.notifications):
        say(
            f"... and {len(result.notifications) - len(steps)} more duties: add --all to list "
            "every one, or --json for the whole answer."
        )


def _flows(title: str, flows: list[Flow]) -> Table:
    table = new_table(title, "data of", "processed by", "place", "status", "note", "source")
    for flow in flows:
        place = f"{flow.place} ({flow.code})" if flow.place else NOT_STATED
        table.add_row(
            flow.holder.name,
            flow.processor.name if flow.processor else NOT_STATED,
            place if flow.exhaustive else f"{place}, not exhaustive",
            standing_text(flow.standing, flow.safeguards),
            flow.note or "",
            where(flow.source),
        )
    return table


def render_transfers(result: TransfersResult) -> None:
    """Print the flows outside the EEA, the places not pinned down, the flows whose place
    no document states, and whether data leaves the EEA."""
    if result.transfers:
        console.print(_flows("Flows outside the EEA", result.transfers))
    if result.not_exhaustive:
        console.print(_flows("Places the document says are not exhaustive", result.not_exhaustive))
    if result.not_stated:
        console.print(
            _flows(
                f"{counted(len(result.not_stated), 'flow')} whose place no document states",
                result.not_stated,
            )
        )
    if result.leaves_eea is True:
        say(f"Data leaves the EEA: {counted(len(result.transfers), 'flow')}.", "bold")
    elif result.leaves_eea is None:
        say(f"Not known whether data leaves the EEA: {why_not_known(result)}.", "bold yellow")
    else:
        say("No data leaves the EEA according to the documents.")


def _service(facts: ServiceFacts) -> None:
    provider = facts.provider.name if facts.provider else NOT_STATED
    say(f"  provider: {provider} ({facts.role_label})")
    say(f"  purposes: {'; '.join(facts.purposes) or NOT_STATED}")
    for label, value in (
        ("legal basis", facts.legal_basis),
        ("retention", facts.retention),
        ("security measures", facts.security_measures),
    ):
        if value:
            say(f"  {label}: {value}")
    say(f"  data subjects: {', '.join(facts.data_subjects) or NOT_STATED}")
    say(f"  places: {places_text(facts.places, cited=True)}")
    if facts.portals:
        say(f"  portals: {', '.join(facts.portals)}")
    table = new_table("Data categories", "category", "sensitivity", "data subjects", "source")
    for use in facts.categories:
        source = f"{where(use.source)} [{use.source.text}]" if use.source else ""
        table.add_row(use.name, use.sensitivity, ", ".join(use.subjects) or NOT_STATED, source)
    console.print(table)
    _engagements("Sub-processors", [(facts.name, e) for e in facts.engagements])


def _engagements(title: str, engagements: list[tuple[str, EngagementFacts]]) -> None:
    if not engagements:
        return
    table = new_table(
        title, "engaged by", "sub-processor", "purpose", "receives", "places", "source"
    )
    for by, e in engagements:
        table.add_row(
            by,
            e.organisation.name,
            e.purpose or NOT_STATED,
            e.receives,
            places_text(e.places, cited=True),
            where(e.source),
        )
    console.print(table)


def _organisation(view: OrganisationFacts) -> None:
    if view.members:
        say(f"  groups: {', '.join(m.name for m in view.members)}")
    if view.part_of:
        say(f"  part of: {', '.join(g.name for g in view.part_of)}")
    for said in view.described:
        say(f"  {said.name}: {'; '.join(said.details) or 'named'} [{where(said.source)}]")
    if view.provides:
        table = new_table("Services it provides", "service", "role", "source")
        for provided in view.provides:
            table.add_row(provided.service, provided.role, where(provided.source))
        console.print(table)
    _engagements("Engaged by", [(e.by.name, e.facts) for e in view.engaged_by])
    _engagements("Sub-processors it engages", [(e.by.name, e.facts) for e in view.engages])


def render_show(result: ShowResult) -> None:
    """Print one node with every fact about it and the sources."""
    say(f"{result.name} ({result.kind}, {result.id})", "bold")
    if result.service is not None:
        _service(result.service)
    elif result.organisation is not None:
        _organisation(result.organisation)
    table = new_table("Every fact", "relation", "node", "kind", "details", "source")
    for n in result.neighbours:
        arrow = "→" if n.direction == "out" else "←"
        table.add_row(
            f"{arrow} {n.relation}", n.name, n.kind, "; ".join(n.details), where(n.source)
        )
    console.print(table)


def render_listing(result: Listing) -> None:
    """Print the nodes of one kind (documents with their validity)."""
    if result.kind == "documents":
        table = new_table(
            f"{len(result.items)} {result.kind}",
            "title",
            "provider",
            "date",
            "in force from",
            "file",
        )
        for item in result.items:
            doc = item.document
            if doc is not None:
                table.add_row(
                    doc.name, doc.provider, doc.date or "undated", doc.valid_from, doc.path
                )
        console.print(table)
        return
    table = new_table(f"{len(result.items)} {result.kind}", "name", "id")
    for item in result.items:
        table.add_row(item.name, item.id)
    console.print(table)


def render_status(summary: MapSummary) -> None:
    """Print where the map is, the date it answers for, and what it holds."""
    say(f"Map: {summary.location} ({summary.backend})", "bold")
    say(f"As of: {summary.as_of or 'the latest version of each document'}")
    if summary.server is not None:
        say(f"  server: Neo4j {summary.server.version} ({summary.server.edition})")
    table = new_table("Nodes", "kind", "count")
    for kind, number in summary.counts.items():
        table.add_row(kind, str(number))
    table.add_row("(facts)", str(summary.edges))
    console.print(table)
    docs = new_table(
        f"Documents in force ({summary.versions} versions kept)",
        "title",
        "provider",
        "date",
        "path",
    )
    for doc in summary.documents:
        docs.add_row(doc.name, doc.provider, doc.date or "undated", doc.path)
    console.print(docs)
