"""PDF documents: the seed annex and an English annex printed to PDF say what their text says
and cite page and line; an English sub-processor list (header not repeated, a row broken by
the page break, merged cells) says what its HTML says; scans, encrypted, broken and hostile
PDFs fail with one line, quickly."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import pdfplumber
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.loaders.models import (
    CategoryFact,
    DocumentFormat,
    LocationFact,
    ParsedDocument,
    SubProcessorFact,
)
from dataflyt.loaders.pdf import LIMITS, PdfLimits, read_pdf
from dataflyt.loaders.text import max_document_bytes
from dataflyt.queries.breach import breach
from dataflyt.queries.browse import show
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import transfers
from tests import pdf_documents as make
from tests.conftest import SEED

ACME = Path(__file__).parent / "data" / "acme-annex.txt"


@dataclass(frozen=True)
class Printed:
    """The text PDFs (and the list's HTML) the tests read, made once per session."""

    seed: Path
    acme: Path
    skyhook: Path
    skyhook_html: Path


@pytest.fixture(scope="session")
def printed(tmp_path_factory: pytest.TempPathFactory) -> Printed:
    work = tmp_path_factory.mktemp("pdfs")
    skyhook_html = work / "skyhook-subprocessors.html"
    skyhook_html.write_text(make.list_html(), "utf-8")
    return Printed(
        seed=make.print_pdf(
            make.annex_html(SEED.read_text("utf-8"), "no"),
            work / SEED.with_suffix(".pdf").name,
            work,
        ),
        acme=make.print_pdf(
            make.annex_html(ACME.read_text("utf-8"), "en"), work / "acme-annex.pdf", work
        ),
        skyhook=make.print_pdf(make.list_html(), work / "skyhook-subprocessors.pdf", work),
        skyhook_html=skyhook_html,
    )


@pytest.fixture(scope="session")
def seed_pdf(printed: Printed) -> ParsedDocument:
    return parse_document(printed.seed)


def wording(doc: ParsedDocument) -> Any:
    """Return ``doc`` as plain values with every source reduced to its original wording (and
    the file's own path, hash and format left out): what the document says, not where."""

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            if set(value) == {"file", "line", "page", "text"}:
                return value["text"]
            return {k: walk(v) for k, v in value.items() if k not in ("path", "sha256", "format")}
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(doc.model_dump(mode="json"))


def printed_lines(pdf: Path) -> dict[int, list[str]]:
    """Return each page's lines of text as pdfplumber reads them, to check citations by."""
    with pdfplumber.open(pdf) as document:
        return {
            page.page_number: [line["text"] for line in page.extract_text_lines()]
            for page in document.pages
        }


# -- the seed annex ---------------------------------------------------------------------------


def test_seed_annex_pdf_says_what_its_text_says(seed_pdf: ParsedDocument) -> None:
    text = parse_document(SEED)
    assert wording(seed_pdf) == wording(text)
    assert (seed_pdf.format, seed_pdf.title, seed_pdf.provider, str(seed_pdf.date)) == (
        DocumentFormat.ANNEX,
        "PHONERO TJENESTEBESKRIVELSE",
        "Phonero",
        "2021-03-15",
    )
    bedriftsportal = next(s for s in seed_pdf.services if s.name.endswith("Fakturakontroll"))
    assert bedriftsportal.role == "independent_controller"  # the footnote after the table


def test_seed_annex_pdf_spans_two_pages_with_its_header_repeated(printed: Printed) -> None:
    lines = printed_lines(printed.seed)
    header = "Tjeneste Telias rolle Datatyper Underleverandører Behandlingssted"
    assert sorted(lines) == [1, 2]
    assert header in lines[1] and lines[2][0] == header


def test_seed_annex_pdf_cites_page_and_printed_line(
    seed_pdf: ParsedDocument, printed: Printed
) -> None:
    lines = printed_lines(printed.seed)
    assert {s.source.page for s in seed_pdf.services} == {1, 2}
    for service in seed_pdf.services:
        where = service.source
        assert where.page is not None and where.line is not None
        assert lines[where.page][where.line - 1].startswith(service.name.split()[0]), service.name
        facts: list[CategoryFact | SubProcessorFact | LocationFact] = [
            *service.categories,
            *service.subprocessors,
            *service.locations,
        ]
        assert {(f.source.page, f.source.line) for f in facts} <= {(where.page, where.line)}
    footnote = next(note for note in seed_pdf.notes if note.text.startswith("*"))
    assert footnote.page is not None and footnote.line is not None
    assert lines[footnote.page][footnote.line - 1].startswith("* Dersom Phonero står oppført")
    assert footnote.text.endswith("Sist oppdatert 15.03.2021.")  # joined across the lines


def _answers(path: Path, tmp_path: Path) -> list[Any]:
    store = EmbeddedStore(tmp_path / f"{path.suffix[1:]}.json")
    load_files(store, [path])
    answers = [
        touches(store, "call recordings"),
        touches(store, "kontaktinformasjon"),
        breach(store, "Link Mobility"),
        breach(store, "Telenor"),
        breach(store, "Phonero"),
        transfers(store),
        show(store, "Zendesk"),
        show(store, "Phonero Bedriftsportal & Fakturakontroll"),
    ]

    def uncited(value: Any) -> Any:
        """Return an answer without where its facts are written: the file's path, page and
        line, and the id of the document's version (made from the file's bytes)."""
        if isinstance(value, dict):
            where = {"path", "line", "page"} | (
                {"id"} if value.get("kind") == "document" else set()
            )
            return {k: uncited(v) for k, v in value.items() if k not in where}
        if isinstance(value, list):
            return [uncited(v) for v in value]
        return value

    return [uncited(msgspec.to_builtins(answer)) for answer in answers]


def test_seed_annex_pdf_answers_equal_the_text_answers(printed: Printed, tmp_path: Path) -> None:
    assert _answers(printed.seed, tmp_path) == _answers(SEED, tmp_path)


# -- an English annex ---------------------------------------------------------------------------


def test_english_annex_pdf_says_what_its_text_says(printed: Printed) -> None:
    pdf = parse_document(printed.acme)
    assert wording(pdf) == wording(parse_document(ACME))
    assert (pdf.provider, str(pdf.date)) == ("Acme Telecom", "2024-09-12")
    assert [(t.text, t.source.page) for t in pdf.unmapped] == [("skostørrelse", 1)]


def test_load_prints_an_unmapped_terms_page_and_line(
    printed: Printed, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["load", str(printed.acme), "--map", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    line = parse_document(printed.acme).unmapped[0].source.line
    assert f"acme-annex.pdf p.1:{line}" in " ".join(result.stdout.split())


# -- an English sub-processor list --------------------------------------------------------------


def test_list_pdf_says_what_its_html_says(printed: Printed) -> None:
    pdf = parse_document(printed.skyhook)
    assert wording(pdf) == wording(parse_document(printed.skyhook_html))
    assert (pdf.format, pdf.provider, str(pdf.date)) == (
        DocumentFormat.SUBPROCESSORS_PDF,
        "Skyhook",
        "2025-03-03",
    )
    assert [(n.page, n.text) for n in pdf.notes] == [
        (1, "Infrastructure"),
        (1, "Communication and business tools"),
    ]


def test_list_pdf_header_once_and_a_row_broken_by_the_page_break(printed: Printed) -> None:
    lines = printed_lines(printed.skyhook)
    header = "Sub-processor Purpose Personal data Location"
    assert sorted(lines) == [1, 2]
    assert header in lines[1] and header not in lines[2]
    _, purpose, data, _ = next(row for row in make.LIST_ROWS if row[0] == make.BROKEN)
    assert lines[2][0] in data  # page 2 starts inside the broken row

    def broken(doc: ParsedDocument) -> SubProcessorFact:
        return next(s for s in doc.services[0].subprocessors if s.name == make.BROKEN)

    pdf, html = (
        broken(parse_document(printed.skyhook)),
        broken(parse_document(printed.skyhook_html)),
    )
    assert (pdf.source.page, pdf.purpose, pdf.categories) == (1, purpose, html.categories)
    assert pdf.categories is not None and "user_id" in pdf.categories  # said on page 2


def test_list_pdf_merged_cells(printed: Printed) -> None:
    subs = parse_document(printed.skyhook).services[0].subprocessors
    zendesk = next(s for s in subs if s.name == "Zendesk, Inc.")  # a name spanning two rows
    assert zendesk.purpose == "Support ticketing; Help centre"
    assert [(p.code, p.safeguards) for p in zendesk.locations] == [("US", ["scc"]), ("IE", [])]
    stripe = next(s for s in subs if s.name.startswith("Stripe"))  # a line break in a cell
    assert set(stripe.categories or []) == {"name", "invoice_address", "unmapped:payment-card-data"}


def test_a_bad_row_names_file_page_and_line(tmp_path: Path) -> None:
    rows = [("Amazon Web Services, Inc.", "Hosting"), ("", "Backups"), ("Google LLC", "Email")]
    body = [
        "<h1>Skyhook Sub-processors</h1>",
        "<table><tr><th>Sub-processor</th><th>Purpose</th></tr>",
        *[f"<tr><td>{name}</td><td>{purpose}</td></tr>" for name, purpose in rows],
        "</table>",
    ]
    pdf = make.print_pdf(make.html_page("Skyhook", body, "en"), tmp_path / "list.pdf", tmp_path)
    with pytest.raises(LoadError) as error:
        parse_document(pdf)
    assert (error.value.page, error.value.reason) == (1, "the sub-processor name is empty")
    assert str(error.value) == f"{pdf} p.1:{error.value.line}: Sub-processor: {error.value.reason}"
    assert error.value.line is not None
    assert printed_lines(pdf)[1][error.value.line - 1] == "Backups"


# -- PDFs that cannot be read -------------------------------------------------------------------


def _refused(path: Path, limits: PdfLimits = LIMITS) -> str:
    with pytest.raises(LoadError) as error:
        read_pdf(path, limits)
    message = str(error.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message.removeprefix(f"{path}: ")


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_a_scan_has_no_text_layer(printed: Printed, tmp_path: Path) -> None:
    scan = _write(tmp_path, "scan.pdf", make.scanned_pdf(printed.seed))
    assert _refused(scan) == "no text layer (a scan or images only): run OCR first"


def test_a_password_protected_pdf_is_refused(printed: Printed, tmp_path: Path) -> None:
    locked = _write(tmp_path, "locked.pdf", make.encrypted_pdf(printed.seed, "s3cret"))
    assert _refused(locked) == "is encrypted with a password: save it without one first"


def test_a_pdf_restricted_by_an_owner_password_only_loads(printed: Printed, tmp_path: Path) -> None:
    restricted = _write(tmp_path, "restricted.pdf", make.encrypted_pdf(printed.seed, ""))
    assert len(parse_document(restricted).services) == 11


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (
            lambda data: data[: len(data) // 2],
            "is truncated or damaged: the PDF has no end-of-file",
        ),
        (lambda data: data[:9] + b"\x00garbage" * 50 + b"\n%%EOF\n", "not a readable PDF: "),
        (lambda data: b"Tjeneste\tTelias rolle\n" * 3, "is not a PDF (no %PDF- header)"),
        (lambda data: b"", "the file is empty"),
    ],
    ids=["truncated", "broken", "text named .pdf", "empty"],
)
def test_a_damaged_pdf_is_one_line(
    printed: Printed, tmp_path: Path, damage: Callable[[bytes], bytes], reason: str
) -> None:
    damaged = _write(tmp_path, "damaged.pdf", damage(printed.seed.read_bytes()))
    assert _refused(damaged).startswith(reason)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (lambda: make.many_pages_pdf(10_000), "has 10,000 pages, more than the 200"),
        (lambda: make.many_objects_pdf(300_000), "declares 300,005 objects, more than the 200,000"),
    ],
    ids=["10,000 pages", "300,000 objects"],
)
def test_a_pdf_bomb_is_refused_quickly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, data: Callable[[], bytes], reason: str
) -> None:
    # bombs within the size a document may be when it is raised: the count stops them
    monkeypatch.setenv("DATAFLYT_MAX_DOCUMENT_MB", "50")
    bomb = _write(tmp_path, "bomb.pdf", data())
    started = time.monotonic()
    assert _refused(bomb).startswith(reason)
    assert time.monotonic() - started < 10


