"""Property-based: random and mutated data maps, sub-processor lists (CSV, HTML, Markdown) and
records of processing never raise anything but LoadError, and what loads also builds."""

from __future__ import annotations

import contextlib
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataflyt.errors import LoadError
from dataflyt.examples import example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders.models import DocumentFormat

DATA = Path(__file__).parent / "data"
DATAMAP = next(p.parent / "acme-datamap.yaml" for p in example_paths())
FIXTURES = {
    "map.yaml": DATAMAP.read_bytes(),
    "list.html": (DATA / "zendesk-subprocessors.html").read_bytes(),
    "list.md": (DATA / "slack-subprocessors.md").read_bytes(),
    "list.csv": (DATA / "telenor-underleverandorer.csv").read_bytes(),
    "ropa.csv": (DATA / "ropa.csv").read_bytes(),
    "names.html": (DATA / "northwind-subprocessors.html").read_bytes(),
    "appendix.html": (DATA / "normative-appendix-2.html").read_bytes(),
    "github.md": (DATA / "github-subprocessors.md").read_bytes(),
    "sv.csv": (DATA / "exempel-underbitraden.csv").read_bytes(),
}
FORMATS = [f for f in DocumentFormat if f is not DocumentFormat.ANNEX]
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters='\r\n|,;"'),
    max_size=40,
)


def _parse(name: str, data: bytes, fmt: DocumentFormat | None = None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        with contextlib.suppress(LoadError):
            store = EmbeddedStore(Path(folder) / "the-map.json")
            load_files(store, [path], "Provider", document_format=fmt)


@SETTINGS
@given(st.sampled_from(FORMATS), st.binary(max_size=1500))
def test_random_bytes_in_any_format(fmt: DocumentFormat, data: bytes) -> None:
    _parse("doc.txt", data, fmt)


@SETTINGS
@given(
    st.sampled_from(sorted(FIXTURES)),
    st.lists(
        st.tuples(
            st.integers(0, 4000),
            st.sampled_from(
                [
                    b"",
                    b"|",
                    b",",
                    b";",
                    b'"',
                    b"\n",
                    b"<td>",
                    b"</tr>",
                    b"{",
                    b"}",
                    b"[",
                    b"]",
                    b": ",
                    b"- ",
                    b"&",
                    b"*",
                    b"!!",
                    b"(",
                    b")",
                    b"\t",
                    b"<![",
                    b"\xff",
                    b"SCCs",
                    b"Name",
                ]
            ),
            st.integers(0, 12),
        ),
        max_size=6,
    ),
)
def test_mutated_fixtures(name: str, edits: list[tuple[int, bytes, int]]) -> None:
    data = bytearray(FIXTURES[name])
    for position, insert, removed in edits:
        at = position % (len(data) + 1)
        data[at : at + removed] = insert
    _parse(name, bytes(data))


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), CELL)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "provider",
                    "countries",
                    "country",
                    "categories",
                    "category",
                    "subjects",
                    "role",
                    "aliases",
                    "subprocessors",
                    "exhaustive",
                    "x",
                ]
            ),
            inner,
            max_size=4,
        )
    ),
    max_leaves=12,
)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["organisations", "services", "title", "date", "owner"]), VALUES, max_size=3
    ),
    st.booleans(),
)
def test_random_data_maps(data: dict[str, object], as_json: bool) -> None:
    text = json.dumps(data) if as_json else yaml.safe_dump(data, allow_unicode=True)
    _parse("map.json" if as_json else "map.yaml", text.encode())


@SETTINGS
@given(
    st.sampled_from(["csv", "md", "html"]),
    st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=4),
)
def test_random_rows_under_a_real_header(kind: str, rows: list[list[str]]) -> None:
    header = ["Entity name", "Purpose", "Location", "Personal data", "Relevant services"]
    if kind == "csv":
        text = "\n".join(";".join(row) for row in [header, *rows])
    elif kind == "md":
        lines = [header, ["---"] * len(header), *rows]
        text = "# X sub-processors\n\n" + "\n".join("| " + " | ".join(r) + " |" for r in lines)
    else:
        cells = "".join(
            "<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows
        )
        text = "<table><tr>" + "".join(f"<th>{h}</th>" for h in header) + f"</tr>{cells}</table>"
    _parse(f"list.{kind}", text.encode())
