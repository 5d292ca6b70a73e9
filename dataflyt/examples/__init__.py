"""Example documents bundled with dataflyt (the Phonero annex is the first real input)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["PHONERO", "example_paths"]

PHONERO = "phonero-tjenestebeskrivelse.txt"


def example_paths() -> list[Path]:
    """Return the paths of the bundled example documents, sorted by name."""
    folder = Path(str(resources.files("dataflyt.examples")))
    return sorted(p for p in folder.iterdir() if p.suffix == ".txt")
