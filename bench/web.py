"""How long the explorer's pages take on the server: every page of a synthetic map
(``dataflyt synth``, seed 1) requested through Starlette's test client, in process, on the
embedded store or on Neo4j.

    .venv/bin/python bench/web.py [--backend embedded|neo4j] [--services 10000] [--runs 15]

Each page is requested ``--runs`` times (fewer, but 3, once 20 s are spent) after one warm-up
request; the table gives the median (p50) and the 95th percentile, against the issue's target
of 150 ms p50 on the embedded store and 300 ms on Neo4j. "First page" is opening the map (for
Neo4j: connecting to the server the map was just loaded into), making the app and answering
the overview once, against the target of 2 s. The pages chosen are the heaviest of their kind:
the organisation engaged by the most services and the country with the most processing (hub
pages), the SMS gateway at the end of four-level chains (the breach), a category every provider
touches; a page asked about another date is timed once the map is open for that date (its first
request opens it). Printed as Markdown.

Neo4j uses the store settings (``.env``, the environment wins). THE BENCH EMPTIES THAT
DATABASE: point it at a server of its own, as ``make bench`` does (docs/web.md shows how).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from figures import Row, Target, shown, timed, timings
from neo4j_harness import SETTLE_SECONDS, Neo4jHarness
from starlette.applications import Starlette
from starlette.testclient import TestClient

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.mapfile import read_map_batch
from dataflyt.graph.model import Direction, EdgeKind, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.synth import write_synthetic_map
from dataflyt.web.app import create_app

__all__ = ["busiest", "explorer", "map_opener", "synthetic_map"]

BACKENDS = ("embedded", "neo4j")
TARGETS = {"embedded": Target("<", 150, "ms"), "neo4j": Target("<", 300, "ms")}
FIRST_PAGE = Target("<=", 2000, "ms")
# seconds of repeated requests of one page after which it is asked only 3 times
BUDGET = 20.0

# opens the map as of a date (YYYY-MM-DD; None: the latest versions)
MapOpener = Callable[[str | None], GraphStore]


def synthetic_map(folder: Path, services: int) -> Path:
    """Write the synthetic map of ``services`` services (seed 1) into ``folder``; return its
    path."""
    path = folder / "map.json"
    write_synthetic_map(path, services, 1)
    return path


def busiest(store: GraphStore, kind: NodeKind, edge: EdgeKind) -> str:
    """Return the id of the node of ``kind`` with the most ``edge`` facts entering it."""
    nodes = store.nodes(kind)
    return max(nodes, key=lambda n: len(store.edges([n.id], Direction.IN, [edge]))).id


def pages(store: GraphStore) -> dict[str, str]:
    """Return the pages to time, by name."""
    service = store.nodes(NodeKind.SERVICE)[len(store.nodes(NodeKind.SERVICE)) // 2]
    hub = busiest(store, NodeKind.ORGANISATION, EdgeKind.ENGAGES)
    provider = busiest(store, NodeKind.ORGANISATION, EdgeKind.PROVIDES)
    country = busiest(store, NodeKind.COUNTRY, EdgeKind.PROCESSED_IN)
    document = store.nodes(NodeKind.DOCUMENT)[0]
    return {
        "overview": "/",
        "attention points (whole map)": "/attention",
        "search as you type (fragment)": "/search?q=kvitre",
        "list of services (page 1)": "/list/services",
        "service page": "/node/" + quote(service.id),
        "organisation page, most engaged": "/node/" + quote(hub),
        "organisation page, largest provider": "/node/" + quote(provider),
        "document page": "/node/" + quote(document.id),
        "category page": "/node/category:email_address",
        "touches email address (page 1)": "/touches?category=email+address",
        "country page, most processing": "/node/" + quote(country),
        "breach, SMS gateway 4 levels deep": "/breach?organisation=Kvitre+SMS+Gateway+AS",
        "breach diagram (SVG, Graphviz)": "/breach/diagram?organisation=Kvitre+SMS+Gateway+AS",
        "transfers": "/transfers",
        "transfers, filtered by country": "/transfers?country=US",
        "transfers, places not stated": "/transfers?status=not_stated",
        "service page as of another date": "/node/" + quote(service.id) + "?as_of=2025-12-31",
        "graph page": "/graph?id=" + quote(hub),
        "graph data, most engaged organisation": "/graph/data?id=" + quote(hub),
        "graph data, one service": "/graph/data?id=" + quote(service.id),
        "downloads page": "/downloads?service=" + quote(service.name),
    }


@contextmanager
def map_opener(backend: str, path: Path) -> Iterator[MapOpener]:
    """Yield what opens the map file at ``path`` in ``backend`` as of a date. For Neo4j the
    map is first loaded into the emptied database (untimed), and the server left to settle."""
    if backend == "embedded":
        yield lambda day: EmbeddedStore(path, as_of=day)
        return
    neo = Neo4jHarness()
    try:
        neo.clear_and_settle()
        neo.store.replace_documents(read_map_batch(path))
        time.sleep(SETTLE_SECONDS)
        yield neo.opened
    finally:
        neo.close()


@contextmanager
def explorer(opener: MapOpener) -> Iterator[Starlette]:
    """Yield the explorer over the map ``opener`` opens (its latest versions), as ``dataflyt serve``
    makes it (other dates opened by ``opener`` too); the map is closed afterwards."""
    store = opener(None)
    try:
        yield create_app(store, opener=opener)
    finally:
        store.close()


def answered(client: TestClient, url: str) -> None:
    """Request ``url``; raise ``RuntimeError`` unless the page answers 200."""
    status = client.get(url).status_code
    if status != 200:
        raise RuntimeError(f"{url} answered {status}")


def page_row(client: TestClient, name: str, url: str, runs: int, backend: str) -> Row:
    """Return the times of page ``url`` after one warm-up request."""
    answered(client, url)
    times = timed(lambda: client.get(url), runs, BUDGET)
    return timings(("web", name, backend, ""), times, TARGETS[backend], in_ms=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--backend", choices=BACKENDS, default="embedded")
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    target = TARGETS[args.backend]
    with tempfile.TemporaryDirectory() as folder:
        path = synthetic_map(Path(folder), args.services)
        urls = pages(EmbeddedStore(path))
        with map_opener(args.backend, path) as opener:
            started = time.perf_counter()
            with explorer(opener) as app, TestClient(app) as client:
                answered(client, "/")
                first = (time.perf_counter() - started) * 1000
                print(
                    f"{args.services:,} services, {args.backend} store. First page after "
                    f"start: {first:,.0f} ms (within 2 s: {FIRST_PAGE.verdict(first)})\n",
                    flush=True,
                )
                print(
                    f"| page | p50 | p95 | runs | target p50 < {shown(target.limit, target.unit)} |"
                )
                print("| --- | ---: | ---: | ---: | --- |")
                for name, url in urls.items():
                    row = page_row(client, name, url, args.runs, args.backend)
                    p50, p95 = shown(row.value, row.unit), shown(row.p95, row.unit)
                    print(f"| {name} | {p50} | {p95} | {row.runs} | {row.verdict} |", flush=True)


if __name__ == "__main__":
    main()
