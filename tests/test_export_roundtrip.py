"""Property-based: load → export json → load → export json gives the same bytes, on synthetic
maps and on small maps whose names, wording and attributes are any text hypothesis finds; the
reloaded map gives the same bytes in every other format too."""

from __future__ import annotations

import tempfile
from pathlib import Path

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from dataflyt.exports import ExportFormat, export
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import EdgeKind, GraphBatch, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.build import build_batch
from dataflyt.ingest.load import load_files
from dataflyt.synth import synthesize

# text a UTF-8 file can hold: no lone surrogates
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=12)
VALUES = (
    st.none() | st.booleans() | st.integers(-(2**31), 2**31) | TEXT | st.lists(TEXT, max_size=3)
)
# attributes the queries do not read, of any JSON type
ATTRS = st.dictionaries(st.sampled_from(["extra", "x y", "ä", "`"]), VALUES, max_size=3)


@st.composite
def small_maps(draw: st.DrawFn) -> GraphBatch:
    """Return a document, a provider and a few services and sub-processors, all named by text."""
    doc = {"id": "document:d", "kind": NodeKind.DOCUMENT, "name": draw(TEXT), "attrs": draw(ATTRS)}
    services = draw(st.lists(TEXT, min_size=1, max_size=3))
    orgs = draw(st.lists(TEXT, min_size=1, max_size=3))
    nodes = [
        *(
            {"id": f"service:s{i}", "kind": NodeKind.SERVICE, "name": n, "attrs": draw(ATTRS)}
            for i, n in enumerate(services)
        ),
        *(
            {"id": f"org:o{i}", "kind": NodeKind.ORGANISATION, "name": n, "attrs": draw(ATTRS)}
            for i, n in enumerate(orgs)
        ),
    ]
    edges = [
        {
            "source": "org:o0",
            "target": f"service:s{i}",
            "kind": EdgeKind.PROVIDES,
            "doc": "document:d",
            "line": draw(st.none() | st.integers(1, 10_000)),
            "text": draw(st.none() | TEXT),
            "attrs": {"role": draw(st.sampled_from(["processor", "controller", "odd"]))},
        }
        for i in range(len(services))
    ]
    edges += [
        {
            "source": f"service:s{draw(st.integers(0, len(services) - 1))}",
            "target": f"org:o{i}",
            "kind": EdgeKind.ENGAGES,
            "doc": "document:d",
            "text": draw(TEXT),
            "attrs": {**draw(ATTRS), "purpose": draw(TEXT)},
        }
        for i in range(1, len(orgs))
    ]
    return msgspec.convert({"documents": [doc], "nodes": nodes, "edges": edges}, GraphBatch)


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
        first.replace_documents(build_batch(synthesize(services, seed)))
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
        for fmt in ExportFormat:
            assert export(second, fmt) == export(first, fmt), fmt
