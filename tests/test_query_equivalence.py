"""Every query gives the same answer on the embedded store and on a real Neo4j server: on the
seed, on synthetic maps with sub-processor chains, shared vendors, third countries and earlier
versions of every document (answers as of past dates too), and on generated documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataflyt.answer_json import answer_json
from dataflyt.config import Neo4jSettings
from dataflyt.errors import DataflytError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_documents, load_files
from dataflyt.loaders.models import (
    CategoryFact,
    DocumentFormat,
    LocationFact,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
)
from dataflyt.queries.breach import breach
from dataflyt.queries.browse import list_nodes, show
from dataflyt.queries.history import history
from dataflyt.queries.kinds import ListKind
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import transfers
from dataflyt.synth import load_synthetic_map
from tests.conftest import SEED
from tests.shared_maps import DATA
from tests.store_fixtures import Reopen, run_cypher

pytestmark = pytest.mark.neo4j

CATEGORIES = ["call recordings", "contact details", "email address", "communications data"]


def answer(query: Callable[..., Any], *args: Any) -> str:
    """Return the JSON answer of ``query(*args)``, or the error it raises (which must be the
    same too)."""
    try:
        return answer_json(query(*args))
    except DataflytError as error:
        return f"{type(error).__name__}: {error}"


def answers(store: GraphStore) -> dict[str, str]:
    """Return every query's answer on ``store``, keyed by query."""
    found = {"transfers": answer(transfers, store)}
    for category in CATEGORIES:
        found[f"touches {category}"] = answer(touches, store, category)
    for org in store.nodes(NodeKind.ORGANISATION):
        found[f"breach {org.id}"] = answer(breach, store, org.name)
    for node in [*store.nodes(NodeKind.SERVICE)[:5], *store.nodes(NodeKind.ORGANISATION)[:5]]:
        found[f"show {node.id}"] = answer(show, store, node.name, node.kind)
    for kind in ListKind:
        found[f"list {kind}"] = answer(list_nodes, store, kind)
    return found


def test_seed_answers_are_equal(embedded_store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, [SEED])
    assert answers(neo4j_store) == answers(embedded_store)


# real published lists and realistic documents of every shape the loaders read (sources in
# tests/data/README.md), with the provider each is loaded for (None: the document says)
REAL = [
    ("github-subprocessors.md", "GitHub, Inc."),
    ("zendesk-subprocessors.html", "Zendesk"),
    ("slack-subprocessors.md", "Slack"),
    ("normative-appendix-2.html", "Normative"),
    ("commslayer-subprocessors.html", "Commslayer"),
    ("fenerum-subprocessors.md", "Fenerum"),
    ("wolterskluwer-nordic-subprocessors.csv", "Wolters Kluwer"),
    ("digitalcab-underdatabehandlere.html", "Digital CAB"),
    ("timeatweb-underdatabehandlere.html", "TimeAtWeb"),
    ("fiken-underdatabehandlere.html", "Fiken"),
    ("phonero-support-underleverandorer.csv", "Phonero"),
    ("telenor-underleverandorer.csv", "Telenor"),
    ("kvitre-subprocessors.md", "Kvitre Mail"),
    ("nordlys-datamap.yaml", None),
    ("ropa.csv", None),
]


def test_answers_on_real_lists_are_equal(
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore
) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, [SEED])
        for name, provider in REAL:
            load_files(store, [DATA / name], provider)
    found = answers(embedded_store)
    assert len([k for k in found if k.startswith("breach")]) > 50  # every document loaded
    assert answers(neo4j_store) == found


def test_relationships_and_properties_made_by_hand_are_no_facts(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings, reopen: Reopen
) -> None:
    load_files(neo4j_store, [SEED])
    before = answers(neo4j_store)
    counts = neo4j_store.summary().edges
    # made in Neo4j Browser: relationships without a document or of another type, a node of
    # another label, a note on a node
    hand_made = [
        "MATCH (a:Organisation), (s:Service) CREATE (a)-[:ENGAGES]->(s)",
        "MATCH (s:Service), (c:DataCategory) CREATE (s)-[:PROCESSES]->(c)",
        "MATCH (o:Organisation) CREATE (o)-[:ENGAGES]->(:Vendor {name: 'x'})",
        "MATCH (a:Organisation), (b:Organisation) WHERE a <> b CREATE (a)-[:KNOWS]->(b)",
        "MATCH (s:Service) SET s.note = 'checked by the DPO'",
    ]
    for statement in hand_made:
        run_cypher(neo4j_settings, statement)
    again = reopen(neo4j_store, None)
    assert answers(again) == before
    assert again.summary().edges == counts


