"""The controller: the user's own organisation, on whose behalf the services a data map lists
process personal data. A data map names it once (its ``controller`` block, with contacts);
without one, the name given in the settings stands in, without contacts or source."""

from __future__ import annotations

import msgspec

from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import DescribedIn, Direction, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore

__all__ = ["Controller", "controllers"]


class Controller(msgspec.Struct, kw_only=True, frozen=True):
    """The user's own organisation as the controller: its name, how to reach it and its data
    protection officer (None where not stated), its node id and where it is named (None for
    a name from the settings)."""

    name: str
    contact: str | None = None
    dpo_contact: str | None = None
    id: str | None = None
    source: Citation | None = None


def controllers(store: GraphStore, fallback: str | None = None) -> list[Controller]:
    """Return the organisations a document in force names as the controller (a data map's
    ``controller`` block), sorted by name, each contact from the first document stating
    one; without any, the organisation named ``fallback`` (from the settings), or none."""
    orgs = [n.id for n in store.nodes(NodeKind.ORGANISATION)]
    marked = [
        e
        for e in store.edges(orgs, Direction.OUT, [EdgeKind.DESCRIBED_IN])
        if isinstance(e, DescribedIn) and e.controller
    ]
    if not marked:
        return [Controller(name=fallback)] if fallback else []
    nodes = store.get_nodes({e.source for e in marked} | {e.doc for e in marked})
    by_org: dict[str, list[DescribedIn]] = {}
    for edge in marked:
        by_org.setdefault(edge.source, []).append(edge)
    found = [
        Controller(
            name=nodes[org].name,
            contact=next((e.contact for e in said if e.contact), None),
            dpo_contact=next((e.dpo_contact for e in said if e.dpo_contact), None),
            id=org,
            source=cite(said[0], nodes),
        )
        for org, said in by_org.items()
    ]
    return sorted(found, key=lambda c: (c.name.casefold(), c.id or ""))
