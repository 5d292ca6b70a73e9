"""A Neo4j server of a test's own, started by ``scripts/neo4j-local`` with a home, a settings
file and a port of its own, so that the server the other tests share is never touched."""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dataflyt.config import Neo4jSettings
from tests.conftest import free_port

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j-local"


@dataclass(frozen=True)
class OwnServer:
    """A Neo4j server of a test's own: its environment (for ``scripts/neo4j-local`` and
    ``dataflyt``) and its connection settings."""

    env: dict[str, str]
    settings: Neo4jSettings

    def script(self, command: str) -> None:
        """Run ``scripts/neo4j-local <command>`` for this server; fail the test if it fails."""
        done = subprocess.run(
            [str(SCRIPT), command], env=self.env, capture_output=True, text=True, timeout=600
        )
        if done.returncode != 0:
            pytest.fail(f"scripts/neo4j-local {command} failed:\n{done.stdout}{done.stderr}")


@contextmanager
def started_server(folder: Path, **settings: str) -> Iterator[OwnServer]:
    """Start a server in ``folder``, with these ``NEO4J_LOCAL_*`` settings of
    ``scripts/neo4j-local`` (such as ``NEO4J_LOCAL_TRANSACTION_MEMORY="10m"``); kill it and
    delete its files afterwards (nothing in them is kept)."""
    # a password may begin with a dash, which neo4j-admin once read as an option
    port, password = free_port(), "-" + secrets.token_urlsafe(16)
    connection = Neo4jSettings(
        uri=f"bolt://127.0.0.1:{port}", user="neo4j", database="neo4j", password=password
    )
    env = {
        **os.environ,
        **settings,
        "NEO4J_LOCAL_HOME": str(folder / "neo4j"),
        "NEO4J_LOCAL_ENV_FILE": str(folder / ".env"),
        "NEO4J_LOCAL_BOLT_PORT": str(port),
        "NEO4J_URI": connection.uri,
        "NEO4J_USER": connection.user,
        "NEO4J_DATABASE": connection.database,
        "NEO4J_PASSWORD": password,
    }
    server = OwnServer(env, connection)
    try:
        server.script("start")
        yield server
    finally:
        server.script("kill")
        shutil.rmtree(folder / "neo4j", ignore_errors=True)
