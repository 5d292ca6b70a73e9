"""The transfer safeguards documents state (GDPR Art. 46 and the adequacy decisions): each
by a key, with the name shown to a reader and the ways documents write it."""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["SAFEGUARDS", "safeguard_names"]

# safeguard key -> (label, the ways documents write it, folded)
SAFEGUARDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "scc": (
        "Standard Contractual Clauses",
        (
            "standard contractual clauses",
            "eu standard contractual clauses",
            "sccs",
            "scc",
            "eu sccs",
            "model clauses",
            "eu model clauses",
            "standard data protection clauses",
            "standardkontraktsklausuler",
            "standard kontraktsklausuler",
            "standardavtaler",
            "eus standardavtaler",
            "standardavtalsklausuler",
            "standardklausuler",
            "standardkontraktbestemmelser",
        ),
    ),
    "adequacy": (
        "Adequacy decision",
        (
            "adequacy",
            "adequacy decision",
            "eu adequacy decision",
            "tilstrekkelighetsbeslutning",
            "adekvansbeslutning",
            "adekvansbeslut",
            "beslutning om tilstrekkelig beskyttelsesnivå",
        ),
    ),
    "bcr": (
        "Binding Corporate Rules",
        (
            "binding corporate rules",
            "bcr",
            "bcrs",
            "bindende virksomhetsregler",
            "bindande företagsbestämmelser",
        ),
    ),
    "dpf": (
        "EU-US Data Privacy Framework",
        (
            "eu-us data privacy framework",
            "eu-u.s. data privacy framework",
            "data privacy framework",
            "eu-us dpf",
            "dpf",
        ),
    ),
    "privacy_shield": (
        "EU-US Privacy Shield (invalid since 2020)",
        ("eu-us privacy shield", "eu-u.s. privacy shield", "privacy shield"),
    ),
}


def safeguard_names(keys: Iterable[str]) -> list[str]:
    """Return the names of the safeguards with these keys, as a reader is shown them
    ("scc" -> "Standard Contractual Clauses"); a key not known stays as it is."""
    return [SAFEGUARDS[key][0] if key in SAFEGUARDS else key for key in keys]
