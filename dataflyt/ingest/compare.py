"""What a load tells the user about names and disagreements, before anything is written:
organisations written differently that became one node (merges), documents that disagree on
an organisation's country or a service's provider role (conflicts), and names the rules did
not join that may still be one organisation (possible duplicates: a near-identical spelling
such as "Twillio", or look-alike letters from another script such as a Cyrillic "e" (U+0435)
in "Zendesk"), each with the command that joins them.

Nothing here is kept in the map: it is worked out from the facts each time, so it can never
go stale.
"""

from __future__ import annotations

import difflib
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources

import msgspec

from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import AnyEdge, AnyNode, DescribedIn, Provides
from dataflyt.ids import bare_name, legal_form

__all__ = [
    "Conflict",
    "MergeDecision",
    "PossibleDuplicate",
    "Statement",
    "conflicts",
    "merges",
    "possible_duplicates",
    "skeleton",
]

# two names this alike (difflib's ratio of their names without legal form) may be one
_ALIKE = 0.88


class Statement(msgspec.Struct, kw_only=True, frozen=True):
    """What one document writes about a fact, and where."""

    value: str
    source: Citation


class MergeDecision(msgspec.Struct, kw_only=True, frozen=True):
    """Several spellings taken for one organisation, and why."""

    id: str
    name: str
    spellings: list[Statement]
    reason: str


class Conflict(msgspec.Struct, kw_only=True, frozen=True):
    """Documents disagreeing on an organisation's country or a service's provider role."""

    kind: str
    id: str
    name: str
    about: str
    statements: list[Statement]


class PossibleDuplicate(msgspec.Struct, kw_only=True, frozen=True):
    """Two organisations the rules keep apart that may be one: why, and how to join them."""

    name: str
    other: str
    reason: str
    command: str


def _spellings(edges: Iterable[DescribedIn], nodes: Mapping[str, AnyNode]) -> list[Statement]:
    """Return each spelling of the ``DescribedIn`` edges, cited; the line is the edge's only
    for the spelling it was written with first (one document may spell a name several ways
    on several lines, and keeps one edge)."""
    found = []
    for edge in edges:
        cited = cite(edge, nodes)
        for spelling in edge.spellings:
            where = cited if spelling == edge.text else msgspec.structs.replace(cited, line=None)
            found.append(Statement(value=spelling, source=where))
    return found


def _statements(
    edges: Iterable[AnyEdge], nodes: Mapping[str, AnyNode], field: str
) -> list[Statement]:
    """Return what each of ``edges`` states in its ``field``, cited (nothing where None)."""
    return [
        Statement(value=str(said), source=cite(edge, nodes))
        for edge in edges
        if (said := getattr(edge, field)) is not None
    ]


def merges(
    described: Mapping[str, list[DescribedIn]],
    nodes: Mapping[str, AnyNode],
    reasons: Mapping[str, str],
) -> list[MergeDecision]:
    """Return a merge for each organisation (by id, with the ``DescribedIn`` edges of every
    document in force naming it) that documents spell in more than one way; ``reasons`` gives
    the reason of those joined by an alias or as the only entity of a bare name."""
    found = []
    for org, edges in sorted(described.items()):
        spellings = _spellings(edges, nodes)
        if len({s.value for s in spellings}) < 2:
            continue
        reason = reasons.get(org) or _why_one(nodes[org].name, [s.value for s in spellings])
        found.append(
            MergeDecision(id=org, name=nodes[org].name, spellings=spellings, reason=reason)
        )
    return found


def _why_one(name: str, spellings: list[str]) -> str:
    """Return why these spellings of the organisation ``name`` were taken for one."""
    bare = next((s for s in spellings if legal_form(s)[1] is None), None)
    if legal_form(name)[1] is not None and bare is not None:
        return f"{bare}, without a legal form, can only be {name}: the one legal entity so named"
    return "the same name once case, spacing and legal form's spelling are set aside"


