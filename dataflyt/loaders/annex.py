"""The annex loader: a data-processing-agreement annex with one tab-separated row per service
(service, the provider's role, data types, sub-processors, place of processing), in Norwegian
or English, as in Phonero's "Tjenestebeskrivelse".

Step one reads the document into a ``TablePage`` (``read_tab_rows`` for text: tab-separated
lines are rows, the other lines page text; the PDF reader gives the same shape); step two,
``annex_from_page``, finds the header row and turns each row after it into a
``ServiceRecord``. Neither prints nor exits: problems raise ``LoadError``.
"""

from __future__ import annotations

import re

from dataflyt.errors import LoadError, UnknownProviderError
from dataflyt.loaders.data_types import parse_data_types
from dataflyt.loaders.dates import find_document_date
from dataflyt.loaders.models import (
    DocumentFormat,
    ParsedDocument,
    ServiceRecord,
    Source,
    UnmappedTerm,
)
from dataflyt.loaders.names import parse_subprocessors
from dataflyt.loaders.tables import Table, TablePage, TableRow, TextLine
from dataflyt.loaders.terms import cell_text, clean_cell, parse_locations, parse_role
from dataflyt.loaders.text import SourceText
from dataflyt.loaders.titles import ANNEX_WORDS, provider_in_title
from dataflyt.reference.vocabulary import fold
from dataflyt.safe_text import why_not_a_name

__all__ = [
    "COLUMNS",
    "annex_from_page",
    "is_annex_header",
    "looks_like_annex",
    "parse_annex",
    "read_tab_rows",
]

# column -> pattern its header cell matches (Norwegian, Danish/Swedish or English)
COLUMNS: dict[str, re.Pattern[str]] = {
    "service": re.compile(r"^(tjeneste[rn]?|tjänst(er)?|services?|product|produkt)$"),
    "role": re.compile(r"\brol(le|l)\b|\brole\b"),
    "data": re.compile(
        r"datatyper|data ?types?|personopplysninger|personuppgifter|personal data|"
        r"data categories|kategorier"
    ),
    "subprocessors": re.compile(
        r"underleverandør|underdatabehandler|underbiträde|sub-?processors?|sub-?contractors?"
    ),
    "location": re.compile(
        r"behandlingssted|lokasjon|location|place of processing|country|countries|^land$"
    ),
}
REQUIRED = ("service", "role", "data", "subprocessors", "location")
# "Denne oversikten er et vedlegg til Phoneros databehandleravtale": the text names its provider
_ANNEX_OF = re.compile(
    r"\b(?:vedlegg|bilag|bilaga|annex|appendix|anlage|schedule)\s+(?:til|to|till|zur|zum)\s+"
    r"([A-ZÆØÅÄÖ][\w&.-]*?)(?:['\u2019]s|s)?\s+(?:databehandleravtale|databehandleraftale|"
    r"personuppgiftsbiträdesavtal|data\s+processing\s+(?:agreement|addendum)|dpa|"
    r"auftragsverarbeitungsvertrag)\b",
)
_PORTALS = re.compile(r"(?:\s+(?:din|ditt|dine)\s+\S+)+\s*$", re.I)


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        label = fold(clean_cell(cell))
        for column, pattern in COLUMNS.items():
            if column not in found and pattern.search(label):
                found[column] = index
                break
    return found if all(column in found for column in REQUIRED) else None


def is_annex_header(cells: list[str]) -> bool:
    """Return True when ``cells`` is a header row of the annex table."""
    return _header(cells) is not None


def looks_like_annex(source: SourceText) -> bool:
    """Return True when some line of ``source`` is a header row of the annex table."""
    return any("\t" in line and _header(line.split("\t")) for line in source.lines)


def _provider_from(title: str, lines: list[str]) -> str | None:
    """Return the provider the title ("PHONERO TJENESTEBESKRIVELSE") or the text before the
    table ("... vedlegg til Phoneros databehandleravtale") names, or None: never a word of a
    generic title such as "Bilag 3 - Tjenestebeskrivelse"."""
    named = provider_in_title(title, ANNEX_WORDS)
    if named:
        return named
    for line in lines:
        match = _ANNEX_OF.search(line)
        if match:
            return match.group(1)
    return None


def read_tab_rows(source: SourceText) -> TablePage:
    """Return a text annex as one table of its tab-separated lines, its other non-blank lines
    as page text (step one)."""
    rows, text = [], []
    for number, line in enumerate(source.lines, start=1):
        if "\t" in line:
            rows.append(TableRow(number, line.split("\t")))
        elif line.strip():
            text.append(TextLine(number, line.strip()))
    return TablePage(text=text, tables=[Table(rows)])


