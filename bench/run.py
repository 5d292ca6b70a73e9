"""dataflyt's benchmark: one table of start-up, load, query, bulk-load and memory figures.

    .venv/bin/python bench/run.py [--quick] [--no-neo4j] [--output bench/results.json]

Every figure is the median (p50; p95 for queries) of repeated runs, all measured in the same run
on the same maps: the seed document and synthetic maps (``dataflyt synth``, seed 1) of 1,000
and 10,000 services (100 and 1,000 with ``--quick``). The table is printed as Markdown, ready
for the README, and written as JSON. Every target of issues 3 and 6 is shown with whether it is
met and, where it is not, by what factor it is missed.

Neo4j figures use the repository's store settings (``.env``, written by ``scripts/neo4j-local
start``; the environment wins). THE BENCH EMPTIES THAT DATABASE: point it at a scratch server
only (``make bench`` starts the checkout's own). When the Neo4j store or server is not
available, its rows say why and everything else is still measured.
"""

from __future__ import annotations

import argparse
import gc
import json
import logging
import math
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

ROOT = Path(__file__).resolve().parents[1]
DATAFLYT = str(Path(sys.executable).parent / "dataflyt")
CATEGORY = "call recordings"
SEED_VENDOR = "Link Mobility"  # the seed's SMS gateway
MACHINE = "0 machine"
START, LOAD, QUERY, BULK, MEMORY = "1 start-up", "2 load", "3 query", "4 bulk load", "5 memory"
SETTLE_SECONDS = 2.0  # after emptying Neo4j, before a timed load


@dataclass(frozen=True)
class Target:
    """A limit: the figure must be below it (``op`` "<"), at most it ("<=") or at least it."""

    op: str
    limit: float
    unit: str

    def met(self, value: float) -> bool:
        """Return whether ``value`` meets the target."""
        return {"<": value < self.limit, "<=": value <= self.limit}.get(
            self.op, value >= self.limit
        )

    def verdict(self, value: float) -> str:
        """Return "met", or by what factor ``value`` misses the limit."""
        if self.met(value):
            return "met"
        factor = value / self.limit if self.op in ("<", "<=") else self.limit / value
        return f"MISSED by {factor:.1f}x"


@dataclass
class Row:
    """One line of the table; ``value`` and ``p95`` are in ``unit``, None when not measured."""

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
    shown = f"{target.op} {_show(target.limit, target.unit)}" if target else ""
    verdict = "" if target is None else "not measured" if value is None else target.verdict(value)
    return Row(*where, value, unit, p95, runs, shown, verdict, note)


def timings(
    where: tuple[str, str, str, str],
    times: list[float],
    target: Target | None = None,
    note: str = "",
    in_ms: bool = False,
) -> Row:
    """Return the row of the median (and p95) of ``times``, in seconds or milliseconds."""
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


def start_clean() -> None:
    """Collect this process's cyclic garbage before a timed load, so that each load pays only
    for what happens while it runs. A load with one statement per relationship leaves some
    420,000 of the driver's objects in reference cycles; the batched load after it paid
    0.6 s, more than its own time, to collect them."""
    gc.collect()


def _show(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:,.0f} ms"
    return f"{value:.1f}x" if unit == "x" else f"{value:,.0f} {unit}"


# -- start-up --------------------------------------------------------------------------------
def machine_speed(when: str) -> Row:
    """Return the row of a plain Python loop of ten million additions, timed at ``when`` of
    the run: a gauge of the machine's speed, which drifts (a loop like it at module level
    took 0.97 s at the start of one hour and 1.6 s at its end), and with which nearly every
    other figure rises and falls."""

    def loop() -> None:
        total = 0
        for number in range(10_000_000):
            total += number

    times = timed(loop, 3, 60.0)
    return timings((MACHINE, f"plain Python loop, 10 M additions ({when})", "-", "-"), times)


