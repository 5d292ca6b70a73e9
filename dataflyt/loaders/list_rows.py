"""One row of a sub-processor list read into what it states about one engagement: the
organisation (name, aliases, attributes taken out of the name), its purpose, the data it
receives, where it processes the data for this provider, when it was added, the services it
serves, and every other column as an attribute, cited by the row.

Nothing a row states is dropped: a place, safeguard or category the reference data does not
know comes back as an ``UnmappedTerm``; a cell no column reads is kept as an attribute under its
column's label.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from dataflyt.errors import LoadError
from dataflyt.loaders.data_types import parse_data_types
from dataflyt.loaders.dates import parse_date
from dataflyt.loaders.list_columns import ListColumn
from dataflyt.loaders.models import (
    LocationFact,
    OrganisationRecord,
    Source,
    SubProcessorFact,
    UnmappedTerm,
)
from dataflyt.loaders.names import OrganisationName, read_name
from dataflyt.loaders.places import apply_safeguards, parse_location_cell, take_safeguards
from dataflyt.loaders.tables import TableRow
from dataflyt.loaders.terms import TermsFound, cell_text, clean_cell, split_outside_parens
from dataflyt.reference.vocabulary import fold
from dataflyt.safe_text import blank, why_not_a_name

__all__ = ["ListEntry", "ListHeader", "read_entry"]

# what a services cell writes for "every service"
_ALL = {"all", "all services", "alle", "alle tjenester", "alla", "alla tjänster", "*"}
# columns whose text is kept as an attribute, as written
_KEPT = {ListColumn.SUBJECTS, ListColumn.REGISTRATION, ListColumn.ADDRESS}


@dataclass(frozen=True)
class ListHeader:
    """A table's header row and the columns recognised in it."""

    row: TableRow
    columns: dict[ListColumn, list[int]]

    def label(self, index: int) -> str:
        """Return the header cell at ``index`` as one line of text."""
        return cell_text(self.row.cells[index])

    def first(self, column: ListColumn) -> int | None:
        """Return the index of ``column``'s first cell, or None when the table lacks it."""
        indexes = self.columns.get(column)
        return indexes[0] if indexes else None


@dataclass(frozen=True)
class ListEntry:
    """What one row states: the engagement, its categories, the services it serves ([] means
    all), the organisation's own record (when the row gives its country), unmapped terms."""

    fact: SubProcessorFact
    terms: TermsFound
    services: list[str]
    organisation: OrganisationRecord | None
    unmapped: list[UnmappedTerm]


class _Row:
    """The cells of one row, read by column."""

    def __init__(
        self, row: TableRow, header: ListHeader, path: str, footnotes: Mapping[str, str]
    ) -> None:
        width = len(header.row.cells)
        if any(cell.strip() for cell in row.cells[width:]):
            raise LoadError(
                path,
                f"row has {len(row.cells)} cells, the header has {width}",
                line=row.line,
                page=row.page,
            )
        self.cells = row.cells[:width] + [""] * (width - len(row.cells))
        self.row = row
        self.header = header
        self.path = path
        self.footnotes = footnotes

    def text(self, index: int) -> str:
        return cell_text(self.cells[index])

    def texts(self, column: ListColumn) -> list[str]:
        """Return the column's cells as one line each."""
        found = (self.text(i) for i in self.header.columns.get(column, []))
        return [t for t in found if t]

    def lines(self, column: ListColumn) -> list[str]:
        """Return the column's cells with their line breaks ("United States<br>Australia")."""
        found = (clean_cell(self.cells[i]) for i in self.header.columns.get(column, []))
        return [t for t in found if t.strip()]

    def source(self, text: str) -> Source:
        return Source(file=self.path, line=self.row.line, page=self.row.page, text=text)


def _organisation(row: _Row) -> tuple[OrganisationName, str]:
    """Return the organisation a row names and the cell text it was read from: a legal-entity
    column wins over a brand-name column, whose name becomes an alias."""
    header = row.header
    name_at, entity_at = header.first(ListColumn.NAME), header.first(ListColumn.ENTITY)
    brand = read_name(row.text(name_at)) if name_at is not None else None
    entity = read_name(row.text(entity_at)) if entity_at is not None else None
    # a name of invisible characters is no name, as an empty one
    brand = brand if brand is not None and not blank(brand.name) else None
    entity = entity if entity is not None and not blank(entity.name) else None
    if entity is not None and entity.name and entity_at is not None:
        aliases = [*entity.aliases]
        if brand is not None and brand.name:
            aliases += [brand.name, *brand.aliases]
        attributes = {**(brand.attributes if brand else {}), **entity.attributes}
        own = fold(entity.name)
        kept = [a for a in dict.fromkeys(aliases) if fold(a) != own]
        return OrganisationName(entity.name, kept, attributes), row.text(entity_at)
    if brand is not None and brand.name and name_at is not None:
        return brand, row.text(name_at)
    at = name_at if name_at is not None else entity_at
    raise LoadError(
        row.path,
        why_not_a_name(row.text(at) if at is not None else "", "the sub-processor name")
        or "the sub-processor name is empty",
        line=row.row.line,
        field=header.label(at) if at is not None else None,
        page=row.row.page,
    )