def parse_annex(source: SourceText, provider: str | None = None) -> ParsedDocument:
    """Return the document an annex file describes; raise ``LoadError`` on malformed rows."""
    return annex_from_page(read_tab_rows(source), source.path, source.sha256, provider)


def _at(item: TableRow | TextLine) -> tuple[int, int]:
    return (item.page or 1, item.line)


def annex_from_page(
    page: TablePage, path: str, sha256: str, provider: str | None = None
) -> ParsedDocument:
    """Return the document an annex read into ``page`` describes (step two): the rows after
    the first header row are its services, the page text after it its notes. Raise
    ``LoadError`` when there is no header, a row is malformed or the provider is unknown."""
    found = next(
        (
            (table, index, cols)
            for table in page.tables
            for index, row in enumerate(table.rows)
            for cols in [_header(row.cells)]
            if cols
        ),
        None,
    )
    if found is None:
        raise LoadError(path, "no service table header (Tjeneste / Service ...) found")
    table, at, columns = found
    header = table.rows[at]
    width = len(header.cells)
    before = [line.text for line in page.text if _at(line) < _at(header)]
    title = before[0] if before else path.rsplit("/", 1)[-1]
    rows = []
    for row in table.rows[at + 1 :]:
        if len(row.cells) != width:
            raise LoadError(
                path,
                f"row has {len(row.cells)} cells, the header has {width}",
                line=row.line,
                page=row.page,
            )
        rows.append(row)
    notes = [
        Source(file=path, line=line.line, page=line.page, text=line.text)
        for line in page.text
        if _at(line) > _at(header) and fold(line.text) != fold(title)
    ]
    if not rows:
        raise LoadError(path, "the service table has no rows", line=header.line, page=header.page)
    provider = provider or _provider_from(title, before)
    if not provider:
        raise UnknownProviderError(path)
    independent = any(
        note.text.startswith("*") and re.search(r"selvstendig|independent", note.text, re.I)
        for note in notes
    )
    services, unmapped = [], []
    for row in rows:
        record, row_unmapped = _service(row, columns, provider, independent, path)
        services.append(record)
        unmapped.extend(row_unmapped)
    lines = sorted(
        [(_at(line), line.text) for line in page.text]
        + [(_at(row), "\t".join(row.cells)) for t in page.tables for row in t.rows]
    )
    dated = find_document_date([text for _, text in lines])
    return ParsedDocument(
        path=path,
        title=title,
        provider=provider,
        format=DocumentFormat.ANNEX,
        date=dated[0] if dated else None,
        sha256=sha256,
        services=services,
        unmapped=unmapped,
        notes=notes,
    )


def _service(
    row: TableRow, columns: dict[str, int], provider: str, independent: bool, path: str
) -> tuple[ServiceRecord, list[UnmappedTerm]]:
    def cell(column: str) -> str:
        return row.cells[columns[column]]

    def source(column: str) -> Source:
        text = cell_text(cell(column))
        return Source(file=path, line=row.line, page=row.page, text=text)

    raw_name = cell_text(cell("service"))
    if problem := why_not_a_name(raw_name, "the service name"):
        raise LoadError(path, problem, line=row.line, field="Tjeneste", page=row.page)
    name, portals = _split_portals(raw_name)
    role_source = source("role")
    role = parse_role(cell("role"), independent)
    unmapped: list[UnmappedTerm] = []
    if role is None:
        unmapped.append(UnmappedTerm(kind="role", text=role_source.text, source=role_source))
    terms = parse_data_types(cell("data"), source("data"))
    locations, unknown_places = parse_locations(cell("location"), source("location"))
    unmapped.extend(terms.unmapped)
    unmapped.extend(unknown_places)
    # a row's place of processing covers its service and the sub-processors it names
    subprocessors = [
        sub.model_copy(update={"locations": list(locations)})
        for sub in parse_subprocessors(cell("subprocessors"), source("subprocessors"))
    ]
    record = ServiceRecord(
        name=name,
        provider=provider,
        role=role or "unknown",
        role_text=role_source.text,
        categories=list(terms.categories.values()),
        subprocessors=subprocessors,
        locations=locations,
        portals=portals,
        source=Source(file=path, line=row.line, page=row.page, text=raw_name),
    )
    return record, unmapped


def _split_portals(raw_name: str) -> tuple[str, list[str]]:
    """Split "Phonero Link din Bedrift ditt Phonero" into the service and its portals."""
    tail = _PORTALS.search(raw_name)
    if tail is None or tail.start() == 0:
        return raw_name, []
    portals = re.findall(r"(?:din|ditt|dine)\s+\S+", tail.group(0), re.I)
    return raw_name[: tail.start()].strip(), [p[0].upper() + p[1:] for p in portals]
