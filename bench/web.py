"""How long the explorer's pages take on the server: every page of a synthetic map
(``dataflyt synth``, seed 1) requested through Starlette's test client, in process.

    .venv/bin/python bench/web.py [--services 10000] [--runs 15]

Each page is requested ``--runs`` times after one warm-up request; the table gives the median
(p50) and the 95th percentile, against the issue's target of 150 ms p50 on the embedded store.
"First page" is opening the map, making the app and answering the overview once. The pages
chosen are the heaviest of their kind: the organisation engaged by the most services and the
country with the most processing (hub pages), the SMS gateway at the end of four-level chains
(the breach), a category every provider touches; a page asked about another date is timed
once the map is open for that date (its first request opens it). Printed as Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from starlette.testclient import TestClient

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Direction, EdgeKind, NodeKind
from dataflyt.synth import write_synthetic_map
from dataflyt.web.app import create_app

TARGET_MS = 150.0


def busiest(store: EmbeddedStore, kind: NodeKind, edge: EdgeKind) -> str:
    """Return the id of the node of ``kind`` with the most ``edge`` facts entering it."""
    nodes = store.nodes(kind)
    return max(nodes, key=lambda n: len(store.edges([n.id], Direction.IN, [edge]))).id


def pages(store: EmbeddedStore) -> dict[str, str]:
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "map.json"
        write_synthetic_map(path, args.services, 1)
        started = time.perf_counter()
        store = EmbeddedStore(path)
        client = TestClient(create_app(store, opener=lambda day: EmbeddedStore(path, as_of=day)))
        assert client.get("/").status_code == 200
        first = (time.perf_counter() - started) * 1000
        print(f"{args.services:,} services; first page after start: {first:.0f} ms\n", flush=True)
        print("| page | p50 | p95 | target p50 < 150 ms |")
        print("| --- | ---: | ---: | --- |")
        for name, url in pages(store).items():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times = []
            for _ in range(args.runs):
                begin = time.perf_counter()
                client.get(url)
                times.append((time.perf_counter() - begin) * 1000)
            p50 = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            verdict = "met" if p50 < TARGET_MS else f"missed ({p50 / TARGET_MS:.1f}x)"
            print(f"| {name} | {p50:.0f} ms | {p95:.0f} ms | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
