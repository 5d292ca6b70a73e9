"""How long drawing takes: diagrams of a synthetic map (``dataflyt synth``, seed 1) to SVG.

    .venv/bin/python bench/diagrams.py [--services 500] [--runs 3]

Measured per scope, each the median of ``--runs`` runs: selecting the scope and building the
diagram from the map, writing the DOT text, and Graphviz laying it out as SVG. The scopes are
the whole map, a typical single service (the middle one by id), a typical breach (the
organisation with the median blast radius), the SMS gateway at the end of four-level chains,
the organisation with the largest blast radius, the organisation whose diagram is slowest (every
organisation is drawn once to find it), and, with ``--detail`` (every service on its own box),
the whole map and the largest blast radius again. The HTML DPIA report of the typical service
is timed last. Targets (issue 4): the whole 500-service map under 10 s, a single service or
organisation under 1 s; a ``--detail`` diagram of hundreds of services is as large as the whole
map and gets its target. The table is printed as Markdown, ready for the README.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple, TypeVar

from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.dot import to_dot
from dataflyt.diagrams.formats import DiagramFormat, ReportFormat
from dataflyt.diagrams.model import Diagram, ElementKind
from dataflyt.diagrams.render import draw, run_dot
from dataflyt.diagrams.report_render import report_text
from dataflyt.diagrams.scope import Scope, ScopeKind, Selection, select
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.queries.breach import breach
from dataflyt.synth import infrastructure, write_synthetic_map

WHOLE_MAP_TARGET = 10.0
SINGLE_TARGET = 1.0
T = TypeVar("T")


def median_time(fn: Callable[[], T], runs: int) -> tuple[float, T]:
    """Return the median wall time of ``runs`` calls of ``fn`` and its last result."""
    times, results = [], []
    for _ in range(runs):
        start = time.perf_counter()
        results.append(fn())
        times.append(time.perf_counter() - start)
    return statistics.median(times), results[-1]


class Case(NamedTuple):
    """One measured diagram: its scope and whether every service gets its own box."""

    scope: Scope
    detail: bool = False


def slowest(store: EmbeddedStore, names: list[str]) -> str:
    """Return the organisation among ``names`` whose diagram takes longest to draw as SVG,
    each drawn once."""
    times = []
    for name in names:
        scope = Scope(kind=ScopeKind.ORGANISATION, name=name)
        start = time.perf_counter()
        draw(store, scope, DiagramFormat.SVG)
        times.append((time.perf_counter() - start, name))
    return max(times)[1]


def scopes(store: EmbeddedStore) -> dict[str, Case]:
    """Return the cases measured, by the label shown in the table."""
    services = sorted(store.nodes(NodeKind.SERVICE), key=lambda n: n.id)
    middle = services[len(services) // 2].name
    radius = sorted(
        (len(breach(store, org.name).services), org.name)
        for org in store.nodes(NodeKind.ORGANISATION)
    )
    sms = next(i.name for i in infrastructure() if i.purpose == "SMS delivery")
    typical, largest = radius[len(radius) // 2][1], radius[-1][1]
    slow = slowest(store, [name for _, name in radius])

    def breach_at(name: str, detail: bool = False) -> Case:
        return Case(Scope(kind=ScopeKind.ORGANISATION, name=name), detail)

    return {
        "--all": Case(Scope(kind=ScopeKind.ALL)),
        f"--service {middle!r}": Case(Scope(kind=ScopeKind.SERVICE, name=middle)),
        f"--organisation {typical!r} (median)": breach_at(typical),
        f"--organisation {sms!r} (SMS gateway)": breach_at(sms),
        f"--organisation {largest!r} (largest)": breach_at(largest),
        f"--organisation {slow!r} (slowest of {len(radius)})": breach_at(slow),
        "--all --detail": Case(Scope(kind=ScopeKind.ALL), detail=True),
        f"--organisation {largest!r} --detail": breach_at(largest, detail=True),
    }


def row(label: str, store: EmbeddedStore, case: Case, runs: int) -> str:
    """Return the table row of drawing ``case`` to SVG."""

    def build() -> tuple[Selection, Diagram]:
        selection = select(store, case.scope)
        return selection, build_diagram(store, selection, case.detail)

    built, (selection, diagram) = median_time(build, runs)
    written, source = median_time(lambda: to_dot(diagram), runs)
    laid_out, _ = median_time(lambda: run_dot(source, DiagramFormat.SVG), runs)
    total = built + written + laid_out
    whole = case.scope.kind is ScopeKind.ALL or case.detail
    target = WHOLE_MAP_TARGET if whole else SINGLE_TARGET
    verdict = "met" if total < target else f"MISSED by {total / target:.1f}x"
    boxes = sum(1 for e in diagram.elements if e.kind is ElementKind.SERVICE)
    return (
        f"| {label} | {len(selection.views)} | {boxes} | {len(diagram.elements)} | "
        f"{len(diagram.flows)} | {built:.2f} | {written:.3f} | {laid_out:.2f} | "
        f"**{total:.2f}** | < {target:g} s | {verdict} |"
    )


def main() -> None:
    """Write the synthetic map, time every scope and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "synthetic.json"
        write_synthetic_map(path, args.services, seed=1)
        store = EmbeddedStore(path)
        print(f"Synthetic map of {args.services} services (seed 1), median of {args.runs} runs.\n")
        print(
            "| diagram (to SVG) | services | process boxes | elements | flows | build s | DOT s "
            "| layout s | total s | target | verdict |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        chosen = scopes(store)
        for label, case in chosen.items():
            print(row(label, store, case, args.runs), flush=True)
        service = next(c.scope for c in chosen.values() if c.scope.kind is ScopeKind.SERVICE)
        took, _ = median_time(lambda: report_text(store, service, ReportFormat.HTML), args.runs)
        print(f"\nHTML DPIA report of {service.name!r}: {took:.2f} s (median of {args.runs}).")


if __name__ == "__main__":
    main()
