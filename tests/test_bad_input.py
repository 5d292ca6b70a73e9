"""Bad documents: one line naming the file (and line), exit code 1, the map left unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError
from dataflyt.loaders import parse_document
from tests.conftest import SEED


def _row_with(cells: int) -> str:
    return "\t".join(["Extra service", "Databehandler", "Navn", "Zendesk", "Norge", "x"][:cells])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"\x00\x01\x02binary\x00", "is a binary file"),
        (b"Just some prose.\nNo table here.\n", "not a known document format"),
    ],
)
def test_unreadable_documents(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "doc.txt"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(LoadError) as error:
        parse_document(path)
    assert str(error.value).startswith(f"{path}: ")
    assert message in str(error.value)


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="is a directory"):
        parse_document(tmp_path)


@pytest.mark.parametrize("cells", [3, 6])
def test_row_with_wrong_number_of_cells_names_the_line(tmp_path: Path, cells: int) -> None:
    lines = SEED.read_text("utf-8").split("\n")
    lines.insert(9, _row_with(cells))
    path = tmp_path / "annex.txt"
    path.write_text("\n".join(lines), "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path)
    assert str(error.value) == f"{path}:10: row has {cells} cells, the header has 5"


def test_cli_bad_file_leaves_the_map_unchanged(tmp_path: Path, runner: CliRunner) -> None:
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(SEED)]).exit_code == 0
    before = map_path.read_bytes()
    bad = tmp_path / "bad.txt"
    bad.write_text(
        "Tjeneste\tRolle\tDatatyper\tUnderleverandører\tBehandlingssted\nA\tB\n", "utf-8"
    )
    other = tmp_path / "other.txt"
    other.write_text(SEED.read_text("utf-8").replace("PHONERO", "ACME"), "utf-8")
    result = runner.invoke(app, ["load", "--map", str(map_path), str(other), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"dataflyt: error: {bad}:2: row has 2 cells, the header has 5\n"
    assert map_path.read_bytes() == before


@pytest.mark.parametrize("target", ["missing.txt", "."])
def test_cli_missing_file_or_directory(tmp_path: Path, runner: CliRunner, target: str) -> None:
    map_path = tmp_path / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(tmp_path / target)])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert not map_path.exists()


def test_corrupt_map_file_is_one_line(tmp_path: Path, runner: CliRunner) -> None:
    map_path = tmp_path / "map.json"
    map_path.write_text("{not json", "utf-8")
    result = runner.invoke(app, ["list", "services", "--map", str(map_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"dataflyt: error: {map_path}: cannot read the map")
