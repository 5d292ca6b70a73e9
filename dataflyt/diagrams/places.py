"""Where the services and organisations of a scope process data, each place with its status
under GDPR Chapter V (inside the EEA, adequacy, safeguards needed, not pinned down) and the
sentence that says so."""

from __future__ import annotations

from collections.abc import Iterable

import msgspec

from dataflyt.graph.model import Direction, EdgeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import Cite, cite
from dataflyt.queries.transfers import standing
from dataflyt.reference.jurisdictions import TransferStatus

__all__ = ["PlaceRow", "place_rows"]


class PlaceRow(msgspec.Struct, kw_only=True):
    """One place where a service or organisation processes data, and how it stands."""

    holder: str
    place: str
    code: str
    status: TransferStatus
    status_text: str
    decision: str | None = None
    condition: str | None = None
    exhaustive: bool
    note: str | None = None
    source: Cite


def place_rows(store: GraphStore, holders: Iterable[str]) -> dict[str, list[PlaceRow]]:
    """Return the places of each service or organisation id in ``holders`` (those with none
    are left out), each list sorted by place name."""
    edges = store.edges(sorted(set(holders)), Direction.OUT, [EdgeKind.PROCESSED_IN])
    nodes = store.get_nodes(
        {e.source for e in edges} | {e.target for e in edges} | {e.doc for e in edges}
    )
    rows: dict[str, list[PlaceRow]] = {}
    for edge in edges:
        node = nodes[edge.target]
        status, decision = standing(node)
        rows.setdefault(edge.source, []).append(
            PlaceRow(
                holder=nodes[edge.source].name,
                place=node.name,
                code=str(node.attrs["code"]),
                status=status,
                status_text=TransferStatus(status).description,
                decision=decision["decision"] if decision else None,
                condition=decision.get("condition") if decision else None,
                exhaustive=bool(edge.attrs.get("exhaustive", True)),
                note=edge.attrs.get("note"),
                source=cite(edge, nodes),
            )
        )
    return {
        holder: sorted(found, key=lambda r: (r.place.casefold(), r.code))
        for holder, found in rows.items()
    }
