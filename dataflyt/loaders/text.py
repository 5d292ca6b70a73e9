"""Reading a document's bytes, no more than a document's size limit (``read_document_bytes``,
for PDFs too), and a text document's bytes as text: UTF-8 (with or without BOM) or
Windows-1252, with any line ends.

The limit, ``DEFAULT_MAX_DOCUMENT_MB`` megabytes (of 1,000,000 bytes) unless the environment
variable ``DATAFLYT_MAX_DOCUMENT_MB`` sets another, lies far above any real annex or
sub-processor list (they are kilobytes; the largest data maps a few megabytes) and low enough
that a load of a document that large stays within 1 GB of memory: a load needs some sixty
times a document's size. A larger document is refused before it is read, and no more than
the limit is ever read from a pipe or device."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from dataflyt.errors import LoadError, SettingsError

__all__ = [
    "DEFAULT_MAX_DOCUMENT_MB",
    "SourceText",
    "max_document_bytes",
    "read_document_bytes",
    "read_source",
]

DEFAULT_MAX_DOCUMENT_MB = 10
_LIMIT_VARIABLE = "DATAFLYT_MAX_DOCUMENT_MB"

# control characters that never occur in a text document (tab, newline, return and form feed do)
_BINARY_BYTES = (
    bytes(range(0, 9)) + b"\x0b\x0e\x0f" + bytes(range(0x10, 0x1B)) + b"\x1c\x1d\x1e\x1f"
)


@dataclass(frozen=True)
class SourceText:
    """A document read as text: its path, decoded text, encoding and content hash."""

    path: str
    text: str
    encoding: str
    sha256: str

    @property
    def lines(self) -> list[str]:
        """Return the lines, numbered from 1 by their index + 1, without line ends."""
        return self.text.split("\n")


def max_document_bytes() -> int:
    """Return the most bytes a document may hold: ``DATAFLYT_MAX_DOCUMENT_MB`` megabytes, or
    ``DEFAULT_MAX_DOCUMENT_MB``; raise ``SettingsError`` for a value that is no positive
    number."""
    value = os.environ.get(_LIMIT_VARIABLE, "").strip()
    if not value:
        return DEFAULT_MAX_DOCUMENT_MB * 1_000_000
    try:
        megabytes = float(value)
    except ValueError:
        megabytes = 0.0
    if not 0 < megabytes < float("inf"):
        raise SettingsError(f"{_LIMIT_VARIABLE}={value!r} is not a number of megabytes above 0")
    return int(megabytes * 1_000_000)


def _too_large(size: int | None, limit: int) -> str:
    """Return why a document of ``size`` bytes (None: more than ``limit``) is refused."""
    held = f"is {size:,} bytes, more than" if size is not None else "holds more than"
    return (
        f"{held} the {limit / 1_000_000:g} MB a document may be: split it, or set "
        f"{_LIMIT_VARIABLE} to a larger limit"
    )


def read_document_bytes(path: Path) -> bytes:
    """Return the bytes of the document at ``path`` (text or PDF); raise ``LoadError`` for a
    folder, a missing, unreadable or empty file, or one larger than ``max_document_bytes``,
    a large one before reading it."""
    name = str(path)
    limit = max_document_bytes()
    if path.is_dir():
        raise LoadError(name, "is a directory, not a document")
    try:
        with path.open("rb") as stream:
            size = os.fstat(stream.fileno()).st_size
            if size > limit:
                raise LoadError(name, _too_large(size, limit))
            # a pipe, a device or /proc says no size: read up to the limit, and one byte more
            data = stream.read((size or limit) + 1)
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise LoadError(name, _too_large(None, limit))
    if not data.strip():
        raise LoadError(name, "the file is empty")
    return data


def read_source(path: Path) -> SourceText:
    """Return the text of ``path``; raise ``LoadError`` for missing, empty, binary or too
    large files (``read_document_bytes``)."""
    name = str(path)
    data = read_document_bytes(path)
    if any(byte in _BINARY_BYTES for byte in data[:65536]):
        raise LoadError(name, "is a binary file, not a text document")
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        # Norwegian documents saved from older office tools are Windows-1252
        text, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(name, text, encoding, hashlib.sha256(data).hexdigest())
