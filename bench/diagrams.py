"""How long drawing takes: diagrams of a synthetic map (``dataflyt synth``, seed 1) to SVG.

    .venv/bin/python bench/diagrams.py [--services 500] [--runs 3]

Measured per scope, each the median of ``--runs`` runs: selecting the scope and building the
diagram from the map, writing the DOT text, and Graphviz laying it out as SVG. The scopes are
the whole map, a typical single service (the middle one by id), a typical breach (the
organisation with the median blast radius), the SMS gateway at the end of four-level chains,
the organisation with the largest blast radius, and the HTML DPIA report of the typical service.
Targets (issue 4): the whole 500-service map under 10 s, a single service or organisation
under 1 s. The table is printed as Markdown, ready for the README.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.dot import to_dot
from dataflyt.diagrams.formats import DiagramFormat, ReportFormat
from dataflyt.diagrams.model import Diagram
from dataflyt.diagrams.render import run_dot
from dataflyt.diagrams.report_render import report_text
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.graph.model import NodeKind
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.queries.breach import breach
from dataflyt.synth import infrastructure, write_synthetic_map

WHOLE_MAP_TARGET = 10.0
SINGLE_TARGET = 1.0


def median_time(fn: Callable[[], object], runs: int) -> tuple[float, object]:
    """Return the median wall time of ``runs`` calls of ``fn`` and its last result."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def scopes(store: NetworkxStore) -> dict[str, Scope]:
    """Return the scopes measured, by the label shown in the table."""
    services = sorted(store.nodes(NodeKind.SERVICE), key=lambda n: n.id)
    radius = sorted(
        (len(breach(store, org.name).services), org.name)
        for org in store.nodes(NodeKind.ORGANISATION)
    )
    sms = next(i.name for i in infrastructure() if i.purpose == "SMS delivery")
    typical, largest = radius[len(radius) // 2][1], radius[-1][1]
    return {
        "--all": Scope(kind=ScopeKind.ALL),
        f"--service {services[len(services) // 2].name!r}": Scope(
            kind=ScopeKind.SERVICE, name=services[len(services) // 2].name
        ),
        f"--organisation {typical!r} (median)": Scope(kind=ScopeKind.ORGANISATION, name=typical),
        f"--organisation {sms!r} (SMS gateway)": Scope(kind=ScopeKind.ORGANISATION, name=sms),
        f"--organisation {largest!r} (largest)": Scope(kind=ScopeKind.ORGANISATION, name=largest),
    }


def row(label: str, store: NetworkxStore, scope: Scope, runs: int) -> str:
    """Return the table row of drawing ``scope`` to SVG."""
    built, diagram = median_time(lambda: build_diagram(store, select(store, scope)), runs)
    assert isinstance(diagram, Diagram)
    written, source = median_time(lambda: to_dot(diagram), runs)
    laid_out, _ = median_time(lambda: run_dot(str(source), DiagramFormat.SVG), runs)
    total = built + written + laid_out
    target = WHOLE_MAP_TARGET if scope.kind is ScopeKind.ALL else SINGLE_TARGET
    verdict = "met" if total < target else f"MISSED by {total / target:.1f}x"
    services = sum(1 for e in diagram.elements if e.kind.value == "service")
    return (
        f"| {label} | {services} | {len(diagram.elements)} | {len(diagram.flows)} | "
        f"{built:.2f} | {written:.3f} | {laid_out:.2f} | **{total:.2f}** | < {target:g} s | "
        f"{verdict} |"
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
        store = NetworkxStore(path)
        print(f"Synthetic map of {args.services} services (seed 1), median of {args.runs} runs.\n")
        print(
            "| diagram (to SVG) | services | elements | flows | build s | DOT s | layout s "
            "| total s | target | verdict |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        chosen = scopes(store)
        for label, scope in chosen.items():
            print(row(label, store, scope, args.runs), flush=True)
        service = next(s for s in chosen.values() if s.kind is ScopeKind.SERVICE)
        took, _ = median_time(lambda: report_text(store, service, ReportFormat.HTML), args.runs)
        print(f"\nHTML DPIA report of {service.name!r}: {took:.2f} s (median of {args.runs}).")


if __name__ == "__main__":
    main()
