"""The annex loader on the seed, on other providers' documents and in other encodings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dataflyt.loaders import parse_document
from tests.conftest import SEED, SHARED_SEED

DATA = Path(__file__).parent / "data"


def test_bundled_example_is_the_shared_seed() -> None:
    if SHARED_SEED.exists():
        assert SEED.read_bytes() == SHARED_SEED.read_bytes()


def test_seed_document_identity() -> None:
    doc = parse_document(SEED)
    assert (doc.title, doc.provider, doc.date) == (
        "PHONERO TJENESTEBESKRIVELSE",
        "Phonero",
        dt.date(2021, 3, 15),
    )
    assert len(doc.services) == 11
    assert doc.unmapped == []


def test_seed_cells() -> None:
    services = {s.name: s for s in parse_document(SEED).services}
    nps = services["Phonero Bedriftsnett Kundetilfredshet og NPS"]
    assert {c.key for c in nps.categories} == {"caller_number", "call_time", "survey_responses"}
    assert set(nps.categories[0].subjects) == {"callers", "queue_agents"}
    visits = services["Phonero Bedriftsnett Besøksregistrering"]
    assert {c.key for c in visits.categories} == {"name", "employer", "phone_number", "visit_log"}
    assert set(visits.categories[0].subjects) == {"visitors", "hosts"}
    assert [(s.name, s.purpose) for s in services["Phonero Bedriftsnett"].subprocessors] == [
        ("Link Mobility", "SMS varsling")
    ]
    assert services["Phonero SIP aksess"].subprocessors == []
    analog = services["Analog Aksess (fastlinje tale)"]
    assert [(p.code, p.exhaustive) for p in analog.locations] == [("NO", False)]
    shop = services["Phonero nettbutikk Smart Mobilkjøp"]
    name = next(c for c in shop.categories if c.key == "name")
    assert set(name.subjects) == {"employees", "recipients"}
    support = services["Supporthenvendelser via mail/Chat"]
    assert {c.key: c.subjects for c in support.categories}["support_correspondence"] == [
        "customers"
    ]
    assert services["Phonero Link"].portals == ["Din Bedrift", "Ditt Phonero"]


def test_another_provider_in_english_with_several_subprocessors() -> None:
    doc = parse_document(DATA / "acme-annex.txt")
    assert (doc.provider, doc.date) == ("Acme Telecom", dt.date(2024, 9, 12))
    centre, mail, portal = doc.services
    assert [(s.name, s.purpose) for s in centre.subprocessors] == [
        ("Twilio", "voice"),
        ("Amazon Web Services", "hosting"),
        ("Zendesk, Inc.", "ticketing"),
    ]
    assert [p.code for p in centre.locations] == ["IE", "US", "IN"]
    assert [(p.code, p.exhaustive) for p in mail.locations] == [("US", False)]
    assert portal.role == "independent_controller"
    assert [(t.kind, t.text, t.source.line) for t in doc.unmapped] == [
        ("category", "skostørrelse", 7)
    ]
    assert "unmapped:skostørrelse" in {c.key for c in mail.categories}


def test_a_rows_place_of_processing_covers_the_sub_processors_it_names() -> None:
    services = {s.name: s for s in parse_document(SEED).services}
    [zendesk] = services["Supporthenvendelser via mail/Chat"].subprocessors
    assert [(p.code, p.exhaustive, p.source.line, p.source.text) for p in zendesk.locations] == [
        ("DE", True, 24, "Tyskland")
    ]
    [telenor] = services["Analog Aksess (fastlinje tale)"].subprocessors
    assert [(p.code, p.exhaustive, p.note) for p in telenor.locations] == [
        (
            "NO",
            False,
            "merk at tjenesteleverandør kan i tillegg behandle data på andre lokasjoner ifm. "
            "tjenesteleveransen",
        )
    ]
    centre = parse_document(DATA / "acme-annex.txt").services[0]
    assert {s.name: [p.code for p in s.locations] for s in centre.subprocessors} == {
        "Twilio": ["IE", "US", "IN"],
        "Amazon Web Services": ["IE", "US", "IN"],
        "Zendesk, Inc.": ["IE", "US", "IN"],
    }


def test_provider_can_be_overridden() -> None:
    assert parse_document(SEED, provider="Telia Norge").provider == "Telia Norge"


@pytest.mark.parametrize(
    ("encoding", "prefix", "newline"),
    [
        ("utf-8", b"", "\n"),
        ("utf-8", b"\xef\xbb\xbf", "\n"),
        ("utf-8", b"", "\r\n"),
        ("cp1252", b"", "\r\n"),
        ("cp1252", b"", "\n"),
    ],
)
def test_encodings_and_line_ends(
    tmp_path: Path, encoding: str, prefix: bytes, newline: str
) -> None:
    text = SEED.read_text("utf-8").replace("•", "-").replace("◦", "-")
    path = tmp_path / "annex.txt"
    path.write_bytes(prefix + text.replace("\n", newline).encode(encoding))
    doc = parse_document(path)
    assert len(doc.services) == 11
    assert "Phonero nettbutikk Smart Mobilkjøp" in {s.name for s in doc.services}
    assert "Phonero Bedriftsnett Besøksregistrering" in {s.name for s in doc.services}
    assert doc.date == dt.date(2021, 3, 15)
