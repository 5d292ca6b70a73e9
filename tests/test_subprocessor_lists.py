"""Sub-processor lists from HTML, Markdown and CSV: columns, places and safeguards, dates,
provider and services, exact answers of ``breach`` and ``touches``, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError, UnknownProviderError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.loaders.list_columns import ListColumn, recognise_columns
from dataflyt.loaders.models import DocumentFormat, ParsedDocument, Source
from dataflyt.loaders.places import parse_location_cell
from dataflyt.queries.breach import breach
from dataflyt.queries.touches import touches

DATA = Path(__file__).parent / "data"
HTML = DATA / "zendesk-subprocessors.html"
MARKDOWN = DATA / "slack-subprocessors.md"
CSV = DATA / "telenor-underleverandorer.csv"


def _subprocessors(doc: ParsedDocument, service: int = 0) -> list[tuple[str, str | None]]:
    return [(s.name, s.purpose) for s in doc.services[service].subprocessors]


def _places(doc: ParsedDocument, name: str) -> list[tuple[str, list[str]]]:
    sub = next(s for s in doc.services[0].subprocessors if s.name == name)
    return [(place.code, place.safeguards) for place in sub.locations]


# -- HTML -------------------------------------------------------------------------------------


def test_html_page_reads_the_table_not_navigation_or_footer() -> None:
    doc = parse_document(HTML)
    assert doc.format is DocumentFormat.SUBPROCESSORS_HTML
    assert (doc.provider, doc.title, str(doc.date)) == (
        "Zendesk",
        "Zendesk Sub-processors | Zendesk Trust Center",
        "2020-07-01",
    )
    assert [s.name for s in doc.services] == ["Zendesk"]
    assert _subprocessors(doc) == [
        ("Amazon Web Services, Inc.", "Hosting & storage"),
        ("Google LLC", "Email; Analytics"),
        ("ZENDESK INC", "Support services"),
    ]


def test_html_places_and_safeguards() -> None:
    doc = parse_document(HTML)
    assert _places(doc, "Amazon Web Services, Inc.") == [("US", ["scc"])]
    assert _places(doc, "Google LLC") == [("EEA", []), ("GB", ["adequacy"]), ("US", ["scc"])]
    assert _places(doc, "ZENDESK INC") == [("WORLDWIDE", [])]
    # a row's places describe that engagement only, never the provider's service
    assert doc.services[0].locations == []


def test_html_section_rows_become_notes_and_other_columns_attributes() -> None:
    doc = parse_document(HTML)
    assert [(n.line, n.text) for n in doc.notes] == [(21, "Infrastructure")]
    aws = doc.services[0].subprocessors[0]
    assert (aws.attributes, aws.source.line) == ({"Website": "aws.amazon.com"}, 22)


# -- Markdown ---------------------------------------------------------------------------------


def test_markdown_relevant_services_link_rows_to_services() -> None:
    doc = parse_document(MARKDOWN)
    assert (doc.provider, str(doc.date), doc.format) == (
        "Slack",
        "2024-09-12",
        DocumentFormat.SUBPROCESSORS_MARKDOWN,
    )
    assert [s.name for s in doc.services] == ["Huddles", "Workflows", "Help Center"]
    assert [s.name for s in doc.services[2].subprocessors] == [
        "Amazon Web Services, Inc.",
        "Zendesk",
    ]
    assert _subprocessors(doc, 0) == [
        ("Amazon Web Services, Inc.", "Cloud hosting"),
        ("Twilio Inc.", "SMS delivery"),
    ]
    zendesk = doc.services[2].subprocessors[1]
    assert zendesk.purpose == "Customer support | ticketing"
    assert zendesk.categories == ["name", "email_address", "support_correspondence"]
    assert [c.key for c in doc.services[0].categories] == ["name", "email_address", "phone_number"]


# -- CSV --------------------------------------------------------------------------------------


def test_norwegian_csv_with_provider_and_service_options() -> None:
    doc = parse_document(CSV, "Telenor", service="Mobil")
    assert (doc.provider, str(doc.date), [s.name for s in doc.services]) == (
        "Telenor",
        "2018-09-25",
        ["Mobil"],
    )
    assert _subprocessors(doc) == [
        ("Telenor Norge AS", "Drift av nett"),
        ("Microsoft Ireland Operations Ltd", "E-post og lagring"),
        ("Salesforce.com, Inc.", "CRM"),
    ]
    assert _places(doc, "Microsoft Ireland Operations Ltd") == [("EEA", []), ("US", ["scc"])]
    assert [(u.kind, u.text, u.source.line) for u in doc.unmapped] == [
        ("category", "skostørrelse", 5)
    ]


def test_csv_without_provider_in_the_document_asks_for_one(tmp_path: Path) -> None:
    with pytest.raises(UnknownProviderError) as error:
        parse_document(CSV)
    assert str(error.value) == (
        f"{CSV}: cannot tell whose document this is (it names no provider); give --provider NAME"
    )
    assert error.value.exit_code == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Name,Location\n,Norway\n", "2: Name: the sub-processor name is empty"),
        ("Name,Location\nAcme,Norway,extra\n", "2: row has 3 cells, the header has 2"),
        ("Name,Location\n", "1: the sub-processor table has no rows"),
    ],
)
def test_bad_rows_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "list.csv"
    path.write_text(content, "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path, "X")
    assert str(error.value) == f"{path}:{message}"


# -- columns, places, dates -------------------------------------------------------------------

ISSUE_COLUMNS = {
    ListColumn.NAME: "Entity, Entity name, Sub-processor, Subprocessor, Provider, Name, Company, "
    "Third-party entity, Leverandør, Underleverandør, Underdatabehandler, Underbiträde",
    ListColumn.PURPOSE: "Purpose, Service, Function, Description, Description of processing, "
    "Bruk, Beskrivelse, Formål, Syfte",
    ListColumn.PLACES: "Location, Country, Data location, Location of processing, "
    "Hosting location, Lokasjon, Datalokation, Behandlingssted",
    ListColumn.COUNTRY: "Corporate location",
    ListColumn.DATA: "Personal data, Data categories, Personopplysninger, Personuppgifter",
    ListColumn.SERVICES: "Relevant services",
}


@pytest.mark.parametrize(
    ("column", "header"),
    [(column, name) for column, names in ISSUE_COLUMNS.items() for name in names.split(", ")],
)
def test_every_column_name_of_the_issue_is_recognised(column: ListColumn, header: str) -> None:
    for written in (header, header.upper(), f" {header}: "):
        assert recognise_columns([written]) == {column: [0]}


@pytest.mark.parametrize(
    ("cell", "places", "unmapped"),
    [
        ("EEA, UK, India, US", [("EEA", []), ("GB", []), ("IN", []), ("US", [])], []),
        ("EU/EØS", [("EEA", [])], []),
        ("Worldwide", [("WORLDWIDE", [])], []),
        ("Region designated by Customer", [("CUSTOMER_REGION", [])], []),
        # Europe reaches beyond the EEA (the UK, Switzerland, Turkey): not pinned down to it
        ("Europe", [("EUROPE", [])], []),
        ("Europa, USA", [("EUROPE", []), ("US", [])], []),
        ("USA (SCCs)", [("US", ["scc"])], []),
        ("UK (Adequacy)", [("GB", ["adequacy"])], []),
        ("USA, overføring etter Standard Contractual Clauses", [("US", ["scc"])], []),
        ("Ireland, USA (SCCs and DPF)", [("IE", []), ("US", ["scc", "dpf"])], []),
        ("Norge, USA, basert på BCR", [("NO", []), ("US", ["bcr"])], []),
        ("SCCs", [], [("safeguard", "Standard Contractual Clauses")]),
        ("Narnia, Sweden", [("SE", [])], [("location", "Narnia")]),
    ],
)
def test_location_cells_keep_countries_regions_and_safeguards_apart(
    cell: str, places: list[tuple[str, list[str]]], unmapped: list[tuple[str, str]]
) -> None:
    found, unknown = parse_location_cell(cell, Source(file="x"))
    assert [(p.code, p.safeguards) for p in found] == places
    assert [(u.kind, u.text) for u in unknown] == unmapped


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Updated: 1 July 2020", "2020-07-01"),
        ("Last update: 2024-09-12", "2024-09-12"),
        ("DATE: May 6th, 2025", "2025-05-06"),
        ("Oppdatert: 25. september 2018", "2018-09-25"),
        ("Last modified: 3 March 2023", "2023-03-03"),
    ],
)
def test_page_dates(tmp_path: Path, line: str, date: str) -> None:
    path = tmp_path / "list.md"
    path.write_text(f"# Acme sub-processors\n\n{line}\n\n| Name |\n|---|\n| AWS |\n", "utf-8")
    assert str(parse_document(path).date) == date


@pytest.mark.parametrize(
    ("title", "provider"),
    [
        ("Sub-processors | Slack", "Slack"),
        ("Zendesk Sub-processors | Zendesk Trust Center", "Zendesk"),
        ("List of sub-processors of Acme", "Acme"),
        ("Underleverandører for Phonero", "Phonero"),
    ],
)
def test_provider_from_the_page_title(tmp_path: Path, title: str, provider: str) -> None:
    path = tmp_path / "list.html"
    path.write_text(
        f"<title>{title}</title><table><tr><th>Name</th></tr><tr><td>AWS</td></tr></table>",
        "utf-8",
    )
    assert parse_document(path).provider == provider


# -- queries and the command line -------------------------------------------------------------


def test_breach_and_touches_on_a_list(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [MARKDOWN])
    result = breach(store, "Twilio")
    assert [
        (s.facts.name, [link.name for link in s.chain], s.exposed) for s in result.services
    ] == [
        ("Huddles", ["Customer", "Slack", "Twilio Inc."], ["phone_number"]),
        ("Workflows", ["Customer", "Slack", "Twilio Inc."], ["phone_number"]),
    ]
    assert [s.service.name for s in touches(store, "email address").services] == [
        "Help Center",
        "Huddles",
        "Workflows",
    ]


def test_list_without_services_column_is_one_service_named_after_the_provider(
    tmp_path: Path,
) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [CSV], "Telenor")
    result = breach(store, "Salesforce.com")
    assert [
        (s.facts.name, s.facts.provider.name if s.facts.provider else None) for s in result.services
    ] == [("Telenor", "Telenor")]
    assert [c.key for c in result.data_categories] == [
        "name",
        "phone_number",
        "unmapped:skostørrelse",
    ]


def test_cli_format_and_service_options(tmp_path: Path, runner: CliRunner) -> None:
    text = tmp_path / "list.txt"
    text.write_text(MARKDOWN.read_text("utf-8"), "utf-8")
    map_path = tmp_path / "map.json"
    args = ["load", "--map", str(map_path), "--format", "subprocessors-md", str(text)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "Loaded Slack's sub-processors (Slack, dated 2024-09-12): 3 services" in result.stdout
    result = runner.invoke(
        app,
        ["load", "--map", str(map_path), "--provider", "Telenor", "--service", "Mobil", str(CSV)],
    )
    assert result.exit_code == 0, result.output
    assert "Loaded Telenor sub-processors (Telenor, dated 2018-09-25): 1 service" in result.stdout


def test_cli_bad_list_is_one_line_and_leaves_the_map_unchanged(
    tmp_path: Path, runner: CliRunner
) -> None:
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(HTML)]).exit_code == 0
    before = map_path.read_bytes()
    bad = tmp_path / "bad.md"
    bad.write_text("# Acme sub-processors\n\n| Tjenestetype | Land |\n|---|---|\n| X | Norge |\n")
    result = runner.invoke(app, ["load", "--map", str(map_path), str(MARKDOWN), str(bad)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"dataflyt: error: {bad}:3: no sub-processor name column")
    assert len(result.stderr.splitlines()) == 1
    assert map_path.read_bytes() == before
