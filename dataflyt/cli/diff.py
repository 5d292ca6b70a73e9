"""The ``diff`` command: compare two versions of a document (or two maps), like ``diff(1)``:
exit 0 when nothing changed, 1 when something did, 2 when an input is bad."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dataflyt.cli.common import FormatOption, JsonOption, ProviderOption, ServiceOption, emit, fail

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.text import Text

    from dataflyt.queries.diff import CountryChange, MapDiff
    from dataflyt.sources.deadline import ObjectionDeadline

__all__ = ["deadline_text", "diff", "render_diff"]


def diff(
    old: Annotated[Path, typer.Argument(help="The old version (a document or a map export).")],
    new: Annotated[Path, typer.Argument(help="The new version.")],
    provider: ProviderOption = None,
    service: ServiceOption = None,
    document_format: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare two versions: exit 0 if nothing changed, 1 if something did, 2 on bad input."""
    from dataflyt.cli.render import console
    from dataflyt.errors import DataflytError
    from dataflyt.queries.diff import diff_files

    try:
        result = diff_files(
            [old], [new], provider, service=service, document_format=document_format
        )
    except DataflytError as error:
        fail(str(error), 2)
    emit(result, as_json, lambda found: console.print(*render_diff(found)))
    raise typer.Exit(1 if result.changed else 0)


def _place(country: CountryChange) -> str:
    from dataflyt.reference.jurisdictions import TransferStatus

    status = TransferStatus(country.status).label
    if country.leaves_eea and country.status != TransferStatus.NOT_PINNED_DOWN:
        status = f"outside the EEA, {status}"
    if country.condition:
        status += f" ({country.condition})"
    if country.safeguards:
        status += f"; stated safeguards: {', '.join(country.safeguards)}"
    return f"{country.name} ({country.code}): {status}"


def deadline_text(deadline: ObjectionDeadline) -> Text:
    """Return an objection deadline for people: the day, what it is counted from, and how many
    days are left (bold red once it has passed)."""
    from rich.text import Text

    left = deadline.days_left
    counted = f"{deadline.notice_days} days from {deadline.basis} {deadline.counted_from}"
    if left < 0:
        return Text(f"{deadline.deadline} ({counted}; passed)", "bold red")
    return Text(f"{deadline.deadline} ({counted}; {left} days left)", "yellow")


def render_diff(
    result: MapDiff, deadlines: Mapping[tuple[str, str], ObjectionDeadline] | None = None
) -> list[object]:
    """Return what to print for people: one table row per change (red where data newly leaves
    the EEA, bold red where no adequacy decision covers it), then what each new sub-processor
    receives, with its objection deadline when ``deadlines`` (by service and sub-processor
    name) are given; a single line when nothing changed."""
    from rich.text import Text

    from dataflyt.cli.render import new_table

    if not result.changed:
        return [Text("No changes.")]
    changes = new_table("Changes", "service or document", "change", "what")
    for date in result.dates:
        dates = f"{date.old or 'none'} → {date.new or 'none'}"
        changes.add_row(Text(date.document), Text("document date", "yellow"), Text(dates))
    for name in result.services_added:
        changes.add_row(Text(name), Text("+ service", "green"), "")
    for name in result.services_removed:
        changes.add_row(Text(name), Text("- service", "red"), "")
    for change in result.services_changed:
        rows: list[tuple[str, str, str]] = []
        if change.role:
            rows.append(("role", f"{change.role.old} → {change.role.new}", "yellow"))
        for label, names, sign in (
            ("sub-processor", change.subprocessors_added, "+"),
            ("sub-processor", change.subprocessors_removed, "-"),
            ("category", change.categories_added, "+"),
            ("category", change.categories_removed, "-"),
            ("data subject", change.subjects_added, "+"),
            ("data subject", change.subjects_removed, "-"),
        ):
            rows += [(f"{sign} {label}", name, "green" if sign == "+" else "red") for name in names]
        for country in change.countries_added:
            style = "bold red" if country.without_adequacy else "red" if country.leaves_eea else ""
            rows.append(("+ country", _place(country), style or "green"))
        rows += [("- country", _place(country), "red") for country in change.countries_removed]
        for index, (what, detail, style) in enumerate(rows):
            changes.add_row(
                Text(change.service if index == 0 else ""), Text(what, style), Text(detail, style)
            )
    printed: list[object] = [changes]
    if result.new_subprocessors:
        columns = ["service", "sub-processor", "categories", "data subjects", "countries"]
        receives = new_table(
            "What new sub-processors receive (GDPR Art. 28(2))",
            *columns,
            *(["objection deadline"] if deadlines is not None else []),
        )
        for sub in result.new_subprocessors:
            categories = ", ".join(sub.categories) + (" (assumed: all)" if sub.assumption else "")
            cells = [
                Text(sub.service),
                Text(sub.name + (f" ({sub.purpose})" if sub.purpose else "")),
                *(
                    Text(said.strip() or "not stated")
                    for said in (
                        categories,
                        ", ".join(sub.data_subjects),
                        ", ".join(sub.countries),
                    )
                ),
            ]
            if deadlines is not None:
                deadline = deadlines.get((sub.service, sub.name))
                cells.append(deadline_text(deadline) if deadline else Text("not stated"))
            receives.add_row(*cells)
        printed.append(receives)
    return printed
