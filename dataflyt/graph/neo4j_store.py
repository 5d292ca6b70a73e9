"""The Neo4j store: the same graph as the embedded store, kept on a Neo4j server (5.26 LTS or
later, for labels and relationship types given as parameters).

Every node has the common label ``:Node`` (unique ``id``) plus the label of its kind
(``:Service``, ``:Organisation``, ...); every edge is a relationship whose type is its
``EdgeKind`` value. Attributes are kept whole as JSON in ``attrs_json`` (what the store reads
back) and, where they are plain values or lists of strings, also as properties of their own for
people browsing the graph. Labels and relationship types in query text come only from the
``NodeKind``/``EdgeKind`` enums; every other value is a query parameter.

This is the only module that imports the ``neo4j`` driver; driver exceptions are translated
here into ``StoreError`` with one line saying what failed and how to fix it. The write
transaction is ``dataflyt.graph.neo4j_write``; the properties of rows, ``neo4j_rows``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from functools import partial
from operator import itemgetter
from typing import Any, TypeVar

from neo4j import (
    Driver,
    GraphDatabase,
    NotificationMinimumSeverity,
    Record,
    RoutingControl,
    Session,
)
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from dataflyt.collector import collector_paused
from dataflyt.config import Neo4jSettings
from dataflyt.errors import StoreError
from dataflyt.graph.model import (
    Direction,
    Edge,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    Node,
    NodeKind,
    ServiceOutline,
)
from dataflyt.graph.neo4j_rows import (
    COPIED,
    LEAVING_READ,
    NODE_COLUMNS,
    NODES_BY_ID,
    OUTLINES_BY_ID,
    LeavingCopies,
    OutlineReader,
    edge_columns,
    edges_from_near_rows,
    edges_from_rows,
    near_values,
    node_from_row,
)
from dataflyt.graph.neo4j_write import replace
from dataflyt.graph.summary import MapSummary, document_infos

__all__ = ["Neo4jStore"]

# The driver logs warnings (a lost connection, a transaction it retries) without a handler of
# its own, so Python printed them on the user's terminal, around our one-line error; an
# application that configures logging still receives them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

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

# A relationship is one of the map's facts when it names its document; one made by hand (in
# Neo4j Browser, say) without one is none, and every read passes it by. Reads of typed
# relationships drop such rows as they decode them (``neo4j_rows``), not in Cypher: given
# ``r.doc IS NOT NULL`` on a typed pattern, the planner scanned that type's whole ``doc`` index
# once per node (3.4 million rows for 340 services, 1.5 s). Untyped patterns and the
# breadth-first walk filter on the server.
_FACT = "r.doc IS NOT NULL"
# any number of hops forwards, backwards or either way
_PATTERN = {Direction.OUT: "-[:{}*]->", Direction.IN: "<-[:{}*]-", Direction.BOTH: "-[:{}*]-"}
# the edges of a node n to its neighbours t, and their source's and target's ids (naming the
# ends outright halves the server's work against startNode(r) and endNode(r))
_EDGE_MATCH = {
    Direction.OUT: ("-[r{}]->", "n.id", "t.id"),
    Direction.IN: ("<-[r{}]-", "t.id", "n.id"),
    Direction.BOTH: ("-[r{}]-", "startNode(r).id", "endNode(r).id"),
}
# reads of this many ids or more go in parts, this many at once (``Neo4jStore._by_id``)
_PARTS_FROM = 500
_PARTS = 4
_Made = TypeVar("_Made")


def _types(kinds: Iterable[EdgeKind]) -> str:
    """Return the relationship types of a pattern, such as ``:ENGAGES|PROVIDES`` (``:``
    alone for none). They go into the pattern so that the server follows only those
    relationships of a node with thousands of others; they come from the enum, never from a
    caller."""
    return ":" + "|".join(sorted({EdgeKind(k).value for k in kinds}))


def _near(types: str, direction: Direction, values: str) -> str:
    """Return the Cypher list of ``values`` of each relationship ``r`` of node ``n`` with
    these ``_types`` in ``direction``, to node ``t``; an empty list for no type."""
    arrow = _EDGE_MATCH[direction][0]
    return f"[(n){arrow.format(types)}(t) | {values}]" if types != ":" else "[]"


class Neo4jStore:
    """A ``GraphStore`` on a Neo4j server; connects (and checks the credentials) when made."""

    def __init__(self, settings: Neo4jSettings) -> None:
        self.settings = settings
        self._schema_ready = False
        self._pool: ThreadPoolExecutor | None = None
        if not settings.password:
            raise StoreError(
                f"no Neo4j password for user {settings.user} at {settings.shown_uri}: set "
                "NEO4J_PASSWORD in the environment or .env (scripts/neo4j-local start writes it)"
            )
        scheme = settings.uri.partition("://")[0]
        if scheme not in _SCHEMES:
            raise StoreError(
                f"NEO4J_URI {settings.shown_uri!r} is not a Bolt address: use bolt://host:7687 "
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
        """Replace the batch's documents in one write transaction: all of it or nothing.

        Python's cyclic collector is paused meanwhile: the batch, and the rows made of it
        (the driver keeps each statement's parameters), live until the transaction ends, so
        its collections would scan them, and everything else the process holds, to free
        nothing."""
        self._ensure_schema()
        with (
            self._translated("replace documents"),
            self._session() as session,
            collector_paused(),
        ):
            session.execute_write(replace, batch)

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or None."""
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, Node]:
        """Return the nodes with these ids that exist, keyed by id."""
        rows = self._rows(NODES_BY_ID, ids=list(set(node_ids)))
        return {row[0]: node_from_row(row) for row in rows}

    def nodes(self, kind: NodeKind) -> list[Node]:
        """Return every node of ``kind``, sorted by id."""
        rows = self._rows(f"MATCH (n:Node:{NodeKind(kind).value}) RETURN {NODE_COLUMNS}")
        return [node_from_row(row) for row in sorted(rows, key=itemgetter(0))]

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
        *,
        cited: bool = True,
    ) -> list[Edge]:
        """Return the edges leaving/entering the given nodes, sorted by edge key; with
        ``cited=False`` without line and text (reading long strings is much of a read's
        time on the server)."""
        types = "" if kinds is None else _types(kinds)
        if types == ":":
            return []
        arrow, source, target = _EDGE_MATCH[Direction(direction)]
        query = (
            f"MATCH (n:Node){arrow.format(types)}(t) WHERE n.id IN $ids "
            f"RETURN {edge_columns(source, target, cited)}"
        )
        rows = self._rows(query, ids=list(set(node_ids)))
        return edges_from_rows(rows, both_ways=direction is Direction.BOTH)

    def around(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
        *,
        cited: bool = True,
    ) -> dict[str, Neighbourhood]:
        """Return every node with one of these ids, keyed and sorted by id, with its edges of
        the ``leaving`` kinds that leave it and of the ``entering`` kinds that enter it, each
        list sorted by key: one query, which sends the ids once and reads each node once (its
        edges by pattern comprehensions; uncited leaving edges of ``COPIED`` kinds from the node's
        copy of them)."""
        values = near_values("t.id", cited)
        leaving_kinds = {EdgeKind(kind) for kind in leaving}
        leaving_types, entering_types = _types(leaving_kinds), _types(entering)
        leaving_edges: Callable[[list[Any], str], list[Edge]]
        if cited or not leaving_kinds or not leaving_kinds <= COPIED:
            out = _near(leaving_types, Direction.OUT, values)
            leaving_edges = partial(edges_from_near_rows, leaving=True)
        else:  # the copy holds every copied type: the kinds asked for are picked out of it
            out = LEAVING_READ
            leaving_edges = LeavingCopies(kind.value for kind in leaving_kinds).edges
        into = _near(entering_types, Direction.IN, values)
        query = (
            "MATCH (n:Node) WHERE n.id IN $ids "
            f"RETURN collect([n.id, n.kind, n.name, n.attrs_json, {out}, {into}]) AS rows"
        )

        def neighbourhood(row: list[Any]) -> Neighbourhood:
            node_id = row[0]
            return Neighbourhood(
                node_from_row(row[:4]),
                leaving_edges(row[4], node_id),
                edges_from_near_rows(row[5], node_id, False),
            )

        return self._by_id(query, list(set(node_ids)), neighbourhood)

    def outlines(self, service_ids: Iterable[str]) -> dict[str, ServiceOutline]:
        """Return the outline of every node with one of these ids, keyed and sorted by id:
        one query, which reads each node's copy of its leaving relationships and the
        PROVIDES relationships entering it."""
        return self._by_id(OUTLINES_BY_ID, list(set(service_ids)), OutlineReader().outline)

    def reachable(self, start: str, kind: EdgeKind, direction: Direction) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along ``kind`` edges,
        sorted by id; computed on the server by a breadth-first search."""
        pattern = _PATTERN[Direction(direction)].format(EdgeKind(kind).value)
        # Asking only for the shortest length to each node lets the planner walk the graph
        # breadth first, each node once (``VarLengthExpand(Pruning,BFS)``), rather than
        # enumerate paths: two milliseconds for a vendor 4 levels deep under 190 parties,
        # where an ``ANY SHORTEST`` path per node took five times as long. The walk keeps to
        # facts with ``all(...)``, which the planner still checks as it expands; a quantified
        # path pattern with the same predicate took seconds.
        query = (
            f"MATCH (s:Node {{id: $start}}) MATCH p = (s){pattern}(n) "
            f"WHERE all(r IN relationships(p) WHERE {_FACT}) "
            "WITH n, min(length(p)) AS hops RETURN collect([n.id, hops]) AS rows"
        )
        hops = {node: count for node, count in self._rows(query, start=start) if node != start}
        return dict(sorted(hops.items()))

    def summary(self) -> MapSummary:
        """Return the server address and database, node counts per kind, the relationship
        count, the documents and the server's version and edition."""
        counts = {kind.value: 0 for kind in NodeKind}
        for record in self._read("MATCH (n:Node) RETURN n.kind AS kind, count(*) AS count"):
            counts[record["kind"]] = record["count"]
        facts = self._read(f"MATCH (:Node)-[r]->() WHERE {_FACT} RETURN count(r) AS count")
        edges = facts[0]["count"]
        component = self._read(
            "CALL dbms.components() YIELD name, versions, edition "
            "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition"
        )[0]
        return MapSummary(
            location=f"{self.settings.shown_uri} database {self.settings.database}",
            backend="neo4j",
            counts=counts,
            edges=edges,
            documents=document_infos(self.nodes(NodeKind.DOCUMENT)),
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
        if self._pool is not None:
            self._pool.shutdown()
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

    def _rows(self, query: str, **params: Any) -> list[list[Any]]:
        """Return the ``rows`` list of the one record ``query`` returns."""
        rows: list[list[Any]] = self._read(query, **params)[0]["rows"]
        return rows

    def _by_id(
        self, query: str, ids: list[str], make: Callable[[list[Any]], _Made]
    ) -> dict[str, _Made]:
        """Return ``make(row)`` for each row of ``query``'s ``rows`` for ``ids``, keyed and
        sorted by the row's first column.

        Many ids are read in ``_PARTS`` parts at once, each in its own read transaction: the
        server works on several parts at a time, and this process makes the answer of one
        part while the server works on the next. That took the services of a large breach
        (1,358 services, 14,000 relationships) from 77-93 ms to 43-58 ms in trials. It gives
        up no consistency Neo4j offers: its reads are read-committed, so that a single query
        may also see a write that commits while it runs."""

        def part(chunk: list[str]) -> list[tuple[str, _Made]]:
            return [(row[0], make(row)) for row in self._rows(query, ids=chunk)]

        if len(ids) < _PARTS_FROM:
            made = part(ids)
        else:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(_PARTS, thread_name_prefix="dataflyt-neo4j")
            parts = [self._pool.submit(part, ids[i::_PARTS]) for i in range(_PARTS)]
            made = [pair for future in parts for pair in future.result()]
        return dict(sorted(made, key=itemgetter(0)))

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
                f"cannot reach Neo4j at {s.shown_uri}: is it running? start it with "
                "scripts/neo4j-local start or docker compose up -d"
            ) from None
        except AuthError:
            raise StoreError(
                f"Neo4j refused the credentials for user {s.user} at {s.shown_uri}: check "
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
        return self.settings.hidden(message)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no details"])[0]