def cold_start(seed_map: Path, runs: int) -> list[Row]:
    """Time fresh processes, taking turns so that they meet the same machine state."""
    # Measure the tool as installed, with bytecode caches (this sandbox turns them off).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "dataflyt --help": [DATAFLYT, "--help"],
        f'dataflyt touches "{CATEGORY}"': [DATAFLYT, "touches", "--map", str(seed_map), CATEGORY],
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    for turn in range(runs + 1):
        for name, command in commands.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, cwd=seed_map.parent, check=True, capture_output=True)
            if turn:  # the first turn only warms the caches
                times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["python -c pass"])
    rows = [timings((START, "python -c pass (the floor)", "-", "-"), times["python -c pass"])]
    for name in list(commands)[1:]:
        size = "seed" if "touches" in name else "-"
        rows.append(timings((START, name, "embedded", size), times[name], Target("<", 0.25, "s")))
        ratio = statistics.median(times[name]) / floor
        where = (START, f"{name} / floor", "embedded", size)
        rows.append(result(where, ratio, "x", runs, Target("<=", 10, "x")))
    return rows


# -- maps ------------------------------------------------------------------------------------
def build(services: int | None) -> Any:
    """Return the seed (``None``) or the synthetic map of ``services`` services as a batch."""
    from dataflyt.ingest.build import build_batch

    if services is None:
        from dataflyt.examples import example_paths
        from dataflyt.loaders import parse_document

        return build_batch([parse_document(path) for path in example_paths()])
    from dataflyt.synth import synthesize

    return build_batch(synthesize(services, seed=1))


def deep_vendor() -> str:
    """Return the vendor whose breach is measured on synthetic maps: the SMS gateway at the
    end of chains four levels deep (a common incident; the most shared vendor is under most
    services, which is measured by nobody's incident)."""
    from dataflyt.synth import infrastructure

    return next(i.name for i in infrastructure() if i.purpose == "SMS delivery")


# -- Neo4j -----------------------------------------------------------------------------------
class Neo4j:
    """The Neo4j store under test, and a driver of its own for the load with one statement
    per relationship."""

    def __init__(self) -> None:
        import neo4j

        from dataflyt.config import store_settings
        from dataflyt.graph import neo4j_store

        self.settings = store_settings(cwd=ROOT).neo4j
        self.store = neo4j_store.Neo4jStore(self.settings)
        self.server = self.store.summary().server
        auth = (self.settings.user, self.settings.password)
        self.driver = neo4j.GraphDatabase.driver(self.settings.uri, auth=auth)

    def clear(self) -> None:
        """Empty the map (the store's schema stays)."""
        self.store.clear()

    def clear_and_settle(self) -> None:
        """Empty the map, then wait while the server finishes the work a large deletion leaves
        behind (cleaning its indexes, collecting the deleted transaction's state), which
        would otherwise fall into the next timed load: in paired trials a batched load of
        1,000 services took 623 ms straight after the deletion and 453 ms two seconds later.
        Then collect this process's garbage (``start_clean``). Every timed Neo4j load, batched
        or one statement at a time, starts this way."""
        self.store.clear()
        time.sleep(SETTLE_SECONDS)
        start_clean()

    def per_relationship(self, batch: Any) -> None:
        """Write ``batch`` exactly as the store writes it into an empty database (the same
        labels, relationship types and properties, from the store's own row functions, each
        node with its copy of its leaving relationships), but one statement per node and
        per relationship, in one transaction. Values are parameters; labels and types come
        from the model's enums."""
        from dataflyt.graph.neo4j_rows import edge_props, leaving_copies, node_row

        set_node = "MERGE (n:Node {{id: $id}}) SET n = $props, n:{}"
        set_edge = (
            "MATCH (a:Node {{id: $source}}) MATCH (b:Node {{id: $target}}) "
            "MERGE (a)-[r:{} {{doc: $doc}}]->(b) SET r = $props"
        )
        nodes = [*batch.documents, *batch.nodes]
        copies = leaving_copies((node.id for node in nodes), batch.edges)

        def write(tx: Any) -> None:
            for node in nodes:
                props = node_row(node, copies[node.id])
                tx.run(set_node.format(node.kind.value), id=node.id, props=props).consume()
            for edge in batch.edges:
                tx.run(
                    set_edge.format(edge.kind.value),
                    source=edge.source,
                    target=edge.target,
                    doc=edge.doc,
                    props=edge_props(edge),
                ).consume()

        with self.driver.session(database=self.settings.database) as session:
            session.execute_write(write)

    def close(self) -> None:
        """Close the store and the driver."""
        self.store.close()
        self.driver.close()


