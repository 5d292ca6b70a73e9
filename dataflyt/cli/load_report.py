"""What ``load`` prints: each document and what loading it did to its versions, what the map
holds, organisations merged or moved, documents that disagree, possible duplicates with the
command that joins them, and every term the vocabulary does not know."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dataflyt.citation import format_place
from dataflyt.cli.output import console, new_table, say, where
from dataflyt.graph.model import NodeKind
from dataflyt.queries.resolve import KIND_WORDS
from dataflyt.words import counted

if TYPE_CHECKING:
    from dataflyt.ingest.compare import Statement
    from dataflyt.ingest.load import LoadedDocument, LoadReport

__all__ = ["render_load"]


def _document(doc: LoadedDocument) -> str:
    dated = f", dated {doc.date}" if doc.date else ", undated"
    services = counted(doc.services, "service")
    line = f"Loaded {doc.title} ({doc.provider}{dated}): {services} from {doc.path}"
    if doc.status == "newer" and doc.replaced is not None:
        old = doc.replaced
        line += (
            f"\n  a new version: it replaces the version in force since {old.valid_from}"
            f" (from {old.path}), which is kept as history"
        )
    elif doc.status == "history":
        line += (
            f"\n  an older version than the one in force: recorded as history, in force from "
            f"{doc.valid_from} to {doc.valid_to}"
        )
    elif doc.status == "same":
        line += "\n  the same contents as a version already in the map: its facts were read again"
    return line


def _cite(statements: list[Statement]) -> str:
    return "; ".join(f"{s.value} ({where(s.source)})" for s in statements)


def render_load(report: LoadReport) -> None:
    """Print what a load did."""
    for doc in report.documents:
        say(_document(doc))
    held = [counted(n, KIND_WORDS[NodeKind(kind)]) for kind, n in report.counts.items()]
    say("They hold " + ", ".join(held) + ".")
    if report.merges:
        merges = new_table(
            "Organisations written differently, taken as one",
            "organisation",
            "written as",
            "because",
        )
        for merge in report.merges:
            merges.add_row(merge.name, _cite(merge.spellings), merge.reason)
        console.print(merges)
    if report.moved:
        moved = new_table("Organisations in the map now taken as another", "was", "now", "because")
        for move in report.moved:
            moved.add_row(move.name, move.now_name, move.why)
        console.print(moved)
    if report.conflicts:
        conflicts = new_table("Documents that disagree", "about", "what", "they say")
        for conflict in report.conflicts:
            conflicts.add_row(
                f"{conflict.about} {conflict.name}", conflict.kind, _cite(conflict.statements)
            )
        console.print(conflicts)
    if report.duplicates:
        duplicates = new_table(
            "Possibly one organisation (kept apart)", "name", "and", "why", "to join them"
        )
        for pair in report.duplicates:
            duplicates.add_row(pair.name, pair.other, pair.reason, pair.command)
        console.print(duplicates)
    if not report.unmapped:
        say("Every term was mapped to the vocabulary.")
        return
    unmapped = new_table("Terms not in the vocabulary (kept as unmapped)", "kind", "term", "where")
    for term in report.unmapped:
        place = format_place(term.source.file, term.source.line, term.source.page)
        unmapped.add_row(term.kind, term.text, place)
    console.print(unmapped)
