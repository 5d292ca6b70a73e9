"""Matching names the way a person types them: case-insensitive, Norwegian or English,
singular or plural, an organisation by any name a document gives it (its spellings and
aliases) or without its legal form, or a unique prefix of a service or organisation name. An
exact name always beats a prefix.

An unknown name raises ``UnknownNameError`` with the closest names; several equally good
matches raise ``AmbiguousNameError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

import msgspec

from dataflyt.errors import AmbiguousNameError, UnknownNameError
from dataflyt.graph.model import (
    AnyNode,
    Category,
    Country,
    DescribedIn,
    Direction,
    EdgeKind,
    NodeKind,
    Subject,
)
from dataflyt.graph.store import GraphStore
from dataflyt.ids import bare_name, category_id, country_id, subject_id
from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.vocabulary import fold, vocabulary

__all__ = [
    "KIND_WORDS",
    "KnownNames",
    "Party",
    "resolve_category",
    "resolve_name",
    "resolve_node",
    "resolve_party",
    "spellings",
]

KIND_WORDS = {
    NodeKind.SERVICE: "service",
    NodeKind.ORGANISATION: "organisation",
    NodeKind.CATEGORY: "data category",
    NodeKind.SUBJECT: "data subject",
    NodeKind.COUNTRY: "country",
    NodeKind.DOCUMENT: "document",
}
_ENDINGS = ("es", "s", "ene", "er", "en", "et", "r", "e")


def spellings(text: str) -> list[str]:
    """Return ``text`` folded, then its singular/plural variants (English and Norwegian)."""
    base = fold(text).strip()
    found = [base]
    for ending in _ENDINGS:
        if base.endswith(ending) and len(base) > len(ending) + 2:
            found.append(base[: -len(ending)])
    found.extend(base + ending for ending in ("s", "er"))
    return list(dict.fromkeys(found))


def _vocabulary_key(table: str, text: str) -> str | None:
    vocab = vocabulary()
    for spelling in spellings(text):
        key = vocab.lookup(table, spelling)
        if key is not None:
            return key
    return None


def _closest(text: str, names: Iterable[str]) -> list[str]:
    by_fold = {fold(name): name for name in names}
    close = difflib.get_close_matches(fold(text), list(by_fold), n=5, cutoff=0.5)
    return [by_fold[name] for name in close]


class KnownNames:
    """Every name each of some nodes goes by: its own, then (organisations) the spellings and
    aliases of the documents in force, read from the store only when first asked for (most
    names a person types are a node's own)."""

    def __init__(self, store: GraphStore, nodes: list[AnyNode]) -> None:
        self._store = store
        self._nodes = nodes
        self._names: dict[str, list[str]] | None = None

    def of(self, node: AnyNode) -> list[str]:
        """Return every name ``node`` goes by, its own first."""
        if self._names is None:
            self._names = {n.id: [n.name] for n in self._nodes}
            orgs = [n.id for n in self._nodes if n.kind is NodeKind.ORGANISATION]
            described = self._store.edges(orgs, Direction.OUT, [EdgeKind.DESCRIBED_IN])
            for edge in described:
                if isinstance(edge, DescribedIn):
                    self._names[edge.source] += [*edge.spellings, *edge.aliases]
        return self._names[node.id]


def _match(text: str, nodes: list[AnyNode], names: KnownNames, prefix: bool) -> list[AnyNode]:
    """Return the nodes ``text`` names: by their own name exactly, else by any name they go
    by (singular or plural), else (organisations) by the name without its legal form, else,
    with ``prefix``, those whose name starts with it."""
    wanted = fold(text)
    own = [n for n in nodes if fold(n.name) == wanted]
    if own:
        return own
    variants = set(spellings(text))
    exact = [n for n in nodes if any(fold(name) in variants for name in names.of(n))]
    if exact or not prefix:
        return exact
    base = bare_name(text)
    same = [n for n in nodes if any(bare_name(name) == base for name in names.of(n))]
    if same:
        return same
    return [n for n in nodes if any(fold(name).startswith(wanted) for name in names.of(n))]


def resolve_node(store: GraphStore, kind: NodeKind, text: str) -> AnyNode:
    """Return the one node of ``kind`` that ``text`` names; raise a name error otherwise."""
    if kind is NodeKind.CATEGORY:
        key = resolve_category(store, text)
        found = store.node(category_id(key))
        entry = vocabulary().categories.get(key)
        return found or Category(
            id=category_id(key),
            name=entry.en if entry else key,
            key=key,
            sensitivity=entry.sensitivity if entry else "unknown",
        )
    if kind is NodeKind.SUBJECT:
        subject = _vocabulary_key("subjects", text)
        if subject is None:
            known = [s.en for s in vocabulary().subjects.values()]
            raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, known))
        return store.node(subject_id(subject)) or Subject(
            id=subject_id(subject), name=vocabulary().subjects[subject].en, key=subject
        )
    if kind is NodeKind.COUNTRY:
        place = resolve_place(text)
        if place is None:
            known = [n.name for n in store.nodes(kind)]
            raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, known))
        return store.node(country_id(place.code)) or Country(
            id=country_id(place.code), name=place.name, code=place.code, region=place.is_region
        )
    candidates = store.nodes(kind)
    names = KnownNames(store, candidates)
    prefix = kind in (NodeKind.SERVICE, NodeKind.ORGANISATION)
    matches = _match(text, candidates, names, prefix)
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousNameError(KIND_WORDS[kind], text, sorted(n.name for n in matches))
    raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, [n.name for n in candidates]))