def open_neo4j(disabled: bool) -> tuple[Neo4j | None, str]:
    """Return the Neo4j harness, or None and why it is unavailable."""
    if disabled:
        return None, "skipped (--no-neo4j)"
    try:
        return Neo4j(), ""
    except ImportError as error:
        return None, "unavailable: cannot import the Neo4j store: " + str(error).split(" (")[0]
    except Exception as error:  # whatever fails is reported, never fatal
        first = str(error).splitlines()[0] if str(error) else ""
        return None, f"unavailable: {type(error).__name__}: {first}"[:200]


# -- one map ---------------------------------------------------------------------------------
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


# (figure, store, services) -> the target issues 3 and 6 set for it
GOALS: dict[tuple[str, str, int | None], Target] = {
    ("generate + build", "-", 10_000): Target("<", 5, "s"),
    ("load", "neo4j", 10_000): Target("<", 60, "s"),
    ("breach", "embedded", 10_000): Target("<", 50, "ms"),
    ("breach", "neo4j", 10_000): Target("<", 100, "ms"),
    ("breach", "neo4j", 1_000): Target("<", 100, "ms"),
}


def goal(measure: str, store: str, services: int | None) -> Target | None:
    """Return the target issues 3 and 6 set for a figure, or None."""
    return GOALS.get((measure, store, services))


def measure_map(
    services: int | None, plan: Plan, path: Path, neo: Neo4j | None, why: str
) -> list[Row]:
    """Return the build, load, query and bulk-load rows of one map, left in ``path``."""
    from dataflyt.graph.embedded_store import EmbeddedStore

    size = "seed" if services is None else f"{services:,}"
    built: list[Any] = []
    times = timed(lambda: built.append(build(services)), plan.runs, plan.budget)
    batch = built.pop()
    what = "parse + build" if services is None else "generate + build"
    where = (LOAD, f"{what} ({len(batch.edges):,} relationships)", "-", size)
    rows = [timings(where, times, goal(what, "-", services))]

    def fresh() -> None:
        path.unlink(missing_ok=True)
        start_clean()

    def load() -> None:
        EmbeddedStore(path).replace_documents(batch)

    times = timed(load, plan.runs, plan.budget, fresh)
    rows.append(timings((LOAD, "load (replace_documents)", "embedded", size), times))
    opened: list[Any] = []
    times = timed(lambda: opened.append(EmbeddedStore(path)), plan.runs, plan.budget)
    rows.append(timings((LOAD, "open the map file", "embedded", size), times))
    embedded = opened.pop()
    vendor = SEED_VENDOR if services is None else deep_vendor()
    # The embedded store's queries are timed before the Neo4j loads: after them the server
    # stays busy for a while (collections, checkpoint) on the same two cores, which slowed
    # the embedded figures by up to 1.6x in trials.
    reach = breach_reach(embedded, vendor)
    rows += query_rows("embedded", embedded, vendor, reach, services, size, plan)
    where = (LOAD, "load (replace_documents)", "neo4j", size)
    if neo is None:
        rows.append(result(where, None, "s", 0, goal("load", "neo4j", services), why))
        where = (QUERY, f'warm breach "{vendor}"', "neo4j", size)
        rows.append(result(where, None, "ms", 0, goal("breach", "neo4j", services), why))
    else:
        times = timed(
            lambda: neo.store.replace_documents(batch),
            plan.runs,
            4 * plan.budget,
            neo.clear_and_settle,
        )
        rows.append(timings(where, times, goal("load", "neo4j", services)))
        time.sleep(SETTLE_SECONDS)  # as before a load: the queries meet a server at rest
        rows += query_rows("neo4j", neo.store, vendor, reach, services, size, plan)
    if services == plan.sizes[0]:
        rows += bulk_rows(neo, why, batch, size, plan)
    if neo is not None:
        neo.clear()
    if services == plan.sizes[-1]:
        rows += end_to_end(path, vendor, size, plan)
    return rows


def bulk_rows(neo: Neo4j | None, why: str, batch: Any, size: str, plan: Plan) -> list[Row]:
    """Return Neo4j's load rate batched (the store) and with one statement per relationship,
    and their ratio: the median of the ratios of runs taken in turns, so that the machine's
    slower and faster spells fall on both ways alike. Both ways must leave the same counts of
    nodes, relationships and documents."""
    ratio = (BULK, "load, batched / one statement per relationship", "neo4j", size)
    if neo is None:
        return [result(ratio, None, "x", 0, Target(">=", 20, "x"), why)]
    ways = {
        "batched (replace_documents)": lambda: neo.store.replace_documents(batch),
        "one statement per relationship": lambda: neo.per_relationship(batch),
    }
    pairs = []
    for _ in range(plan.runs):
        pair, written = [], []
        for load in ways.values():
            pair.append(timed(load, 1, 0, neo.clear_and_settle)[0])
            summary = neo.store.summary()
            written.append((summary.counts, summary.edges, summary.documents))
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
    rows.append(result(ratio, turns, "x", len(pairs), Target(">=", 20, "x"), "same data, in turns"))
    return rows


