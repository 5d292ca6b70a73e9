"""Reading a PDF's tables and the text around them into a ``TablePage``, with pdfplumber.

Only the PDF reading worker (``pdf_worker``) imports this module. It refuses what it cannot
read safely before parsing any page (``check_document``), then reads each page:

- tables are found by their ruling lines; a table cut by the page's end (a row broken by a
  page break has no bottom border) is closed at the end of its vertical lines;
- a table on the next page with the same columns, with nothing new above it, continues it:
  its repeated header row is dropped, and a first row that is the rest of a broken row (its
  first cell empty, or the previous page's last row left open) is joined to that row;
- a cell spanning rows is repeated in each (as the HTML reader does), a cell spanning columns
  fills the first; a row of one cell spanning the table is a section heading;
- the words outside tables become paragraphs (``pdf_lines``), and those in a larger font than
  the body text are the page's headings.

Rows and paragraphs carry their page and the number of their first line on it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from io import BytesIO

import pdfplumber
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfplumber.page import Page
from pdfplumber.table import Table as FoundTable

from dataflyt.loaders.pdf import PdfLimits
from dataflyt.loaders.pdf_lines import (
    Word,
    block_text,
    continue_text,
    group_lines,
    paragraph_text,
    paragraphs,
)
from dataflyt.loaders.tables import Table, TablePage, TableRow, TextLine

__all__ = ["PdfRefused", "check_document", "read_layout"]

# a paragraph in a font this much larger than the body text is a heading
_HEADING_SIZE = 1.2
# points two column edges or a border and a row may differ by and still be the same
_SAME = 2.0
_OBJECT_COUNT = re.compile(rb"/Size\s+(\d{1,12})")


class PdfRefused(Exception):
    """The PDF cannot or may not be read; the message says why, in one line."""


@dataclass
class _Piece:
    """A table as found on one page, with what continuing it on the next page needs."""

    page: int
    rows: list[TableRow]
    columns: list[float]
    top: float
    bottom: float
    open_bottom: bool


@dataclass
class _Paragraph:
    """A paragraph outside the tables, where it starts and its font size."""

    line: TextLine
    top: float
    bottom: float
    size: float


@dataclass
class _PageContent:
    number: int
    pieces: list[_Piece]
    text: list[_Paragraph] = field(default_factory=list)
    sizes: Counter[float] = field(default_factory=Counter)


def check_document(data: bytes, limits: PdfLimits) -> None:
    """Raise ``PdfRefused`` when the PDF ``data`` needs a password, or declares or holds more
    objects or pages than ``limits`` allows: read from its cross-reference tables and page
    tree, before any page is parsed."""
    declared = max((int(n) for n in _OBJECT_COUNT.findall(data)), default=0)
    if declared > limits.objects:
        raise PdfRefused(
            f"declares {declared:,} objects, more than the {limits.objects:,} a document "
            "may have (a PDF bomb?); refused"
        )
    with BytesIO(data) as handle:
        try:
            document = PDFDocument(PDFParser(handle))
        except PDFPasswordIncorrect:
            raise PdfRefused("is encrypted with a password: save it without one first") from None
        objects = sum(len(list(xref.get_objids())) for xref in document.xrefs)
        if objects > limits.objects:
            raise PdfRefused(
                f"has {objects:,} objects, more than the {limits.objects:,} a document may "
                "have (a PDF bomb?); refused"
            )
        tree = resolve1(document.catalog.get("Pages"))
        pages = resolve1(tree.get("Count")) if isinstance(tree, dict) else None
    if isinstance(pages, int) and pages > limits.pages:
        raise PdfRefused(f"has {pages:,} pages, more than the {limits.pages:,} a document may have")


def read_layout(data: bytes, limits: PdfLimits) -> TablePage:
    """Return the tables and text of the PDF ``data``; raise ``PdfRefused`` for a PDF
    ``check_document`` refuses or one without a text layer (pdfminer's own errors pass
    through)."""
    check_document(data, limits)
    with BytesIO(data) as stream, pdfplumber.open(stream) as pdf:
        if len(pdf.pages) > limits.pages:  # the page tree's count was wrong
            raise PdfRefused(f"has more than the {limits.pages:,} pages a document may have")
        if not pdf.pages:
            raise PdfRefused("has no pages")
        contents = [_page_content(page) for page in pdf.pages]
    if not any(content.pieces or content.text for content in contents):
        raise PdfRefused("no text layer (a scan or images only): run OCR first")
    return _assemble(contents)


def _words(page: Page) -> list[Word]:
    return [
        Word(w["text"], w["x0"], w["x1"], w["top"], w["bottom"], w["size"])
        for w in page.extract_words(extra_attrs=["size"])
        if w["text"].strip()
    ]


Box = tuple[float, float, float, float]


class _Words:
    """A page's words, found by the box their middle lies in (a binary search on height)."""

    def __init__(self, words: list[Word]) -> None:
        self.words = sorted(words, key=lambda w: w.middle)
        self.middles = [w.middle for w in self.words]

    def within(self, box: Box) -> list[Word]:
        """Return the words whose middle lies in ``box``, top to bottom."""
        start = bisect_left(self.middles, box[1])
        end = bisect_right(self.middles, box[3])
        return [w for w in self.words[start:end] if box[0] <= (w.x0 + w.x1) / 2 <= box[2]]


