"""Where the map lives and how to reach it: command-line values, then the environment, then a
``.env`` file in the current folder, then defaults. Secrets are read here and never printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from dataflyt.errors import SettingsError

__all__ = [
    "Backend",
    "Neo4jSettings",
    "StoreSettings",
    "controller_name",
    "read_dotenv",
    "store_settings",
]

DEFAULT_MAP = "dataflyt-map.json"


class Backend(StrEnum):
    """Which store holds the map."""

    EMBEDDED = "embedded"
    NEO4J = "neo4j"


@dataclass(frozen=True)
class Neo4jSettings:
    """Connection settings for the Neo4j store; ``password`` is never shown in ``repr``."""

    uri: str
    user: str
    database: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class StoreSettings:
    """Everything needed to open a store."""

    backend: Backend
    map_path: Path
    neo4j: Neo4jSettings


def read_dotenv(path: Path) -> dict[str, str]:
    """Return the KEY=VALUE pairs of a ``.env`` file (quotes stripped), or {} if it is absent."""
    values: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return values
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.removeprefix("export ").partition("=")
        values[key.strip()] = value.strip().strip("'\"")
    return values


def store_settings(
    backend: Backend | None = None, map_path: Path | None = None, cwd: Path | None = None
) -> StoreSettings:
    """Return the store settings: arguments win, then the environment, then ``.env``. A map
    file given as an argument for the Neo4j store, which would not read it, raises a
    ``SettingsError``."""
    folder = cwd or Path.cwd()
    env = {**read_dotenv(folder / ".env"), **os.environ}
    chosen = backend or _backend(env.get("DATAFLYT_BACKEND", Backend.EMBEDDED.value))
    if map_path is not None and chosen is Backend.NEO4J:
        if backend is not None:
            origin = "--backend neo4j"
        else:
            where = "the environment" if "DATAFLYT_BACKEND" in os.environ else ".env"
            origin = f"DATAFLYT_BACKEND=neo4j in {where}"
        raise SettingsError(
            f"--map {map_path} names an embedded map file, but the map is in Neo4j ({origin}): "
            "drop --map, or add --backend embedded"
        )
    path = map_path or Path(env.get("DATAFLYT_MAP", DEFAULT_MAP))
    neo4j = Neo4jSettings(
        uri=env.get("NEO4J_URI", "bolt://localhost:7687"),
        user=env.get("NEO4J_USER", "neo4j"),
        database=env.get("NEO4J_DATABASE", "neo4j"),
        password=env.get("NEO4J_PASSWORD", ""),
    )
    return StoreSettings(backend=chosen, map_path=path, neo4j=neo4j)


def _backend(value: str) -> Backend:
    try:
        return Backend(value.strip().lower())
    except ValueError:
        choices = ", ".join(b.value for b in Backend)
        raise SettingsError(f"DATAFLYT_BACKEND={value!r} is not one of: {choices}") from None


def controller_name(cwd: Path | None = None) -> str | None:
    """Return the user's own organisation as ``DATAFLYT_CONTROLLER`` names it (environment,
    then ``.env``), or None; a data map's ``controller`` block, with contacts, wins over it."""
    folder = cwd or Path.cwd()
    value = os.environ.get("DATAFLYT_CONTROLLER") or read_dotenv(folder / ".env").get(
        "DATAFLYT_CONTROLLER", ""
    )
    return value.strip() or None
