"""Where each service's data goes, as the record of processing and DPV write it: the chain of
sub-processors beyond the service's own (its provider's and theirs, at any depth), and the flows
outside the EEA of the service and of every organisation in that chain."""

from __future__ import annotations

from dataflyt.graph.model import Direction, Edge, EdgeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import ServiceView
from dataflyt.queries.transfers import Flow, transfers

__all__ = ["service_chains", "service_flows"]


def service_chains(store: GraphStore, views: dict[str, ServiceView]) -> dict[str, list[Edge]]:
    """Return, for each service in ``views``, the engagements that carry its data past its own
    sub-processors: those of its provider and of every organisation they reach, at any depth,
    one per (engaging, engaged) pair, nearest the service first."""
    reach: dict[str, dict[str, int]] = {}

    def reached(node: str) -> dict[str, int]:
        if node not in reach:
            reach[node] = store.reachable(node, EdgeKind.ENGAGES, Direction.OUT)
        return reach[node]

    depths: dict[str, dict[str, int]] = {}
    for sid, view in views.items():
        # hops from the service, whose provider stands in its place (hop 0)
        found = {view.provider.id: 0} if view.provider else {}
        for start in (sid, *found):
            for node, hops in reached(start).items():
                found[node] = min(hops, found.get(node, hops))
        depths[sid] = found
    engaging = sorted(set().union(*depths.values()))
    by_source: dict[str, dict[str, Edge]] = {}
    for edge in store.edges(engaging, Direction.OUT, [EdgeKind.ENGAGES]) if engaging else []:
        by_source.setdefault(edge.source, {}).setdefault(edge.target, edge)
    return {
        sid: [
            by_source[source][target]
            for source in sorted(found, key=lambda node: (found[node], node))
            for target in sorted(by_source.get(source, {}))
        ]
        for sid, found in depths.items()
    }


def service_flows(
    store: GraphStore, views: dict[str, ServiceView], chains: dict[str, list[Edge]]
) -> dict[str, list[Flow]]:
    """Return, for each service in ``views``, its flows outside the EEA with their status and
    stated safeguards: its own first, then those of its provider, its sub-processors and the
    organisations in its chain (``level`` 'organisation'), in order of organisation id."""
    by_node: dict[str, list[Flow]] = {}
    for flow in transfers(store).transfers:
        by_node.setdefault(flow.service_id, []).append(flow)
    found = {}
    for sid, view in views.items():
        orgs = {sub.id for sub in view.subprocessors} | {e.target for e in chains[sid]}
        if view.provider is not None:
            orgs.add(view.provider.id)
        found[sid] = [flow for node in (sid, *sorted(orgs)) for flow in by_node.get(node, [])]
    return found
