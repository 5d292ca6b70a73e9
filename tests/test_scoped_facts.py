"""A fact belongs to the statement that made it: a place one provider's document states for
its sub-processor describes that engagement only, and only the sub-processor's own document
describes its processing for everyone, along every chain it is on (issue 18, section 1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.breach import AffectedService, breach
from dataflyt.queries.browse import show
from dataflyt.queries.transfers import transfers
from tests.conftest import SEED

# a provider's list in the shape GitHub publishes (entity, purpose, location)
GITHUB = """\
GitHub Subprocessors
Name of Subprocessor;Description of Processing;Location of Processing
Zendesk, Inc.;Customer support ticketing system;United States
Microsoft Corporation;Cloud infrastructure;United States
Atlassian Pty Ltd;Engineering project management;Australia
"""
# Zendesk's own list: where its sub-processors work for everything Zendesk does
ZENDESK = """\
Zendesk Sub-processors
Entity Name;Purpose;Location
Amazon Web Services, Inc.;Hosting & storage;Germany
Twilio Inc.;Voice;United States (SCCs)
"""


@pytest.fixture
def store(tmp_path: Path) -> EmbeddedStore:
    github, zendesk = tmp_path / "github.csv", tmp_path / "zendesk.csv"
    github.write_text(GITHUB, "utf-8")
    zendesk.write_text(ZENDESK, "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [SEED])
    load_files(store, [github], provider="GitHub, Inc.")
    load_files(store, [zendesk], provider="Zendesk")
    return store


def _where(affected: AffectedService) -> list[tuple[str, str, int | None]]:
    """Return where the breached party processes one service's data: (code, file, line)."""
    return [
        (p.code, Path(p.source.path or "").name, p.source.line) for p in affected.chain[-1].places
    ]


def test_a_place_another_provider_states_never_reaches_this_engagement(
    store: EmbeddedStore,
) -> None:
    by_service = {a.facts.name: a for a in breach(store, "Zendesk").services}
    support = by_service["Supporthenvendelser via mail/Chat"]
    assert _where(support) == [("DE", "phonero-tjenestebeskrivelse.txt", 24)]
    [github] = [
        a for name, a in by_service.items() if "GitHub" in name or name == "GitHub Subprocessors"
    ]
    assert _where(github) == [("US", "github.csv", 3)]


def test_the_record_of_a_service_shows_only_its_own_engagements_places(
    store: EmbeddedStore,
) -> None:
    found = show(store, "Supporthenvendelser via mail/Chat")
    assert found.service is not None
    [zendesk] = found.service.engagements
    assert [p.code for p in zendesk.places] == ["DE"]
    flows = transfers(store)
    support = [f for f in flows.transfers if f.holder.name.startswith("Supporthenvendelser")]
    assert support == []  # nothing of it leaves the EEA through Zendesk
    assert {
        (f.holder.name, f.processor.name if f.processor else None, f.code) for f in flows.transfers
    } >= {
        ("GitHub, Inc.", "Zendesk, Inc.", "US"),
    }


def test_the_sub_processors_own_document_reaches_every_engagement_along_the_chain(
    store: EmbeddedStore,
) -> None:
    # Zendesk's own list says AWS hosts its data in Germany: that reaches Phonero's support
    # service, whose data Zendesk holds, through Zendesk's service
    found = {a.facts.name: a for a in breach(store, "Amazon Web Services").services}
    support = found["Supporthenvendelser via mail/Chat"]
    assert [(link.name, link.role) for link in support.chain] == [
        ("Customer", "controller"),
        ("Phonero", "processor"),
        # the annex writes the brand: "Zendesk", a group the reference data knows
        ("Zendesk", "sub_processor"),
        ("Amazon Web Services, Inc.", "sub_processor"),
    ]
    assert support.chain[2].through == "Zendesk"
    assert _where(support) == [("DE", "zendesk.csv", 3)]
    twilio = {a.facts.name: a for a in breach(store, "Twilio").services}
    assert _where(twilio["Supporthenvendelser via mail/Chat"]) == [("US", "zendesk.csv", 4)]


def test_where_nothing_states_a_place_the_answer_says_not_stated(tmp_path: Path) -> None:
    bare = tmp_path / "list.csv"
    bare.write_text("Acme sub-processors\nSub-processor;Purpose\nMailgun;Email\n", "utf-8")
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [bare], provider="Acme")
    result = breach(store, "Mailgun")
    assert result.countries == [] and result.places_not_stated == ["Acme"]
    flows = transfers(store)
    assert flows.leaves_eea is None
    assert [
        (f.holder.name, f.processor.name if f.processor else None) for f in flows.not_stated
    ] == [
        ("Acme", "Acme"),
        ("Acme", "Mailgun"),
    ]


def test_a_breach_at_a_legal_entity_marks_what_names_only_its_brand_as_possible(
    store: EmbeddedStore,
) -> None:
    # GitHub's list names Zendesk, Inc.; Phonero's annex only the brand Zendesk
    found = {a.facts.name: a for a in breach(store, "Zendesk, Inc.").services}
    assert found["GitHub, Inc."].possible is None
    support = found["Supporthenvendelser via mail/Chat"]
    assert support.possible == (
        "the document names Zendesk, a group or brand, not which of its legal entities"
    )
