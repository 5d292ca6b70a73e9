"""Reading a document's bytes as text: UTF-8 (with or without BOM) or Windows-1252,
with any line ends."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from dataflyt.errors import LoadError

__all__ = ["SourceText", "read_document_bytes", "read_source"]

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


def read_document_bytes(path: Path, limit: int | None = None) -> bytes:
    """Return the bytes of the document at ``path``; raise ``LoadError`` for a folder, a
    missing, unreadable or empty file, or one larger than ``limit`` bytes."""
    name = str(path)
    if path.is_dir():
        raise LoadError(name, "is a directory, not a document")
    try:
        size = path.stat().st_size
        if limit is not None and size > limit:
            raise LoadError(
                name, f"is {size / 2**20:.0f} MB, more than the {limit / 2**20:.0f} MB allowed"
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise LoadError(name, "no such file") from None
    except OSError as exc:
        raise LoadError(name, f"cannot read: {exc.strerror or exc}") from None
    if not data.strip():
        raise LoadError(name, "the file is empty")
    return data


def read_source(path: Path) -> SourceText:
    """Return the text of ``path``; raise ``LoadError`` for missing, empty or binary files."""
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
