"""The server dying in the middle of a load leaves the map exactly as it was.

``dataflyt load`` writes a large map into a Neo4j server of the test's own; while the load's
write transaction is creating relationships, the server is killed (SIGKILL, as in a crash).
The user sees one line and exit code 3, never a traceback; after a restart, which recovers
the database from its transaction log, the map is what it was before the load.

The server is started by ``scripts/neo4j-local`` with a home, a settings file and a port of
its own, so the server the other tests share is never touched. The test takes about a minute:
two server starts.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest

from dataflyt.config import Neo4jSettings
from dataflyt.graph.model import Direction, NodeKind
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.neo4j_write import _CREATE_FACTS
from dataflyt.ingest.load import load_files
from tests.conftest import DATAFLYT, SEED
from tests.own_server import OwnServer, started_server


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[OwnServer]:
    """Return a server of this test's own, killed afterwards."""
    with started_server(tmp_path) as server:
        yield server


def everything(settings: Neo4jSettings) -> dict[str, Any]:
    """Return what the map at ``settings`` holds: its summary, nodes and edges."""
    store = Neo4jStore(settings)
    try:
        nodes = {kind: store.nodes(kind) for kind in NodeKind}
        ids = [node.id for found in nodes.values() for node in found]
        return {
            "summary": store.summary(),
            "nodes": nodes,
            "edges": store.edges(ids, Direction.OUT),
        }
    finally:
        store.close()


def wait_for_edges_being_written(settings: Neo4jSettings, load: subprocess.Popen[str]) -> None:
    """Return once the load's transaction runs the statement that creates relationships, its
    nodes already written and nothing committed; fail if the load ends first."""
    auth = (settings.user, settings.password)
    query = (
        "SHOW TRANSACTIONS YIELD currentQuery, status "
        "WHERE currentQuery = $query AND status = 'Running' RETURN count(*) AS running"
    )
    deadline = time.monotonic() + 300
    with neo4j.GraphDatabase.driver(settings.uri, auth=auth) as driver:
        while load.poll() is None and time.monotonic() < deadline:
            records, _, _ = driver.execute_query(
                query, query=_CREATE_FACTS, database_=settings.database
            )
            if records[0]["running"]:
                return
            time.sleep(0.02)  # a poll interval: the write takes seconds
    out, err = load.communicate(timeout=60)
    pytest.fail(f"the load never reached its relationships (exit {load.returncode}):\n{out}{err}")


@pytest.mark.neo4j
def test_the_server_dying_mid_load_leaves_the_map_as_it_was(
    own_server: OwnServer, tmp_path: Path
) -> None:
    settings = own_server.settings
    store = Neo4jStore(settings)
    load_files(store, [SEED])
    store.close()
    before = everything(settings)
    big = tmp_path / "big.json"
    subprocess.run(
        [DATAFLYT, "synth", "--services", "5000", "--seed", "2", "-o", str(big)],
        check=True,
        capture_output=True,
    )

    load = subprocess.Popen(
        [DATAFLYT, "load", "--backend", "neo4j", "--quiet", str(big)],
        env=own_server.env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        wait_for_edges_being_written(settings, load)
        own_server.script("kill")
        out, err = load.communicate(timeout=300)
    finally:
        load.kill()

    assert load.returncode == 3, out + err
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith(f"dataflyt: error: cannot reach Neo4j at {settings.uri}: "), err
    assert "Traceback" not in out + err
    assert settings.password not in out + err
    own_server.script("start")
    assert everything(settings) == before