def test_deep_nesting_is_bounded(tmp_path: Path) -> None:
    nested = _write(tmp_path, "nested.pdf", make.nested_pdf(100_000))
    started = time.monotonic()
    with pytest.raises(LoadError) as error:
        parse_document(nested)
    assert "\n" not in str(error.value)
    assert time.monotonic() - started < 20


def test_a_zip_bomb_stops_at_the_memory_cap(tmp_path: Path) -> None:
    bomb = _write(tmp_path, "inflating.pdf", make.inflating_pdf(400 * 2**20))
    limits = PdfLimits(memory=250 * 2**20)
    assert _refused(bomb, limits) == "needs more than 250 MB of memory to read; refused"


def test_reading_stops_at_the_time_limit(printed: Printed) -> None:
    reason = _refused(printed.seed, PdfLimits(seconds=0.01))
    assert reason == "reading took longer than 0.01 s (a PDF bomb?); refused"


def test_an_oversized_pdf_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFLYT_MAX_DOCUMENT_MB", raising=False)
    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(max_document_bytes() + 1)  # sparse: no disk is written
    assert _refused(huge) == (
        "is 10,000,001 bytes, more than the 10 MB a document may be: split it, or set "
        "DATAFLYT_MAX_DOCUMENT_MB to a larger limit"
    )


