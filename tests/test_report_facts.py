"""What DPIA reports say on documents of the classes that went wrong: each recipient with the
purpose, categories and places its own engagement states, in words a DPO reads; what no
document states listed as such, never an empty cell; a data map's legal basis, retention and
security measures; national identification numbers among the attention points; page
citations; the date described."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from dataflyt.diagrams.formats import ReportFormat
from dataflyt.diagrams.report import Recipient, Report, build_report
from dataflyt.diagrams.report_render import md_text, render_report
from dataflyt.diagrams.scope import scope_of
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    Country,
    DescribedIn,
    GraphBatch,
    Organisation,
    ProcessedIn,
    Processes,
    Provides,
    Service,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED
from tests.export_fixtures import EXAMPLES
from tests.regenerate_golden import document_version
from tests.shared_maps import DATA, SUPPORT, load_no_places, load_support_list, load_zendesk_twice

NATIONAL_ID = "national identification number (personopplysningsloven § 12, GDPR Art. 87)"
US = (
    "Outside the EEA: adequacy for organisations certified under the EU-US Data Privacy "
    "Framework only"
)


def markdown(report: Report) -> str:
    """Return the report as Markdown rendered to HTML by a CommonMark parser."""
    return MarkdownIt("commonmark").enable("table").render(render_report(report, ReportFormat.MD))


def rows(html: str, first: str) -> list[list[str]]:
    """Return the cells of every table row whose first cell starts with ``first``."""
    found = []
    for row in re.findall(r"<tr>\n(.*?)</tr>", html, flags=re.DOTALL):
        cells = re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)
        if cells and cells[0].startswith(first):
            found.append(cells)
    return found


@pytest.fixture
def zendesk(embedded_store: EmbeddedStore) -> GraphStore:
    return load_zendesk_twice(embedded_store)


def zendesk_rows(report: Report) -> dict[tuple[str, int | None], Recipient]:
    """Return Zendesk's rows among the recipients, by service and the line citing them."""
    return {
        (s.name, r.source.line if r.source else None): r
        for s in report.services
        for r in s.recipients
        if r.name == "Zendesk"
    }


def test_each_recipient_has_the_places_of_its_own_engagement(zendesk: GraphStore) -> None:
    report = build_report(zendesk, scope_of(everything=True))
    rows_by = zendesk_rows(report)
    assert {
        key: [(p.name, p.standing.wording) for p in r.places] for key, r in rows_by.items()
    } == {
        ("GitHub", 29): [("United States", US)],
        (SUPPORT, 24): [("Germany", "Inside the EEA")],
    }
    assert [(r.relation, r.purpose) for r in rows_by.values()] == [
        ("Sub-processor of GitHub", "Customer support ticketing system"),
        (f"Sub-processor of {SUPPORT}", None),
    ]
    html = markdown(report)
    assert [cells[2:5] for cells in rows(html, "Zendesk")] == [
        [
            "Customer support ticketing system",
            "not stated: all of the service's categories assumed",
            f"United States ({US})",
        ],
        [
            "not stated",
            "not stated: all of the service's categories assumed",
            "Germany (Inside the EEA)",
        ],
    ]
    zendesk_points = [(p.topic, p.subject) for p in report.attention if "Zendesk" in p.subject]
    assert zendesk_points == [
        ("Data not stated", "Zendesk (sub-processor of GitHub)"),
        ("Data not stated", f"Zendesk (sub-processor of {SUPPORT})"),
        ("Purpose not stated", f"Zendesk (sub-processor of {SUPPORT})"),
        ("Transfer", "Zendesk (sub-processor of GitHub)"),
    ]


def test_what_one_statement_of_an_engagement_gives_is_not_missing(zendesk: GraphStore) -> None:
    load_support_list(zendesk)
    report = build_report(zendesk, scope_of(service=SUPPORT))
    rows_by = zendesk_rows(report)
    assert sorted(rows_by) == [(SUPPORT, 4), (SUPPORT, 24)]
    listed = rows_by[SUPPORT, 4]
    assert (listed.purpose, listed.categories) == (
        "Kundestøtte og saksbehandling",
        ["Name", "Email address", "Phone number"],
    )
    # both statements place Zendesk in Germany; the cell names it once
    assert [cells[4] for cells in rows(markdown(report), "Zendesk")] == [
        "Germany (Inside the EEA)",
        "Germany (Inside the EEA)",
    ]
    assert [p for p in report.attention if "Zendesk" in p.subject] == []


