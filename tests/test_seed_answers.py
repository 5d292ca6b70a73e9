"""Exact answers on the real seed document (Phonero's annex), through the library."""

from __future__ import annotations

import pytest

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.queries.breach import breach
from dataflyt.queries.browse import show
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import transfers

ALL_SERVICES = {
    "Phonero Bedriftsnett",
    "Phonero Bedriftsnett Besøksregistrering",
    "Phonero Bedriftsnett Kundetilfredshet og NPS",
    "Mobilt Opptak (MVR)",
    "Analog Aksess (fastlinje tale)",
    "ISDN aksess",
    "Phonero SIP aksess",
    "Phonero Link",
    "Phonero Bedriftsportal & Fakturakontroll",
    "Supporthenvendelser via mail/Chat",
    "Phonero nettbutikk Smart Mobilkjøp",
}


def names(services: list) -> set[str]:  # type: ignore[type-arg]
    return {s.name for s in services}


@pytest.mark.parametrize(
    "term", ["call recordings", "samtaleopptak", "Call Recording", "SAMTALEOPPTAK"]
)
def test_only_mobile_recording_touches_call_recordings(
    seed_store: EmbeddedStore, term: str
) -> None:
    result = touches(seed_store, term)
    assert names(result.services) == {"Mobilt Opptak (MVR)"}
    assert result.services[0].provider is not None
    assert result.services[0].provider.name == "Phonero"
    assert [s.name for s in result.services[0].subprocessors] == ["Touch Technology AS"]
    assert result.services[0].matched[0].source.line == 13
    assert result.services[0].matched[0].source.text == "Samtaleopptak"


def test_call_history_is_not_a_recording(seed_store: EmbeddedStore) -> None:
    assert "Phonero Bedriftsnett" not in names(touches(seed_store, "call recordings").services)
    assert names(touches(seed_store, "call history").services) == {"Phonero Bedriftsnett"}


def test_email_address_is_processed_by_nine_services(seed_store: EmbeddedStore) -> None:
    result = touches(seed_store, "email address")
    assert names(result.services) == ALL_SERVICES - {
        "Phonero Bedriftsnett Besøksregistrering",
        "Phonero Bedriftsnett Kundetilfredshet og NPS",
    }
    assert len(result.services) == 9


def test_parent_category_finds_children_but_not_the_reverse(seed_store: EmbeddedStore) -> None:
    contact = touches(seed_store, "contact details")
    assert {"Phone number", "Email address", "Mobile phone number"} <= set(contact.covers)
    assert "Mobilt Opptak (MVR)" in names(contact.services)  # only via mobile number / email
    mobile = touches(seed_store, "mobilnummer")
    assert names(mobile.services) == {"Mobilt Opptak (MVR)"}
    content = touches(seed_store, "communications content")
    assert names(content.services) == {"Mobilt Opptak (MVR)", "Supporthenvendelser via mail/Chat"}


@pytest.mark.parametrize(
    ("organisation", "services", "countries"),
    [
        (
            "Link Mobility",
            {
                "Phonero Bedriftsnett",
                "Phonero Bedriftsnett Besøksregistrering",
                "Phonero Bedriftsnett Kundetilfredshet og NPS",
            },
            {"NO"},
        ),
        ("Telenor", {"Analog Aksess (fastlinje tale)", "ISDN aksess"}, {"NO"}),
        ("Zendesk", {"Supporthenvendelser via mail/Chat"}, {"DE"}),
        ("Bluestone", {"Phonero nettbutikk Smart Mobilkjøp"}, {"DE"}),
        ("Touch Technology", {"Mobilt Opptak (MVR)"}, {"NO"}),
        ("Phonero", ALL_SERVICES, {"NO", "DE"}),
    ],
)
def test_breach_blast_radius(
    seed_store: EmbeddedStore, organisation: str, services: set[str], countries: set[str]
) -> None:
    result = breach(seed_store, organisation)
    assert names(result.services) == services
    assert {c.code for c in result.countries} == countries