@pytest.mark.parametrize("seed", [1, 2])
def test_synthetic_answers_are_equal_today_and_as_of_earlier_versions(
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore, reopen: Reopen, seed: int
) -> None:
    for store in (embedded_store, neo4j_store):
        with store.writing(lambda: None):
            load_synthetic_map(store, 60, seed, versions=2)
    today = answers(embedded_store)
    assert answers(neo4j_store) == today
    dates = sorted({v.valid_from for v in embedded_store.document_versions()})
    for as_of in (dates[0], dates[len(dates) // 2]):
        then = reopen(neo4j_store, as_of), reopen(embedded_store, as_of)
        assert answers(then[0]) == answers(then[1]) != today, as_of
    at = [partial(reopen, store) for store in (neo4j_store, embedded_store)]
    assert answer(history, neo4j_store, at[0]) == answer(history, embedded_store, at[1])


SRC = Source(file="generated.txt", line=1, text="generated")
PLACES = [
    ("NO", "Norway"),
    ("DE", "Germany"),
    ("US", "United States"),
    ("IN", "India"),
    ("GB", "United Kingdom"),
    ("JP", "Japan"),
]
KEYS = ["name", "email_address", "mobile_number", "call_recordings", "call_history", "health"]
SUBJECTS = ["employees", "customers", "callers"]


@st.composite
def places(draw: st.DrawFn) -> list[LocationFact]:
    """Return some places (none: not stated), each maybe not exhaustive."""
    chosen = draw(st.lists(st.sampled_from(PLACES), max_size=2, unique=True))
    return [
        LocationFact(code=code, name=name, exhaustive=draw(st.booleans()), source=SRC)
        for code, name in chosen
    ]


@st.composite
def generated_maps(draw: st.DrawFn) -> ParsedDocument:
    """Return a document with services, organisation chains, shared vendors and places, some
    stated per engagement and some not at all."""
    orgs = [f"Vendor {i} AS" for i in range(draw(st.integers(2, 6)))]
    pairs = st.tuples(st.integers(0, len(orgs) - 1), st.integers(0, len(orgs) - 1))
    relations = [
        OrganisationRelation(
            organisation=orgs[i],
            subprocessor=SubProcessorFact(
                name=orgs[j], purpose="hosting", locations=draw(places()), source=SRC
            ),
        )
        for i, j in draw(st.lists(pairs, max_size=8))
        if i != j
    ]
    services = []
    for index in range(draw(st.integers(1, 5))):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
        subjects = draw(st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=2, unique=True))
        engaged = draw(st.lists(st.sampled_from(orgs), max_size=2, unique=True))
        services.append(
            ServiceRecord(
                name=f"Service {index}",
                provider="Provider AS",
                role="processor",
                role_text="x",
                categories=[
                    CategoryFact(key=k, label=k, subjects=subjects, source=SRC) for k in keys
                ],
                subprocessors=[
                    SubProcessorFact(
                        name=o,
                        categories=draw(st.none() | st.just(keys[:1])),
                        locations=draw(places()),
                        source=SRC,
                    )
                    for o in engaged
                ],
                locations=draw(places()),
                source=SRC,
            )
        )
    return ParsedDocument(
        path="generated.txt",
        title="Generated",
        provider="Provider AS",
        format=DocumentFormat.ANNEX,
        sha256="0" * 64,
        services=services,
        relations=relations,
    )


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(document=generated_maps())
def test_generated_maps_answer_alike(
    neo4j_store: Neo4jStore,
    reopen: Reopen,
    tmp_path_factory: pytest.TempPathFactory,
    document: ParsedDocument,
) -> None:
    neo4j_store.clear()
    embedded = EmbeddedStore(tmp_path_factory.mktemp("generated") / "map.json")
    for store in (embedded, neo4j_store):
        load_documents(store, [document], [], dt.date(2025, 1, 31))
    assert answers(neo4j_store) == answers(embedded)
