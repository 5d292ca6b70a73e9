"""Long commands show a progress bar on a terminal, and nothing when standard error is not a
terminal or with ``--quiet``. The terminal is a real pseudo-terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path

from tests.conftest import DATAFLYT, SEED


def on_terminal(args: list[str], delay: str = "0") -> tuple[int, str, str]:
    """Run dataflyt with standard error on a pseudo-terminal; return the exit code, standard
    output and what reached the terminal."""
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "120", "DATAFLYT_PROGRESS_AFTER": delay}
    with subprocess.Popen([DATAFLYT, *args], stdout=subprocess.PIPE, stderr=slave, env=env) as run:
        os.close(slave)
        seen = b""
        while True:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # the terminal closed with the process
                    break
                if not chunk:
                    break
                seen += chunk
            elif run.poll() is not None:
                break
        os.close(master)
        out, _ = run.communicate()
    return run.returncode, out.decode(), seen.decode(errors="replace")


def test_a_load_on_a_terminal_shows_a_bar_that_ends_complete(tmp_path: Path) -> None:
    code, out, terminal = on_terminal(["load", "--map", str(tmp_path / "m.json"), str(SEED)])
    assert code == 0
    # the bar is drawn when it starts and, cleared, when it ends; the steps in between can
    # be too quick for its refresh
    assert "Loaded" in terminal and "3/3" in terminal
    assert "Loaded" in out  # the report itself still goes to standard output
    assert "3/3" not in out


def test_quiet_shows_no_bar_on_a_terminal(tmp_path: Path) -> None:
    code, _, terminal = on_terminal(
        ["load", "--quiet", "--map", str(tmp_path / "m.json"), str(SEED)]
    )
    assert code == 0
    assert "Reading" not in terminal and "\x1b[" not in terminal


def test_work_shorter_than_the_delay_shows_no_bar(tmp_path: Path) -> None:
    code, _, terminal = on_terminal(
        ["load", "--map", str(tmp_path / "m.json"), str(SEED)], delay="30"
    )
    assert code == 0
    assert "Reading" not in terminal


def test_export_and_synth_show_their_steps(tmp_path: Path) -> None:
    map_file = tmp_path / "m.json"
    code, _, terminal = on_terminal(["synth", "-n", "20", "-o", str(map_file)])
    assert code == 0 and "Written" in terminal
    code, _, terminal = on_terminal(
        ["export", "--map", str(map_file), "-f", "graphml", "-o", str(tmp_path / "m.graphml")]
    )
    assert code == 0 and "Wrote graphml" in terminal


def test_no_bar_when_standard_error_is_not_a_terminal(tmp_path: Path) -> None:
    done = subprocess.run(
        [DATAFLYT, "load", "--map", str(tmp_path / "m.json"), str(SEED)],
        capture_output=True,
        text=True,
        env={**os.environ, "DATAFLYT_PROGRESS_AFTER": "0"},
        check=True,
    )
    assert done.stderr == ""
    assert "Reading" not in done.stdout
