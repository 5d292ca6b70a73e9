"""The sub-processor list loader: a vendor's published table of the entities it engages (name,
purpose, location, sometimes data categories and the services concerned), from CSV, a saved
HTML page, a Markdown pipe table or a PDF.

Step one reads the document into rows (``tables``, ``html_tables``, ``pdf``); step two,
``subprocessor_list_from_page``, finds each
table's header by its columns (``columns``) and turns the rows into the provider's services
and their sub-processors. A list without a services column covers the provider's service as a
whole: one service named after the provider, or ``service``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from dataflyt.errors import LoadError
from dataflyt.loaders.columns import SUBPROCESSOR_COLUMNS, ListColumn, header_key, match_columns
from dataflyt.loaders.dates import find_document_date
from dataflyt.loaders.html_tables import read_html
from dataflyt.loaders.models import (
    DocumentFormat,
    LocationFact,
    OrganisationRecord,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
    UnmappedTerm,
)
from dataflyt.loaders.places import parse_location_cell
from dataflyt.loaders.tables import Table, TablePage, TableRow, read_csv, read_markdown
from dataflyt.loaders.terms import TermsFound, clean_cell, parse_data_types, split_outside_parens
from dataflyt.loaders.text import SourceText
from dataflyt.reference.vocabulary import fold

__all__ = [
    "is_list_header",
    "parse_subprocessor_list",
    "provider_from_page",
    "subprocessor_list_from_page",
]

_LIST_WORDS = re.compile(
    r"\b(?:sub-?\s?processors?|sub-?\s?processor\s+list|underleverandører|underleverandør|"
    r"underdatabehandlere|underdatabehandler|underbiträden|underbiträde|underleverantörer|"
    r"third[- ]party\s+(?:sub-?processors|service\s+providers|entities))\b",
    re.I,
)
_FILLER = re.compile(
    r"\b(?:list|liste|lista|overview|oversikt|over|current|our|the|of|for|and|og|av|hos|"
    r"för|used\s+by|brukt\s+av|page|gdpr)\b|['\u2019]s\b",
    re.I,
)
_SEPARATORS = re.compile(r"\s+[|\u2013\u2014:-]\s+|\s*\|\s*")
_ALL = {"all", "all services", "alle", "alle tjenester", "alla", "alla tjänster", "*"}
_ROLE_TEXT = "processor (it publishes the list of its sub-processors)"


@dataclass(frozen=True)
class _Header:
    row: TableRow
    columns: dict[ListColumn, list[int]]

    def label(self, column: ListColumn) -> str:
        return " ".join(clean_cell(self.row.cells[self.columns[column][0]]).split())


@dataclass(frozen=True)
class _Entry:
    fact: SubProcessorFact
    terms: TermsFound
    services: list[str]
    organisation: OrganisationRecord | None
    unmapped: list[UnmappedTerm]


def is_list_header(cells: list[str]) -> bool:
    """Return True when ``cells`` is a sub-processor list header (it has a name column)."""
    return ListColumn.NAME in match_columns(cells, SUBPROCESSOR_COLUMNS)


def _read(source: SourceText, fmt: DocumentFormat) -> TablePage:
    if fmt is DocumentFormat.SUBPROCESSORS_HTML:
        return read_html(source)
    if fmt is DocumentFormat.SUBPROCESSORS_MARKDOWN:
        return read_markdown(source)
    return read_csv(source, is_list_header)


def _headers(page: TablePage) -> list[tuple[Table, int, _Header]]:
    found = []
    for table in page.tables:
        for index, row in enumerate(table.rows):
            columns = match_columns(row.cells, SUBPROCESSOR_COLUMNS)
            if ListColumn.NAME in columns:
                found.append((table, index, _Header(row, columns)))
                break
    return found


def provider_from_page(page: TablePage) -> str | None:
    """Return the provider a list's title or first heading names ("Zendesk Sub-processors",
    "Sub-processors | Slack", "Slack's sub-processors"), or None."""
    for text in filter(None, [page.title, *page.headings[:1]]):
        if not _LIST_WORDS.search(text):
            continue
        parts = [p for p in _SEPARATORS.split(text) if p.strip()]
        ordered = sorted(parts, key=lambda part: not _LIST_WORDS.search(part))
        for part in ordered:
            rest = " ".join(_FILLER.sub(" ", _LIST_WORDS.sub(" ", part)).split()).strip(" ,.")
            if rest:
                return rest
    return None


def parse_subprocessor_list(
    source: SourceText,
    fmt: DocumentFormat,
    provider: str | None = None,
    service: str | None = None,
) -> ParsedDocument:
    """Return the services and sub-processors a sub-processor list states; raise ``LoadError``
    when no table has a name column, a row is malformed, or the provider cannot be told."""
    page = _read(source, fmt)
    return subprocessor_list_from_page(page, source.path, source.sha256, fmt, provider, service)


def subprocessor_list_from_page(
    page: TablePage,
    path: str,
    sha256: str,
    fmt: DocumentFormat,
    provider: str | None = None,
    service: str | None = None,
) -> ParsedDocument:
    """Return the services and sub-processors a list read into ``page`` states (step two);
    raise ``LoadError`` as ``parse_subprocessor_list`` does."""
    headers = _headers(page)
    if not headers:
        raise _no_name_column(path, page)
    provider = provider or provider_from_page(page)
    if not provider:
        raise LoadError(
            path, "cannot tell whose sub-processor list this is; pass --provider", line=1
        )
    entries: list[_Entry] = []
    notes: list[Source] = []
    for table, index, header in headers:
        notes.extend(_unread_columns(path, header))
        for row in table.rows[index + 1 :]:
            if row.section and len(header.row.cells) > 1:
                text = " ".join(clean_cell(row.cells[0]).split())
                notes.append(Source(file=path, line=row.line, page=row.page, text=text))
            elif not _repeats_header(row, header):
                entries.append(_entry(row, header, path))
    first = headers[0][2].row
    if not entries:
        raise LoadError(
            path, "the sub-processor table has no rows", line=first.line, page=first.page
        )
    dated = find_document_date([line.text for line in page.text] + [n.text for n in notes])
    return ParsedDocument(
        path=path,
        title=f"{provider} sub-processors",
        provider=provider,
        format=fmt,
        date=dated[0] if dated else None,
        sha256=sha256,
        services=_services(entries, provider, service, path, first),
        organisations=[e.organisation for e in entries if e.organisation is not None],
        unmapped=[term for entry in entries for term in entry.unmapped],
        notes=notes,
    )


def _no_name_column(path: str, page: TablePage) -> LoadError:
    names = ", ".join(SUBPROCESSOR_COLUMNS[ListColumn.NAME][:12])
    if not page.tables or not page.tables[0].rows:
        return LoadError(path, "no table found (expected a sub-processor list)")
    first = page.tables[0].rows[0]
    seen = " | ".join(" ".join(clean_cell(c).split()) for c in first.cells)[:120]
    return LoadError(
        path,
        f"no sub-processor name column found (expected one of {names}, ...); "
        f"the table header reads: {seen}",
        line=first.line,
        page=first.page,
    )


def _unread_columns(path: str, header: _Header) -> list[Source]:
    """Return a note for each header cell no column reads (a second name column included)."""
    used = {header.columns[ListColumn.NAME][0]} | {
        i
        for column, indexes in header.columns.items()
        if column is not ListColumn.NAME
        for i in indexes
    }
    return [
        Source(
            file=path,
            line=header.row.line,
            page=header.row.page,
            text=f"column {label!r} is not read",
        )
        for i, cell in enumerate(header.row.cells)
        if i not in used and (label := " ".join(clean_cell(cell).split()))
    ]


def _repeats_header(row: TableRow, header: _Header) -> bool:
    index = header.columns[ListColumn.NAME][0]
    return index < len(row.cells) and header_key(row.cells[index]) == header_key(
        header.row.cells[index]
    )


def _entry(row: TableRow, header: _Header, path: str) -> _Entry:
    width = len(header.row.cells)
    if any(cell.strip() for cell in row.cells[width:]):
        raise LoadError(
            path,
            f"row has {len(row.cells)} cells, the header has {width}",
            line=row.line,
            page=row.page,
        )
    cells = row.cells[:width] + [""] * (width - len(row.cells))

    def text(column: ListColumn) -> list[str]:
        found = (" ".join(clean_cell(cells[i]).split()) for i in header.columns.get(column, []))
        return [t for t in found if t]

    def source(value: str) -> Source:
        return Source(file=path, line=row.line, page=row.page, text=value)

    name = " ".join(clean_cell(cells[header.columns[ListColumn.NAME][0]]).split())
    if not name:
        raise LoadError(
            path,
            "the sub-processor name is empty",
            line=row.line,
            field=header.label(ListColumn.NAME),
            page=row.page,
        )
    terms = TermsFound()
    data = "\n".join(text(ListColumn.DATA))
    if data:
        terms = parse_data_types(data, source(data))
    locations, unmapped = _places(text(ListColumn.LOCATION), source)
    corporate, corporate_unmapped = _places(text(ListColumn.CORPORATE_LOCATION), source)
    countries = [p.code for p in corporate if not p.is_region]
    organisation = (
        OrganisationRecord(name=name, country=countries[0], source=source(name))
        if len(countries) == 1
        else None
    )
    if ListColumn.LOCATION not in header.columns:
        locations, unmapped = corporate, corporate_unmapped
    else:
        unmapped += corporate_unmapped
    fact = SubProcessorFact(
        name=name,
        purpose="; ".join(text(ListColumn.PURPOSE)) or None,
        categories=list(terms.categories) if data else None,
        locations=locations,
        source=source(name),
    )
    services = _service_names("\n".join(text(ListColumn.SERVICES)))
    return _Entry(fact, terms, services, organisation, unmapped + terms.unmapped)


def _places(
    cells: list[str], source: Callable[[str], Source]
) -> tuple[list[LocationFact], list[UnmappedTerm]]:
    places: list[LocationFact] = []
    unmapped: list[UnmappedTerm] = []
    for cell in cells:
        found, unknown = parse_location_cell(cell, source(cell))
        places.extend(found)
        unmapped.extend(unknown)
    return places, unmapped


def _service_names(cell: str) -> list[str]:
    """Return the services a "Relevant services" cell names; [] means every service."""
    text = " ".join(cell.replace("\n", "; ").split())
    delimiter = re.compile(r"\s*[,;]\s*|\s+(?:and|og|och)\s+")
    names = [text[s:e].strip(" .") for s, e in split_outside_parens(text, delimiter)]
    named = [name for name in names if name]
    if any(fold(name) in _ALL for name in named):
        return []
    return list(dict.fromkeys(named))


def _services(
    entries: list[_Entry], provider: str, service: str | None, path: str, header: TableRow
) -> list[ServiceRecord]:
    named = list(dict.fromkeys(name for entry in entries for name in entry.services))
    names = named or [service or provider]
    records = []
    for name in names:
        linked = [e for e in entries if not e.services or name in e.services]
        terms = TermsFound()
        for entry in linked:
            for fact in entry.terms.categories.values():
                terms.add(fact.key, fact.label, set(fact.subjects), fact.source, fact.mapped)
        places: dict[str, LocationFact] = {}
        for entry in linked:
            for place in entry.fact.locations:
                places.setdefault(place.code, place)
        records.append(
            ServiceRecord(
                name=name,
                provider=provider,
                role="processor",
                role_text=_ROLE_TEXT,
                categories=list(terms.categories.values()),
                subprocessors=_combined([entry.fact for entry in linked]),
                locations=list(places.values()),
                source=Source(file=path, line=header.line, page=header.page, text=name),
            )
        )
    return records


def _combined(facts: list[SubProcessorFact]) -> list[SubProcessorFact]:
    """Return ``facts`` with the rows of one sub-processor made one fact: purposes joined,
    places added up, categories added up (unknown when one row does not say)."""
    combined: dict[str, SubProcessorFact] = {}
    for fact in facts:
        first = combined.get(fold(fact.name))
        if first is None:
            combined[fold(fact.name)] = fact
            continue
        purposes = [p for p in (first.purpose, fact.purpose) if p]
        categories = (
            None
            if first.categories is None or fact.categories is None
            else list(dict.fromkeys(first.categories + fact.categories))
        )
        combined[fold(fact.name)] = first.model_copy(
            update={
                "purpose": "; ".join(dict.fromkeys(purposes)) or None,
                "categories": categories,
                "locations": first.locations + fact.locations,
            }
        )
    return list(combined.values())
