"""The registry of watched sources as a JSON file beside the map, and where a map's sources
and evidence live.

JSON rather than YAML: the file is rewritten whole on every change, so YAML's comments would
be lost anyway, and JSON has none of YAML's guessing (``no`` read as false, dates turned into
dates). It is indented, one source after another sorted by URL, so a person can read it and a
version-control diff shows what changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dataflyt.atomic import write_atomically
from dataflyt.config import Backend, StoreSettings
from dataflyt.errors import RegistryError
from dataflyt.sources.registry import SourceRegistry, WatchedSource

__all__ = [
    "NEO4J_SOURCES",
    "JsonFileRegistry",
    "SourcePlaces",
    "first_problem",
    "open_registry",
    "source_places",
]

REGISTRY_FORMAT = "dataflyt-sources"
REGISTRY_VERSION = 1
# with the Neo4j backend, the registry and evidence live in the current folder under this name
NEO4J_SOURCES = "dataflyt-neo4j"


@dataclass(frozen=True)
class SourcePlaces:
    """Where a map's watched sources are listed and their versions kept."""

    registry: Path
    evidence: Path


def source_places(settings: StoreSettings) -> SourcePlaces:
    """Return where the sources of the map ``settings`` open live: beside an embedded map
    ``M.json``, the registry ``M.sources.json`` and the folder ``M.evidence/``; with Neo4j,
    ``dataflyt-neo4j.sources.json`` and ``dataflyt-neo4j.evidence/`` in the current folder."""
    if settings.backend is Backend.NEO4J:
        base = Path(NEO4J_SOURCES)
    else:
        base = settings.map_path.with_suffix("")
    return SourcePlaces(
        registry=base.with_name(f"{base.name}.sources.json"),
        evidence=base.with_name(f"{base.name}.evidence"),
    )


def open_registry(settings: StoreSettings) -> SourceRegistry:
    """Return the registry of the map ``settings`` open: for now a JSON file with either
    backend (see ``source_places``)."""
    return JsonFileRegistry(source_places(settings).registry)


class _RegistryFile(BaseModel):
    format: str
    version: int
    sources: list[WatchedSource]


class JsonFileRegistry:
    """The registry as one JSON file, read on every call and written whole or not at all; a
    file that does not exist is an empty registry."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def location(self) -> str:
        """Return the file's path."""
        return str(self.path)

    def sources(self) -> list[WatchedSource]:
        """Return the watched sources, sorted by URL; raise ``RegistryError`` naming the file
        when it cannot be read or is no registry."""
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as error:
            raise RegistryError(f"{self.path}: cannot read: {error.strerror or error}") from None
        try:
            registry = _RegistryFile.model_validate_json(data)
        except ValidationError as error:
            raise RegistryError(
                f"{self.path}: not a registry of sources: {first_problem(error)}"
            ) from None
        if registry.format != REGISTRY_FORMAT or registry.version != REGISTRY_VERSION:
            raise RegistryError(
                f"{self.path}: not a registry of sources (format {registry.format!r} version "
                f"{registry.version}; expected {REGISTRY_FORMAT!r} version {REGISTRY_VERSION})"
            )
        return sorted(registry.sources, key=lambda source: source.url)

    def put(self, source: WatchedSource) -> None:
        """Add ``source`` or replace the one with its URL, rewriting the file."""
        others = [known for known in self.sources() if known.url != source.url]
        self._write([*others, source])

    def remove(self, url: str) -> bool:
        """Remove the source with ``url``, rewriting the file; False when there is none."""
        known = self.sources()
        kept = [source for source in known if source.url != url]
        if len(kept) == len(known):
            return False
        self._write(kept)
        return True

    def _write(self, sources: list[WatchedSource]) -> None:
        registry = _RegistryFile(
            format=REGISTRY_FORMAT,
            version=REGISTRY_VERSION,
            sources=sorted(sources, key=lambda source: source.url),
        )
        try:
            write_atomically(self.path, registry.model_dump_json(indent=2).encode() + b"\n")
        except OSError as error:
            raise RegistryError(f"{self.path}: cannot write: {error.strerror or error}") from None


def first_problem(error: ValidationError) -> str:
    """Return the first problem pydantic found, on one line, with where it is."""
    problem = error.errors(include_url=False, include_input=False)[0]
    where = ".".join(str(part) for part in problem["loc"])
    message = " ".join(str(problem["msg"]).split())
    return f"{where}: {message}" if where else message
