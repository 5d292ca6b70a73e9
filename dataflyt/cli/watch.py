"""``dataflyt watch``: watch vendors' published documents (sub-processor pages, annexes) and
load each new version into the map. ``add``, ``list`` and ``remove`` keep the registry beside
the map; ``run`` checks every source and exits 0 when nothing changed, 1 when something did,
3 when a source could not be fetched (the last good version stays in force)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from dataflyt.cli.common import (
    BackendOption,
    JsonOption,
    MapOption,
    ServiceOption,
    emit,
    fail,
    open_cli_store,
)
from dataflyt.cli.progress import QuietOption, progress_bar

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    from rich.text import Text

    from dataflyt.config import Backend
    from dataflyt.sources.registry import SourceListing, SourceRegistry
    from dataflyt.sources.registry_file import SourcePlaces
    from dataflyt.sources.watch import WatchReport

__all__ = ["app"]

app = typer.Typer(
    name="watch",
    help="Watch vendors' published documents and load each new version into the map.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

UrlArgument = Annotated[str, typer.Argument(help="The page's address (http or https).")]


@contextmanager
def _registry(
    backend: Backend | None, map_path: Path | None
) -> Iterator[tuple[SourceRegistry, SourcePlaces]]:
    """Yield the registry of the map the options choose, and where its files are; turn every
    dataflyt error into one line and its exit code."""
    from dataflyt.config import store_settings
    from dataflyt.errors import DataflytError
    from dataflyt.sources.registry_file import open_registry, source_places

    try:
        settings = store_settings(backend, map_path)
        yield open_registry(settings), source_places(settings)
    except DataflytError as error:
        fail(str(error), error.exit_code)


@app.command(short_help="Watch a vendor's page (HTML, PDF, CSV or Markdown).")
def add(
    url: UrlArgument,
    provider: Annotated[str, typer.Option(help="Provider whose document the page is.")],
    service: ServiceOption = None,
    notice_days: Annotated[
        int,
        typer.Option(
            min=0, max=365, help="Days the provider's contract gives to object to a change."
        ),
    ] = 30,
    map_path: MapOption = None,
    backend: BackendOption = None,
) -> None:
    """Watch the page at URL: `dataflyt watch run` fetches it and loads each new version."""
    import datetime as dt

    from dataflyt.sources.registry import add_source

    with _registry(backend, map_path) as (registry, _):
        try:
            source, new = add_source(
                registry,
                url,
                provider,
                service=service,
                notice_days=notice_days,
                now=dt.datetime.now(dt.UTC).replace(microsecond=0),
            )
        except ValueError as error:
            fail(str(error), 2)
        about = f" ({source.service})" if source.service else ""
        typer.echo(
            f"{'Watching' if new else 'Updated'} {source.url}: {source.provider}{about}, "
            f"{source.notice_days} days' notice of changes; registry {registry.location}"
        )


@app.command("list", short_help="List the watched pages and how their last checks went.")
def list_(
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the watched pages: the version in force, the last check, and since when a page
    has failed with its last error."""
    from dataflyt.sources.registry import list_sources

    with _registry(backend, map_path) as (registry, _):
        listing = list_sources(registry)
    emit(listing, as_json, _render_listing)


@app.command(short_help="Stop watching a page (its kept versions stay).")
def remove(
    url: UrlArgument,
    map_path: MapOption = None,
    backend: BackendOption = None,
) -> None:
    """Stop watching the page at URL; its kept versions stay in the evidence folder."""
    from dataflyt.sources.registry import remove_source

    with _registry(backend, map_path) as (registry, places):
        source = remove_source(registry, url)
        typer.echo(f"No longer watching {source.url}; its versions stay in {places.evidence}")


@app.command(short_help="Fetch every watched page; load and report what changed.")
def run(
    map_path: MapOption = None,
    backend: BackendOption = None,
    timeout: Annotated[
        float, typer.Option(min=0.1, help="Seconds to wait for a server at each step.")
    ] = 20.0,
    max_size: Annotated[int, typer.Option(min=1, help="The largest page fetched, in MiB.")] = 25,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Fetch every watched page, keep and load each new version, and report what changed with
    each new sub-processor's objection deadline (GDPR Art. 28(2)). Exit 0: nothing changed;
    1: something changed; 3: a page could not be fetched or read."""
    from dataflyt.sources.fetch import Fetcher, FetchLimits
    from dataflyt.sources.watch import watch_sources

    limits = FetchLimits(timeout=timeout, max_bytes=max_size * 1024 * 1024)
    with (
        _registry(backend, map_path) as (registry, places),
        open_cli_store(backend, map_path) as store,
        Fetcher(limits) as fetcher,
        progress_bar(quiet) as progress,
    ):
        report = watch_sources(store, registry, places.evidence, fetcher, progress)
    emit(report, as_json, _render_report)
    raise typer.Exit(3 if report.failed else 1 if report.changed else 0)


def _when(moment: dt.datetime | None) -> str:
    """Return a stored time for people: ``2025-03-04 10:15 UTC``; "never" for none."""
    import datetime as dt

    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "never"


def _in_force(version: str | None, since: dt.datetime | None) -> str:
    """Return the version in force for people: its hash's start and when it was first seen."""
    return f"{version[:12]} since {_when(since)}" if version else "none yet"


def _failing(since: dt.datetime | None, error: str | None) -> Text:
    from rich.text import Text

    if error is None:
        return Text("")
    return Text(f"since {_when(since)}: {error}", "red")


def _render_listing(listing: SourceListing) -> None:
    from rich.text import Text

    from dataflyt.cli.output import console, new_table

    if not listing.sources:
        console.print(Text(f"No pages are watched (registry {listing.registry})."))
        return
    table = new_table(
        f"Watched pages ({listing.registry})",
        "page",
        "provider",
        "notice",
        "version in force",
        "last checked",
        "failing",
    )
    for source in listing.sources:
        about = f" ({source.service})" if source.service else ""
        table.add_row(
            Text(source.url),
            Text(source.provider + about),
            Text(f"{source.notice_days} days"),
            Text(_in_force(source.status.version, source.status.since)),
            Text(_when(source.status.checked)),
            _failing(source.status.failing_since, source.status.last_error),
        )
    console.print(table)


def _render_report(report: WatchReport) -> None:
    from rich.text import Text

    from dataflyt.cli.diff import render_diff
    from dataflyt.cli.output import console, new_table
    from dataflyt.sources.watch import SourceResult

    if not report.sources:
        console.print(
            Text("No pages are watched: add one with dataflyt watch add URL --provider NAME.")
        )
        return
    table = new_table("Watched pages checked", "page", "provider", "result", "version in force")
    for outcome in report.sources:
        style = {SourceResult.FAILED: "bold red", SourceResult.UNCHANGED: ""}.get(
            outcome.result, "yellow"
        )
        table.add_row(
            Text(outcome.url),
            Text(outcome.provider),
            Text(outcome.result.value, style),
            Text(_in_force(outcome.version, outcome.version_since)),
        )
    console.print(table)
    for outcome in report.sources:
        if outcome.error is not None:
            kept = "the version in force stays" if outcome.version else "no version is loaded"
            console.print(_failing(outcome.failing_since, f"{outcome.error} ({kept})"))
        if outcome.diff is not None:
            console.print(Text(f"{outcome.result.value}: {outcome.url}", "bold"))
            deadlines = {(o.service, o.subprocessor): o.deadline for o in outcome.objections}
            shown = deadlines if outcome.result is SourceResult.CHANGED else None
            console.print(*render_diff(outcome.diff, shown))
