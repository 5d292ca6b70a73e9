"""Property-based: load → export json → load → export json gives the same bytes."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from dataflyt.exports import ExportFormat, export
from dataflyt.graph.build import build_batch
from dataflyt.graph.ingest import load_files
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.synth import synthesize


@settings(max_examples=15, deadline=None)
@given(services=st.integers(1, 40), seed=st.integers(0, 10_000))
def test_json_export_round_trips(services: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        first = NetworkxStore(Path(folder) / "a.json")
        first.replace_documents(build_batch(synthesize(services, seed)))
        text = export(first, ExportFormat.JSON)
        exported = Path(folder) / "export.json"
        exported.write_text(text, "utf-8")
        second = NetworkxStore(Path(folder) / "b.json")
        load_files(second, [exported])
        assert export(second, ExportFormat.JSON) == text
