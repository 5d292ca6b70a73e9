"""Laying out the positioned words of a PDF page as text: lines, their numbers, paragraphs.

A PDF holds words at positions, not lines or paragraphs. Words whose vertical middle falls
within a line's height belong to that line; a page's lines are numbered from its top, and that
number is what a citation gives ("p.2:14"). Within one block of text (a table cell, the text
outside the tables) a paragraph goes on until a gap taller than half a line, a change of font
size, a line starting with a bullet, or a line ending short of the block's right edge by more
than the next line's first word (a line break the writer made, not a wrap); its lines are
joined with spaces, except that a word broken after a hyphen ("E-" / "post", "2023-06-" /
"01") is joined without one. Paragraphs become the lines of a cell's text, as ``<p>`` and
``<br>`` do in HTML, so the cell readers in ``terms`` see the same structure in both.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Line", "Word", "block_text", "continue_text", "group_lines", "paragraphs"]

# a paragraph ends where the gap to the next line is taller than this share of the font size
_PARAGRAPH_GAP = 0.5
# a line in a font this much larger or smaller than the line before starts a new paragraph
_SIZE_CHANGE = 1.1
# the width of a space, as a share of the font size (wider than most fonts' own)
_SPACE = 0.35
_BULLETS = frozenset("•◦▪●○■‣∙")
# "E-post- og Chat-henvendelser": after these, a line-end hyphen is the word's own
_CONJUNCTIONS = frozenset({"og", "and", "eller", "or", "samt", "och", "und", "&"})


@dataclass(frozen=True)
class Word:
    """A word as the PDF places it: its text, box (points from the page's top left) and font
    size."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float

    @property
    def middle(self) -> float:
        """Return the vertical middle of the word's box."""
        return (self.top + self.bottom) / 2

    @property
    def width(self) -> float:
        """Return the width of the word's box."""
        return self.x1 - self.x0


@dataclass(frozen=True)
class Line:
    """Words on one line, left to right."""

    words: tuple[Word, ...]

    @property
    def top(self) -> float:
        """Return the top of the line's highest word."""
        return min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        """Return the bottom of the line's lowest word."""
        return max(word.bottom for word in self.words)

    @property
    def right(self) -> float:
        """Return where the line's last word ends."""
        return self.words[-1].x1

    @property
    def size(self) -> float:
        """Return the line's largest font size."""
        return max(word.size for word in self.words)

    @property
    def text(self) -> str:
        """Return the line's words joined by single spaces."""
        return " ".join(word.text for word in self.words)


def _plain(text: str) -> str:
    """Return ``text`` with characters of the Private Use Area (Symbol-font bullets such as
    U+F0B7, which office programs write for list markers) made bullets."""
    return "".join("•" if "\ue000" <= ch <= "\uf8ff" else ch for ch in text)


def group_lines(words: Iterable[Word]) -> list[Line]:
    """Return ``words`` grouped into lines, top to bottom, each line's words left to right: a
    word shares a line when at least half its height (or the line's) is level with it."""
    grouped: list[list[Word]] = []
    top = bottom = 0.0
    for word in sorted(words, key=lambda w: (w.top, w.x0)):
        level = min(bottom, word.bottom) - max(top, word.top)
        if grouped and level >= 0.5 * min(bottom - top, word.bottom - word.top):
            grouped[-1].append(word)
            top, bottom = min(top, word.top), max(bottom, word.bottom)
        else:
            grouped.append([word])
            top, bottom = word.top, word.bottom
    return [Line(tuple(sorted(line, key=lambda w: w.x0))) for line in grouped]


def _starts_paragraph(line: Line, before: Line, right: float) -> bool:
    gap = line.top - before.bottom
    sizes = sorted((line.size, before.size))
    first = line.words[0]
    return (
        gap > _PARAGRAPH_GAP * before.size
        or sizes[1] > sizes[0] * _SIZE_CHANGE
        or _plain(first.text)[:1] in _BULLETS
        or before.right + _SPACE * before.size + first.width < right
    )


def paragraphs(lines: list[Line], right: float) -> list[list[Line]]:
    """Return ``lines`` (of one block, top to bottom, whose text may reach ``right``) split
    into paragraphs."""
    found: list[list[Line]] = []
    for line in lines:
        if found and not _starts_paragraph(line, found[-1][-1], right):
            found[-1].append(line)
        else:
            found.append([line])
    return found


def _join(left: str, right: str) -> str:
    """Return two lines of one paragraph as one: with a space, or without one after a word,
    number or date broken at its hyphen."""
    first = right.split(" ", 1)[0]
    broken = (
        left.endswith("-")
        and left[-2:-1].isalnum()
        and first[:1].isalnum()
        and first.casefold() not in _CONJUNCTIONS
    )
    return left + right if broken else f"{left} {right}"


def paragraph_text(lines: list[Line]) -> str:
    """Return the text of one paragraph's lines."""
    text = _plain(lines[0].text)
    for line in lines[1:]:
        text = _join(text, _plain(line.text))
    return text


def block_text(words: Iterable[Word], right: float) -> str:
    """Return the text of a block of words (a table cell) whose text may reach ``right``: one
    line per paragraph."""
    return "\n".join(paragraph_text(p) for p in paragraphs(group_lines(words), right))


def continue_text(before: str, after: str) -> str:
    """Return a cell's text broken by a page break (``before`` on one page, ``after`` on the
    next) as one: the paragraph cut by the break is joined again."""
    if not before or not after:
        return before or after
    head, _, last = before.rpartition("\n")
    first, _, tail = after.partition("\n")
    return "\n".join(part for part in (head, _join(last, first), tail) if part)