class Party(msgspec.Struct, kw_only=True, frozen=True):
    """The organisation a name stands for in a breach: one organisation (``node``), a group
    with its legal entities (``members``, its ``PART_OF`` sources), or a brand name that only
    the legal entities sharing it carry (``node`` None)."""

    name: str
    node: AnyNode | None
    members: list[AnyNode]


def resolve_party(store: GraphStore, text: str) -> Party:
    """Return the organisation, group or brand ``text`` names: a group covers its entities,
    and a name without legal form that several legal entities share covers them all."""
    candidates = store.nodes(NodeKind.ORGANISATION)
    names = KnownNames(store, candidates)
    matches = _match(text, candidates, names, prefix=True)
    bare = bare_name(text)
    shared = len(matches) > 1 and all(bare_name(n.name) == bare for n in matches)
    if shared:
        return Party(name=text.strip(), node=None, members=sorted(matches, key=lambda n: n.id))
    if len(matches) > 1:
        raise AmbiguousNameError("organisation", text, sorted(n.name for n in matches))
    if not matches:
        raise UnknownNameError("organisation", text, _closest(text, [n.name for n in candidates]))
    node = matches[0]
    part_of = store.edges([node.id], Direction.IN, [EdgeKind.PART_OF])
    members = store.get_nodes({e.source for e in part_of})
    return Party(name=node.name, node=node, members=sorted(members.values(), key=lambda n: n.id))


def _by_word(text: str) -> list[str]:
    """Return the category keys with ``text`` (or its singular/plural) as whole words of a
    label or synonym, in either language: "payment" finds "payment data"."""
    vocab = vocabulary()
    for spelling in spellings(text):
        keys = vocab.with_word("categories", spelling)
        if keys:
            return keys
    return []


def resolve_category(store: GraphStore, text: str) -> str:
    """Return the category key ``text`` names: a vocabulary term in either language, the
    wording of an unmapped category in the map, or a word of exactly one vocabulary term;
    several such terms raise ``AmbiguousNameError`` naming them."""
    key = _vocabulary_key("categories", text)
    if key is not None:
        return key
    unmapped: list[AnyNode] = [
        n for n in store.nodes(NodeKind.CATEGORY) if isinstance(n, Category) and not n.mapped
    ]
    matches = _match(text, unmapped, KnownNames(store, unmapped), prefix=False)
    if len(matches) == 1 and isinstance(matches[0], Category):
        return matches[0].key
    if matches:
        raise AmbiguousNameError("data category", text, sorted(n.name for n in matches))
    by_word = _by_word(text)
    if len(by_word) == 1:
        return by_word[0]
    categories = vocabulary().categories
    if by_word:
        raise AmbiguousNameError("data category", text, sorted(categories[k].en for k in by_word))
    names = [c.en for c in categories.values()] + [n.name for n in unmapped]
    raise UnknownNameError("data category", text, _closest(text, names))


def resolve_name(store: GraphStore, text: str, kind: NodeKind | None = None) -> AnyNode:
    """Return the node ``text`` names (for ``show``): of ``kind`` when given, else of any kind,
    services and organisations tried first, then categories, subjects and countries; a node
    named exactly beats one whose name only starts with ``text``."""
    if kind is not None:
        return resolve_node(store, kind, text)
    found: list[AnyNode] = []
    names: list[str] = []
    for each in (
        NodeKind.SERVICE,
        NodeKind.ORGANISATION,
        NodeKind.CATEGORY,
        NodeKind.SUBJECT,
        NodeKind.COUNTRY,
    ):
        try:
            found.append(resolve_node(store, each, text))
        except UnknownNameError as error:
            names.extend(error.candidates)
    real = [n for n in found if store.node(n.id) is not None]
    exact = [n for n in real if fold(n.name) == fold(text)]
    if len(exact) == 1:
        return exact[0]
    if len(real) == 1:
        return real[0]
    if len(real) > 1:
        raise AmbiguousNameError(
            "name", text, sorted(f"{n.name} ({KIND_WORDS[n.kind]})" for n in real)
        )
    if found:
        return found[0]
    raise UnknownNameError("name", text, _closest(text, names))
