"""The Neo4j store under test in the benchmark, and the load it is compared with: the same
nodes and relationships written one statement each."""

from __future__ import annotations

import gc
import time
from pathlib import Path
from typing import Any

__all__ = ["Neo4jHarness", "open_neo4j"]

ROOT = Path(__file__).resolve().parents[1]
# after emptying the database, before a timed load: the server finishes the work a large
# deletion leaves behind (its indexes, the deleted transaction's state), which would otherwise
# fall into the next timed load
SETTLE_SECONDS = 2.0


class Neo4jHarness:
    """A Neo4j store on the server the settings name (``.env``, the environment wins), and a
    driver of its own for the load one statement at a time. The benchmark empties it."""

    def __init__(self) -> None:
        import neo4j

        from dataflyt.config import store_settings
        from dataflyt.graph.neo4j_store import Neo4jStore

        self.settings = store_settings(cwd=ROOT).neo4j
        self.store = Neo4jStore(self.settings)
        server = self.store.summary().server
        self.server = f"Neo4j {server.version} {server.edition}" if server else "Neo4j"
        auth = (self.settings.user, self.settings.password)
        self.driver = neo4j.GraphDatabase.driver(self.settings.uri, auth=auth)

    def opened(self, as_of: str | None) -> Any:
        """Return another store on the same database, answering as of ``as_of``."""
        from dataflyt.graph.neo4j_store import Neo4jStore

        return Neo4jStore(self.settings, as_of=as_of)

    def written(self) -> tuple[dict[str, int], int]:
        """Return the node counts per kind and the count of facts the database holds now."""
        store = self.opened(None)
        summary = store.summary()
        store.close()
        return summary.counts, summary.edges

    def clear_and_settle(self) -> None:
        """Empty the map, let the server settle, then collect this process's garbage, so that
        a timed load pays only for what happens while it runs."""
        self.store.clear()
        time.sleep(SETTLE_SECONDS)
        gc.collect()

    def per_relationship(self, batch: Any) -> None:
        """Write ``batch`` into an empty database as the store writes it (the same labels,
        types and properties, from ``neo4j_properties``), but one statement per node and per
        relationship, in one transaction."""
        from dataflyt.graph.neo4j_properties import edge_properties, node_properties

        set_node = "MERGE (n:Node {{id: $id}}) SET n = $props, n:{}"
        add_edge = (
            "MATCH (a:Node {{id: $source}}) MATCH (b:Node {{id: $target}}) "
            "CREATE (a)-[r:{}]->(b) SET r = $props"
        )

        def write(tx: Any) -> None:
            for node in [*batch.documents, *batch.nodes]:
                props = node_properties(node)
                tx.run(set_node.format(node.kind.value), id=node.id, props=props).consume()
            for edge in batch.edges:
                tx.run(
                    add_edge.format(edge.kind.value),
                    source=edge.source,
                    target=edge.target,
                    props=edge_properties(edge),
                ).consume()

        with self.driver.session(database=self.settings.database) as session:
            session.execute_write(write)

    def close(self) -> None:
        """Close the store and the driver."""
        self.store.close()
        self.driver.close()


def open_neo4j(disabled: bool) -> tuple[Neo4jHarness | None, str]:
    """Return the harness, or None and why it is unavailable (never fatal: every other row is
    still measured)."""
    if disabled:
        return None, "skipped (--no-neo4j)"
    try:
        return Neo4jHarness(), ""
    except Exception as error:  # whatever fails is reported in the table
        first = str(error).splitlines()[0] if str(error) else ""
        return None, f"unavailable: {type(error).__name__}: {first}"[:200]
