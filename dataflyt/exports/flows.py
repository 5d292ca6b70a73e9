"""Where each service's data goes, as the record of processing, DPV and fides write it: its
recipients (its own sub-processors, then the chain beyond them with who engages each) and
every flow, one party processing the data in one place.

Each recipient's places are those of its engagement (the engaging document's, and the
sub-processor's own documents'), never another provider's engagement's. A party whose place no
document states is a flow without a place: such data is not known to stay in the EEA.
"""

from __future__ import annotations

import msgspec

from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.chains import ChainEngagement, engagement_chains, own_engagements
from dataflyt.queries.facts import OrganisationRef, ServiceFacts, service_facts
from dataflyt.queries.places import PlaceUse
from dataflyt.queries.transfers import Flow, FlowLevel

__all__ = ["ServiceChain", "service_chains"]


class ServiceChain(msgspec.Struct, kw_only=True, frozen=True):
    """A service and everyone who processes its data: its facts, its recipients (its own
    sub-processors engaged ``by`` the service, then the chain beyond them, nearest first) and
    the flows (its provider at the service's places, each recipient at its engagement's, held
    by the recipient's ``holder``), each party once per place."""

    facts: ServiceFacts
    recipients: list[ChainEngagement]
    flows: list[Flow]


def service_chains(store: GraphStore) -> list[ServiceChain]:
    """Return every service of the map with its recipients and flows, sorted by name."""
    services = service_facts(store, [n.id for n in store.nodes(NodeKind.SERVICE)])
    chains = engagement_chains(store, services)
    found = []
    for sid, facts in services.items():
        holder = OrganisationRef(id=sid, name=facts.name)
        recipients = own_engagements(facts) + chains[sid]
        flows = _flows(FlowLevel.SERVICE, holder, facts.provider, facts.places)
        for recipient in recipients:
            engaged = recipient.facts
            flows += _flows(
                FlowLevel.ENGAGEMENT, recipient.holder, engaged.organisation, engaged.places
            )
        found.append(ServiceChain(facts=facts, recipients=_once(recipients), flows=_merged(flows)))
    return sorted(found, key=lambda chain: (chain.facts.name.casefold(), chain.facts.id))


def _flows(
    level: FlowLevel,
    holder: OrganisationRef,
    processor: OrganisationRef | None,
    places: list[PlaceUse],
) -> list[Flow]:
    """Return ``processor`` processing ``holder``'s data at each of ``places``, or one flow
    without a place when none is stated."""
    if not places:
        return [Flow(level=level, holder=holder, processor=processor)]
    return [
        Flow(
            level=level,
            holder=holder,
            processor=processor,
            place=place.name,
            code=place.code,
            standing=place.standing,
            exhaustive=place.exhaustive,
            safeguards=place.safeguards,
            note=place.note,
            source=place.source,
        )
        for place in places
    ]


def _merged(flows: list[Flow]) -> list[Flow]:
    """Return ``flows`` with each party's place once (several documents stating it): the
    first statement, with every safeguard stated, and not exhaustive if any says so."""
    found: dict[tuple[str, str, str | None], Flow] = {}
    for flow in flows:
        key = (flow.holder.id, flow.processor.id if flow.processor else "", flow.code)
        first = found.get(key)
        if first is None:
            found[key] = flow
            continue
        found[key] = msgspec.structs.replace(
            first,
            safeguards=list(dict.fromkeys([*first.safeguards, *flow.safeguards])),
            exhaustive=first.exhaustive and flow.exhaustive,
        )
    return list(found.values())


def _once(recipients: list[ChainEngagement]) -> list[ChainEngagement]:
    """Return ``recipients`` with each engagement (engaging and engaged party) once, as the
    first document states it, with every purpose the documents state."""
    stated: dict[tuple[str, str], list[ChainEngagement]] = {}
    for recipient in recipients:
        key = (recipient.holder.id, recipient.facts.organisation.id)
        stated.setdefault(key, []).append(recipient)
    found = []
    for first, *others in stated.values():
        purposes = dict.fromkeys(r.facts.purpose for r in [first, *others] if r.facts.purpose)
        facts = msgspec.structs.replace(first.facts, purpose=", ".join(purposes) or None)
        found.append(msgspec.structs.replace(first, facts=facts))
    return found
