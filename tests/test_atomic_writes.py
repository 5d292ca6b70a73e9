"""Every file dataflyt writes (the map, an export, a diagram, a report) is written whole or not
at all: when the disk is full, the command says so in one line, exits 1, and the file that was
there before is unchanged, with no temporary file left beside it."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt import atomic
from dataflyt.cli.main import app
from tests.conftest import SEED, require_root

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

    monkeypatch.setattr(os, "replace", disk_full)  # as dataflyt.atomic calls it
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert result.stderr.endswith(": No space left on device\n")
    assert len(result.stderr.splitlines()) == 1
    assert f"dataflyt: error: {target}: cannot write" in result.stderr
    assert target.read_bytes() == before
    assert sorted(folder.iterdir()) == files_before


def _target(command: str, loaded: list[str], folder: Path) -> tuple[Path, list[str]]:
    """Return the file ``command`` writes and its arguments: the map for ``load``, else the
    file named by ``-o``."""
    args = [*COMMANDS[command], *loaded]
    if command == "load":
        return Path(loaded[1]), args
    return folder / "out", [*args, "-o", str(folder / "out")]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_link_is_written_through_and_the_mode_kept(
    command: str, loaded: list[str], tmp_path: Path, runner: CliRunner
) -> None:
    real, args = _target(command, loaded, tmp_path)
    if command != "load":
        real.write_bytes(b"before\n")
    moved = tmp_path / "elsewhere" / "real-file"
    moved.parent.mkdir()
    real.rename(moved)
    real.symlink_to(moved)
    moved.chmod(0o600)
    before = moved.stat().st_ino
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert real.is_symlink()
    assert real.readlink() == moved
    assert moved.stat().st_ino != before  # replaced, through the link
    assert oct(moved.stat().st_mode & 0o777) == "0o600"
    # nothing beside the target but, for a map, the lock file loads take turns on
    left = sorted(p.name for p in moved.parent.iterdir())
    assert left in (["real-file"], ["real-file", "real-file.lock"])


def test_the_owner_and_group_are_kept(loaded: list[str], runner: CliRunner) -> None:
    require_root("only root may give a file to another user")
    map_path = Path(loaded[1])
    os.chown(map_path, 1234, 5678)
    map_path.chmod(0o640)
    result = runner.invoke(app, ["load", *loaded, str(SEED)])
    assert result.exit_code == 0, result.output
    kept = map_path.stat()
    assert (kept.st_uid, kept.st_gid, oct(kept.st_mode & 0o777)) == (1234, 5678, "0o640")


def test_a_new_file_follows_the_umask(tmp_path: Path, runner: CliRunner) -> None:
    map_path = tmp_path / "private.json"
    old = os.umask(0o077)
    try:
        result = runner.invoke(app, ["load", "--map", str(map_path), str(SEED)])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert oct(map_path.stat().st_mode & 0o777) == "0o600"


KILLED_WRITE = """
import os, signal, sys
from pathlib import Path
from dataflyt import atomic
atomic.os.replace = lambda *args: os.kill(os.getpid(), signal.SIGKILL)
atomic.write_atomically(Path(sys.argv[1]), b"half a map")
"""


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_a_killed_writes_leftover_is_removed_by_the_next_write(
    loaded: list[str], runner: CliRunner
) -> None:
    map_path = Path(loaded[1])
    killed = subprocess.run([sys.executable, "-c", KILLED_WRITE, str(map_path)], check=False)
    assert killed.returncode == -signal.SIGKILL
    (leftover,) = map_path.parent.glob(f".{map_path.name}.*{atomic.TEMPORARY_SUFFIX}")
    assert leftover.read_bytes() == b"half a map"
    # a write still going on in this (live) process, and one whose process cannot be judged
    # from here (another machine's), both recent: neither may be removed
    live = map_path.with_name(f".{map_path.name}.{os.getpid()}.cafe{atomic.TEMPORARY_SUFFIX}")
    elsewhere = map_path.with_name(f".{map_path.name}.999999999.beef{atomic.TEMPORARY_SUFFIX}")
    for path in (live, elsewhere):
        path.write_bytes(b"being written")
        _age(path, atomic.LEFTOVER_AGE + 60)
    _age(elsewhere, atomic.LEFTOVER_AGE - 30)

    def write() -> set[str]:
        assert runner.invoke(app, ["load", *loaded, str(SEED)]).exit_code == 0
        lock = map_path.name + ".lock"  # the lock file loads take turns on
        return {p.name for p in map_path.parent.iterdir()} - {lock}

    # the killed write's file is younger than LEFTOVER_AGE: a writer that just started
    assert leftover.name in write()
    _age(leftover, atomic.LEFTOVER_AGE + 1)
    assert write() == {map_path.name, live.name, elsewhere.name}
    _age(live, atomic.ABANDONED_AGE + 1)
    _age(elsewhere, atomic.LEFTOVER_AGE + 1)
    assert write() == {map_path.name}
    assert json.loads(map_path.read_bytes())


def test_a_leftover_named_by_an_impossible_process_id_is_removed(
    loaded: list[str], runner: CliRunner
) -> None:
    map_path = Path(loaded[1])
    leftover = map_path.with_name(f".{map_path.name}.{10**20}.f00d{atomic.TEMPORARY_SUFFIX}")
    leftover.write_bytes(b"half a map")
    _age(leftover, atomic.LEFTOVER_AGE + 1)
    assert runner.invoke(app, ["load", *loaded, str(SEED)]).exit_code == 0
    assert not leftover.exists()
