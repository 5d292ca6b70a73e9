"""W3C Data Privacy Vocabulary (DPV 2.x) export as JSON-LD.

Each service is a ``dpv:Process`` with its personal data (``pd:`` concepts from the
vocabulary), data subjects, its provider as ``dpv:DataController``, ``dpv:DataProcessor`` or
``dpv:DataSubProcessor``, its sub-processors (and theirs, and its provider's, at any depth) as
``dpv:DataSubProcessor`` recipients, and its places as ``loc:`` concepts. Each flow outside the
EEA, the service's own or one in its chain, is a sub-process of ``dpv:CrossBorderTransfer`` with
its location, recipient and legal basis: ``eu-gdpr:A45-3`` (adequacy decision),
``eu-gdpr:A46-2-c`` (standard contractual clauses), ``eu-gdpr:A46-2-b`` (binding corporate
rules), or the bare ``dpv:DataTransferLegalBasis`` when the transfer needs safeguards the
documents do not state.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from dataflyt.exports.flows import service_chains, service_flows
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import ServiceView, service_views
from dataflyt.queries.transfers import Flow
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


def transfer_bases(flow: Flow) -> list[str]:
    """Return the GDPR Chapter V bases a third-country ``flow`` rests on as DPV concepts: an
    adequacy decision (also a conditional one the document says is met, e.g. by DPF
    certification), standard contractual clauses, binding corporate rules; the generic
    ``dpv:DataTransferLegalBasis`` when none is established."""
    stated = set(flow.safeguards)
    bases = []
    if flow.status == TransferStatus.ADEQUACY or (
        flow.status == TransferStatus.CONDITIONAL_ADEQUACY and stated & {"adequacy", "dpf"}
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


def _provider_terms(view: ServiceView) -> tuple[str, str]:
    """Return the class of the service's provider and the property linking the service to it."""
    role = vocabulary().roles.get(view.role)
    if role is None:
        return "dpv:LegalEntity", "dpv:hasEntity"
    if role.gdpr == "controller":
        return "dpv:DataController", "dpv:hasDataController"
    if role.key == "sub_processor":
        return "dpv:DataSubProcessor", "dpv:hasDataProcessor"
    return "dpv:DataProcessor", "dpv:hasDataProcessor"


def _add_transfer(graph: Graph, view: ServiceView, flow: Flow) -> None:
    from rdflib import RDF, RDFS, Literal

    if flow.level == "organisation":  # a sub-processor's own place
        transfer = _node(f"{view.id}/transfer/{flow.service_id}/{flow.code}")
        recipient: str | None = flow.service_id
    else:
        transfer = _node(f"{view.id}/transfer/{flow.code}")
        recipient = view.provider.id if view.provider else None
    graph.add((_node(view.id), _term("dpv:hasProcess"), transfer))
    graph.add((transfer, RDF.type, _term("dpv:Process")))
    graph.add((transfer, _term("dpv:hasProcessing"), _term("dpv:CrossBorderTransfer")))
    # only regions other than the EEA are 'not pinned down'
    region = flow.status == TransferStatus.NOT_PINNED_DOWN
    graph.add((transfer, _term("dpv:hasLocation"), _place(flow.code, flow.country, region)))
    if recipient is not None:
        graph.add((transfer, _term("dpv:hasRecipient"), _node(recipient)))
    for basis in transfer_bases(flow):
        graph.add((transfer, _term("dpv:hasLegalBasis"), _term(basis)))
    graph.add((transfer, RDFS.comment, Literal(flow.status)))


def dpv_graph(store: GraphStore) -> Graph:
    """Return the map as an rdflib graph in DPV terms."""
    from rdflib import RDF, RDFS, Graph, Literal

    graph = Graph()
    for prefix, uri in NAMESPACES.items():
        graph.bind(prefix, uri)
    vocab = vocabulary()
    subjects = {s.en: s.dpv for s in vocab.subjects.values()}
    views = service_views(store, [s.id for s in store.nodes(NodeKind.SERVICE)])
    chains = service_chains(store, views)
    flows = service_flows(store, views, chains)
    names = store.get_nodes({e.target for edges in chains.values() for e in edges})
    for view in views.values():
        process = _node(view.id)
        graph.add((process, RDF.type, _term("dpv:Process")))
        graph.add((process, RDFS.label, Literal(view.name)))
        if view.provider is not None:
            kind, link = _provider_terms(view)
            provider = _node(view.provider.id)
            graph.add((provider, RDF.type, _term(kind)))
            graph.add((provider, RDFS.label, Literal(view.provider.name)))
            graph.add((process, _term(link), provider))
        for use in view.categories:
            entry = vocab.categories.get(use.key)
            data = _term(entry.dpv) if entry else Literal(use.name)
            graph.add((process, _term("dpv:hasPersonalData"), data))
        for name in view.data_subjects:
            subject = _term(subjects[name]) if name in subjects else Literal(name)
            graph.add((process, _term("dpv:hasDataSubject"), subject))
        recipients = [(s.id, s.name) for s in view.subprocessors]
        recipients += [(e.target, names[e.target].name) for e in chains[view.id]]
        for org, name in recipients:
            recipient = _node(org)
            graph.add((recipient, RDF.type, _term("dpv:DataSubProcessor")))
            graph.add((recipient, RDFS.label, Literal(name)))
            graph.add((process, _term("dpv:hasRecipient"), recipient))
        for country in view.countries:
            place = _place(country.code, country.name, country.region)
            graph.add((process, _term("dpv:hasLocation"), place))
        for flow in flows[view.id]:
            _add_transfer(graph, view, flow)
    return graph


def _sorted(value: object) -> object:
    """Return ``value`` with every list in it sorted (JSON-LD sets have no order)."""
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_sorted(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def export_dpv(store: GraphStore) -> str:
    """Return the map as DPV JSON-LD, its nodes and values sorted so the same map gives the
    same text."""
    graph = dpv_graph(store)
    context = {**NAMESPACES, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"}
    document = _sorted(json.loads(graph.serialize(format="json-ld", context=context)))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
