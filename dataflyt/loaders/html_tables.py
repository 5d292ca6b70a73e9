"""Reading the tables of a saved HTML page with the standard library's HTML parser.

Navigation, footers, scripts, styles, forms and the like are skipped; nothing in the page is
fetched or executed. Cells spanning rows are repeated in the rows below them, so every row
has its cells in the header's columns; a row holding one cell that spans the table is a
section heading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from dataflyt.errors import LoadError
from dataflyt.loaders.tables import Table, TablePage, TableRow, TextLine
from dataflyt.loaders.text import SourceText

__all__ = ["read_html"]

_SKIPPED = {
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "svg",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "head",
}
_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "area", "base", "col", "source"}
_BREAKS = {
    "br",
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "tr",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "main",
    "dd",
    "dt",
    "table",
    "caption",
    "blockquote",
}
_HEADINGS = {"h1", "h2", "h3"}
_MAX_SPAN = 50


@dataclass
class _Cell:
    text: list[str]
    colspan: int
    rowspan: int


@dataclass
class _OpenTable:
    rows: list[TableRow] = field(default_factory=list)
    cells: list[_Cell] | None = None
    row_line: int = 0
    cell: _Cell | None = None
    # column -> (text, rows still to fill) for cells spanning rows
    carry: dict[int, tuple[str, int]] = field(default_factory=dict)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = TablePage()
        self.tables: list[_OpenTable] = []
        self.skipping: list[str] = []
        self.in_title = False
        self.title: list[str] = []
        self.heading: list[str] | None = None
        self.line_text: list[str] = []
        self.line_at = 1

    # -- tags -------------------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self.in_title = True
        if self.skipping or tag in _SKIPPED:
            if tag not in _VOID:
                self.skipping.append(tag)
            return
        if tag in _BREAKS:
            self._break()
        if tag in _HEADINGS:
            self.heading = []
        if tag == "table":
            self.tables.append(_OpenTable())
        elif self.tables and tag == "tr":
            self._end_row()
            self.tables[-1].cells = []
            self.tables[-1].row_line = self.getpos()[0]
        elif self.tables and tag in ("td", "th"):
            table = self.tables[-1]
            self._end_cell()
            if table.cells is None:
                table.cells, table.row_line = [], self.getpos()[0]
            values = dict(attrs)
            table.cell = _Cell([], _span(values.get("colspan")), _span(values.get("rowspan")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False
        if self.skipping:
            if tag in self.skipping:
                while self.skipping and self.skipping.pop() != tag:
                    pass
            return
        if tag in _BREAKS:
            self._break()
        if tag in _HEADINGS and self.heading is not None:
            text = " ".join("".join(self.heading).split())
            if text:
                self.page.headings.append(text)
            self.heading = None
        if not self.tables:
            return
        if tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "table":
            self._end_row()
            table = self.tables.pop()
            if table.rows:
                self.page.tables.append(Table(table.rows))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" and not self.skipping:
            self._break()

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        if self.skipping:
            return
        if self.heading is not None:
            self.heading.append(data)
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.text.append(data)
            return
        if not self.line_text:
            self.line_at = self.getpos()[0]
        self.line_text.append(data)

    # -- helpers ----------------------------------------------------------------------
    def _break(self) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.text.append("\n")
            return
        text = " ".join("".join(self.line_text).split())
        if text:
            self.page.text.append(TextLine(self.line_at, text))
        self.line_text = []

    def _end_cell(self) -> None:
        table = self.tables[-1]
        if table.cell is not None and table.cells is not None:
            table.cells.append(table.cell)
        table.cell = None

    def _end_row(self) -> None:
        table = self.tables[-1]
        self._end_cell()
        if table.cells is None:
            return
        cells, table.cells = table.cells, None
        if not cells and not table.carry:
            return
        section = len(cells) == 1 and cells[0].colspan > 1 and not table.carry
        table.rows.append(TableRow(table.row_line, _place(cells, table.carry), section=section))

    def close(self) -> None:
        super().close()
        self.skipping.clear()
        while self.tables:
            self.handle_endtag("table")
        self._break()
        self.page.title = " ".join("".join(self.title).split()) or None


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), _MAX_SPAN))
    except ValueError:
        return 1


def _place(cells: list[_Cell], carry: dict[int, tuple[str, int]]) -> list[str]:
    """Return a row's cell texts in their columns, filling in cells spanning from above."""
    placed: list[str] = []
    pending = list(cells)
    column = 0
    while pending or any(c >= column for c in carry):
        if column in carry:
            text, left = carry.pop(column)
            placed.append(text)
            if left > 1:
                carry[column] = (text, left - 1)
        elif pending:
            cell = pending.pop(0)
            text = "".join(cell.text).strip()
            for offset in range(cell.colspan):
                placed.append(text if offset == 0 else "")
                if cell.rowspan > 1:
                    carry[column + offset] = (text if offset == 0 else "", cell.rowspan - 1)
            column += cell.colspan
            continue
        else:
            placed.append("")
        column += 1
    return placed


def read_html(source: SourceText) -> TablePage:
    """Return the tables, title, headings and other text lines of a saved HTML page."""
    parser = _PageParser()
    try:
        parser.feed(source.text)
        parser.close()
    except (AssertionError, ValueError) as exc:
        # html.parser raises these on a few malformed constructs such as "<![foo"
        line = parser.getpos()[0]
        raise LoadError(source.path, f"not readable as HTML: {exc}", line=line) from None
    return parser.page
