"""The Neo4j store's connection: opening the driver, running statements, and turning every
driver exception into one ``StoreError`` line that says what failed and how to fix it (never
showing the password). Part of the Neo4j store, the only family of modules that imports the
``neo4j`` driver.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from neo4j import Driver, GraphDatabase, NotificationMinimumSeverity, RoutingControl, Session
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable

from dataflyt.config import Neo4jSettings
from dataflyt.errors import StoreError, TransactionTooLargeError

__all__ = ["Connection"]

# The driver logs warnings (a lost connection, say) without a handler of its own, so Python
# would print them on the user's terminal around the one-line error; an application that
# configures logging still receives them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())

_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
# what the server answers when a transaction needs more memory than it may have (the first
# from Neo4j 5; the second from earlier servers)
_TOO_LARGE = {
    "Neo.TransientError.General.MemoryPoolOutOfMemoryError",
    "Neo.ClientError.General.TransactionOutOfMemoryError",
}


class Connection:
    """A driver for one database of one server, checked when made: the address, the
    credentials and the database answer."""

    def __init__(self, settings: Neo4jSettings) -> None:
        self.settings = settings
        if not settings.password:
            raise StoreError(
                f"no Neo4j password for user {settings.user} at {settings.shown_uri}: set "
                "NEO4J_PASSWORD in the environment or .env (scripts/neo4j-local start writes it)"
            )
        if settings.uri.partition("://")[0] not in _SCHEMES:
            raise StoreError(
                f"NEO4J_URI {settings.shown_uri!r} is not a Bolt address: use bolt://host:7687 "
                "or neo4j://host:7687"
            )
        with self.translated("connect"):
            # the statements are fixed, so the server's hints would only be noise
            self.driver: Driver = GraphDatabase.driver(
                settings.uri,
                auth=(settings.user, settings.password),
                notifications_min_severity=NotificationMinimumSeverity.OFF,
            )
        try:
            # one round trip that fails fast, without retries, on a wrong address, wrong
            # credentials or a missing database
            with self.translated("connect"), self.session() as session:
                session.run("RETURN 1").consume()
        except StoreError:
            self.driver.close()
            raise

    def session(self) -> Session:
        """Return a session on the database; sessions share the bookmarks of ``read``, so
        that every read sees the writes committed before it, on a cluster too."""
        return self.driver.session(
            database=self.settings.database,
            bookmark_manager=self.driver.execute_query_bookmark_manager,
        )

    def read(self, query: str, **params: Any) -> list[Any]:
        """Return the records of the read-only ``query``."""
        with self.translated("read the map"):
            records, _, _ = self.driver.execute_query(
                query, params, database_=self.settings.database, routing_=RoutingControl.READ
            )
        return records

    def value(self, query: str, **params: Any) -> Any:
        """Return the first column of the one record the read-only ``query`` returns."""
        return self.read(query, **params)[0][0]

    def close(self) -> None:
        """Close the driver and its connections."""
        self.driver.close()

    @contextmanager
    def translated(self, action: str) -> Iterator[None]:
        """Turn driver exceptions raised inside into one-line ``StoreError``s that say what
        failed while doing ``action`` ("read the map", ...)."""
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
            if exc.code in _TOO_LARGE:
                raise TransactionTooLargeError(
                    self._hidden(
                        f"Neo4j at {s.shown_uri} refused to {action}: the change needs more memory "
                        "than the server gives one transaction; nothing was written. Load the "
                        "documents a few at a time, or raise the server's limit "
                        "(dbms.memory.transaction.total.max, db.memory.transaction.max) or "
                        "its heap"
                    )
                ) from None
            if exc.code == "Neo.ClientError.Database.DatabaseNotFound":
                message = (
                    f"Neo4j database {s.database} does not exist at {s.shown_uri}: "
                    "check NEO4J_DATABASE"
                )
            else:
                reason = _first_line(exc.message or str(exc))
                message = f"Neo4j at {s.shown_uri} failed to {action}: {exc.code}: {reason}"
            raise StoreError(self._hidden(message)) from None
        except DriverError as exc:
            reason = _first_line(str(exc))
            message = (
                f"the Neo4j driver failed to {action} at {s.shown_uri}: "
                f"{type(exc).__name__}: {reason}"
            )
            raise StoreError(self._hidden(message)) from None

    def _hidden(self, message: str) -> str:
        return self.settings.hidden(message)


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or ["no details"])[0]
