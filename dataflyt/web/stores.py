"""The stores the explorer reads: the map as of the date it was started for, and the same map
as of another date a page asks for (``?as_of=YYYY-MM-DD``), each opened once, on first use.

A few such dates are kept open, the least recently used closed when another is needed; a
store still read by a request is closed only once that request is done with it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from dataflyt.graph.store import GraphStore

__all__ = ["KEPT_DATES", "DatedStores", "Opener"]

# the other dates kept open at once (each embedded one holds the whole map in memory)
KEPT_DATES = 4

# opens the map as of a date (YYYY-MM-DD)
Opener = Callable[[str], GraphStore]


class _Held:
    """A store opened for one date, how many requests read it now, and whether it is to be
    closed once none does."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.readers = 0
        self.retired = False


class DatedStores:
    """The store the explorer serves (``served``, as of its own date) and, through
    ``opener``, the map as of other dates; without an opener only the served date can be
    read."""

    def __init__(self, served: GraphStore, opener: Opener | None = None) -> None:
        self.served = served
        self._opener = opener
        self._lock = threading.Lock()
        self._held: OrderedDict[str, _Held] = OrderedDict()

    @property
    def dated(self) -> bool:
        """Return whether other dates than the served one can be read."""
        return self._opener is not None

    @contextmanager
    def reading(self, as_of: str | None) -> Iterator[GraphStore]:
        """Yield the store answering as of ``as_of`` (None: the served store's own date) for
        the length of the ``with`` block; raise ``ValueError`` for another date without an
        opener."""
        if as_of is None or as_of == self.served.as_of:
            yield self.served
            return
        if self._opener is None:
            raise ValueError("no opener for another date than the served one")
        with self._lock:
            held = self._held.get(as_of)
            if held is None:
                held = self._held[as_of] = _Held(self._opener(as_of))
                self._retire_beyond(KEPT_DATES)
            self._held.move_to_end(as_of)
            held.readers += 1
        try:
            yield held.store
        finally:
            with self._lock:
                held.readers -= 1
                if held.retired and held.readers == 0:
                    held.store.close()

    def _retire_beyond(self, kept: int) -> None:
        """Retire the least recently used dates beyond ``kept``; close those nobody reads."""
        while len(self._held) > kept:
            _, oldest = self._held.popitem(last=False)
            oldest.retired = True
            if oldest.readers == 0:
                oldest.store.close()

    def close(self) -> None:
        """Close every store opened for another date (the served one is its opener's to
        close)."""
        with self._lock:
            self._retire_beyond(0)
