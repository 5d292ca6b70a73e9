"""``watch run``: check every watched source once. A source whose page changed gets its new
version kept as evidence, compared with the version in force (as ``diff`` compares two files)
and loaded into the map; each new sub-processor gets its Art. 28(2) objection deadline. A
source that cannot be fetched or read keeps its version in force and notes since when it fails.

A new version is kept only when what dataflyt reads from it changed: a page whose markup alone
changed (a session token, a banner) is the same version, checked again.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from enum import StrEnum
from pathlib import Path

import msgspec

from dataflyt.errors import FetchError, LoadError
from dataflyt.graph.store import GraphStore
from dataflyt.ids import document_identity
from dataflyt.ingest.load import LoadReport, load_files
from dataflyt.loaders import parse_document
from dataflyt.progress import Progress, silent
from dataflyt.queries.deadline import ObjectionDeadline
from dataflyt.queries.diff import MapDiff, Notice, diff_files
from dataflyt.sources.content import document_extension, document_file_name
from dataflyt.sources.evidence import keep_version
from dataflyt.sources.fetch import Fetched, Fetcher, NotModified, Validators
from dataflyt.sources.registry import SourceRegistry, SourceStatus, WatchedSource

__all__ = ["Objection", "SourceOutcome", "SourceResult", "WatchReport", "watch_sources"]

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]+")


class SourceResult(StrEnum):
    """What one check of a source found."""

    UNCHANGED = "unchanged"
    NEW = "new source"
    CHANGED = "changed"
    FAILED = "failed"


class Objection(msgspec.Struct, kw_only=True, frozen=True):
    """A new sub-processor of a service, and the last day to object to it."""

    service: str
    subprocessor: str
    deadline: ObjectionDeadline


class SourceOutcome(msgspec.Struct, kw_only=True, frozen=True):
    """What checking one source found, and the version in force afterwards."""

    url: str
    provider: str
    service: str | None
    result: SourceResult
    version: str | None
    file: str | None
    version_since: dt.datetime | None
    document_date: dt.date | None = None
    diff: MapDiff | None = None
    objections: list[Objection] = msgspec.field(default_factory=list)
    error: str | None = None
    failing_since: dt.datetime | None = None


class WatchReport(msgspec.Struct, kw_only=True, frozen=True):
    """Every source's outcome; ``changed`` when any source is new or changed, ``failed`` when
    any could not be fetched or read."""

    changed: bool
    failed: bool
    sources: list[SourceOutcome]


def watch_sources(
    store: GraphStore,
    registry: SourceRegistry,
    evidence: Path,
    fetcher: Fetcher,
    progress: Progress = silent,
) -> WatchReport:
    """Check every source in ``registry`` with ``fetcher``: keep new versions in the folder
    ``evidence``, load them into ``store`` and save each source's status in ``registry`` as
    soon as it is checked; return what was found. Raises ``RegistryError`` when the registry
    or a record of evidence is corrupt, ``StoreError`` when the store fails."""
    sources = registry.sources()
    current = {source.url: source for source in sources}
    outcomes = []
    for done, source in enumerate(sources):
        progress(f"Fetching {source.url}", done, len(sources))
        others = [other for url, other in current.items() if url != source.url]
        outcome, status = _check(store, evidence, fetcher, source, others)
        current[source.url] = source.model_copy(update={"status": status})
        registry.put(current[source.url])
        outcomes.append(outcome)
    progress("Checked", len(sources), len(sources))
    return WatchReport(
        changed=any(o.result in (SourceResult.NEW, SourceResult.CHANGED) for o in outcomes),
        failed=any(o.result is SourceResult.FAILED for o in outcomes),
        sources=outcomes,
    )


def _outcome(
    source: WatchedSource,
    status: SourceStatus,
    result: SourceResult,
    *,
    error: str | None = None,
    document_date: dt.date | None = None,
    diff: MapDiff | None = None,
    objections: list[Objection] | None = None,
) -> SourceOutcome:
    return SourceOutcome(
        url=source.url,
        provider=source.provider,
        service=source.service,
        result=result,
        version=status.version,
        file=status.file,
        version_since=status.since,
        document_date=document_date,
        diff=diff,
        objections=objections or [],
        error=error,
        failing_since=status.failing_since,
    )


def _check(
    store: GraphStore,
    evidence: Path,
    fetcher: Fetcher,
    source: WatchedSource,
    others: list[WatchedSource],
) -> tuple[SourceOutcome, SourceStatus]:
    """Return what checking ``source`` found and its status afterwards; ``others`` are the
    other watched sources, whose versions in force it must not replace."""
    status = source.status
    try:
        got = fetcher.fetch(
            source.url,
            Validators(status.etag, status.last_modified) if status.version else None,
        )
        if isinstance(got, NotModified) and status.version is None:
            raise FetchError(f"{source.url}: HTTP 304 Not Modified, with no version kept")
        if isinstance(got, NotModified) or got.sha256 == status.version:
            return _unchanged(source, got)
        return _new_version(store, evidence, source, got, others)
    except (FetchError, LoadError, OSError) as error:
        message = _one_line(_message(source.url, error))
        failing = status.model_copy(
            update={"failing_since": status.failing_since or fetcher.now(), "last_error": message}
        )
        return _outcome(source, failing, SourceResult.FAILED, error=message), failing


def _unchanged(
    source: WatchedSource, got: Fetched | NotModified
) -> tuple[SourceOutcome, SourceStatus]:
    update: dict[str, object] = {
        "checked": got.fetched_at,
        "failing_since": None,
        "last_error": None,
    }
    if isinstance(got, Fetched):  # the same version, perhaps with new validators
        update |= {"etag": got.etag, "last_modified": got.last_modified}
    status = source.status.model_copy(update=update)
    return _outcome(source, status, SourceResult.UNCHANGED), status


def _new_version(
    store: GraphStore,
    evidence: Path,
    source: WatchedSource,
    got: Fetched,
    others: list[WatchedSource],
) -> tuple[SourceOutcome, SourceStatus]:
    """Compare ``got`` with the version in force; when what it says changed, keep it, load it
    and return the change with the objection deadlines of its new sub-processors. Raises
    ``FetchError`` when it would replace the version in force of one of ``others``."""
    status = source.status
    name = document_file_name(
        source.url, document_extension(got.content_type, got.final_url, got.content)
    )
    previous = evidence / status.file if status.file else None
    if previous is not None and not previous.is_file():
        raise LoadError(str(previous), "the version in force is missing from the evidence")
    with tempfile.TemporaryDirectory(prefix="dataflyt-watch-") as folder:
        candidate = Path(folder) / name
        candidate.write_bytes(got.content)
        try:
            diff = diff_files(
                [previous] if previous else [],
                [candidate],
                source.provider,
                service=source.service,
                notice=Notice(days=source.notice_days, today=got.fetched_at.date()),
            )
        except LoadError as error:
            if error.file != str(candidate):
                raise
            raise FetchError(
                f"{source.url}: cannot be read: {_where(error)}{error.reason}"
            ) from None
        if previous is None or diff.changed:
            _refuse_replacing(store, evidence, source, candidate, others)
    if previous is not None and not diff.changed:
        return _unchanged(source, got)
    path = keep_version(evidence, got, name)
    report = load_files(store, [path], source.provider, service=source.service)
    stated = _stated_date(report)
    objections = [
        Objection(service=sub.service, subprocessor=sub.name, deadline=sub.deadline)
        for sub in diff.new_subprocessors
        if previous is not None and sub.deadline is not None
    ]
    new_status = SourceStatus(
        version=got.sha256,
        file=f"{got.sha256}/{name}",
        since=got.fetched_at,
        checked=got.fetched_at,
        etag=got.etag,
        last_modified=got.last_modified,
    )
    result = SourceResult.CHANGED if previous is not None else SourceResult.NEW
    outcome = _outcome(
        source, new_status, result, document_date=stated, diff=diff, objections=objections
    )
    return outcome, new_status


def _refuse_replacing(
    store: GraphStore,
    evidence: Path,
    source: WatchedSource,
    candidate: Path,
    others: list[WatchedSource],
) -> None:
    """Raise ``FetchError`` when ``candidate``, read as ``source``'s document, is the same
    document (provider, title, service) as the version in force of another watched page, with
    other contents: loading it would make that page's list history, its sub-processors
    silently gone."""
    parsed = parse_document(candidate, source.provider, service=source.service)
    identity = document_identity(parsed.provider, parsed.title, parsed.about)
    in_force = {
        v.path
        for v in store.document_versions()
        if v.identity == identity and v.valid_to is None and v.sha256 != parsed.sha256
    }
    for other in others:
        if other.status.file and str(evidence / other.status.file) in in_force:
            raise FetchError(
                f"{source.url}: it is {parsed.provider}'s {parsed.title!r}, as {other.url} is, "
                "and would replace it in the map: name the service each page is about "
                f"(dataflyt watch add URL --provider {source.provider} --service NAME)"
            )


def _stated_date(report: LoadReport) -> dt.date | None:
    """Return the date the loaded document states, or None when it states none."""
    dates = [doc.date for doc in report.documents if doc.date]
    try:
        return dt.date.fromisoformat(dates[0]) if dates else None
    except ValueError:
        return None


def _where(error: LoadError) -> str:
    line = f"line {error.line}: " if error.line is not None else ""
    return line + (f"{error.field}: " if error.field else "")


def _message(url: str, error: Exception) -> str:
    if isinstance(error, OSError):
        return f"{url}: cannot keep the version: {error.strerror or error}"
    return str(error)


def _one_line(text: str) -> str:
    """Return ``text`` on one line, control characters (a server's, say) made inert."""
    return " ".join(_UNPRINTABLE.sub(" ", text).split())
