"""Location cells as vendors write them: countries and regions kept apart from the transfer
safeguards stated with them ("USA (SCCs)", "UK (Adequacy)", "USA, overføring etter Standard
Contractual Clauses") and from footnote markers ("USA*", "Ireland¹"), whose footnote speaks
for the place it marks.

Places are read by ``terms.parse_locations``; this module takes the safeguards out first and
hands them back on the places they belong to. Nothing is dropped: a safeguard with no place to
belong to comes back as an ``UnmappedTerm``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import partial

from dataflyt.loaders.models import LocationFact, Source, UnmappedTerm
from dataflyt.loaders.terms import clean_cell, parse_locations, says_not_exhaustive
from dataflyt.reference.jurisdictions import is_eea, resolve_place
from dataflyt.reference.safeguards import SAFEGUARDS
from dataflyt.reference.vocabulary import fold

__all__ = [
    "apply_safeguards",
    "footnote_marker",
    "parse_location_cell",
    "safeguard_key",
    "take_safeguards",
]

_SYNONYMS = {synonym: key for key, (_, synonyms) in SAFEGUARDS.items() for synonym in synonyms}
_PHRASE = "|".join(re.escape(s) for s in sorted(_SYNONYMS, key=len, reverse=True))
# an optional lead-in ("overføring etter", "transfers based on the") before the safeguard
_LEAD_IN = (
    r"(?:(?:overføring(?:er)?|overføres|overført|överföring|transfers?|transferred)\s+)?"
    r"(?:(?:etter|basert\s+på|på\s+grunnlag\s+av|i\s+henhold\s+til|med|enligt|genom|based\s+on|"
    r"under|subject\s+to|pursuant\s+to|on\s+the\s+basis\s+of|relying\s+on|using|via|with)\s+)?"
    r"(?:the\s+|eu'?s\s+|eus\s+)?"
)
_SAFEGUARD = re.compile(rf"(?<![\w-]){_LEAD_IN}(?P<term>{_PHRASE})(?![\w])", re.I)
_BRACKET = re.compile(r"\(([^()]*)\)")
_MARKS = r"\*+|[†‡]+|[¹²³⁰⁴⁵⁶⁷⁸⁹]+|\[\d{1,2}\]"
# a footnote marker right after a place's name: "USA*", "Ireland¹", "Germany [2]"
_MARKER = re.compile(rf"(?<=[^\W\d_)])\s?(?P<mark>{_MARKS})")
# a footnote: its marker, then its text
_FOOTNOTE = re.compile(rf"^\s*(?P<mark>{_MARKS})\s*(?P<text>\S.*)$")
_CONNECTIVES = re.compile(r"[\s,;/&+]+|\b(?:and|og|och|or|eller)\b", re.I)


def safeguard_key(text: str) -> str | None:
    """Return the safeguard key ``text`` names ("SCCs" -> "scc"), or None."""
    return _SYNONYMS.get(fold(text).strip(" ."))


def take_safeguards(text: str) -> tuple[list[str], str]:
    """Return the safeguard keys written in ``text`` and the text without them."""
    keys = [_SYNONYMS[fold(m.group("term"))] for m in _SAFEGUARD.finditer(text)]
    return list(dict.fromkeys(keys)), _SAFEGUARD.sub(" ", text)


def footnote_marker(line: str) -> tuple[str, str] | None:
    """Return the marker and the text of a footnote line ("* Transfers under SCCs."), or None."""
    match = _FOOTNOTE.match(line)
    return (match.group("mark"), match.group("text").strip()) if match else None


def _outside_eea(place: LocationFact) -> bool:
    return not place.is_region and not is_eea(place.code)


def apply_safeguards(
    places: list[LocationFact], keys: list[str], source: Source
) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    """Return ``places`` with safeguards ``keys`` added where they apply, and the safeguards
    that fit no place: they go to the places outside the EEA without a safeguard of their own,
    else to every place without one; with no place at all they come back unmapped."""
    if not keys:
        return places, []
    bare = [p for p in places if not p.safeguards]
    targets = [p for p in bare if _outside_eea(p)] or bare or places
    if not targets:
        return places, [
            UnmappedTerm(kind="safeguard", text=SAFEGUARDS[k][0], source=source) for k in keys
        ]
    chosen = {id(p) for p in targets}
    return [
        p.model_copy(update={"safeguards": _merged(p.safeguards, keys)}) if id(p) in chosen else p
        for p in places
    ], []


def _merged(first: list[str], second: list[str]) -> list[str]:
    return list(dict.fromkeys([*first, *second]))


def parse_location_cell(
    cell: str, source: Source, footnotes: Mapping[str, str] | None = None
) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    """Return the places of a location cell, each with the safeguards stated for it, and the
    terms that name no known place.

    A safeguard in brackets belongs to the place before it ("USA (SCCs)"); one written on its
    own ("USA, overføring etter Standard Contractual Clauses") belongs to the cell's places
    outside the EEA. A footnote marker ("USA*") belongs to the place before it too: the
    footnote ``footnotes`` gives for it becomes that place's note, its safeguards the place's,
    and "may also" in it makes the place not exhaustive.
    """
    text = ", ".join(clean_cell(cell).split("\n"))
    bracketed: list[tuple[str, list[str]]] = []
    marked: list[tuple[str, str]] = []

    def before(end: int) -> str:
        return re.split(r"[,;]|\b(?:and|og|och)\b", text[:end])[-1]

    def bracket(match: re.Match[str]) -> str:
        keys, rest = take_safeguards(match.group(1))
        if not keys:
            return match.group(0)
        bracketed.append((before(match.start()), keys))
        return f" ({rest.strip(' ,;')}) " if _CONNECTIVES.sub("", rest) else " "

    def marker(match: re.Match[str]) -> str:
        footnote = (footnotes or {}).get(match.group("mark"))
        if footnote:
            marked.append((before(match.start()), footnote))
        return ""

    text = _MARKER.sub(marker, text)
    without_brackets = _BRACKET.sub(bracket, text)
    loose, rest = take_safeguards(without_brackets)
    places, unmapped = parse_locations(rest, source)
    for place_text, keys in bracketed:
        if _owners(places, place_text):
            places = _updated(places, place_text, partial(_safeguarded, keys))
        else:
            loose = _merged(loose, keys)
    for place_text, footnote in marked:
        places = _updated(places, place_text, partial(_footnoted, footnote))
    places, unplaced = apply_safeguards(places, loose, source)
    return places, unmapped + unplaced


def _safeguarded(keys: list[str], place: LocationFact) -> dict[str, object]:
    return {"safeguards": _merged(place.safeguards, keys)}


def _footnoted(footnote: str, place: LocationFact) -> dict[str, object]:
    """Return what ``footnote`` changes of the place it marks: note, safeguards, exhaustive."""
    keys, _ = take_safeguards(footnote)
    return {
        "note": "; ".join(n for n in (place.note, footnote) if n),
        "safeguards": _merged(place.safeguards, keys),
        "exhaustive": place.exhaustive and not says_not_exhaustive(footnote),
    }


def _owners(places: list[LocationFact], text: str) -> bool:
    codes = _codes(text)
    return any(p.code in codes for p in places)


def _updated(
    places: list[LocationFact],
    text: str,
    change: Callable[[LocationFact], dict[str, object]],
) -> list[LocationFact]:
    """Return ``places`` with ``change`` made to those ``text`` names."""
    codes = _codes(text)
    return [p.model_copy(update=change(p)) if p.code in codes else p for p in places]


def _codes(text: str) -> set[str]:
    pieces = [text, *re.split(r"\s*/\s*", text)]
    return {place.code for piece in pieces if (place := resolve_place(piece.strip())) is not None}
