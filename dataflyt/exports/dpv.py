"""W3C Data Privacy Vocabulary (DPV 2.x) export as JSON-LD.

Each service is a ``dpv:Process`` with its personal data (``pd:`` concepts from the
vocabulary), data subjects, its provider as ``dpv:DataController``, ``dpv:DataProcessor`` or
``dpv:DataSubProcessor`` (with the user's own organisation as ``dpv:DataController`` where the
provider is its processor), its sub-processors (and theirs, and its provider's, at any depth)
as ``dpv:DataSubProcessor`` recipients, and its places as ``loc:`` concepts.

Each party's processing of the service's data in a place outside the EEA is a sub-process of
``dpv:CrossBorderTransfer`` with its location, recipient, legal basis (``eu-gdpr:A45-3``
adequacy decision, ``eu-gdpr:A46-2-c`` standard contractual clauses, ``eu-gdpr:A46-2-b``
binding corporate rules, or the bare ``dpv:DataTransferLegalBasis`` when the documents state
none) and its standing in words. A party whose place no document states is a ``dpv:Transfer``
whose location is a ``dpv:Location`` with ``dpv:hasApplicability dpv:NotAvailable`` (DPV's
"applicable, but the information is not available"): such data is not known to stay in the
EEA.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from dataflyt.exports.flows import ServiceChain, service_chains
from dataflyt.graph.store import GraphStore
from dataflyt.queries.controller import Controller, controllers
from dataflyt.queries.places import NOT_STATED
from dataflyt.queries.transfers import Flow, FlowLevel
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.vocabulary import vocabulary

if TYPE_CHECKING:
    from rdflib import Graph, Literal, URIRef

__all__ = ["NAMESPACES", "dpv_graph", "export_dpv", "transfer_bases"]

NAMESPACES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "loc": "https://w3id.org/dpv/loc#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
}
_BASE = "urn:dataflyt:"
# the regions dataflyt knows that DPV's loc: names; the others are written as text
_LOC_REGIONS = frozenset({"EEA"})
_UNKNOWN_PLACE = f"place of processing {NOT_STATED}: not known to stay in the EEA"


def transfer_bases(flow: Flow) -> list[str]:
    """Return the GDPR Chapter V bases a third-country ``flow`` rests on as DPV concepts: an
    adequacy decision (also a conditional one the documents say is met, e.g. by DPF
    certification), standard contractual clauses, binding corporate rules; the generic
    ``dpv:DataTransferLegalBasis`` when none is established."""
    stated = set(flow.safeguards)
    status = flow.standing.status if flow.standing else None
    bases = []
    if status is TransferStatus.ADEQUACY or (
        status is TransferStatus.CONDITIONAL_ADEQUACY and stated & {"adequacy", "dpf"}
    ):
        bases.append("eu-gdpr:A45-3")
    if "scc" in stated:
        bases.append("eu-gdpr:A46-2-c")
    if "bcr" in stated:
        bases.append("eu-gdpr:A46-2-b")
    return bases or ["dpv:DataTransferLegalBasis"]


def _term(curie: str) -> URIRef:
    from rdflib import URIRef

    prefix, _, name = curie.partition(":")
    return URIRef(NAMESPACES[prefix] + name)


def _node(node_id: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(_BASE + quote(node_id, safe=":/"))


def _place(code: str, name: str, region: bool) -> URIRef | Literal:
    from rdflib import Literal

    return _term(f"loc:{code}") if not region or code in _LOC_REGIONS else Literal(name)


def _provider_terms(role_key: str) -> tuple[str, str]:
    """Return the class of a service's provider and the property linking the service to it."""
    role = vocabulary().roles.get(role_key)
    if role is None:
        return "dpv:LegalEntity", "dpv:hasEntity"
    if role.gdpr == "controller":
        return "dpv:DataController", "dpv:hasDataController"
    if role.key == "sub_processor":
        return "dpv:DataSubProcessor", "dpv:hasDataProcessor"
    return "dpv:DataProcessor", "dpv:hasDataProcessor"


def _transfer_id(chain: ServiceChain, flow: Flow) -> str:
    """Return the id of one flow's transfer: the service, whose engagement it is when not
    the service's own, the sub-processor, and the place (or "not-stated")."""
    parts = [chain.facts.id, "transfer"]
    if flow.holder.id != chain.facts.id:
        parts.append(flow.holder.id)
    if flow.level is not FlowLevel.SERVICE and flow.processor is not None:
        parts.append(flow.processor.id)
    parts.append(flow.code or "not-stated")
    return "/".join(parts)


