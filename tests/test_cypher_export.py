"""The Cypher export: every literal decodes back to the value it was written from, every
statement has one of two fixed shapes whatever the names hold, and the script recreates the
map in Neo4j with the properties the Neo4j store writes."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.config import Neo4jSettings
from dataflyt.exports.cypher import cypher_literal, export_cypher
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Direction, Document, Engages, GraphBatch, NodeKind, Organisation
from dataflyt.graph.neo4j_store import Neo4jStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED
from tests.store_fixtures import Reopen, run_cypher

HOSTILE = [
    "x' }) DETACH DELETE n //",
    "'}) DETACH DELETE n //",
    "quote \" and \\ backslash \\' escaped",
    "line\nbreak\ttab\rreturn",
    "=1+2",
    "`backtick` <script>alert(1)</script> æøå 🙂",
    "control \x01\x1f\x7f\u2028 characters",
]


def hostile_batch() -> GraphBatch:
    """Return a document whose organisations, wording and purposes are hostile names."""
    doc = Document(
        id="document:hostile@1",
        name=HOSTILE[0],
        identity="document:hostile",
        provider=HOSTILE[1],
        path=HOSTILE[3],
        format="annex",
        sha256="0" * 64,
        loaded="2025-01-31",
        valid_from="2025-01-31",
    )
    orgs = [Organisation(id=f"org:h{i}", name=name) for i, name in enumerate(HOSTILE)]
    edges = [
        Engages(
            source=a.id,
            target=b.id,
            doc=doc.id,
            line=i,
            text=HOSTILE[i],
            purpose=HOSTILE[-1 - i],
            details=(HOSTILE[i],),
        )
        for i, (a, b) in enumerate(itertools.pairwise(orgs))
    ]
    return GraphBatch(documents=[doc], nodes=orgs, edges=edges)


@pytest.fixture
def hostile_store(tmp_path: Path) -> EmbeddedStore:
    """Return the seed's map with a document of hostile names."""
    store = EmbeddedStore(tmp_path / "hostile-map.json")
    load_files(store, [SEED])
    store.replace_documents(hostile_batch())
    return store


_ESCAPED = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}


def read_cypher_string(text: str, start: int) -> tuple[str, int]:
    """Return the value of the single-quoted Cypher string at ``text[start]`` and where it
    ends, read the way Cypher reads it."""
    assert text[start] == "'"
    out, i = [], start + 1
    while text[i] != "'":
        if text[i] != "\\":
            out.append(text[i])
            i += 1
        elif text[i + 1] in "uU":
            digits = 4 if text[i + 1] == "u" else 8
            out.append(chr(int(text[i + 2 : i + 2 + digits], 16)))
            i += 2 + digits
        else:
            out.append(_ESCAPED[text[i + 1]])
            i += 2
    return "".join(out), i + 1


def split_literals(statement: str) -> tuple[str, list[str]]:
    """Return ``statement`` with each string literal replaced by ``?``, and their values."""
    skeleton, values, i = [], [], 0
    while i < len(statement):
        if statement[i] == "'":
            value, i = read_cypher_string(statement, i)
            values.append(value)
            skeleton.append("?")
        else:
            skeleton.append(statement[i])
            i += 1
    return "".join(skeleton), values


_VALUE = r"(?:\?|true|false|-?\d+(?:\.\d+)?|\[(?:\?(?:, \?)*)?\])"
_MAP = rf"\{{(?:`\w+`: {_VALUE}(?:, `\w+`: {_VALUE})*)?\}}"
_NODE = re.compile(rf"MERGE \(n:Node \{{id: \?\}}\) SET n = {_MAP}, n:[A-Za-z]+;")
_EDGE = re.compile(
    rf"MATCH \(s:Node \{{id: \?\}}\), \(t:Node \{{id: \?\}}\) "
    rf"MERGE \(s\)-\[:[A-Z_]+ {_MAP}\]->\(t\);"
)


@pytest.mark.parametrize("value", HOSTILE)
def test_cypher_literals_decode_to_their_value(value: str) -> None:
    literal = cypher_literal(value)
    assert read_cypher_string(literal, 0) == (value, len(literal))
    assert "\n" not in literal and "\r" not in literal


@given(st.text())
def test_any_text_round_trips_through_a_cypher_literal(value: str) -> None:
    literal = cypher_literal(value)
    assert read_cypher_string(literal, 0) == (value, len(literal))


def everything(store: GraphStore) -> tuple[list[object], list[object]]:
    nodes = sorted((n for kind in NodeKind for n in store.nodes(kind)), key=lambda n: n.id)
    return nodes, list(store.edges([n.id for n in nodes], Direction.OUT))


def test_cypher_script_keeps_every_hostile_value_inside_its_literal(
    hostile_store: EmbeddedStore,
) -> None:
    header, constraint, *statements = export_cypher(hostile_store).splitlines()
    assert header.startswith("//") and constraint.startswith("CREATE CONSTRAINT")
    nodes, edges = everything(hostile_store)
    assert len(statements) == len(nodes) + len(edges)
    decoded: list[str] = []
    for statement in statements:
        skeleton, values = split_literals(statement)
        # outside its literals every statement is one of two fixed shapes: nothing escaped
        assert _NODE.fullmatch(skeleton) or _EDGE.fullmatch(skeleton), skeleton
        decoded += values
    assert set(HOSTILE) <= set(decoded)


@pytest.mark.neo4j
def test_cypher_script_recreates_the_map(
    hostile_store: EmbeddedStore,
    neo4j_store: Neo4jStore,
    neo4j_settings: Neo4jSettings,
    reopen: Reopen,
) -> None:
    script = export_cypher(hostile_store)
    for statement in script.splitlines()[1:]:  # as a user runs it, statement by statement
        run_cypher(neo4j_settings, statement)
    assert everything(reopen(neo4j_store, None)) == everything(hostile_store)
    # run again, it adds nothing
    for statement in script.splitlines()[1:]:
        run_cypher(neo4j_settings, statement)
    assert everything(reopen(neo4j_store, None)) == everything(hostile_store)
