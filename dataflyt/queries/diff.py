"""``diff``: what changed between two versions of a document (or two maps), and what each new
sub-processor newly receives (what a DPO weighs before objecting, GDPR Art. 28(2))."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import BaseModel, Field

from dataflyt.graph.ingest import load_files
from dataflyt.graph.model import NodeKind
from dataflyt.graph.networkx_store import NetworkxStore
from dataflyt.graph.store import GraphStore
from dataflyt.loaders.models import DocumentFormat
from dataflyt.queries.services import ServiceView, service_views
from dataflyt.reference.jurisdictions import Place, TransferStatus, transfer_status

__all__ = [
    "CountryChange",
    "MapDiff",
    "NewSubProcessor",
    "ServiceChange",
    "diff_files",
    "diff_maps",
]


class CountryChange(BaseModel):
    """A country added to or removed from a service, and what it means for transfers."""

    name: str
    code: str
    status: str
    leaves_eea: bool
    without_adequacy: bool


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
    role: tuple[str, str] | None = None
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
    dates: list[tuple[str, str | None, str | None]]
    services_added: list[str]
    services_removed: list[str]
    services_changed: list[ServiceChange]
    new_subprocessors: list[NewSubProcessor]


def _views(store: GraphStore) -> dict[str, ServiceView]:
    return service_views(store, [n.id for n in store.nodes(NodeKind.SERVICE)])


def _country(name: str, code: str, region: bool) -> CountryChange:
    status = transfer_status(Place(code, name, region))
    return CountryChange(
        name=name,
        code=code,
        status=status.value,
        leaves_eea=status is not TransferStatus.EEA,
        without_adequacy=status is TransferStatus.NEEDS_SAFEGUARDS,
    )


def _service_change(old: ServiceView, new: ServiceView) -> ServiceChange | None:
    def added(a: set[str], b: set[str]) -> list[str]:
        return sorted(b - a)

    old_subs = {s.name for s in old.subprocessors}
    new_subs = {s.name for s in new.subprocessors}
    old_places = {c.code: c for c in old.countries}
    new_places = {c.code: c for c in new.countries}
    old_cats = {c.name for c in old.categories}
    new_cats = {c.name for c in new.categories}
    change = ServiceChange(
        service=new.name,
        role=(old.role_label, new.role_label) if old.role != new.role else None,
        subprocessors_added=added(old_subs, new_subs),
        subprocessors_removed=added(new_subs, old_subs),
        countries_added=[
            _country(c.name, c.code, c.region)
            for code, c in sorted(new_places.items())
            if code not in old_places
        ],
        countries_removed=[
            _country(c.name, c.code, c.region)
            for code, c in sorted(old_places.items())
            if code not in new_places
        ],
        categories_added=added(old_cats, new_cats),
        categories_removed=added(new_cats, old_cats),
        subjects_added=added(set(old.data_subjects), set(new.data_subjects)),
        subjects_removed=added(set(new.data_subjects), set(old.data_subjects)),
    )
    empty = ServiceChange(service=new.name)
    return None if change == empty else change


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


def diff_maps(old: GraphStore, new: GraphStore) -> MapDiff:
    """Return every difference from ``old`` to ``new``: services, sub-processors, countries,
    categories, subjects, roles and document dates, and what new sub-processors receive."""
    before, after = _views(old), _views(new)
    old_dates = {d.id: d.attrs.get("date") for d in old.nodes(NodeKind.DOCUMENT)}
    new_dates = {d.id: d.attrs.get("date") for d in new.nodes(NodeKind.DOCUMENT)}
    names = {d.id: d.name for d in [*old.nodes(NodeKind.DOCUMENT), *new.nodes(NodeKind.DOCUMENT)]}
    dates = [
        (names[doc], old_dates.get(doc), new_dates.get(doc))
        for doc in sorted(set(old_dates) | set(new_dates))
        if old_dates.get(doc) != new_dates.get(doc)
    ]
    changes = [
        change
        for sid in sorted(set(before) & set(after))
        if (change := _service_change(before[sid], after[sid])) is not None
    ]
    new_subs = []
    for sid, view in sorted(after.items(), key=lambda item: item[1].name.casefold()):
        known = {s.id for s in before[sid].subprocessors} if sid in before else set()
        new_subs.extend(_newly_received(view, known))
    added = sorted(after[s].name for s in set(after) - set(before))
    removed = sorted(before[s].name for s in set(before) - set(after))
    return MapDiff(
        changed=bool(dates or changes or added or removed or new_subs),
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
) -> MapDiff:
    """Return the differences between two document sets, each loaded into its own temporary
    embedded map (the user's map is never touched); raise ``LoadError`` for bad input."""
    with tempfile.TemporaryDirectory(prefix="dataflyt-diff-") as folder:
        stores = []
        for side, paths in (("old", old), ("new", new)):
            store = NetworkxStore(Path(folder) / f"{side}.json")
            load_files(store, paths, provider, service=service, document_format=document_format)
            stores.append(store)
        return diff_maps(*stores)