def queries(store: Any, vendor: str) -> dict[str, Callable[[], object]]:
    """Return the queries under test, bound to ``store``."""
    from dataflyt.queries.breach import breach
    from dataflyt.queries.touches import touches
    from dataflyt.queries.transfers import transfers

    return {
        f'touches "{CATEGORY}"': lambda: touches(store, CATEGORY),
        f'breach "{vendor}"': lambda: breach(store, vendor),
        "transfers": lambda: transfers(store),
    }


def breach_reach(store: Any, vendor: str) -> str:
    """Return how far a breach at ``vendor`` reaches in ``store``: services and chain depth."""
    from dataflyt.queries.breach import breach

    affected = breach(store, vendor).services
    deepest = max(len(service.chain) for service in affected) - 2
    return f"{len(affected)} services, chains up to {deepest} deep"


def query_rows(
    name: str, store: Any, vendor: str, reach: str, services: int | None, size: str, plan: Plan
) -> list[Row]:
    """Return the warm latency of every query on the store ``name`` (a first, untimed call
    warms); ``reach`` notes how far the breach reaches."""
    rows = []
    for query, call in queries(store, vendor).items():
        call()
        times = timed(call, plan.query_runs, plan.budget)
        is_breach = query.startswith("breach")
        target = goal("breach", name, services) if is_breach else None
        where = (QUERY, f"warm {query}", name, size)
        rows.append(timings(where, times, target, reach if is_breach else "", in_ms=True))
    return rows


def end_to_end(path: Path, vendor: str, size: str, plan: Plan) -> list[Row]:
    """Time ``dataflyt breach --json`` as a responder runs it; measure the embedded store's
    memory with the map open after one breach."""
    command = [DATAFLYT, "breach", "--map", str(path), vendor, "--json"]
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
    rows.append(
        result(
            where, int(out[1]), "MB", 1, Target("<", 1024, "MB"), f"{out[0]} MB resident at the end"
        )
    )
    return rows


# -- the run ---------------------------------------------------------------------------------
def markdown(rows: list[Row]) -> str:
    """Return the rows as one Markdown table."""
    head = ["", "measure", "store", "map", "p50", "p95", "runs", "target", "verdict", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r.section,
            r.measure,
            r.store,
            r.map,
            _show(r.value, r.unit),
            _show(r.p95, r.unit),
            str(r.runs or ""),
            r.target,
            r.verdict,
            r.note,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> int:
    """Run the benchmark, print the table and write it as JSON."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller maps and fewer runs")
    parser.add_argument("--no-neo4j", action="store_true", help="leave Neo4j out")
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.json")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    # the server's notes on queries (such as "property key does not exist" on an empty map)
    # are not results; keep them out of the table's output
    logging.getLogger("neo4j.notifications").setLevel(logging.ERROR)
    started = time.perf_counter()
    neo, why = open_neo4j(args.no_neo4j)
    rows = [machine_speed("at the start")]
    with tempfile.TemporaryDirectory(prefix="dataflyt-bench-") as folder:
        maps = {
            services: Path(folder) / f"map-{services or 'seed'}.json"
            for services in (None, *plan.sizes)
        }
        for services, path in maps.items():
            rows += measure_map(services, plan, path, neo, why)
            print(
                f"bench: {services or 'seed'} done after {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
        rows += cold_start(maps[None], plan.cold_runs)
    rows.append(machine_speed("at the end"))
    if neo is not None:
        neo.close()
    rows.sort(key=lambda r: r.section)  # stable: each section keeps its maps in order
    print(markdown(rows))
    meta = {
        "quick": args.quick,
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "neo4j": neo.server if neo is not None else why,
        "seconds": round(time.perf_counter() - started, 1),
    }
    payload = {"meta": meta, "rows": [asdict(r) for r in rows]}
    args.output.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    print(
        f"bench: {len(rows)} figures in {meta['seconds']} s, written to {args.output}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
