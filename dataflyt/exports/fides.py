"""fideslang system manifests: one system per service, its data categories and subjects mapped
to fideslang keys through the vocabulary, validated with fideslang's own models."""

from __future__ import annotations

import re
from typing import Any

from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.queries.services import service_views
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["export_fides", "fides_systems"]

# the vocabulary's branch of GDPR Art. 9 special categories of personal data
_SPECIAL = "special_categories"


def _fides_key(node_id: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", node_id.split(":", 1)[1]).strip("_") or "system"


def fides_systems(store: GraphStore) -> list[dict[str, Any]]:
    """Return one validated fideslang System (as a plain dict) per service, sorted by key."""
    from fideslang.models import System

    vocab = vocabulary()
    subjects = {s.en: s.fides for s in vocab.subjects.values()}
    views = service_views(store, [s.id for s in store.nodes(NodeKind.SERVICE)])
    systems = []
    for view in views.values():
        categories = sorted(
            {
                vocab.categories[c.key].fides if c.key in vocab.categories else "user"
                for c in view.categories
            }
        )
        declaration = {
            "name": f"{view.name}: service delivery",
            "data_categories": categories,
            "data_use": "essential.service",
            "data_subjects": sorted({subjects.get(s, "customer") for s in view.data_subjects}),
            "data_shared_with_third_parties": bool(view.subprocessors),
            "third_parties": ", ".join(s.name for s in view.subprocessors) or None,
            "processes_special_category_data": any(
                _SPECIAL in (c.key, *vocab.ancestors(c.key)) for c in view.categories
            ),
        }
        system = {
            "fides_key": _fides_key(view.id),
            "name": view.name,
            "description": f"Provided by {view.provider.name if view.provider else 'unknown'} "
            f"({view.role_label})",
            "system_type": "Service",
            "privacy_declarations": [declaration],
            "does_international_transfers": any(not c.eea for c in view.countries),
        }
        checked = System.model_validate(system)
        systems.append(checked.model_dump(mode="json", exclude_none=True, exclude_defaults=True))
    return sorted(systems, key=lambda s: str(s["fides_key"]))


def export_fides(store: GraphStore) -> str:
    """Return the map as a fideslang manifest (YAML with a ``system`` list)."""
    import yaml

    manifest = {"system": fides_systems(store)}
    return str(yaml.safe_dump(manifest, allow_unicode=True, sort_keys=True))
