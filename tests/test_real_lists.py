"""Exact answers on real published sub-processor lists (sources in tests/data/README.md) and on
lists written in the layouts and languages no published one was found for: the names, places,
safeguards, dates and attributes each row states, scoped to that row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dataflyt.errors import UnknownProviderError
from dataflyt.loaders import parse_document
from dataflyt.loaders.models import ParsedDocument, SubProcessorFact

DATA = Path(__file__).parent / "data"


def _subs(doc: ParsedDocument, service: int = 0) -> dict[str, SubProcessorFact]:
    return {s.name: s for s in doc.services[service].subprocessors}


def _places(sub: SubProcessorFact) -> list[tuple[str, list[str]]]:
    return [(p.code, p.safeguards) for p in sub.locations]


# -- English -----------------------------------------------------------------------------------


def test_github_list_names_aliases_and_scoped_places() -> None:
    doc = parse_document(DATA / "github-subprocessors.md")
    assert (doc.provider, doc.title, [s.name for s in doc.services]) == (
        "GitHub",
        "GitHub Subprocessors",
        ["GitHub"],
    )
    assert doc.services[0].locations == []  # never the union of the vendors' places
    subs = _subs(doc)
    assert [(s.name, s.aliases) for s in subs.values()][:5] == [
        ("Amazon Web Services Inc", ["AWS"]),
        ("Anthropic PBC", []),
        ("Fireworks AI", []),
        ("Google Cloud Platform", ["GCP"]),
        ("Microsoft", ["Azure"]),
    ]
    assert (subs["NexMo Inc"].aliases, subs["Twilio"].aliases) == (["Vonage"], ["SendGrid"])
    assert _places(subs["Zendesk"]) == [("US", [])]
    assert [p.code for p in subs["Fireworks AI"].locations] == ["US", "DE", "IS"]
    # the two tables: GitHub's subsidiaries are sub-processors too, each with its own place
    assert _places(subs["GitHub BV"]) == [("NL", [])]
    assert subs["npm Inc"].purpose == "GitHub Subsidiary"
    # "Corporate Location" is where the organisation is, not where it processes the data
    countries = {o.name: o.country for o in doc.organisations}
    assert (countries["GitHub BV"], countries["Zendesk"], len(doc.organisations)) == (
        "NL",
        "US",
        12,
    )


def test_rows_of_one_sub_processor_are_one_engagement_with_every_row_cited() -> None:
    microsoft = _subs(parse_document(DATA / "github-subprocessors.md"))["Microsoft"]
    assert microsoft.purpose == (
        "Cloud Hosted Infrastructure, Data Hosting, AI Inference and AI Services; Cognitive "
        "Services and customer support ticketing analysis; Technical Services"
    )
    assert [(p.code, p.source.line) for p in microsoft.locations][:5] == [
        ("US", 24),
        ("CA", 24),
        ("CL", 24),
        ("MX", 24),
        ("US", 25),
    ]
    assert len(microsoft.locations) == 16


def test_slack_archived_page_places_one_per_line() -> None:
    doc = parse_document(DATA / "slack-subprocessors-2022.html")
    assert (doc.provider, doc.title, doc.date) == (
        "Slack",
        "Slack sub-processors (Archived) | Slack",
        dt.date(2022, 11, 15),
    )
    aws = _subs(doc)["Amazon Web Services, Inc."]
    assert [p.code for p in aws.locations[:9]] == [
        "US",
        "AU",
        "CA",
        "FR",
        "DE",
        "IN",
        "JP",
        "KR",
        "GB",
    ]
    assert aws.attributes["Additional details"].startswith("Customers may select a data region")
    assert list(_subs(doc)) == ["Amazon Web Services, Inc.", "Google LLC", "Zendesk, Inc."]
    assert doc.unmapped == []


def test_normative_appendix_long_headers_legal_entities_and_addresses() -> None:
    with pytest.raises(UnknownProviderError):
        parse_document(DATA / "normative-appendix-2.html")
    doc = parse_document(DATA / "normative-appendix-2.html", "Normative")
    assert doc.title == "Appendix 2 \u2013 Sub Processors"
    subs = _subs(doc)
    aws = subs["Amazon Web Services EMEA SARL"]
    assert (aws.aliases, aws.attributes) == (
        ["AWS Europe"],
        {
            "registration number": "B 186284",
            "address": "38 Avenue John F. Kennedy, Luxembourg 1855, Luxembourg",
        },
    )
    assert aws.purpose == "Hosts the core application logic, plus file storage & certain databases."
    assert _places(aws) == [("DE", []), ("SE", [])]
    assert _places(subs["Cloudflare, Inc."]) == [("US", ["scc"])]
    assert subs["Cloudflare, Inc."].attributes["registration number"] == "4710875"
    assert _places(subs["Normative Ltd"]) == [("GB", ["adequacy"])]
    assert list(subs) == [
        "Amazon Web Services EMEA SARL",
        "MongoDB Limited",
        "Auth0, Inc.",
        "Google Cloud EMEA Limited",
        "Cloudflare, Inc.",
        "Twilio Ireland Limited",
        "Normative Ltd",
    ]
    assert [s.aliases for s in subs.values()] == [
        ["AWS Europe"],
        ["MongoDB Atlas"],
        [],
        ["Google"],
        [],
        ["Sendgrid"],
        ["Normative UK"],
    ]


def test_commslayer_legal_entity_column_registration_and_country_apart_from_places() -> None:
    doc = parse_document(DATA / "commslayer-subprocessors.html", "Commslayer")
    google, hetzner, aws = doc.services[0].subprocessors
    assert (google.name, google.aliases) == ("Google Ireland Limited", ["Google Cloud Platform"])
    assert (hetzner.name, hetzner.aliases) == ("Hetzner Online GmbH", [])
    assert [(p.code, p.note, p.exhaustive, p.safeguards) for p in google.locations] == [
        ("US", "us-central1, us-west1", False, ["scc"])
    ]
    assert (doc.unmapped[0].kind, doc.unmapped[0].text) == ("location", "other non-EU regions")
    assert google.attributes["Registration Number"] == "IE 368047"
    assert google.attributes["Types of Data Subjects"] == (
        "End customers of Commslayer merchants, support agents"
    )
    assert google.attributes["Transfer Mechanism"].startswith("Standard Contractual Clauses")
    # a transfer-mechanism cell that states no safeguard is kept as it is written
    assert hetzner.attributes["Transfer Mechanism"] == (
        "EU-based processing (no transfer outside EU/EEA)"
    )
    assert [(o.name, o.country) for o in doc.organisations] == [
        ("Google Ireland Limited", "IE"),
        ("Hetzner Online GmbH", "DE"),
        ("Amazon Web Services EMEA SARL", "LU"),
    ]
    assert aws.categories == ["email_address", "message_content"]


def test_fenerum_per_row_start_and_end_dates() -> None:
    doc = parse_document(DATA / "fenerum-subprocessors.md", "Fenerum")
    subs = _subs(doc)
    assert subs["Scaleway"].added == dt.date(2024, 2, 15)
    heroku = subs["Heroku"]
    assert (heroku.added, heroku.attributes) == (
        dt.date(2019, 3, 25),
        {"note": "by Salesforce", "Applies to": "All customers", "End": "1/4-2024"},
    )
    assert [(p.code, p.note) for p in subs["Scaleway"].locations] == [("FR", "EU"), ("NL", "EU")]


def test_wolters_kluwer_nordic_list_places_in_a_cell() -> None:
    with pytest.raises(UnknownProviderError):  # "Denmark, Norway, Sweden" is no provider
        parse_document(DATA / "wolterskluwer-nordic-subprocessors.csv")
    doc = parse_document(DATA / "wolterskluwer-nordic-subprocessors.csv", "Wolters Kluwer")
    group = _subs(doc)["Wolters Kluwer"]
    assert ([p.code for p in group.locations], group.attributes) == (
        ["EEA", "GB", "IN", "US"],
        {"note": "group"},
    )
    assert group.purpose == "Software development, Support services, Business supporting services"
    assert len(doc.services[0].subprocessors) == 10


# -- Danish, Norwegian, Swedish, German ---------------------------------------------------------


def test_danish_list_with_legal_basis_and_per_row_dates() -> None:
    doc = parse_document(DATA / "digitalcab-underdatabehandlere.html", "Digital CAB")
    assert doc.title == "Liste over godkendte underdatabehandlere"
    subs = _subs(doc)
    assert [(s.name, s.purpose, [p.code for p in s.locations], s.added) for s in subs.values()][
        :3
    ] == [
        ("CityCallCenter", "Telefon- og sekretærservice", ["DK"], dt.date(2018, 4, 13)),
        ("E-conomic", "Regnskab", ["DK"], dt.date(2018, 4, 13)),
        ("Host Europe", "Hosting", ["EEA"], dt.date(2018, 4, 13)),
    ]
    assert subs["Likvido"].added == dt.date(2021, 4, 29)
    assert all(s.attributes == {} for s in subs.values())


def test_danish_list_with_two_purpose_columns_and_privacy_shield() -> None:
    doc = parse_document(DATA / "timeatweb-underdatabehandlere.html", "TimeAtWeb")
    assert doc.date == dt.date(2018, 5, 21)  # "sidst opdateret 21/05-2018"
    stripe = _subs(doc)["Stripe"]
    assert stripe.purpose == (
        "Abonnementsbetaling; Stripe benyttes til at håndtere abonnementsbetalinger. Stripe har "
        "adgang til betalingsoplysninger på betalinger foretaget her på siden."
    )
    assert _places(stripe) == [("US", ["privacy_shield"])]
    assert _places(_subs(doc)["DigitalOcean"]) == [("GB", [])]


def test_norwegian_list_without_places_says_nothing_about_places() -> None:
    with pytest.raises(UnknownProviderError):
        parse_document(DATA / "fiken-underdatabehandlere.html")
    doc = parse_document(DATA / "fiken-underdatabehandlere.html", "Fiken")
    assert doc.title == "Datautveksling"
    subs = doc.services[0].subprocessors
    assert [(s.name, s.purpose) for s in subs][:2] == [
        ("Amazon Web Services", "Backup av lagrede data"),
        ("Freshdesk", "Supporthenvendelser"),
    ]
    assert all(s.locations == [] for s in subs) and doc.services[0].locations == []


def test_swedish_list() -> None:
    doc = parse_document(DATA / "exempel-underbitraden.csv")
    assert (doc.provider, doc.title, doc.date) == (
        "Exempel Lön AB",
        "Underbiträden för Exempel Lön AB",
        dt.date(2024, 11, 5),
    )
    visma, microsoft, zendesk = doc.services[0].subprocessors
    assert (visma.purpose, visma.categories, visma.added) == (
        "Lönehantering",
        ["name", "national_id", "financial"],
        dt.date(2022, 1, 10),
    )
    assert _places(microsoft) == [("EEA", [])]
    assert _places(zendesk) == [("US", ["scc"])]
    assert microsoft.categories == ["name", "email_address", "message_content"]
    assert [(o.name, o.country) for o in doc.organisations] == [
        ("Visma Spcs AB", "SE"),
        ("Microsoft Ireland Operations Limited", "IE"),
        ("Zendesk, Inc.", "US"),
    ]


def test_german_list() -> None:
    doc = parse_document(DATA / "muster-unterauftragsverarbeiter.md")
    assert (doc.provider, doc.date) == ("Muster Software GmbH", dt.date(2025, 3, 14))
    hetzner, aws, sentry, twilio = doc.services[0].subprocessors
    assert (hetzner.attributes, hetzner.added, [p.code for p in hetzner.locations]) == (
        {"Anschrift": "Industriestr. 25, 91710 Gunzenhausen"},
        dt.date(2021, 2, 1),
        ["DE", "FI"],
    )
    assert (aws.added, [p.code for p in aws.locations]) == (dt.date(2024, 3, 3), ["IE"])
    assert (sentry.name, sentry.aliases, _places(sentry)) == (
        "Functional Software, Inc.",
        ["Sentry"],
        [("US", ["scc"])],
    )
    assert (twilio.name, twilio.aliases, _places(twilio)) == (
        "Twilio Inc.",
        ["SendGrid"],
        [("US", ["dpf"])],
    )
    assert twilio.categories == ["email_address", "message_content"]
    assert [u.text for u in doc.unmapped] == ["Kundendaten"]
