"""What every table the CLI prints shares: the console, how wide it lays out, tables, counted
nouns, and how a citation, a place or a list too long for a cell is written.

Every text printed, a table cell, a title or a line, goes through one console that reads no
rich markup or emoji codes and shows it ``visible`` (``dataflyt.safe_text``): a name such as
``[/bold]``, ``[link=...]`` or one holding terminal escapes is printed as the letters it holds.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console, ConsoleOptions, RenderableType
from rich.table import Table
from rich.text import Text

from dataflyt.citation import cited_place
from dataflyt.reference.safeguards import safeguard_names
from dataflyt.safe_text import visible

if TYPE_CHECKING:
    from dataflyt.graph.citation import Citation
    from dataflyt.queries.places import PlaceUse, Standing

__all__ = [
    "NAMES_IN_A_CELL",
    "NOT_STATED",
    "console",
    "new_table",
    "places_text",
    "say",
    "some",
    "standing_text",
    "where",
]

# Piped to a file, a pager or a CI log, output is laid out 160 columns wide rather than rich's
# 80, which wrapped every table's citations; a terminal's width (or COLUMNS) wins.
PIPED_WIDTH = 160
# names listed in one cell of a summary table; the rest are counted (``--json`` lists all)
NAMES_IN_A_CELL = 10
# what a cell says where no document states the fact (as ``queries.places.NOT_STATED``)
NOT_STATED = "not stated"


def _width() -> int | None:
    """Return the width to lay tables out in: None (the terminal's, or COLUMNS) on a terminal
    or with COLUMNS set, else ``PIPED_WIDTH``."""
    return None if sys.stdout.isatty() or os.environ.get("COLUMNS") else PIPED_WIDTH


def _visible_text(renderable: Any) -> Any:
    """Return ``renderable``, a ``Text`` made ``visible`` (its style kept: a text that loses
    or gains characters should carry one style for the whole, not spans)."""
    if isinstance(renderable, Text) and visible(renderable.plain) != renderable.plain:
        renderable = renderable.copy()
        renderable.plain = visible(renderable.plain)
    return renderable


class _PlainConsole(Console):
    """A console that shows every text ``visible``: a string, read as plain text (no markup,
    no emoji codes), and a ``Text``."""

    def render_str(self, text: str, **options: Any) -> Text:
        return super().render_str(visible(text), **options)

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Any:
        return super().render(_visible_text(renderable), options)


class _PlainTable(Table):
    """A table whose ``Text`` cells are made ``visible`` as they are added, so that its
    columns are as wide as what is shown."""

    def add_row(self, *renderables: RenderableType | None, **options: Any) -> None:
        super().add_row(*map(_visible_text, renderables), **options)


console = _PlainConsole(markup=False, emoji=False, highlight=False, soft_wrap=False, width=_width())


def some(names: list[str], limit: int = NAMES_IN_A_CELL) -> str:
    """Return ``names`` joined, or the first ``limit`` of them and how many more."""
    if len(names) <= limit:
        return ", ".join(names)
    return f"{', '.join(names[:limit])} and {len(names) - limit} more"


def say(text: str, style: str | None = None) -> None:
    """Print one line of text (never read as markup), in ``style`` if given."""
    console.print(text, style=style)


def where(source: Citation | None) -> str:
    """Return a citation as a short reference, as the explorer shows it too: the file's name,
    page and line ("annex.txt:24", "annex.pdf p.2:14"); "not stated" for none."""
    return NOT_STATED if source is None else cited_place(source)


def places_text(places: Iterable[PlaceUse], cited: bool = False) -> str:
    """Return places as a cell: each name, marked where its list is not exhaustive, with its
    citation if ``cited``; "not stated" for none."""
    shown = []
    for place in places:
        text = place.name + ("" if place.exhaustive else " (not exhaustive)")
        shown.append(f"{text} [{where(place.source)}]" if cited else text)
    return ", ".join(dict.fromkeys(shown)) or NOT_STATED


def standing_text(standing: Standing | None, safeguards: list[str]) -> str:
    """Return how processing in a place stands under GDPR Chapter V, with the safeguards the
    document states; "not stated" for a place no document states."""
    text = standing.wording if standing else NOT_STATED
    named = ", ".join(safeguard_names(safeguards))
    return f"{text}; stated safeguards: {named}" if safeguards else text


def new_table(title: str, *columns: str) -> Table:
    """Return a table titled ``title`` with these columns, folding long cells."""
    table = _PlainTable(title=title, title_style="bold", title_justify="left", show_lines=False)
    for column in columns:
        table.add_column(column, overflow="fold")
    return table
