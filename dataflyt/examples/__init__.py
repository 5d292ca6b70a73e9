"""Example documents bundled with dataflyt (the Phonero annex is the first real input)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["PHONERO", "example_paths"]

PHONERO = "phonero-tjenestebeskrivelse.txt"


def example_paths() -> list[Path]:
    """Return the paths of the bundled example annexes (``.txt``), sorted by name: what the
    demo, the seed tests and the bench load. The data-map example beside them is not one."""
    folder = Path(str(resources.files("dataflyt.examples")))
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")
