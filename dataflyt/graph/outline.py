"""A service's outline (``model.ServiceOutline``) made from its edges, as the embedded store
keeps them: the edges themselves, their attributes as dicts."""

from __future__ import annotations

from collections.abc import Iterable

from dataflyt.graph.model import (
    Edge,
    EdgeKind,
    Node,
    Provision,
    ServiceOutline,
    provider_role,
    subject_keys,
)

__all__ = ["OutlineMaker"]

_PROCESSES = EdgeKind.PROCESSES
_PROCESSED_IN = EdgeKind.PROCESSED_IN
_ENGAGES = EdgeKind.ENGAGES
_PROVIDES = EdgeKind.PROVIDES


class OutlineMaker:
    """Makes the outlines of services in one map, each provision once."""

    def __init__(self, nodes: dict[str, Node]) -> None:
        self.nodes = nodes
        self.provisions: dict[tuple[str, str], Provision] = {}

    def outline(
        self, node: Node, leaving: Iterable[Edge], entering: Iterable[Edge]
    ) -> ServiceOutline:
        """Return the outline of ``node`` from the edges leaving and entering it, each in key
        order."""
        categories = []
        countries = []
        engagements = []
        for edge in leaving:
            kind = edge.kind
            if kind is _PROCESSES:
                categories.append((edge.target, subject_keys(edge.attrs)))
            elif kind is _PROCESSED_IN:
                countries.append(edge.target)
            elif kind is _ENGAGES:
                engagements.append(edge)
        provides = next((edge for edge in entering if edge.kind is _PROVIDES), None)
        provision = None if provides is None else self.provision(provides)
        return ServiceOutline(node.id, node.name, provision, categories, countries, engagements)

    def provision(self, provides: Edge) -> Provision:
        """Return who provides a service, and in what role, from its PROVIDES edge."""
        role = provider_role(provides.attrs)
        key = (provides.source, role)
        found = self.provisions.get(key)
        if found is None:
            name = self.nodes[provides.source].name
            found = self.provisions[key] = Provision(provides.source, name, role)
        return found