def test_a_list_without_places_is_not_stated_in_the_attention_points(
    embedded_store: EmbeddedStore,
) -> None:
    report = build_report(load_no_places(embedded_store), scope_of(everything=True))
    subs = [
        "Functional Software, Inc.",
        "Intercom R&D Unlimited Company",
        "Mailgun Technologies, Inc.",
    ]
    lines = dict(zip(subs, [10, 11, 9], strict=True))
    assert [
        (p.topic, p.subject, p.source.line if p.source else None) for p in report.attention
    ] == [
        *(("Data not stated", f"{s} (sub-processor of Kvitre Mail)", lines[s]) for s in subs[:2]),
        ("Data not stated", "Kvitre Mail", 7),
        ("Data not stated", f"{subs[2]} (sub-processor of Kvitre Mail)", 9),
        *(
            ("Location not stated", f"{s} (sub-processor of Kvitre Mail)", lines[s])
            for s in subs[:2]
        ),
        ("Location not stated", "Kvitre Mail", 7),
        ("Location not stated", f"{subs[2]} (sub-processor of Kvitre Mail)", 9),
        ("Purpose not stated", "Kvitre Mail", 7),
    ]
    mailgun = next(
        p for p in report.attention if p.subject.startswith("Mailgun") and "where" in p.text
    )
    assert mailgun.text == (
        "No document states where Mailgun Technologies, Inc. processes the data of Kvitre Mail: "
        "the data may leave the EEA."
    )
    html = markdown(report)
    assert rows(html, "Mailgun Technologies, Inc.")[0][2:5] == [
        "Email delivery",
        "not stated: all of the service's categories assumed",
        "not stated",
    ]
    assert rows(html, "Not stated: no document names the data categories.")
    assert rows(html, "Not stated: no document says where this service is processed.")
    assert "<li>Purposes: not stated</li>" in html and "<li>Data subjects: not stated</li>" in html


def test_a_data_maps_legal_basis_retention_and_security_measures(
    embedded_store: EmbeddedStore,
) -> None:
    load_files(embedded_store, [DATA / "nordlys-datamap.yaml"])
    report = build_report(embedded_store, scope_of(service="Lønn og personal"))
    [section] = report.services
    assert section.purposes == ["lønnsutbetaling", "arbeidsgiverplikter"]
    assert section.legal_basis == "GDPR art. 6 nr. 1 bokstav c (rettslig forpliktelse)"
    assert section.retention == "5 år etter utløpet av regnskapsåret (bokføringsloven § 13)"
    assert section.security_measures == (
        "Tilgangsstyring med to-faktor-innlogging; kryptering under overføring og lagring"
    )
    html = markdown(report)
    for line in (
        "Purposes: lønnsutbetaling; arbeidsgiverplikter",
        "Legal basis: GDPR art. 6 nr. 1 bokstav c (rettslig forpliktelse)",
        "Retention: 5 år etter utløpet av regnskapsåret (bokføringsloven § 13)",
        "Security measures: Tilgangsstyring med to-faktor-innlogging; kryptering under "
        "overføring og lagring",
        "Data subjects: Employees",
    ):
        assert f"<li>{line}</li>" in html
    assert rows(html, "Microsoft Ireland Operations Ltd") == [
        [
            "Microsoft Ireland Operations Ltd",
            "Sub-processor of Lønn og personal",
            "drift og lagring",
            "Name, Financial data",
            "Ireland (Inside the EEA); Netherlands (Inside the EEA; list not exhaustive)",
            "Nordlys kommune: behandlingsoversikt lønn, 2025-03-01, line 23: "
            "“Microsoft Ireland Operations Ltd”",
        ]
    ]
    assert rows(html, "Skatteetaten")[0][:2] == ["Skatteetaten", "Recipient, not a sub-processor"]
    shown = render_report(report, ReportFormat.HTML)
    assert "<dt>Security measures</dt><dd>Tilgangsstyring med to-faktor-innlogging;" in shown


