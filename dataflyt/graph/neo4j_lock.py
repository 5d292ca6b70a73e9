"""One load at a time into a Neo4j database: the lock ``Neo4jStore.writing`` holds.

A load holds, in a transaction of its own that it never commits, a node of the dedicated
label ``:DataflytLoad`` under a uniqueness constraint. Another load that MERGEs the same node
waits on the constraint's index entry until the first one's transaction ends (rolled back
when the load is done, or by the server when its connection drops), so nothing persists and
a crashed load never leaves the map locked. Whether the lock is free is first tried with a
short transaction timeout, so that a load that has to wait can say so once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from neo4j.exceptions import DriverError, Neo4jError

from dataflyt.errors import StoreError
from dataflyt.graph.neo4j_connection import Connection
from dataflyt.graph.store import LOCK_TIMEOUT

__all__ = ["LOCK_SCHEMA", "one_load_at_a_time"]

# how long taking a free lock may take, in seconds, before the load says it waits
_AT_ONCE = 0.5
LOCK_SCHEMA = (
    "CREATE CONSTRAINT dataflyt_load IF NOT EXISTS FOR (n:DataflytLoad) REQUIRE n.map IS UNIQUE"
)
_TAKE = "MERGE (:DataflytLoad {map: 'map'})"
# what a transaction timing out while it waits for the lock ends with
_TIMED_OUT = {
    "Neo.ClientError.Transaction.LockClientStopped",
    "Neo.ClientError.Transaction.TransactionTimedOut",
    "Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration",
}


@contextmanager
def one_load_at_a_time(connection: Connection, waiting: Callable[[], None]) -> Iterator[None]:
    """Hold the lock of the database while the ``with`` block runs; ``waiting`` is called
    once if another load holds it first. Raise ``StoreError`` when another load holds it for
    ``LOCK_TIMEOUT`` seconds. Yields nothing."""
    if not _free_within(connection, _AT_ONCE):
        waiting()
        if not _free_within(connection, LOCK_TIMEOUT):
            raise StoreError(
                f"another load has held the map in Neo4j at {connection.settings.shown_uri} for "
                f"{LOCK_TIMEOUT} s; try again later"
            )
    session = connection.session()
    try:
        with connection.translated("take the map for this load"):
            # the lock: freed when the session closes, which rolls the transaction back
            session.begin_transaction().run(_TAKE).consume()
        yield
    finally:
        with suppress(DriverError, Neo4jError):  # a lost connection has freed it already
            session.close()


def _free_within(connection: Connection, seconds: float) -> bool:
    """Return whether the lock can be taken within ``seconds`` (it is not kept)."""
    with connection.translated("wait for another load"), connection.session() as session:
        trial = session.begin_transaction(timeout=seconds)
        try:
            trial.run(_TAKE).consume()
        except Neo4jError as error:
            if error.code in _TIMED_OUT:
                return False
            raise
        trial.rollback()
        return True
