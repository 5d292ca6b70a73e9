"""The sub-processor list loader: a vendor's published table of the entities it engages (name,
purpose, places, sometimes data categories, dates and the services concerned), from CSV, a
saved HTML page, a Markdown pipe table or a PDF.

Step one reads the document into rows (``tables``, ``html_tables``, ``pdf``); step two,
``subprocessor_list_from_page``, finds each table's header by what its columns mean
(``list_columns``) and reads each row (``list_rows``). What a row states describes that
engagement only: its places stay on the row's sub-processor, never on the provider's service.
A list without a services column covers the provider's service as a whole: one service named
after the provider, or ``service``.
"""

from __future__ import annotations

from dataflyt.errors import LoadError, UnknownProviderError
from dataflyt.loaders.dates import find_document_date
from dataflyt.loaders.html_tables import read_html
from dataflyt.loaders.list_columns import (
    ColumnMapping,
    ListColumn,
    is_list_header,
    recognise_columns,
)
from dataflyt.loaders.list_rows import ListEntry, ListHeader, read_entry
from dataflyt.loaders.models import (
    DocumentFormat,
    OrganisationRecord,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
)
from dataflyt.loaders.places import footnote_marker
from dataflyt.loaders.tables import Table, TablePage, TableRow, read_csv, read_markdown
from dataflyt.loaders.terms import TermsFound, cell_text
from dataflyt.loaders.text import SourceText
from dataflyt.loaders.titles import provider_in_title
from dataflyt.reference.vocabulary import fold

__all__ = ["parse_subprocessor_list", "provider_from_page", "subprocessor_list_from_page"]

_ROLE_TEXT = "processor (it publishes the list of its sub-processors)"


def _read(source: SourceText, fmt: DocumentFormat, columns: ColumnMapping | None) -> TablePage:
    if fmt is DocumentFormat.SUBPROCESSORS_HTML:
        return read_html(source)
    if fmt is DocumentFormat.SUBPROCESSORS_MARKDOWN:
        return read_markdown(source)
    return read_csv(source, lambda cells: is_list_header(cells, columns))


def _headers(page: TablePage, columns: ColumnMapping | None) -> list[tuple[Table, int, ListHeader]]:
    found = []
    for table in page.tables:
        for index, row in enumerate(table.rows):
            if is_list_header(row.cells, columns):
                header = ListHeader(row, recognise_columns(row.cells, columns))
                found.append((table, index, header))
                break
    return found


def provider_from_page(page: TablePage) -> str | None:
    """Return the provider a list's title or first heading names ("Zendesk Sub-processors",
    "Sub-processors | Slack", "Slack's sub-processors"), or None."""
    for text in filter(None, [page.title, *page.headings[:1]]):
        name = provider_in_title(text)
        if name:
            return name
    return None


def parse_subprocessor_list(
    source: SourceText,
    fmt: DocumentFormat,
    provider: str | None = None,
    service: str | None = None,
    columns: ColumnMapping | None = None,
) -> ParsedDocument:
    """Return the services and sub-processors a sub-processor list states; raise ``LoadError``
    when no table has a name column (or the columns ``columns`` names), a row is malformed,
    and ``UnknownProviderError`` when neither ``provider`` nor the page names the provider."""
    page = _read(source, fmt, columns)
    return subprocessor_list_from_page(
        page, source.path, source.sha256, fmt, provider, service, columns
    )


def subprocessor_list_from_page(
    page: TablePage,
    path: str,
    sha256: str,
    fmt: DocumentFormat,
    provider: str | None = None,
    service: str | None = None,
    columns: ColumnMapping | None = None,
) -> ParsedDocument:
    """Return the services and sub-processors a list read into ``page`` states (step two);
    raise as ``parse_subprocessor_list`` does."""
    headers = _headers(page, columns)
    if not headers:
        raise _no_name_column(path, page, columns)
    _check_mapping(path, headers[0][2], columns)
    provider = provider or provider_from_page(page)
    if not provider:
        raise UnknownProviderError(path)
    entries: list[ListEntry] = []
    notes: list[Source] = []
    footnotes = _footnotes(page)
    for table, index, header in headers:
        for row in table.rows[index + 1 :]:
            if row.section and len(header.row.cells) > 1:
                text = cell_text(row.cells[0])
                notes.append(Source(file=path, line=row.line, page=row.page, text=text))
            elif not _repeats_header(row, header):
                entries.append(read_entry(row, header, path, footnotes))
    first = headers[0][2].row
    if not entries:
        raise LoadError(
            path, "the sub-processor table has no rows", line=first.line, page=first.page
        )
    dated = find_document_date([line.text for line in page.text] + [n.text for n in notes])
    titles = [t for t in (page.title, *page.headings[:1]) if t and not find_document_date([t])]
    title = titles[0] if titles else f"{provider} sub-processors"
    return ParsedDocument(
        path=path,
        title=title,
        provider=provider,
        about=service,
        format=fmt,
        date=dated[0] if dated else None,
        sha256=sha256,
        services=_services(entries, provider, service, path, first),
        organisations=_organisations(entries),
        unmapped=[term for entry in entries for term in entry.unmapped],
        notes=notes,
    )


