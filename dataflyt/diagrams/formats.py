"""The output formats of ``diagram`` and ``report``, and how a format is chosen from an option
or a file name (kept free of heavy imports so the CLI can build its options cheaply)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import TypeVar

__all__ = ["STDOUT", "DiagramFormat", "ReportFormat", "choose_format"]

STDOUT = Path("-")


class DiagramFormat(StrEnum):
    """What ``diagram`` writes: Graphviz renderings, Graphviz source or a Mermaid flowchart."""

    SVG = "svg"
    PNG = "png"
    PDF = "pdf"
    DOT = "dot"
    MMD = "mmd"

    @property
    def is_text(self) -> bool:
        """Return whether this format is text, which may go to standard output."""
        return self in (DiagramFormat.SVG, DiagramFormat.DOT, DiagramFormat.MMD)


class ReportFormat(StrEnum):
    """What ``report`` writes: one self-contained HTML file or Markdown."""

    HTML = "html"
    MD = "md"

    @property
    def is_text(self) -> bool:
        """Return True: both report formats are text."""
        return True


_Format = TypeVar("_Format", DiagramFormat, ReportFormat)


def choose_format(
    kind: type[_Format], chosen: _Format | None, output: Path, default: _Format
) -> _Format:
    """Return the format to write: ``chosen`` if given, else the one the extension of ``output``
    names, else ``default`` when writing to standard output.

    Raises ``ValueError`` when the extension names no format, or a binary format would go to
    standard output.
    """
    if chosen is None and output == STDOUT:
        chosen = default
    if chosen is None:
        suffix = output.suffix.lower().lstrip(".")
        aliases = {"gv": "dot", "mermaid": "mmd", "htm": "html", "markdown": "md"}
        try:
            chosen = kind(aliases.get(suffix, suffix))
        except ValueError:
            names = ", ".join(f.value for f in kind)
            raise ValueError(
                f"cannot tell the format from {output.name!r}: use --format ({names})"
            ) from None
    if output == STDOUT and not chosen.is_text:
        raise ValueError(
            f"{chosen.value} is binary: write it to a file with -o NAME.{chosen.value}"
        )
    return chosen
