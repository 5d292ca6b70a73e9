"""The PDF reading worker: ``python -m dataflyt.loaders.pdf_worker LIMITS`` reads one PDF from
stdin under a memory cap and writes its ``TablePage`` as JSON to stdout.

``read_pdf`` runs it in a process of its own, so that what a hostile PDF makes pdfminer do
(decompress without bound, recurse deeply, parse for minutes) ends with the process. A PDF it
refuses or cannot parse exits with ``REFUSED`` and one line on stderr saying why. This module
is only ever run, never imported, so it loads pdfplumber as it starts.
"""

from __future__ import annotations

import logging
import sys
import zlib

import msgspec

from dataflyt.loaders.pdf import REFUSED, PdfLimits
from dataflyt.loaders.pdf_layout import PdfRefused, read_layout


def _cap_memory(limit: int) -> None:
    """Limit this process's address space to ``limit`` bytes (or the lower limit already set),
    where the system allows it."""
    try:
        import resource
    except ImportError:  # not on Unix: the time limit still holds
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split())[:160]
    return "".join(ch if ch.isprintable() else "?" for ch in text) or type(error).__name__


def _reason(error: BaseException, limits: PdfLimits) -> str:
    """Return why reading failed, from pdfminer's error (which pdfplumber may wrap)."""
    cause = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    # zlib says "Unable to allocate output buffer" where Python raises MemoryError
    if isinstance(cause, MemoryError) or (
        isinstance(cause, zlib.error) and "allocate" in str(cause)
    ):
        return f"needs more than {limits.memory / 2**20:.0f} MB of memory to read; refused"
    if isinstance(cause, RecursionError):
        return "is nested too deeply to read; refused"
    return f"not a readable PDF: {_one_line(cause)}"


def main(arguments: list[str]) -> int:
    """Read the PDF on stdin within the limits ``arguments`` gives; return the process's exit
    code."""
    limits = msgspec.json.decode(arguments[0], type=PdfLimits)
    _cap_memory(limits.memory)  # once the libraries are loaded: the cap is for the reading
    data = sys.stdin.buffer.read()
    # pdfminer logs what it repairs; stderr carries only the reason for a refusal
    logging.disable(logging.CRITICAL)
    try:
        page = read_layout(data, limits)
    except PdfRefused as refused:
        reason = str(refused)
    except Exception as error:  # pdfminer raises many kinds on a damaged file
        reason = _reason(error, limits)
    else:
        sys.stdout.buffer.write(msgspec.json.encode(page))
        return 0
    sys.stderr.write(reason + "\n")
    return REFUSED


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
