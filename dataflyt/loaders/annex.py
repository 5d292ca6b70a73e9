"""The annex loader: a data-processing-agreement annex with one tab-separated row per service
(service, the provider's role, data types, sub-processors, place of processing), in Norwegian
or English, as in Phonero's "Tjenestebeskrivelse".

Step one reads the table into rows with line numbers; step two turns each row into a
``ServiceRecord``. Neither prints nor exits: problems raise ``LoadError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
from dataflyt.loaders.terms import clean_cell, parse_locations, parse_role
from dataflyt.loaders.text import SourceText
from dataflyt.loaders.titles import ANNEX_WORDS, provider_in_title
from dataflyt.reference.vocabulary import fold
from dataflyt.safe_text import why_not_a_name

__all__ = ["COLUMNS", "looks_like_annex", "parse_annex"]

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


@dataclass(frozen=True)
class _Row:
    line: int
    cells: list[str]
    text: str


def _header(cells: list[str]) -> dict[str, int] | None:
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        label = fold(clean_cell(cell))
        for column, pattern in COLUMNS.items():
            if column not in found and pattern.search(label):
                found[column] = index
                break
    return found if all(column in found for column in REQUIRED) else None


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


def parse_annex(source: SourceText, provider: str | None = None) -> ParsedDocument:
    """Return the document an annex file describes; raise ``LoadError`` on malformed rows."""
    lines = source.lines
    header_at, columns = next(
        (
            (n, cols)
            for n, line in enumerate(lines)
            if "\t" in line
            for cols in [_header(line.split("\t"))]
            if cols
        ),
        (None, None),
    )
    if header_at is None or columns is None:
        raise LoadError(source.path, "no service table header (Tjeneste / Service ...) found")
    width = len(lines[header_at].split("\t"))
    title = next((line.strip() for line in lines[:header_at] if line.strip()), "")
    title = title or source.path.rsplit("/", 1)[-1]
    rows, notes = [], []
    for index in range(header_at + 1, len(lines)):
        line = lines[index]
        if "\t" in line:
            cells = line.split("\t")
            if len(cells) != width:
                raise LoadError(
                    source.path,
                    f"row has {len(cells)} cells, the header has {width}",
                    line=index + 1,
                )
            rows.append(_Row(index + 1, cells, line))
        elif line.strip() and fold(line) != fold(title):
            notes.append(Source(file=source.path, line=index + 1, text=line.strip()))
    if not rows:
        raise LoadError(source.path, "the service table has no rows", line=header_at + 1)
    provider = provider or _provider_from(title, lines[:header_at])
    if not provider:
        raise UnknownProviderError(source.path)
    independent = any(
        note.text.startswith("*") and re.search(r"selvstendig|independent", note.text, re.I)
        for note in notes
    )
    services, unmapped = [], []
    for row in rows:
        record, row_unmapped = _service(row, columns, provider, independent, source.path)
        services.append(record)
        unmapped.extend(row_unmapped)
    dated = find_document_date(lines)
    return ParsedDocument(
        path=source.path,
        title=title,
        provider=provider,
        format=DocumentFormat.ANNEX,
        date=dated[0] if dated else None,
        sha256=source.sha256,
        services=services,
        unmapped=unmapped,
        notes=notes,
    )


def _service(
    row: _Row, columns: dict[str, int], provider: str, independent: bool, path: str
) -> tuple[ServiceRecord, list[UnmappedTerm]]:
    def cell(column: str) -> str:
        return row.cells[columns[column]]

    def source(column: str) -> Source:
        return Source(file=path, line=row.line, text=" ".join(clean_cell(cell(column)).split()))

    raw_name = " ".join(clean_cell(cell("service")).split())
    if problem := why_not_a_name(raw_name, "the service name"):
        raise LoadError(path, problem, line=row.line, field="Tjeneste")
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
        source=Source(file=path, line=row.line, text=raw_name),
    )
    return record, unmapped


def _split_portals(raw_name: str) -> tuple[str, list[str]]:
    """Split "Phonero Link din Bedrift ditt Phonero" into the service and its portals."""
    tail = _PORTALS.search(raw_name)
    if tail is None or tail.start() == 0:
        return raw_name, []
    portals = re.findall(r"(?:din|ditt|dine)\s+\S+", tail.group(0), re.I)
    return raw_name[: tail.start()].strip(), [p[0].upper() + p[1:] for p in portals]
