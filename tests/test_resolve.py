"""Names as people type them: case, language, number, prefixes; errors with suggestions."""

from __future__ import annotations

import pytest

from dataflyt.errors import AmbiguousNameError, UnknownNameError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.queries.resolve import resolve_category, resolve_name, resolve_node


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("call recordings", "call_recordings"),
        ("Samtaleopptak", "call_recordings"),
        ("call recording", "call_recordings"),
        ("EMAIL ADDRESSES", "email_address"),
        ("e-postadresse", "email_address"),
        ("telefonnumre", "phone_number"),
        ("contact details", "contact_details"),
        ("Kontaktopplysninger", "contact_details"),
    ],
)
def test_categories_in_either_language_and_number(
    seed_store: EmbeddedStore, text: str, key: str
) -> None:
    assert resolve_category(seed_store, text) == key


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Zendesk", "Zendesk"),
        ("zendesk, inc.", "Zendesk"),
        ("ZENDESK INC", "Zendesk"),
        ("touch technology", "Touch Technology AS"),
        ("Link", "Link Mobility"),
    ],
)
def test_organisations(seed_store: EmbeddedStore, text: str, name: str) -> None:
    assert resolve_node(seed_store, NodeKind.ORGANISATION, text).name == name


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Mobilt Opptak", "Mobilt Opptak (MVR)"),
        ("mobilt opptak (mvr)", "Mobilt Opptak (MVR)"),
        ("Phonero Bedriftsnett", "Phonero Bedriftsnett"),
        ("supporthenv", "Supporthenvendelser via mail/Chat"),
    ],
)
def test_services_by_unique_prefix(seed_store: EmbeddedStore, text: str, name: str) -> None:
    assert resolve_node(seed_store, NodeKind.SERVICE, text).name == name


def test_ambiguous_prefix_lists_the_matches(seed_store: EmbeddedStore) -> None:
    assert resolve_node(seed_store, NodeKind.SERVICE, "Phonero Bedriftsp").name == (
        "Phonero Bedriftsportal & Fakturakontroll"
    )
    with pytest.raises(AmbiguousNameError) as error:
        resolve_node(seed_store, NodeKind.SERVICE, "phonero b")
    assert len(error.value.candidates) == 4


def test_unknown_names_suggest_the_closest(seed_store: EmbeddedStore) -> None:
    with pytest.raises(UnknownNameError) as error:
        resolve_node(seed_store, NodeKind.ORGANISATION, "Zendsk")
    assert error.value.candidates[0] == "Zendesk"
    with pytest.raises(UnknownNameError) as error:
        resolve_category(seed_store, "call recordngs")
    assert "Call recordings" in error.value.candidates


def test_show_finds_any_kind(seed_store: EmbeddedStore) -> None:
    assert resolve_name(seed_store, "Norge").kind is NodeKind.COUNTRY
    assert resolve_name(seed_store, "ansatte").kind is NodeKind.SUBJECT
    assert resolve_name(seed_store, "Bluestone").kind is NodeKind.ORGANISATION
    assert resolve_name(seed_store, "samtaleopptak").kind is NodeKind.CATEGORY