def test_breach_at_touch_technology_exposes_call_recordings_as_an_assumption(
    seed_store: EmbeddedStore,
) -> None:
    result = breach(seed_store, "Touch Technology AS")
    exposed = {c.name: c for c in result.data_categories}
    assert exposed["Call recordings"].assumption is True
    assert exposed["Call recordings"].sensitivity == "high"
    assert "Call recordings" in result.high_risk
    assert [link.name for link in result.services[0].chain] == [
        "Customer",
        "Phonero",
        "Touch Technology AS",
    ]
    duties = [(s.notifier, s.recipient, s.article) for s in result.notifications]
    assert duties[:2] == [
        ("Touch Technology AS", "Phonero", "Art. 33(2) (duty passed on by Art. 28(4))"),
        ("Phonero", "Customer (controller)", "Art. 33(2)"),
    ]
    assert duties[2:] == [
        ("Customer (controller)", "Supervisory authority", "Art. 33(1)"),
        ("Customer (controller)", "Data subjects: Employees", "Art. 34"),
    ]
    assert all(s.services == ["Mobilt Opptak (MVR)"] for s in result.notifications)


def test_breach_at_the_provider_is_not_an_assumption(seed_store: EmbeddedStore) -> None:
    result = breach(seed_store, "Phonero")
    assert all(not s.assumption for s in result.services)
    portal = next(s for s in result.services if s.name.startswith("Phonero Bedriftsportal"))
    assert portal.role == "independent_controller"
    portal_duties = [s for s in result.notifications if portal.name in s.services]
    assert ("Phonero (independent controller)", "Supervisory authority") in {
        (s.notifier, s.recipient) for s in portal_duties
    }
    assert not any(s.recipient == "Customer (controller)" for s in portal_duties)


def test_nothing_leaves_the_eea_and_two_locations_are_not_exhaustive(
    seed_store: EmbeddedStore,
) -> None:
    result = transfers(seed_store)
    assert result.transfers == []
    assert result.leaves_eea is False
    # the row's place of processing covers its service and the sub-processor it names
    assert [(f.service, f.code) for f in result.not_exhaustive] == [
        ("Analog Aksess (fastlinje tale)", "NO"),
        ("ISDN aksess", "NO"),
        ("Telenor", "NO"),
    ]


def test_business_portal_provider_is_an_independent_controller(seed_store: EmbeddedStore) -> None:
    result = show(seed_store, "Phonero Bedriftsportal & Fakturakontroll")
    provides = [n for n in result.neighbours if n.relation == "PROVIDES"]
    assert [(n.name, n.attrs["role"]) for n in provides] == [("Phonero", "independent_controller")]
    assert provides[0].source.text == "Behandlingsansvarlig*"
    assert result.attrs["portals"] == ["Din Bedrift", "Ditt Phonero"]


def test_reseller_services_name_telenor_as_service_provider(seed_store: EmbeddedStore) -> None:
    result = show(seed_store, "Analog Aksess")
    engages = [n for n in result.neighbours if n.relation == "ENGAGES"]
    assert [(n.name, n.attrs["purpose"]) for n in engages] == [("Telenor", "Tjenesteleverandør")]
    provides = [n for n in result.neighbours if n.relation == "PROVIDES"]
    assert provides[0].attrs["role"] == "reseller_processor"


def test_every_service_of_the_seed_loads(seed_store: EmbeddedStore) -> None:
    from dataflyt.graph.model import NodeKind

    assert {n.name for n in seed_store.nodes(NodeKind.SERVICE)} == ALL_SERVICES
    assert {n.name for n in seed_store.nodes(NodeKind.ORGANISATION)} == {
        "Phonero",
        "Link Mobility",
        "Touch Technology AS",
        "Telenor",
        "Zendesk",
        "Bluestone AS",
    }
    assert {n.attrs["code"] for n in seed_store.nodes(NodeKind.COUNTRY)} == {"NO", "DE"}
    [document] = seed_store.nodes(NodeKind.DOCUMENT)
    assert document.attrs["date"] == "2021-03-15"
    assert document.attrs["provider"] == "Phonero"
