"""Synthetic maps: deterministic bytes, the promised shape (providers, chains ending at shared
infrastructure, vocabulary categories at realistic rates, transfers outside the EEA), the
``synth`` command, and the invariants of ``reference/synthetic.json``."""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
from collections import Counter
from itertools import takewhile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt import atomic
from dataflyt.cli.main import app
from dataflyt.cli.output import NAMES_IN_A_CELL
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ids import organisation_id
from dataflyt.queries.breach import breach
from dataflyt.queries.transfers import transfers
from dataflyt.reference.jurisdictions import country_name
from dataflyt.reference.vocabulary import vocabulary
from dataflyt.synth import (
    _data,
    infrastructure,
    synthesize,
    synthetic_versions,
    write_synthetic_map,
)

SERVICES = 600


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = tmp_path_factory.mktemp("synth") / "map.json"
    write_synthetic_map(path, SERVICES, seed=7)
    return EmbeddedStore(path)


def test_same_seed_writes_the_same_bytes(tmp_path: Path, runner: CliRunner) -> None:
    first, second, other = tmp_path / "a.json", tmp_path / "b.json", tmp_path / "c.json"
    write_synthetic_map(first, 300, seed=3)
    result = runner.invoke(app, ["synth", "--services", "300", "--seed", "3", "-o", str(second)])
    assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    write_synthetic_map(other, 300, seed=4)
    assert other.read_bytes() != first.read_bytes()


