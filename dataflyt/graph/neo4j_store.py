"""The Neo4j store: the same graph as the embedded store, kept on a Neo4j server (5.21 or later,
for ``ANY SHORTEST`` paths; 5.26 LTS is what the project runs).

Every node has the common label ``:Node`` (unique ``id``) plus the label of its kind
(``:Service``, ``:Organisation``, ...); every edge is a relationship whose type is its
``EdgeKind`` value. Attributes are kept whole as JSON in ``attrs_json`` (what the store reads
back) and, where they are plain values or lists of strings, also as properties of their own for
people browsing the graph. Labels and relationship types in query text come only from the
``NodeKind``/``EdgeKind`` enums; every other value is a query parameter.

This is the only module that imports the ``neo4j`` driver; driver exceptions are translated
here into ``StoreError`` with one line saying what failed and how to fix it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

from neo4j import (
    Driver,
    GraphDatabase,
    ManagedTransaction,
    NotificationMinimumSeverity,
    Record,
    RoutingControl,
    Session,
)
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from dataflyt.config import Neo4jSettings
from dataflyt.errors import StoreError
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    MapSummary,
    Node,
    NodeKind,
    merge_nodes,
)
from dataflyt.graph.neo4j_rows import edge_row, node_row

__all__ = ["Neo4jStore"]

# rows per UNWIND statement: large enough to need few round trips, small enough to keep a
# statement's parameters well under the server's message limits
_CHUNK = 5000
_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")

_SCHEMA = [
    "CREATE CONSTRAINT dataflyt_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    # replacing a document finds its facts by `doc`, one relationship type at a time
    *[
        f"CREATE INDEX dataflyt_{kind.value.lower()}_doc IF NOT EXISTS "
        f"FOR ()-[r:{kind.value}]-() ON (r.doc)"
        for kind in EdgeKind
    ],
]

_NODE_COLUMNS = "n.id AS id, n.kind AS kind, n.name AS name, n.attrs_json AS attrs"
_EDGE_COLUMNS = (
    "startNode(r).id AS source, type(r) AS kind, endNode(r).id AS target, "
    "r.doc AS doc, r.line AS line, r.text AS text, r.attrs_json AS attrs"
)
# the arrow that walks edges forwards, backwards or either way
_PATTERN = {Direction.OUT: "-[:{}]->+", Direction.IN: "<-[:{}]-+", Direction.BOTH: "-[:{}]-+"}
_EDGE_MATCH = {Direction.OUT: "-[r]->", Direction.IN: "<-[r]-", Direction.BOTH: "-[r]-"}


class Neo4jStore:
    """A ``GraphStore`` on a Neo4j server; connects (and checks the credentials) when made."""

    def __init__(self, settings: Neo4jSettings) -> None:
        self.settings = settings
        self._schema_ready = False
        if not settings.password:
            raise StoreError(
                f"no Neo4j password for user {settings.user} at {settings.uri}: set "
                "NEO4J_PASSWORD in the environment or .env (scripts/neo4j-local start writes it)"
            )
        scheme = settings.uri.partition("://")[0]
        if scheme not in _SCHEMES:
            raise StoreError(
                f"NEO4J_URI {settings.uri!r} is not a Bolt address: use bolt://host:7687 "
                "or neo4j://host:7687"
            )
        with self._translated("connect"):
            # queries are fixed, so the server's hints would only be noise on a user's terminal
            self._driver: Driver = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                notifications_min_severity=NotificationMinimumSeverity.OFF,
            )
        try:
            # one round trip that fails fast, without retries, on a wrong address,
            # wrong credentials or a missing database
            with (
                self._translated("connect"),
                self._driver.session(database=settings.database) as session,
            ):
                session.run("RETURN 1").consume()
        except StoreError:
            self._driver.close()
            raise

    # -- GraphStore ----------------------------------------------------------------------
    def replace_documents(self, batch: GraphBatch) -> None:
        """Replace the batch's documents in one write transaction: all of it or nothing."""
        self._ensure_schema()
        with self._translated("replace documents"), self._session() as session:
            session.execute_write(_replace, batch)

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or None."""
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """Return the nodes with these ids that exist, keyed by id."""
        query = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN {_NODE_COLUMNS}"
        records = self._read(query, ids=sorted(set(node_ids)))
        return {node.id: node for node in map(_node, records)}

    def nodes(self, kind: NodeKind) -> list[Node]:
        """Return every node of ``kind``, sorted by id."""
        label = NodeKind(kind).value
        records = self._read(f"MATCH (n:Node:{label}) RETURN {_NODE_COLUMNS}")
        return sorted(map(_node, records), key=lambda n: n.id)

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
    ) -> list[Edge]:
        """Return the edges leaving/entering the given nodes, sorted by edge key."""
        wanted = sorted(EdgeKind(k).value for k in (EdgeKind if kinds is None else kinds))
        arrow = _EDGE_MATCH[Direction(direction)]
        query = (
            f"UNWIND $ids AS id MATCH (:Node {{id: id}}){arrow}(:Node) "
            f"WHERE type(r) IN $kinds WITH DISTINCT r RETURN {_EDGE_COLUMNS}"
        )
        records = self._read(query, ids=sorted(set(node_ids)), kinds=wanted)
        found = {edge.key: edge for edge in map(_edge, records)}
        return [found[key] for key in sorted(found)]

    def reachable(self, start: str, kind: EdgeKind, direction: Direction) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along ``kind`` edges,
        sorted by id; computed on the server as shortest paths."""
        pattern = _PATTERN[Direction(direction)].format(EdgeKind(kind).value)
        query = (
            f"MATCH (s:Node {{id: $start}}) MATCH p = ANY SHORTEST (s){pattern}(n:Node) "
            "WHERE n <> s RETURN n.id AS id, length(p) AS hops"
        )
        records = self._read(query, start=start)
        return dict(sorted((record["id"], record["hops"]) for record in records))

    def summary(self) -> MapSummary:
        """Return the server address and database, node counts per kind, the relationship
        count, the documents and the server's version and edition."""
        counts = {kind.value: 0 for kind in NodeKind}
        for record in self._read("MATCH (n:Node) RETURN n.kind AS kind, count(*) AS count"):
            counts[record["kind"]] = record["count"]
        edges = self._read("MATCH (:Node)-[r]->() RETURN count(r) AS count")[0]["count"]
        component = self._read(
            "CALL dbms.components() YIELD name, versions, edition "
            "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition"
        )[0]
        return MapSummary(
            location=f"{self.settings.uri} database {self.settings.database}",
            backend="neo4j",
            counts=counts,
            edges=edges,
            documents=self.nodes(NodeKind.DOCUMENT),
            server={
                "version": component["version"],
                "edition": component["edition"],
                "answers": True,
            },
        )

    def clear(self) -> None:
        """Delete every node and edge this store wrote (everything labelled ``:Node``)."""
        with self._translated("clear the map"), self._session() as session:
            session.run(
                "MATCH (n:Node) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()

    def close(self) -> None:
        """Close the driver and its connections; the store is unusable afterwards."""
        self._driver.close()

    # -- plumbing ------------------------------------------------------------------------
    def _session(self) -> Session:
        # sharing execute_query's bookmarks makes every read see the writes before it, on
        # clusters too
        return self._driver.session(
            database=self.settings.database,
            bookmark_manager=self._driver.execute_query_bookmark_manager,
        )

    def _read(self, query: str, **params: Any) -> list[Record]:
        with self._translated("read the map"):
            records, _, _ = self._driver.execute_query(
                query,
                params,
                database_=self.settings.database,
                routing_=RoutingControl.READ,
            )
        return records

    def _ensure_schema(self) -> None:
        """Create the constraint and indexes once per store; each in its own transaction."""
        if self._schema_ready:
            return
        with self._translated("create the schema"):
            for statement in _SCHEMA:
                self._driver.execute_query(statement, database_=self.settings.database)
        self._schema_ready = True

    @contextmanager
    def _translated(self, action: str) -> Iterator[None]:
        """Turn driver exceptions raised inside into one-line ``StoreError``s."""
        s = self.settings
        try:
            yield
        except ServiceUnavailable:
            raise StoreError(
                f"cannot reach Neo4j at {s.uri}: is it running? start it with "
                "scripts/neo4j-local start or docker compose up -d"
            ) from None
        except AuthError:
            raise StoreError(
                f"Neo4j refused the credentials for user {s.user} at {s.uri}: check "
                "NEO4J_USER / NEO4J_PASSWORD in the environment or .env"
            ) from None
        except Neo4jError as exc:
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                message = (
                    f"Neo4j database {s.database} does not exist at {s.uri}: check NEO4J_DATABASE"
                )
            else:
                reason = _first_line(exc.message or str(exc))
                message = f"Neo4j at {s.uri} failed to {action}: {exc.code}: {reason}"
            raise StoreError(self._hidden(message)) from None
        except DriverError as exc:
            reason = _first_line(str(exc))
            message = (
                f"the Neo4j driver failed to {action} at {s.uri}: {type(exc).__name__}: {reason}"
            )
            raise StoreError(self._hidden(message)) from None

    def _hidden(self, message: str) -> str:
        return message.replace(self.settings.password, "***")


# -- the write transaction ---------------------------------------------------------------
def _replace(tx: ManagedTransaction, batch: GraphBatch) -> None:
    """Drop the batch documents' facts, merge its nodes, add its edges, drop orphans."""
    touched = _drop_documents(tx, batch.document_ids)
    touched |= _merge_nodes(tx, [*batch.documents, *batch.nodes])
    _add_edges(tx, batch.edges, set(batch.document_ids))
    query = (
        "UNWIND $ids AS id MATCH (n:Node {id: id}) "
        "WHERE NOT n:Document AND NOT EXISTS { (n)--() } DELETE n"
    )
    _run(tx, query, ids=sorted(touched))


def _drop_documents(tx: ManagedTransaction, docs: list[str]) -> set[str]:
    """Delete the documents' edges and nodes; return the ids of the nodes they touched."""
    touched: set[str] = set()
    for kind in EdgeKind:
        query = (
            f"MATCH (s:Node)-[r:{kind.value}]->(t:Node) WHERE r.doc IN $docs "
            "DELETE r RETURN s.id AS source, t.id AS target"
        )
        touched |= {i for record in _run(tx, query, docs=docs) for i in record.values()}
    # a document's node goes too, with any edge of another document to it
    query = (
        "UNWIND $docs AS id MATCH (d:Node {id: id}) "
        "WITH d, COLLECT { MATCH (d)--(o) RETURN o.id } AS others DETACH DELETE d "
        "RETURN others"
    )
    return touched | {i for record in _run(tx, query, docs=docs) for i in record["others"]}


def _merge_nodes(tx: ManagedTransaction, incoming: list[Node]) -> set[str]:
    """Write ``incoming`` over the stored nodes (a stored node keeps its name and kind, and
    incoming attributes win), in order; return the ids written."""
    query = f"UNWIND $ids AS id MATCH (n:Node {{id: id}}) RETURN {_NODE_COLUMNS}"
    merged = {n.id: n for n in map(_node, _run(tx, query, ids=[n.id for n in incoming]))}
    for node in incoming:
        before = merged.get(node.id)
        merged[node.id] = merge_nodes(before, node)
    for label in NodeKind:
        rows = [node_row(node) for node in merged.values() if node.kind is label]
        query = f"UNWIND $rows AS row MERGE (n:Node {{id: row.id}}) SET n = row, n:{label.value}"
        _write_chunks(tx, query, rows)
    return set(merged)


def _add_edges(tx: ManagedTransaction, edges: list[Edge], replaced: set[str]) -> None:
    """Write ``edges``: one relationship per (source, kind, target, doc), the last one wins.

    The replaced documents' facts are gone already, so their edges are created outright; an
    edge of any other document first removes the relationship with its key. (``MERGE`` would
    look every edge up, and in a fresh database, whose statistics say it holds no
    relationships, the planner does that lookup by scanning them all: quadratic in the batch.)
    """
    unique = {edge.key: edge for edge in edges}
    for kind in EdgeKind:
        same_kind = [edge for edge in unique.values() if edge.kind is kind]
        rows = [edge_row(edge) for edge in same_kind]
        query = (
            f"UNWIND $rows AS row MATCH (:Node {{id: row.source}})-[old:{kind.value}]->"
            "(:Node {id: row.target}) WHERE old.doc = row.props.doc DELETE old"
        )
        _write_chunks(tx, query, [row for row in rows if row["props"]["doc"] not in replaced])
        query = (
            "UNWIND $rows AS row MATCH (s:Node {id: row.source}) MATCH (t:Node {id: row.target}) "
            f"CREATE (s)-[r:{kind.value}]->(t) SET r = row.props RETURN count(r) AS written"
        )
        written = sum(record["written"] for record in _write_chunks(tx, query, rows))
        if written != len(rows):
            _raise_missing(tx, same_kind)


def _raise_missing(tx: ManagedTransaction, edges: list[Edge]) -> NoReturn:
    """Raise a ``StoreError`` naming the first edge whose source or target is no node."""
    ends = sorted({e.source for e in edges} | {e.target for e in edges})
    found = {
        r["id"] for r in _run(tx, "UNWIND $ids AS id MATCH (n:Node {id: id}) RETURN id", ids=ends)
    }
    edge = next(e for e in sorted(edges, key=lambda e: e.key) if {e.source, e.target} - found)
    missing = edge.source if edge.source not in found else edge.target
    raise StoreError(
        f"edge {edge.kind.value} {edge.source} -> {edge.target} (document {edge.doc}) names "
        f"node {missing}, which is neither in the batch nor in the map; nothing was written"
    )


def _run(tx: ManagedTransaction, query: str, **params: Any) -> list[Record]:
    return list(tx.run(query, params))


def _write_chunks(tx: ManagedTransaction, query: str, rows: list[dict[str, Any]]) -> list[Record]:
    """Run ``query`` once per chunk of ``rows`` (as ``$rows``); return every record."""
    chunks = (rows[i : i + _CHUNK] for i in range(0, len(rows), _CHUNK))
    return [record for chunk in chunks for record in _run(tx, query, rows=chunk)]


# -- rows and records ----------------------------------------------------------------------
def _node(record: Record) -> Node:
    return Node(
        id=record["id"],
        kind=NodeKind(record["kind"]),
        name=record["name"],
        attrs=json.loads(record["attrs"]),
    )


def _edge(record: Record) -> Edge:
    return Edge(
        source=record["source"],
        target=record["target"],
        kind=EdgeKind(record["kind"]),
        doc=record["doc"],
        line=record["line"],
        text=record["text"],
        attrs=json.loads(record["attrs"]),
    )


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no details"])[0]
