"""Where the map lives and how to reach it: command-line values, then the environment, then a
``.env`` file in the current folder, then defaults. Secrets are read here and never printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from urllib.parse import urlsplit

from dataflyt.errors import SettingsError

__all__ = [
    "Backend",
    "Neo4jSettings",
    "StoreSettings",
    "controller_name",
    "read_dotenv",
    "store_settings",
    "vendor_groups_file",
]

DEFAULT_MAP = "dataflyt-map.json"


class Backend(StrEnum):
    """Which store holds the map."""

    EMBEDDED = "embedded"
    NEO4J = "neo4j"


@dataclass(frozen=True)
class Neo4jSettings:
    """Connection settings for the Neo4j store; ``password`` is never shown in ``repr``, nor
    is a password written into ``uri`` (``bolt://user:secret@host``)."""

    uri: str = field(repr=False)
    user: str
    database: str
    password: str = field(repr=False)

    @property
    def shown_uri(self) -> str:
        """Return ``uri`` as messages show it: a password in it replaced by ``***``."""
        return self.hidden(self.uri)

    def hidden(self, message: str) -> str:
        """Return ``message`` with the password, and a password written into the URI,
        replaced by ``***``."""
        try:
            in_uri = urlsplit(self.uri).password
        except ValueError:  # not a URL at all (the store says so); it cannot hold one either
            in_uri = None
        for secret in (self.password, in_uri):
            if secret:
                message = message.replace(secret, "***")
        return message


@dataclass(frozen=True)
class StoreSettings:
    """Everything needed to open a store."""

    backend: Backend
    map_path: Path
    neo4j: Neo4jSettings


def read_dotenv(path: Path) -> dict[str, str]:
    """Return the KEY=VALUE pairs of a ``.env`` file as docker compose and python-dotenv read
    it (a byte-order mark, ``export``, quotes, inline ``# comments``, ``${VAR}``), or {} when
    there is no such file; raise ``SettingsError`` naming the file when it is not UTF-8.

    python-dotenv is imported only when the file exists."""
    if not path.is_file():
        return {}
    from dotenv import dotenv_values

    try:
        values = dotenv_values(path, encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise SettingsError(
            f"{path}:{line}: byte 0x{error.object[error.start]:02x} is not UTF-8: save the "
            "file as UTF-8"
        ) from None
    except OSError as error:
        raise SettingsError(f"{path}: cannot read: {error.strerror or error}") from None
    return {key: value for key, value in values.items() if value is not None}


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


def _setting(name: str, cwd: Path | None) -> str | None:
    """Return the setting ``name`` from the environment, then ``.env``; None when unset."""
    folder = cwd or Path.cwd()
    value = os.environ.get(name) or read_dotenv(folder / ".env").get(name, "")
    return value.strip() or None


def controller_name(cwd: Path | None = None) -> str | None:
    """Return the user's own organisation as ``DATAFLYT_CONTROLLER`` names it (environment,
    then ``.env``), or None; a data map's ``controller`` block, with contacts, wins over it."""
    return _setting("DATAFLYT_CONTROLLER", cwd)


def vendor_groups_file(cwd: Path | None = None) -> Path | None:
    """Return the user's file of vendor groups, read over the built-in reference data, as
    ``DATAFLYT_VENDOR_GROUPS`` names it (environment, then ``.env``), or None."""
    value = _setting("DATAFLYT_VENDOR_GROUPS", cwd)
    return Path(value) if value else None
