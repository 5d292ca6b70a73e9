"""Invariants of the reference data shipped in the package."""

from __future__ import annotations

from collections import Counter

from dataflyt.reference.jurisdictions import adequacy, is_eea, resolve_place
from dataflyt.reference.vocabulary import fold, vocabulary


def test_keys_are_unique_and_parents_exist() -> None:
    import json
    from importlib import resources

    raw = json.loads(resources.files("dataflyt.reference").joinpath("vocabulary.json").read_text())
    for table in ("categories", "subjects", "roles"):
        keys = Counter(entry["key"] for entry in raw[table])
        assert [k for k, n in keys.items() if n > 1] == []
    categories = vocabulary().categories
    for category in categories.values():
        assert category.parent is None or category.parent in categories
        assert category.key not in vocabulary().ancestors(category.key)  # no cycles
        assert category.fides.startswith("user")
        assert category.dpv.startswith(("pd:", "dpv:"))  # DPV 2.0 pd extension or core
        assert category.sensitivity in {"normal", "high"}


def test_every_synonym_maps_to_one_entry() -> None:
    vocab = vocabulary()
    for table in ("categories", "subjects", "roles"):
        owners: dict[str, set[str]] = {}
        for key, entry in getattr(vocab, table).items():
            for label in (*entry.synonyms, fold(entry.en), fold(entry.no)):
                owners.setdefault(label, set()).add(key)
        assert {label: keys for label, keys in owners.items() if len(keys) > 1} == {}


def test_communications_content_and_art9_are_high_sensitivity() -> None:
    categories = vocabulary().categories
    assert categories["call_recordings"].sensitivity == "high"
    assert categories["health"].sensitivity == "high"
    assert categories["call_history"].sensitivity == "normal"
    assert vocabulary().ancestors("call_recordings") == ["communications_content", "communications"]
    assert vocabulary().ancestors("call_history") == ["communications_metadata", "communications"]
    assert vocabulary().ancestors("mobile_number") == ["phone_number", "contact_details"]


def test_country_names_in_norwegian_and_english() -> None:
    assert resolve_place("Norge").code == "NO"  # type: ignore[union-attr]
    assert resolve_place("Tyskland").code == "DE"  # type: ignore[union-attr]
    assert resolve_place("USA").code == "US"  # type: ignore[union-attr]
    assert resolve_place("Narnia") is None
    assert is_eea("NO") and is_eea("IS") and not is_eea("CH") and not is_eea("GB")


def test_adequacy_decisions_are_dated() -> None:
    listed = [
        "AD",
        "AR",
        "CA",
        "FO",
        "GG",
        "IL",
        "IM",
        "JP",
        "JE",
        "NZ",
        "KR",
        "CH",
        "GB",
        "UY",
        "US",
    ]
    for code in listed:
        decision = adequacy(code)
        assert decision is not None and len(decision["decided"]) == 10
    assert "condition" in adequacy("US")  # type: ignore[operator]
    assert "condition" in adequacy("CA")  # type: ignore[operator]
    assert adequacy("IN") is None