@settings(max_examples=8, deadline=None)
@given(st.data())
def test_a_damaged_pdf_fails_only_with_a_load_error(printed: Printed, data: st.DataObject) -> None:
    original = printed.acme.read_bytes()
    start = data.draw(st.integers(0, len(original) - 1), label="start")
    damage = data.draw(st.binary(min_size=1, max_size=64), label="damage")
    with tempfile.TemporaryDirectory() as folder:
        damaged = Path(folder) / "damaged.pdf"
        damaged.write_bytes(original[:start] + damage + original[start + len(damage) :])
        try:
            parse_document(damaged)
        except LoadError as error:
            assert "\n" not in str(error)


# -- through the CLI ----------------------------------------------------------------------------


def test_cli_loads_the_seed_pdf(printed: Printed, runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(printed.seed), "--map", str(tmp_path / "m.json")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(
        "Loaded PHONERO TJENESTEBESKRIVELSE (Phonero, dated 2021-03-15): 11 services from"
    )


def test_cli_scan_exits_1_with_one_line(
    printed: Printed, runner: CliRunner, tmp_path: Path
) -> None:
    scan = _write(tmp_path, "scan.pdf", make.scanned_pdf(printed.seed))
    map_path = tmp_path / "m.json"
    result = runner.invoke(app, ["load", str(scan), "--map", str(map_path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"dataflyt: error: {scan}: no text layer (a scan or images only): run OCR first\n"
    )
    assert not map_path.exists()
