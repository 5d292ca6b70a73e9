"""Recognising table columns by their header names (the record of processing's columns), in
English and the Nordic languages; sub-processor lists are read by meaning in ``list_columns``.

A header matches a column when, with case, spacing, hyphens, trailing colons or asterisks and
a plural "(s)" ignored, it equals one of the column's names: "Sub-processor", "Subprocessor"
and "SUB PROCESSOR" are one header.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TypeVar

from dataflyt.loaders.terms import cell_text
from dataflyt.reference.vocabulary import fold

__all__ = ["folded_header", "header_key", "match_columns"]

Key = TypeVar("Key", bound=str)


def folded_header(cell: str) -> str:
    """Return a header cell's text folded, without its plural marks ("Sub-processor(s)")."""
    return re.sub(r"\((?:s|er|e|ar|or)\)", "", fold(cell_text(cell)))


def header_key(cell: str) -> str:
    """Return the form of a header cell that column names are compared in."""
    text = folded_header(cell).strip(" :*.#")
    return re.sub(r"[\s\-_/.]+", "", text)


def match_columns(cells: list[str], names: Mapping[Key, tuple[str, ...]]) -> dict[Key, list[int]]:
    """Return, for each column key, the indexes of the header ``cells`` carrying one of its
    names (plural forms ending in s, er or ar are accepted)."""
    index = {header_key(name): key for key, spellings in names.items() for name in spellings}
    found: dict[Key, list[int]] = {}
    for position, cell in enumerate(cells):
        key = header_key(cell)
        column = index.get(key)
        for ending in ("s", "er", "ar", "e"):
            if column is None and key.endswith(ending):
                column = index.get(key[: -len(ending)])
        if column is not None:
            found.setdefault(column, []).append(position)
    return found
