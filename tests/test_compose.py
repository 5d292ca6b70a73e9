"""The Docker Compose file runs the same Neo4j as ``scripts/neo4j-local``, the way Neo4j
documents it: a pinned patch release, Bolt and HTTP on localhost only, the password from
``.env``, named volumes for data and logs, memory settings and a healthcheck."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]


def neo4j_service() -> dict[str, Any]:
    """Return the compose file's ``neo4j`` service."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    service: dict[str, Any] = compose["services"]["neo4j"]
    assert set(compose["volumes"]) == {"neo4j-data", "neo4j-logs"}
    return service


def test_the_image_is_the_patch_release_the_local_script_runs() -> None:
    script = (ROOT / "scripts" / "neo4j-local").read_text(encoding="utf-8")
    version = re.search(r'^readonly NEO4J_VERSION="(5\.26\.\d+)"$', script, re.MULTILINE)
    assert version is not None
    assert neo4j_service()["image"] == f"neo4j:{version[1]}-community"


def test_ports_auth_volumes_memory_and_healthcheck() -> None:
    service = neo4j_service()
    assert service["ports"] == ["127.0.0.1:7474:7474", "127.0.0.1:7687:7687"]
    env = service["environment"]
    assert env["NEO4J_AUTH"] == "neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}"
    assert {"NEO4J_server_memory_heap_max__size", "NEO4J_server_memory_pagecache_size"} <= set(env)
    assert service["volumes"] == ["neo4j-data:/data", "neo4j-logs:/logs"]
    assert "test" in service["healthcheck"]


def test_the_password_is_never_committed() -> None:
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_PASSWORD=change-me-please$", example, re.MULTILINE)
    tracked = subprocess.run(
        ["git", "ls-files", "--", ".env", ".neo4j"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert tracked == ""
    assert {".env", ".neo4j/"} <= set((ROOT / ".gitignore").read_text(encoding="utf-8").split())