def _find_tables(page: Page) -> list[FoundTable]:
    """Return the ruled tables of ``page``, a table cut by the page's end closed at the end
    of its vertical lines (and one cut by its start at their start)."""
    verticals = [edge for edge in page.edges if edge["orientation"] == "v"]
    if not verticals:
        return []
    ends = [min(e["top"] for e in verticals), max(e["bottom"] for e in verticals)]
    tables: list[FoundTable] = page.find_tables({"explicit_horizontal_lines": ends})
    return tables


def _ruled_below(page: Page, box: Box) -> bool:
    """Return True when a horizontal border runs along the bottom of ``box``."""
    covered: float = sum(
        min(edge["x1"], box[2]) - max(edge["x0"], box[0])
        for edge in page.edges
        if edge["orientation"] == "h"
        and abs(edge["top"] - box[3]) <= _SAME
        and edge["x1"] > box[0]
        and edge["x0"] < box[2]
    )
    return covered >= 0.9 * (box[2] - box[0])


def _piece(page: Page, table: FoundTable, words: _Words, numbers: dict[Word, int]) -> _Piece:
    columns = sorted({cell[0] for cell in table.cells})
    right = table.bbox[2]
    texts: dict[Box, str] = {}

    def text(box: Box) -> str:
        if box not in texts:
            inside = words.within(box)
            # the text reaches the cell's right edge less its padding (taken as the left's)
            padding = min((w.x0 for w in inside), default=box[0]) - box[0]
            texts[box] = block_text(inside, box[2] - padding)
        return texts[box]

    rows: list[TableRow] = []
    for row in table.rows:
        top, bottom = row.bbox[1], row.bbox[3]
        own = [w for box in row.cells if box for w in words.within(box)]
        if not own:
            continue
        cells = []
        for index, box in enumerate(row.cells):
            if box is not None:
                cells.append(text(box))
                continue
            x = (columns[index] + (columns[index + 1] if index + 1 < len(columns) else right)) / 2
            y = (top + bottom) / 2
            cover = next((c for c in table.cells if c[0] <= x <= c[2] and c[1] <= y <= c[3]), None)
            spans_rows = cover is not None and cover[1] < top - _SAME / 2
            cells.append(text(cover) if spans_rows and cover else "")
        boxes = [box for box in row.cells if box]
        section = (
            len(row.cells) > 1
            and len(boxes) == 1
            and boxes[0][0] - table.bbox[0] <= _SAME
            and right - boxes[0][2] <= _SAME
        )
        first = min(own, key=lambda w: (w.top, w.x0))
        rows.append(TableRow(numbers[first], cells, section=section, page=page.page_number))
    top, bottom = table.bbox[1], table.bbox[3]
    return _Piece(page.page_number, rows, columns, top, bottom, not _ruled_below(page, table.bbox))


