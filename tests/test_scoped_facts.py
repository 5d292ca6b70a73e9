"""A fact belongs to the statement that made it: a place one provider's document states for
its sub-processor describes that engagement only, and only the sub-processor's own document
describes its processing for everyone, along every chain it is on (issue 18, section 1). Every
test runs on both stores."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.breach import AffectedService, breach
from dataflyt.queries.browse import show
from dataflyt.queries.places import PlaceUse
from dataflyt.queries.transfers import transfers
from dataflyt.reference.jurisdictions import TransferStatus
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
def chains(store: GraphStore, tmp_path: Path) -> GraphStore:
    """Return the store (of each kind) with Phonero's annex, GitHub's list and Zendesk's."""
    github, zendesk = tmp_path / "github.csv", tmp_path / "zendesk.csv"
    github.write_text(GITHUB, "utf-8")
    zendesk.write_text(ZENDESK, "utf-8")
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
    chains: GraphStore,
) -> None:
    by_service = {a.facts.name: a for a in breach(chains, "Zendesk").services}
    support = by_service["Supporthenvendelser via mail/Chat"]
    assert _where(support) == [("DE", "phonero-tjenestebeskrivelse.txt", 24)]
    [github] = [
        a for name, a in by_service.items() if "GitHub" in name or name == "GitHub Subprocessors"
    ]
    assert _where(github) == [("US", "github.csv", 3)]


def test_the_record_of_a_service_shows_only_its_own_engagements_places(
    chains: GraphStore,
) -> None:
    found = show(chains, "Supporthenvendelser via mail/Chat")
    assert found.service is not None
    [zendesk] = found.service.engagements
    assert [p.code for p in zendesk.places] == ["DE"]
    flows = transfers(chains)
    support = [f for f in flows.transfers if f.holder.name.startswith("Supporthenvendelser")]
    assert support == []  # nothing of it leaves the EEA through Zendesk
    assert {
        (f.holder.name, f.processor.name if f.processor else None, f.code) for f in flows.transfers
    } >= {
        ("GitHub, Inc.", "Zendesk, Inc.", "US"),
    }


def test_the_sub_processors_own_document_reaches_every_engagement_along_the_chain(
    chains: GraphStore,
) -> None:
    # Zendesk's own list says AWS hosts its data in Germany: that reaches Phonero's support
    # service, whose data Zendesk holds, through Zendesk's service
    found = {a.facts.name: a for a in breach(chains, "Amazon Web Services").services}
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
    twilio = {a.facts.name: a for a in breach(chains, "Twilio").services}
    assert _where(twilio["Supporthenvendelser via mail/Chat"]) == [("US", "zendesk.csv", 4)]


def test_where_nothing_states_a_place_the_answer_says_not_stated(
    store: GraphStore, tmp_path: Path
) -> None:
    bare = tmp_path / "list.csv"
    bare.write_text("Acme sub-processors\nSub-processor;Purpose\nMailgun;Email\n", "utf-8")
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
    chains: GraphStore,
) -> None:
    # GitHub's list names Zendesk, Inc.; Phonero's annex only the brand Zendesk
    found = {a.facts.name: a for a in breach(chains, "Zendesk, Inc.").services}
    assert found["GitHub, Inc."].possible is None
    support = found["Supporthenvendelser via mail/Chat"]
    assert support.possible == (
        "the document names Zendesk, a group or brand, not which of its legal entities"
    )


# a data map: the CRM engages a US mailer, certified under the EU-US Data Privacy Framework,
# and the CRM's provider engages a US analytics firm that is not
# a record of processing's heading, and its CRM service up to the CRM's own sub-processors
RECORD = """\
title: Acme record of processing
owner: Acme AS
date: 2025-01-01
"""
CRM = """\
services:
  - name: Acme CRM
    provider: Crm Vendor AS
    categories: [navn, e-postadresse]
    countries: [Norge]
    subprocessors:
"""
CERTIFIED = (
    RECORD
    + """\
organisations:
  - name: Mailer Inc.
    country: USA
    dpf_certified: true
  - name: Tracker Inc.
    country: USA
    dpf_certified: false
  - name: Crm Vendor AS
    country: Norway
    subprocessors:
      - name: Tracker Inc.
        purpose: analytics
        countries: [USA]
"""
    + CRM
    + """\
      - name: Mailer Inc.
        purpose: e-mail delivery
        countries: [USA]
"""
)


def _load_record(store: GraphStore, folder: Path, text: str) -> None:
    """Load the record of processing ``text`` into ``store``."""
    record = folder / "record.yaml"
    record.write_text(text, "utf-8")
    load_files(store, [record])


