"""The ``diff`` command: compare two versions of a document (or two maps), like ``diff(1)``:
exit 0 when nothing changed, 1 when something did, 2 when an input is bad."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dataflyt.cli_common import FormatOption, JsonOption, ProviderOption, ServiceOption, emit, fail

if TYPE_CHECKING:
    from dataflyt.queries.diff import MapDiff

__all__ = ["diff"]


def diff(
    old: Annotated[Path, typer.Argument(help="The old version (a document or a map export).")],
    new: Annotated[Path, typer.Argument(help="The new version.")],
    provider: ProviderOption = None,
    service: ServiceOption = None,
    document_format: FormatOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare two versions: exit 0 if nothing changed, 1 if something did, 2 on bad input."""
    from dataflyt.errors import DataflytError
    from dataflyt.queries.diff import diff_files

    try:
        result = diff_files(
            [old], [new], provider, service=service, document_format=document_format
        )
    except DataflytError as error:
        fail(str(error), 2)
    emit(result, as_json, render_diff)
    raise typer.Exit(1 if result.changed else 0)


def render_diff(result: MapDiff) -> None:
    """Print the differences as sections of plain lines, one change per line."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)

    def say(text: str, style: str = "") -> None:
        console.print(Text(text, style=style))

    if not result.changed:
        say("No changes.")
        return
    for title, old, new in result.dates:
        say(f"Date of {title}: {old or 'none'} → {new or 'none'}")
    for name in result.services_added:
        say(f"+ service {name}", "green")
    for name in result.services_removed:
        say(f"- service {name}", "red")
    for change in result.services_changed:
        say(change.service, "bold")
        if change.role:
            say(f"  role: {change.role[0]} → {change.role[1]}", "yellow")
        for label, names, sign in (
            ("sub-processor", change.subprocessors_added, "+"),
            ("sub-processor", change.subprocessors_removed, "-"),
            ("category", change.categories_added, "+"),
            ("category", change.categories_removed, "-"),
            ("data subject", change.subjects_added, "+"),
            ("data subject", change.subjects_removed, "-"),
        ):
            for name in names:
                say(f"  {sign} {label} {name}", "green" if sign == "+" else "red")
        for country in change.countries_added:
            warning = (
                " (leaves the EEA"
                + (", no adequacy decision)" if country.without_adequacy else ")")
                if country.leaves_eea
                else ""
            )
            say(f"  + country {country.name}{warning}", "bold red" if warning else "green")
        for country in change.countries_removed:
            say(f"  - country {country.name}", "red")
    if result.new_subprocessors:
        table = Table(
            title=Text("What new sub-processors receive (GDPR Art. 28(2))"), title_justify="left"
        )
        for column in ("service", "sub-processor", "categories", "data subjects", "countries"):
            table.add_column(column, overflow="fold")
        for sub in result.new_subprocessors:
            categories = ", ".join(sub.categories) + (" (assumed: all)" if sub.assumption else "")
            purpose = f" ({sub.purpose})" if sub.purpose else ""
            table.add_row(
                sub.service,
                sub.name + purpose,
                categories,
                ", ".join(sub.data_subjects),
                ", ".join(sub.countries),
            )
        console.print(table)
