"""Fixtures for the export tests: a map full of hostile names (Cypher and formula injection,
quotes, backslashes, control characters) loaded from a data map and written as a batch, beside
the seed. ``conftest.py`` loads them for every test module."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    DescribedIn,
    Direction,
    Document,
    Engages,
    GraphBatch,
    NodeKind,
    Organisation,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files

EXAMPLES = Path(__file__).parents[1] / "dataflyt" / "examples"

HOSTILE = [
    "x' }) DETACH DELETE n //",
    "'}) DETACH DELETE n //",
    "quote \" and \\ backslash \\' escaped",
    "line\nbreak\ttab\rreturn",
    "=1+2",
    "`backtick` <script>alert(1)</script> æøå 🙂",
    "control \x01\x1f\x7f\u2028 characters",
]

HOSTILE_MAP = """\
title: "Hostile map '}) DETACH DELETE n //"
owner: "=HYPERLINK(\\"http://x\\")"
date: 2025-01-31
services:
  - name: "x'}) DETACH DELETE n // \\\\ \\" `tick` \\x01"
    provider: "=HYPERLINK(\\"http://x\\")"
    role: processor
    purposes: ["-2+3", "@SUM(A1)", "\\tcmd"]
    subjects: [customers]
    categories: [navn, "+cmd|' /C calc'!A0"]
    subprocessors:
      - name: "@evil <script>alert(1)</script> æøå"
        purpose: "line\\nbreak"
        countries: [{country: USA, safeguards: [SCCs]}]
    countries: [Norge, India]
"""
HOSTILE_SERVICE = "x'}) DETACH DELETE n // \\ \" `tick` \x01"

# a Norwegian sub-processor list naming its sub-processors and their purposes, but no places
# (load it with provider Fiken AS)
FIKEN = """\
# Fiken AS \u2013 underleverandører

Sist oppdatert: 3. mars 2024

| Underleverandør | Formål |
|---|---|
| Amazon Web Services EMEA SARL | Drift og lagring |
| Zendesk, Inc. | Kundestøtte |
"""

# an organisation providing several services, each with its own sub-processor, engaged by a
# service of another provider: which of its services carries that service's data is not stated
SEVERAL_SERVICES = """\
title: Zendesk's products
services:
  - name: Support Suite
    provider: Zendesk
    categories: [navn]
    subprocessors: [{name: Amazon Web Services, purpose: hosting, countries: [Tyskland]}]
  - name: Sunshine Conversations
    provider: Zendesk
    categories: [navn]
    subprocessors: [{name: Twilio, purpose: messaging, countries: [USA]}]
  - name: Kundeservice
    provider: Phonero
    categories: [navn]
    subprocessors: [Zendesk]
"""


def hostile_batch() -> GraphBatch:
    """Return a document whose organisations are named by hostile texts, each engaging the
    next with a hostile purpose and wording."""
    doc = Document(
        id="document:hostile@000000000000",
        name=HOSTILE[0],
        identity="document:hostile",
        provider=HOSTILE[4],
        path="hostile.txt",
        format="annex",
        sha256="0" * 64,
        loaded="2025-01-31",
        valid_from="2025-01-31",
    )
    orgs = [Organisation(id=f"org:h{i}", name=name) for i, name in enumerate(HOSTILE)]
    edges: list[AnyEdge] = [
        DescribedIn(source=o.id, target=doc.id, doc=doc.id, spellings=(o.name,), aliases=(o.name,))
        for o in orgs
    ]
    edges += [
        Engages(
            source=a.id,
            target=b.id,
            doc=doc.id,
            line=i,
            text=HOSTILE[i],
            purpose=HOSTILE[-1 - i],
        )
        for i, (a, b) in enumerate(itertools.pairwise(orgs))
    ]
    return GraphBatch(documents=[doc], nodes=list(orgs), edges=edges)


@pytest.fixture
def hostile_store(tmp_path: Path) -> EmbeddedStore:
    """Return a map loaded from a data-map file full of hostile names, plus the seed and a
    batch of hostile organisations."""
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_MAP, "utf-8")
    store = EmbeddedStore(tmp_path / "hostile-map.json")
    load_files(store, [path, EXAMPLES / "phonero-tjenestebeskrivelse.txt"])
    store.replace_documents(hostile_batch())
    return store


def everything(store: GraphStore) -> tuple[list[AnyNode], list[AnyEdge]]:
    """Return every node and edge of ``store`` in force, as the tests compare maps."""
    nodes = sorted((n for kind in NodeKind for n in store.nodes(kind)), key=lambda n: n.id)
    return nodes, store.edges([n.id for n in nodes], Direction.OUT)
