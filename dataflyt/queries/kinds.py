"""The node kinds ``list`` accepts, as people name them (kept free of heavy imports so the
CLI can build its arguments without loading the query machinery)."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["ListKind"]


class ListKind(StrEnum):
    """The node kinds ``list`` accepts, as people name them."""

    SERVICES = "services"
    ORGANISATIONS = "organisations"
    CATEGORIES = "categories"
    SUBJECTS = "subjects"
    COUNTRIES = "countries"
    DOCUMENTS = "documents"
