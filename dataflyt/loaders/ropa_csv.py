"""The record-of-processing loader: a register kept in a spreadsheet and saved as CSV, one row
per processing activity (GDPR Art. 30), with English or Norwegian/Nordic column names.

Each activity becomes a service: provided by its processor when the row names one (role
processor), else by the controller (role controller). Step one reads the rows (``tables``),
step two validates each row into a ``ServiceRecord``; errors name the file, line and column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dataflyt.errors import LoadError
from dataflyt.loaders.columns import match_columns
from dataflyt.loaders.data_types import parse_data_types
from dataflyt.loaders.dates import find_document_date
from dataflyt.loaders.models import (
    DocumentFormat,
    OrganisationRecord,
    ParsedDocument,
    ServiceRecord,
    Source,
    UnmappedTerm,
)
from dataflyt.loaders.names import parse_subprocessors
from dataflyt.loaders.places import apply_safeguards, parse_location_cell, take_safeguards
from dataflyt.loaders.tables import TableRow, read_csv
from dataflyt.loaders.terms import cell_text, clean_cell, parse_role
from dataflyt.loaders.text import SourceText
from dataflyt.reference.vocabulary import fold, vocabulary
from dataflyt.safe_text import why_not_a_name

__all__ = ["ROPA_COLUMNS", "is_ropa_header", "parse_ropa_csv"]

# column -> the header names it is recognised by (the first is the documented one)
ROPA_COLUMNS: dict[str, tuple[str, ...]] = {
    "activity": (
        "Activity",
        "Processing activity",
        "Name of processing",
        "Behandlingsaktivitet",
        "Behandling",
        "Aktivitet",
        "Behandlingsaktivitet/system",
        "Behandlingsverksamhet",
    ),
    "controller": ("Controller", "Behandlingsansvarlig", "Personuppgiftsansvarig"),
    "processor": (
        "Processor",
        "Vendor",
        "Supplier",
        "System provider",
        "Databehandler",
        "Leverandør",
        "Personuppgiftsbiträde",
        "Leverantör",
    ),
    "role": ("Role", "Rolle", "Roll"),
    "purposes": ("Purposes", "Purpose", "Formål", "Syfte", "Ändamål"),
    "legal_basis": (
        "Legal basis",
        "Lawful basis",
        "Behandlingsgrunnlag",
        "Rettslig grunnlag",
        "Rättslig grund",
    ),
    "subjects": (
        "Data subjects",
        "Categories of data subjects",
        "Registrerte",
        "De registrerte",
        "Kategorier av registrerte",
        "Registrerade",
    ),
    "data": (
        "Data categories",
        "Personal data",
        "Categories of personal data",
        "Personopplysninger",
        "Kategorier av personopplysninger",
        "Personuppgifter",
        "Datatyper",
    ),
    "subprocessors": (
        "Sub-processors",
        "Subprocessors",
        "Underleverandører",
        "Underdatabehandlere",
        "Underbiträden",
    ),
    "recipients": ("Recipients", "Categories of recipients", "Mottakere", "Mottagare"),
    "countries": (
        "Countries",
        "Country",
        "Location",
        "Third countries",
        "Transfers",
        "Behandlingssted",
        "Land",
        "Overføring til tredjeland",
        "Tredjeland",
    ),
    "safeguards": (
        "Safeguards",
        "Transfer safeguards",
        "Overføringsgrunnlag",
        "Garantier",
        "Skyddsåtgärder",
    ),
    "retention": (
        "Retention",
        "Retention period",
        "Storage period",
        "Lagringstid",
        "Slettefrist",
        "Sletting",
        "Lagringstid/sletting",
        "Gallring",
    ),
    "security_measures": (
        "Security measures",
        "Technical and organisational measures",
        "Security",
        "Sikkerhetstiltak",
        "Tekniske og organisatoriske tiltak",
        "Säkerhetsåtgärder",
    ),
}


def is_ropa_header(cells: list[str]) -> bool:
    """Return True when ``cells`` is a record-of-processing header (it has an activity column)."""
    return "activity" in match_columns(cells, ROPA_COLUMNS)


@dataclass(frozen=True)
class _Row:
    row: TableRow
    header: list[str]
    columns: dict[str, list[int]]
    path: str

    def get(self, column: str) -> str:
        """Return the row's text in ``column`` ("" when the column is missing or empty)."""
        indexes = self.columns.get(column, [])
        cells = [self.row.cells[i] if i < len(self.row.cells) else "" for i in indexes]
        return "\n".join(text for cell in cells if (text := clean_cell(cell)))

    def source(self, column: str) -> Source:
        return Source(file=self.path, line=self.row.line, text=" ".join(self.get(column).split()))

    def fail(self, column: str, message: str) -> LoadError:
        """Return the error ``message`` at this row, in ``column`` where the header has it."""
        if column not in self.columns:
            return LoadError(self.path, message, line=self.row.line, field=column)
        index = self.columns[column][0]
        return LoadError(
            self.path, message, line=self.row.line, column=index + 1, field=self.header[index]
        )


