"""``diff``: what changed between two versions of a document (or two maps), and what each new
sub-processor newly receives (what a DPO weighs before objecting, GDPR Art. 28(2)).

Services are matched by id (provider and name), sub-processors by organisation id (so a new
spelling of the same company is no change), categories by vocabulary key, countries by code.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from dataflyt.formats import DocumentFormat
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders.list_columns import ColumnMapping
from dataflyt.queries.services import CountryUse, ServiceView, service_views
from dataflyt.queries.transfers import Flow, transfers
from dataflyt.reference.jurisdictions import TransferStatus, adequacy

__all__ = [
    "CountryChange",
    "DateChange",
    "MapDiff",
    "NewSubProcessor",
    "ServiceChange",
    "ValueChange",
    "diff_files",
    "diff_maps",
]


class ValueChange(BaseModel):
    """A value in the old and the new version (None where a version has none)."""

    old: str | None
    new: str | None


class DateChange(BaseModel):
    """A document whose date changed (or that only one version has)."""

    document: str
    old: str | None
    new: str | None


class CountryChange(BaseModel):
    """A country added to or removed from a service, and where it stands under GDPR Chapter V
    in the version that has it."""

    name: str
    code: str
    status: str = Field(description="a transfer status, as `transfers` gives it")
    condition: str | None = Field(description="what a conditional adequacy decision requires")
    safeguards: list[str] = Field(description="safeguards the document states")
    leaves_eea: bool
    without_adequacy: bool = Field(description="no adequacy decision: Art. 46 safeguards needed")


class NewSubProcessor(BaseModel):
    """A sub-processor a service newly engages, and what it newly receives."""

    service: str
    name: str
    purpose: str | None
    categories: list[str]
    data_subjects: list[str]
    countries: list[str]
    assumption: bool = Field(description="the document does not say what it receives")


class ServiceChange(BaseModel):
    """What changed in one service present in both versions."""

    service: str
    role: ValueChange | None = None
    subprocessors_added: list[str] = Field(default_factory=list)
    subprocessors_removed: list[str] = Field(default_factory=list)
    countries_added: list[CountryChange] = Field(default_factory=list)
    countries_removed: list[CountryChange] = Field(default_factory=list)
    categories_added: list[str] = Field(default_factory=list)
    categories_removed: list[str] = Field(default_factory=list)
    subjects_added: list[str] = Field(default_factory=list)
    subjects_removed: list[str] = Field(default_factory=list)


class MapDiff(BaseModel):
    """Every difference between two maps; ``changed`` is False when there is none."""

    changed: bool
    dates: list[DateChange]
    services_added: list[str]
    services_removed: list[str]
    services_changed: list[ServiceChange]
    new_subprocessors: list[NewSubProcessor]


class _Side:
    """One version: its services, the transfer status of their countries, its documents."""

    def __init__(self, store: GraphStore) -> None:
        self.views = service_views(store, [n.id for n in store.nodes(NodeKind.SERVICE)])
        self.flows: dict[tuple[str, str], Flow] = {
            (f.service_id, f.code): f for f in transfers(store).transfers if f.level == "service"
        }
        self.documents = {d.id: d for d in store.nodes(NodeKind.DOCUMENT)}

    def country(self, service: str, place: CountryUse) -> CountryChange:
        """Return ``place`` of ``service`` with its transfer status in this version."""
        flow = self.flows.get((service, place.code))
        status = TransferStatus(flow.status) if flow else TransferStatus.EEA
        decision = adequacy(place.code) if status is TransferStatus.CONDITIONAL_ADEQUACY else None
        return CountryChange(
            name=place.name,
            code=place.code,
            status=status.value,
            condition=decision.get("condition") if decision else None,
            safeguards=flow.safeguards if flow else [],
            leaves_eea=status is not TransferStatus.EEA,
            without_adequacy=status is TransferStatus.NEEDS_SAFEGUARDS,
        )


def _gone(ids: dict[str, str], other: dict[str, str]) -> list[str]:
    """Return the names of the ids in ``ids`` that ``other`` lacks, sorted."""
    return sorted(name for key, name in ids.items() if key not in other)


def _service_change(old: _Side, new: _Side, sid: str) -> ServiceChange | None:
    before, after = old.views[sid], new.views[sid]
    subs = [{s.id: s.name for s in view.subprocessors} for view in (before, after)]
    cats = [{c.key: c.name for c in view.categories} for view in (before, after)]
    subjects = [{s: s for s in view.data_subjects} for view in (before, after)]
    places = [{c.code: c for c in view.countries} for view in (before, after)]
    change = ServiceChange(
        service=after.name,
        role=ValueChange(old=before.role_label, new=after.role_label)
        if before.role != after.role
        else None,
        subprocessors_added=_gone(subs[1], subs[0]),
        subprocessors_removed=_gone(subs[0], subs[1]),
        countries_added=[
            new.country(sid, c) for code, c in sorted(places[1].items()) if code not in places[0]
        ],
        countries_removed=[
            old.country(sid, c) for code, c in sorted(places[0].items()) if code not in places[1]
        ],
        categories_added=_gone(cats[1], cats[0]),
        categories_removed=_gone(cats[0], cats[1]),
        subjects_added=_gone(subjects[1], subjects[0]),
        subjects_removed=_gone(subjects[0], subjects[1]),
    )
    return None if change == ServiceChange(service=after.name) else change


def _newly_received(view: ServiceView, known: set[str]) -> list[NewSubProcessor]:
    found = []
    for sub in view.subprocessors:
        if sub.id in known:
            continue
        stated = sub.categories is not None
        uses = [c for c in view.categories if not stated or c.key in (sub.categories or [])]
        found.append(
            NewSubProcessor(
                service=view.name,
                name=sub.name,
                purpose=sub.purpose,
                categories=sorted(c.name for c in uses),
                data_subjects=sorted({s for c in uses for s in c.subjects}),
                countries=sorted(c.name for c in view.countries),
                assumption=not stated,
            )
        )
    return found


def _date_changes(before: _Side, after: _Side) -> list[DateChange]:
    old, new = before.documents, after.documents
    changes = [
        DateChange(
            document=(new.get(doc) or old[doc]).name,
            old=old[doc].attrs.get("date") if doc in old else None,
            new=new[doc].attrs.get("date") if doc in new else None,
        )
        for doc in sorted(old.keys() | new.keys())
    ]
    return [change for change in changes if change.old != change.new]


def diff_maps(old: GraphStore, new: GraphStore) -> MapDiff:
    """Return every difference from ``old`` to ``new``: services, sub-processors, countries
    (with their transfer status), categories, subjects, roles and document dates, and what
    each new sub-processor receives."""
    before, after = _Side(old), _Side(new)
    dates = _date_changes(before, after)
    changes = [
        change
        for sid in sorted(before.views.keys() & after.views.keys())
        if (change := _service_change(before, after, sid)) is not None
    ]
    new_subs = []
    for sid, view in sorted(after.views.items(), key=lambda item: item[1].name.casefold()):
        known = {s.id for s in before.views[sid].subprocessors} if sid in before.views else set()
        new_subs.extend(_newly_received(view, known))
    names = [{sid: view.name for sid, view in side.views.items()} for side in (before, after)]
    added, removed = _gone(names[1], names[0]), _gone(names[0], names[1])
    return MapDiff(
        changed=any((dates, added, removed, changes, new_subs)),
        dates=dates,
        services_added=added,
        services_removed=removed,
        services_changed=changes,
        new_subprocessors=new_subs,
    )


def diff_files(
    old: list[Path],
    new: list[Path],
    provider: str | None = None,
    *,
    service: str | None = None,
    document_format: DocumentFormat | None = None,
    columns: ColumnMapping | None = None,
) -> MapDiff:
    """Return the differences between two document sets, each loaded into its own temporary
    embedded map (the user's map is never touched); raise ``LoadError`` for bad input.
    ``columns`` names a sub-processor list's columns by their headers (``--columns``)."""
    with tempfile.TemporaryDirectory(prefix="dataflyt-diff-") as folder:
        stores = []
        for side, paths in (("old", old), ("new", new)):
            store = EmbeddedStore(Path(folder) / f"{side}.json")
            load_files(
                store,
                paths,
                provider,
                service=service,
                document_format=document_format,
                columns=columns,
            )
            stores.append(store)
        return diff_maps(*stores)
