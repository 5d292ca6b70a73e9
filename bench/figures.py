"""The benchmark's figures: a row per measurement with its target, and the timing helpers that
make them. Shared by ``run.py`` (which measures) and ``page.py`` (which writes the page)."""

from __future__ import annotations

import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Row", "Target", "result", "shown", "timed", "timings"]


@dataclass(frozen=True)
class Target:
    """A limit: the figure must be below it (``op`` "<") or at most it ("<=")."""

    op: str
    limit: float
    unit: str

    def met(self, value: float) -> bool:
        """Return whether ``value`` meets the target."""
        return value < self.limit if self.op == "<" else value <= self.limit

    def verdict(self, value: float) -> str:
        """Return "met", or by what factor ``value`` misses the limit."""
        return "met" if self.met(value) else f"MISSED by {value / self.limit:.1f}x"


@dataclass
class Row:
    """One figure: where it was measured (section, measure, store, map), its value (the median
    of ``runs``, p95 as well for queries) in ``unit``, None when not measured, and its target."""

    section: str
    measure: str
    store: str
    map: str
    value: float | None
    unit: str
    p95: float | None = None
    runs: int = 0
    target: str = ""
    verdict: str = ""
    note: str = ""


def result(
    where: tuple[str, str, str, str],
    value: float | None,
    unit: str,
    runs: int,
    target: Target | None = None,
    note: str = "",
    p95: float | None = None,
) -> Row:
    """Return the row of figure ``value`` for (section, measure, store, map) ``where``."""
    limit = f"{target.op} {shown(target.limit, target.unit)}" if target else ""
    verdict = "" if target is None else "not measured" if value is None else target.verdict(value)
    return Row(*where, value, unit, p95, runs, limit, verdict, note)


def timings(
    where: tuple[str, str, str, str],
    times: list[float],
    target: Target | None = None,
    note: str = "",
    in_ms: bool = False,
) -> Row:
    """Return the row of the median (and p95) of ``times``, in seconds or milliseconds; a
    target is in the row's unit."""
    scale, unit = (1000.0, "ms") if in_ms else (1.0, "s")
    ordered = sorted(times)
    tail = ordered[math.ceil(0.95 * len(ordered)) - 1] * scale
    return result(where, statistics.median(times) * scale, unit, len(times), target, note, tail)


def timed(
    fn: Callable[[], object], runs: int, budget: float, setup: Callable[[], object] | None = None
) -> list[float]:
    """Return the wall times of ``runs`` calls of ``fn``, fewer (but 3) once ``budget`` seconds
    are spent, a single one if it alone takes longer; ``setup`` runs untimed before each."""
    times: list[float] = []
    while len(times) < runs and (len(times) < 3 or sum(times) < budget):
        if times and times[0] > budget:
            break
        if setup is not None:
            setup()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def shown(value: float | None, unit: str) -> str:
    """Return ``value`` as the table shows it."""
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"
    return f"{value:.1f}x" if unit == "x" else f"{value:,.0f} {unit}"