def _page_content(page: Page) -> _PageContent:
    words = _words(page)
    lines = group_lines(words)
    numbers = {word: number for number, line in enumerate(lines, 1) for word in line.words}
    tables = _find_tables(page)
    index = _Words(words)
    pieces = [piece for t in tables if (piece := _piece(page, t, index, numbers)).rows]
    in_tables = {w for t in tables for w in index.within(t.bbox)}
    outside = [w for w in words if w not in in_tables]
    content = _PageContent(page.page_number, pieces, sizes=Counter(round(w.size) for w in words))
    right = max((w.x1 for w in outside), default=0.0)
    for paragraph in paragraphs(group_lines(outside), right):
        first = paragraph[0]
        text = TextLine(numbers[first.words[0]], paragraph_text(paragraph), page.page_number)
        size = max(line.size for line in paragraph)
        content.text.append(_Paragraph(text, first.top, paragraph[-1].bottom, size))
    return content


def _assemble(contents: list[_PageContent]) -> TablePage:
    """Return the pages' pieces of tables joined into tables, and their text in order."""
    tables: list[_Piece] = []
    seen: set[str] = set()
    text: list[_Paragraph] = []
    for number, content in enumerate(contents):
        for index, piece in enumerate(content.pieces):
            previous = tables[-1] if tables else None
            above = {_shape(p.line.text) for p in content.text if p.top < piece.top}
            if (
                index == 0
                and previous is not None
                and previous.page == content.number - 1
                and _same_columns(previous.columns, piece.columns)
                and above <= seen
            ):
                _continue(previous, piece)
            else:
                tables.append(piece)
        seen |= {_shape(p.line.text) for p in content.text}
        paragraphs = content.text
        if number and _carries_on(contents[number - 1], content):
            last = text[-1]
            joined = continue_text(last.line.text, paragraphs[0].line.text)
            text[-1] = replace(last, line=replace(last.line, text=joined))
            paragraphs = paragraphs[1:]
        text.extend(paragraphs)
    sizes = sum((content.sizes for content in contents), Counter[float]())
    body = sizes.most_common(1)[0][0] if sizes else 0
    headings = [p.line.text for p in text if body and p.size >= body * _HEADING_SIZE]
    return TablePage(
        headings=headings, text=[p.line for p in text], tables=[Table(t.rows) for t in tables]
    )


def _carries_on(previous: _PageContent, content: _PageContent) -> bool:
    """Return True when the page's first paragraph carries on the previous page's last: that
    one ends without a full stop below its page's tables, this one starts in lower case above
    this page's tables, in the same font size."""
    if not previous.text or not content.text or previous.number != content.number - 1:
        return False
    last, first = previous.text[-1], content.text[0]
    return (
        all(last.top > piece.bottom for piece in previous.pieces)
        and all(first.bottom < piece.top for piece in content.pieces)
        and not last.line.text.endswith((".", "!", "?", ":"))
        and first.line.text[:1].islower()
        and round(first.size) == round(last.size)
    )


def _shape(text: str) -> str:
    """Return ``text`` as compared with other pages' text: page numbers do not count."""
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _same_columns(left: list[float], right: list[float]) -> bool:
    if len(left) != len(right):
        return False
    return all(abs(a - b) <= _SAME for a, b in zip(left, right, strict=True))


def _continue(table: _Piece, piece: _Piece) -> None:
    """Add ``piece``, found on the page after ``table``'s last, to ``table``."""
    rows = piece.rows
    if rows and table.rows and _cells_text(rows[0]) == _cells_text(table.rows[0]):
        rows = rows[1:]
    if rows and table.rows and not rows[0].section:
        broken = table.open_bottom or not rows[0].cells[0].strip()
        if broken:
            last = table.rows[-1]
            cells = [continue_text(a, b) for a, b in zip(last.cells, rows[0].cells, strict=True)]
            table.rows[-1] = replace(last, cells=cells)
            rows = rows[1:]
    table.rows.extend(rows)
    table.page = piece.page
    table.open_bottom = piece.open_bottom


def _cells_text(row: TableRow) -> list[str]:
    return [" ".join(cell.split()) for cell in row.cells]
