"""Loads at the same time, in real processes, lose nothing: the map after six parallel loads
holds exactly the facts, nodes and document versions of the same loads one after the other
in the order they took the map, in the embedded map file (its lock file) and in Neo4j (its
lock node). A load that finds the map held says so once and waits until it is free."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Direction, NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED
from tests.store_fixtures import Reopen, run_cypher

DATA = Path(__file__).parent / "data"
EXAMPLES = Path(__file__).parents[1] / "dataflyt" / "examples"
# each load: a document, and the provider of a list that does not name one
DOCUMENTS: list[tuple[Path, str | None]] = [
    (SEED, None),
    (DATA / "acme-annex.txt", None),
    (EXAMPLES / "acme-datamap.yaml", None),
    (DATA / "zendesk-subprocessors.html", "Zendesk"),
    (DATA / "slack-subprocessors.md", "Slack"),
    (DATA / "telenor-underleverandorer.csv", "Telenor"),
]

# One load in a process of its own: it reads its document, then waits for the file ``go``
# so that every load reaches the map at the same moment. Prints "waited" if it had to wait,
# then when it was done (the clock every process shares): the order loads took the map in.
LOAD = """
import sys, time
from pathlib import Path
from dataflyt.config import store_settings
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.ingest.load import load_files

backend, target, go, document, provider = sys.argv[1:6]
if backend == "neo4j":
    store = Neo4jStore(store_settings().neo4j)
else:
    store = EmbeddedStore(Path(target))
while not Path(go).exists():
    time.sleep(0.005)
load_files(
    store,
    [Path(document)],
    provider or None,
    waiting=lambda *_: print("waited", flush=True),
)
print(time.monotonic())
store.close()
"""


def start_load(into: Map, go: Path, document: Path, provider: str | None) -> subprocess.Popen[str]:
    """Start one load into the map ``into`` in a process of its own."""
    args = [sys.executable, "-c", LOAD, into.backend, into.target, str(go), str(document)]
    args.append(provider or "")
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(load: subprocess.Popen[str]) -> tuple[list[str], float]:
    """Return what a load printed once it ends, and when it was done; fail the test if it
    failed."""
    out, err = load.communicate(timeout=300)
    assert load.returncode == 0, err
    *said, done = out.splitlines()
    return said, float(done)


def facts(store: GraphStore) -> dict[str, Any]:
    """Return what the map holds: node ids per kind, every fact in force, every version.
    (Which spelling names an organisation is the first load's, so names are left out.)"""
    nodes = {kind: [n.id for n in store.nodes(kind)] for kind in NodeKind}
    ids = [node for found in nodes.values() for node in found]
    return {
        "nodes": nodes,
        "edges": store.edges(ids, Direction.OUT),
        "versions": store.document_versions(),
    }


class Map(NamedTuple):
    """A map under test: which store, where (the map file; "" for Neo4j) and a store on it."""

    backend: str
    target: str
    store: GraphStore


@pytest.fixture(params=["embedded", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def empty_map(request: pytest.FixtureRequest, tmp_path: Path) -> Map:
    """Return an empty map of each store in turn."""
    if request.param == "neo4j":
        return Map("neo4j", "", request.getfixturevalue("neo4j_store"))
    path = tmp_path / "map.json"
    return Map("embedded", str(path), EmbeddedStore(path))


def test_parallel_loads_lose_nothing(empty_map: Map, tmp_path: Path, reopen: Reopen) -> None:
    go = tmp_path / "go"
    loads = [start_load(empty_map, go, path, provider) for path, provider in DOCUMENTS]
    time.sleep(2)  # every process has read its document and waits
    go.touch()
    done = [finished(load)[1] for load in loads]
    together = facts(reopen(empty_map.store, None))

    one_by_one = EmbeddedStore(tmp_path / "sequential.json")
    for _, (path, provider) in sorted(zip(done, DOCUMENTS, strict=True)):
        load_files(one_by_one, [path], provider)
    expected = facts(one_by_one)
    assert len(expected["versions"]) == len(DOCUMENTS)
    assert together == expected


def test_a_load_waits_for_the_one_holding_the_map(
    empty_map: Map, tmp_path: Path, reopen: Reopen
) -> None:
    go = tmp_path / "go"
    go.touch()
    with empty_map.store.writing(lambda: None):
        load = start_load(empty_map, go, SEED, None)
        time.sleep(5)  # it has started, read its document and found the map held
        assert load.poll() is None
        assert reopen(empty_map.store, None).document_versions() == []
    assert finished(load)[0] == ["waited"]
    assert len(reopen(empty_map.store, None).document_versions()) == 1


@pytest.mark.neo4j
def test_the_neo4j_lock_leaves_nothing_in_the_database(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings
) -> None:
    with neo4j_store.writing(lambda: None):
        pass
    assert run_cypher(neo4j_settings, "MATCH (n) RETURN count(n) AS n")[0]["n"] == 0
