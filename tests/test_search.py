"""``search``: what a few typed letters may mean, on the seed map and tiny literal maps."""

from __future__ import annotations

from pathlib import Path

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import AnyEdge, DescribedIn, GraphBatch, Organisation, Service
from dataflyt.queries.search import search
from tests.regenerate_golden import document_version


def found(store: EmbeddedStore, text: str) -> dict[str, list[str]]:
    return {g.kind: [h.name for h in g.hits] for g in search(store, text).groups}


def test_norwegian_term_finds_the_category(seed_store: EmbeddedStore) -> None:
    result = search(seed_store, "samtaleopptak")
    assert [(g.kind, [(h.name, h.matched) for h in g.hits]) for g in result.groups] == [
        ("data category", [("Call recordings", "samtaleopptak")])
    ]


def test_prefix_groups_by_kind_best_first(seed_store: EmbeddedStore) -> None:
    assert found(seed_store, "link") == {
        "service": ["Phonero Link"],
        "organisation": ["Link Mobility"],
    }
    groups = found(seed_store, "Phonero")
    assert groups["organisation"] == ["Phonero"]
    assert groups["document"] == ["PHONERO TJENESTEBESKRIVELSE"]
    assert groups["service"][0] == "Phonero Bedriftsnett"
    assert len(groups["service"]) == 7


def test_legal_forms_plurals_and_other_languages(seed_store: EmbeddedStore) -> None:
    assert found(seed_store, "Zendesk, Inc.") == {"organisation": ["Zendesk"]}
    assert found(seed_store, "Norge") == {"country": ["Norway"]}
    assert found(seed_store, "ansatte")["data subject"] == ["Employees"]
    assert found(seed_store, "call recording")["data category"] == ["Call recordings"]


def test_a_part_of_a_name_matches_after_prefixes(seed_store: EmbeddedStore) -> None:
    assert found(seed_store, "opptak")["service"] == ["Mobilt Opptak (MVR)"]


def test_too_short_or_unknown_finds_nothing(seed_store: EmbeddedStore) -> None:
    assert search(seed_store, "p").groups == []
    assert search(seed_store, "   ").groups == []
    assert search(seed_store, "qqqzzz").groups == []


def test_limit_counts_the_rest(tmp_path: Path) -> None:
    doc = document_version("d", "D", "Support AS", "2024-01-31")
    services = [Service(id=f"service:s{i:02}", name=f"Support {i:02}") for i in range(15)]
    edges: list[AnyEdge] = [DescribedIn(source=s.id, target=doc.id, doc=doc.id) for s in services]
    store = EmbeddedStore(tmp_path / "map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=list(services), edges=edges))
    (group,) = search(store, "support", limit=4).groups
    assert group.total == 15
    assert [h.name for h in group.hits] == ["Support 00", "Support 01", "Support 02", "Support 03"]


def test_aliases_and_spellings_of_the_documents_in_force_match(tmp_path: Path) -> None:
    doc = document_version("d", "D", "Amazon Web Services", "2024-01-31")
    aws = Organisation(id="org:amazon-web-services", name="Amazon Web Services")
    said = DescribedIn(
        source=aws.id,
        target=doc.id,
        doc=doc.id,
        spellings=("Amazon Web Services EMEA SARL",),
        aliases=("AWS",),
    )
    store = EmbeddedStore(tmp_path / "map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=[aws], edges=[said]))
    (group,) = search(store, "aws").groups
    assert [(h.name, h.matched) for h in group.hits] == [("Amazon Web Services", "AWS")]
    (group,) = search(store, "emea").groups
    assert [(h.name, h.matched) for h in group.hits] == [
        ("Amazon Web Services", "Amazon Web Services EMEA SARL")
    ]
