"""``diff``: what changed between two versions of a document, two maps, or one map on two
dates, and what each new sub-processor newly receives and where (what a DPO weighs before
objecting, GDPR Art. 28(2)).

Services are matched by id (provider and name), sub-processors by organisation id (so a new
spelling of the same company is no change), categories by vocabulary key, places by code. A new
sub-processor's places are those its own row states (the engagement's), never the service's
other places.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import msgspec

from dataflyt.formats import DocumentFormat
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.graph.model import Document, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders.list_columns import ColumnMapping
from dataflyt.queries.deadline import ObjectionDeadline, objection_deadline
from dataflyt.queries.facts import EngagementFacts, ServiceFacts, service_facts
from dataflyt.queries.places import PlaceUse
from dataflyt.reference.jurisdictions import TransferStatus

__all__ = [
    "DateChange",
    "EngagementChange",
    "MapDiff",
    "NewSubProcessor",
    "Notice",
    "PlaceChange",
    "ServiceChange",
    "ValueChange",
    "diff_files",
    "diff_maps",
]


class ValueChange(msgspec.Struct, kw_only=True, frozen=True):
    """A value in the old and the new version (None where a version has none)."""

    old: str | None
    new: str | None


class DateChange(msgspec.Struct, kw_only=True, frozen=True):
    """A document whose date changed (or that only one version has)."""

    document: str
    old: str | None
    new: str | None


class PlaceChange(msgspec.Struct, kw_only=True, frozen=True):
    """A place added or removed, with how it stands under GDPR Chapter V in the version that
    has it; ``without_adequacy``: outside the EEA with no adequacy decision covering it."""

    place: PlaceUse
    leaves_eea: bool
    without_adequacy: bool


class EngagementChange(msgspec.Struct, kw_only=True, frozen=True):
    """What changed in a sub-processor a service engages in both versions: its purpose, the
    categories it receives, the places stated for it."""

    name: str
    purpose: ValueChange | None = None
    categories: ValueChange | None = None
    places_added: list[PlaceChange] = msgspec.field(default_factory=list)
    places_removed: list[PlaceChange] = msgspec.field(default_factory=list)


class ServiceChange(msgspec.Struct, kw_only=True, frozen=True):
    """What changed in one service present in both versions."""

    service: str
    role: ValueChange | None = None
    subprocessors_added: list[str] = msgspec.field(default_factory=list)
    subprocessors_removed: list[str] = msgspec.field(default_factory=list)
    subprocessors_changed: list[EngagementChange] = msgspec.field(default_factory=list)
    places_added: list[PlaceChange] = msgspec.field(default_factory=list)
    places_removed: list[PlaceChange] = msgspec.field(default_factory=list)
    categories_added: list[str] = msgspec.field(default_factory=list)
    categories_removed: list[str] = msgspec.field(default_factory=list)
    subjects_added: list[str] = msgspec.field(default_factory=list)
    subjects_removed: list[str] = msgspec.field(default_factory=list)
    purposes: ValueChange | None = None


class NewSubProcessor(msgspec.Struct, kw_only=True, frozen=True):
    """A sub-processor a service newly engages: what it receives (``assumption``: the
    document does not say, so every category of the service), whose data, and where, as its
    own row states (``places`` [] when not stated); ``added`` the date the row gives, and the
    last day to object to it (GDPR Art. 28(2)) when a notice period was given."""

    service: str
    name: str
    purpose: str | None
    categories: list[str]
    data_subjects: list[str]
    places: list[PlaceChange]
    assumption: bool
    added: str | None = None
    deadline: ObjectionDeadline | None = None


class Notice(msgspec.Struct, kw_only=True, frozen=True):
    """What objection deadlines are counted with: the provider's notice period in days, and
    the day the comparison is made (the days left count from it; two files compared are
    loaded, so first seen, on it)."""

    days: int
    today: dt.date


class MapDiff(msgspec.Struct, kw_only=True, frozen=True):
    """Every difference between two maps; ``changed`` is False when there is none."""

    changed: bool
    dates: list[DateChange]
    services_added: list[str]
    services_removed: list[str]
    services_changed: list[ServiceChange]
    new_subprocessors: list[NewSubProcessor]


def _place(place: PlaceUse) -> PlaceChange:
    return PlaceChange(
        place=place,
        leaves_eea=place.standing.leaves_eea,
        without_adequacy=place.standing.status is TransferStatus.NEEDS_SAFEGUARDS,
    )


def _gone(ids: dict[str, str], other: dict[str, str]) -> list[str]:
    """Return the names of the ids in ``ids`` that ``other`` lacks, sorted."""
    return sorted(name for key, name in ids.items() if key not in other)


def _places(
    before: list[PlaceUse], after: list[PlaceUse]
) -> tuple[list[PlaceChange], list[PlaceChange]]:
    """Return the places only ``after`` has and those only ``before`` has, by code."""
    old, new = {p.code: p for p in before}, {p.code: p for p in after}
    added = [_place(p) for code, p in sorted(new.items()) if code not in old]
    removed = [_place(p) for code, p in sorted(old.items()) if code not in new]
    return added, removed


def _value(old: str | None, new: str | None) -> ValueChange | None:
    return None if old == new else ValueChange(old=old, new=new)


def _listed(old: list[str] | None, new: list[str] | None) -> ValueChange | None:
    """Return how a list changed, each version's items joined by "; " (None where a version
    has no list), or None when it did not."""
    if old == new:
        return None
    return ValueChange(
        old=None if old is None else "; ".join(old), new=None if new is None else "; ".join(new)
    )


def _engagement_change(before: EngagementFacts, after: EngagementFacts) -> EngagementChange | None:
    added, removed = _places(before.places, after.places)
    found = EngagementChange(
        name=after.organisation.name,
        purpose=_value(before.purpose, after.purpose),
        categories=_listed(before.categories, after.categories),
        places_added=added,
        places_removed=removed,
    )
    return None if found == EngagementChange(name=after.organisation.name) else found


def _service_change(before: ServiceFacts, after: ServiceFacts) -> ServiceChange | None:
    subs = [{e.organisation.id: e for e in f.engagements} for f in (before, after)]
    names = [{k: e.organisation.name for k, e in side.items()} for side in subs]
    cats = [{c.key: c.name for c in f.categories} for f in (before, after)]
    subjects = [{s: s for s in f.data_subjects} for f in (before, after)]
    added, removed = _places(before.places, after.places)
    kept = [
        found
        for org in sorted(subs[0].keys() & subs[1].keys())
        if (found := _engagement_change(subs[0][org], subs[1][org])) is not None
    ]
    change = ServiceChange(
        service=after.name,
        role=_value(before.role_label, after.role_label),
        subprocessors_added=_gone(names[1], names[0]),
        subprocessors_removed=_gone(names[0], names[1]),
        subprocessors_changed=kept,
        places_added=added,
        places_removed=removed,
        categories_added=_gone(cats[1], cats[0]),
        categories_removed=_gone(cats[0], cats[1]),
        subjects_added=_gone(subjects[1], subjects[0]),
        subjects_removed=_gone(subjects[0], subjects[1]),
        purposes=_listed(before.purposes, after.purposes),
    )
    return None if change == ServiceChange(service=after.name) else change


class _Announcement(msgspec.Struct, frozen=True):
    """When a new document version announced its changes: the date it states, when that can
    be the announcement (None otherwise), and the day it was loaded, the first it was seen."""

    stated: dt.date | None
    seen: dt.date


def _announcements(
    old: dict[str, Document], new: dict[str, Document], today: dt.date
) -> dict[str, _Announcement]:
    """Return when each version in ``new`` announced its changes, by its file. Its stated date
    counts only when later than the one the version in ``old`` states (or the first date
    stated) and not after the day it was loaded: a date the old version stated already was
    stated without the change, and a later one cannot be when it was announced."""
    found = {}
    for identity, version in new.items():
        seen = min(dt.date.fromisoformat(version.loaded), today)
        earlier = old[identity].date if identity in old else None
        stated = dt.date.fromisoformat(version.date) if version.date else None
        fresh = (
            stated is not None
            and stated <= seen
            and (earlier is None or earlier < stated.isoformat())
        )
        found[version.path] = _Announcement(stated if fresh else None, seen)
    return found


def _deadline(
    engagement: EngagementFacts, notice: Notice | None, announced: dict[str, _Announcement]
) -> ObjectionDeadline | None:
    """Return the objection deadline of a new engagement: counted from the date its document
    version announced it, else from the day that version was first seen (the day it was
    loaded; ``notice.today`` when unknown); ``days_left`` counts from ``notice.today``."""
    if notice is None:
        return None
    path = engagement.source.path if engagement.source else None
    when = announced.get(path or "", _Announcement(None, notice.today))
    return objection_deadline(when.seen, when.stated, notice.days, notice.today)


def _newly_received(
    facts: ServiceFacts,
    known: set[str],
    notice: Notice | None,
    announced: dict[str, _Announcement],
) -> list[NewSubProcessor]:
    found = []
    for engagement in facts.engagements:
        if engagement.organisation.id in known:
            continue
        stated = engagement.categories
        uses = [c for c in facts.categories if stated is None or c.key in stated]
        found.append(
            NewSubProcessor(
                service=facts.name,
                name=engagement.organisation.name,
                purpose=engagement.purpose,
                categories=sorted(c.name for c in uses),
                data_subjects=sorted({s for c in uses for s in c.subjects}),
                places=[_place(p) for p in engagement.places],
                assumption=stated is None,
                added=engagement.added,
                deadline=_deadline(engagement, notice, announced),
            )
        )
    return found


def _documents(store: GraphStore) -> dict[str, Document]:
    return {d.identity: d for d in store.nodes(NodeKind.DOCUMENT) if isinstance(d, Document)}


def _date_changes(old: dict[str, Document], new: dict[str, Document]) -> list[DateChange]:
    changes = [
        DateChange(
            document=(new.get(doc) or old[doc]).name,
            old=old[doc].date if doc in old else None,
            new=new[doc].date if doc in new else None,
        )
        for doc in sorted(old.keys() | new.keys())
    ]
    return [change for change in changes if change.old != change.new]


def diff_maps(old: GraphStore, new: GraphStore, notice: Notice | None = None) -> MapDiff:
    """Return every difference from ``old`` to ``new`` (two maps, or one map opened on two
    dates): services, sub-processors and their purposes, categories and places, places (with
    their transfer status), categories, subjects, roles and document dates, and what each new
    sub-processor receives and where, with its objection deadline when a ``notice`` period
    is given (counted from the date its version states, else from the day that version was
    loaded)."""
    before = service_facts(old, [n.id for n in old.nodes(NodeKind.SERVICE)])
    after = service_facts(new, [n.id for n in new.nodes(NodeKind.SERVICE)])
    old_documents, new_documents = _documents(old), _documents(new)
    dates = _date_changes(old_documents, new_documents)
    changes = [
        change
        for sid in sorted(before.keys() & after.keys())
        if (change := _service_change(before[sid], after[sid])) is not None
    ]
    announced = _announcements(old_documents, new_documents, notice.today) if notice else {}
    new_subs = []
    for sid, facts in sorted(after.items(), key=lambda item: item[1].name.casefold()):
        known = {e.organisation.id for e in before[sid].engagements} if sid in before else set()
        new_subs.extend(_newly_received(facts, known, notice, announced))
    names = [{sid: f.name for sid, f in side.items()} for side in (before, after)]
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
    notice: Notice | None = None,
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
                today=notice.today if notice else None,
            )
            stores.append(store)
        old_store, new_store = stores
        return diff_maps(old_store, new_store, notice)
