"""The Cypher export: a script whose every literal decodes back to the value it was written
from, of two fixed statement shapes whatever the names, that recreates the map in Neo4j and is
the same text for the same map."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.config import Neo4jSettings
from dataflyt.exports import ExportFormat, export
from dataflyt.exports.cypher import cypher_literal
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.export_fixtures import HOSTILE, HOSTILE_SERVICE, everything
from tests.store_fixtures import Reopen, run_cypher

# -- Cypher literals, read back the way Cypher reads them -----------------------------------

_CYPHER_ESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b"}
_CYPHER_ESCAPES["f"] = "\f"


def read_cypher_string(text: str, start: int) -> tuple[str, int]:
    """Return the value of the single-quoted Cypher string at ``text[start]`` and where it ends."""
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
            out.append(_CYPHER_ESCAPES[text[i + 1]])
            i += 2
    return "".join(out), i + 1


def split_literals(statement: str) -> tuple[str, list[str]]:
    """Return ``statement`` with each string literal replaced by ``?``, and the literals' values."""
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


def test_cypher_script_keeps_every_hostile_value_inside_its_literal(
    hostile_store: EmbeddedStore,
) -> None:
    script = str(export(hostile_store, ExportFormat.CYPHER))
    header, constraint, *statements = script.splitlines()
    assert header.startswith("//") and constraint.startswith("CREATE CONSTRAINT")
    nodes, edges = everything(hostile_store)
    assert len(statements) == len(nodes) + len(edges)
    decoded: list[str] = []
    for statement in statements:
        skeleton, values = split_literals(statement)
        # outside its literals every statement is one of two fixed shapes: nothing escaped
        assert _NODE.fullmatch(skeleton) or _EDGE.fullmatch(skeleton), skeleton
        decoded += values
    for value in [*HOSTILE, HOSTILE_SERVICE, '=HYPERLINK("http://x")']:
        assert value in decoded


@pytest.mark.neo4j
def test_cypher_script_recreates_the_map_once_however_often_it_runs(
    hostile_store: EmbeddedStore,
    neo4j_store: GraphStore,
    neo4j_settings: Neo4jSettings,
    reopen: Reopen,
) -> None:
    script = str(export(hostile_store, ExportFormat.CYPHER))
    for _ in range(2):
        for statement in script.splitlines()[1:]:  # as a user runs it, statement by statement
            run_cypher(neo4j_settings, statement)
        # a store opened after the script ran: it reads the versions in force when opened
        assert everything(reopen(neo4j_store, None)) == everything(hostile_store)


def test_the_same_map_gives_the_same_script(hostile_store: EmbeddedStore, tmp_path: Path) -> None:
    copy = tmp_path / "copy.json"
    copy.write_text(str(export(hostile_store, ExportFormat.JSON)), "utf-8")
    other = EmbeddedStore(tmp_path / "other.json")
    load_files(other, [copy])
    assert export(other, ExportFormat.CYPHER) == export(hostile_store, ExportFormat.CYPHER)
