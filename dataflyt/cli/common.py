"""What every CLI command shares: the common options, opening the store, printing results
(tables or JSON) and turning library errors into one stderr line and an exit code."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from dataflyt.atomic import write_atomically
from dataflyt.config import Backend
from dataflyt.formats import DocumentFormat
from dataflyt.safe_text import one_line

if TYPE_CHECKING:
    from dataflyt.graph.store import GraphStore
    from dataflyt.loaders.list_columns import ListColumn
    from dataflyt.reference.vendor_groups import VendorGroups

__all__ = [
    "OUT_OF_MEMORY",
    "AsOfOption",
    "BackendOption",
    "ColumnsOption",
    "FormatOption",
    "JsonOption",
    "MapOption",
    "ProviderOption",
    "ServiceOption",
    "checked_date",
    "column_mapping",
    "emit",
    "fail",
    "open_cli_store",
    "store_opener",
    "usage_message",
    "user_vendor_groups",
    "waiting_for_load",
    "write_file",
]

MapOption = Annotated[
    Path | None,
    typer.Option("--map", help="Embedded map file (env DATAFLYT_MAP; default dataflyt-map.json)."),
]
BackendOption = Annotated[
    Backend | None,
    typer.Option("--backend", help="Where the map lives (env DATAFLYT_BACKEND; default embedded)."),
]
JsonOption = Annotated[
    bool, typer.Option("--json", help="Print one JSON object instead of tables.")
]
ProviderOption = Annotated[
    str | None,
    typer.Option(help="Provider whose document it is (default: from the document's title)."),
]
ServiceOption = Annotated[
    str | None,
    typer.Option(help="Service a sub-processor list covers (default: named after the provider)."),
]


ColumnsOption = Annotated[
    str | None,
    typer.Option(
        "--columns",
        help="Name a sub-processor list's columns by their headers, e.g. "
        'name="Underdatabehandler",purpose="Beskrivelse af behandling",places="Datalokation" '
        "(keys: name, entity, purpose, places, country, data, subjects, services, added, "
        "safeguards, registration, address).",
    ),
]
# the document formats read from files (the aliases a user confirms are none)
_READ_FORMATS = [f.value for f in DocumentFormat if f is not DocumentFormat.ALIASES]


def _read_format(text: str) -> DocumentFormat:
    """Return the document format ``--format`` names; a usage error for any other."""
    if text not in _READ_FORMATS:
        raise typer.BadParameter(f"{text!r} is not one of {', '.join(_READ_FORMATS)}")
    return DocumentFormat(text)


FormatOption = Annotated[
    DocumentFormat | None,
    typer.Option(
        "--format",
        parser=_read_format,
        metavar="FORMAT",
        help=f"Document format: {', '.join(_READ_FORMATS)} (default: from the file's name "
        "and content).",
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Answer as the map stood on this date (YYYY-MM-DD; default: today's versions).",
    ),
]


def checked_date(value: str | None, option: str = "--as-of") -> str | None:
    """Return ``value`` as an ISO date (YYYY-MM-DD), or None; a value that is no date is a
    usage error (one line, exit 2)."""
    if value is None:
        return None
    import datetime as dt

    try:
        return dt.date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        fail(f"{option} {value!r} is not a date: write it as YYYY-MM-DD", 2)


def column_mapping(text: str | None) -> dict[ListColumn, str] | None:
    """Return the column mapping ``--columns`` writes, or None without it; on bad text print
    one error line and exit 2."""
    if text is None:
        return None
    from dataflyt.loaders.list_columns import parse_column_mapping

    try:
        return parse_column_mapping(text)
    except ValueError as error:
        fail(str(error), 2)


# what a command that ran out of memory says, instead of a traceback (exit 1)
OUT_OF_MEMORY = (
    "out of memory: the documents or the map are too large for this machine "
    "(DATAFLYT_MAX_DOCUMENT_MB limits the size of a document)"
)


def usage_message(error: typer.TyperException) -> str:
    """Return a usage error's message on one line, with the command to ask for help."""
    context = getattr(error, "ctx", None)
    command = context.command_path if context is not None else "dataflyt"
    return f"{' '.join(error.format_message().split())} (see {command} --help)"


def fail(message: str, code: int) -> NoReturn:
    """Print ``message`` as one error line on stderr (names in it shown inert, see
    ``dataflyt.safe_text``) and exit with ``code``."""
    typer.echo(f"dataflyt: error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def waiting_for_load() -> None:
    """Say on stderr that the command waits for another load to finish with the map (what a
    writing command hears when the map is locked); returns nothing."""
    typer.echo("dataflyt: waiting for another load to finish with the map", err=True)


def write_file(output: Path, data: bytes) -> None:
    """Write ``data`` to the file ``output``, whole or not at all; on failure print one error
    line and exit 1. Returns nothing."""
    try:
        write_atomically(output, data)
    except OSError as error:
        fail(f"{output}: cannot write: {error.strerror or error}", 1)


def store_opener(
    backend: Backend | None, map_path: Path | None
) -> Callable[[str | None], GraphStore]:
    """Return what opens the map the options choose as of a date (YYYY-MM-DD; None: the
    latest version of each document), for a command that reads the map on several dates.
    Raises ``SettingsError`` for options that contradict the settings."""
    from dataflyt.config import store_settings
    from dataflyt.graph.open import open_store

    return partial(open_store, store_settings(backend, map_path))


@contextmanager
def open_cli_store(
    backend: Backend | None, map_path: Path | None, as_of: str | None = None
) -> Iterator[GraphStore]:
    """Open the chosen store, answering as of ``as_of`` (checked: a bad date is exit 2), and
    turn every dataflyt error, and running out of memory, into one line and an exit code."""
    from dataflyt.errors import DataflytError

    date = checked_date(as_of)
    try:
        store = store_opener(backend, map_path)(date)
        try:
            yield store
        finally:
            store.close()
    except DataflytError as error:
        fail(str(error), error.exit_code)
    except MemoryError:
        fail(OUT_OF_MEMORY, 1)


def user_vendor_groups() -> VendorGroups | None:
    """Return the vendor groups of the user's file (``DATAFLYT_VENDOR_GROUPS``) read over the
    built-in ones, or None without one; a bad file is one line and exit 1."""
    from dataflyt.config import vendor_groups_file
    from dataflyt.errors import DataflytError

    try:
        path = vendor_groups_file()
        if path is None:
            return None
        from dataflyt.loaders.vendor_groups_file import read_vendor_groups

        return read_vendor_groups(path)
    except DataflytError as error:
        fail(str(error), error.exit_code)


def emit(result: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``result`` as one JSON object, or with ``render`` for people."""
    if as_json:
        from dataflyt.answer_json import answer_json

        sys.stdout.write(answer_json(result))
        sys.stdout.write("\n")
    else:
        render(result)