def conflicts(
    described: Mapping[str, list[DescribedIn]],
    provides: Mapping[str, list[Provides]],
    nodes: Mapping[str, AnyNode],
) -> list[Conflict]:
    """Return where documents disagree: on where an organisation is established, on the role
    a service's provider has."""
    found = []
    # (the field the documents disagree on, what it is a fact of, the edges stating it)
    said: list[tuple[str, str, Mapping[str, Sequence[AnyEdge]]]] = [
        ("country", "organisation", described),
        ("role", "service", provides),
    ]
    for kind, about, by_node in said:
        for node, edges in sorted(by_node.items()):
            statements = _statements(edges, nodes, kind)
            if len({s.value for s in statements}) > 1:
                found.append(
                    Conflict(
                        kind=kind,
                        id=node,
                        name=nodes[node].name,
                        about=about,
                        statements=statements,
                    )
                )
    return found


@cache
def _prototypes() -> dict[str, str]:
    """Return each character that looks like another, mapped to the one of its look-alikes
    that sorts first (an ASCII letter where there is one): the Unicode confusables data as
    the confusable-homoglyphs package ships it."""
    data = resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text()
    prototypes = {}
    for char, alikes in json.loads(data).items():
        singles = [char, *(a["c"] for a in alikes if len(a["c"]) == 1)]
        prototypes[char] = min(singles, key=lambda c: (not c.isascii(), c))
    return prototypes


def skeleton(name: str) -> str:
    """Return the form of ``name`` in which look-alike letters are the same letter: "Zendesk"
    written with a Cyrillic "e" (U+0435) and with a Latin one have one skeleton."""
    prototypes = _prototypes()
    text = bare_name(name)
    return "".join(prototypes.get(ch, ch) for ch in unicodedata.normalize("NFD", text))


def possible_duplicates(
    new: Iterable[AnyNode], every: Iterable[AnyNode]
) -> list[PossibleDuplicate]:
    """Return the pairs of a new organisation and another organisation (new or in the map)
    whose names the rules keep apart but which look like one: the same letters once look-alike
    letters are read as one, or near-identical spellings."""
    others = {node.id: node for node in every}
    found: dict[tuple[str, str], PossibleDuplicate] = {}
    by_skeleton: dict[str, list[AnyNode]] = {}
    for node in others.values():
        by_skeleton.setdefault(skeleton(node.name), []).append(node)
    bases = {node.id: bare_name(node.name) for node in others.values()}
    # a misspelling keeps the first letter, nearly always: only names sharing it are compared
    by_initial: dict[str, list[str]] = {}
    for node_id, base in bases.items():
        by_initial.setdefault(base[:1], []).append(node_id)
    for node in new:
        alike = [n for n in by_skeleton.get(skeleton(node.name), []) if n.id != node.id]
        for other in alike:
            if bases[other.id] != bases[node.id]:
                found[_ids(node, other)] = _pair(node, other, "look-alike letters")
        base = bases[node.id]
        near = [i for i in by_initial.get(base[:1], []) if i != node.id]
        close = set(difflib.get_close_matches(base, [bases[i] for i in near], n=5, cutoff=_ALIKE))
        for other in (others[i] for i in near if bases[i] in close):
            if bases[other.id] != bases[node.id]:
                found.setdefault(_ids(node, other), _pair(node, other, "nearly the same spelling"))
    return sorted(found.values(), key=lambda d: (d.name.casefold(), d.other.casefold()))


def _ids(node: AnyNode, other: AnyNode) -> tuple[str, str]:
    first, second = sorted((node.id, other.id))
    return first, second


def _pair(node: AnyNode, other: AnyNode, reason: str) -> PossibleDuplicate:
    first, second = sorted((node, other), key=lambda n: (n.name.casefold(), n.id))
    command = f'dataflyt alias add "{first.name}" "{second.name}"'
    return PossibleDuplicate(name=first.name, other=second.name, reason=reason, command=command)
