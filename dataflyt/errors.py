"""The errors dataflyt raises, and the exit code the CLI gives each.

Hierarchy::

    DataflytError                 base class; never raised itself
    ├── LoadError                 a document cannot be read or parsed (exit 1);
    │   │                         names the file, and the page/line/column/field where known
    │   └── UnknownProviderError  the document does not say whose it is and no
    │                             --provider was given (exit 2)
    ├── MapFileError              the embedded map file is unreadable or corrupt (exit 1)
    ├── RenderError               Graphviz is missing or could not lay out a diagram (exit 1)
    ├── NameError_                a name typed by a user does not resolve (exit 2)
    │   ├── UnknownNameError      nothing matches; carries the closest names
    │   └── AmbiguousNameError    several nodes match; carries them
    ├── SettingsError             options or settings that contradict each other (exit 2)
    ├── StoreError                a store cannot be reached or refused an operation (exit 3)
    │   └── TransactionTooLargeError  a load larger than the database allows one change
    │                                 (exit 1: bad input for this server, with advice)
    ├── RegistryError             the registry of watched sources, or a record of their
    │                             evidence, is unreadable or corrupt (exit 1); names the file
    ├── SourceURLError            a URL that cannot be watched: not http(s), no host (exit 2)
    └── FetchError                a watched source could not be fetched or read (exit 3)

Driver exceptions (neo4j) are translated into ``StoreError`` inside the store module, so
queries and the CLI only ever see these classes.
"""

from __future__ import annotations

from dataflyt.citation import format_place

__all__ = [
    "AmbiguousNameError",
    "DataflytError",
    "FetchError",
    "LoadError",
    "MapFileError",
    "NameError_",
    "RegistryError",
    "RenderError",
    "SettingsError",
    "SourceURLError",
    "StoreError",
    "TransactionTooLargeError",
    "UnknownNameError",
    "UnknownProviderError",
]


class DataflytError(Exception):
    """Base class of every error dataflyt raises on purpose."""

    exit_code = 1


class LoadError(DataflytError):
    """A document could not be loaded: the message names file, page (documents with pages; the
    line then counts on it), line, column and field."""

    exit_code = 1

    def __init__(
        self,
        file: str,
        message: str,
        *,
        line: int | None = None,
        column: int | None = None,
        field: str | None = None,
        page: int | None = None,
    ) -> None:
        self.file = file
        self.page = page
        self.line = line
        self.column = column
        self.field = field
        self.reason = message
        super().__init__(self._render())

    def _render(self) -> str:
        where = format_place(self.file, self.line, self.page)
        if self.line is not None and self.column is not None:
            where += f":{self.column}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.reason}"


class UnknownProviderError(LoadError):
    """A document whose title or text names no provider, loaded without ``--provider``: the
    provider is never guessed from a title word such as "Appendix" or "Liste"."""

    exit_code = 2

    def __init__(self, file: str) -> None:
        super().__init__(
            file,
            "cannot tell whose document this is (it names no provider); give --provider NAME",
        )


class MapFileError(DataflytError):
    """The embedded map file exists but cannot be read as a dataflyt map."""

    exit_code = 1


class RenderError(DataflytError):
    """Graphviz is missing or could not lay out a diagram."""

    exit_code = 1


class SettingsError(DataflytError):
    """Options or settings contradict each other, such as a map file for the Neo4j store."""

    exit_code = 2


class NameError_(DataflytError):
    """A name a user typed does not resolve to exactly one node."""

    exit_code = 2

    def __init__(self, message: str, candidates: list[str]) -> None:
        self.candidates = candidates
        super().__init__(message)


class UnknownNameError(NameError_):
    """No node matches the name; ``candidates`` holds the closest names."""

    def __init__(self, kind: str, name: str, closest: list[str]) -> None:
        hint = f"; did you mean: {', '.join(closest)}?" if closest else ""
        super().__init__(f"unknown {kind} {name!r}{hint}", closest)


class AmbiguousNameError(NameError_):
    """Several nodes match the name; ``candidates`` holds them all."""

    def __init__(self, kind: str, name: str, matches: list[str]) -> None:
        shown = ", ".join(matches[:8]) + (", ..." if len(matches) > 8 else "")
        super().__init__(f"ambiguous {kind} {name!r}: it matches {shown}", matches)


class StoreError(DataflytError):
    """A store could not be reached, refused the credentials, or failed an operation."""

    exit_code = 3


class TransactionTooLargeError(StoreError):
    """The database refused a change as larger than it allows one transaction; nothing was
    written. The input is too large for this server, so it is the user's to split."""

    exit_code = 1


class RegistryError(DataflytError):
    """The registry of watched sources (or a record of their evidence) cannot be read, is
    corrupt or cannot be written; the message names the file."""

    exit_code = 1


class SourceURLError(DataflytError):
    """A URL that cannot be watched: not http or https, no host, credentials in it."""

    exit_code = 2


class FetchError(DataflytError):
    """A watched source could not be fetched, or what came back is no document dataflyt reads
    (an HTTP error, a timeout, too many redirects, over the size cap, a lying content type)."""

    exit_code = 3
