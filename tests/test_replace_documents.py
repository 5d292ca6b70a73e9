"""Loading several documents merges them; a new version of one ends the one in force, whose
facts stay as history, and replaces only that document's facts in today's answers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Document, NodeKind
from dataflyt.ingest.load import load_files
from dataflyt.ingest.versions import VersionStatus
from dataflyt.queries.breach import breach
from tests.conftest import SEED

ACME = Path(__file__).parent / "data" / "acme-annex.txt"


def _names(store: EmbeddedStore, kind: NodeKind) -> set[str]:
    return {n.name for n in store.nodes(kind)}


def test_loading_twice_changes_nothing(map_path: Path) -> None:
    store = EmbeddedStore(map_path)
    load_files(store, [SEED])
    first = map_path.read_bytes()
    report = load_files(store, [SEED])
    assert map_path.read_bytes() == first
    assert report.documents[0].status is VersionStatus.SAME


def test_several_documents_merge_and_share_organisations(map_path: Path) -> None:
    store = EmbeddedStore(map_path)
    load_files(store, [SEED, ACME])
    assert len(store.nodes(NodeKind.SERVICE)) == 14
    zendesk = breach(store, "zendesk inc")
    assert {s.facts.name for s in zendesk.services} == {
        "Supporthenvendelser via mail/Chat",
        "Acme Contact Centre",
    }
    assert {c.code for c in zendesk.countries} == {"DE", "IE", "US", "IN"}


def test_new_version_replaces_only_its_own_facts(map_path: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(map_path)
    load_files(store, [SEED, ACME])
    newer = tmp_path / "phonero-2023.txt"
    text = SEED.read_text("utf-8")
    text = text.replace("Zendesk\tTyskland", "Kundo\tIrland").replace("15.03.2021", "01.02.2023")
    newer.write_text(text, "utf-8")
    report = load_files(store, [newer])
    [loaded] = report.documents
    assert loaded.status is VersionStatus.NEWER
    assert loaded.replaced is not None
    assert (loaded.replaced.valid_from, loaded.valid_from) == ("2021-03-15", "2023-02-01")
    assert "Kundo" in _names(store, NodeKind.ORGANISATION)
    # Zendesk stays: Acme's document still names it
    assert {s.facts.name for s in breach(store, "Zendesk").services} == {"Acme Contact Centre"}
    assert len(store.nodes(NodeKind.SERVICE)) == 14
    assert len(store.nodes(NodeKind.DOCUMENT)) == 2
    assert len(store.document_versions()) == 3
    # Germany stays only through the web shop
    support = breach(store, "Kundo")
    assert [c.code for c in support.countries] == ["IE"]


def test_removed_service_and_orphans_disappear(map_path: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(map_path)
    load_files(store, [SEED])
    lines = [line for line in SEED.read_text("utf-8").split("\n") if not line.startswith("Mobilt")]
    shorter = tmp_path / "phonero.txt"
    shorter.write_text("\n".join(lines), "utf-8")
    load_files(store, [shorter])
    assert "Mobilt Opptak (MVR)" not in _names(store, NodeKind.SERVICE)
    assert "Touch Technology AS" not in _names(store, NodeKind.ORGANISATION)
    assert "Call recordings" not in _names(store, NodeKind.CATEGORY)


def test_the_version_in_force_on_a_date_answers_as_of_it(map_path: Path, tmp_path: Path) -> None:
    store = EmbeddedStore(map_path)
    load_files(store, [SEED])
    newer = tmp_path / "phonero-2023.txt"
    text = SEED.read_text("utf-8").replace("Zendesk\tTyskland", "Kundo\tIrland")
    newer.write_text(text.replace("15.03.2021", "01.02.2023"), "utf-8")
    load_files(store, [newer])
    before = EmbeddedStore(map_path, as_of="2022-06-30")
    assert {s.facts.name for s in breach(before, "Zendesk").services} == {
        "Supporthenvendelser via mail/Chat"
    }
    assert "Kundo" not in _names(before, NodeKind.ORGANISATION)
    assert "Zendesk" not in _names(store, NodeKind.ORGANISATION)
    # before the first version, nothing was in force
    assert EmbeddedStore(map_path, as_of="2020-01-01").nodes(NodeKind.SERVICE) == []


def test_an_older_version_is_history_and_never_replaces_the_newer(
    map_path: Path, tmp_path: Path
) -> None:
    store = EmbeddedStore(map_path)
    older = tmp_path / "phonero-2019.txt"
    text = SEED.read_text("utf-8").replace("Zendesk\tTyskland", "Kundo\tIrland")
    older.write_text(text.replace("15.03.2021", "01.01.2019"), "utf-8")
    load_files(store, [SEED])
    [loaded] = load_files(store, [older]).documents
    assert (loaded.status, loaded.valid_from, loaded.valid_to) == (
        VersionStatus.HISTORY,
        "2019-01-01",
        "2021-03-15",
    )
    assert "Kundo" not in _names(store, NodeKind.ORGANISATION)
    assert "Kundo" in _names(EmbeddedStore(map_path, as_of="2020-01-01"), NodeKind.ORGANISATION)


def test_a_list_that_changes_back_is_in_force_again(map_path: Path, tmp_path: Path) -> None:
    # an undated list: Twilio added on the second day, removed again on the third
    store = EmbeddedStore(map_path)
    listed = tmp_path / "kvitre.md"
    first = "# Kvitre sub-processors\n\n| Name | Location |\n|---|---|\n| Mailgun | Germany |\n"
    added = first + "| Twilio | United States |\n"
    days = [dt.date(2025, 6, 1), dt.date(2025, 6, 2), dt.date(2025, 6, 3)]
    for text, day in zip([first, added, first], days, strict=True):
        listed.write_text(text, "utf-8")
        report = load_files(store, [listed], provider="Kvitre AS", today=day)
    assert report.documents[0].status is VersionStatus.NEWER
    assert "Twilio" not in _names(store, NodeKind.ORGANISATION)
    assert [(v.valid_from, v.valid_to) for v in sorted_versions(store)] == [
        ("2025-06-01", "2025-06-02"),
        ("2025-06-02", "2025-06-03"),
        ("2025-06-03", None),
    ]
    as_of = EmbeddedStore(map_path, as_of="2025-06-02")
    assert "Twilio" in _names(as_of, NodeKind.ORGANISATION)


def sorted_versions(store: EmbeddedStore) -> list[Document]:
    return sorted(store.document_versions(), key=lambda v: v.valid_from)
