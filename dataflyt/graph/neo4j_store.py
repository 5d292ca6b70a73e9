"""The Neo4j store: the same graph as the embedded store, kept on a Neo4j server (5.26 LTS or
later, for labels and relationship types given as parameters).

How nodes and edges are stored is ``neo4j_properties``; the write transaction
``neo4j_write``; the lock that serialises loads ``neo4j_lock``; the driver and its errors
``neo4j_connection``. These modules are the only ones that import the ``neo4j`` driver, and
only when the Neo4j store is chosen.

Every read answers as of the store's date: the ids of the document versions in force then
are read once when the store is opened (and again when it writes, or is taken for a load),
and each read passes them as the parameter ``$docs``, keeping to the relationships whose
``doc`` is one of them. A node is in the map as of that date when such a relationship names
it (a document version: when it is in force). Relationships some other tool made (without a
``doc``, or of a type that is no ``EdgeKind``) are none of the map's facts and every read
passes them by. Labels and relationship types in query text come only from the model's enums;
every other value is a parameter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from operator import attrgetter
from typing import Any

from dataflyt.config import Neo4jSettings
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Direction,
    Document,
    EdgeKind,
    GraphBatch,
    Neighbourhood,
    NodeKind,
)
from dataflyt.graph.neo4j_connection import Connection
from dataflyt.graph.neo4j_lock import LOCK_SCHEMA, one_load_at_a_time
from dataflyt.graph.neo4j_properties import (
    EDGE_TYPES,
    FACTS_OF_VERSIONS,
    NODE_KIND,
    NODE_MAP,
    documents_from_maps,
    edge_map,
    edges_from_maps,
    nodes_from_maps,
)
from dataflyt.graph.neo4j_write import replace
from dataflyt.graph.store import read_only
from dataflyt.graph.summary import MapSummary, ServerInfo
from dataflyt.graph.versions import versions_in_force

__all__ = ["Neo4jStore"]

_SCHEMA = [
    "CREATE CONSTRAINT dataflyt_node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE",
    # a version's facts are found by `doc`, one relationship type at a time
    *[
        f"CREATE INDEX dataflyt_{kind.value.lower()}_doc IF NOT EXISTS "
        f"FOR ()-[r:{kind.value}]-() ON (r.doc)"
        for kind in EdgeKind
    ],
    LOCK_SCHEMA,
]

# A fact in force: relationship ``r`` of a version in force. Written so that no index can
# answer it (``coalesce``), the planner checks it on the relationships of the node it expands:
# given ``r.doc IN $docs``, it may instead enumerate a type's relationships from the index on
# ``doc`` and join them to the node, scanning the whole index once per node.
_IN_FORCE = "coalesce(r.doc, '') IN $docs"
# node ``n`` is in the map as of the store's date
_IN_VIEW = f"(n.id IN $docs OR EXISTS {{ (n)-[r:{EDGE_TYPES}]-() WHERE {_IN_FORCE} }})"
# one hop forwards, backwards or either way, along relationship ``r``
_STEPS = {Direction.OUT: "-[r{}]->", Direction.IN: "<-[r{}]-", Direction.BOTH: "-[r{}]-"}
# the source and target of relationship ``r`` from node ``n`` to ``t`` (OUT) or back (IN)
_ENDS = {Direction.OUT: ("n", "t"), Direction.IN: ("t", "n")}
# any number of hops forwards, backwards or either way
_WALKS = {Direction.OUT: "-[{}*]->", Direction.IN: "<-[{}*]-", Direction.BOTH: "-[{}*]-"}


def _types(kinds: Iterable[EdgeKind]) -> str:
    """Return the relationship types of a pattern, such as ``:ENGAGES|PROVIDES`` ("" for
    none). They go into the pattern so that the server follows only those relationships of
    a node with thousands of others; they come from the enum, never from a caller."""
    chosen = sorted({EdgeKind(kind).value for kind in kinds})
    return ":" + "|".join(chosen) if chosen else ""


def _near(kinds: Iterable[EdgeKind], direction: Direction) -> str:
    """Return the Cypher list of the ``edge_map`` maps of node ``n``'s facts in force of
    ``kinds`` leaving it (``Direction.OUT``) or entering it (``IN``), both for ``BOTH`` (an
    empty list for no kind)."""
    types = _types(kinds)
    if not types:
        return "[]"
    found = []
    for way in (Direction.OUT, Direction.IN):
        if direction in (way, Direction.BOTH):
            step, edge = _STEPS[way].format(types), edge_map(*_ENDS[way])
            found.append(f"[(n){step}(t:Node) WHERE {_IN_FORCE} | {edge}]")
    return " + ".join(found)


def _by_key(edges: list[AnyEdge]) -> list[AnyEdge]:
    return sorted(edges, key=attrgetter("key"))


class Neo4jStore:
    """A ``GraphStore`` on a Neo4j server; connects (and checks the credentials) when made."""

    def __init__(self, settings: Neo4jSettings, *, as_of: str | None = None) -> None:
        """Connect to the database of ``settings`` and read it as of ``as_of`` (None: the
        latest versions)."""
        self.settings = settings
        self._as_of = as_of
        self._schema_ready = False
        self._connection = Connection(settings)
        try:
            self._docs = self._versions_in_force()
        except BaseException:
            self._connection.close()
            raise

    @property
    def as_of(self) -> str | None:
        """Return the date the store answers for; None for the latest versions."""
        return self._as_of

    # -- writing -------------------------------------------------------------------------
    @contextmanager
    def writing(self, waiting: Callable[[], None]) -> Iterator[None]:
        """Hold the database's load lock (``neo4j_lock``) while the ``with`` block runs,
        reading the versions in force again once it is held; ``waiting`` is called once if
        another load holds it first. Yields nothing."""
        if self._as_of is not None:
            raise read_only(self._as_of)
        self._ensure_schema()
        with one_load_at_a_time(self._connection, waiting):
            self._docs = self._versions_in_force()
            yield

    def replace_documents(self, batch: GraphBatch) -> None:
        """Give the batch's versions their facts in one write transaction: all of it or
        nothing (``neo4j_write``)."""
        if self._as_of is not None:
            raise read_only(self._as_of)
        self._ensure_schema()
        with (
            self._connection.translated("replace documents"),
            self._connection.session() as session,
            session.begin_transaction() as tx,
        ):
            replace(tx, batch)
            tx.commit()
        self._docs = self._versions_in_force()

    # -- reading -------------------------------------------------------------------------
    def node(self, node_id: str) -> AnyNode | None:
        """Return the node with this id, or None."""
        return self.get_nodes([node_id]).get(node_id)

    def get_nodes(self, node_ids: Iterable[str]) -> dict[str, AnyNode]:
        """Return the nodes with these ids that exist, keyed by id."""
        found = nodes_from_maps(self._per_node(NODE_MAP, node_ids, in_view=True))
        return {node.id: node for node in found}

    def nodes(self, kind: NodeKind) -> list[AnyNode]:
        """Return every node of ``kind`` that a fact in force names, sorted by id."""
        label = NodeKind(kind).value
        query = f"MATCH (n:Node:{label}) WHERE {_IN_VIEW} RETURN collect({NODE_MAP})"
        return sorted(nodes_from_maps(self._value(query)), key=attrgetter("id"))

    def edges(
        self,
        node_ids: Iterable[str],
        direction: Direction,
        kinds: Iterable[EdgeKind] | None = None,
    ) -> list[AnyEdge]:
        """Return the facts in force leaving/entering the given nodes, sorted by key."""
        near = _near(EdgeKind if kinds is None else kinds, Direction(direction))
        if near == "[]":
            return []
        found = edges_from_maps([edge for row in self._per_node(near, node_ids) for edge in row])
        if direction is Direction.BOTH:  # an edge between two of the nodes came twice
            found = list({edge.key: edge for edge in found}.values())
        return _by_key(found)

    def count_neighbours(
        self, node_ids: Iterable[str], direction: Direction, kinds: Iterable[EdgeKind]
    ) -> dict[str, int]:
        """Return how many distinct nodes facts in force of ``kinds`` link each node in the
        map to in ``direction``, sorted by id: counted on the server, which sends only the
        counts."""
        types = _types(kinds)
        step = _STEPS[Direction(direction)].format(types)
        match = f"MATCH (n){step}(t:Node) WHERE {_IN_FORCE} RETURN DISTINCT t"
        count = f"size(COLLECT {{ {match} }})" if types else "0"
        rows = self._per_node(f"[n.id, {count}]", node_ids, in_view=True)
        return dict(sorted(rows))

    def neighbourhoods(
        self,
        node_ids: Iterable[str],
        leaving: Iterable[EdgeKind],
        entering: Iterable[EdgeKind],
    ) -> dict[str, Neighbourhood]:
        """Return every node with one of these ids, keyed and sorted by id, with its facts of
        the ``leaving`` kinds that leave it and of the ``entering`` kinds that enter it: one
        query, which reads each node once."""
        out, into = _near(leaving, Direction.OUT), _near(entering, Direction.IN)
        rows = self._per_node(f"[{NODE_MAP}, {out}, {into}]", node_ids, in_view=True)
        nodes = nodes_from_maps([row[0] for row in rows])
        found = {
            node.id: Neighbourhood(
                node, _by_key(edges_from_maps(row[1])), _by_key(edges_from_maps(row[2]))
            )
            for node, row in zip(nodes, rows, strict=True)
        }
        return dict(sorted(found.items()))

    def reachable(
        self, start: str, kinds: Iterable[EdgeKind], direction: Direction
    ) -> dict[str, int]:
        """Return the hop count of every node reachable from ``start`` along facts in force of
        ``kinds``, sorted by id; computed on the server by a breadth-first search."""
        types = _types(kinds)
        if not types:
            return {}
        walk = _WALKS[Direction(direction)].format(types)
        # Asking only for the fewest hops to each node lets the planner walk breadth first,
        # each node once (``VarLengthExpand(Pruning,BFS)``), instead of listing paths; it
        # checks the predicate on ``relationships(p)`` as it expands.
        query = (
            f"MATCH (s:Node {{id: $start}}) MATCH p = (s){walk}(n:Node) "
            f"WHERE n <> s AND all(r IN relationships(p) WHERE {_IN_FORCE}) "
            "WITH n, min(length(p)) AS hops RETURN collect([n.id, hops])"
        )
        return dict(sorted(self._value(query, start=start)))

    def document_versions(self) -> list[Document]:
        """Return every document version the map holds, in force or not, sorted by id."""
        query = f"MATCH (n:Node:{NodeKind.DOCUMENT.value}) RETURN collect({NODE_MAP})"
        found = documents_from_maps(self._connection.value(query))
        return sorted(found, key=attrgetter("id"))

    def document_edges(self, doc_ids: Iterable[str]) -> list[AnyEdge]:
        """Return every fact of these document versions, in force or not, sorted by key."""
        query = f"{FACTS_OF_VERSIONS} RETURN collect({edge_map('s', 't')})"
        found = self._connection.value(query, docs=sorted(set(doc_ids)))
        return _by_key(edges_from_maps(found))

    def summary(self) -> MapSummary:
        """Return the server address and database, node counts per kind, the facts in force,
        the versions in force, how many versions the map keeps, and the server's version and
        edition."""
        counts = {kind.value: 0 for kind in NodeKind}
        kinds = self._connection.read(
            f"MATCH (n:Node) WHERE {_IN_VIEW} WITH {NODE_KIND} AS kind "
            "RETURN kind, count(*) AS count",
            docs=self._docs,
        )
        counts |= {record["kind"]: record["count"] for record in kinds if record["kind"]}
        edges = self._value(
            f"MATCH (:Node)-[r:{EDGE_TYPES}]->(:Node) WHERE {_IN_FORCE} RETURN count(r)"
        )
        server = self._connection.read(
            "CALL dbms.components() YIELD name, versions, edition "
            "WHERE name = 'Neo4j Kernel' RETURN versions[0] AS version, edition"
        )[0]
        documents = [n for n in self.nodes(NodeKind.DOCUMENT) if isinstance(n, Document)]
        return MapSummary(
            location=f"{self.settings.shown_uri} database {self.settings.database}",
            backend="neo4j",
            as_of=self._as_of,
            counts=counts,
            edges=edges,
            documents=documents,
            versions=len(self.document_versions()),
            server=ServerInfo(version=server["version"], edition=server["edition"]),
        )

    # -- beyond GraphStore ---------------------------------------------------------------
    def clear(self) -> None:
        """Delete every node and relationship this store wrote (everything labelled
        ``:Node``), for tests and the benchmark."""
        with self._connection.translated("clear the map"), self._connection.session() as s:
            s.run(
                "MATCH (n:Node) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
            ).consume()
        self._docs = self._versions_in_force()

    def close(self) -> None:
        """Close the driver and its connections; the store is unusable afterwards."""
        self._connection.close()

    # -- plumbing ------------------------------------------------------------------------
    def _value(self, query: str, **params: Any) -> Any:
        """Return the one value ``query`` returns, read as of the store's date."""
        return self._connection.value(query, docs=self._docs, **params)

    def _per_node(self, value: str, node_ids: Iterable[str], *, in_view: bool = False) -> list[Any]:
        """Return the Cypher ``value`` of each node ``n`` with one of these ids (that is in
        the map as of the store's date, with ``in_view``), in no order."""
        ids = sorted(set(node_ids))
        if not ids:
            return []
        view = f" AND {_IN_VIEW}" if in_view else ""
        query = f"MATCH (n:Node) WHERE n.id IN $ids{view} RETURN collect({value})"
        found: list[Any] = self._value(query, ids=ids)
        return found

    def _versions_in_force(self) -> list[str]:
        return sorted(versions_in_force(self.document_versions(), self._as_of))

    def _ensure_schema(self) -> None:
        """Create the constraints and indexes once per store; each in its own transaction."""
        if self._schema_ready:
            return
        with self._connection.translated("create the schema"):
            for statement in _SCHEMA:
                self._connection.driver.execute_query(statement, database_=self.settings.database)
        self._schema_ready = True
