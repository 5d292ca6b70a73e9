"""Pausing Python's cyclic garbage collector while many objects that outlive the work are made.

Reading a large map, or answering a query about thousands of services, makes some hundred
thousand objects that all stay alive until the work ends. The collector would scan them again
and again while they are made, for nothing: none of them is garbage yet. Pausing it there
takes a third to a half off those times; it runs again as soon as the work is done.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector for the ``with`` block (if it was running) and
    restart it afterwards, also when the block raises; yields nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
