"""How long work reports its progress: the library calls a ``Progress`` and never prints; the
command line draws the calls as a bar (``cli_progress``)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Progress", "silent"]


class Progress(Protocol):
    """Something told that ``done`` of ``total`` steps are finished and ``step`` is next."""

    def __call__(self, step: str, done: int, total: int) -> None:
        """Take note of the progress; return nothing."""
        ...


def silent(step: str, done: int, total: int) -> None:
    """Ignore progress: the default for library calls. Returns None."""
