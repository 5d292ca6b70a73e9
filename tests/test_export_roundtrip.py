"""Property-based: load → export json → load → export json gives the same bytes, on synthetic
maps and on small maps whose names, wording, purposes and places are any text hypothesis finds;
the reloaded map gives the same bytes in every other format too."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dataflyt.exports import ExportFormat, export
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    Country,
    DescribedIn,
    Document,
    Engages,
    GraphBatch,
    Organisation,
    ProcessedIn,
    Provides,
    Service,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_documents, load_files
from dataflyt.synth import synthesize

# text a UTF-8 file can hold: no lone surrogates
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
NAME = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12)
MAYBE = st.none() | TEXT
# the Cypher script has its own tests (test_export_cypher.py)
FORMATS = [f for f in ExportFormat if f is not ExportFormat.CYPHER]
DOC = "document:d@000000000000"


@st.composite
def small_maps(draw: st.DrawFn) -> GraphBatch:
    """Return a document, a provider and a few services and sub-processors, all named by text,
    each engagement with a purpose and a place (or none) of any wording."""
    doc = Document(
        id=DOC,
        name=draw(TEXT),
        identity="document:d",
        provider=draw(TEXT),
        path="d.txt",
        format="annex",
        sha256="0" * 64,
        loaded="2025-01-31",
        valid_from="2025-01-31",
        date=draw(st.none() | st.just("2025-01-31")),
    )
    services = [
        Service(id=f"service:s{i}", name=n)
        for i, n in enumerate(draw(st.lists(NAME, min_size=1, max_size=3)))
    ]
    orgs = [
        Organisation(id=f"org:o{i}", name=n)
        for i, n in enumerate(draw(st.lists(NAME, min_size=1, max_size=3)))
    ]
    places = [
        Country(id="country:us", name="United States", code="US"),
        Country(id="country:no", name="Norway", code="NO", eea=True),
    ]
    edges: list[AnyEdge] = [
        Provides(
            source="org:o0",
            target=s.id,
            doc=DOC,
            line=draw(st.none() | st.integers(1, 10_000)),
            text=draw(MAYBE),
            role=draw(st.sampled_from(["processor", "controller", "odd"])),
        )
        for s in services
    ]
    edges += [
        DescribedIn(
            source=s.id,
            target=DOC,
            doc=DOC,
            purposes=tuple(draw(st.lists(TEXT, max_size=2))),
            retention=draw(MAYBE),
        )
        for s in services
    ]
    for org in orgs[1:]:
        engager = services[draw(st.integers(0, len(services) - 1))].id
        edges.append(
            Engages(source=engager, target=org.id, doc=DOC, text=draw(TEXT), purpose=draw(MAYBE))
        )
        for place in draw(st.lists(st.sampled_from(places), max_size=2, unique=True)):
            edges.append(
                ProcessedIn(
                    source=engager,
                    target=place.id,
                    doc=DOC,
                    by=org.id,
                    safeguards=tuple(draw(st.lists(st.sampled_from(["scc", "dpf"]), unique=True))),
                )
            )
    return GraphBatch(documents=[doc], nodes=[*services, *orgs, *places], edges=edges)


def reloaded(store: GraphStore, folder: Path) -> tuple[str, EmbeddedStore]:
    text = str(export(store, ExportFormat.JSON))
    exported = folder / "export.json"
    exported.write_text(text, "utf-8")
    second = EmbeddedStore(folder / "b.json")
    load_files(second, [exported])
    return text, second


@settings(max_examples=15, deadline=None)
@given(services=st.integers(1, 40), seed=st.integers(0, 10_000))
def test_json_export_round_trips(services: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = EmbeddedStore(Path(folder) / "a.json")
        load_documents(first, synthesize(services, seed), [], dt.date(2025, 1, 31))
        text, second = reloaded(first, Path(folder))
        assert export(second, ExportFormat.JSON) == text


@settings(max_examples=30, deadline=None)
@given(batch=small_maps())
def test_any_names_round_trip_in_every_format(batch: GraphBatch) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = EmbeddedStore(Path(folder) / "a.json")
        first.replace_documents(batch)
        text, second = reloaded(first, Path(folder))
        assert export(second, ExportFormat.JSON) == text
        for fmt in FORMATS:
            assert export(second, fmt) == export(first, fmt), fmt


@settings(max_examples=30, deadline=None)
@given(batch=small_maps())
def test_every_record_cell_says_something_and_starts_no_formula(batch: GraphBatch) -> None:
    from dataflyt.exports.ropa import ropa_rows

    with tempfile.TemporaryDirectory() as folder:
        store = EmbeddedStore(Path(folder) / "a.json")
        store.replace_documents(batch)
        cells = [cell for row in ropa_rows(store) for cell in row]
    assert "" not in cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
