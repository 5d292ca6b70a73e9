"""Which document a fetched response is: the file extension the loaders tell its format by,
from the content type the server states, checked against the bytes themselves.

A PDF is known by its signature (``%PDF-``) whatever the server says; text is told from binary
by NUL bytes, which binary formats (images, archives, office files) hold and text never does.
When the stated type and the bytes disagree so that nothing can be read (a "PDF" that is an
HTML page, an "HTML page" that is an image), the response is refused: guessing would load a
login wall or garbage as the vendor's list.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from dataflyt.errors import FetchError

__all__ = ["document_extension", "document_file_name"]

_PDF = "application/pdf"
# stated types of text documents, and the extension each gets
_TEXT_TYPES = {
    "text/html": ".html",
    "application/xhtml+xml": ".html",
    "text/csv": ".csv",
    "application/csv": ".csv",
    "text/tab-separated-values": ".tsv",
    "text/markdown": ".md",
    "text/x-markdown": ".md",
}
# stated types that say nothing of the format: the URL's extension, else the content, decides
_GENERIC_TYPES = {"", "text/plain", "application/octet-stream", "binary/octet-stream"}
_URL_EXTENSIONS = {".html", ".htm", ".csv", ".tsv", ".md", ".markdown", ".txt"}
# where a PDF's signature may stand (the format allows junk before it)
_PDF_HEAD = 1024
_TEXT_HEAD = 65536
_NAME_CHARACTERS = re.compile(r"[^A-Za-z0-9._-]+")
_NAME_LENGTH = 60


def _shown(data: bytes) -> str:
    """Return the first bytes of ``data`` for a message, printable."""
    return repr("".join(chr(byte) if 32 <= byte < 127 else "." for byte in data[:16]))


def document_extension(content_type: str | None, url: str, data: bytes) -> str:
    """Return the extension (``.html``, ``.pdf``, ``.csv``, ``.tsv``, ``.md`` or ``.txt``)
    under which the loaders read ``data``, served from ``url`` as ``content_type``. Raises
    ``FetchError`` when it is no document dataflyt reads or its type lies so that it cannot
    be read."""
    stated = (content_type or "").split(";")[0].strip().lower()
    is_pdf = b"%PDF-" in data[:_PDF_HEAD]
    is_binary = not is_pdf and b"\x00" in data[:_TEXT_HEAD]
    if stated == _PDF:
        if not is_pdf:
            raise FetchError(
                f"{url}: the server says {_PDF} but sent no PDF (it starts {_shown(data)})"
            )
        return ".pdf"
    if is_pdf:
        return ".pdf"
    if stated in _TEXT_TYPES or stated in _GENERIC_TYPES:
        if is_binary:
            said = stated or "no content type"
            raise FetchError(
                f"{url}: the server says {said} but sent binary data (it starts {_shown(data)})"
            )
        if stated in _TEXT_TYPES:
            return _TEXT_TYPES[stated]
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        return suffix if suffix in _URL_EXTENSIONS else ".txt"
    raise FetchError(
        f"{url}: the server sent {stated}, not a document dataflyt reads "
        "(HTML, PDF, CSV, Markdown or plain text)"
    )


def document_file_name(url: str, extension: str) -> str:
    """Return the file name a version fetched from ``url`` is kept under: the last part of the
    URL's path (or its host), reduced to letters, digits, dots, hyphens and underscores, with
    ``extension``. The answers cite it, so it says which page it was."""
    parts = urlsplit(url)
    last = PurePosixPath(unquote(parts.path)).name or parts.hostname or "document"
    stem = _NAME_CHARACTERS.sub("-", last).strip(".-")[:_NAME_LENGTH] or "document"
    if PurePosixPath(stem).suffix.lower() in (*_URL_EXTENSIONS, ".pdf"):
        stem = PurePosixPath(stem).stem or "document"
    return stem + extension