def _standings(link_places: list[PlaceUse]) -> list[tuple[str, str]]:
    return [(p.code, p.standing.status.value) for p in link_places]


def test_a_sub_processors_certification_sets_how_its_places_stand_on_every_chain(
    store: GraphStore, tmp_path: Path
) -> None:
    _load_record(store, tmp_path, CERTIFIED)
    adequacy, conditional = TransferStatus.ADEQUACY.value, TransferStatus.CONDITIONAL_ADEQUACY.value
    [mailed] = breach(store, "Mailer Inc.").services
    assert _standings(mailed.chain[-1].places) == [("US", adequacy)]
    [tracked] = breach(store, "Tracker Inc.").services
    assert _standings(tracked.chain[-1].places) == [("US", conditional)]
    crm_record = show(store, "Acme CRM").service
    assert crm_record is not None
    [crm] = crm_record.engagements
    assert _standings(crm.places) == [("US", adequacy)]
    flows = {
        (
            f.processor.name if f.processor else "",
            f.code,
            f.standing.status.value if f.standing else "",
        )
        for f in transfers(store).transfers
    }
    assert flows == {("Mailer Inc.", "US", adequacy), ("Tracker Inc.", "US", conditional)}


def test_show_judges_an_organisations_engagement_by_the_sub_processors_certification(
    store: GraphStore, tmp_path: Path
) -> None:
    # an organisation (not a service) engages the certified mailer and the uncertified tracker
    mailer = "      - name: Mailer Inc.\n        purpose: newsletters\n"
    newsletters = mailer + "        countries: [USA]\n"
    tracker = "      - name: Tracker Inc.\n        purpose: analytics\n"
    _load_record(store, tmp_path, CERTIFIED.replace(tracker, newsletters + tracker))
    adequacy, conditional = TransferStatus.ADEQUACY.value, TransferStatus.CONDITIONAL_ADEQUACY.value
    vendor = show(store, "Crm Vendor AS").organisation
    assert vendor is not None
    assert [(e.by.name, e.facts.purpose, _standings(e.facts.places)) for e in vendor.engages] == [
        ("Acme CRM", "e-mail delivery", [("US", adequacy)]),  # its service's engagement
        ("Crm Vendor AS", "newsletters", [("US", adequacy)]),
        ("Crm Vendor AS", "analytics", [("US", conditional)]),
    ]
    mailer = show(store, "Mailer Inc.").organisation
    assert mailer is not None
    assert [
        (e.by.name, e.facts.purpose, _standings(e.facts.places)) for e in mailer.engaged_by
    ] == [
        ("Acme CRM", "e-mail delivery", [("US", adequacy)]),
        ("Crm Vendor AS", "newsletters", [("US", adequacy)]),
    ]


# the CRM sends names to a host in the USA, and everything to a help desk that keeps it with
# the same host in Ireland: a breach at the host reaches the CRM's data both ways
TWO_WAYS = (
    RECORD
    + """\
organisations:
  - name: Helpdesk Inc.
    subprocessors:
      - name: Hostco Inc.
        purpose: hosting
        countries: [Irland]
"""
    + CRM
    + """\
      - name: Hostco Inc.
        purpose: backups
        categories: [navn]
        countries: [USA]
      - name: Helpdesk Inc.
        purpose: support
"""
)


def test_a_breach_reached_two_ways_gives_the_places_and_data_of_both(
    store: GraphStore, tmp_path: Path
) -> None:
    _load_record(store, tmp_path, TWO_WAYS)
    result = breach(store, "Hostco Inc.")
    [crm] = result.services
    # the shortest way is shown; the host's places and the data are those of every way
    assert [link.name for link in crm.chain] == ["Customer", "Crm Vendor AS", "Hostco Inc."]
    assert [p.code for p in crm.chain[-1].places] == ["US", "IE"]
    assert crm.countries == ["IE", "US"]
    assert (crm.exposed, crm.assumption) == (["email_address", "name"], True)
    assert sorted(c.key for c in result.data_categories) == ["email_address", "name"]
    # each sub-processor on either way tells the party that engaged it
    assert [(n.notifier, n.recipient) for n in result.notifications] == [
        ("Hostco Inc.", "Crm Vendor AS"),
        ("Helpdesk Inc.", "Crm Vendor AS"),
        ("Hostco Inc.", "Helpdesk Inc."),
        ("Crm Vendor AS", "Customer (controller)"),
        ("Customer (controller)", "Supervisory authority"),
        ("Customer (controller)", "Data subjects: the data subjects"),
    ]
