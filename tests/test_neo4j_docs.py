"""Every Cypher query in docs/neo4j.md gives the answer the table under it shows, run as a
person would run it (a driver of the test's own) against the bundled example loaded into
Neo4j: the documentation of how the map is stored cannot drift from what is stored."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED
from tests.store_fixtures import run_cypher

pytestmark = pytest.mark.neo4j

DOC = Path(__file__).resolve().parents[1] / "docs" / "neo4j.md"
# a query, a blank line, then its answer as a Markdown table
_QUERY = re.compile(r"^```cypher\n(.*?)^```\n\n((?:^\|[^\n]*\|\n)+)", re.M | re.S)


def documented() -> list[tuple[str, list[list[str]]]]:
    """Return each documented query with the rows of the table under it."""
    found = []
    for query, table in _QUERY.findall(DOC.read_text("utf-8")):
        lines = table.strip().splitlines()
        rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]
        found.append((query, [rows[0], *rows[2:]]))  # the header, then the rows
    return found


def shown(value: Any) -> str:
    """Return a result value as the documentation's tables write it."""
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    return "" if value is None else str(value)


QUERIES = documented()


def test_the_page_documents_queries() -> None:
    assert len(QUERIES) >= 8
    assert (
        "MATCH (s:Service)-[:PROCESSES]->(c:DataCategory {name: 'Call recordings'})"
        in (QUERIES[0][0])
    )


@pytest.mark.parametrize(
    ("query", "table"), QUERIES, ids=[f"query {i}" for i in range(len(QUERIES))]
)
def test_a_documented_query_answers_as_documented(
    query: str, table: list[list[str]], neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    load_files(neo4j_store, [SEED])
    records = run_cypher(neo4j_settings, query)
    header, *rows = table
    assert [list(record.keys()) for record in records[:1]] == [header]
    assert [[shown(value) for value in record.values()] for record in records] == rows
