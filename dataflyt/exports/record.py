"""The record of processing activities (GDPR Art. 30(1) and (2)) as rows of text, one per
service, in words a DPO files: the controller (the user's own organisation, with contacts),
the processor and its role, the purposes (the service's and each recipient's), the legal basis,
data subjects, personal data, recipients (its sub-processors, then the chain beyond them with
who engages each), where each party processes the data, the transfers outside the EEA with
their standing under GDPR Chapter V and the safeguards stated, retention, security measures,
and the source.

Silence is never safe: where no document states a fact, its cell says "not stated", never
nothing; a party whose place is not stated is listed under the transfers as not known to stay
in the EEA.
"""

from __future__ import annotations

from dataflyt.exports.flows import ServiceChain
from dataflyt.queries.chains import ChainEngagement
from dataflyt.queries.controller import Controller
from dataflyt.queries.places import NOT_STATED
from dataflyt.queries.transfers import Flow
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.safeguards import safeguard_names
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["CONTROLLER_NOT_STATED", "RECORD_COLUMNS", "record_row"]

RECORD_COLUMNS = [
    "Processing activity (service)",
    "Controller",
    "Controller contact",
    "Data protection officer",
    "Processor",
    "Role of the provider",
    "Purposes",
    "Legal basis",
    "Categories of data subjects",
    "Categories of personal data",
    "High-sensitivity data",
    "Recipients and sub-processors",
    "Places of processing",
    "Transfers to third countries",
    "Retention",
    "Security measures",
    "Source",
]

# what the record says of the controller when neither a data map nor the settings name it
CONTROLLER_NOT_STATED = f"{NOT_STATED} (name your organisation in the data map's controller block)"


def record_row(chain: ServiceChain, controllers: list[Controller]) -> list[str]:
    """Return the record's row of one service, ``controllers`` being the user's own
    organisation(s), in the order of ``RECORD_COLUMNS``; no cell is empty."""
    facts = chain.facts
    categories = [c.name for c in facts.categories]
    high = [c.name for c in facts.categories if c.sensitivity == "high"]
    return [
        facts.name,
        *_controller_cells(chain, controllers),
        facts.role_label if facts.role != "unknown" else NOT_STATED,
        _purposes(chain),
        facts.legal_basis or NOT_STATED,
        _listed(facts.data_subjects),
        _listed(categories),
        _listed(high) if high or not categories else "none among the categories stated",
        _recipients(chain),
        _places(chain),
        _transfers(chain),
        facts.retention or NOT_STATED,
        facts.security_measures or NOT_STATED,
        _source(chain),
    ]


def _listed(items: list[str]) -> str:
    return "; ".join(dict.fromkeys(items)) or NOT_STATED


def _controller_cells(chain: ServiceChain, ours: list[Controller]) -> list[str]:
    """Return the controller, its contact, its DPO's contact and the processor: the user's
    own organisation and the provider as its processor, or, where the provider is a
    controller itself, the provider (with the user's organisation for a joint one)."""
    facts = chain.facts
    provider = facts.provider.name if facts.provider else NOT_STATED
    role = vocabulary().roles.get(facts.role)
    named = _listed([c.name for c in ours]) if ours else CONTROLLER_NOT_STATED
    contact = _listed([c.contact for c in ours if c.contact])
    dpo = _listed([c.dpo_contact for c in ours if c.dpo_contact])
    if role is None or role.gdpr != "controller":
        return [named, contact, dpo, provider]
    processor = f"none: {provider} is the service's {facts.role_label.lower()}"
    if role.key == "joint_controller":
        return [f"{named}; {provider} (joint controllers)", contact, dpo, processor]
    return [provider, NOT_STATED, NOT_STATED, processor]


def _engaged(recipient: ChainEngagement, chain: ServiceChain) -> str:
    """Return the recipient's name, with who engages it when that is not the service (and
    for which of its services, marked when it provides several)."""
    name = recipient.facts.organisation.name
    if recipient.by.id == chain.facts.id:
        return name
    if recipient.through is None:
        return f"{name} (engaged by {recipient.by.name})"
    several = ", one of several it provides" if recipient.one_of_several else ""
    return (
        f"{name} (engaged by {recipient.by.name} for its service {recipient.through.name}{several})"
    )


