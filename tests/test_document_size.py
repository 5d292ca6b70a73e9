"""Size: a document over the limit (10 MB, or ``DATAFLYT_MAX_DOCUMENT_MB``) is refused before
it is read, in one line with exit 1; running out of memory anywhere is one line and exit 1,
never a traceback, and leaves the map as it was."""

from __future__ import annotations

import os
import resource
import subprocess
import threading
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError
from dataflyt.loaders import parse_document
from dataflyt.loaders.text import DEFAULT_MAX_DOCUMENT_MB
from tests.conftest import DATAFLYT, SEED

LIMIT = "DATAFLYT_MAX_DOCUMENT_MB"
ADVICE = f"split it, or set {LIMIT} to a larger limit"


@pytest.fixture(autouse=True)
def default_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LIMIT, raising=False)


def test_a_document_over_the_limit_is_refused_before_it_is_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    # 50 MB that take no room on disk: read, they would be "a binary file"
    huge = tmp_path / "annex.txt"
    with huge.open("wb") as stream:
        stream.truncate(50_000_000)
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(SEED)]).exit_code == 0
    before = map_path.read_bytes()
    result = runner.invoke(app, ["load", "--map", str(map_path), str(huge)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"dataflyt: error: {huge}: is 50,000,000 bytes, more than the "
        f"{DEFAULT_MAX_DOCUMENT_MB} MB a document may be: {ADVICE}\n"
    )
    assert map_path.read_bytes() == before


def test_the_limit_is_set_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    size = SEED.stat().st_size
    monkeypatch.setenv(LIMIT, str((size - 1) / 1_000_000))
    with pytest.raises(LoadError) as error:
        parse_document(SEED)
    assert str(error.value) == (
        f"{SEED}: is {size:,} bytes, more than the {(size - 1) / 1_000_000:g} MB a document "
        f"may be: {ADVICE}"
    )
    monkeypatch.setenv(LIMIT, str(size / 1_000_000))
    assert len(parse_document(SEED).services) == 11


@pytest.mark.parametrize("value", ["lots", "0", "-5", "inf", "nan"])
def test_a_limit_that_is_no_size_is_a_usage_error(
    value: str, runner: CliRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(LIMIT, value)
    result = runner.invoke(app, ["load", "--map", str(tmp_path / "m.json"), str(SEED)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dataflyt: error: {LIMIT}={value!r} is not a number of megabytes above 0\n"
    )


def test_no_more_than_the_limit_is_read_from_a_pipe(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LIMIT, "0.01")
    fifo = tmp_path / "annex.txt"
    os.mkfifo(fifo)

    def feed() -> None:  # far more than the limit, then the reader goes away
        try:
            with fifo.open("wb") as stream:
                for _ in range(1000):
                    stream.write(SEED.read_bytes())
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=feed)
    writer.start()
    with pytest.raises(LoadError) as error:
        parse_document(fifo)
    writer.join(timeout=30)
    assert str(error.value) == f"{fifo}: holds more than the 0.01 MB a document may be: {ADVICE}"


def test_running_out_of_memory_in_a_command_is_one_line(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dataflyt.queries import touches

    def exhausted(*args: object) -> None:
        raise MemoryError

    monkeypatch.setattr(touches, "touches", exhausted)
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(SEED)]).exit_code == 0
    result = runner.invoke(app, ["touches", "call recordings", "--map", str(map_path)])
    assert result.exit_code == 1
    assert result.stderr.startswith("dataflyt: error: out of memory: ")
    assert len(result.stderr.splitlines()) == 1


# Address space for the process: room to start and load the seed, none for reading a
# document of 300 MB (allowed by DATAFLYT_MAX_DOCUMENT_MB). A real load runs out of memory
# little by little, and under an address-space limit CPython then sometimes fails inside the
# interpreter (SystemError) rather than raising MemoryError; one large read fails the same way
# every time.
MEMORY = 250_000_000


def _with_little_memory(*args: str | Path) -> subprocess.CompletedProcess[str]:
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    return subprocess.run(
        [DATAFLYT, *args],
        capture_output=True,
        text=True,
        preexec_fn=limit,
        env={**os.environ, LIMIT: "1000"},
        check=False,
    )


@pytest.mark.parametrize("command", ["load", "diff"])
def test_the_installed_command_out_of_memory_is_one_line(command: str, tmp_path: Path) -> None:
    map_path = tmp_path / "map.json"
    seeded = _with_little_memory("load", "--map", map_path, SEED)
    assert seeded.returncode == 0, seeded.stderr  # the limit leaves room for a command
    before = map_path.read_bytes()
    large = tmp_path / "large.txt"
    with large.open("wb") as stream:
        stream.truncate(300_000_000)
    if command == "load":  # a command with a store (open_cli_store) ...
        done = _with_little_memory("load", "--map", map_path, large)
    else:  # ... and one without (main)
        done = _with_little_memory("diff", SEED, large)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("dataflyt: error: out of memory: ")
    assert len(done.stderr.splitlines()) == 1
    assert map_path.read_bytes() == before
