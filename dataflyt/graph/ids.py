"""Stable node ids derived from names: the same name always gives the same id, whichever
document or store it comes from (kept apart from the builder so queries import little)."""

from __future__ import annotations

from dataflyt.graph.model import NodeKind, node_id
from dataflyt.reference.legal_forms import TRAILING_LEGAL_FORM

__all__ = ["category_id", "organisation_id", "service_id"]


def organisation_id(name: str) -> str:
    """Return the node id of an organisation: case, punctuation and legal suffix ignored."""
    base = name.replace("&", " and ").strip()
    while True:
        stripped = TRAILING_LEGAL_FORM.sub("", base).strip(" ,.")
        if stripped == base or not stripped:
            break
        base = stripped
    return node_id(NodeKind.ORGANISATION, base)


def service_id(provider: str, name: str) -> str:
    """Return the node id of ``provider``'s service ``name``."""
    return node_id(NodeKind.SERVICE, organisation_id(provider).split(":", 1)[1], name)


def category_id(key: str) -> str:
    """Return the node id of the category with vocabulary key (or ``unmapped:slug``) ``key``."""
    return "category:" + key
