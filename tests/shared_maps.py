"""Maps of real and realistic documents where two providers engage one sub-processor, each
stating its own places for it, and where a list states no place at all: the documents that
show whether a fact is taken only along the path it belongs to, and silence never read as
safe."""

from __future__ import annotations

from pathlib import Path

from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED

__all__ = ["DATA", "SUPPORT", "load_no_places", "load_support_list", "load_zendesk_twice"]

DATA = Path(__file__).parent / "data"
SUPPORT = "Supporthenvendelser via mail/Chat"


def load_zendesk_twice(store: GraphStore) -> GraphStore:
    """Load Phonero's annex (its support service's row places Zendesk in Germany) and
    GitHub's published list (Zendesk in the United States) into ``store``; return it."""
    load_files(store, [SEED])
    load_files(store, [DATA / "github-subprocessors.md"], "GitHub")
    return store


def load_support_list(store: GraphStore) -> GraphStore:
    """Load Phonero's support service's own sub-processor list, a second statement of its
    engagement of Zendesk (with the purpose and the categories passed on), into ``store``;
    return it."""
    load_files(store, [DATA / "phonero-support-underleverandorer.csv"], "Phonero", service=SUPPORT)
    return store


def load_no_places(store: GraphStore) -> GraphStore:
    """Load a sub-processor list that names no place of processing into ``store``; return
    it."""
    load_files(store, [DATA / "kvitre-subprocessors.md"], "Kvitre Mail")
    return store
