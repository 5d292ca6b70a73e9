"""Opening the store the settings choose; the Neo4j module is imported only when chosen."""

from __future__ import annotations

from dataflyt.config import Backend, StoreSettings
from dataflyt.graph.store import GraphStore

__all__ = ["open_store"]


def open_store(settings: StoreSettings, as_of: str | None = None) -> GraphStore:
    """Return an open store for ``settings``, answering as of ``as_of`` (YYYY-MM-DD; None for
    the latest version of each document): the embedded map file, or a Neo4j connection."""
    if settings.backend is Backend.NEO4J:
        from dataflyt.graph.neo4j_store import Neo4jStore

        return Neo4jStore(settings.neo4j, as_of=as_of)
    from dataflyt.graph.embedded_store import EmbeddedStore

    return EmbeddedStore(settings.map_path, as_of=as_of)
