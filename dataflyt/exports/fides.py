"""fideslang system manifests: one system per service, its data categories and subjects mapped
to fideslang keys through the vocabulary, validated with fideslang's own models.

A system does international transfers when a party processing its data (its provider, a
sub-processor, or one further down the chain) is known to process outside the EEA; fideslang's
yes-or-no cannot say "not known", so where a place is not stated the system's ``meta`` says so
and names the parties, rather than the manifest reading as "no transfers".
"""

from __future__ import annotations

import re
from typing import Any

from dataflyt.exports.flows import ServiceChain, service_chains
from dataflyt.graph.store import GraphStore
from dataflyt.queries.places import NOT_STATED, leaves_eea
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["export_fides", "fides_systems"]

# the vocabulary's branch of GDPR Art. 9 special categories of personal data
_SPECIAL = "special_categories"


def _fides_key(node_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node_id.split(":", 1)[1]).strip("_") or "system"


def _system(chain: ServiceChain) -> dict[str, Any]:
    """Return the fideslang System of one service, as plain data."""
    vocab = vocabulary()
    subjects = {s.en: s.fides for s in vocab.subjects.values()}
    facts = chain.facts
    names = list(dict.fromkeys(r.facts.organisation.name for r in chain.recipients))
    declaration = {
        "name": f"{facts.name}: service delivery",
        "data_categories": sorted(
            {
                vocab.categories[c.key].fides if c.key in vocab.categories else "user"
                for c in facts.categories
            }
        ),
        "data_use": "essential.service",
        "data_subjects": sorted({subjects.get(s, "customer") for s in facts.data_subjects}),
        "data_shared_with_third_parties": bool(names),
        "third_parties": ", ".join(names) or None,
        "processes_special_category_data": any(
            _SPECIAL in (c.key, *vocab.ancestors(c.key)) for c in facts.categories
        ),
        "retention_period": facts.retention,
    }
    leaving = leaves_eea(flow.standing for flow in chain.flows)
    provider = facts.provider.name if facts.provider else NOT_STATED
    return {
        "fides_key": _fides_key(facts.id),
        "name": facts.name,
        "description": f"Provided by {provider} ({facts.role_label})",
        "system_type": "Service",
        "privacy_declarations": [declaration],
        "does_international_transfers": leaving is True,
        "data_security_practices": facts.security_measures,
        "meta": None if leaving is not None else {"international_transfers": _unknown(chain)},
    }


def _unknown(chain: ServiceChain) -> str:
    """Return why it is not known whether a service's data leaves the EEA."""
    parties = [
        flow.processor.name if flow.processor else "the provider"
        for flow in chain.flows
        if flow.standing is None
    ]
    if not parties:
        return "not known: a place stated is not pinned down to a country"
    return (
        f"not known: where it is processed is {NOT_STATED} for {', '.join(dict.fromkeys(parties))}"
    )


def fides_systems(store: GraphStore) -> list[dict[str, Any]]:
    """Return one validated fideslang System (as a plain dict) per service, sorted by key."""
    from fideslang.models import System

    systems = []
    for chain in service_chains(store):
        checked = System.model_validate(_system(chain))
        systems.append(checked.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    return sorted(systems, key=lambda s: str(s["fides_key"]))


def export_fides(store: GraphStore) -> str:
    """Return the map as a fideslang manifest (YAML with a ``system`` list)."""
    import yaml

    manifest = {"system": fides_systems(store)}
    return str(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=True))
