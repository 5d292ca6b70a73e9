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
from dataflyt.graph.model import (
    AnyEdge,
    AnyNode,
    Category,
    Country,
    DescribedIn,
    Document,
    Engages,
    GraphBatch,
    Organisation,
    ProcessedIn,
    Processes,
    Provides,
    Service,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from tests.conftest import SEED

__all__ = [
    "GOLDEN",
    "HOSTILE",
    "SEED_CASES",
    "document_version",
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


def document_version(key: str, title: str, provider: str, date: str) -> Document:
    """Return the first version of the document ``key`` of ``provider``, dated ``date`` and in
    force from then, for maps written fact by fact."""
    return Document(
        id=f"document:{key}@1",
        name=title,
        identity=f"document:{key}",
        provider=provider,
        path=f"{key}.txt",
        format="annex",
        sha256="0" * 64,
        loaded=date,
        valid_from=date,
        date=date,
    )


def hostile_store(folder: Path) -> EmbeddedStore:
    """Return an embedded store in ``folder`` with one service whose provider, sub-processor,
    data subject, category and source document all have hostile names."""
    doc = document_version("hostile", HOSTILE["document"], HOSTILE["provider"], "2024-01-31")
    nodes: list[AnyNode] = [
        Service(id="service:hostile", name=HOSTILE["service"]),
        Organisation(id="org:hostile-provider", name=HOSTILE["provider"]),
        Organisation(id="org:hostile-sub", name=HOSTILE["subprocessor"]),
        Category(
            id="category:unmapped:hostile",
            name=HOSTILE["category"],
            key="unmapped:hostile",
            sensitivity="unknown",
            mapped=False,
        ),
        Country(id="country:us", name="United States", code="US"),
    ]
    cited = {"doc": doc.id, "line": 1, "text": "x"}
    edges: list[AnyEdge] = [
        DescribedIn(source="service:hostile", target=doc.id, **cited),
        Provides(
            source="org:hostile-provider", target="service:hostile", role="processor", **cited
        ),
        Processes(
            source="service:hostile",
            target="category:unmapped:hostile",
            subjects=(HOSTILE["subject"],),
            **cited,
        ),
        Engages(
            source="service:hostile", target="org:hostile-sub", purpose=HOSTILE["provider"], **cited
        ),
        ProcessedIn(source="service:hostile", target="country:us", exhaustive=False, **cited),
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
