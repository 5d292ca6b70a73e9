"""Reading PDF documents (service annexes, sub-processor lists) into the ``TablePage`` the text
readers give, so that the annex and list loaders turn a PDF into the same document as its text.

The library is pdfplumber (MIT, on pdfminer.six): it finds tables by their ruling lines, both
drawn lines and cell borders, and gives every word with its box and font size, which citing a
page and line needs. The others weighed: PyMuPDF is faster and finds tables, but is AGPL;
camelot-py needs OpenCV and Ghostscript for ruled tables; tabula-py needs Java; pypdf and
pypdfium2 give text without table structure; pdftotext needs poppler's C library.

A PDF is untrusted input, and pdfminer decompresses and parses without bounds, so it is read
in a process of its own (``pdf_worker``, given the bytes checked and hashed here on its stdin,
so that the file is read once) under a time and memory cap: a bomb costs at most
``LIMITS.seconds`` (120 s) and ``LIMITS.memory`` (1 GiB of address space), then fails with one
line; the page limit is set so that the longest document allowed, dense with tables, is read
within the time limit. Before any page is parsed, a PDF is refused when

- it is larger than a document may be (``text.max_document_bytes``: 10 MB, or
  ``DATAFLYT_MAX_DOCUMENT_MB``), or is not a PDF (no ``%PDF-`` header);
- it is truncated: no ``%%EOF`` marker in its last 1,024 bytes;
- it declares, or its cross-reference tables hold, more than ``LIMITS.objects`` (200,000)
  objects, or its page tree counts more than ``LIMITS.pages`` (200) pages;
- it needs a password to open (a PDF with only an owner password, restricting printing or
  copying, opens as every viewer opens it).

A PDF whose pages hold no text (a scan) fails with "no text layer: run OCR first". pdfplumber
is imported only in the worker: loading text documents and every query never import it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import msgspec

from dataflyt.errors import LoadError
from dataflyt.loaders.tables import TablePage
from dataflyt.loaders.text import read_document_bytes

__all__ = ["LIMITS", "PdfLimits", "PdfSource", "is_pdf", "read_pdf"]


@dataclass(frozen=True)
class PdfLimits:
    """What reading one PDF may take: its pages, objects, seconds and bytes of memory
    (address space; enforced where the system offers resource limits). Its size in bytes is
    any document's limit (``text.max_document_bytes``)."""

    pages: int = 200
    objects: int = 200_000
    seconds: float = 120.0
    memory: int = 2**30


LIMITS = PdfLimits()
# the worker's exit code for a PDF it refuses (its one-line reason on stderr)
REFUSED = 2
_HEADER = b"%PDF-"


@dataclass(frozen=True)
class PdfSource:
    """A PDF read as tables and text: its path, content hash and what its pages hold."""

    path: str
    sha256: str
    page: TablePage


def is_pdf(path: Path) -> bool:
    """Return True when ``path`` is named ``.pdf`` or starts with a PDF's header."""
    if path.suffix.lower() == ".pdf":
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(1024).lstrip().startswith(_HEADER)
    except OSError:
        return False


def _read_bytes(path: Path) -> bytes:
    """Return the PDF's bytes; raise ``LoadError`` unless it is a whole PDF within a
    document's size limit."""
    data = read_document_bytes(path)
    if _HEADER not in data[:1024]:
        raise LoadError(str(path), "is not a PDF (no %PDF- header)")
    if b"%%EOF" not in data[-1024:]:
        raise LoadError(str(path), "is truncated or damaged: the PDF has no end-of-file marker")
    return data


def read_pdf(path: Path, limits: PdfLimits = LIMITS) -> PdfSource:
    """Return the tables and text of the PDF at ``path``; raise ``LoadError`` naming the file
    when it cannot be read, is refused (see the module's docstring) or has no text layer."""
    data = _read_bytes(path)
    name = str(path)
    package_root = str(Path(__file__).resolve().parents[2])
    environment = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])),
    }
    command = [
        sys.executable,
        "-m",
        "dataflyt.loaders.pdf_worker",
        msgspec.json.encode(asdict(limits)).decode(),
    ]
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=limits.seconds,
            env=environment,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise LoadError(
            name, f"reading took longer than {limits.seconds:g} s (a PDF bomb?); refused"
        ) from None
    if done.returncode == 0:
        page = msgspec.json.decode(done.stdout, type=TablePage)
        return PdfSource(name, hashlib.sha256(data).hexdigest(), page)
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    last = "".join(ch if ch.isprintable() else "?" for ch in said[-1])[:200] if said else ""
    if done.returncode == REFUSED and last:
        raise LoadError(name, last)
    if done.returncode < 0:
        raise LoadError(name, f"the PDF reader was killed by signal {-done.returncode}; refused")
    raise LoadError(name, f"the PDF reader failed (exit {done.returncode}): {last or 'no reason'}")