def parse_ropa_csv(source: SourceText, provider: str | None = None) -> ParsedDocument:
    """Return the processing activities of a CSV record of processing; raise ``LoadError``
    for a missing activity column, an empty activity, an unknown role or no controller."""
    page = read_csv(source, is_ropa_header)
    rows = page.tables[0].rows
    columns = match_columns(rows[0].cells, ROPA_COLUMNS) if rows else {}
    if "activity" not in columns:
        raise LoadError(
            source.path,
            "no processing-activity column found (expected Activity, Processing activity or "
            "Behandlingsaktivitet)",
            line=rows[0].line if rows else 1,
        )
    header = [cell_text(c) for c in rows[0].cells]
    width = len(header)
    services: list[ServiceRecord] = []
    organisations: list[OrganisationRecord] = []
    unmapped: list[UnmappedTerm] = []
    seen: dict[tuple[str, str], int] = {}
    for row in rows[1:]:
        if any(c.strip() for c in row.cells[width:]):
            raise LoadError(
                source.path,
                f"row has {len(row.cells)} cells, the header has {width}",
                line=row.line,
            )
        record, row_unmapped, controller = _activity(
            _Row(row, header, columns, source.path), provider
        )
        key = (fold(record.provider), fold(record.name))
        if key in seen:
            raise _Row(row, header, columns, source.path).fail(
                "activity", f"activity {record.name!r} is already on line {seen[key]}"
            )
        seen[key] = row.line
        services.append(record)
        unmapped.extend(row_unmapped)
        organisations.append(OrganisationRecord(name=controller, source=record.source))
    if not services:
        raise LoadError(source.path, "the record of processing has no rows", line=rows[0].line)
    dated = find_document_date([line.text for line in page.text])
    return ParsedDocument(
        path=source.path,
        title=f"Record of processing ({Path(source.path).stem})",
        provider=provider or organisations[0].name,
        format=DocumentFormat.ROPA_CSV,
        date=dated[0] if dated else None,
        sha256=source.sha256,
        services=services,
        organisations=organisations,
        unmapped=unmapped,
    )


def _activity(row: _Row, provider: str | None) -> tuple[ServiceRecord, list[UnmappedTerm], str]:
    name = " ".join(row.get("activity").split())
    if problem := why_not_a_name(name, "the processing activity"):
        raise row.fail("activity", problem)
    controller = " ".join(row.get("controller").split()) or provider
    if not controller:
        raise row.fail("controller", "no controller: fill the Controller column or pass --provider")
    processor = " ".join(row.get("processor").split())
    role_text = " ".join(row.get("role").split())
    role = parse_role(role_text, independent_footnote=False) if role_text else None
    if role_text and role is None:
        known = ", ".join(sorted(vocabulary().roles))
        raise row.fail("role", f"{role_text!r} is not a known role ({known})")
    subjects = {m.key for m in vocabulary().find("subjects", row.get("subjects"))}
    unmapped = _unknown_subjects(row)
    terms = parse_data_types(row.get("data"), row.source("data"), subjects=subjects)
    places, unknown_places = parse_location_cell(row.get("countries"), row.source("countries"))
    keys, rest = take_safeguards(row.get("safeguards"))
    places, unplaced = apply_safeguards(places, keys, row.source("safeguards"))
    leftover = " ".join(rest.split()).strip(" ,;.")
    if leftover:
        unmapped.append(
            UnmappedTerm(kind="safeguard", text=leftover, source=row.source("safeguards"))
        )
    record = ServiceRecord(
        name=name,
        provider=processor or controller,
        role=role or ("processor" if processor else "controller"),
        role_text=role_text or ("processor" if processor else "controller"),
        categories=list(terms.categories.values()),
        subprocessors=parse_subprocessors(row.get("subprocessors"), row.source("subprocessors")),
        locations=places,
        purposes=_list(row.get("purposes")),
        recipients=_list(row.get("recipients")),
        legal_basis=row.get("legal_basis") or None,
        retention=row.get("retention") or None,
        security_measures=row.get("security_measures") or None,
        source=Source(file=row.path, line=row.row.line, text=name),
    )
    return record, unmapped + terms.unmapped + unknown_places + unplaced, controller


def _unknown_subjects(row: _Row) -> list[UnmappedTerm]:
    """Return the data subjects of the row that the vocabulary does not know."""
    return [
        UnmappedTerm(kind="subject", text=word, source=row.source("subjects"))
        for word in _list(row.get("subjects"))
        if not vocabulary().find("subjects", word)
    ]


def _list(text: str) -> list[str]:
    parts = (p.strip(" .") for line in text.split("\n") for p in line.replace(";", ",").split(","))
    return [p for p in parts if p]
