"""The ``dataflyt`` command: each command parses its arguments, calls one library function and
formats the result as rich tables or, with ``--json``, one JSON object.

Library errors become one line on stderr and the error's exit code (1 bad input, 2 unknown or
ambiguous name, 3 store unreachable) in ``cli_common``. Heavy modules are imported inside
commands.
"""

from __future__ import annotations

import os
import sys
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from dataflyt.cli.common import (
    OUT_OF_MEMORY,
    AsOfOption,
    BackendOption,
    ColumnsOption,
    FormatOption,
    JsonOption,
    MapOption,
    ProviderOption,
    ServiceOption,
    column_mapping,
    emit,
    open_cli_store,
    store_opener,
    usage_message,
    user_vendor_groups,
    waiting_for_load,
)
from dataflyt.cli.progress import QuietOption, progress_bar
from dataflyt.queries.kinds import ListKind, NodeKindOption

app = typer.Typer(
    name="dataflyt",
    help="Turn vendors' data-processing documents into a graph of personal-data flows and "
    "answer impact questions about it.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


@app.command(short_help="Load documents into the map (a new version replaces the old).")
def load(
    files: Annotated[list[Path], typer.Argument(help="Documents to load (several are merged).")],
    provider: ProviderOption = None,
    service: ServiceOption = None,
    document_format: FormatOption = None,
    columns: ColumnsOption = None,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Load documents into the map; a new version of a document replaces the one in force,
    which is kept as history (an older version is recorded as history)."""
    from dataflyt.cli.load_report import render_load
    from dataflyt.ingest.load import load_files

    mapping = column_mapping(columns)
    groups = user_vendor_groups()
    with open_cli_store(backend, map_path) as store:
        with progress_bar(quiet) as progress:
            report = load_files(
                store,
                files,
                provider,
                service=service,
                document_format=document_format,
                columns=mapping,
                progress=progress,
                waiting=waiting_for_load,
                groups=groups,
            )
        emit(report, as_json, render_load)


@app.command(short_help="Print the JSON Schema of the data-map file.")
def schema() -> None:
    """Print the JSON Schema of the data-map file, for editors to validate and complete it."""
    import json

    from dataflyt.loaders.datamap_model import datamap_json_schema

    typer.echo(json.dumps(datamap_json_schema(), indent=2, ensure_ascii=False))


@app.command(short_help="List the services that process a data category.")
def touches(
    category: Annotated[str, typer.Argument(help='Data category, e.g. "call recordings".')],
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the services that process a data category (its sub-categories included)."""
    from dataflyt.cli.render import render_touches
    from dataflyt.queries.touches import touches as run

    with open_cli_store(backend, map_path, as_of) as store:
        emit(run(store, category), as_json, render_touches)


@app.command(short_help="Blast radius of a breach at an organisation; who notifies whom.")
def breach(
    organisation: Annotated[
        str, typer.Argument(help="The breached organisation (a group or brand covers all).")
    ],
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    every: Annotated[
        bool, typer.Option("--all", help="List every affected service, not only the first.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Show the blast radius of a breach at an organisation and who must notify whom."""
    from dataflyt.cli.render import render_breach
    from dataflyt.queries.breach import breach as run

    with open_cli_store(backend, map_path, as_of) as store:
        emit(run(store, organisation), as_json, lambda result: render_breach(result, every))


@app.command(short_help="List flows outside the EEA and places not stated.")
def transfers(
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """List flows to places outside the EEA, places not exhaustive and places not stated."""
    from dataflyt.cli.render import render_transfers
    from dataflyt.queries.transfers import transfers as run

    with open_cli_store(backend, map_path, as_of) as store:
        emit(run(store), as_json, render_transfers)


@app.command(short_help="Show one node with every fact about it and the source of each.")
def show(
    name: Annotated[
        str, typer.Argument(help="A service, organisation, category, subject or country.")
    ],
    kind: Annotated[
        NodeKindOption | None, typer.Option("--kind", help="What kind of node the name is.")
    ] = None,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Show one node with every fact about it and the source of each: a service's data,
    places and sub-processors; an organisation's services, who engages it and whom it
    engages."""
    from dataflyt.cli.render import render_show
    from dataflyt.queries.browse import show as run

    with open_cli_store(backend, map_path, as_of) as store:
        emit(run(store, name, kind.node_kind if kind else None), as_json, render_show)


@app.command("list", short_help="List the nodes of one kind: services, organisations, countries.")
def list_(
    kind: Annotated[ListKind, typer.Argument(help="What to list.")],
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the services, organisations, categories, subjects, countries or documents."""
    from dataflyt.cli.render import render_listing
    from dataflyt.queries.browse import list_nodes

    with open_cli_store(backend, map_path, as_of) as store:
        emit(list_nodes(store, kind), as_json, render_listing)


@app.command(short_help="Say where the map is and what it holds.")
def status(
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    as_json: JsonOption = False,
) -> None:
    """Say where the map is and what it holds (counts per kind, documents and their dates)."""
    from dataflyt.cli.render import render_status

    with open_cli_store(backend, map_path, as_of) as store:
        emit(store.summary(), as_json, render_status)


@app.command(short_help="List every version of the documents and what each changed.")
def history(
    name: Annotated[
        str | None,
        typer.Argument(help="A document's title, or an organisation or service it names."),
    ] = None,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_json: JsonOption = False,
) -> None:
    """List every version of the documents in the map (or of those about NAME): when each
    was in force, its file, and what it changed in the services it describes."""
    from dataflyt.cli.history import render_history
    from dataflyt.queries.history import history as run

    with open_cli_store(backend, map_path) as store:
        emit(run(store, store_opener(backend, map_path), name), as_json, render_history)


@app.command(short_help="Print the paths of the bundled example documents.")
def examples() -> None:
    """Print the paths of the example annexes bundled with dataflyt, one per line (the
    data-map example lies in the same folder)."""
    from dataflyt.examples import example_paths

    for path in example_paths():
        typer.echo(str(path))


# command groups in their own modules, registered after the commands above (help order)
from dataflyt.cli import alias as cli_alias  # noqa: E402
from dataflyt.cli import diagrams as cli_diagrams  # noqa: E402
from dataflyt.cli import diff as cli_diff  # noqa: E402
from dataflyt.cli import exports as cli_exports  # noqa: E402
from dataflyt.cli import serve as cli_serve  # noqa: E402
from dataflyt.cli import synth as cli_synth  # noqa: E402
from dataflyt.cli import watch as cli_watch  # noqa: E402

app.command(short_help="Draw a data-flow diagram (svg, png, pdf, dot or Mermaid).")(
    cli_diagrams.diagram
)
app.command(short_help="Write a DPIA report (HTML or Markdown), every fact cited.")(
    cli_diagrams.report
)
app.command(short_help="Export the map (json, graphml, cypher, RoPA, DPV or fides).")(
    cli_exports.export
)
app.command(short_help="Compare two versions; exit 1 if anything changed.")(cli_diff.diff)
app.command(short_help="Write a synthetic map of N services (tests, benchmarks).")(cli_synth.synth)
app.add_typer(
    cli_alias.app, name="alias", short_help="Confirm that a name stands for an organisation."
)
app.add_typer(
    cli_watch.app, name="watch", short_help="Watch vendors' pages; load and report each change."
)
app.command(short_help="Serve the web explorer over the map (read-only).")(cli_serve.serve)


def main() -> None:
    """Run the command line; the ``dataflyt`` entry point. Exits with the command's code. A
    usage error (an unknown option, a missing argument, a value out of range) is one line on
    stderr naming the command whose ``--help`` explains it, exit 2; running out of memory is
    one line, exit 1; without a command, the help."""
    # dataflyt uses no pydantic plugins; looking for them reads the metadata of every
    # installed package, about a fifth of the start-up of a command that uses pydantic
    # (``load``, ``diff``, the diagrams). Set here, for this process only, never on import:
    # a program that embeds dataflyt keeps its own; a value the user set is kept.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    if len(sys.argv) < 2:  # the help on stdout; no command is a usage error
        with suppress(SystemExit):
            app(["--help"], prog_name="dataflyt")
        sys.exit(2)
    try:
        code = app(standalone_mode=False)
    except typer.TyperException as error:  # click's usage errors, which typer would box
        typer.echo(f"dataflyt: error: {usage_message(error)}", err=True)
        sys.exit(error.exit_code)
    except typer.Abort:  # end of input at a prompt
        typer.echo("dataflyt: error: aborted", err=True)
        sys.exit(1)
    except MemoryError:  # in a command without a store
        typer.echo(f"dataflyt: error: {OUT_OF_MEMORY}", err=True)
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)
