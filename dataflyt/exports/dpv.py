"""W3C Data Privacy Vocabulary (DPV 2.x) export as JSON-LD: services as processes with their
personal data (``pd:``), data subjects, controller or processor, recipients (sub-processors),
locations (``loc:``) and transfers outside the EEA with their legal basis (``eu-gdpr:``)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import service_views
from dataflyt.reference.jurisdictions import Place, TransferStatus, transfer_status
from dataflyt.reference.vocabulary import vocabulary

if TYPE_CHECKING:
    from rdflib import Graph, URIRef

__all__ = ["NAMESPACES", "dpv_graph", "export_dpv"]

NAMESPACES = {
    "dpv": "https://w3id.org/dpv#",
    "pd": "https://w3id.org/dpv/pd#",
    "loc": "https://w3id.org/dpv/loc#",
    "eu-gdpr": "https://w3id.org/dpv/legal/eu/gdpr#",
}
_BASE = "urn:dataflyt:"
# the GDPR article each transfer status rests on
_LEGAL_BASIS = {
    TransferStatus.ADEQUACY: "A45-3",
    TransferStatus.CONDITIONAL_ADEQUACY: "A45-3",
    TransferStatus.NEEDS_SAFEGUARDS: "A46",
}


def _term(curie: str) -> URIRef:
    from rdflib import URIRef

    prefix, _, name = curie.partition(":")
    return URIRef(NAMESPACES[prefix] + name)


def _node(node_id: str) -> URIRef:
    from rdflib import URIRef

    return URIRef(_BASE + quote(node_id, safe=":/"))


def dpv_graph(store: GraphStore) -> Graph:
    """Return the map as an rdflib graph in DPV terms."""
    from rdflib import RDF, RDFS, Graph, Literal

    graph = Graph()
    for prefix, uri in NAMESPACES.items():
        graph.bind(prefix, uri)
    vocab = vocabulary()
    views = service_views(store, [s.id for s in store.nodes(NodeKind.SERVICE)])
    for view in views.values():
        process = _node(view.id)
        graph.add((process, RDF.type, _term("dpv:Process")))
        graph.add((process, RDFS.label, Literal(view.name)))
        if view.provider is not None:
            provider = _node(view.provider.id)
            role = vocab.roles.get(view.role)
            controller = role is not None and role.gdpr == "controller"
            graph.add(
                (
                    provider,
                    RDF.type,
                    _term("dpv:DataController" if controller else "dpv:DataProcessor"),
                )
            )
            graph.add((provider, RDFS.label, Literal(view.provider.name)))
            graph.add(
                (
                    process,
                    _term("dpv:hasDataController" if controller else "dpv:hasDataProcessor"),
                    provider,
                )
            )
        for use in view.categories:
            entry = vocab.categories.get(use.key)
            graph.add(
                (
                    process,
                    _term("dpv:hasPersonalData"),
                    _term(entry.dpv) if entry else Literal(use.name),
                )
            )
        for key in {s for c in view.categories for s in c.subjects}:
            subject = next((s for s in vocab.subjects.values() if s.en == key), None)
            graph.add(
                (
                    process,
                    _term("dpv:hasDataSubject"),
                    _term(subject.dpv) if subject else Literal(key),
                )
            )
        for sub in view.subprocessors:
            recipient = _node(sub.id)
            graph.add((recipient, RDF.type, _term("dpv:DataSubProcessor")))
            graph.add((recipient, RDFS.label, Literal(sub.name)))
            graph.add((process, _term("dpv:hasRecipient"), recipient))
        for country in view.countries:
            location = _term(f"loc:{country.code}")
            graph.add((process, _term("dpv:hasLocation"), location))
            status = transfer_status(Place(country.code, country.name, country.region))
            if status in _LEGAL_BASIS:
                transfer = _node(f"{view.id}/transfer/{country.code}")
                graph.add((transfer, RDF.type, _term("dpv:DataTransfer")))
                graph.add((transfer, _term("dpv:hasLocation"), location))
                graph.add(
                    (transfer, _term("dpv:hasLegalBasis"), _term(f"eu-gdpr:{_LEGAL_BASIS[status]}"))
                )
                graph.add((process, _term("dpv:hasProcess"), transfer))
    return graph


def export_dpv(store: GraphStore) -> str:
    """Return the map as DPV JSON-LD, with its nodes sorted so the same map gives the same text."""
    document = json.loads(dpv_graph(store).serialize(format="json-ld", context=NAMESPACES))
    nodes = document.get("@graph", [])
    document["@graph"] = sorted(nodes, key=lambda node: str(node.get("@id")))
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
