"""Shared fixtures and helpers: the real seed document, an embedded map loaded with it, the CLI
runner and the installed command, a free local port, a local web site for ``watch``."""

from __future__ import annotations

import os
import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.examples import PHONERO, example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from tests.http_pages import Site, serve

# the store fixtures (both stores, a real Neo4j server) for every test module: registered
# here, before any module imports its helpers, so that pytest rewrites its asserts
pytest_plugins = ["tests.store_fixtures", "tests.export_fixtures", "tests.web_fixtures"]

SEED = next(p for p in example_paths() if p.name == PHONERO)
# the installed ``dataflyt`` command, next to the interpreter running the tests
DATAFLYT = Path(sys.executable).parent / "dataflyt"
SHARED_SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / PHONERO


def require_root(why: str) -> None:
    """Fail the test (never skip it) unless it runs as root, as ``make test`` does in CI."""
    if os.geteuid() != 0:
        pytest.fail(f"this test needs root ({why}): run make test as root", pytrace=False)


@pytest.fixture
def seed_path() -> Path:
    """Return the path of the bundled Phonero annex (a copy of shared/seeds)."""
    return SEED


@pytest.fixture
def map_path(tmp_path: Path) -> Path:
    """Return a fresh embedded-map path in the test's temporary folder."""
    return tmp_path / "map.json"


@pytest.fixture
def seed_store(map_path: Path) -> EmbeddedStore:
    """Return an embedded store with the seed document loaded."""
    store = EmbeddedStore(map_path)
    load_files(store, [SEED])
    return store


@pytest.fixture
def runner() -> CliRunner:
    """Return a typer CLI runner."""
    return CliRunner()


def free_port() -> int:
    """Return a local port nothing listens on (for a server of a test's own, or none)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@pytest.fixture
def site() -> Iterator[Site]:
    """Yield a web site served on 127.0.0.1 for the test; set its ``pages`` by path."""
    with serve() as served:
        yield served
