"""The document shapes dataflyt reads, in a module of its own so the CLI can offer them
without importing the loaders."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["DocumentFormat"]


class DocumentFormat(StrEnum):
    """The document shapes dataflyt reads."""

    ANNEX = "annex"
    DATAMAP = "datamap"
    SUBPROCESSORS_CSV = "subprocessors-csv"
    SUBPROCESSORS_HTML = "subprocessors-html"
    SUBPROCESSORS_MARKDOWN = "subprocessors-md"
    SUBPROCESSORS_PDF = "subprocessors-pdf"
    ROPA_CSV = "ropa-csv"
    # the aliases a user confirmed with ``dataflyt alias add``, kept in the map as a document
    # of their own; never read from a file
    ALIASES = "aliases"
