"""The golden files under ``tests/golden/``: which diagrams they hold and how to rewrite them.

    python -m tests.regenerate_golden      (``make golden``)

Each case is a scope of the seed map, or of a tiny map whose every name is hostile to some
output format, drawn as DOT and as Mermaid. Review the diff like code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from dataflyt.diagrams.build import build_diagram
from dataflyt.diagrams.formats import DiagramFormat
from dataflyt.diagrams.render import render
from dataflyt.diagrams.scope import Scope, ScopeKind, select
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Edge, EdgeKind, GraphBatch, Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED

__all__ = [
    "GOLDEN",
    "HOSTILE",
    "SEED_CASES",
    "golden_cases",
    "golden_text",
    "hostile_store",
    "seed_store",
]

GOLDEN = Path(__file__).parent / "golden"
# names that break DOT, Mermaid, HTML or Markdown when written unescaped
HOSTILE = {
    "service": 'x" -> evil [label="',
    "provider": "<b>x</b>",
    "subprocessor": "end]; click x call alert(1)",
    "subject": "<script>document.title='PWNED'</script>",
    "category": "<img src=x onerror=\"document.title='PWNED'\">",
    "document": "back\\slash \\N \\G | *md* [link](javascript:alert(1)) #35;",
}
SEED_CASES = {
    "mobilt-opptak": Scope(kind=ScopeKind.SERVICE, name="Mobilt Opptak"),
    "link-mobility": Scope(kind=ScopeKind.ORGANISATION, name="Link Mobility"),
    "call-recordings": Scope(kind=ScopeKind.CATEGORY, name="call recordings"),
    "all": Scope(kind=ScopeKind.ALL),
}


def seed_store(folder: Path) -> EmbeddedStore:
    """Return an embedded store in ``folder`` holding the seed document."""
    store = EmbeddedStore(folder / "seed-map.json")
    load_files(store, [SEED])
    return store


def hostile_store(folder: Path) -> EmbeddedStore:
    """Return an embedded store in ``folder`` with one service whose provider, sub-processor,
    data subject, category and source document all have hostile names."""
    doc = Node(
        id="document:hostile",
        kind=NodeKind.DOCUMENT,
        name=HOSTILE["document"],
        attrs={"date": "2024-01-31", "path": "hostile.txt"},
    )
    nodes = [
        Node(id="service:hostile", kind=NodeKind.SERVICE, name=HOSTILE["service"]),
        Node(id="org:hostile-provider", kind=NodeKind.ORGANISATION, name=HOSTILE["provider"]),
        Node(id="org:hostile-sub", kind=NodeKind.ORGANISATION, name=HOSTILE["subprocessor"]),
        Node(
            id="category:hostile",
            kind=NodeKind.CATEGORY,
            name=HOSTILE["category"],
            attrs={"key": "hostile", "unmapped": True, "sensitivity": "unknown"},
        ),
        Node(id="country:us", kind=NodeKind.COUNTRY, name="United States", attrs={"code": "US"}),
    ]

    def fact(source: str, kind: EdgeKind, target: str, **attrs: object) -> Edge:
        return Edge(
            source=source, target=target, kind=kind, doc=doc.id, line=1, text="x", attrs=attrs
        )

    edges = [
        fact("service:hostile", EdgeKind.DESCRIBED_IN, doc.id),
        fact("org:hostile-provider", EdgeKind.PROVIDES, "service:hostile", role="processor"),
        fact(
            "service:hostile", EdgeKind.PROCESSES, "category:hostile", subjects=[HOSTILE["subject"]]
        ),
        fact("service:hostile", EdgeKind.ENGAGES, "org:hostile-sub", purpose=HOSTILE["provider"]),
        fact("service:hostile", EdgeKind.PROCESSED_IN, "country:us", exhaustive=False),
    ]
    store = EmbeddedStore(folder / "hostile-map.json")
    store.replace_documents(GraphBatch(documents=[doc], nodes=nodes, edges=edges))
    return store


def golden_text(store: GraphStore, scope: Scope, fmt: DiagramFormat) -> str:
    """Return the diagram of ``scope`` in the text format ``fmt``."""
    return render(build_diagram(store, select(store, scope)), fmt).decode("utf-8")


def golden_cases(folder: Path) -> dict[str, tuple[GraphStore, Scope]]:
    """Return every golden case by name: the store (kept in ``folder``) and the scope."""
    seed = seed_store(folder)
    cases: dict[str, tuple[GraphStore, Scope]] = {
        name: (seed, scope) for name, scope in SEED_CASES.items()
    }
    cases["hostile"] = (hostile_store(folder), Scope(kind=ScopeKind.ALL))
    return cases


def main() -> None:
    """Rewrite every golden file and say which ones changed."""
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, (store, scope) in golden_cases(Path(folder)).items():
            for fmt in (DiagramFormat.DOT, DiagramFormat.MMD):
                path = GOLDEN / f"{name}.{fmt.value}"
                text = golden_text(store, scope, fmt)
                changed = not path.exists() or path.read_text("utf-8") != text
                path.write_text(text, encoding="utf-8")
                print(f"{'rewrote' if changed else 'same   '} {path.relative_to(GOLDEN.parent)}")


if __name__ == "__main__":
    main()
