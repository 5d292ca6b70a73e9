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
    return {s.service.name if hasattr(s, "service") else s.facts.name for s in services}


@pytest.mark.parametrize(
    "term", ["call recordings", "samtaleopptak", "Call Recording", "SAMTALEOPPTAK"]
)
def test_only_mobile_recording_touches_call_recordings(
    seed_store: EmbeddedStore, term: str
) -> None:
    result = touches(seed_store, term)
    assert names(result.services) == {"Mobilt Opptak (MVR)"}
    service = result.services[0].service
    assert service.provider is not None
    assert service.provider.name == "Phonero"
    assert [e.organisation.name for e in service.engagements] == ["Touch Technology AS"]
    [matched] = result.services[0].matched
    assert matched.source is not None
    assert (matched.source.line, matched.source.text) == (13, "Samtaleopptak")


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
    ("organisation", "services", "places"),
    [
        (
            "Link Mobility",
            {
                "Phonero Bedriftsnett",
                "Phonero Bedriftsnett Besøksregistrering",
                "Phonero Bedriftsnett Kundetilfredshet og NPS",
            },
            {("NO", 10), ("NO", 11), ("NO", 12)},
        ),
        ("Telenor", {"Analog Aksess (fastlinje tale)", "ISDN aksess"}, {("NO", 14), ("NO", 20)}),
        ("Zendesk", {"Supporthenvendelser via mail/Chat"}, {("DE", 24)}),
        ("Bluestone", {"Phonero nettbutikk Smart Mobilkjøp"}, {("DE", 25)}),
        ("Touch Technology", {"Mobilt Opptak (MVR)"}, {("NO", 13)}),
    ],
)
def test_breach_reports_where_the_sub_processor_works_for_each_service(
    seed_store: EmbeddedStore, organisation: str, services: set[str], places: set[tuple[str, int]]
) -> None:
    # in the annex layout a row's place of processing covers the sub-processors it names
    result = breach(seed_store, organisation)
    assert names(result.services) == services
    cited = {
        (place.code, place.source.line) for a in result.services for place in a.chain[-1].places
    }
    assert cited == places
    assert {c.code for c in result.countries} == {code for code, _ in places}
    assert result.places_not_stated == []


def test_telenor_may_also_process_elsewhere(seed_store: EmbeddedStore) -> None:
    result = breach(seed_store, "Telenor")
    places = [p for a in result.services for p in a.chain[-1].places]
    assert {p.exhaustive for p in places} == {False}


def test_breach_at_the_provider_covers_every_service_where_it_is_processed(
    seed_store: EmbeddedStore,
) -> None:
    result = breach(seed_store, "Phonero")
    assert names(result.services) == ALL_SERVICES
    assert {c.code for c in result.countries} == {"NO", "DE"}
    assert all(a.basis == "provider" for a in result.services)


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
    portal = next(s for s in result.services if s.facts.name.startswith("Phonero Bedriftsportal"))
    assert portal.facts.role == "independent_controller"
    portal_duties = [s for s in result.notifications if portal.facts.name in s.services]
    assert ("Phonero (independent controller)", "Supervisory authority") in {
        (s.notifier, s.recipient) for s in portal_duties
    }
    assert not any(s.recipient == "Customer (controller)" for s in portal_duties)


def test_nothing_leaves_the_eea_and_four_places_are_not_exhaustive(
    seed_store: EmbeddedStore,
) -> None:
    result = transfers(seed_store)
    assert result.transfers == []
    assert result.not_stated == []
    assert result.leaves_eea is False
    # the remark covers the reseller services and Telenor, the provider their rows name
    assert [
        (f.holder.name, f.processor.name if f.processor else None, f.code)
        for f in result.not_exhaustive
    ] == [
        ("Analog Aksess (fastlinje tale)", "Phonero", "NO"),
        ("Analog Aksess (fastlinje tale)", "Telenor", "NO"),
        ("ISDN aksess", "Phonero", "NO"),
        ("ISDN aksess", "Telenor", "NO"),
    ]


def test_business_portal_provider_is_an_independent_controller(seed_store: EmbeddedStore) -> None:
    result = show(seed_store, "Phonero Bedriftsportal & Fakturakontroll")
    assert result.service is not None
    assert (result.service.role, result.service.role_label) == (
        "independent_controller",
        "Independent controller",
    )
    provides = [n for n in result.neighbours if n.relation == "PROVIDES"]
    assert [(n.name, n.details) for n in provides] == [
        ("Phonero", ["role: independent_controller"])
    ]
    assert provides[0].source.text == "Behandlingsansvarlig*"
    assert result.service.portals == ["Din Bedrift", "Ditt Phonero"]


def test_reseller_services_name_telenor_as_service_provider(seed_store: EmbeddedStore) -> None:
    result = show(seed_store, "Analog Aksess")
    assert result.service is not None
    [telenor] = result.service.engagements
    assert (telenor.organisation.name, telenor.purpose) == ("Telenor", "Tjenesteleverandør")
    assert result.service.role == "reseller_processor"


def test_every_service_of_the_seed_loads(seed_store: EmbeddedStore) -> None:
    from dataflyt.graph.model import Document, NodeKind

    assert {n.name for n in seed_store.nodes(NodeKind.SERVICE)} == ALL_SERVICES
    assert {n.name for n in seed_store.nodes(NodeKind.ORGANISATION)} == {
        "Phonero",
        "Link Mobility",
        "Touch Technology AS",
        "Telenor",
        "Zendesk",
        "Bluestone AS",
        "Telia",  # the group the reference data places Phonero in
    }
    assert {getattr(n, "code", None) for n in seed_store.nodes(NodeKind.COUNTRY)} == {"NO", "DE"}
    [document] = seed_store.nodes(NodeKind.DOCUMENT)
    assert isinstance(document, Document)
    assert (document.date, document.valid_from, document.valid_to) == (
        "2021-03-15",
        "2021-03-15",
        None,
    )
    assert document.provider == "Phonero"


def test_a_range_of_touches_is_that_range_of_the_whole_answer(seed_store: EmbeddedStore) -> None:
    whole = touches(seed_store, "email address")
    part = touches(seed_store, "email address", slice(2, 5))
    assert (part.total, whole.total) == (9, 9)
    assert part.services == whole.services[2:5]
    assert [s.service.name for s in part.services] == [
        "Mobilt Opptak (MVR)",
        "Phonero Bedriftsnett",
        "Phonero Bedriftsportal & Fakturakontroll",
    ]
