"""Organisation names as vendors write them: aliases in brackets and after "aka", a legal entity
named in brackets, registration numbers and addresses kept out of the name; the annex's
brackets that are purposes; the same rules in data maps."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.loaders import parse_document
from dataflyt.loaders.models import Source
from dataflyt.loaders.names import parse_subprocessors, read_name

AWS_EUROPE = (
    "AWS Europe (Amazon Web Services EMEA SARL), B 186284, 38 Avenue John F. Kennedy, Luxembourg"
)


@pytest.mark.parametrize(
    ("cell", "name", "aliases", "attributes"),
    [
        ("Amazon Web Services (AWS)", "Amazon Web Services", ["AWS"], {}),
        ("Amazon Web Services, Inc. (AWS)", "Amazon Web Services, Inc.", ["AWS"], {}),
        ("NexMo (aka Vonage)", "NexMo", ["Vonage"], {}),
        ("NexMo Inc (a.k.a. Vonage)", "NexMo Inc", ["Vonage"], {}),
        ("Functional Software (Sentry)", "Functional Software", ["Sentry"], {}),
        ("Functional Software, Inc. d/b/a Sentry", "Functional Software, Inc.", ["Sentry"], {}),
        ("Message Systems, Inc. (d/b/a Sparkpost)", "Message Systems, Inc.", ["Sparkpost"], {}),
        ("Twilio     (SendGrid)", "Twilio", ["SendGrid"], {}),
        (
            AWS_EUROPE,
            "Amazon Web Services EMEA SARL",
            ["AWS Europe"],
            {
                "registration number": "B 186284",
                "address": "38 Avenue John F. Kennedy, Luxembourg",
            },
        ),
        (
            "Hetzner Online GmbH, HRB 85845, Industriestrasse 25, 91710 Gunzenhausen, Germany",
            "Hetzner Online GmbH",
            [],
            {
                "registration number": "HRB 85845",
                "address": "Industriestrasse 25, 91710 Gunzenhausen, Germany",
            },
        ),
        (
            "Telenor Norge AS, org.nr. 976 967 631",
            "Telenor Norge AS",
            [],
            {"registration number": "org.nr. 976 967 631"},
        ),
        ("Zendesk, Inc.", "Zendesk, Inc.", [], {}),
        ("Salesforce.com, Inc.", "Salesforce.com, Inc.", [], {}),
        ("Auth0 (Auth0®, Inc.)", "Auth0, Inc.", [], {}),
        ("Heroku (by Salesforce)", "Heroku", [], {"note": "by Salesforce"}),
        ("Google LLC (USA)", "Google LLC", [], {"note": "USA"}),
        ("Wolters Kluwer (group)", "Wolters Kluwer", [], {"note": "group"}),
        # another organisation after a comma is not an address; nothing is taken out
        (
            "Microsoft Corporation, Microsoft Ireland Operations Ltd",
            "Microsoft Corporation, Microsoft Ireland Operations Ltd",
            [],
            {},
        ),
        ("@evil <script>alert(1)</script>", "@evil <script>alert(1)</script>", [], {}),
        # nothing before the comma: what follows is the name, never an address of no name
        (",0", "0", [], {}),
        (", Oslo 0150", "Oslo 0150", [], {}),
    ],
)
def test_name_cells(cell: str, name: str, aliases: list[str], attributes: dict[str, str]) -> None:
    read = read_name(cell)
    assert (read.name, read.aliases, read.attributes) == (name, aliases, attributes)


@given(st.text(max_size=80))
def test_a_name_cell_with_a_letter_or_digit_always_gives_a_name(cell: str) -> None:
    read = read_name(cell)
    assert read.name == read.name.strip()
    if any(ch.isalnum() for ch in cell):
        assert read.name


def test_annex_cell_brackets_are_purposes_and_aka_names_aliases() -> None:
    source = Source(file="x", line=3)
    found = parse_subprocessors(
        "Link Mobility (SMS varsling); NexMo (aka Vonage), Telenor Norge AS, org.nr. 976 967 631"
        " og Tjenesteleverandør: Telia",
        source,
    )
    assert [(s.name, s.aliases, s.purpose, s.attributes) for s in found] == [
        ("Link Mobility", [], "SMS varsling", {}),
        ("NexMo", ["Vonage"], None, {}),
        ("Telenor Norge AS", [], None, {"registration number": "org.nr. 976 967 631"}),
        ("Telia", [], "Tjenesteleverandør", {}),
    ]


def test_names_in_a_list_and_its_organisations() -> None:
    doc = parse_document(Path(__file__).parent / "data" / "northwind-subprocessors.html")
    subs = doc.services[0].subprocessors
    assert [(s.name, s.aliases) for s in subs] == [
        ("Amazon Web Services", ["AWS"]),
        ("Amazon Web Services EMEA SARL", ["AWS Europe"]),
        ("Functional Software", ["Sentry"]),
        ("Digital Ocean", []),
        ("NexMo", ["Vonage"]),
    ]
    assert subs[1].attributes == {
        "registration number": "B 186284",
        "address": "38 Avenue John F. Kennedy, Luxembourg",
    }
    assert [(o.name, o.aliases, o.country) for o in doc.organisations][:2] == [
        ("Amazon Web Services", ["AWS"], "US"),
        ("Amazon Web Services EMEA SARL", ["AWS Europe"], "LU"),
    ]


def test_the_name_rules_in_a_data_map(tmp_path: Path) -> None:
    path = tmp_path / "map.yaml"
    path.write_text(
        "organisations:\n"
        "  - name: Functional Software (Sentry)\n"
        "    aliases: [Sentry.io]\n"
        "  - name: Hetzner Online GmbH, HRB 85845, Gunzenhausen\n"
        "services:\n"
        "  - name: Shop\n"
        "    provider: Acme\n"
        "    subprocessors:\n"
        "      - name: AWS Europe (Amazon Web Services EMEA SARL), B 186284\n"
        "      - NexMo (aka Vonage)\n",
        "utf-8",
    )
    doc = parse_document(path)
    assert [(o.name, o.aliases) for o in doc.organisations] == [
        ("Functional Software", ["Sentry", "Sentry.io"]),
        # an organisation entry has no attributes to keep a number in: kept as written
        ("Hetzner Online GmbH, HRB 85845, Gunzenhausen", []),
    ]
    aws, nexmo = doc.services[0].subprocessors
    assert (aws.name, aws.aliases, aws.attributes) == (
        "Amazon Web Services EMEA SARL",
        ["AWS Europe"],
        {"registration number": "B 186284"},
    )
    assert (nexmo.name, nexmo.aliases) == ("NexMo", ["Vonage"])
