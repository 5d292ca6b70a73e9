"""Which version of each document is in force on a date: a version is in force from its
``valid_from`` until the next version's date (``valid_to``), the latest one until a newer is
loaded. The same rule for every store."""

from __future__ import annotations

from collections.abc import Iterable

from dataflyt.graph.model import Document

__all__ = ["in_force", "versions_in_force"]


def in_force(version: Document, as_of: str | None) -> bool:
    """Return whether ``version`` is in force on ``as_of`` (YYYY-MM-DD); without a date,
    whether it is the latest version of its document."""
    if as_of is None:
        return version.valid_to is None
    return version.valid_from <= as_of and (version.valid_to is None or as_of < version.valid_to)


def versions_in_force(versions: Iterable[Document], as_of: str | None) -> set[str]:
    """Return the ids of the versions in force on ``as_of`` (the latest ones without a date)."""
    return {version.id for version in versions if in_force(version, as_of)}
