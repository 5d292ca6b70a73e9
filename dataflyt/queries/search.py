"""``search``: the nodes a few typed letters may mean, of every kind, best matches first.

As forgiving as the name matching of the query commands (``resolve``): case-insensitive,
singular or plural, legal forms ignored, Norwegian or English vocabulary terms and country
names in many languages; and, since a person is still typing, a prefix of any word of a name
or alias, or any part of it. Where the commands want exactly one node, a search lists them all,
grouped by kind, so a person can pick one.
"""

from __future__ import annotations

import msgspec

from dataflyt.errors import NameError_
from dataflyt.graph.model import AnyNode, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import bare_name
from dataflyt.queries.resolve import KIND_WORDS, KnownNames, resolve_node, spellings
from dataflyt.reference.vocabulary import fold

__all__ = ["SEARCH_KINDS", "SearchGroup", "SearchHit", "SearchResult", "search"]

# the kinds a search looks through, in the order its groups are shown
SEARCH_KINDS = (
    NodeKind.SERVICE,
    NodeKind.ORGANISATION,
    NodeKind.CATEGORY,
    NodeKind.SUBJECT,
    NodeKind.COUNTRY,
    NodeKind.DOCUMENT,
)

# how well a node's names match, best first
_EXACT, _SAME_ORGANISATION, _VOCABULARY, _PREFIX, _WORD_PREFIX, _PART = range(6)


class SearchHit(msgspec.Struct, kw_only=True):
    """A node that matches: its id, name, and the alias or term that matched when not its
    name."""

    id: str
    name: str
    matched: str | None = None


class SearchGroup(msgspec.Struct, kw_only=True):
    """The matches of one kind: the best ``hits`` and how many matched in all."""

    kind: str
    hits: list[SearchHit]
    total: int


class SearchResult(msgspec.Struct, kw_only=True):
    """What was searched for, and the kinds with matches, in ``SEARCH_KINDS`` order."""

    query: str
    groups: list[SearchGroup]


def _rank(names: list[str], wanted: str, variants: set[str], bare: str) -> tuple[int, str] | None:
    """Return how well a node going by ``names`` matches (a rank from the list above, and the
    name that matched), or None; ``bare`` is the text without a legal form, for
    organisations ("" otherwise)."""
    best: tuple[int, str] | None = None
    for name in names:
        folded = fold(name)
        if folded in variants:
            rank = _EXACT
        elif bare and bare_name(name) == bare:
            rank = _SAME_ORGANISATION
        elif folded.startswith(wanted):
            rank = _PREFIX
        elif f" {wanted}" in folded:
            rank = _WORD_PREFIX
        elif wanted in folded:
            rank = _PART
        else:
            continue
        if best is None or rank < best[0]:
            best = (rank, name)
    return best


def _vocabulary_match(store: GraphStore, kind: NodeKind, text: str) -> AnyNode | None:
    """Return the node of ``kind`` in the map that ``text`` names as a vocabulary term or
    country name (in either language, singular or plural), or None."""
    try:
        node = resolve_node(store, kind, text)
    except NameError_:
        return None
    return store.node(node.id)


def search(store: GraphStore, text: str, limit: int = 10) -> SearchResult:
    """Return the nodes ``text`` may mean, grouped by kind: at most ``limit`` per kind, best
    matches first (the whole name, then the vocabulary, a prefix, a word's prefix, a part),
    then by name. Text of fewer than two letters matches nothing."""
    wanted = fold(text).strip()
    if len(wanted) < 2:
        return SearchResult(query=text, groups=[])
    variants = set(spellings(text))
    groups = []
    for kind in SEARCH_KINDS:
        bare = bare_name(text) if kind is NodeKind.ORGANISATION else ""
        nodes = store.nodes(kind)
        # an organisation also goes by how each document spells it and the aliases it declares
        names = KnownNames(store, nodes)
        found: dict[str, tuple[int, str, AnyNode]] = {}
        for node in nodes:
            ranked = _rank(names.of(node), wanted, variants, bare)
            if ranked is not None:
                found[node.id] = (ranked[0], ranked[1], node)
        if kind in (NodeKind.CATEGORY, NodeKind.SUBJECT, NodeKind.COUNTRY):
            term = _vocabulary_match(store, kind, text)
            if term is not None and found.get(term.id, (_PART,))[0] > _VOCABULARY:
                found[term.id] = (_VOCABULARY, text, term)
        if not found:
            continue
        ordered = sorted(found.values(), key=lambda f: (f[0], f[2].name.casefold(), f[2].id))
        hits = [
            SearchHit(id=node.id, name=node.name, matched=None if name == node.name else name)
            for _, name, node in ordered[:limit]
        ]
        groups.append(SearchGroup(kind=KIND_WORDS[kind], hits=hits, total=len(found)))
    return SearchResult(query=text, groups=groups)
