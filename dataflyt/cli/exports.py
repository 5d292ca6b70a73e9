"""The ``export`` command: the whole map in a standard format, to a file or standard output."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from dataflyt.cli.common import BackendOption, MapOption, fail, open_cli_store, write_file
from dataflyt.cli.progress import QuietOption, progress_bar
from dataflyt.config import controller_name
from dataflyt.exports.formats import ExportFormat

__all__ = ["export"]


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for stdout.")],
    map_path: MapOption = None,
    backend: BackendOption = None,
    quiet: QuietOption = False,
) -> None:
    """Export the whole map: json (loads back), graphml, cypher, ropa-csv/ropa-xlsx (GDPR
    Art. 30), dpv (W3C DPV JSON-LD) or fides (fideslang manifests). The record of processing
    and DPV name your organisation as the controller from a data map's controller block, or
    else from DATAFLYT_CONTROLLER (environment or .env)."""
    from dataflyt.exports import export as run

    if str(output) == "-" and fmt.binary:
        fail(f"{fmt.value} is not text: write it to a file with -o FILE", 2)
    controller = controller_name()
    with open_cli_store(backend, map_path) as store, progress_bar(quiet) as progress:
        content = run(store, fmt, progress, controller=controller)
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    if str(output) == "-":
        sys.stdout.buffer.write(data)
        return
    write_file(output, data)
    typer.echo(f"Wrote {output} ({fmt.value}, {len(data):,} bytes).", err=True)
