"""Telling whose document it is from its title, without guessing.

A title states its provider when, besides the words that say what kind of document it is
("Sub-processors", "Tjenestebeskrivelse", "Appendix 2") and words any such page carries
("Policy", "Trust Center", "Liste over godkendte"), a name is left: "Zendesk Sub-processors",
"Sub-processors | Slack", "Slack's sub-processors", "PHONERO TJENESTEBESKRIVELSE". A title made
only of such words ("Liste over godkendte underdatabehandlere", "Appendix 2 - Sub Processors",
"List of Sub-processors Denmark, Norway, Sweden") names no provider.
"""

from __future__ import annotations

import re

from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.vocabulary import fold

__all__ = ["ANNEX_WORDS", "LIST_WORDS", "provider_in_title"]

LIST_WORDS = re.compile(
    r"\b(?:sub-?\s?processors?|sub-?\s?processing|underleverand(?:ø|o)rer|underleverand(?:ø|o)r|"
    r"underdatabehandlere|underdatabehandler|underbiträden|underbiträde|underleverantörer|"
    r"unterauftragsverarbeiter|sub-?contractors?|third[- ]party\s+(?:sub-?processors|"
    r"service\s+providers|entities))\b",
    re.I,
)
ANNEX_WORDS = re.compile(
    r"\b(?:tjenestebeskrivelse|tjenesteoversikt|tjenestebeskrivelser|ydelsesbeskrivelse|"
    r"tjänstebeskrivning|leistungsbeschreibung|databehandleravtale|databehandleraftale|"
    r"personuppgiftsbiträdesavtal|service\s+descriptions?|services?\s+overview|"
    r"data\s+processing\s+(?:agreement|addendum)|description\s+of\s+(?:the\s+)?processing)\b",
    re.I,
)
# words any list or annex page may carry besides its provider's name (folded)
_GENERIC_WORDS = """
    list liste lista listing overview oversikt oversigt översikt current our the of for and og
    av af hos för med used by brukt anvendte page gdpr policy policies help centre center
    trust legal privacy security compliance documentation docs terms approved godkendte
    godkjente godkända godkjent authorised authorized archived updated version appendix annex
    schedule exhibit attachment bilag bilaga vedlegg anlage anhang underbilaga data processing
    processor processors agreement addendum dpa information third party parties entities
    vendors suppliers service services providers affiliates subsidiaries infrastructure new
    all in to til till i a an en et der die das von über samt home welcome nordic group
    customer customers kunder vores vår våre våra unsere
"""
_GENERIC = frozenset(_GENERIC_WORDS.split())
_SEPARATORS = re.compile(r"\s+[|\u2013\u2014:-]\s+|\s*[|:()]\s*")
_POSSESSIVE = re.compile(r"['\u2019]s?\b")
_WORD = re.compile(r"[^\W_][\w&.+-]*", re.U)


def _name_in(part: str, kind: re.Pattern[str]) -> str | None:
    """Return the name ``part`` states beside its kind words: before them ("GitHub
    Subprocessors and Cookies"), else after them ("Underleverandører for Phonero"); a part
    without kind words may be a name whole."""
    found = list(kind.finditer(part))
    if not found:
        return _name_left(part)
    return _name_left(part[: found[0].start()]) or _name_left(part[found[-1].end() :])


def _name_left(text: str) -> str | None:
    """Return what is left of ``text`` as a name once generic words, numbers and places are
    taken out; None when nothing that reads as a name is left."""
    text = _POSSESSIVE.sub(" ", text)
    words = [w.strip(".") for w in _WORD.findall(text)]
    kept = [
        w
        for w in words
        if w
        and fold(w) not in _GENERIC
        and not w.isdigit()
        and not re.fullmatch(r"[ivxIVX]{1,4}|[A-Za-z]", w)
    ]
    if not kept or not any(w[0].isupper() or w[0].isdigit() for w in kept):
        return None
    name = " ".join(kept)
    if all(resolve_place(w) is not None for w in re.split(r",?\s+", name)):
        return None
    if name.isupper() and len(name) > 3:
        name = " ".join(w if len(w) <= 3 else w.capitalize() for w in name.split())
    return name


def provider_in_title(title: str, kind: re.Pattern[str] = LIST_WORDS) -> str | None:
    """Return the provider a title states ("Zendesk Sub-processors | Zendesk Trust Center" ->
    "Zendesk"), or None: the title must say what kind of document it is (``kind``: list words
    or annex words) and name something besides."""
    if not kind.search(title):
        return None
    parts = [p for p in _SEPARATORS.split(title) if p and p.strip()]
    for part in sorted(parts, key=lambda p: kind.search(p) is None):
        name = _name_in(part, kind)
        if name:
            return name
    return None