def literal_store(folder: Path, service: str, category: Category) -> EmbeddedStore:
    """Return a store with one service, ``service``, processing ``category`` of employees in
    Norway, each fact cited to page 3 of the document."""
    doc = document_version(
        "dpa", "Databehandleravtale, vedlegg 1", "Visma Enterprise AS", "2025-03-01"
    )
    nodes: list[AnyNode] = [
        Service(id="service:payroll", name=service),
        Organisation(id="org:visma", name="Visma Enterprise AS"),
        category,
        Country(id="country:no", name="Norway", code="NO", eea=True),
    ]
    cited = {"doc": doc.id, "page": 3, "line": 12}
    edges: list[AnyEdge] = [
        DescribedIn(source="service:payroll", target=doc.id, text=service, **cited),
        Provides(source="org:visma", target="service:payroll", role="processor", **cited),
        Processes(
            source="service:payroll",
            target=category.id,
            subjects=("employees",),
            text="fødselsnummer",
            **cited,
        ),
        ProcessedIn(source="service:payroll", target="country:no", text="Norge", **cited),
    ]
    store = EmbeddedStore(folder / "literal.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=nodes, edges=edges))
    return store


NATIONAL_ID_CATEGORY = Category(
    id="category:national_id",
    name="National identity number",
    key="national_id",
    sensitivity="high",
    dpv="pd:NationalIdentificationNumber",
)


def test_a_national_identification_number_is_an_attention_point(tmp_path: Path) -> None:
    store = literal_store(tmp_path, "Lønn", NATIONAL_ID_CATEGORY)
    report = build_report(store, scope_of(everything=True))
    [point] = [p for p in report.attention if p.topic == "High-sensitivity data"]
    assert (point.subject, point.text) == (
        "Lønn",
        f"National identity number: {NATIONAL_ID}; check the legal basis and safeguards.",
    )
    data = next(
        f for f in report.diagram.flows if f.lines and f.lines[0].text.startswith("National")
    )
    assert data.high and data.lines[0].high
    html = markdown(report)
    assert "<strong>National identity number</strong>" in html


def test_national_identification_numbers_in_documents_are_attention_points(
    embedded_store: EmbeddedStore,
) -> None:
    load_files(embedded_store, [DATA / "bilag-kundeservice.txt"], "Eksempel Kundeservice AS")
    load_files(embedded_store, [DATA / "nordlys-datamap.yaml"])
    report = build_report(embedded_store, scope_of(everything=True))
    national = [
        (p.subject, p.source.text if p.source else None)
        for p in report.attention
        if p.text
        == f"National identification number: {NATIONAL_ID}; check the legal basis and safeguards."
    ]
    assert national == [
        ("Identitetskontroll", "D-nummer"),
        ("Kundeservice chat og e-post", "fødselsnummer"),
        ("Lønn og personal", "fødselsnummer"),
    ]
    assert "**National identification number**" in render_report(report, ReportFormat.MD)


def test_citations_give_the_page(tmp_path: Path) -> None:
    store = literal_store(tmp_path, "Lønn", NATIONAL_ID_CATEGORY)
    text = render_report(build_report(store, scope_of(everything=True)), ReportFormat.MD)
    assert "Databehandleravtale, vedlegg 1, 2025-03-01, page 3, line 12: “fødselsnummer”" in text
    html = render_report(build_report(store, scope_of(everything=True)), ReportFormat.HTML)
    assert "2025-03-01, page 3, line 12: <q>Norge</q>" in html


def test_a_long_name_stays_whole_in_the_report(tmp_path: Path) -> None:
    name = ("Nordlys lønn " * 800)[:10_000].strip()
    store = literal_store(tmp_path, name, NATIONAL_ID_CATEGORY)
    report = build_report(store, scope_of(everything=True))
    assert report.services[0].name == name
    assert f"## {md_text(name)}\n" in render_report(report, ReportFormat.MD)


def test_the_report_states_the_date_it_describes(map_path: Path) -> None:
    load_files(EmbeddedStore(map_path), [SEED])
    report = build_report(EmbeddedStore(map_path, as_of="2022-01-01"), scope_of(everything=True))
    said = "As of 2022-01-01: the versions of the documents in force that day."
    assert report.describes == said
    assert f"{said} Drawn from PHONERO TJENESTEBESKRIVELSE (2021-03-15)." in render_report(
        report, ReportFormat.MD
    )
    assert said in render_report(report, ReportFormat.HTML)


@pytest.mark.parametrize(
    ("scope", "subjects"),
    [({"organisation": "Twilio"}, ["Callers"]), ({"category": "Name"}, ["Customers"])],
)
def test_a_narrowed_report_names_the_data_subjects_of_the_categories_it_shows(
    embedded_store: EmbeddedStore, scope: dict[str, str], subjects: list[str]
) -> None:
    # Twilio receives the call recordings of callers only; the name is of customers
    load_files(embedded_store, [EXAMPLES / "acme-datamap.yaml"])
    report = build_report(embedded_store, scope_of(**scope))  # type: ignore[arg-type]
    [support] = report.services
    assert support.data_subjects == subjects
    assert [s for c in support.categories for s in c.subjects] == subjects
    assert f"- Data subjects: {', '.join(subjects)}\n" in render_report(report, ReportFormat.MD)


@pytest.mark.parametrize("region", ["Worldwide", "customer-selected region"])
def test_a_place_not_pinned_down_has_no_decision_said_to_be_none(
    embedded_store: EmbeddedStore, tmp_path: Path, region: str
) -> None:
    datamap = tmp_path / "regions.yaml"
    datamap.write_text(
        f"services:\n  - name: Global\n    provider: Globe AS\n    countries: [{region}]\n", "utf-8"
    )
    load_files(embedded_store, [datamap])
    report = build_report(embedded_store, scope_of(service="Global"))
    [place] = report.services[0].places
    [cells] = rows(markdown(report), place.name)
    assert cells[1:3] == ["Not pinned down to a country", "not known: not pinned down to a country"]
    html = render_report(report, ReportFormat.HTML)
    assert "<td>not known: not pinned down to a country</td>" in html
