"""The controller: the user's own organisation, named once in a data map's ``controller`` block
(name, contact, DPO contact) or by ``DATAFLYT_CONTROLLER`` in the settings; the map keeps it as
an organisation marked as the controller, and ``controllers`` reads it back."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.config import controller_name
from dataflyt.errors import LoadError
from dataflyt.examples import example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.queries.controller import Controller, controllers

EXAMPLE = next(p.parent / "acme-datamap.yaml" for p in example_paths())

OWN_ENTRY = """\
title: Fjordkraft data map
controller:
  name: Fjordkraft
  contact: Folke Bernadottes vei 38, 5147 Fyllingsdalen
organisations:
  - name: Fjordkraft AS
    aliases: [Fjordkraft]
    country: Norway
    subprocessors:
      - {name: Microsoft Ireland Operations Ltd, purpose: e-post og lagring, countries: [Irland]}
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "map.yaml"
    path.write_text(text, "utf-8")
    return path


def test_the_example_names_its_controller_once_with_contacts() -> None:
    doc = parse_document(EXAMPLE)
    [acme] = [o for o in doc.organisations if o.controller]
    assert (acme.name, acme.contact, acme.dpo_contact, acme.source.line) == (
        "Acme AS",
        "Storgata 1, 0155 Oslo; personvern@acme.example",
        "Kari Nordmann, dpo@acme.example, +47 22 00 00 00",
        9,
    )
    assert [o.name for o in doc.organisations if not o.controller] == [
        "Zendesk, Inc.",
        "Amazon Web Services",
    ]


def test_a_controller_that_is_also_an_organisation_entry_is_that_entry(tmp_path: Path) -> None:
    doc = parse_document(_write(tmp_path, OWN_ENTRY))
    [own] = doc.organisations
    assert (own.name, own.controller, own.country, own.contact, own.dpo_contact) == (
        "Fjordkraft AS",
        True,
        "NO",
        "Folke Bernadottes vei 38, 5147 Fyllingsdalen",
        None,
    )
    # without an owner the controller is whose map it is
    assert doc.provider == "Fjordkraft"


def test_a_map_naming_only_its_controller_is_a_map(tmp_path: Path) -> None:
    doc = parse_document(_write(tmp_path, "controller: {name: Acme AS}\n"))
    assert [(o.name, o.controller, o.source.line) for o in doc.organisations] == [
        ("Acme AS", True, 1)
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("controller: {name: Acme AS, dpo: x}\n", "1:29: controller.dpo: unknown field"),
        ("controller: {contact: x}\n", "1:13: controller.name: this required field is missing"),
        ("controller: {name: '  '}\n", "1:20: controller.name: string should have at least 1"),
    ],
)
def test_a_bad_controller_block_names_line_and_field(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(LoadError) as error:
        parse_document(_write(tmp_path, text))
    assert str(error.value).startswith(f"{tmp_path / 'map.yaml'}:{message}")


def test_controllers_reads_the_map_and_wins_over_the_settings(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [EXAMPLE])
    [acme] = controllers(store, fallback="Something Else AS")
    assert (acme.name, acme.id, acme.contact, acme.dpo_contact) == (
        "Acme AS",
        "org:acme.as",
        "Storgata 1, 0155 Oslo; personvern@acme.example",
        "Kari Nordmann, dpo@acme.example, +47 22 00 00 00",
    )
    assert acme.source is not None
    assert (acme.source.document, acme.source.line) == ("Acme data map", 9)


def test_without_a_controller_block_the_settings_name_it_or_nobody(
    seed_store: EmbeddedStore,
) -> None:
    assert controllers(seed_store, fallback="Acme AS") == [Controller(name="Acme AS")]
    assert controllers(seed_store) == []


def test_the_setting_comes_from_the_environment_then_dotenv(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFLYT_CONTROLLER", raising=False)
    assert controller_name(tmp_path) is None
    (tmp_path / ".env").write_text("DATAFLYT_CONTROLLER='Acme AS'\n", "utf-8")
    assert controller_name(tmp_path) == "Acme AS"
    monkeypatch.setenv("DATAFLYT_CONTROLLER", " Beta AS ")
    assert controller_name(tmp_path) == "Beta AS"
    monkeypatch.setenv("DATAFLYT_CONTROLLER", "")
    assert controller_name(tmp_path) == "Acme AS"
