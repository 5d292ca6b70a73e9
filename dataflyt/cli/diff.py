"""The ``diff`` command: compare two versions of a document (or two maps), or the map on two
dates, like ``diff(1)``: exit 0 when nothing changed, 1 when something did, 2 when an input is
bad."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from dataflyt.cli.common import (
    BackendOption,
    ColumnsOption,
    FormatOption,
    JsonOption,
    MapOption,
    ProviderOption,
    ServiceOption,
    checked_date,
    column_mapping,
    emit,
    fail,
    store_opener,
)
from dataflyt.queries.deadline import DEFAULT_NOTICE_DAYS

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rich.text import Text

    from dataflyt.config import Backend
    from dataflyt.formats import DocumentFormat
    from dataflyt.loaders.list_columns import ListColumn
    from dataflyt.queries.deadline import ObjectionDeadline
    from dataflyt.queries.diff import MapDiff, Notice, PlaceChange

__all__ = ["deadline_text", "diff", "render_diff"]


def diff(
    old: Annotated[
        Path | None, typer.Argument(help="The old version (a document or a map export).")
    ] = None,
    new: Annotated[Path | None, typer.Argument(help="The new version.")] = None,
    since: Annotated[
        str | None,
        typer.Option("--from", metavar="DATE", help="Compare the map as it stood on this date..."),
    ] = None,
    until: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="...with the map on this date.")
    ] = None,
    provider: ProviderOption = None,
    service: ServiceOption = None,
    document_format: FormatOption = None,
    columns: ColumnsOption = None,
    notice_days: Annotated[
        int,
        typer.Option(
            "--notice-days",
            min=0,
            help="The provider's notice period: a new sub-processor's objection deadline.",
        ),
    ] = DEFAULT_NOTICE_DAYS,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare two versions of a document, or the map on two dates (--from, --to): exit 0 if
    nothing changed, 1 if something did, 2 on bad input."""
    from dataflyt.cli.output import console
    from dataflyt.errors import DataflytError

    if (old is None) != (new is None) or (since is None) != (until is None):
        fail("give two versions (OLD NEW) or two dates (--from DATE --to DATE)", 2)
    if (old is None) == (since is None):
        fail("give either two versions (OLD NEW) or two dates (--from, --to), not both", 2)
    import datetime as dt

    from dataflyt.queries.diff import Notice

    notice = Notice(days=notice_days, today=dt.date.today())
    options = _Documents(provider, service, document_format, column_mapping(columns), notice)
    try:
        result = _compare(old, new, since, until, options, map_path, backend)
    except DataflytError as error:
        fail(str(error), 2 if error.exit_code < 3 else error.exit_code)
    emit(result, as_json, lambda found: console.print(*render_diff(found)))
    raise typer.Exit(1 if result.changed else 0)


class _Documents(NamedTuple):
    """How to read the two versions compared: whose they are, the service they cover, their
    format and which of their columns hold what (None: from the documents)."""

    provider: str | None
    service: str | None
    document_format: DocumentFormat | None
    columns: dict[ListColumn, str] | None
    notice: Notice


def _compare(
    old: Path | None,
    new: Path | None,
    since: str | None,
    until: str | None,
    options: _Documents,
    map_path: Path | None,
    backend: Backend | None,
) -> MapDiff:
    """Return the differences asked for: between two document sets, or the map on two
    dates."""
    from dataflyt.queries.diff import diff_files, diff_maps

    if old is not None and new is not None:
        return diff_files(
            [old],
            [new],
            options.provider,
            service=options.service,
            document_format=options.document_format,
            columns=options.columns,
            notice=options.notice,
        )
    start, end = checked_date(since, "--from"), checked_date(until, "--to")
    if start is not None and end is not None and start > end:
        fail(f"--from {start} is after --to {end}: give the earlier date first", 2)
    open_at = store_opener(backend, map_path)
    before = open_at(start)
    try:
        after = open_at(end)
        try:
            return diff_maps(before, after, options.notice)
        finally:
            after.close()
    finally:
        before.close()


def _place(change: PlaceChange) -> str:
    from dataflyt.cli.output import standing_text

    place = change.place
    return f"{place.name} ({place.code}): {standing_text(place.standing, place.safeguards)}"


def _style(change: PlaceChange, otherwise: str) -> str:
    """Return red where data newly leaves the EEA, bold red where no adequacy covers it."""
    return "bold red" if change.without_adequacy else "red" if change.leaves_eea else otherwise


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

    from dataflyt.cli.output import NOT_STATED, new_table

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
        for label, value in (("role", change.role), ("purposes", change.purposes)):
            if value:
                rows.append(
                    (label, f"{value.old or NOT_STATED} → {value.new or NOT_STATED}", "yellow")
                )
        for label, names, sign in (
            ("sub-processor", change.subprocessors_added, "+"),
            ("sub-processor", change.subprocessors_removed, "-"),
            ("category", change.categories_added, "+"),
            ("category", change.categories_removed, "-"),
            ("data subject", change.subjects_added, "+"),
            ("data subject", change.subjects_removed, "-"),
        ):
            rows += [(f"{sign} {label}", name, "green" if sign == "+" else "red") for name in names]
        rows += [("+ place", _place(p), _style(p, "green")) for p in change.places_added]
        rows += [("- place", _place(p), "red") for p in change.places_removed]
        for sub in change.subprocessors_changed:
            for label, value in (("purpose", sub.purpose), ("receives", sub.categories)):
                if value:
                    shown = f"{sub.name}: {value.old or NOT_STATED} → {value.new or NOT_STATED}"
                    rows.append((f"sub-processor {label}", shown, "yellow"))
            rows += [
                ("sub-processor + place", f"{sub.name}: {_place(p)}", _style(p, "green"))
                for p in sub.places_added
            ]
            rows += [
                ("sub-processor - place", f"{sub.name}: {_place(p)}", "red")
                for p in sub.places_removed
            ]
        for index, (what, detail, style) in enumerate(rows):
            changes.add_row(
                Text(change.service if index == 0 else ""), Text(what, style), Text(detail, style)
            )
    printed: list[object] = [changes]
    if result.new_subprocessors:
        printed.append(_received(result, deadlines))
    return printed


def _received(
    result: MapDiff, deadlines: Mapping[tuple[str, str], ObjectionDeadline] | None
) -> object:
    """Return the table of what each new sub-processor receives and where, with its
    objection deadline when ``deadlines`` are given."""
    from rich.text import Text

    from dataflyt.cli.output import NOT_STATED, new_table

    shown = deadlines is not None or any(sub.deadline for sub in result.new_subprocessors)
    receives = new_table(
        "What new sub-processors receive, and where (GDPR Art. 28(2))",
        "service",
        "sub-processor",
        "categories",
        "data subjects",
        "places",
        *(["objection deadline"] if shown else []),
    )
    for sub in result.new_subprocessors:
        categories = ", ".join(sub.categories) + (" (assumed: all)" if sub.assumption else "")
        places: Text | str = NOT_STATED
        if sub.places:
            places = Text()
            for index, change in enumerate(sub.places):
                places.append(("; " if index else "") + _place(change), _style(change, ""))
        cells: list[Text | str] = [
            Text(sub.service),
            Text(sub.name + (f" ({sub.purpose})" if sub.purpose else "")),
            Text(categories or NOT_STATED),
            Text(", ".join(sub.data_subjects) or NOT_STATED),
            places,
        ]
        if shown:
            deadline = (deadlines or {}).get((sub.service, sub.name), sub.deadline)
            cells.append(deadline_text(deadline) if deadline else Text(NOT_STATED))
        receives.add_row(*cells)
    return receives
