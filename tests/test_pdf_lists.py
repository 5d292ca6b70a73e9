"""Sub-processor lists as PDFs go through the list loader's second step like any other list:
columns read by meaning, names, the provider only where a title states it, each row's places
on its own sub-processor, ``--columns`` for columns not recognised, and every fact citing
its page."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError, UnknownProviderError
from dataflyt.loaders import parse_document
from dataflyt.loaders.list_columns import parse_column_mapping
from dataflyt.loaders.models import DocumentFormat, ParsedDocument
from tests import pdf_documents as make
from tests.test_list_columns import UNREAD
from tests.test_pdf_loader import printed_lines, wording

DATA = Path(__file__).parent / "data"
MAPPING = 'name="Aktør",purpose="Hva",places="Hvor"'


@dataclass(frozen=True)
class Lists:
    """Lists printed to PDF once per module: Northwind (names, places and dates per row),
    Fiken (a real list whose title names no provider) and a list of unrecognised columns with
    the CSV it was made from."""

    northwind: Path
    fiken: Path
    unread: Path
    unread_csv: Path


def _unread_html() -> str:
    header, *rows = [line.split(";") for line in UNREAD.strip().split("\n")]
    cells = ["".join(f"<td>{cell}</td>" for cell in row) for row in rows]
    table = [
        "<table><tr>" + "".join(f"<th>{cell}</th>" for cell in header) + "</tr>",
        *[f"<tr>{row}</tr>" for row in cells],
        "</table>",
    ]
    return make.html_page("Acme", ["<h1>Acme underleverandører</h1>", *table], "no")


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> Lists:
    work = tmp_path_factory.mktemp("pdf-lists")

    def printed(name: str) -> Path:
        page = make.printable((DATA / name).read_text("utf-8"))
        return make.print_pdf(page, work / Path(name).with_suffix(".pdf").name, work)

    unread_csv = work / "liste.csv"
    unread_csv.write_text(UNREAD, "utf-8")
    return Lists(
        northwind=printed("northwind-subprocessors.html"),
        fiken=printed("fiken-underdatabehandlere.html"),
        unread=make.print_pdf(_unread_html(), work / "liste.pdf", work),
        unread_csv=unread_csv,
    )


def _sources(value: Any) -> Iterator[dict[str, Any]]:
    """Yield every source (file, line, page, text) in a document dumped to plain values."""
    if isinstance(value, dict):
        if set(value) == {"file", "line", "page", "text"}:
            yield value
        else:
            for item in value.values():
                yield from _sources(item)
    elif isinstance(value, list):
        for item in value:
            yield from _sources(item)


def _every_fact_cites_a_page(doc: ParsedDocument) -> None:
    sources = list(_sources(doc.model_dump(mode="json")))
    assert sources
    assert all(source["page"] == 1 and source["line"] for source in sources)


def test_a_pdf_list_says_what_its_html_says(lists: Lists) -> None:
    pdf = parse_document(lists.northwind)
    html = parse_document(DATA / "northwind-subprocessors.html")
    # the PDF has no <title>: its title is its first heading
    assert (pdf.format, pdf.provider, pdf.title) == (
        DocumentFormat.SUBPROCESSORS_PDF,
        "Northwind",
        "Northwind Sub-processors",
    )
    assert {**wording(pdf), "title": html.title} == wording(html)


def test_a_pdf_lists_rows_keep_their_names_places_and_pages(lists: Lists) -> None:
    doc = parse_document(lists.northwind)
    [service] = doc.services
    assert service.locations == []  # a list states no place of the provider's own service
    aws = service.subprocessors[0]
    assert (aws.name, aws.aliases, str(aws.added)) == (
        "Amazon Web Services",
        ["AWS"],
        "2021-01-12",
    )
    assert [p.code for p in aws.locations] == ["US", "FR", "CH", "JP"]
    eu = service.subprocessors[1]
    assert (eu.name, eu.attributes["registration number"], str(eu.added)) == (
        "Amazon Web Services EMEA SARL",
        "B 186284",
        "2023-06-01",
    )
    lines = printed_lines(lists.northwind)[1]
    assert aws.source.line is not None and eu.source.line is not None
    assert lines[aws.source.line - 1].startswith("Amazon Web Services")
    assert lines[eu.source.line - 1].startswith("AWS Europe")
    _every_fact_cites_a_page(doc)


def test_a_pdf_list_whose_title_names_no_provider_stops_with_exit_2(
    lists: Lists, runner: CliRunner, tmp_path: Path
) -> None:
    with pytest.raises(UnknownProviderError):
        parse_document(lists.fiken)
    map_path = tmp_path / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(lists.fiken)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dataflyt: error: {lists.fiken}: cannot tell whose document this is (it names no "
        "provider); give --provider NAME\n"
    )
    assert not map_path.exists()
    doc = parse_document(lists.fiken, "Fiken")
    assert (doc.title, len(doc.services[0].subprocessors)) == ("Underdatabehandlere", 8)
    _every_fact_cites_a_page(doc)


def test_a_pdf_lists_columns_named_by_hand(lists: Lists, runner: CliRunner, tmp_path: Path) -> None:
    with pytest.raises(LoadError) as error:
        parse_document(lists.unread, "Acme")
    assert error.value.page == 1
    assert str(error.value).startswith(
        f"{lists.unread} p.1:{error.value.line}: no sub-processor name column found; the table "
        "header reads: Aktør | Hva | Hvor | Merknad; name the columns by hand"
    )
    mapping = parse_column_mapping(MAPPING)
    pdf = parse_document(lists.unread, "Acme", columns=mapping)
    csv = parse_document(lists.unread_csv, "Acme", columns=mapping)
    assert {**wording(pdf), "title": csv.title} == wording(csv)
    _every_fact_cites_a_page(pdf)
    map_path = str(tmp_path / "map.json")
    result = runner.invoke(
        app,
        ["load", "--map", map_path, "--provider", "Acme", "--columns", MAPPING, str(lists.unread)],
    )
    assert result.exit_code == 0, result.output
    assert "1 service from" in result.stdout


def test_a_pdf_list_lacking_a_named_column_says_which(lists: Lists) -> None:
    with pytest.raises(LoadError) as error:
        parse_document(lists.northwind, columns=parse_column_mapping('name="Leverandør"'))
    assert str(error.value).startswith(
        f"{lists.northwind} p.1:{error.value.line}: no column 'Leverandør' (--columns name=)"
    )


def test_a_pdf_without_a_table_says_so(tmp_path: Path) -> None:
    text_only = tmp_path / "note.pdf"
    text_only.write_bytes(make.many_pages_pdf(1))  # one page saying "Sub-processors"
    with pytest.raises(LoadError) as error:
        parse_document(text_only, "Acme")
    assert str(error.value) == (
        f"{text_only}: no table found in the PDF (a service annex or a sub-processor list is "
        "read from a table drawn with lines)"
    )
