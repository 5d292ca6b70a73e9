"""How long the diagram and report commands take on a large synthetic map (``dataflyt synth``,
seed 0), each run as a user runs it: the installed ``dataflyt`` command in its own process.

    .venv/bin/python bench/diagrams.py [--services 20000] [--runs 1]

Measured, each the median of ``--runs`` runs, wall time and the processor time the command
used: ``diagram --all`` to SVG, ``report --all`` as Markdown and HTML, ``diagram --organisation`` of
the organisation with the largest blast radius (of the shared infrastructure vendors at the
end of the chains) to SVG and its report as Markdown, ``diagram --service`` of a typical
service (the middle one by id) to SVG, and a diagram to SVG of a service whose name is
10,000 characters long. Target (issue 19): every diagram and every report under 30 s at
20,000 services. The table is printed as Markdown.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Direction, EdgeKind, NodeKind, kind_of
from dataflyt.synth import infrastructure, write_synthetic_map

TARGET = 30.0
DATAFLYT = Path(sys.executable).parent / "dataflyt"


class Timing(NamedTuple):
    """One command's median wall time, processor time and output size."""

    wall: float
    cpu: float
    size: int


def run(args: list[str], output: Path, runs: int) -> Timing:
    """Return the median timing of ``runs`` runs of ``dataflyt *args -o output``."""
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([DATAFLYT, *args, "-o", str(output)], check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return Timing(statistics.median(walls), statistics.median(cpus), output.stat().st_size)


def largest(store: EmbeddedStore) -> str:
    """Return the shared infrastructure vendor whose data reaches the most services."""
    reached = []
    for vendor in infrastructure():
        org = next(o for o in store.nodes(NodeKind.ORGANISATION) if o.name == vendor.name)
        found = store.reachable(org.id, [EdgeKind.ENGAGES, EdgeKind.PROVIDES], Direction.IN)
        services = sum(1 for node in found if kind_of(node) is NodeKind.SERVICE)
        reached.append((services, vendor.name))
    return max(reached)[1]


def long_name_map(folder: Path) -> Path:
    """Return a data map of one service whose name is 10,000 characters long."""
    name = ("Nordlys lønn og personal " * 400)[:10_000].strip()
    path = folder / "long-name.yaml"
    path.write_text(
        f'services:\n  - name: "{name}"\n    provider: Visma Enterprise AS\n'
        "    categories: [navn]\n    subjects: [ansatte]\n    countries: [Norge]\n",
        "utf-8",
    )
    return path


def main() -> None:
    """Write the synthetic map, time every command and print the table."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--services", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        path = folder / "synthetic.json"
        write_synthetic_map(path, args.services, seed=0)
        store = EmbeddedStore(path)
        services = sorted(store.nodes(NodeKind.SERVICE), key=lambda n: n.id)
        middle = services[len(services) // 2].name
        vendor = largest(store)
        long_map = folder / "long-name.json"
        subprocess.run(
            [DATAFLYT, "load", str(long_name_map(folder)), "--map", str(long_map), "-q"],
            check=True,
            capture_output=True,
        )
        on_map = ["--map", str(path)]
        cases = {
            "diagram --all (SVG)": (["diagram", "--all", *on_map], "all.svg"),
            "report --all (Markdown)": (["report", "--all", *on_map], "all.md"),
            "report --all (HTML)": (["report", "--all", *on_map], "all.html"),
            f"diagram --organisation {vendor!r} (SVG)": (
                ["diagram", "--organisation", vendor, *on_map],
                "vendor.svg",
            ),
            f"report --organisation {vendor!r} (Markdown)": (
                ["report", "--organisation", vendor, *on_map],
                "vendor.md",
            ),
            f"diagram --service {middle!r} (SVG)": (
                ["diagram", "--service", middle, *on_map],
                "service.svg",
            ),
            "diagram --all of a 10,000-character name (SVG)": (
                ["diagram", "--all", "--map", str(long_map)],
                "long.svg",
            ),
        }
        print(
            f"Synthetic map of {len(services):,} services (dataflyt synth -n {args.services}, "
            f"seed 0), median of {args.runs} run(s) of the installed command.\n"
        )
        print("| command | wall s | processor s | output bytes | target | verdict |")
        print("| --- | ---: | ---: | ---: | --- | --- |")
        for label, (command, file_name) in cases.items():
            timing = run(command, folder / file_name, args.runs)
            verdict = "met" if timing.wall < TARGET else f"MISSED by {timing.wall / TARGET:.1f}x"
            print(
                f"| {label} | {timing.wall:.1f} | {timing.cpu:.1f} | {timing.size:,} | "
                f"< {TARGET:g} s | {verdict} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