def _places(row: _Row, column: ListColumn) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    places: list[LocationFact] = []
    unmapped: list[UnmappedTerm] = []
    for cell in row.lines(column):
        source = row.source(" ".join(cell.split()))
        found, unknown = parse_location_cell(cell, source, row.footnotes)
        places.extend(found)
        unmapped.extend(unknown)
    return places, unmapped


def _with_safeguards(
    row: _Row, places: list[LocationFact], attributes: dict[str, str]
) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    """Return ``places`` with the safeguards a safeguards column states; a cell that says more
    than safeguards is also kept as an attribute."""
    unmapped: list[UnmappedTerm] = []
    for index in row.header.columns.get(ListColumn.SAFEGUARDS, []):
        cell = row.text(index)
        if not cell:
            continue
        keys, rest = take_safeguards(cell)
        places, unplaced = apply_safeguards(places, keys, row.source(cell))
        unmapped.extend(unplaced)
        if not keys or re.search(r"[^\W\d_]{3,}", rest):
            attributes[row.header.label(index)] = cell
    return places, unmapped


def _service_names(cell: str) -> list[str]:
    """Return the services a "Relevant services" cell names; [] means every service."""
    text = " ".join(cell.replace("\n", "; ").split())
    delimiter = re.compile(r"\s*[,;]\s*|\s+(?:and|og|och|und)\s+")
    names = [text[s:e].strip(" .") for s, e in split_outside_parens(text, delimiter)]
    named = [name for name in names if name]
    if any(fold(name) in _ALL for name in named):
        return []
    return list(dict.fromkeys(named))


def read_entry(
    table_row: TableRow, header: ListHeader, path: str, footnotes: Mapping[str, str]
) -> ListEntry:
    """Return what ``table_row`` states under ``header``, a place marked "USA*" read with the
    document's ``footnotes`` (by marker); raise ``LoadError`` for a row with more cells than
    the header or without a name."""
    row = _Row(table_row, header, path, footnotes)
    organisation, name_cell = _organisation(row)
    attributes = dict(organisation.attributes)
    read = {i for column, indexes in header.columns.items() if column not in _KEPT for i in indexes}
    read |= {i for c in (ListColumn.NAME, ListColumn.ENTITY) if (i := header.first(c)) is not None}
    for index in range(len(row.cells)):
        if index not in read and (text := row.text(index)) and header.label(index):
            attributes[header.label(index)] = text
    data = "\n".join(row.lines(ListColumn.DATA))
    terms = parse_data_types(data, row.source(" ".join(data.split()))) if data else TermsFound()
    places, unmapped = _places(row, ListColumn.PLACES)
    places, unplaced = _with_safeguards(row, places, attributes)
    countries, country_unmapped = _places(row, ListColumn.COUNTRY)
    codes = list(dict.fromkeys(p.code for p in countries if not p.is_region))
    record = None
    if len(codes) == 1:
        record = OrganisationRecord(
            name=organisation.name,
            aliases=organisation.aliases,
            country=codes[0],
            source=row.source(name_cell),
        )
    elif countries_text := "; ".join(row.texts(ListColumn.COUNTRY)):
        attributes[header.label(header.columns[ListColumn.COUNTRY][0])] = countries_text
    added = None
    for index in header.columns.get(ListColumn.ADDED, []):
        cell = row.text(index)
        date = parse_date(cell)
        added = added or date
        if cell and date is None:
            attributes[header.label(index)] = cell
    fact = SubProcessorFact(
        name=organisation.name,
        aliases=organisation.aliases,
        purpose="; ".join(row.texts(ListColumn.PURPOSE)) or None,
        categories=list(terms.categories) if data else None,
        locations=places,
        attributes=attributes,
        added=added,
        source=row.source(name_cell),
    )
    services = _service_names("\n".join(row.lines(ListColumn.SERVICES)))
    found = unmapped + unplaced + country_unmapped + terms.unmapped
    return ListEntry(fact, terms, services, record, found)
