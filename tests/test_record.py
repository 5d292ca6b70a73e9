"""The record of processing (GDPR Art. 30) as a DPO files it, as CSV (parsed with ``csv``) and
as a workbook (opened with openpyxl): each recipient with the places of its own engagement,
never another provider's; "not stated" wherever the documents are silent, never an empty cell;
the controller named once in the data map (or the settings); purposes per sub-processor;
legal basis, retention and security measures from the data map; transfer status in words;
no entry twice; no cell a spreadsheet runs as a formula."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from dataflyt.exports import ExportFormat, export
from dataflyt.exports.record import CONTROLLER_NOT_STATED, RECORD_COLUMNS
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.reference.jurisdictions import TransferStatus
from tests.export_fixtures import FIKEN, HOSTILE_SERVICE, SEVERAL_SERVICES

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[1] / "dataflyt" / "examples"
SEED = EXAMPLES / "phonero-tjenestebeskrivelse.txt"
SUPPORT = "Supporthenvendelser via mail/Chat"
US_WORDING = (
    "Outside the EEA: adequacy for organisations certified under the EU-US Data Privacy "
    "Framework only"
)

# a DPO's data map restating line 24 of Phonero's annex: the support service is processed in
# Germany, and so is Zendesk's part of it
PHONERO_SUPPORT = """\
title: Phonero i vårt datakart
controller:
  name: Fjordkraft AS
  contact: Folke Bernadottes vei 38, 5147 Fyllingsdalen; personvern@fjordkraft.example
  dpo_contact: personvernombud@fjordkraft.example
services:
  - name: Supporthenvendelser via mail/Chat
    provider: Phonero
    role: databehandler
    purposes: [kundestøtte]
    subjects: [kunder]
    categories: [navn, e-post]
    subprocessors:
      - {name: Zendesk, purpose: kundestøtte på e-post og chat, countries: [Tyskland]}
    countries: [Tyskland]
    legal_basis: GDPR art. 6 nr. 1 bokstav b (avtale)
"""


# Zendesk's own list, in the shape vendors publish it: where its sub-processors work for it
ZENDESK_OWN = """\
Zendesk Sub-processors
Entity Name;Purpose;Location
Amazon Web Services, Inc.;Hosting & storage;Germany
Twilio Inc.;Voice;United States (SCCs)
"""


def table(store: GraphStore, controller: str | None = None) -> dict[str, dict[str, str]]:
    """Return the CSV record, parsed, by service name and column."""
    text = str(export(store, ExportFormat.ROPA_CSV, controller=controller))
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == RECORD_COLUMNS
    return {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}


def loaded(tmp_path: Path, *paths: Path, github: bool = False) -> EmbeddedStore:
    """Return a map of ``paths``, with GitHub's published sub-processor list when asked."""
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, list(paths))
    if github:
        load_files(store, [DATA / "github-subprocessors-2021.md"], provider="GitHub, Inc.")
    return store


