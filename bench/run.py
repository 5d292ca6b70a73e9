"""dataflyt's benchmark: start-up, load, query, bulk-load and memory figures in one table.

    .venv/bin/python bench/run.py [--quick] [--no-neo4j] [--output bench/results.json]

Every figure is the median (p50; p95 for queries) of repeated runs, all measured in one run on
the same maps: the bundled examples and synthetic maps (``dataflyt.synth``, seed 1) of 1,000
and 10,000 services (100 and 1,000 with ``--quick``), and the largest again with three
versions of every document, for answers as of a past date. Each figure with a target says
whether it is met and, if not, by what factor it is missed. The results are written as JSON,
from which ``bench/page.py`` writes docs/benchmarks.md (``make bench`` does both).

Neo4j figures use the store settings (``.env``, the environment wins). THE BENCH EMPTIES THAT
DATABASE: point it at a server of its own (``make bench`` starts one). When Neo4j is not
available, its rows say why and everything else is still measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from figures import Row, Target, result, timed, timings
from neo4j_harness import Neo4jHarness, open_neo4j
from startup import cold_start, regular_install

ROOT = Path(__file__).resolve().parents[1]
CATEGORY = "call recordings"
SEED_VENDOR = "Link Mobility"  # the example's SMS gateway
MACHINE, LOAD, QUERY, AS_OF, BULK, MEMORY = (
    "0 machine",
    "2 load",
    "3 query",
    "4 query as of a date",
    "5 bulk load",
    "6 memory",
)
VERSIONS = 3


@dataclass(frozen=True)
class Plan:
    """Map sizes, repeats and time budgets (seconds) of one run."""

    sizes: tuple[int, int]
    runs: int
    query_runs: int
    budget: float
    cold_runs: int


FULL = Plan(sizes=(1_000, 10_000), runs=5, query_runs=20, budget=15.0, cold_runs=15)
QUICK = Plan(sizes=(100, 1_000), runs=3, query_runs=5, budget=4.0, cold_runs=5)

# (figure, store, services) -> its target (issues 3, 6 and 20)
GOALS: dict[tuple[str, str, int | None], Target] = {
    ("generate + load", "embedded", 10_000): Target("<", 5, "s"),
    ("load", "neo4j", 10_000): Target("<", 30, "s"),
    ("breach", "embedded", 10_000): Target("<", 50, "ms"),
    ("breach", "neo4j", 10_000): Target("<", 200, "ms"),
    ("touches", "neo4j", 10_000): Target("<", 100, "ms"),
    ("transfers", "neo4j", 10_000): Target("<", 300, "ms"),
}


def goal(figure: str, store: str, services: int | None) -> Target | None:
    """Return the target set for a figure, or None."""
    return GOALS.get((figure, store, services))


def machine_speed(when: str) -> Row:
    """Return the time of a plain Python loop of ten million additions, at ``when`` of the
    run: a gauge of the machine's speed, which drifts, and with which every figure drifts."""

    def loop() -> None:
        total = 0
        for number in range(10_000_000):
            total += number

    where = (MACHINE, f"plain Python loop, 10 M additions ({when})", "-", "-")
    return timings(where, timed(loop, 3, 60.0))


def deep_vendor() -> str:
    """Return the vendor whose breach is measured on synthetic maps: the SMS gateway at the
    end of chains four levels deep (a common incident)."""
    from dataflyt.synth import infrastructure

    return next(i.name for i in infrastructure() if i.purpose == "SMS delivery")


def queries(store: Any, vendor: str) -> dict[str, Callable[[], object]]:
    """Return the queries under test, bound to ``store``."""
    from dataflyt.queries.breach import breach
    from dataflyt.queries.touches import touches
    from dataflyt.queries.transfers import transfers

    return {
        "touches": lambda: touches(store, CATEGORY),
        "breach": lambda: breach(store, vendor),
        "transfers": lambda: transfers(store),
    }


def reach(store: Any, vendor: str) -> str:
    """Return how far a breach at ``vendor`` reaches: services and chain depth."""
    from dataflyt.queries.breach import breach

    affected = breach(store, vendor).services
    deepest = max((len(service.chain) for service in affected), default=2) - 2
    return f"{len(affected):,} services, chains up to {deepest} deep"


