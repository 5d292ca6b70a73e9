"""Data categories as a DPO reads them: content is content, a heading inside a cell is only the
parent of its items, no fragment categories, national identification numbers are high
sensitivity, and a category is found by a word of its name in either language."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.errors import AmbiguousNameError, UnknownNameError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.loaders.data_types import parse_data_types
from dataflyt.loaders.models import Source
from dataflyt.queries.resolve import resolve_category
from dataflyt.queries.touches import touches
from dataflyt.reference.vocabulary import vocabulary

DATA = Path(__file__).parent / "data"


def _read(cell: str) -> list[tuple[str, str]]:
    return [(c.key, c.label) for c in parse_data_types(cell, Source(file="x")).categories.values()]


@pytest.mark.parametrize(
    ("cell", "categories"),
    [
        ("Innhold i e-post, chat", [("message_content", "Innhold i e-post, chat")]),
        ("innhold i SMS", [("message_content", "innhold i SMS")]),
        ("Meldingsinnhold", [("message_content", "Meldingsinnhold")]),
        ("email content", [("message_content", "email content")]),
        ("message bodies", [("message_content", "message bodies")]),
        ("email and SMS content", [("message_content", "email and SMS content")]),
        ("E-mail, SMS and chat content", [("message_content", "E-mail, SMS and chat content")]),
        (
            "Navn, innhold i e-post, chat og SMS",
            [("name", "Navn"), ("message_content", "innhold i e-post")],
        ),
        ("innehåll i e-post", [("message_content", "innehåll i e-post")]),
        ("Nachrichteninhalte", [("message_content", "Nachrichteninhalte")]),
        # an address is not content
        ("e-postadresse, e-post", [("email_address", "e-postadresse")]),
    ],
)
def test_content_is_communications_content(cell: str, categories: list[tuple[str, str]]) -> None:
    assert _read(cell) == categories
    keys = [key for key, _ in categories]
    if "message_content" in keys:
        assert vocabulary().categories["message_content"].sensitivity == "high"
        assert "communications_content" in vocabulary().ancestors("message_content")


@pytest.mark.parametrize(
    ("cell", "categories", "unmapped"),
    [
        ("Name, email recipients", ["name", "email_address"], []),
        ("system logs, IP addresses", ["logs", "online_identifiers"], []),
        ("Innhold i e-post", ["message_content"], []),
        ("Personal data: name and related data", ["name"], []),
        (
            "customer contact details, and related business data",
            ["contact_details", "unmapped:related-business-data"],
            ["related business data"],
        ),
        # a term left whole keeps what it says, cited
        ("Customer data", ["unmapped:customer-data"], ["Customer data"]),
        ("Name, skostørrelse", ["name", "unmapped:skostørrelse"], ["skostørrelse"]),
    ],
)
def test_no_fragment_categories(cell: str, categories: list[str], unmapped: list[str]) -> None:
    found = parse_data_types(cell, Source(file="x", line=4))
    assert list(found.categories) == categories
    assert [(u.text, u.source.line) for u in found.unmapped] == [(t, 4) for t in unmapped]


@pytest.mark.parametrize(
    ("cell", "categories"),
    [
        (
            "<p>Kommunikasjonsdata:</p> <ul> • Samtaleopptak og meldingsinnhold • Metadata </ul>",
            ["call_recordings", "message_content", "communications_metadata"],
        ),
        (
            "Kommunikasjonsdata: innhold i SMS, metadata",
            ["message_content", "communications_metadata"],
        ),
        ("Contact details: phone number, email address", ["phone_number", "email_address"]),
        # a heading whose items the vocabulary cannot read keeps its meaning
        ("Kommunikasjonsdata: skostørrelse", ["communications", "unmapped:skostørrelse"]),
        ("Kommunikasjonsdata", ["communications"]),
    ],
)
def test_a_heading_in_a_cell_is_only_the_parent_of_its_items(
    cell: str, categories: list[str]
) -> None:
    assert list(parse_data_types(cell, Source(file="x")).categories) == categories


def test_seed_and_another_annex_read_headings_and_content(seed_path: Path) -> None:
    seed = {s.name: s for s in parse_document(seed_path).services}
    assert [c.key for c in seed["Mobilt Opptak (MVR)"].categories] == [
        "name",
        "mobile_number",
        "email_address",
        "call_recordings",
        "message_content",
        "communications_metadata",
    ]
    annex = parse_document(DATA / "bilag-kundeservice.txt", "Eksempel Kundeservice AS")
    chat, sms, identity = annex.services
    assert [(c.key, c.subjects) for c in chat.categories] == [
        ("name", ["customers"]),
        ("phone_number", ["customers"]),
        ("national_id", ["customers"]),
        ("message_content", ["customers"]),
    ]
    assert [c.key for c in sms.categories] == ["message_content", "communications_metadata"]
    assert [(c.key, c.label) for c in identity.categories] == [
        ("national_id", "D-nummer"),
        ("name", "navn"),
    ]
    assert annex.unmapped == []


@pytest.mark.parametrize(
    "term",
    [
        "fødselsnummer",
        "D-nummer",
        "personnummer",
        "CPR-nummer",
        "national ID",
        "SSN",
        "social security number",
        "national identification number",
    ],
)
def test_national_identification_numbers_are_high_sensitivity(term: str) -> None:
    [(key, _)] = _read(term)
    entry = vocabulary().categories[key]
    assert (key, entry.sensitivity) == ("national_id", "high")
    assert entry.description is not None
    assert "national identification number (personopplysningsloven § 12, GDPR Art. 87)" in (
        entry.description
    )


def test_a_swedish_list_with_personnummer() -> None:
    visma = parse_document(DATA / "exempel-underbitraden.csv").services[0].subprocessors[0]
    assert visma.categories == ["name", "national_id", "financial"]


# -- finding a category by a word of its name --------------------------------------------------


@pytest.fixture
def northwind(tmp_path: Path) -> EmbeddedStore:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [DATA / "northwind-subprocessors.html"])
    return store


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("payment", "financial"),
        ("payments", "financial"),
        ("payment data", "financial"),
        ("Betalingsinformasjon", "financial"),
        ("opptak", "call_recordings"),
        ("recordings", "call_recordings"),
        ("fødselsnummer", "national_id"),
        ("bodies", "message_content"),
    ],
)
def test_a_category_by_a_whole_word_in_either_language(
    northwind: EmbeddedStore, typed: str, key: str
) -> None:
    assert resolve_category(northwind, typed) == key


def test_touches_payment_finds_what_touches_payment_data_finds(northwind: EmbeddedStore) -> None:
    by_word = touches(northwind, "payment")
    by_name = touches(northwind, "payment data")
    named = [s.service.name for s in by_word.services]
    assert named == [s.service.name for s in by_name.services] == ["Northwind"]


@pytest.mark.parametrize(
    ("typed", "error", "message"),
    [
        (
            "telefon",
            AmbiguousNameError,
            "ambiguous data category 'telefon': it matches Phone number, Technical equipment",
        ),
        (
            "content",
            AmbiguousNameError,
            "ambiguous data category 'content': it matches Call recordings, Communications "
            "content, Message content, Support requests by email and chat",
        ),
        ("shoe size", UnknownNameError, "unknown data category 'shoe size'"),
    ],
)
def test_several_or_no_categories_by_a_word_give_suggestions(
    northwind: EmbeddedStore, typed: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error) as raised:
        resolve_category(northwind, typed)
    assert str(raised.value).startswith(message)


@given(st.text(max_size=120))
def test_any_cell_reads_and_every_unmapped_category_is_reported(cell: str) -> None:
    found = parse_data_types(cell, Source(file="x"))
    unmapped = [c.label for c in found.categories.values() if not c.mapped]
    assert set(unmapped) <= {term.text for term in found.unmapped}
