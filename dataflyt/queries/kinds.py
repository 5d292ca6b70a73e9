"""The node kinds the CLI accepts, as people name them (kept free of heavy imports so the CLI
can build its arguments without loading the query machinery)."""

from __future__ import annotations

from enum import StrEnum

from dataflyt.graph.model import NodeKind

__all__ = ["ListKind", "NodeKindOption"]


class ListKind(StrEnum):
    """The node kinds ``list`` accepts, as people name them."""

    SERVICES = "services"
    ORGANISATIONS = "organisations"
    CATEGORIES = "categories"
    SUBJECTS = "subjects"
    COUNTRIES = "countries"
    DOCUMENTS = "documents"


class NodeKindOption(StrEnum):
    """The kinds ``show --kind`` accepts, as people name them."""

    SERVICE = "service"
    ORGANISATION = "organisation"
    CATEGORY = "category"
    SUBJECT = "subject"
    COUNTRY = "country"

    @property
    def node_kind(self) -> NodeKind:
        """Return the graph's node kind of this option (the member of the same name)."""
        return NodeKind[self.name]
