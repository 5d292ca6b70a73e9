"""``dataflyt synth``: write a synthetic map of any size (see ``dataflyt.synth``) to an embedded
map file, which every command reads with ``--map``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from dataflyt.cli.common import JsonOption, emit, fail
from dataflyt.cli.progress import QuietOption, progress_bar

if TYPE_CHECKING:
    from dataflyt.graph.summary import MapSummary

__all__ = ["synth"]


def synth(
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Map file to write (replaced if it exists).")
    ],
    services: Annotated[
        int, typer.Option("--services", "-n", min=1, help="How many services the map holds.")
    ] = 1000,
    seed: Annotated[
        int, typer.Option(help="The same seed writes the same file, byte for byte.")
    ] = 0,
    as_json: JsonOption = False,
    quiet: QuietOption = False,
) -> None:
    """Write a synthetic map: providers, vendors in sub-processor chains up to four levels deep
    ending at shared infrastructure vendors, categories, data subjects and countries."""
    from dataflyt.errors import DataflytError
    from dataflyt.synth import write_synthetic_map

    try:
        with progress_bar(quiet) as progress:
            summary = write_synthetic_map(output, services, seed, progress)
    except ValueError as error:  # a size out of range: a usage error, as typer's own
        fail(str(error), 2)
    except DataflytError as error:
        fail(str(error), error.exit_code)
    emit(summary, as_json, _render)


def _render(summary: MapSummary) -> None:
    counts = ", ".join(f"{kind} {count}" for kind, count in summary.counts.items())
    typer.echo(f"Wrote {summary.location}: {counts}; {summary.edges} edges.")