def query_rows(
    name: str, store: Any, vendor: str, services: int | None, size: str, plan: Plan
) -> list[Row]:
    """Return the warm latency of every query on the store ``name`` (an untimed call warms)."""
    rows = []
    for figure, call in queries(store, vendor).items():
        call()
        times = timed(call, plan.query_runs, plan.budget)
        label = f'breach "{vendor}"' if figure == "breach" else figure
        if figure == "touches":
            label = f'touches "{CATEGORY}"'
        note = reach(store, vendor) if figure == "breach" else ""
        target = goal(figure, name, services)
        rows.append(timings((QUERY, f"warm {label}", name, size), times, target, note, True))
    return rows


def write_map(path: Path, services: int | None, versions: int = 1) -> None:
    """Write the map of the bundled examples (``services`` None) or a synthetic one to
    ``path`` through the load workflow, replacing what is there."""
    from dataflyt.graph.embedded_store import EmbeddedStore

    if services is None:
        from dataflyt.examples import example_paths
        from dataflyt.ingest.load import load_files

        path.unlink(missing_ok=True)
        load_files(EmbeddedStore(path), list(example_paths()))
        return
    from dataflyt.synth import write_synthetic_map

    write_synthetic_map(path, services, seed=1, versions=versions)


def measure_map(
    services: int | None, plan: Plan, path: Path, neo: Neo4jHarness | None, why: str
) -> list[Row]:
    """Return the load, query and bulk-load rows of one map, which is left in ``path``."""
    from dataflyt.graph.embedded_store import EmbeddedStore
    from dataflyt.graph.mapfile import read_map_batch

    size = "seed" if services is None else f"{services:,}"
    what = "parse + load" if services is None else "generate + load"
    times = timed(lambda: write_map(path, services), plan.runs, plan.budget, gc.collect)
    batch = read_map_batch(path)
    where = (LOAD, f"{what} ({len(batch.edges):,} relationships)", "embedded", size)
    rows = [timings(where, times, goal("generate + load", "embedded", services))]
    opened: list[Any] = []
    times = timed(lambda: opened.append(EmbeddedStore(path)), plan.runs, plan.budget)
    rows.append(timings((LOAD, "open the map file", "embedded", size), times))
    vendor = SEED_VENDOR if services is None else deep_vendor()
    # the embedded queries first: after a Neo4j load the server stays busy for a while on
    # the same cores
    rows += query_rows("embedded", opened.pop(), vendor, services, size, plan)
    where = (LOAD, "load (replace_documents)", "neo4j", size)
    if neo is None:
        rows.append(result(where, None, "s", 0, goal("load", "neo4j", services), why))
    else:
        times = timed(
            lambda: neo.store.replace_documents(batch),
            plan.runs,
            4 * plan.budget,
            neo.clear_and_settle,
        )
        rows.append(timings(where, times, goal("load", "neo4j", services)))
        time.sleep(2)  # the queries meet a server at rest
        rows += query_rows("neo4j", neo.store, vendor, services, size, plan)
    if services == plan.sizes[0]:
        rows += bulk_rows(neo, why, batch, size, plan)
    if services == plan.sizes[-1]:
        rows += end_to_end(path, vendor, size, plan)
    return rows


def bulk_rows(neo: Neo4jHarness | None, why: str, batch: Any, size: str, plan: Plan) -> list[Row]:
    """Return Neo4j's load rate batched (the store) and with one statement per relationship,
    and their ratio (reported, no target): the median of the ratios of runs taken in turns.
    Both ways must leave the same counts."""
    ratio = (BULK, "load, batched / one statement per relationship", "neo4j", size)
    if neo is None:
        return [result(ratio, None, "x", 0, note=why)]
    ways = {
        "batched (replace_documents)": lambda: neo.store.replace_documents(batch),
        "one statement per relationship": lambda: neo.per_relationship(batch),
    }
    pairs = []
    for _ in range(plan.runs):
        pair, written = [], []
        for load in ways.values():
            pair.append(timed(load, 1, 0, neo.clear_and_settle)[0])
            written.append(neo.written())
        if written[0] != written[1]:
            raise RuntimeError(f"the two ways of loading wrote different maps: {written}")
        pairs.append(pair)
    rows = [
        result(
            (BULK, f"load, {how}", "neo4j", size),
            len(batch.edges) / statistics.median(pair[i] for pair in pairs),
            "rel/s",
            len(pairs),
        )
        for i, how in enumerate(ways)
    ]
    turns = statistics.median(single / batched for batched, single in pairs)
    rows.append(result(ratio, turns, "x", len(pairs), note="same data, in turns"))
    return rows


