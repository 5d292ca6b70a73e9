"""Matching names the way a person types them: case-insensitive, Norwegian or English,
singular or plural, or a unique prefix of a service or organisation name.

An unknown name raises ``UnknownNameError`` with the closest names; several equally good
matches raise ``AmbiguousNameError``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from dataflyt.errors import AmbiguousNameError, UnknownNameError
from dataflyt.graph.model import Node, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import category_id, country_id, organisation_id, subject_id
from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.vocabulary import fold, vocabulary

__all__ = [
    "KIND_WORDS",
    "resolve_category",
    "resolve_name",
    "resolve_node",
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


def _names_of(node: Node) -> list[str]:
    """Return the names a node goes by: its name, then any aliases and merged spellings."""
    extra = [*node.attrs.get("aliases", []), *node.attrs.get("merged_names", [])]
    return [node.name, *(str(name) for name in extra)]


def _match_names(text: str, nodes: list[Node], prefix: bool) -> list[Node]:
    variants = set(spellings(text))
    exact = [n for n in nodes if any(fold(name) in variants for name in _names_of(n))]
    if exact or not prefix:
        return exact
    wanted = fold(text)
    by_id = organisation_id(text)
    same_org = [
        n for n in nodes if n.id == by_id or any(organisation_id(a) == by_id for a in _names_of(n))
    ]
    if same_org:
        return same_org
    return [n for n in nodes if fold(n.name).startswith(wanted)]


def resolve_node(store: GraphStore, kind: NodeKind, text: str) -> Node:
    """Return the one node of ``kind`` that ``text`` names; raise a name error otherwise."""
    if kind is NodeKind.CATEGORY:
        key = resolve_category(store, text)
        found = store.get_nodes([category_id(key)]).get(category_id(key))
        entry = vocabulary().categories.get(key)
        return found or Node(
            id=category_id(key), kind=kind, name=entry.en if entry else key, attrs={"key": key}
        )
    if kind is NodeKind.SUBJECT:
        subject = _vocabulary_key("subjects", text)
        if subject is None:
            names = [s.en for s in vocabulary().subjects.values()]
            raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, names))
        found = store.get_nodes([subject_id(subject)]).get(subject_id(subject))
        return found or Node(
            id=subject_id(subject),
            kind=kind,
            name=vocabulary().subjects[subject].en,
            attrs={"key": subject},
        )
    if kind is NodeKind.COUNTRY:
        place = resolve_place(text)
        if place is None:
            names = [n.name for n in store.nodes(kind)]
            raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, names))
        found = store.get_nodes([country_id(place.code)]).get(country_id(place.code))
        return found or Node(
            id=country_id(place.code), kind=kind, name=place.name, attrs={"code": place.code}
        )
    candidates = store.nodes(kind)
    matches = _match_names(
        text, candidates, prefix=kind in (NodeKind.SERVICE, NodeKind.ORGANISATION)
    )
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise AmbiguousNameError(KIND_WORDS[kind], text, sorted(n.name for n in matches))
    raise UnknownNameError(KIND_WORDS[kind], text, _closest(text, [n.name for n in candidates]))


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
    unmapped = [n for n in store.nodes(NodeKind.CATEGORY) if n.attrs.get("unmapped")]
    matches = _match_names(text, unmapped, prefix=False)
    if len(matches) == 1:
        return str(matches[0].attrs["key"])
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


def resolve_name(store: GraphStore, text: str) -> Node:
    """Return the node of any kind that ``text`` names (for ``show``); services and
    organisations are tried first, then categories, subjects and countries."""
    found: list[Node] = []
    names: list[str] = []
    for kind in (
        NodeKind.SERVICE,
        NodeKind.ORGANISATION,
        NodeKind.CATEGORY,
        NodeKind.SUBJECT,
        NodeKind.COUNTRY,
    ):
        try:
            found.append(resolve_node(store, kind, text))
        except UnknownNameError as error:
            names.extend(error.candidates)
    real = [n for n in found if store.get_nodes([n.id])]
    if len(real) == 1:
        return real[0]
    if len(real) > 1:
        raise AmbiguousNameError(
            "name", text, sorted(f"{n.name} ({KIND_WORDS[n.kind]})" for n in real)
        )
    if found:
        return found[0]
    raise UnknownNameError("name", text, _closest(text, names))
