"""Merging documents: one node per organisation however it is written, data-map aliases win,
and every merge and conflict is reported by ``load`` and kept on the nodes."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ids import organisation_id
from dataflyt.ingest.load import LoadReport, load_files

LIST = """\
Sub-processors of Zendesk
DATE: May 6th, 2025
Sub-processor;Description of processing;Corporate location;Data location
"Zendesk, Inc.";Support;Ireland;"EEA, US (SCCs)"
AWS;Hosting;USA;Ireland
"""
MAP = """\
organisations:
  - name: ZENDESK INC
    country: US
  - name: Amazon Web Services
    aliases: [AWS]
services:
  - name: Zendesk
    provider: Zendesk
    role: controller
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    listed, mapped = tmp_path / "list.csv", tmp_path / "map.yaml"
    listed.write_text(LIST, "utf-8")
    mapped.write_text(MAP, "utf-8")
    return listed, mapped


def _merges(report: LoadReport) -> list[tuple[str, list[tuple[str, str, int | None]], str]]:
    return [
        (m.name, [(s.value, Path(s.path or "").name, s.line) for s in m.spellings], m.reason)
        for m in report.merges
    ]


def _conflicts(report: LoadReport) -> list[tuple[str, str, str, list[tuple[str, int | None]]]]:
    return [
        (c.kind, c.about, c.name, [(s.value, s.line) for s in c.statements])
        for c in report.conflicts
    ]


@pytest.mark.parametrize(
    "names",
    [
        ("Zendesk", "Zendesk, Inc.", "ZENDESK INC", "zendesk inc", "Zendesk  Inc."),
        ("Telenor", "Telenor ASA", "Telenor AS"),
        ("Procter & Gamble", "Procter and Gamble", "PROCTER & GAMBLE Co."),
        ("Acme", "Acme GmbH", "Acme AB", "Acme ApS", "Acme B.V.", "Acme S.A.", "Acme Ltd"),
    ],
)
def test_one_organisation_however_written(names: tuple[str, ...]) -> None:
    assert len({organisation_id(name) for name in names}) == 1


def test_merges_and_conflicts_are_reported(tmp_path: Path, files: tuple[Path, Path]) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    report = load_files(store, list(files))
    assert _merges(report) == [
        (
            "Amazon Web Services",
            [("Amazon Web Services", "map.yaml", 4), ("AWS", "list.csv", 5)],
            "aliases of Amazon Web Services in a data map",
        ),
        (
            "ZENDESK INC",
            [
                ("ZENDESK INC", "map.yaml", 2),
                ("Zendesk", "map.yaml", None),
                ("Zendesk", "list.csv", None),
                ("Zendesk, Inc.", "list.csv", 4),
            ],
            "the same name once case, punctuation and legal form are ignored",
        ),
    ]
    assert _conflicts(report) == [
        ("country", "organisation", "ZENDESK INC", [("US", 2), ("IE", 4)]),
        ("role", "service", "Zendesk", [("controller", 7), ("processor", 3)]),
    ]
    zendesk = store.node("org:zendesk")
    assert zendesk is not None
    assert zendesk.attrs["merged_names"] == ["ZENDESK INC", "Zendesk", "Zendesk, Inc."]
    assert zendesk.attrs["conflicts"] == ["country: US (map.yaml:2); IE (list.csv:4)"]
    assert store.node("org:aws") is None


def test_loading_again_gives_the_same_map(tmp_path: Path, files: tuple[Path, Path]) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    first = load_files(store, list(files))
    before = store.path.read_bytes()
    again = load_files(store, list(reversed(files)))
    assert (again.merges, again.conflicts) == (first.merges, first.conflicts)
    assert store.path.read_bytes() == before


def test_conflict_clears_when_the_documents_agree(tmp_path: Path, files: tuple[Path, Path]) -> None:
    listed, mapped = files
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [listed, mapped])
    mapped.write_text(
        MAP.replace("country: US", "country: Ireland").replace("controller", "processor")
    )
    report = load_files(store, [mapped])
    assert report.conflicts == []
    zendesk = store.node("org:zendesk")
    assert zendesk is not None
    assert zendesk.attrs["conflicts"] == []


def test_alias_declared_later_is_reported_until_the_earlier_document_is_reloaded(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    listed, mapped = files
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [listed])
    assert store.node("org:aws") is not None
    report = load_files(store, [mapped])
    assert [c for c in _conflicts(report) if c[0] == "alias"] == [
        ("alias", "organisation", "Amazon Web Services", [("AWS", 5)])
    ]
    report = load_files(store, [listed])
    assert [c.kind for c in report.conflicts] == ["country", "role"]
    assert store.node("org:aws") is None


def test_cli_load_prints_merges_and_conflicts(
    tmp_path: Path, runner: CliRunner, files: tuple[Path, Path]
) -> None:
    result = runner.invoke(app, ["load", "--map", str(tmp_path / "m.json"), *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "Organisations written differently, taken as one" in result.stdout
    assert "Documents that disagree" in result.stdout
    assert "ZENDESK INC" in result.stdout
