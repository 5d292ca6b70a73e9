"""``dataflyt diagram`` and ``dataflyt report``: draw a data-flow diagram, or write a DPIA
report, of one service, a breach at one organisation, one data category or the whole map.

Only the format enums are imported here; the diagram machinery is imported inside the commands
so that ``dataflyt --help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dataflyt.cli.common import (
    AsOfOption,
    BackendOption,
    MapOption,
    fail,
    open_cli_store,
    write_file,
)
from dataflyt.diagrams.formats import STDOUT, DiagramFormat, ReportFormat, choose_format

__all__ = ["diagram", "report"]

ServiceScope = Annotated[
    str | None, typer.Option("--service", help="One service and everything it touches.")
]
OrganisationScope = Annotated[
    str | None,
    typer.Option(
        "--organisation",
        help="The blast radius of a breach at this organisation, along the whole chain.",
    ),
]
CategoryScope = Annotated[
    str | None,
    typer.Option("--category", help="Every flow of this data category, children included."),
]
AllScope = Annotated[bool, typer.Option("--all", help="The whole map.")]
OutputOption = Annotated[
    Path,
    typer.Option(
        "--output", "-o", help="File to write; '-' writes a text format to standard output."
    ),
]


def _write(data: bytes, output: Path) -> None:
    """Write ``data`` to ``output`` (standard output for '-') and say where it went."""
    if output == STDOUT:
        typer.echo(data.decode("utf-8"), nl=False)
        return
    write_file(output, data)
    typer.echo(f"Wrote {output} ({len(data):,} bytes).")


def diagram(
    service: ServiceScope = None,
    organisation: OrganisationScope = None,
    category: CategoryScope = None,
    everything: AllScope = False,
    output: OutputOption = STDOUT,
    fmt: Annotated[
        DiagramFormat | None,
        typer.Option(
            "--format", help="Output format (default: from the -o extension; mmd on stdout)."
        ),
    ] = None,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="Draw every service and organisation on its own box (slower); without it, a "
            "diagram of many services draws one aggregate process per provider, and a very "
            "large one an overview.",
        ),
    ] = False,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Draw a data-flow diagram (svg, png, pdf, Graphviz dot or Mermaid) of one service, a
    breach at an organisation, a data category or the whole map."""
    from dataflyt.diagrams.render import draw
    from dataflyt.diagrams.scope import scope_of

    try:
        scope = scope_of(service, organisation, category, everything)
        chosen = choose_format(DiagramFormat, fmt, output, DiagramFormat.MMD)
    except ValueError as error:  # a usage error, as typer's own
        fail(str(error), 2)
    with open_cli_store(backend, map_path, as_of) as store:
        _write(draw(store, scope, chosen, detail), output)


def report(
    service: ServiceScope = None,
    organisation: OrganisationScope = None,
    category: CategoryScope = None,
    everything: AllScope = False,
    output: OutputOption = STDOUT,
    fmt: Annotated[
        ReportFormat | None,
        typer.Option(
            "--format", help="Output format (default: from the -o extension; md on stdout)."
        ),
    ] = None,
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
) -> None:
    """Write a DPIA report (one self-contained HTML file, or Markdown) of one service, a breach
    at an organisation, a data category or the whole map, every fact with its source."""
    from dataflyt.diagrams.report_render import report_text
    from dataflyt.diagrams.scope import scope_of

    try:
        scope = scope_of(service, organisation, category, everything)
        chosen = choose_format(ReportFormat, fmt, output, ReportFormat.MD)
    except ValueError as error:  # a usage error, as typer's own
        fail(str(error), 2)
    with open_cli_store(backend, map_path, as_of) as store:
        _write(report_text(store, scope, chosen).encode("utf-8"), output)
