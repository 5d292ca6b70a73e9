"""Countries and regions: names in several languages (pycountry), EEA membership and the
EU adequacy decisions kept as dated data in ``jurisdictions.json``."""

from __future__ import annotations

import gettext
import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from dataflyt.reference.vocabulary import fold

__all__ = [
    "Place",
    "TransferStatus",
    "adequacy",
    "country_name",
    "is_eea",
    "resolve_place",
    "supervisory_authority",
    "transfer_status",
]

# languages whose country names documents are written in, besides English
_LANGUAGES = ("nb", "nn", "da", "sv", "de", "fr", "fi", "is")
# everyday names pycountry does not list under these spellings
_EXTRA_NAMES = {
    "usa": "US",
    "us": "US",
    "u.s.": "US",
    "u.s.a.": "US",
    "united states of america": "US",
    "amerika": "US",
    "uk": "GB",
    "england": "GB",
    "great britain": "GB",
    "storbritannia": "GB",
    "britain": "GB",
    "sør-korea": "KR",
    "south korea": "KR",
    "korea": "KR",
    "holland": "NL",
    "russland": "RU",
    "russia": "RU",
    "ryssland": "RU",
    "förenta staterna": "US",
    "amerikas förenta stater": "US",
    "forente stater": "US",
    "amerikas forente stater": "US",
    "de forenede stater": "US",
    "amerikas forenede stater": "US",
    "nederlandene": "NL",
    "turkey": "TR",
    "tyrkiet": "TR",
    "uae": "AE",
    "republic of ireland": "IE",
    "northern ireland": "GB",
    "scotland": "GB",
    "wales": "GB",
}
# an article before a name: "the Netherlands", "the United States"
_ARTICLE = re.compile(r"^the\s+")


class TransferStatus(StrEnum):
    """Where a flow's country stands under GDPR Chapter V."""

    EEA = "inside_eea"
    ADEQUACY = "adequacy"
    CONDITIONAL_ADEQUACY = "adequacy_if_condition_met"
    NEEDS_SAFEGUARDS = "needs_art46_safeguards"
    NOT_PINNED_DOWN = "not_pinned_down"

    @property
    def label(self) -> str:
        """Return the short wording for tables, e.g. "needs Art. 46 safeguards"."""
        return _STATUS_WORDING[self][0]

    @property
    def description(self) -> str:
        """Return the full sentence for reports and diagrams, naming the GDPR article."""
        return _STATUS_WORDING[self][1]


# short label for tables, full wording for reports
_STATUS_WORDING = {
    TransferStatus.EEA: ("inside the EEA", "Inside the EEA"),
    TransferStatus.ADEQUACY: (
        "adequacy decision",
        "Third country with an adequacy decision (Art. 45)",
    ),
    TransferStatus.CONDITIONAL_ADEQUACY: (
        "adequacy only if the condition is met",
        "Third country: adequacy only if its condition is met",
    ),
    TransferStatus.NEEDS_SAFEGUARDS: (
        "needs Art. 46 safeguards",
        "Third country without adequacy: Art. 46 safeguards needed",
    ),
    TransferStatus.NOT_PINNED_DOWN: ("not pinned down", "Not pinned down to a country"),
}


@dataclass(frozen=True)
class Place:
    """A resolved location: an ISO country (``code``) or a region such as the EEA."""

    code: str
    name: str
    is_region: bool = False


@cache
def _data() -> dict[str, Any]:
    text = resources.files("dataflyt.reference").joinpath("jurisdictions.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


@cache
def _country_names() -> dict[str, str]:
    """Return folded country name -> alpha-2, in English and the languages above."""
    import pycountry

    names: dict[str, str] = {}
    translations = [
        gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)
        for lang in _LANGUAGES
    ]
    for country in pycountry.countries:
        code = country.alpha_2
        english = [
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        for name in filter(None, english):
            names.setdefault(fold(name), code)
            for translation in translations:
                names.setdefault(fold(translation.gettext(name)), code)
        names.setdefault(fold(code), code)
        names.setdefault(fold(country.alpha_3), code)
    for name, code in _EXTRA_NAMES.items():
        names.setdefault(name, code)
    return names


@cache
def _regions() -> dict[str, Place]:
    found: dict[str, Place] = {}
    for region in _data()["regions"]:
        place = Place(region["key"], region["name"], is_region=True)
        for synonym in region["synonyms"]:
            found[fold(synonym)] = place
    return found


def resolve_place(text: str) -> Place | None:
    """Return the country or region ``text`` names (any language pycountry knows), or None."""
    folded = _ARTICLE.sub("", fold(text).strip(" ."))
    if folded in _regions():
        return _regions()[folded]
    code = _country_names().get(folded)
    return None if code is None else Place(code, country_name(code))


def country_name(code: str) -> str:
    """Return the English short name of the ISO 3166-1 alpha-2 ``code``."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    return str(getattr(country, "common_name", None) or country.name)


def is_eea(code: str) -> bool:
    """Return True when ``code`` is an EEA member state (EU, Iceland, Liechtenstein, Norway)."""
    return code in _data()["eea"]


def adequacy(code: str) -> dict[str, str] | None:
    """Return the adequacy decision covering ``code`` (decided, decision, condition), or None."""
    for decision in _data()["adequacy"]:
        if decision["code"] == code:
            return dict(decision)
    return None


def transfer_status(place: Place) -> TransferStatus:
    """Return how a flow to ``place`` stands: inside the EEA, adequacy, or safeguards needed."""
    if place.is_region:
        return TransferStatus.EEA if place.code == "EEA" else TransferStatus.NOT_PINNED_DOWN
    if is_eea(place.code):
        return TransferStatus.EEA
    decision = adequacy(place.code)
    if decision is None:
        return TransferStatus.NEEDS_SAFEGUARDS
    return (
        TransferStatus.CONDITIONAL_ADEQUACY if "condition" in decision else TransferStatus.ADEQUACY
    )


def supervisory_authority(code: str | None) -> str:
    """Return the name of the data-protection authority of country ``code``, or a generic one."""
    known: dict[str, str] = _data()["supervisory_authorities"]
    if code and code in known:
        return known[code]
    return "the competent supervisory authority"