def written(tmp_path: Path, text: str, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def entries(cell: str) -> list[str]:
    return cell.split("; ")


# -- a fact only along the path it belongs to -------------------------------------------------


def test_zendesk_works_in_germany_for_phonero_whatever_github_says(tmp_path: Path) -> None:
    store = loaded(tmp_path, written(tmp_path, PHONERO_SUPPORT), github=True)
    row = table(store)[SUPPORT]
    assert row["Places of processing"] == "Phonero: Germany; Zendesk: Germany"
    assert row["Transfers to third countries"] == "none: every place stated is in the EEA"
    assert "United States" not in "".join(row.values())
    # GitHub's own row keeps what GitHub's list says of its engagement
    github = table(store)["GitHub, Inc."]
    assert f"Zendesk: United States ({US_WORDING}. No safeguards stated)" in entries(
        github["Transfers to third countries"]
    )


def test_the_seed_with_githubs_list_places_phoneros_zendesk_in_germany(tmp_path: Path) -> None:
    row = table(loaded(tmp_path, SEED, github=True))[SUPPORT]
    # the annex row's place of processing covers the sub-processor the row names
    assert row["Places of processing"] == "Phonero: Germany; Zendesk: Germany"
    assert row["Transfers to third countries"] == "none: every place stated is in the EEA"
    assert "United States" not in "".join(row.values())


def test_the_chain_goes_on_through_the_sub_processors_own_list(tmp_path: Path) -> None:
    """Zendesk's own list says where its sub-processors work for all Zendesk does: that
    reaches Phonero's support service through Zendesk; GitHub's list still does not."""
    own = written(tmp_path, ZENDESK_OWN, "zendesk.csv")
    store = loaded(tmp_path, SEED, github=True)
    load_files(store, [own], provider="Zendesk")
    row = table(store)[SUPPORT]
    through = "(engaged by Zendesk for its service Zendesk)"
    assert entries(row["Recipients and sub-processors"]) == [
        "Zendesk: purpose not stated",
        f"Amazon Web Services, Inc. {through}: Hosting & storage",
        f"Twilio Inc. {through}: Voice",
    ]
    assert entries(row["Places of processing"]) == [
        "Phonero: Germany",
        "Zendesk: Germany",
        f"Amazon Web Services, Inc. {through}: Germany",
        f"Twilio Inc. {through}: United States",
    ]
    assert entries(row["Transfers to third countries"]) == [
        f"Twilio Inc. {through}: United States ({US_WORDING}. Safeguards stated: Standard "
        "Contractual Clauses)",
    ]


def test_a_link_through_one_of_several_services_says_so(tmp_path: Path) -> None:
    row = table(loaded(tmp_path, written(tmp_path, SEVERAL_SERVICES)))["Kundeservice"]
    assert entries(row["Recipients and sub-processors"]) == [
        "Zendesk: purpose not stated",
        "Twilio (engaged by Zendesk for its service Sunshine Conversations, one of several it "
        "provides): messaging",
        "Amazon Web Services (engaged by Zendesk for its service Support Suite, one of several "
        "it provides): hosting",
    ]


def test_the_chain_follows_engagements_with_their_own_places(tmp_path: Path) -> None:
    row = table(loaded(tmp_path, EXAMPLES / "acme-datamap.yaml"))["Customer support"]
    assert entries(row["Recipients and sub-processors"]) == [
        "Twilio: telephony",
        "Amazon Web Services (engaged by Zendesk, Inc.): hosting",
        "Equinix (engaged by Amazon Web Services): data centre",
    ]
    assert entries(row["Places of processing"]) == [
        "Zendesk, Inc.: Norway, United States (and places not listed)",
        "Twilio: United States",
        "Amazon Web Services (engaged by Zendesk, Inc.): Ireland, United States",
        "Equinix (engaged by Amazon Web Services): Ireland",
    ]
    assert entries(row["Transfers to third countries"]) == [
        # Zendesk is certified under the Data Privacy Framework: the adequacy decision holds
        "Zendesk, Inc.: United States (Third country with an adequacy decision (Art. 45))",
        "Zendesk, Inc.: may also process in places the documents do not list",
        # Twilio's transfer rests on the Data Privacy Framework, its row says
        "Twilio: United States (Third country with an adequacy decision (Art. 45). Safeguards "
        "stated: Standard Contractual Clauses, EU-US Data Privacy Framework)",
        f"Amazon Web Services (engaged by Zendesk, Inc.): United States ({US_WORDING}. "
        "Safeguards stated: Standard Contractual Clauses)",
    ]


# -- silence is never safe --------------------------------------------------------------------


def test_no_cell_of_the_seeds_record_is_empty(seed_store: EmbeddedStore) -> None:
    body = table(seed_store)
    assert len(body) == 11
    assert [(name, col) for name, row in body.items() for col, v in row.items() if not v] == []


def test_what_the_annex_does_not_say_reads_not_stated(seed_store: EmbeddedStore) -> None:
    mvr = table(seed_store)["Mobilt Opptak (MVR)"]
    assert mvr == {
        "Processing activity (service)": "Mobilt Opptak (MVR)",
        "Controller": CONTROLLER_NOT_STATED,
        "Controller contact": "not stated",
        "Data protection officer": "not stated",
        "Processor": "Phonero",
        "Role of the provider": "Processor",
        "Purposes": "not stated",
        "Legal basis": "not stated",
        "Categories of data subjects": "Employees",
        "Categories of personal data": "Call recordings; Communications metadata; Email "
        "address; Message content; Mobile phone number; Name",
        "High-sensitivity data": "Call recordings; Message content",
        "Recipients and sub-processors": "Touch Technology AS: purpose not stated",
        "Places of processing": "Phonero: Norway; Touch Technology AS: Norway",
        "Transfers to third countries": "none: every place stated is in the EEA",
        "Retention": "not stated",
        "Security measures": "not stated",
        "Source": "PHONERO TJENESTEBESKRIVELSE (2021-03-15), line 13",
    }
    assert CONTROLLER_NOT_STATED == (
        "not stated (name your organisation in the data map's controller block)"
    )


def test_a_list_naming_no_places_and_no_data_says_so(tmp_path: Path) -> None:
    """A list with sub-processors and purposes only, as many are: nothing in its row reads
    as "no data" or "no transfer"."""
    path = written(tmp_path, FIKEN, "fiken-underleverandorer.md")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [path], provider="Fiken AS")
    row = table(store)["Fiken AS"]
    assert (row["Categories of data subjects"], row["Categories of personal data"]) == (
        "not stated",
        "not stated",
    )
    assert row["High-sensitivity data"] == "not stated"
    assert row["Places of processing"] == (
        "Fiken AS: not stated; Amazon Web Services EMEA SARL: not stated; Zendesk, Inc.: not stated"
    )
    assert entries(row["Transfers to third countries"]) == [
        f"{name}: place not stated, so not known to stay in the EEA"
        for name in ("Fiken AS", "Amazon Web Services EMEA SARL", "Zendesk, Inc.")
    ]


