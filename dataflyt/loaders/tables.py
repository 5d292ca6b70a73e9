"""Reading tables out of CSV and Markdown documents into plain rows with line numbers.

The result, a ``TablePage``, is what every table-shaped loader starts from (the HTML reader
in ``html_tables`` and the PDF reader in ``pdf`` return the same shape): the page's title and
headings, its text outside the tables (where the "Updated: ..." line lives) and its tables as
rows of cell texts. Rows and text lines carry their page too when the document has pages.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from dataflyt.errors import LoadError
from dataflyt.loaders.text import SourceText

__all__ = [
    "Table",
    "TablePage",
    "TableRow",
    "TextLine",
    "read_csv",
    "read_markdown",
]


@dataclass(frozen=True)
class TableRow:
    """One row: the 1-based line it starts on, its cells, whether it is a section heading
    (one cell spanning the whole table, as in "Infrastructure" above a group of rows), and
    the 1-based page it starts on (PDF documents; ``line`` then counts on that page)."""

    line: int
    cells: list[str]
    section: bool = False
    page: int | None = None


@dataclass(frozen=True)
class TextLine:
    """A line of text outside the tables (a paragraph, in a PDF): the 1-based line it starts
    on, its text, and its 1-based page (PDF documents; ``line`` then counts on that page)."""

    line: int
    text: str
    page: int | None = None


@dataclass(frozen=True)
class Table:
    """The rows of one table, in document order (the header is found by the loader)."""

    rows: list[TableRow]


@dataclass
class TablePage:
    """A document read as tables: title, headings, text lines outside tables, the tables."""

    title: str | None = None
    headings: list[str] = field(default_factory=list)
    text: list[TextLine] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)


_DELIMITERS = (",", ";", "\t")


def read_csv(source: SourceText, is_header: Callable[[list[str]], bool]) -> TablePage:
    """Return the CSV document as one table starting at its header row.

    The delimiter (comma, semicolon or tab) is the one that makes some row a header by
    ``is_header`` with the most cells (a title line above the table is one cell in every
    reading), the earliest on a tie, else the one giving the most columns; rows before the
    header are page text, the first of them the title.
    """
    readings = [_csv_rows(source, delimiter) for delimiter in _DELIMITERS]
    found = [
        (-sum(1 for cell in row.cells if cell.strip()), index, number)
        for number, rows in enumerate(readings)
        for index, row in enumerate(rows[:50])
        if is_header(row.cells)
    ]
    if found:
        _, header, number = min(found)
        rows = readings[number]
        text = [TextLine(r.line, ", ".join(c for c in r.cells if c.strip())) for r in rows]
        title = text[0].text if header else None
        return TablePage(title=title, text=text[:header], tables=[Table(rows[header:])])
    widest = max(readings, key=lambda rows: max((len(r.cells) for r in rows), default=0))
    return TablePage(tables=[Table(widest)])


def _csv_rows(source: SourceText, delimiter: str) -> list[TableRow]:
    rows: list[TableRow] = []
    reader = csv.reader(io.StringIO(source.text, newline=""), delimiter=delimiter)
    start = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(TableRow(start, cells, section=len(cells) == 1))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise LoadError(source.path, f"not readable as CSV: {exc}", line=start) from None
    return rows


_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]*)>")
_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
_TITLE = re.compile(r"^title:\s*(.+?)\s*$")


def _split_row(line: str) -> list[str]:
    text = line.strip()
    text = text[1:] if text.startswith("|") else text
    text = text[:-1] if text.endswith("|") and not text.endswith("\\|") else text
    cells = re.split(r"(?<!\\)\|", text)
    return [_inline(cell.replace("\\|", "|")) for cell in cells]


def _inline(cell: str) -> str:
    """Return a Markdown cell as plain text: links become their text, emphasis goes."""
    text = _LINK.sub(r"\1", cell)
    text = _AUTOLINK.sub(r"\1", text)
    return _EMPHASIS.sub("", text).strip()


def _starts_table(line: str, follows: str) -> bool:
    """Return True when ``line`` is a table header: a delimiter row with as many cells follows."""
    return (
        "|" in line
        and _SEPARATOR.match(follows) is not None
        and len(_split_row(follows)) == len(_split_row(line))
    )


def _front_matter_title(lines: list[str]) -> tuple[str | None, int]:
    """Return the ``title:`` of a YAML front matter block ("---" lines) and the index of the
    first line after the block (0 without one)."""
    if not lines or lines[0].strip() != "---":
        return None, 0
    end = next((i for i in range(1, min(len(lines), 200)) if lines[i].strip() == "---"), None)
    if end is None:
        return None, 0
    titles = [_TITLE.match(line) for line in lines[1:end]]
    title = next((m.group(1).strip().strip("'\"") for m in titles if m), None)
    return title or None, end + 1


def read_markdown(source: SourceText) -> TablePage:
    """Return the pipe tables of a Markdown document, its title (the front matter's, else the
    first heading), its headings and its other lines."""
    lines = source.lines
    page = TablePage()
    title, index = _front_matter_title(lines)
    while index < len(lines):
        line = lines[index]
        follows = lines[index + 1] if index + 1 < len(lines) else ""
        if _starts_table(line, follows):
            rows = [TableRow(index + 1, _split_row(line))]
            index += 2
            while index < len(lines) and "|" in lines[index] and lines[index].strip():
                rows.append(TableRow(index + 1, _split_row(lines[index])))
                index += 1
            page.tables.append(Table(rows))
            continue
        heading = _HEADING.match(line)
        if heading:
            page.headings.append(_inline(heading.group(2)))
        elif line.strip() and follows.strip() and set(follows.strip()) <= {"="}:
            page.headings.append(_inline(line))
        if line.strip():
            page.text.append(TextLine(index + 1, _inline(line)))
        index += 1
    page.title = title or (page.headings[0] if page.headings else None)
    return page
