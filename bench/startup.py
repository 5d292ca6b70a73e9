"""Start-up as a user meets it: dataflyt installed as a regular package (not editable: an
editable install's path hooks slow every Python start, the floor too), in a virtual environment
of its own, timed against ``python -c pass`` of that same environment, in turns."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from figures import Row, Target, result, timings

__all__ = ["cold_start", "regular_install"]

ROOT = Path(__file__).resolve().parents[1]
SECTION = "1 start-up"


def regular_install(folder: Path) -> Path:
    """Install dataflyt from this checkout, as a regular package with its dependencies, into
    a new virtual environment in ``folder``; return the folder of its commands."""
    subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", f"{ROOT}[speed]"],
        check=True,
        capture_output=True,
    )
    return python.parent


def cold_start(commands: Path, seed_map: Path, category: str, runs: int) -> list[Row]:
    """Return the start-up rows: the floor, ``dataflyt --help`` and a ``touches`` on the seed
    from the installed commands in ``commands``, each a fresh process, taking turns so that
    they meet the same machine state; and each command's ratio to the floor."""
    # as installed, with bytecode caches (this sandbox turns them off)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    dataflyt = str(commands / "dataflyt")
    tried = {
        "python -c pass": [str(commands / "python"), "-c", "pass"],
        "dataflyt --help": [dataflyt, "--help"],
        f'dataflyt touches "{category}"': [dataflyt, "touches", "--map", str(seed_map), category],
    }
    times: dict[str, list[float]] = {name: [] for name in tried}
    for turn in range(runs + 1):
        for name, command in tried.items():
            start = time.perf_counter()
            subprocess.run(command, env=env, cwd=seed_map.parent, check=True, capture_output=True)
            if turn:  # the first turn only warms the caches
                times[name].append(time.perf_counter() - start)
    floor = statistics.median(times["python -c pass"])
    where = (SECTION, "python -c pass (the floor), regular install", "-", "-")
    rows = [timings(where, times["python -c pass"])]
    for name in list(tried)[1:]:
        size = "seed" if "touches" in name else "-"
        rows.append(timings((SECTION, name, "embedded", size), times[name], Target("<", 0.25, "s")))
        ratio = statistics.median(times[name]) / floor
        where = (SECTION, f"{name} / floor", "embedded", size)
        rows.append(result(where, ratio, "x", runs, Target("<=", 10, "x")))
    return rows