def test_an_independent_controller_is_its_own_controller(seed_store: EmbeddedStore) -> None:
    portal = table(seed_store, controller="Fjordkraft AS")[
        "Phonero Bedriftsportal & Fakturakontroll"
    ]
    assert (portal["Controller"], portal["Processor"]) == (
        "Phonero",
        "none: Phonero is the service's independent controller",
    )
    assert portal["Recipients and sub-processors"] == "none stated"
    assert portal["Transfers to third countries"] == "none: every place stated is in the EEA"
    assert portal["High-sensitivity data"] == "none among the categories stated"


def test_a_joint_controller_shares_the_controller_cell(tmp_path: Path) -> None:
    joint = written(
        tmp_path,
        "title: Felles kundeklubb\ncontroller: {name: Acme AS}\nservices:\n"
        "  - {name: Kundeklubb, provider: Coop Norge SA, role: felles behandlingsansvarlig,\n"
        "     categories: [navn], countries: [Norge]}\n",
    )
    row = table(loaded(tmp_path, joint))["Kundeklubb"]
    assert (row["Controller"], row["Processor"], row["Role of the provider"]) == (
        "Acme AS; Coop Norge SA (joint controllers)",
        "none: Coop Norge SA is the service's joint controller",
        "Joint controller",
    )


# -- the record a DPO files (issue 18, section 6) ---------------------------------------------


def test_the_controller_comes_from_the_data_map_with_contacts(tmp_path: Path) -> None:
    body = table(loaded(tmp_path, SEED, EXAMPLES / "acme-datamap.yaml"), controller="Other AS")
    for name in ("Customer support", "Mobilt Opptak (MVR)"):
        row = body[name]
        assert (row["Controller"], row["Controller contact"], row["Data protection officer"]) == (
            "Acme AS",
            "Storgata 1, 0155 Oslo; personvern@acme.example",
            "Kari Nordmann, dpo@acme.example, +47 22 00 00 00",
        )


def test_the_settings_name_the_controller_when_no_map_does(seed_store: EmbeddedStore) -> None:
    row = table(seed_store, controller="Fjordkraft AS")["Phonero Bedriftsnett"]
    assert (row["Controller"], row["Controller contact"]) == ("Fjordkraft AS", "not stated")


def test_purposes_name_each_recipient_with_its_purpose(
    seed_store: EmbeddedStore, tmp_path: Path
) -> None:
    assert table(seed_store)["Phonero Bedriftsnett"]["Purposes"] == (
        "not stated for the service itself; Link Mobility: SMS varsling"
    )
    support = table(loaded(tmp_path, EXAMPLES / "acme-datamap.yaml"))["Customer support"]
    assert support["Purposes"] == (
        "customer service; Twilio: telephony; Amazon Web Services (engaged by Zendesk, Inc.): "
        "hosting; Equinix (engaged by Amazon Web Services): data centre"
    )