def as_of_rows(
    services: int, folder: Path, plan: Plan, neo: Neo4jHarness | None, why: str
) -> list[Row]:
    """Return ``breach`` on a map with ``VERSIONS`` versions of every document, today and as
    of a past date (the middle versions' median date), and the ratio of the two."""
    from dataflyt.graph.embedded_store import EmbeddedStore
    from dataflyt.graph.mapfile import read_map_batch

    path = folder / "map-versions.json"
    write_map(path, services, VERSIONS)
    batch = read_map_batch(path)
    versions: dict[str, list[str]] = {}
    for doc in batch.documents:
        versions.setdefault(doc.identity, []).append(doc.valid_from)
    day = statistics.median_low(sorted(dates)[1] for dates in versions.values())
    size = f"{services:,}, {VERSIONS} versions"
    vendor = deep_vendor()
    stores: dict[str, Callable[[str | None], Any]] = {
        "embedded": lambda as_of: EmbeddedStore(path, as_of=as_of)
    }
    rows = []
    if neo is None:
        rows.append(result((AS_OF, "breach as of / today", "neo4j", size), None, "x", 0, note=why))
    else:
        neo.clear_and_settle()
        neo.store.replace_documents(batch)
        stores["neo4j"] = neo.opened
    for name, opened in stores.items():
        medians = []
        for as_of in (None, day):
            store = opened(as_of)
            call = queries(store, vendor)["breach"]
            call()
            times = timed(call, plan.query_runs, plan.budget)
            label = f'warm breach "{vendor}" ' + (f"as of {day}" if as_of else "today")
            note = reach(store, vendor)
            store.close()
            rows.append(timings((AS_OF, label, name, size), times, note=note, in_ms=True))
            medians.append(statistics.median(times))
        where = (AS_OF, "breach as of a date / today", name, size)
        rows.append(
            result(where, medians[1] / medians[0], "x", plan.query_runs, Target("<", 2, "x"))
        )
    return rows


def end_to_end(path: Path, vendor: str, size: str, plan: Plan) -> list[Row]:
    """Time ``dataflyt breach --json`` as a responder runs it; measure the embedded store's
    peak memory with the map open after one breach."""
    command = [str(Path(sys.executable).parent / "dataflyt"), "breach", "--map", str(path)]
    command += [vendor, "--json"]
    times = timed(
        lambda: subprocess.run(command, check=True, capture_output=True), plan.runs, 3 * plan.budget
    )
    where = (QUERY, "CLI breach --json, end to end", "embedded", size)
    rows = [timings(where, times, Target("<", 2, "s"))]
    probe = (
        "import sys; from pathlib import Path\n"
        "from dataflyt.graph.embedded_store import EmbeddedStore\n"
        "from dataflyt.queries.breach import breach\n"
        "breach(EmbeddedStore(Path(sys.argv[1])), sys.argv[2])\n"
        "status = dict(line.split(':', 1) for line in open('/proc/self/status'))\n"
        "print(int(status['VmRSS'].split()[0]) // 1024, int(status['VmHWM'].split()[0]) // 1024)"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe, str(path), vendor], check=True, capture_output=True, text=True
    ).stdout.split()
    where = (MEMORY, "peak resident memory: open map, one breach", "embedded", size)
    note = f"{out[0]} MB resident at the end"
    rows.append(result(where, int(out[1]), "MB", 1, Target("<", 1024, "MB"), note))
    return rows


def main() -> int:
    """Run the benchmark and write its results as JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller maps and fewer runs")
    parser.add_argument("--no-neo4j", action="store_true", help="leave Neo4j out")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    started = time.perf_counter()
    neo, why = open_neo4j(args.no_neo4j)
    rows = [machine_speed("at the start")]
    with tempfile.TemporaryDirectory(prefix="dataflyt-bench-") as name:
        folder = Path(name)
        seed_map = folder / "map-seed.json"
        for services in (None, *plan.sizes):
            path = seed_map if services is None else folder / f"map-{services}.json"
            rows += measure_map(services, plan, path, neo, why)
            print(
                f"bench: {services or 'seed'} done, {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        rows += as_of_rows(plan.sizes[-1], folder, plan, neo, why)
        commands = regular_install(folder / "installed")
        rows += cold_start(commands, seed_map, CATEGORY, plan.cold_runs)
    rows.append(machine_speed("at the end"))
    if neo is not None:
        neo.close()
    rows.sort(key=lambda r: r.section)  # stable: each section keeps its maps in order
    meta = {
        "quick": args.quick,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "neo4j": neo.server if neo is not None else why,
        "seconds": round(time.perf_counter() - started, 1),
    }
    payload = {"meta": meta, "rows": [asdict(r) for r in rows]}
    args.output.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    print(
        f"bench: {len(rows)} figures in {meta['seconds']} s, written to {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
