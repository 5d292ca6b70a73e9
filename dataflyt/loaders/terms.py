"""Reading the free-text cells vendors write: cleaning a cell, splitting it outside brackets,
processing locations and roles (data types are read in ``data_types``, organisation names in
``names``).

These functions are shared by every loader. They never drop a term: what the vocabulary does
not know comes back as an ``UnmappedTerm`` (and, for data types, as an unmapped category).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from dataflyt.loaders.models import (
    CategoryFact,
    LocationFact,
    Source,
    UnmappedTerm,
)
from dataflyt.reference.jurisdictions import Place, resolve_place
from dataflyt.reference.vocabulary import vocabulary

__all__ = [
    "QUALIFIER_START",
    "TermsFound",
    "cell_text",
    "clean_cell",
    "parse_locations",
    "parse_role",
    "says_not_exhaustive",
    "significant",
    "split_outside_parens",
]

_BLOCK_TAGS = re.compile(r"</?(?:p|ul|ol|li|br|div|tr|td|th|table)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_BULLETS = re.compile(r"[•◦▪●○■‣∙·]")
QUALIFIER_START = {
    "av",
    "til",
    "fra",
    "om",
    "på",
    "i",
    "med",
    "for",
    "pr",
    "per",
    "som",
    "gjennom",
    "via",
    "of",
    "to",
    "from",
    "about",
    "with",
    "by",
    "in",
    "that",
    "which",
    "who",
    "inkl",
    "incl",
    "inkludert",
    "including",
    "herunder",
    "enten",
    "either",
    "e.g",
    "f.eks",
    "eg",
}
_FILLER = QUALIFIER_START | {
    "og",
    "and",
    "eller",
    "or",
    "samt",
    "slik",
    "such",
    "as",
    "etc",
    "mv",
    "osv",
    "the",
    "a",
    "an",
    "en",
    "et",
    "ei",
    "andre",
    "other",
}
_NOT_EXHAUSTIVE = re.compile(
    r"i tillegg|andre lokasjoner|andre steder|other locations|additional locations|"
    r"other (?:non-eu |non-eea )?(?:regions|countries)|andre (?:land|lande|regioner)|"
    r"andra (?:länder|regioner)|weitere (?:länder|regionen)|"
    r"not exhaustive|non-exhaustive|ikke uttømmende|blant annet|bl\.\s?a\.|among others|"
    r"not limited to|may also",
    re.I,
)
_BRACKETED = re.compile(r"\(([^()]*)\)")
# words that name some of the places, not all: "bl.a. Irland", "e.g. Germany", "USA m.fl.",
# "EU, and others"; they are taken off the place they stand beside
_HEDGE = re.compile(
    r"(?<![\w.])(?:blant annet|blandt andet|bland annat|unter anderem|bl\.\s?a\b\.?|u\.\s?a\b\.?|"
    r"including|incl\b\.?|inkl\b\.?|inkludert|inklusive|herunder|heriblandt|"
    r"e\.\s?g\b\.?|f\.\s?eks\b\.?|fx\b\.?|t\.\s?ex\b\.?|z\.\s?b\b\.?|for example|for instance|"
    r"such as|among others|m\.\s?fl\b\.?|mfl\b\.?|med flere|med flera|etc\b\.?|osv\b\.?|usw\b\.?|"
    r"(?:and|og|och|und) (?:others|andre|flere|andra|flera|weitere))(?!\w)",
    re.I,
)
# commas, "and" (also after an Oxford comma: "Switzerland, and Japan"), "or", "&"
_PLACE_DELIMITER = re.compile(
    r"\s*[,;]\s*(?:(?:and|og|och|und|or|eller|oder)\s+)?|\s+(?:og|and|och|und|or|eller|oder|&)\s+",
    re.I,
)


class TermsFound:
    """What one cell yielded: categories (mapped or not) and the terms left unmapped."""

    def __init__(self) -> None:
        self.categories: dict[str, CategoryFact] = {}
        self.unmapped: list[UnmappedTerm] = []

    def add(self, key: str, label: str, subjects: set[str], source: Source, mapped: bool) -> None:
        """Record category ``key``; a category seen twice keeps its first label and all subjects."""
        fact = self.categories.get(key)
        if fact is None:
            self.categories[key] = CategoryFact(
                key=key, label=label, mapped=mapped, subjects=sorted(subjects), source=source
            )
        else:
            merged = sorted(set(fact.subjects) | subjects)
            self.categories[key] = fact.model_copy(update={"subjects": merged})

    def add_fact(self, fact: CategoryFact) -> None:
        """Record a category another cell yielded, as ``add`` records one."""
        self.add(fact.key, fact.label, set(fact.subjects), fact.source, fact.mapped)


def clean_cell(cell: str) -> str:
    """Return a cell's text with HTML tags and bullets turned into line breaks, entities decoded."""
    text = _BLOCK_TAGS.sub("\n", cell)
    text = _ANY_TAG.sub(" ", text)
    text = _BULLETS.sub("\n", html.unescape(text))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