def test_legal_basis_retention_and_security_come_from_the_data_map(tmp_path: Path) -> None:
    support = table(loaded(tmp_path, EXAMPLES / "acme-datamap.yaml"))["Customer support"]
    assert (support["Legal basis"], support["Retention"], support["Security measures"]) == (
        "GDPR Art. 6(1)(b), performance of the customer contract",
        "12 months after the ticket is closed",
        "Encryption in transit (TLS 1.2+) and at rest (AES-256); ISO/IEC 27001 certified",
    )


def test_statuses_are_words_and_no_entry_is_repeated(tmp_path: Path) -> None:
    # the seed and a data map both describe Phonero's support service and its Zendesk
    store = loaded(
        tmp_path, SEED, written(tmp_path, PHONERO_SUPPORT), EXAMPLES / "acme-datamap.yaml"
    )
    body = table(store)
    row = body[SUPPORT]
    # the data map names Zendesk, Inc. with its alias Zendesk: one organisation
    assert entries(row["Recipients and sub-processors"]) == [
        "Zendesk, Inc.: kundestøtte på e-post og chat",
        "Amazon Web Services (engaged by Zendesk, Inc.): hosting",
        "Twilio (engaged by Zendesk, Inc. for its service Customer support): telephony",
        "Equinix (engaged by Amazon Web Services): data centre",
    ]
    assert entries(row["Places of processing"])[:2] == [
        "Phonero: Germany",
        "Zendesk, Inc.: Germany",
    ]
    # the status codes ("adequacy" alone is also the word a DPO reads)
    codes = {status.value for status in TransferStatus if "_" in status.value}
    assert len(codes) == len(TransferStatus) - 1
    for name, cells in body.items():
        for column, cell in cells.items():
            assert len(entries(cell)) == len(set(entries(cell))), (name, column)
            assert not any(code in cell for code in codes), (name, column)


# -- hostile text, and the workbook -----------------------------------------------------------


def test_cells_never_start_a_formula(hostile_store: EmbeddedStore) -> None:
    from dataflyt.exports.ropa import ropa_rows

    cells = [cell for row in ropa_rows(hostile_store) for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    row = table(hostile_store)[HOSTILE_SERVICE]
    assert row["Processor"] == '\'=HYPERLINK("http://x")'
    assert row["Purposes"] == (
        "'-2+3; @SUM(A1); cmd; @evil <script>alert(1)</script> æøå: line\nbreak"
    )
    assert row["Recipients and sub-processors"] == (
        "'@evil <script>alert(1)</script> æøå: line\nbreak"
    )


def test_the_workbook_has_header_frozen_panes_filters_and_widths(
    seed_store: EmbeddedStore,
) -> None:
    from openpyxl import load_workbook

    data = export(seed_store, ExportFormat.ROPA_XLSX)
    assert isinstance(data, bytes)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == RECORD_COLUMNS
    assert sheet.cell(1, 1).font.bold
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == "A1:Q12"
    assert sheet.column_dimensions["A"].width > 20
    assert sheet.max_row == 12
    # silence is "not stated" in the workbook too: no empty cell
    assert [c.coordinate for row in sheet.iter_rows() for c in row if not c.value] == []
    mvr = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Mobilt Opptak (MVR)")
    values = dict(zip(RECORD_COLUMNS, (c.value for c in mvr), strict=True))
    assert values["Controller"] == CONTROLLER_NOT_STATED
    assert values["Places of processing"] == "Phonero: Norway; Touch Technology AS: Norway"


def test_the_workbook_is_the_same_bytes_at_any_time(seed_store: EmbeddedStore) -> None:
    data = export(seed_store, ExportFormat.ROPA_XLSX)
    assert isinstance(data, bytes)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {m.date_time for m in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert re.findall(r"W3CDTF\">([^<]+)<", core) == ["2000-01-01T00:00:00Z"] * 2


def test_the_workbook_holds_hostile_cells_as_text(hostile_store: EmbeddedStore) -> None:
    from openpyxl import load_workbook

    data = export(hostile_store, ExportFormat.ROPA_XLSX)
    assert isinstance(data, bytes)
    sheet = load_workbook(io.BytesIO(data)).active
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # no formula
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert HOSTILE_SERVICE.replace("\x01", "\ufffd") in names
