"""Loading documents into a store: parse every file first, then replace their documents in
one atomic step, so one bad file means nothing is written."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from dataflyt.graph.build import build_batch
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.loaders import parse_documents
from dataflyt.loaders.models import UnmappedTerm

__all__ = ["LoadReport", "LoadedDocument", "load_files"]


class LoadedDocument(BaseModel):
    """One document that was loaded, and the version it replaced if any."""

    id: str
    title: str
    provider: str
    path: str
    date: str | None
    services: int
    replaced_date: str | None = None
    replaced: bool = False


class LoadReport(BaseModel):
    """What a load did: documents, what they hold per node kind, and the unmapped terms."""

    documents: list[LoadedDocument]
    counts: dict[str, int]
    unmapped: list[UnmappedTerm]


def load_files(store: GraphStore, paths: list[Path], provider: str | None = None) -> LoadReport:
    """Parse ``paths`` and replace their documents in ``store``; return what was loaded.

    Raises ``LoadError`` before anything is written when any file is bad.
    """
    parsed = parse_documents(paths, provider=provider)
    batch = build_batch(parsed)
    loaded = []
    for doc_node in batch.documents:
        previous = store.node(doc_node.id)
        loaded.append(
            LoadedDocument(
                id=doc_node.id,
                title=doc_node.name,
                provider=doc_node.attrs["provider"],
                path=doc_node.attrs["path"],
                date=doc_node.attrs["date"],
                services=doc_node.attrs["services"],
                replaced=previous is not None,
                replaced_date=previous.attrs.get("date") if previous else None,
            )
        )
    store.replace_documents(batch)
    counts = {kind.value: 0 for kind in NodeKind if kind is not NodeKind.DOCUMENT}
    for node in batch.nodes:
        if node.kind is not NodeKind.DOCUMENT:
            counts[node.kind.value] += 1
    unmapped = [term for doc in parsed for term in doc.unmapped]
    return LoadReport(documents=loaded, counts=counts, unmapped=unmapped)