def _add_transfer(graph: Graph, chain: ServiceChain, flow: Flow) -> None:
    from rdflib import RDF, RDFS, Literal

    transfer = _node(_transfer_id(chain, flow))
    graph.add((_node(chain.facts.id), _term("dpv:hasProcess"), transfer))
    graph.add((transfer, RDF.type, _term("dpv:Process")))
    if flow.processor is not None:
        graph.add((transfer, _term("dpv:hasRecipient"), _node(flow.processor.id)))
    if flow.standing is None or flow.code is None or flow.place is None:
        location = _node(_transfer_id(chain, flow) + "/location")
        graph.add((transfer, _term("dpv:hasProcessing"), _term("dpv:Transfer")))
        graph.add((transfer, _term("dpv:hasLocation"), location))
        graph.add((location, RDF.type, _term("dpv:Location")))
        graph.add((location, _term("dpv:hasApplicability"), _term("dpv:NotAvailable")))
        graph.add((location, RDFS.label, Literal(NOT_STATED)))
        graph.add((transfer, RDFS.comment, Literal(_UNKNOWN_PLACE)))
        return
    graph.add((transfer, _term("dpv:hasProcessing"), _term("dpv:CrossBorderTransfer")))
    # only regions other than the EEA are 'not pinned down'
    region = flow.standing.status is TransferStatus.NOT_PINNED_DOWN
    graph.add((transfer, _term("dpv:hasLocation"), _place(flow.code, flow.place, region)))
    for basis in transfer_bases(flow):
        graph.add((transfer, _term("dpv:hasLegalBasis"), _term(basis)))
    graph.add((transfer, RDFS.comment, Literal(flow.standing.wording)))


def _add_entity(graph: Graph, node_id: str, kind: str, name: str) -> URIRef:
    from rdflib import RDF, RDFS, Literal

    entity = _node(node_id)
    graph.add((entity, RDF.type, _term(kind)))
    graph.add((entity, RDFS.label, Literal(name)))
    return entity


def _add_service(graph: Graph, chain: ServiceChain, ours: list[Controller]) -> None:
    from rdflib import RDF, RDFS, Literal

    vocab = vocabulary()
    subjects = {s.en: s.dpv for s in vocab.subjects.values()}
    facts = chain.facts
    process = _node(facts.id)
    graph.add((process, RDF.type, _term("dpv:Process")))
    graph.add((process, RDFS.label, Literal(facts.name)))
    kind, link = _provider_terms(facts.role)
    if facts.provider is not None:
        provider = _add_entity(graph, facts.provider.id, kind, facts.provider.name)
        graph.add((process, _term(link), provider))
    if kind != "dpv:DataController":
        for controller in ours:
            node_id = controller.id or f"controller:{controller.name}"
            entity = _add_entity(graph, node_id, "dpv:DataController", controller.name)
            graph.add((process, _term("dpv:hasDataController"), entity))
    for use in facts.categories:
        entry = vocab.categories.get(use.key)
        data = _term(entry.dpv) if entry else Literal(use.name)
        graph.add((process, _term("dpv:hasPersonalData"), data))
    for name in facts.data_subjects:
        subject = _term(subjects[name]) if name in subjects else Literal(name)
        graph.add((process, _term("dpv:hasDataSubject"), subject))
    for recipient in chain.recipients:
        org = recipient.facts.organisation
        entity = _add_entity(graph, org.id, "dpv:DataSubProcessor", org.name)
        graph.add((process, _term("dpv:hasRecipient"), entity))
    for place in facts.places:
        graph.add((process, _term("dpv:hasLocation"), _place(place.code, place.name, place.region)))
    for flow in chain.flows:
        if flow.standing is None or flow.standing.leaves_eea:
            _add_transfer(graph, chain, flow)


def dpv_graph(store: GraphStore, controller: str | None = None) -> Graph:
    """Return the map as an rdflib graph in DPV terms; ``controller`` names the user's own
    organisation when no data map in the store does."""
    from rdflib import Graph

    graph = Graph(store="SimpleMemory")
    for prefix, uri in NAMESPACES.items():
        graph.bind(prefix, uri)
    ours = controllers(store, controller)
    for chain in service_chains(store):
        _add_service(graph, chain, ours)
    return graph


def _sorted(value: object) -> object:
    """Return ``value`` with every list in it sorted (JSON-LD sets have no order)."""
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def export_dpv(store: GraphStore, controller: str | None = None) -> str:
    """Return the map as DPV JSON-LD, its nodes and values sorted so the same map gives the
    same text; ``controller`` as for ``dpv_graph``."""
    graph = dpv_graph(store, controller)
    context = {**NAMESPACES, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    document = _sorted(json.loads(graph.serialize(format="json-ld", context=context)))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
