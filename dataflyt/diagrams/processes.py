"""The processes a diagram draws: every service on its own box, or, once a diagram holds more
than ``COLLAPSE_ABOVE`` services, the services of each provider as one aggregate process.

Graphviz needs long to lay out hundreds of services with labelled arrows, and the result is too
dense to read; one box per provider keeps every fact (the arrows of an aggregate carry the
union of its services' categories, roles, sub-processors and places, and count its services
where they differ) and lays out quickly. A provider with a single service in the diagram keeps
that service's own box. Past that, a diagram becomes an overview (``overview``).
"""

from __future__ import annotations

from collections import Counter

import msgspec

from dataflyt.diagrams.model import Line
from dataflyt.queries.facts import OrganisationRef, ServiceFacts

__all__ = ["COLLAPSE_ABOVE", "Process", "aggregation_note", "assumed_line", "processes"]

# a diagram of more services than this draws one process per provider unless asked for detail
COLLAPSE_ABOVE = 60
_NO_PROVIDER = "aggregate:none"  # no node id starts with "aggregate:"
_ASSUMED = "(exposure assumed: nothing narrower stated)"


class Process(msgspec.Struct, frozen=True, kw_only=True):
    """One process box: a single service, or the services of one provider aggregated."""

    key: str
    provider: OrganisationRef | None
    services: tuple[ServiceFacts, ...]

    @property
    def aggregated(self) -> bool:
        """Return whether this box stands for more than one service."""
        return len(self.services) > 1

    @property
    def name(self) -> str:
        """Return the service's name, or for an aggregate e.g. "Telia: 37 services"."""
        if not self.aggregated:
            return self.services[0].name
        owner = self.provider.name if self.provider else "No provider stated"
        return f"{owner}: {len(self.services)} services"

    @property
    def note(self) -> str | None:
        """Return the note under the name: None for a service, "aggregated services" else."""
        return "aggregated services" if self.aggregated else None

    def role_lines(self) -> tuple[Line, ...]:
        """Return the label of the arrow to the provider: the role, or for an aggregate whose
        services differ in role, each role with its number of services, sorted."""
        roles = Counter(service.role_label for service in self.services)
        if len(roles) == 1:
            return (Line(text=next(iter(roles))),)
        return tuple(Line(text=f"{role} ({count})") for role, count in sorted(roles.items()))


def assumed_line(assumed: int, services: int) -> Line:
    """Return the label line saying the exposure of ``assumed`` of the ``services`` behind an
    arrow is an assumption."""
    if assumed == services:
        return Line(text=_ASSUMED)
    return Line(text=f"(exposure assumed for {assumed} of {services} services)")


def processes(services: dict[str, ServiceFacts], detail: bool = False) -> list[Process]:
    """Return the processes drawing ``services``, sorted by key: one per service when
    ``detail`` is set or there are at most ``COLLAPSE_ABOVE`` services, else one per provider
    (services naming none share one), a provider with one service keeping that service's own
    key."""
    groups: dict[str, list[ServiceFacts]]
    if detail or len(services) <= COLLAPSE_ABOVE:
        groups = {service.id: [service] for service in services.values()}
    else:
        groups = {}
        for service in services.values():
            owner = f"aggregate:{service.provider.id}" if service.provider else _NO_PROVIDER
            groups.setdefault(owner, []).append(service)
    found = []
    for key, members in groups.items():
        members.sort(key=lambda s: s.id)
        found.append(
            Process(
                key=key if len(members) > 1 else members[0].id,
                provider=members[0].provider,
                services=tuple(members),
            )
        )
    return sorted(found, key=lambda p: p.key)


def aggregation_note(drawn: list[Process]) -> str | None:
    """Return the sentence telling the reader the diagram is aggregated and how to see each
    service, or None when every service has its own box."""
    aggregates = [p for p in drawn if p.aggregated]
    if not aggregates:
        return None
    services = sum(len(p.services) for p in drawn)
    inside = sum(len(p.services) for p in aggregates)
    counted = f"{inside} of {services}" if inside < services else f"{services}"
    return (
        f"Aggregated: {counted} services drawn as {len(aggregates)} processes, one per "
        "provider. Draw one service with dataflyt diagram --service NAME, every service with "
        "--detail."
    )
