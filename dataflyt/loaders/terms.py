"""Reading the free-text cells vendors write: data types with their data subjects,
sub-processors with purposes, processing locations and roles.

These functions are shared by every loader. They never drop a term: what the vocabulary does
not know comes back as an ``UnmappedTerm`` (and, for data types, as an unmapped category).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

from dataflyt.ids import slug
from dataflyt.loaders.models import (
    CategoryFact,
    LocationFact,
    Source,
    SubProcessorFact,
    UnmappedTerm,
)
from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.legal_forms import LEGAL_FORM
from dataflyt.reference.vocabulary import TermMatch, fold, vocabulary
from dataflyt.safe_text import blank

__all__ = [
    "TermsFound",
    "clean_cell",
    "parse_data_types",
    "parse_locations",
    "parse_role",
    "parse_subprocessors",
    "split_outside_parens",
]

_BLOCK_TAGS = re.compile(r"</?(?:p|ul|ol|li|br|div|tr|td|th|table)\b[^>]*>", re.I)
_ANY_TAG = re.compile(r"<[^>]*>")
_BULLETS = re.compile(r"[•◦▪●○■‣∙·]")
_SENTENCE_END = re.compile(r"\.\s+(?=[A-ZÆØÅÄÖ])")
_LEAD_IN = re.compile(
    r"^(?:grunnleggende\s+|basic\s+|generelle\s+|general\s+)?"
    r"(?:personopplysninger|opplysninger|informasjon|information|personal\s+data|data)\s+"
    r"(?:om|about|on|of|concerning|regarding)\s+"
)
_LEAD_IN_END = re.compile(r":|\binkludert\b|\bherunder\b|\bincluding\b|\bsuch as\b|\bslik som\b")
_WHO_END = re.compile(r"\s(?:som|gitt|oppgitt|that|provided|given|who|which)\s|,")
_SOFT_DELIMITER = re.compile(r"\s(?:og|and|eller|or|samt|&)\s")
_QUALIFIER_START = {
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
_FILLER = _QUALIFIER_START | {
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
    r"not exhaustive|non-exhaustive|ikke uttømmende|blant annet|bl\.\s?a\.|among others|"
    r"not limited to|may also",
    re.I,
)
_PURPOSE_PREFIX = re.compile(
    r"^\s*(tjenesteleverandør|service provider|leverandør|underleverandør)\s*:\s*", re.I
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


def clean_cell(cell: str) -> str:
    """Return a cell's text with HTML tags and bullets turned into line breaks, entities decoded."""
    text = _BLOCK_TAGS.sub("\n", cell)
    text = _ANY_TAG.sub(" ", text)
    text = _BULLETS.sub("\n", html.unescape(text))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


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


def _paren_spans(text: str) -> list[tuple[int, int]]:
    spans, stack = [], []
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            spans.append((stack.pop(), index + 1))
    return spans


def _significant(text: str) -> bool:
    words = re.findall(r"[^\W\d_]{3,}", text.casefold())
    return any(word not in _FILLER for word in words)


def _subjects_in(text: str) -> set[str]:
    return {match.key for match in vocabulary().find("subjects", text)}


def _segments(cell: str) -> Iterator[str]:
    for line in clean_cell(cell).split("\n"):
        for start, end in split_outside_parens(line, _SENTENCE_END):
            segment = line[start:end].strip(" .")
            if segment:
                yield segment


def parse_data_types(cell: str, source: Source, subjects: set[str] | None = None) -> TermsFound:
    """Return the categories (with their data subjects) and unmapped terms of a data-types cell.

    A lead-in such as "Opplysninger om ansatte ...:" sets the data subjects for what follows;
    brackets after a term clarify it and are kept with it.
    """
    found = TermsFound()
    current: set[str] = set(subjects or ())
    for segment in _segments(cell):
        text = segment
        folded = fold(segment)
        lead_in = _LEAD_IN.match(folded)
        if lead_in:
            end = _LEAD_IN_END.search(folded, lead_in.end())
            who_end = _WHO_END.search(folded, lead_in.end())
            who_stop = min(m.start() for m in (end, who_end) if m) if (end or who_end) else None
            named = _subjects_in(folded[lead_in.end() : who_stop])
            current = named or current
            text = segment[end.end() :] if end else ""
        _read_items(text, current, source, found)
    return found


