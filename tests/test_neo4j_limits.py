"""A load larger than the Neo4j server allows one transaction is bad input for that server:
one line of advice and exit code 1 (not "store unreachable"), nothing written, never a
traceback (issue 19, point 9).

The server is one of the test's own, started with a small limit on a transaction's memory
(``NEO4J_LOCAL_TRANSACTION_MEMORY``); the test takes about half a minute, most of it the
server's start.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from dataflyt.graph.neo4j_store import Neo4jStore
from tests.conftest import DATAFLYT, SEED
from tests.own_server import started_server

pytestmark = pytest.mark.neo4j


def test_a_transaction_too_large_for_the_server_is_exit_1_with_advice(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    subprocess.run(
        [DATAFLYT, "synth", "--services", "2000", "--seed", "2", "--quiet", "-o", str(big)],
        check=True,
        capture_output=True,
    )
    with started_server(tmp_path, NEO4J_LOCAL_TRANSACTION_MEMORY="8m") as server:

        def load(path: Path) -> subprocess.CompletedProcess[str]:
            command = [DATAFLYT, "load", "--backend", "neo4j", "--quiet", str(path)]
            return subprocess.run(
                command, env=server.env, cwd=tmp_path, capture_output=True, text=True
            )

        assert load(SEED).returncode == 0
        store = Neo4jStore(server.settings)
        before = store.summary()
        store.close()
        refused = load(big)
        store = Neo4jStore(server.settings)
        after = store.summary()
        store.close()
    assert refused.returncode == 1, refused.stderr
    assert refused.stderr == (
        f"dataflyt: error: Neo4j at {server.settings.uri} refused to replace documents: the "
        "change needs more memory than the server gives one transaction; nothing was written. "
        "Load the documents a few at a time, or raise the server's limit "
        "(dbms.memory.transaction.total.max, db.memory.transaction.max) or its heap\n"
    )
    assert after == before
