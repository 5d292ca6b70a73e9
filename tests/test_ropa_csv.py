"""CSV records of processing: columns in English or Norwegian, one service per activity,
processor or controller as provider, safeguards on transfers, errors naming line and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.errors import LoadError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.loaders.models import DocumentFormat
from dataflyt.queries.breach import breach

ROPA = Path(__file__).parent / "data" / "ropa.csv"
ENGLISH = (
    "Activity,Controller,Processor,Purposes,Data subjects,Personal data,Sub-processors,"
    "Countries,Safeguards,Retention,Security measures,Legal basis,Role\n"
)


def test_norwegian_register() -> None:
    doc = parse_document(ROPA)
    assert (doc.format, doc.provider, doc.title, str(doc.date)) == (
        DocumentFormat.ROPA_CSV,
        "Acme AS",
        "Record of processing (ropa)",
        "2025-02-01",
    )
    payroll, support = doc.services
    assert (payroll.name, payroll.provider, payroll.role) == ("Lønn", "Visma AS", "processor")
    assert (support.name, support.provider, support.role) == (
        "Kundeservice",
        "Acme AS",
        "controller",
    )
    assert [(c.key, c.subjects) for c in payroll.categories] == [
        ("name", ["employees"]),
        ("national_id", ["employees"]),
        ("postal_address", ["employees"]),
    ]
    assert [(s.name, s.purpose) for s in payroll.subprocessors] == [
        ("Microsoft Ireland", "hosting")
    ]
    assert [(p.code, p.safeguards) for p in payroll.locations] == [("NO", []), ("US", ["scc"])]
    assert (
        payroll.purposes,
        payroll.retention,
        payroll.security_measures,
        payroll.legal_basis,
    ) == (
        ["Lønnsutbetaling", "rapportering"],
        "5 år",
        "Kryptering",
        "Art. 6(1)(c)",
    )
    assert [(u.kind, u.text, u.source.line) for u in doc.unmapped] == [("subject", "romvesener", 5)]


def test_english_register_with_a_role_column(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(
        ENGLISH
        + "Newsletter,Acme AS,Mailchimp,Marketing,customers,email address,,USA,DPF,,,consent,"
        "joint controller\n",
        "utf-8",
    )
    (service,) = parse_document(path).services
    assert (service.provider, service.role, service.role_text) == (
        "Mailchimp",
        "joint_controller",
        "joint controller",
    )
    assert [(p.code, p.safeguards) for p in service.locations] == [("US", ["dpf"])]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (",Acme AS,,,,,,,,,,,\n", "2:1: Activity: the processing activity is empty"),
        (
            "Payroll,,,,,,,,,,,,\n",
            "2:2: Controller: no controller: fill the Controller column or pass --provider",
        ),
        (
            "Payroll,Acme,,,,,,,,,,,boss\n",
            "2:13: Role: 'boss' is not a known role (controller, independent_controller, "
            "joint_controller, processor, reseller_processor, sub_processor)",
        ),
        (
            "Payroll,Acme,,,,,,,,,,,\nPayroll,Acme,,,,,,,,,,,\n",
            "3:1: Activity: activity 'Payroll' is already on line 2",
        ),
        ("Payroll,Acme,,,,,,,,,,,,x\n", "2: row has 14 cells, the header has 13"),
        ("", "1: the record of processing has no rows"),
    ],
)
def test_bad_rows_name_line_column_and_field(tmp_path: Path, rows: str, message: str) -> None:
    path = tmp_path / "register.csv"
    path.write_text(ENGLISH + rows, "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path)
    assert str(error.value) == f"{path}:{message}"


def test_provider_option_fills_in_the_controller(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Activity,Personal data\nPayroll,navn\n", "utf-8")
    doc = parse_document(path, "Acme AS")
    assert [(s.provider, s.role) for s in doc.services] == [("Acme AS", "controller")]


def test_a_register_without_activity_column_is_read_as_a_list_or_rejected(tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text("Purpose,Controller\nPayroll,Acme\n", "utf-8")
    with pytest.raises(LoadError, match="no sub-processor name column"):
        parse_document(path)
    with pytest.raises(LoadError) as error:
        parse_document(path, document_format=DocumentFormat.ROPA_CSV)
    assert str(error.value) == (
        f"{path}:1: no processing-activity column found (expected Activity, Processing activity "
        "or Behandlingsaktivitet)"
    )


def test_breach_at_a_processor_of_the_register(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [ROPA])
    (service,) = breach(store, "Microsoft Ireland").services
    assert [link.name for link in service.chain] == ["Customer", "Visma AS", "Microsoft Ireland"]
    assert service.exposed == ["name", "national_id", "postal_address"]
    assert service.facts.id == "service:visma/lønn"
    assert service.facts.retention == "5 år"
