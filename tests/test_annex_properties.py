"""Property-based: random and mutated documents never raise anything but LoadError."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataflyt.errors import LoadError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED

SEED_BYTES = SEED.read_bytes()
CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\t\n\r"),
    max_size=80,
)


def _parse(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.txt"
        path.write_bytes(data)
        with contextlib.suppress(LoadError):
            load_files(EmbeddedStore(Path(folder) / "map.json"), [path])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    _parse(data)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(SEED_BYTES)), st.binary(max_size=12)), max_size=6))
def test_mutated_seed(edits: list[tuple[int, bytes]]) -> None:
    data = bytearray(SEED_BYTES)
    for position, replacement in edits:
        data[position : position + len(replacement)] = replacement
    _parse(bytes(data))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(CELL_TEXT, min_size=5, max_size=5), min_size=1, max_size=4))
def test_random_rows_under_a_real_header(rows: list[list[str]]) -> None:
    header = "Tjeneste\tTelias rolle\tDatatyper\tUnderleverandører\tBehandlingssted"
    body = "\n".join("\t".join(row) for row in rows)
    _parse(f"TITLE\n{header}\n{body}\n".encode())
