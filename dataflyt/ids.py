"""Stable node ids derived from names: the same name always gives the same id, whichever
document or store it comes from. Loaders, the load workflow, the stores and the queries all use
these rules, so this module imports nothing of theirs.

An id is injective on what it identifies: two names that differ once case, spacing (runs of
spaces, hyphens and underscores) and, for organisations, the legal form's spelling are
normalised get two ids. Letters and digits of every script are kept as they are; where a name
holds other characters ("Mobil+", "mail/Chat"), which a readable key leaves out, the key ends in
``~`` and the first eight hex digits of the SHA-256 of the whole normalised name.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from dataflyt.reference.legal_forms import TRAILING_LEGAL_FORM

__all__ = [
    "KIND_PREFIXES",
    "bare_name",
    "category_id",
    "country_id",
    "document_identity",
    "document_version_id",
    "legal_form",
    "normalised",
    "organisation_id",
    "service_id",
    "slug",
    "subject_id",
]

# the prefix of the ids of each node kind (by the kind's name in ``graph.model.NodeKind``)
KIND_PREFIXES = {
    "Service": "service",
    "Organisation": "org",
    "DataCategory": "category",
    "DataSubject": "subject",
    "Country": "country",
    "Document": "document",
}
_SPACING = re.compile(r"[\s\-_]+")
# legal forms written several ways, by the key an id carries
_FORM_KEYS = {
    "incorporated": "inc",
    "limited": "ltd",
    "corporation": "corp",
    "company": "co",
    "a/s": "as",
    "s.a.r.l": "sarl",
    "s.p.a": "spa",
    "s.à r.l": "sarl",
    "s.àr.l": "sarl",
}


# a load meets the same few thousand names again and again: keys are remembered, within bounds
@lru_cache(maxsize=1 << 16)
def normalised(text: str) -> str:
    """Return ``text`` as names are compared: NFKC, case folded, spacing made one hyphen."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _SPACING.sub("-", folded).strip("-")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """Return the key of ``text`` in ids: its normalised form, letters and digits of any
    script kept; where other characters were left out, a digest of the normalised form is
    added so that the key still tells the name apart from every other."""
    name = normalised(text)
    key = "".join(ch for ch in name if ch.isalnum() or ch == "-")
    key = re.sub(r"-{2,}", "-", key).strip("-")
    if key == name and key:
        return key
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{key}~{digest}" if key else f"~{digest}"


def _id(prefix: str, *parts: str) -> str:
    return prefix + ":" + "/".join(slug(part) for part in parts)


def legal_form(name: str) -> tuple[str, str | None]:
    """Return ``name`` without its trailing legal forms ("Zendesk, Inc." -> "Zendesk"), and
    the forms as one key ("inc", "pty-ltd"), or None when it has none."""
    base = name.replace("&", " and ").strip()
    forms: list[str] = []
    while True:
        match = TRAILING_LEGAL_FORM.search(base)
        stripped = base[: match.start()].strip(" ,.") if match else base
        if match is None or not stripped:
            break
        form = match.group(0).strip(" ,.").casefold()
        forms.insert(0, _FORM_KEYS.get(form, form.replace(".", "")))
        base = stripped
    return base, "-".join(forms) or None


def bare_name(name: str) -> str:
    """Return an organisation's name as it is compared with its legal form set aside
    ("Zendesk, Inc." and "zendesk" alike)."""
    return normalised(legal_form(name)[0])


def organisation_id(name: str) -> str:
    """Return the node id of the organisation ``name``: its name without the legal form, and
    the legal form's key after a dot ("Zendesk, Inc." and "ZENDESK INC" are
    ``org:zendesk.inc``, "GitHub B.V." is ``org:github.bv``, "Zendesk" is ``org:zendesk``)."""
    base, form = legal_form(name)
    return _id("org", base) + (f".{slug(form)}" if form else "")


def service_id(provider: str, name: str) -> str:
    """Return the node id of the service ``name`` of the organisation named ``provider``: the
    provider's name without its legal form, then the service's ("service:phonero/mobilt-...");
    a new spelling of the provider keeps its services' ids."""
    return _id("service", legal_form(provider)[0], name)


def category_id(key: str) -> str:
    """Return the node id of the category with vocabulary key (or ``unmapped:slug``) ``key``."""
    return "category:" + key


def subject_id(key: str) -> str:
    """Return the node id of the data subject with vocabulary key ``key``."""
    return _id("subject", key)


def country_id(code: str) -> str:
    """Return the node id of the country or region with code ``code`` (ISO 3166-1 or a region
    key such as EEA)."""
    return _id("country", code)


def document_identity(provider: str, title: str, about: str | None = None) -> str:
    """Return the id of a document across its versions: its provider, its title and the
    service it is about when one was named."""
    return _id("document", provider, title, *([about] if about else []))


def document_version_id(identity: str, sha256: str, back_from: str | None = None) -> str:
    """Return the node id of the version of document ``identity`` with these contents; for
    contents that come back after another version, ``back_from`` is the day they did."""
    return f"{identity}@{sha256[:12]}" + (f"~{back_from}" if back_from else "")