def test_synth_replaces_an_existing_file(tmp_path: Path, runner: CliRunner) -> None:
    path = tmp_path / "map.json"
    write_synthetic_map(path, 200, seed=1)
    result = runner.invoke(app, ["synth", "-n", "20", "-o", str(path), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["counts"]["Service"] == 20
    assert EmbeddedStore(path).summary().counts["Service"] == 20


def test_synth_never_overwrites_a_file_that_is_not_a_map(tmp_path: Path, runner: CliRunner) -> None:
    notes = tmp_path / "notes.json"
    notes.write_text('{"mine": true}\n')
    result = runner.invoke(app, ["synth", "-n", "20", "-o", str(notes)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"dataflyt: error: {notes}: exists and is not a dataflyt map; not overwritten\n"
    )
    assert notes.read_text() == '{"mine": true}\n'


def test_a_failed_write_leaves_the_old_map(
    tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "map.json"
    write_synthetic_map(path, 20, seed=1)
    before = path.read_bytes()

    def disk_full(source: str, target: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "replace", disk_full)
    result = runner.invoke(app, ["synth", "-n", "30", "-o", str(path)])
    assert result.exit_code == 1
    assert result.stderr == (
        f"dataflyt: error: {path}: cannot write the map: No space left on device\n"
    )
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["map.json"]  # no temporary file left


def test_synth_refuses_a_size_out_of_range(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["synth", "-n", "1000000", "-o", str(tmp_path / "m.json")])
    assert result.exit_code == 2
    assert result.stderr.startswith("dataflyt: error: services must be between 1 and")
    assert not (tmp_path / "m.json").exists()
    with pytest.raises(ValueError, match="between 1 and"):
        synthesize(0, seed=1)


def test_counts(synthetic: EmbeddedStore) -> None:
    summary = synthetic.summary()
    providers, vendors = round(SERVICES / 50), round(SERVICES / 25)
    assert summary.counts["Service"] == SERVICES
    assert summary.counts["Document"] == providers + vendors
    reached = sum(synthetic.node(organisation_id(i.name)) is not None for i in infrastructure())
    assert reached >= 5
    assert summary.counts["Organisation"] == providers + vendors + reached
    assert summary.counts["Country"] >= 10


def test_tiny_maps_still_have_several_providers() -> None:
    documents = synthesize(5, seed=2)
    assert len({doc.provider for doc in documents if doc.services}) == 3
    assert sum(len(doc.services) for doc in documents) == 5
    assert len(synthesize(1, seed=2)[-1].services) == 1


def test_breach_of_shared_infrastructure_reaches_many_services_through_chains(
    synthetic: EmbeddedStore,
) -> None:
    result = breach(synthetic, infrastructure()[0].name)
    assert len(result.services) > SERVICES / 4
    # the chain lists the customer, the provider, then one party per sub-processor level
    levels = Counter(len(service.chain) - 2 for service in result.services)
    assert max(levels) == 4
    assert sum(n for depth, n in levels.items() if depth >= 3) > 20
    assert {s.basis for s in result.services} >= {
        "sub-processor of the service",
        "sub-processor of the provider",
    }


def test_a_large_breach_lists_some_services_per_category_and_counts_the_rest(
    synthetic: EmbeddedStore,
) -> None:
    vendor = infrastructure()[0].name
    exposed = {c.name: c.services for c in breach(synthetic, vendor).data_categories}
    name, services = max(exposed.items(), key=lambda item: len(item[1]))
    assert len(services) > NAMES_IN_A_CELL
    done = CliRunner().invoke(app, ["breach", vendor, "--map", str(synthetic.path)])
    lines = done.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"│ {name} "))
    # the row's services cell, wrapped over the lines whose category cell is blank
    row = [lines[start], *takewhile(lambda line: line.split("│")[1].isspace(), lines[start + 1 :])]
    cell = " ".join(line.split("│")[3].strip() for line in row)
    shown = ", ".join(services[:NAMES_IN_A_CELL])
    assert (done.exit_code, cell) == (0, f"{shown} and {len(services) - NAMES_IN_A_CELL} more")


def test_some_data_leaves_the_eea(synthetic: EmbeddedStore) -> None:
    result = transfers(synthetic)
    statuses = Counter(flow.standing.status for flow in result.transfers if flow.standing)
    assert result.leaves_eea
    assert statuses["adequacy"] > 0
    assert statuses["needs_art46_safeguards"] > 0
    assert result.not_exhaustive


def test_engagements_state_their_places_and_a_providers_own_does_not() -> None:
    documents = synthesize(300, seed=7)
    rows = [s for doc in documents for service in doc.services for s in service.subprocessors]
    listed = [r.subprocessor for doc in documents if not doc.services for r in doc.relations]
    for_all = [r.subprocessor for doc in documents if doc.services for r in doc.relations]
    assert rows and listed and for_all
    assert all(sub.locations for sub in [*rows, *listed])
    assert not any(sub.locations for sub in for_all)


def test_earlier_versions_are_a_year_apart_and_lack_the_rows_added_later(tmp_path: Path) -> None:
    oldest, middle, latest = synthetic_versions(200, seed=5, versions=3)
    assert latest == synthesize(200, seed=5)
    for earlier, later in [(oldest, middle), (middle, latest)]:
        for before, after in zip(earlier, later, strict=True):
            assert (before.provider, before.title) == (after.provider, after.title)
            assert before.sha256 != after.sha256
            assert after.date is not None and before.date == after.date - dt.timedelta(days=365)
            assert before.services == (after.services[:-1] or after.services)
            assert before.relations == (after.relations[:-1] or after.relations)
    path = tmp_path / "map.json"
    summary = write_synthetic_map(path, 200, seed=5, versions=3)
    store = EmbeddedStore(path)
    assert summary.versions == 3 * summary.counts["Document"]
    assert {v.valid_to is None for v in store.document_versions()} == {True, False}
    first = path.read_bytes()
    write_synthetic_map(path, 200, seed=5, versions=3)
    assert path.read_bytes() == first
    with pytest.raises(ValueError, match="versions must be between 1 and"):
        synthetic_versions(10, seed=1, versions=0)


def test_categories_come_from_the_vocabulary_at_realistic_rates() -> None:
    documents = synthesize(2000, seed=11)
    facts = Counter(fact.key for doc in documents for s in doc.services for fact in s.categories)
    assert set(facts) <= set(vocabulary().categories)
    assert facts["name"] > facts["mobile_number"] > facts["call_recordings"] > facts["health"]
    assert 0.75 < facts["name"] / 2000 < 0.95
    subjects = Counter(
        subject
        for doc in documents
        for s in doc.services
        for subject in (s.categories[0].subjects if s.categories else [])
    )
    assert subjects.most_common(1)[0][0] in {"customers", "users"}
    assert set(subjects) <= set(vocabulary().subjects)


def test_names_are_unique_and_stable_across_sizes() -> None:
    documents = synthesize(3000, seed=5)
    services = [(doc.provider, s.name) for doc in documents for s in doc.services]
    assert len(set(services)) == len(services) == 3000
    owners = [organisation_id(doc.provider) for doc in documents]
    assert len(set(owners)) == len(owners)
    assert {i.name for i in infrastructure()}.isdisjoint(doc.provider for doc in documents)


def test_reference_data_is_consistent() -> None:
    data, vocab = _data(), vocabulary()
    assert set(data["category_odds"]) <= set(vocab.categories)
    assert set(data["subject_weights"]) <= set(vocab.subjects)
    assert set(data["roles"]) <= set(vocab.roles)
    countries = {*data["places_in_eea"], *data["places_outside_eea"], *data["legal_forms"]}
    countries |= {i.country for i in infrastructure()} | {
        code for i in infrastructure() for code in i.regions
    }
    assert all(country_name(code) != code for code in countries - {"EEA"})
    first_words = {i.name.split()[0] for i in infrastructure()}
    assert first_words.isdisjoint(data["organisation_names"]["prefixes"])
    for parts in (data["organisation_names"], data["service_names"]):
        for words in parts.values():
            assert len(set(words)) == len(words)
