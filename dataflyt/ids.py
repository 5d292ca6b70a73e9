"""Stable node ids derived from names: the same name always gives the same id, whichever
document or store it comes from. Loaders, the load workflow, the stores and the queries all use
these rules, so this module imports nothing of theirs."""

from __future__ import annotations

import re
import unicodedata

from dataflyt.reference.legal_forms import without_legal_form

__all__ = [
    "category_id",
    "country_id",
    "document_id",
    "organisation_id",
    "service_id",
    "slug",
    "subject_id",
]


def slug(text: str) -> str:
    """Return a lower-case ASCII-ish key for ``text``: stable, readable, never empty."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = folded.replace("æ", "ae").replace("ø", "o").replace("å", "a")
    ascii_text = unicodedata.normalize("NFKD", folded).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if key:
        return key
    # names written only in other scripts still get a stable key
    return "u" + "-".join(f"{ord(ch):x}" for ch in folded if not ch.isspace())[:60]


def _node_id(prefix: str, *parts: str) -> str:
    return prefix + ":" + "/".join(slug(part) for part in parts)


def organisation_id(name: str) -> str:
    """Return the node id of an organisation: case, punctuation and legal suffix ignored."""
    return _node_id("org", without_legal_form(name.replace("&", " and ")))


def service_id(provider: str, name: str) -> str:
    """Return the node id of ``provider``'s service ``name``."""
    return _node_id("service", organisation_id(provider).split(":", 1)[1], name)


def category_id(key: str) -> str:
    """Return the node id of the category with vocabulary key (or ``unmapped:slug``) ``key``."""
    return "category:" + key


def subject_id(key: str) -> str:
    """Return the node id of the data subject with vocabulary key ``key``."""
    return _node_id("subject", key)


def country_id(code: str) -> str:
    """Return the node id of the country or region with code ``code`` (ISO 3166-1 or a region
    key such as EEA)."""
    return _node_id("country", code)


def document_id(provider: str, title: str) -> str:
    """Return the node id of ``provider``'s document titled ``title``."""
    return _node_id("document", provider, title)
