"""Every query gives the same answer on the embedded store and on a real Neo4j server: on the
seed and on synthetic maps with sub-processor chains, shared vendors and third countries."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataflyt.answer_json import answer_json
from dataflyt.config import Neo4jSettings
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.build import build_batch
from dataflyt.ingest.load import load_files
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
from dataflyt.queries.browse import show
from dataflyt.queries.touches import touches
from dataflyt.queries.transfers import transfers
from dataflyt.synth import synthesize
from tests.conftest import SEED
from tests.store_fixtures import run_cypher

pytestmark = pytest.mark.neo4j

CATEGORIES = ["call recordings", "contact details", "email address", "communications data"]


def answers(store: GraphStore) -> dict[str, Any]:
    """Return every query's JSON answer on ``store``, keyed by query."""
    found: dict[str, Any] = {"transfers": answer_json(transfers(store))}
    for category in CATEGORIES:
        found[f"touches {category}"] = answer_json(touches(store, category))
    for org in store.nodes(NodeKind.ORGANISATION):
        found[f"breach {org.id}"] = answer_json(breach(store, org.id.split(":", 1)[1]))
    for service in store.nodes(NodeKind.SERVICE)[:5]:
        found[f"show {service.id}"] = answer_json(show(store, service.name))
    return found


def test_seed_answers_are_equal(embedded_store: EmbeddedStore, neo4j_store: Neo4jStore) -> None:
    for store in (embedded_store, neo4j_store):
        load_files(store, [SEED])
    assert answers(neo4j_store) == answers(embedded_store)


def test_relationships_made_by_hand_are_no_facts(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    load_files(neo4j_store, [SEED])
    before = answers(neo4j_store)
    counts = neo4j_store.summary().edges
    # made in Neo4j Browser: relationships without a document, one to a node of its own
    hand_made = [
        "MATCH (a:Organisation), (s:Service) CREATE (a)-[:ENGAGES]->(s)",
        "MATCH (s:Service), (c:DataCategory) CREATE (s)-[:PROCESSES]->(c)",
        "MATCH (o:Organisation) CREATE (o)-[:ENGAGES]->(:Vendor {name: 'x'})",
        "MATCH (a:Organisation), (b:Organisation) WHERE a <> b CREATE (a)-[:ENGAGES]->(b)",
    ]
    for statement in hand_made:
        run_cypher(neo4j_settings, statement)
    assert answers(neo4j_store) == before
    assert neo4j_store.summary().edges == counts


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_answers_are_equal(
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore, seed: int
) -> None:
    batch = build_batch(synthesize(60, seed))
    for store in (embedded_store, neo4j_store):
        store.replace_documents(batch)
    assert answers(neo4j_store) == answers(embedded_store)


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
def generated_maps(draw: st.DrawFn) -> ParsedDocument:
    """Return a document with services, organisation chains, shared vendors and places."""
    orgs = [f"Vendor {i}" for i in range(draw(st.integers(2, 6)))]
    relations = [
        OrganisationRelation(
            organisation=orgs[i],
            subprocessor=SubProcessorFact(name=orgs[j], purpose="hosting", source=SRC),
        )
        for i, j in draw(
            st.lists(
                st.tuples(st.integers(0, len(orgs) - 1), st.integers(0, len(orgs) - 1)), max_size=8
            )
        )
        if i != j
    ]
    services = []
    for index in range(draw(st.integers(1, 5))):
        keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=4, unique=True))
        subjects = draw(st.lists(st.sampled_from(SUBJECTS), min_size=1, max_size=2, unique=True))
        engaged = draw(st.lists(st.sampled_from(orgs), max_size=2, unique=True))
        places = draw(st.lists(st.sampled_from(PLACES), min_size=1, max_size=2, unique=True))
        services.append(
            ServiceRecord(
                name=f"Service {index}",
                provider="Provider",
                role="processor",
                role_text="x",
                categories=[
                    CategoryFact(key=k, label=k, subjects=subjects, source=SRC) for k in keys
                ],
                subprocessors=[
                    SubProcessorFact(
                        name=o, categories=draw(st.none() | st.just(keys[:1])), source=SRC
                    )
                    for o in engaged
                ],
                locations=[
                    LocationFact(code=c, name=n, exhaustive=draw(st.booleans()), source=SRC)
                    for c, n in places
                ],
                source=SRC,
            )
        )
    return ParsedDocument(
        path="generated.txt",
        title="Generated",
        provider="Provider",
        format=DocumentFormat.ANNEX,
        sha256="0",
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
    embedded_store: EmbeddedStore, neo4j_store: Neo4jStore, document: ParsedDocument
) -> None:
    batch = build_batch([document])
    neo4j_store.clear()
    for store in (embedded_store, neo4j_store):
        store.replace_documents(batch)
    assert answers(neo4j_store) == answers(embedded_store)
