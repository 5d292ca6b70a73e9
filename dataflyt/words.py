"""Wording shared by every face (the command line, the explorer): how a number of things is
said, so that the two never word one answer differently."""

from __future__ import annotations

__all__ = ["counted"]


def counted(number: int, noun: str) -> str:
    """Return ``number`` (with thousands separators) and ``noun``, plural unless it is one:
    "1 service", "1,204 services", "3 data categories", "2 legal entities"."""
    if number == 1:
        return f"1 {noun}"
    if noun.endswith("y") and not noun.endswith(("ay", "ey", "oy", "uy")):
        return f"{number:,} {noun[:-1]}ies"
    return f"{number:,} {noun}s"
