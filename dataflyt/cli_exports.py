"""The ``export`` command: the whole map in a standard format, to a file or standard output."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from dataflyt.cli_common import BackendOption, MapOption, fail, open_cli_store
from dataflyt.exports.formats import ExportFormat

__all__ = ["export"]


def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="What to write.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write, or - for stdout.")],
    map_path: MapOption = None,
    backend: BackendOption = None,
) -> None:
    """Export the whole map as json (loads back), graphml, cypher or ropa-csv (GDPR Art. 30)."""
    from dataflyt.exports import export as run

    with open_cli_store(backend, map_path) as store:
        text = run(store, fmt)
    if str(output) == "-":
        typer.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(f"{output}: cannot write: {exc.strerror or exc}", 1)
    typer.echo(f"Wrote {output} ({fmt.value}, {len(text.encode()):,} bytes).", err=True)
