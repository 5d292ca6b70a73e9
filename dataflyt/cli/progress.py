"""The progress bar of long commands (load, export, synth): drawn with rich on standard error
once the work has taken more than a second, and only when standard error is a terminal and
``--quiet`` was not given, so pipes, files and scripts see nothing of it."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer

from dataflyt.progress import Progress, silent

__all__ = ["QuietOption", "progress_bar"]

QuietOption = Annotated[
    bool, typer.Option("--quiet", "-q", help="Show no progress bar, even on a terminal.")
]

# seconds of work before the bar appears; tests set it to 0
_DELAY_VARIABLE = "DATAFLYT_PROGRESS_AFTER"


@contextmanager
def progress_bar(quiet: bool) -> Iterator[Progress]:
    """Yield the ``Progress`` to hand to the library: a rich bar on a terminal that appears
    after a second (and is cleared at the end), or one that ignores every call."""
    if quiet or not sys.stderr.isatty():
        yield silent
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
    from rich.progress import Progress as Bar

    bar = Bar(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    task = bar.add_task("Starting", total=None)

    def report(step: str, done: int, total: int) -> None:
        bar.update(task, description=step, completed=done, total=total)

    timer = threading.Timer(float(os.environ.get(_DELAY_VARIABLE, "1")), bar.start)
    timer.daemon = True
    timer.start()
    try:
        yield report
    finally:
        timer.cancel()
        timer.join()
        bar.stop()