def _read_items(text: str, subjects: set[str], source: Source, found: TermsFound) -> None:
    text = " ".join(text.split())
    folded = fold(text)
    matches = vocabulary().find("categories", folded)
    parens = _paren_spans(folded)
    # a bracket right after a term clarifies it: terms inside it are not separate facts
    clarifying = [
        (s, e) for s, e in parens if any(folded[m.end : s].strip() == "" for m in matches)
    ]
    matches = [m for m in matches if not any(s < m.start and m.end <= e for s, e in clarifying)]
    for start, end in split_outside_parens(folded, re.compile(r"[,;:]\s*")):
        in_piece = [m for m in matches if start <= m.start < end]
        piece = text[start:end].strip(" .")
        if not in_piece:
            if _significant(piece):
                key = "unmapped:" + slug(piece)
                found.add(key, piece, subjects | _subjects_in(piece), source, mapped=False)
                found.unmapped.append(UnmappedTerm(kind="category", text=piece, source=source))
            continue
        leftover = _leftover(folded, start, end, in_piece)
        extra = _subjects_in(" ".join(leftover))
        for part in leftover:
            for s, e in split_outside_parens(part, _SOFT_DELIMITER):
                fragment = part[s:e].strip(" .()")
                first = fragment.split(" ", 1)[0] if fragment else ""
                if fragment and first not in _QUALIFIER_START and _significant(fragment):
                    original = fragment
                    key = "unmapped:" + slug(original)
                    found.add(key, original, subjects | extra, source, mapped=False)
                    found.unmapped.append(
                        UnmappedTerm(kind="category", text=original, source=source)
                    )
        for match in in_piece:
            label = text[match.start : match.end]
            found.add(match.key, label, subjects | extra, source, mapped=True)


def _leftover(folded: str, start: int, end: int, matches: list[TermMatch]) -> list[str]:
    parts, cursor = [], start
    for match in matches:
        parts.append(folded[cursor : match.start])
        cursor = match.end
    parts.append(folded[cursor:end])
    # text in brackets qualifies the term before it
    return [re.sub(r"\([^)]*\)", " ", part) for part in parts if part.strip(" .,;")]


def parse_subprocessors(cell: str, source: Source) -> list[SubProcessorFact]:
    """Return the organisations a sub-processor cell names, each with its purpose if given.

    "Link Mobility (SMS varsling)" gives purpose "SMS varsling"; "Tjenesteleverandør: Telenor"
    gives purpose "Tjenesteleverandør"; several names may be separated by commas, semicolons,
    "og" or "and".
    """
    text = " ".join(clean_cell(cell).split())
    found: list[SubProcessorFact] = []
    delimiter = re.compile(r"\s*[,;]\s*|\s+(?:og|and)\s+|\n")
    for start, end in split_outside_parens(text, delimiter):
        part = text[start:end].strip(" .")
        if not part:
            continue
        purpose = None
        prefix = _PURPOSE_PREFIX.match(part)
        if prefix:
            purpose = prefix.group(1)
            part = part[prefix.end() :]
        bracket = re.search(r"\(([^)]*)\)\s*$", part)
        if bracket:
            purpose = bracket.group(1).strip() or purpose
            part = part[: bracket.start()].strip()
        if found and LEGAL_FORM.match(part):
            # "Zendesk, Inc. (ticketing)": the legal form belongs to the name before it
            previous = found.pop()
            part = f"{previous.name}, {part}"
            purpose = purpose or previous.purpose
        if not blank(part):  # a name of invisible characters is no name, as an empty one
            found.append(SubProcessorFact(name=part, purpose=purpose, source=source))
    return found


def parse_locations(cell: str, source: Source) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    """Return the places a location cell names, and the parts that name no known place.

    A remark such as "merk at tjenesteleverandør kan i tillegg behandle data på andre
    lokasjoner" marks every place of the cell as not exhaustive.
    """
    text = " ".join(clean_cell(cell).split())
    notes = re.findall(r"\(([^)]*)\)", text)
    bare = re.sub(r"\([^)]*\)", " ", text)
    exhaustive = not _NOT_EXHAUSTIVE.search(text)
    note = "; ".join(n.strip() for n in notes) or None
    places: list[LocationFact] = []
    unmapped: list[UnmappedTerm] = []
    delimiter = re.compile(r"\s*[,;]\s*|\s+(?:og|and|&)\s+")
    for start, end in split_outside_parens(bare, delimiter):
        part = bare[start:end].strip(" .:")
        if not part:
            continue
        resolved = (
            [resolve_place(part)]
            if resolve_place(part)
            else [resolve_place(piece) for piece in re.split(r"\s*/\s*", part)]
        )
        known = [place for place in resolved if place is not None]
        if len(known) == len(resolved):
            for place in known:
                places.append(
                    LocationFact(
                        code=place.code,
                        name=place.name,
                        is_region=place.is_region,
                        exhaustive=exhaustive,
                        note=note,
                        source=source,
                    )
                )
        elif _significant(part) or part.isalpha():
            unmapped.append(UnmappedTerm(kind="location", text=part, source=source))
    return places, unmapped


def parse_role(cell: str, independent_footnote: bool) -> str | None:
    """Return the role key a role cell names, or None when the vocabulary does not know it.

    "Behandlingsansvarlig*" is an independent controller when the document's footnote says so.
    """
    text = " ".join(clean_cell(cell).split())
    starred = text.endswith("*")
    key = vocabulary().lookup("roles", text.rstrip("* "))
    if key == "controller" and starred and independent_footnote:
        return "independent_controller"
    return key
