"""The chain of engagements beyond a service's own sub-processors follows engagements: each
link with who engages it, its purpose and that engagement's places, never the places another
provider's document gives for its own engagement of the same organisation."""

from __future__ import annotations

from pathlib import Path

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.chains import engagement_chains
from dataflyt.queries.facts import service_facts
from tests.export_fixtures import SEVERAL_SERVICES

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[1] / "dataflyt" / "examples"

TWO_PROVIDERS = """\
title: Two providers engage Zendesk
organisations:
  - name: Phonero
    subprocessors:
      - {name: Zendesk, purpose: kundestøtte, countries: [Tyskland]}
  - name: GitHub, Inc.
    subprocessors:
      - {name: Zendesk, purpose: Customer support ticketing system, countries: [USA]}
  - name: Zendesk
    subprocessors:
      - {name: Amazon Web Services, purpose: hosting, countries: [Ireland]}
  - name: Amazon Web Services
    subprocessors: [{name: Zendesk, purpose: support tickets}]
services:
  - {name: Bedriftsnett, provider: Phonero, categories: [navn]}
"""


def chains_by_name(store: GraphStore) -> dict[str, list[tuple[str, str, str | None, list[str]]]]:
    services = service_facts(store, [n.id for n in store.nodes(NodeKind.SERVICE)])
    found = engagement_chains(store, services)
    return {
        services[sid].name: [
            (
                e.by.name,
                e.facts.organisation.name,
                e.facts.purpose,
                [p.name for p in e.facts.places],
            )
            for e in chain
        ]
        for sid, chain in found.items()
    }


def test_the_chain_goes_past_the_services_own_sub_processors(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [EXAMPLES / "acme-datamap.yaml", DATA / "acme-annex.txt"])
    chains = chains_by_name(store)
    # the provider (Zendesk) stands at the service's place: its engagement comes first
    assert chains["Customer support"] == [
        ("Zendesk, Inc.", "Amazon Web Services", "hosting", ["Ireland", "United States"]),
        ("Amazon Web Services", "Equinix", "data centre", ["Ireland"]),
    ]
    # Acme's contact centre engages AWS and Zendesk itself: both one hop away, by id; the
    # data goes on through what Zendesk engages for all it does and for the service it provides
    assert chains["Acme Contact Centre"] == [
        ("Amazon Web Services", "Equinix", "data centre", ["Ireland"]),
        ("Zendesk, Inc.", "Amazon Web Services", "hosting", ["Ireland", "United States"]),
        ("Zendesk, Inc.", "Twilio", "telephony", ["United States"]),
    ]
    assert chains["Acme Portal"] == []


def test_a_link_takes_only_its_own_engagements_places(tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(TWO_PROVIDERS, "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [path])
    # GitHub's engagement of Zendesk (in the US) is no part of Phonero's chain; the walk
    # comes back to Zendesk through AWS and stops there
    assert chains_by_name(store)["Bedriftsnett"] == [
        ("Phonero", "Zendesk", "kundestøtte", ["Germany"]),
        ("Zendesk", "Amazon Web Services", "hosting", ["Ireland"]),
        ("Amazon Web Services", "Zendesk", "support tickets", []),
    ]


def test_a_map_without_engagements_has_empty_chains(seed_store: EmbeddedStore) -> None:
    assert set(map(len, chains_by_name(seed_store).values())) == {0}


def test_a_link_through_one_of_several_services_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "several.yaml"
    path.write_text(SEVERAL_SERVICES, "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [path])
    services = service_facts(store, [n.id for n in store.nodes(NodeKind.SERVICE)])
    [kundeservice] = [sid for sid, f in services.items() if f.name == "Kundeservice"]
    chain = engagement_chains(store, services)[kundeservice]
    assert [
        (
            e.by.name,
            e.through.name if e.through else None,
            e.one_of_several,
            e.facts.organisation.name,
        )
        for e in chain
    ] == [
        ("Zendesk", "Sunshine Conversations", True, "Twilio"),
        ("Zendesk", "Support Suite", True, "Amazon Web Services"),
    ]
    # a provider's other services are no part of its service's chain
    [support] = [sid for sid, f in services.items() if f.name == "Support Suite"]
    assert engagement_chains(store, services)[support] == []
