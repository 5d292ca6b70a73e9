"""Every file dataflyt writes (the map, an export, a diagram, a report) is written whole or not
at all: when the disk is full, the command says so in one line, exits 1, and the file that was
there before is unchanged, with no temporary file left beside it."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt import atomic
from dataflyt.cli.main import app
from tests.conftest import SEED

COMMANDS = {
    "load": ["load", str(SEED)],
    "export": ["export", "--format", "json"],
    "diagram": ["diagram", "--all", "--format", "dot"],
    "report": ["report", "--all", "--format", "md"],
}


@pytest.fixture
def loaded(tmp_path: Path, runner: CliRunner) -> list[str]:
    """Return the options of an embedded map holding the seed."""
    map_path = tmp_path / "map" / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(SEED)])
    assert result.exit_code == 0, result.output
    return ["--map", str(map_path)]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_full_disk_leaves_the_old_file(
    command: str,
    loaded: list[str],
    tmp_path: Path,
    runner: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "previous.txt"
    target.write_bytes(b"what was there before\n")
    args = [*COMMANDS[command], *loaded]
    if command == "load":  # the map itself is the file written
        target = Path(loaded[1])
        folder = target.parent
    else:
        args += ["-o", str(target)]
    before = target.read_bytes()
    files_before = sorted(folder.iterdir())

    def disk_full(source: str, destination: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(": No space left on device\n")
    assert len(result.stderr.splitlines()) == 1
    assert f"dataflyt: error: {target}: cannot write" in result.stderr
    assert target.read_bytes() == before
    assert sorted(folder.iterdir()) == files_before
