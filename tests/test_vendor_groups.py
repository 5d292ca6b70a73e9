"""The reference data of well-known vendor groups: its invariants, the lookups and a user's file
read over it."""

from __future__ import annotations

import json
from collections import Counter
from importlib import resources
from pathlib import Path

import pytest

from dataflyt.errors import LoadError
from dataflyt.loaders.vendor_groups_file import read_vendor_groups
from dataflyt.reference.legal_forms import has_legal_form
from dataflyt.reference.vendor_groups import name_key, vendor_groups


def _raw() -> dict:  # type: ignore[type-arg]
    text = resources.files("dataflyt.reference").joinpath("vendor_groups.json").read_text("utf-8")
    return json.loads(text)  # type: ignore[no-any-return]


def test_there_are_thirty_groups_or_more() -> None:
    assert len(vendor_groups()) >= 30
    assert len(_raw()["groups"]) == len(vendor_groups())


def test_every_group_name_and_brand_belongs_to_one_group() -> None:
    names = Counter(
        name_key(name) for group in vendor_groups() for name in (group.name, *group.aliases)
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_every_entity_name_and_alias_belongs_to_one_entity() -> None:
    names = Counter(
        name_key(name)
        for group in vendor_groups()
        for entity in group.entities
        for name in (entity.name, *entity.aliases)
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_every_entity_is_a_legal_entity_with_a_country() -> None:
    for group in vendor_groups():
        for entity in group.entities:
            assert has_legal_form(entity.name), entity.name
            assert len(entity.country) == 2 and entity.country.isupper()
            assert entity.group == group.name
            assert vendor_groups().group_of(entity) is group


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("AWS", "Amazon Web Services"),
        ("Amazon Web services", "Amazon Web Services"),
        ("Digital Ocean", "DigitalOcean"),
        ("digitalocean", "DigitalOcean"),
        ("Nexmo", "Vonage"),
        ("Functional Software", "Sentry"),
        ("SendGrid", "Twilio"),
        ("Auth0", "Okta"),
        ("Telia Company", "Telia"),
        ("Link Mobility", "LINK Mobility"),
    ],
)
def test_group_by_name_or_brand(text: str, group: str) -> None:
    found = vendor_groups().group_named(text)
    assert found is not None and found.name == group


@pytest.mark.parametrize(
    ("text", "entity", "country"),
    [
        ("Amazon Web Services EMEA SARL", "Amazon Web Services EMEA SARL", "LU"),
        ("AWS Europe", "Amazon Web Services EMEA SARL", "LU"),
        ("Amazon Web Services Inc", "Amazon Web Services, Inc.", "US"),
        ("GitHub BV", "GitHub B.V.", "NL"),
        ("GitHub, Inc.", "GitHub, Inc.", "US"),
        ("Slack Technologies", "Slack Technologies, LLC", "US"),
        ("Sentry", "Functional Software, Inc.", "US"),
        ("NexMo Inc", "Nexmo Inc.", "US"),
        ("Zendesk International", "Zendesk International Ltd.", "IE"),
        ("Auth0®, Inc.", "Auth0, Inc.", "US"),
    ],
)
def test_entity_by_name_alias_or_name_without_legal_form(
    text: str, entity: str, country: str
) -> None:
    found = vendor_groups().entity_named(text)
    assert found is not None and (found.name, found.country) == (entity, country)


def test_two_entities_of_one_group_are_never_one() -> None:
    groups = vendor_groups()
    assert groups.entity_named("GitHub, Inc.") != groups.entity_named("GitHub B.V.")
    # the brand alone names the group, not one of its entities
    assert groups.entity_named("GitHub") is None
    assert groups.group_named("GitHub") is not None
    assert groups.entity_named("Twillio") is None


def test_a_user_file_adds_groups_and_replaces_one_of_the_same_name(tmp_path: Path) -> None:
    path = tmp_path / "groups.yaml"
    path.write_text(
        "groups:\n"
        "  - name: Acme\n"
        "    aliases: [Acme Cloud]\n"
        "    entities:\n"
        "      - {name: Acme AS, country: NO, aliases: [Acme Norge]}\n"
        "  - name: Zendesk\n"
        "    entities:\n"
        "      - {name: 'Zendesk, Inc.', country: US}\n",
        "utf-8",
    )
    groups = read_vendor_groups(path)
    assert len(groups) == len(vendor_groups()) + 1
    assert groups.group_named("Acme Cloud").name == "Acme"  # type: ignore[union-attr]
    assert groups.entity_named("Acme Norge").country == "NO"  # type: ignore[union-attr]
    assert [e.name for e in groups.group_named("Zendesk").entities] == [  # type: ignore[union-attr]
        "Zendesk, Inc."
    ]
    assert vendor_groups().group_named("Acme") is None  # the built-in index is unchanged


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            '{"groups": [\n {"name": "Acme",\n  "entities": [{"name": "Acme AS", "country": '
            '"Norway"}]}\n]}',
            ":3:47: groups[0].entities[0].country: 'Norway' is not an ISO 3166-1 alpha-2 "
            "country code",
        ),
        (
            '{"groups": [\n {"name": "Acme", "entities": []}\n]}',
            ":2:31: groups[0].entities: list should have at least 1 item after validation, not 0",
        ),
        (
            '{"groups": [\n {"name": "Acme", "brands": [],\n "entities": [{"name": "Acme AS", '
            '"country": "NO"}]}]}',
            ":2:19: groups[0].brands: extra inputs are not permitted",
        ),
        (
            '{"groups": [\n {"name": "Acme", "aliases": ["AWS"],\n "entities": [{"name": '
            '"Acme AS", "country": "NO"}]}]}',
            ":2:2: groups[0]: 'AWS' already names 'Amazon Web Services'; give each name to one "
            "group only",
        ),
        ('{"groups": [', ":1:13: "),
    ],
)
def test_a_bad_user_file_is_one_line_naming_file_and_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "groups.json"
    path.write_text(content, "utf-8")
    with pytest.raises(LoadError) as error:
        read_vendor_groups(path)
    assert str(error.value).startswith(f"{path}{message}")
    assert "\n" not in str(error.value)