def cell_text(cell: str) -> str:
    """Return a cell's text as ``clean_cell`` gives it, its line breaks made spaces."""
    return " ".join(clean_cell(cell).split())


def split_outside_parens(text: str, delimiter: re.Pattern[str]) -> Iterator[tuple[int, int]]:
    """Yield (start, end) spans of ``text`` between ``delimiter`` matches outside brackets."""
    depth, start, position = 0, 0, 0
    while position < len(text):
        char = text[position]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            match = delimiter.match(text, position)
            if match and match.end() > position:
                yield start, position
                start = position = match.end()
                continue
        position += 1
    yield start, len(text)


def significant(text: str) -> bool:
    """Return True when ``text`` has a word that is not a connective or a filler word."""
    words = re.findall(r"[^\W\d_]{3,}", text.casefold())
    return any(word not in _FILLER for word in words)


def says_not_exhaustive(text: str) -> bool:
    """Return True when ``text`` says the places it goes with are not all ("may also")."""
    return _NOT_EXHAUSTIVE.search(text) is not None


def parse_locations(cell: str, source: Source) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    """Return the places a location cell names, and the parts that name no known place.

    A remark in brackets is the note of the place before it ("Irland (Dublin) og USA"), or of
    every place when it is the cell's only bracket and closes it ("France & Netherlands
    (EU)"); a place in brackets after words naming none is the place, those words its note
    ("AWS eu-west-1 (Ireland)"). A remark such as "merk at tjenesteleverandør kan i tillegg
    behandle data på andre lokasjoner", or a hedge beside a place ("bl.a. Irland", "USA
    m.fl.", "e.g. Germany"), marks every place of the cell as not exhaustive.
    """
    text = cell_text(cell)
    pieces = _BRACKETED.split(text)
    exhaustive = not (says_not_exhaustive(text) or _HEDGE.search(" ".join(pieces[::2])))
    text = "".join(f"({p})" if i % 2 else _HEDGE.sub(",", p) for i, p in enumerate(pieces))
    closing = pieces[1] if len(pieces) == 3 and not pieces[2].strip(" .,;") else None
    found: list[tuple[list[Place], list[str]]] = []
    unmapped: list[UnmappedTerm] = []
    for start, end in split_outside_parens(text, _PLACE_DELIMITER):
        part = text[start:end]
        bare = _BRACKETED.sub(" ", part).strip(" .:,")
        notes = _BRACKETED.findall(part)
        named = _named_places(bare)
        if not named and bare and len(notes) == 1 and (inside := _named_places(notes[0])):
            named, notes = inside, [bare]
        if named:
            found.append((named, notes))
        elif bare and (significant(bare) or bare.isalpha()):
            unmapped.append(UnmappedTerm(kind="location", text=bare, source=source))
    cell_wide = closing is not None and bool(found) and closing in found[-1][1]
    places = [
        LocationFact(
            code=place.code,
            name=place.name,
            is_region=place.is_region,
            exhaustive=exhaustive,
            note=closing.strip() if cell_wide and closing else "; ".join(notes) or None,
            source=source,
        )
        for named, notes in found
        for place in named
    ]
    return places, unmapped


def _named_places(text: str) -> list[Place]:
    """Return the places ``text`` names, whole or split at slashes ("Norge/Sverige"); [] when
    any piece names none."""
    text = text.strip(" .:,")
    whole = resolve_place(text) if text else None
    if whole is not None:
        return [whole]
    found = [resolve_place(piece) for piece in re.split(r"\s*/\s*", text)]
    return [place for place in found if place is not None] if all(found) and text else []


def parse_role(cell: str, independent_footnote: bool) -> str | None:
    """Return the role key a role cell names, or None when the vocabulary does not know it.

    "Behandlingsansvarlig*" is an independent controller when the document's footnote says so.
    """
    text = cell_text(cell)
    starred = text.endswith("*")
    key = vocabulary().lookup("roles", text.rstrip("* "))
    if key == "controller" and starred and independent_footnote:
        return "independent_controller"
    return key
