"""Write docs/benchmarks.md from bench/results.json: this run's table and what each figure
means (``make bench`` runs it after ``bench/run.py``). The page holds one run, no history.

    .venv/bin/python bench/page.py [--results bench/results.json] [--output docs/benchmarks.md]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from figures import Row, shown

ROOT = Path(__file__).resolve().parents[1]

INTRO = """\
# Benchmarks

Written by `make bench` (`bench/run.py`, then `bench/page.py`) from `bench/results.json`; do
not edit by hand. Each figure is the median of repeated runs in one run of the benchmark (p95
for queries too); a figure with a target says whether it is met, or by what factor it is
missed.

## What each figure measures

- **machine**: a plain Python loop, at the start and at the end of the run. The machine's speed
  drifts (other work on it, thermal limits), and every other figure drifts with it.
- **start-up**: a fresh process of the installed `dataflyt` (a regular install in a virtual
  environment of its own, as a user has it; an editable install's path hooks slow every start),
  against `python -c pass` of that same environment, taking turns. Target: each command under
  250 ms and at most 10 times the floor.
- **load**: the bundled examples parsed and loaded, a synthetic map generated and loaded
  (`dataflyt.synth`: the load workflow, with its name resolution and checks, into a map file),
  opening a map file, and writing a whole map into an empty Neo4j database (one transaction).
- **query**: `touches`, `breach` of the SMS vendor at the end of chains four levels deep, and
  `transfers`, answered as the library answers them (every fact cited), on a warm store; and
  `dataflyt breach --json` end to end, a process of its own.
- **query as of a date**: `breach` on a map holding three versions of every document, today and
  as of a past date; target: as of a date under twice the time of today.
- **bulk load**: Neo4j loads of the same map, batched as the store writes it and one statement
  per node and relationship, in turns; the ratio is reported, with no target.
- **memory**: the peak resident memory of a process that opens the largest map file and
  answers one breach.
"""


def table(rows: list[Row]) -> str:
    """Return the rows as one Markdown table."""
    head = ["", "measure", "store", "map", "p50", "p95", "runs", "target", "verdict", "note"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in rows:
        cells = [
            r.section,
            r.measure,
            r.store,
            r.map,
            shown(r.value, r.unit),
            shown(r.p95, r.unit),
            str(r.runs or ""),
            r.target,
            r.verdict,
            r.note,
        ]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def page(results: dict[str, Any]) -> str:
    """Return the page for the results of one run."""
    meta = results["meta"]
    rows = [Row(**row) for row in results["rows"]]
    missed = [r for r in rows if r.verdict.startswith("MISSED")]
    run = (
        f"## This run\n\nPython {meta['python']}, {meta['cpus']} CPUs, {meta['neo4j']}; "
        f"{meta['seconds']:.0f} s{' (--quick)' if meta['quick'] else ''}. "
        f"{len(missed)} of {sum(1 for r in rows if r.target)} targets missed.\n"
    )
    return f"{INTRO}\n{run}\n{table(rows)}\n"


def main() -> int:
    """Write the page."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "results.json")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args()
    results = json.loads(args.results.read_text("utf-8"))
    args.output.write_text(page(results), encoding="utf-8")
    print(f"bench: wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
