"""What ``history`` prints: each document's versions, oldest first, when each was in force,
its file, and the changes it made (as ``diff`` shows them)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataflyt.cli.diff import render_diff
from dataflyt.cli.output import console, new_table, say

if TYPE_CHECKING:
    from dataflyt.queries.history import History

__all__ = ["render_history"]


def render_history(found: History) -> None:
    """Print every document's versions and what each changed."""
    if not found.documents:
        say("No document has been loaded.")
        return
    for document in found.documents:
        table = new_table(
            f"{document.title} ({document.provider}): {len(document.versions)} versions",
            "in force",
            "dated",
            "file",
            "contents (SHA-256)",
        )
        for entry in document.versions:
            version = entry.version
            until = f"until {version.valid_to}" if version.valid_to else "today"
            table.add_row(
                f"from {version.valid_from} {until}",
                version.date or "undated",
                version.path,
                version.sha256[:12],
            )
        console.print(table)
        for entry in document.versions:
            if entry.changes is not None:
                say(f"What the version in force from {entry.version.valid_from} changed:", "bold")
                console.print(*render_diff(entry.changes))