def _purposes(chain: ServiceChain) -> str:
    """Return the service's purposes, then each recipient with the purpose stated for it."""
    own = "; ".join(chain.facts.purposes)
    stated = [
        f"{_engaged(r, chain)}: {r.facts.purpose}" for r in chain.recipients if r.facts.purpose
    ]
    if not stated:
        return own or NOT_STATED
    return "; ".join([own or f"{NOT_STATED} for the service itself", *stated])


def _recipients(chain: ServiceChain) -> str:
    """Return every sub-processor, nearest first, with its purpose, then the other
    recipients the documents name."""
    found = [
        f"{_engaged(r, chain)}: {r.facts.purpose or 'purpose ' + NOT_STATED}"
        for r in chain.recipients
    ]
    found += [f"{name} (recipient)" for name in chain.facts.recipients]
    return "; ".join(dict.fromkeys(found)) or "none stated"


def _parties(chain: ServiceChain) -> dict[tuple[str, str], str]:
    """Return how the record names each party processing the service's data, by the flow's
    holder and processor: the provider by name, a recipient as the recipients column does."""
    provider = chain.facts.provider
    found = {(chain.facts.id, provider.id if provider else ""): _provider_name(chain)}
    for recipient in chain.recipients:
        key = (recipient.holder.id, recipient.facts.organisation.id)
        found.setdefault(key, _engaged(recipient, chain))
    return found


def _provider_name(chain: ServiceChain) -> str:
    provider = chain.facts.provider
    return provider.name if provider else f"the provider ({NOT_STATED})"


def _party(flow: Flow, parties: dict[tuple[str, str], str]) -> str:
    """Return who processes in ``flow``, as the record names it."""
    return parties[(flow.holder.id, flow.processor.id if flow.processor else "")]


def _place(flow: Flow) -> str:
    if flow.place is None:
        return NOT_STATED
    return flow.place + ("" if flow.exhaustive else " (and places not listed)")


def _places(chain: ServiceChain) -> str:
    """Return each party with where it processes the service's data."""
    parties = _parties(chain)
    by_party: dict[str, list[str]] = {}
    for flow in chain.flows:
        by_party.setdefault(_party(flow, parties), []).append(_place(flow))
    return "; ".join(f"{party}: {', '.join(places)}" for party, places in by_party.items())


def _safeguards(flow: Flow) -> str:
    """Return the safeguards stated for ``flow``, or that none is where it needs one."""
    labels = safeguard_names(flow.safeguards)
    if labels:
        return f". Safeguards stated: {', '.join(labels)}"
    adequate = flow.standing is not None and flow.standing.status is TransferStatus.ADEQUACY
    return "" if adequate else ". No safeguards stated"


def _transfers(chain: ServiceChain) -> str:
    """Return every flow outside the EEA with its standing and stated safeguards, every
    party whose place is not stated, and every list of places said not to be complete."""
    parties = _parties(chain)
    found = []
    for flow in chain.flows:
        party = _party(flow, parties)
        if flow.standing is None:
            found.append(f"{party}: place {NOT_STATED}, so not known to stay in the EEA")
        elif flow.standing.leaves_eea:
            found.append(f"{party}: {flow.place} ({flow.standing.wording}{_safeguards(flow)})")
        if not flow.exhaustive:
            found.append(f"{party}: may also process in places the documents do not list")
    return "; ".join(dict.fromkeys(found)) or "none: every place stated is in the EEA"


def _source(chain: ServiceChain) -> str:
    source = chain.facts.source
    if source is None:
        return NOT_STATED
    page = f", page {source.page}" if source.page is not None else ""
    line = f", line {source.line}" if source.line is not None else ""
    return f"{source.document} ({source.date or 'undated'}){page}{line}"