def _footnotes(page: TablePage) -> dict[str, str]:
    """Return the page's footnotes by marker, from its text and its one-cell rows ("* Transfers
    under the SCCs"); the first footnote of a marker wins."""
    lines = [line.text for line in page.text]
    lines += [cell_text(row.cells[0]) for table in page.tables for row in table.rows if row.section]
    found: dict[str, str] = {}
    for mark, text in filter(None, map(footnote_marker, lines)):
        found.setdefault(mark, text)
    return found


def _organisations(entries: list[ListEntry]) -> list[OrganisationRecord]:
    """Return the organisation records of the rows, one per name and country."""
    records: dict[tuple[str, str | None], OrganisationRecord] = {}
    for entry in entries:
        if entry.organisation is not None:
            key = (fold(entry.organisation.name), entry.organisation.country)
            records.setdefault(key, entry.organisation)
    return list(records.values())


def _header_text(cells: list[str]) -> str:
    return " | ".join(cell_text(c) for c in cells)[:160]


def _no_name_column(path: str, page: TablePage, columns: ColumnMapping | None) -> LoadError:
    tables = [t for t in page.tables if t.rows]
    if not tables:
        return LoadError(path, "no table found (expected a sub-processor list)")
    first = max(tables, key=lambda t: len(t.rows[0].cells)).rows[0]
    seen = _header_text(first.cells)
    if columns and ListColumn.NAME in columns:
        problem = f"no column {columns[ListColumn.NAME]!r} (--columns name=) in the table"
    else:
        problem = "no sub-processor name column found"
    example = cell_text(first.cells[0])[:40] if first.cells else "HEADER"
    return LoadError(
        path,
        f"{problem}; the table header reads: {seen}; name the columns by hand, e.g. "
        f'--columns name="{example}",purpose="...",places="..."',
        line=first.line,
        page=first.page,
    )


def _check_mapping(path: str, header: ListHeader, columns: ColumnMapping | None) -> None:
    """Raise ``LoadError`` when ``columns`` names a header the table does not have."""
    for column, wanted in (columns or {}).items():
        if column not in header.columns:
            raise LoadError(
                path,
                f"no column {wanted!r} (--columns {column.value}=) in the table; the table "
                f"header reads: {_header_text(header.row.cells)}",
                line=header.row.line,
                page=header.row.page,
            )


def _repeats_header(row: TableRow, header: ListHeader) -> bool:
    index = header.first(ListColumn.NAME)
    index = header.first(ListColumn.ENTITY) if index is None else index
    cell = header.row.cells[index] if index is not None else ""
    return index is not None and index < len(row.cells) and fold(row.cells[index]) == fold(cell)


def _services(
    entries: list[ListEntry], provider: str, service: str | None, path: str, header: TableRow
) -> list[ServiceRecord]:
    """Return the services the entries serve. A service's places are not stated by a list:
    each row's places belong to that row's sub-processor only."""
    named = list(dict.fromkeys(name for entry in entries for name in entry.services))
    names = named or [service or provider]
    records = []
    for name in names:
        linked = [e for e in entries if not e.services or name in e.services]
        terms = TermsFound()
        for entry in linked:
            for fact in entry.terms.categories.values():
                terms.add_fact(fact)
        records.append(
            ServiceRecord(
                name=name,
                provider=provider,
                role="processor",
                role_text=_ROLE_TEXT,
                categories=list(terms.categories.values()),
                subprocessors=_combined([entry.fact for entry in linked]),
                locations=[],
                source=Source(file=path, line=header.line, page=header.page, text=name),
            )
        )
    return records


def _joined(first: str | None, second: str | None) -> str | None:
    return "; ".join(dict.fromkeys(v for v in (first, second) if v)) or None


def _combined(facts: list[SubProcessorFact]) -> list[SubProcessorFact]:
    """Return ``facts`` with the rows of one sub-processor made one fact: purposes, aliases and
    attributes joined, places added up, the earliest date kept, categories added up (unknown
    when one row does not say)."""
    combined: dict[str, SubProcessorFact] = {}
    for fact in facts:
        first = combined.get(fold(fact.name))
        if first is None:
            combined[fold(fact.name)] = fact
            continue
        categories = (
            None
            if first.categories is None or fact.categories is None
            else list(dict.fromkeys(first.categories + fact.categories))
        )
        attributes = dict(first.attributes)
        for key, value in fact.attributes.items():
            attributes[key] = _joined(attributes.get(key), value) or value
        dates = [d for d in (first.added, fact.added) if d is not None]
        combined[fold(fact.name)] = first.model_copy(
            update={
                "purpose": _joined(first.purpose, fact.purpose),
                "aliases": list(dict.fromkeys(first.aliases + fact.aliases)),
                "categories": categories,
                "locations": first.locations + fact.locations,
                "attributes": attributes,
                "added": min(dates) if dates else None,
            }
        )
    return list(combined.values())
