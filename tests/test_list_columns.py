"""Sub-processor list columns recognised by what their headers mean, in five languages and in
long descriptive headers, and named by hand (``--columns``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.errors import LoadError
from dataflyt.loaders import parse_document
from dataflyt.loaders.list_columns import ListColumn, parse_column_mapping, recognise_columns

C = ListColumn

MEANINGS = {
    C.NAME: [
        "Name of Subprocessor",
        "Entity name",
        "Sub-processor",
        "Subprocessors",
        "Third-party entity",
        "Vendor",
        "Company",
        "The identity of the Sub-Processor (including full legal name, company registration "
        "number and address):",
        "Underdatabehandler",
        "Underleverandør",
        "Leverandør",
        "Navn",
        "Underbiträde",
        "Leverantör",
        "Unterauftragsverarbeiter",
        "Dienstleister",
    ],
    C.ENTITY: ["Legal Entity", "Legal name", "Juridisk enhet"],
    C.PURPOSE: [
        "Purpose",
        "Purpose of processing",
        "Description of the processing",
        "Description of Processing",
        "The type of service provided by the Sub-Processor:",
        "Service",
        "Function",
        "Nature of processing",
        "Beskrivelse af behandling",
        "Funktion",
        "Formål",
        "Bruk",
        "Ändamål",
        "Behandling",
        "Art der Tätigkeit",
        "Zweck",
    ],
    C.PLACES: [
        "Location",
        "Location of Processing",
        "Location of subprocessors",
        "Processing Location",
        "Country of Data Processing",
        "Data location",
        "Hosting location",
        "The location where the Sub-Processor will process the Personal Data on behalf of the "
        "Data Controller, including applicable safeguards if personal data is processed "
        "outside of EU/EEA:",
        "Datalokation",
        "Land",
        "Behandlingssted",
        "Lokasjon",
        "Plats för behandling",
        "Ort der Verarbeitung",
    ],
    C.COUNTRY: [
        "Corporate Location",
        "Country of registration",
        "Headquarters",
        "Entity Country",
        "Hovedkontor",
        "Säte",
        "Sitz",
    ],
    C.DATA: [
        "Personal data",
        "Categories of Personal Data",
        "End-user data",
        "Data",
        "Data types",
        "Personopplysninger",
        "Kategorier af personoplysninger",
        "Personuppgifter",
        "Datenkategorien",
    ],
    C.SUBJECTS: ["Types of Data Subjects", "Categories of data subjects", "Registrerte"],
    C.SERVICES: ["Relevant services", "Applicable services", "Relevante tjenester"],
    C.ADDED: [
        "Added on",
        "Date added",
        "Opdateret den",
        "Start",
        "Tilføjet",
        "Lagt til",
        "Tillagd",
        "Hinzugefügt am",
    ],
    C.SAFEGUARDS: [
        "Transfer Mechanism",
        "Lovligt grundlag for databehandling uden for EU",
        "Lovligt grundlag",
        "Overføringsgrunnlag",
        "Överföringsmekanism",
        "Garantien für Übermittlungen in Drittländer",
        "Safeguards",
    ],
    C.REGISTRATION: ["Registration Number", "Company number", "Organisasjonsnummer", "CVR"],
    C.ADDRESS: ["Address", "Registered Address", "Adresse", "Anschrift"],
}


@pytest.mark.parametrize(
    ("column", "header"),
    [(column, header) for column, headers in MEANINGS.items() for header in headers],
)
def test_a_header_is_read_by_its_meaning(column: ListColumn, header: str) -> None:
    for written in (header, header.upper(), f" {header} *"):
        assert recognise_columns([written]) == {column: [0]}


@pytest.mark.parametrize(
    "header",
    [
        "Name of Cookie",
        "Website",
        "Additional details",
        "Applies to",
        "End",
        "Entity Type",
        "Contact Details",
        "Security Certifications",
        "Tjenestetype",
    ],
)
def test_other_headers_are_kept_as_attributes_not_read_as_a_column(header: str) -> None:
    assert recognise_columns([header]) == {}


def test_a_bare_country_beside_a_processing_location_is_where_the_entity_is() -> None:
    cells = ["Subprocessor", "Country", "Processing Location", "Purpose"]
    assert recognise_columns(cells) == {
        C.NAME: [0],
        C.COUNTRY: [1],
        C.PLACES: [2],
        C.PURPOSE: [3],
    }
    assert recognise_columns(["Name", "Country"]) == {C.NAME: [0], C.PLACES: [1]}


# -- --columns ---------------------------------------------------------------------------------


def test_column_mapping_text() -> None:
    assert parse_column_mapping(
        'name="Underdatabehandler",purpose="Beskrivelse af behandling",places=Datalokation'
    ) == {
        C.NAME: "Underdatabehandler",
        C.PURPOSE: "Beskrivelse af behandling",
        C.PLACES: "Datalokation",
    }
    assert parse_column_mapping('name="Name, legal", location=Where') == {
        C.NAME: "Name, legal",
        C.PLACES: "Where",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name", "cannot read --columns at 'name': write KEY=HEADER pairs"),
        ("colour=Red", "unknown column 'colour' in --columns (known: name, entity, purpose"),
        ("name=", "--columns name= names no header"),
        ("name=A,name=B", "--columns names name twice"),
        ("", "--columns names no column"),
    ],
)
def test_bad_column_mapping_text(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        parse_column_mapping(text)


UNREAD = "Aktør;Hva;Hvor;Merknad\nVisma;Lønn;Norge;avtale fra 2020\nStripe;Betaling;USA (SCCs);\n"


def test_columns_named_by_hand(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(UNREAD, "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path, "Acme")
    assert str(error.value) == (
        f"{path}:1: no sub-processor name column found; the table header reads: Aktør | Hva | "
        'Hvor | Merknad; name the columns by hand, e.g. --columns name="Aktør",purpose="...",'
        'places="..."'
    )
    mapping = parse_column_mapping('name="Aktør",purpose="Hva",places="Hvor"')
    doc = parse_document(path, "Acme", columns=mapping)
    visma, stripe = doc.services[0].subprocessors
    assert (visma.name, visma.purpose, visma.attributes) == (
        "Visma",
        "Lønn",
        {"Merknad": "avtale fra 2020"},
    )
    assert [(p.code, p.safeguards) for p in stripe.locations] == [("US", ["scc"])]


def test_a_mapped_header_the_table_lacks_is_named(tmp_path: Path) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(UNREAD, "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path, "Acme", columns={C.NAME: "Aktør", C.DATA: "Opplysninger"})
    assert str(error.value) == (
        f"{path}:1: no column 'Opplysninger' (--columns data=) in the table; the table header "
        "reads: Aktør | Hva | Hvor | Merknad"
    )
    with pytest.raises(LoadError, match="no column 'Leverandør' \\(--columns name=\\)"):
        parse_document(path, "Acme", columns={C.NAME: "Leverandør"})


def test_columns_on_a_document_that_is_no_list(seed_path: Path) -> None:
    with pytest.raises(LoadError) as error:
        parse_document(seed_path, columns={C.NAME: "Tjeneste"})
    assert str(error.value) == (
        f"{seed_path}: --columns applies to sub-processor lists; this is read as annex"
    )


@given(st.text(max_size=60))
def test_any_mapping_text_parses_or_says_what_is_wrong(text: str) -> None:
    try:
        mapping = parse_column_mapping(text)
    except ValueError as error:
        assert "\n" not in str(error) and "--columns" in str(error)
    else:
        assert mapping and all(header for header in mapping.values())


@given(st.lists(st.text(max_size=50), max_size=8))
def test_any_header_row_is_read_without_error(cells: list[str]) -> None:
    found = recognise_columns(cells)
    assert sorted(i for indexes in found.values() for i in indexes) == sorted(
        {i for indexes in found.values() for i in indexes}
    )


def test_a_mapped_header_by_its_beginning_or_its_spelling() -> None:
    cells = ["Firma (juridisk)", "The location where we store it, including backups", "Hva"]
    mapping = {C.NAME: "FIRMA (JURIDISK)", C.PLACES: "The location where", C.PURPOSE: "hva"}
    assert recognise_columns(cells, mapping) == {C.NAME: [0], C.PLACES: [1], C.PURPOSE: [2]}
    # a beginning that two cells share names neither
    assert recognise_columns(["Land A", "Land B"], {C.PLACES: "Land"}) == {}
