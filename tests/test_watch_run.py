"""``watch_sources`` over a local site (127.0.0.1 only): a page first seen is a new source, one
that gains a sub-processor is a change with what it receives and its objection deadline, a
page that cannot be fetched keeps its last good version in force, and every kept version is
evidence (bytes by SHA-256, what was fetched when)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path

import pytest

from dataflyt.errors import RegistryError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.queries.browse import show
from dataflyt.queries.deadline import DeadlineBasis
from dataflyt.sources.fetch import Fetcher, FetchLimits
from dataflyt.sources.registry import WatchedSource, add_source
from dataflyt.sources.registry_file import JsonFileRegistry
from dataflyt.sources.watch import SourceResult, WatchReport, watch_sources
from tests.http_pages import Page, Site

DATA = Path(__file__).parent / "data" / "watch"
SEEN = dt.datetime(2025, 6, 10, 8, 30, tzinfo=dt.UTC)
HTML = "text/html; charset=utf-8"


def page(name: str, content_type: str = HTML, etag: str | None = None) -> Page:
    return Page((DATA / name).read_bytes(), content_type, etag=etag)


class Watch:
    """A map, its registry and evidence folder in a temporary folder, checked at ``SEEN``."""

    def __init__(self, folder: Path) -> None:
        self.store = EmbeddedStore(folder / "map.json")
        self.registry = JsonFileRegistry(folder / "map.sources.json")
        self.evidence = folder / "map.evidence"
        self.clock = SEEN

    def add(self, url: str, provider: str, notice_days: int = 30) -> None:
        add_source(self.registry, url, provider, notice_days=notice_days, now=SEEN)

    def run(self) -> WatchReport:
        limits = FetchLimits(timeout=0.5, total=2.0)
        with Fetcher(limits, clock=lambda: self.clock) as fetcher:
            return watch_sources(self.store, self.registry, self.evidence, fetcher)

    def source(self, url: str) -> WatchedSource:
        return next(s for s in self.registry.sources() if s.url == url)


def engaged_by(watch: Watch, organisation: str) -> list[tuple[str, str]]:
    """Return the services that engage ``organisation`` in the map, with the file cited."""
    found = show(watch.store, organisation).neighbours
    return [
        (n.name, n.source.path.rsplit("/", 1)[-1])
        for n in found
        if n.relation == "ENGAGES" and n.source is not None and n.source.path
    ]


@pytest.fixture
def watch(tmp_path: Path) -> Watch:
    return Watch(tmp_path)


def test_a_first_version_is_a_new_source_listing_its_subprocessors(
    site: Site, watch: Watch
) -> None:
    site.pages["/legal/subprocessors"] = page("nordvakt-v1.html")
    watch.add(site.url("/legal/subprocessors"), "Nordvakt")
    report = watch.run()
    assert (report.changed, report.failed) == (True, False)
    [outcome] = report.sources
    assert outcome.result is SourceResult.NEW
    assert outcome.diff is not None and outcome.diff.services_added == ["Nordvakt"]
    assert [s.name for s in outcome.diff.new_subprocessors] == [
        "Amazon Web Services EMEA SARL",
        "Intility AS",
        "Mailgun Technologies, Inc.",
    ]
    assert outcome.objections == []  # a first version announces no change
    assert outcome.document_date == dt.date(2025, 3, 3)
    # the map holds it, citing the kept file
    assert engaged_by(watch, "Mailgun") == [("Nordvakt", "subprocessors.html")]
    sha = hashlib.sha256((DATA / "nordvakt-v1.html").read_bytes()).hexdigest()
    assert outcome.file == f"{sha}/subprocessors.html"
    assert watch.source(site.url("/legal/subprocessors")).status.version == sha


def test_a_page_that_gains_a_subprocessor_reports_it_with_its_deadline(
    site: Site, watch: Watch
) -> None:
    url = site.url("/legal/subprocessors")
    site.pages["/legal/subprocessors"] = page("nordvakt-v1.html")
    watch.add(url, "Nordvakt", notice_days=30)
    watch.run()
    site.pages["/legal/subprocessors"] = page("nordvakt-v2.html")
    report = watch.run()
    assert (report.changed, report.failed) == (True, False)
    [outcome] = report.sources
    assert outcome.result is SourceResult.CHANGED
    assert outcome.diff is not None
    [new] = outcome.diff.new_subprocessors
    assert (new.service, new.name, new.purpose) == (
        "Nordvakt",
        "Twilio Inc.",
        "SMS and voice alerts",
    )
    assert new.categories == ["Name", "Phone number"]
    assert [p.place.code for p in new.places] == ["US"]  # its own row's place, no other
    [objection] = outcome.objections
    assert (objection.service, objection.subprocessor) == ("Nordvakt", "Twilio Inc.")
    # the page says "Last updated: 2 June 2025": 30 days from then
    deadline = objection.deadline
    assert (deadline.deadline, deadline.basis, deadline.counted_from) == (
        dt.date(2025, 7, 2),
        DeadlineBasis.STATED,
        dt.date(2025, 6, 2),
    )
    assert deadline.days_left == 22  # from 10 June, when it was first seen
    assert engaged_by(watch, "Twilio Inc.") == [("Nordvakt", "subprocessors.html")]


def test_an_undated_page_counts_the_notice_from_when_the_change_was_first_seen(
    site: Site, watch: Watch
) -> None:
    site.pages["/underleverandorer.md"] = page("kvittering-v1.md", "text/markdown")
    watch.add(site.url("/underleverandorer.md"), "Kvittering", notice_days=14)
    watch.run()
    site.pages["/underleverandorer.md"] = page("kvittering-v2.md", "text/markdown")
    watch.clock = SEEN + dt.timedelta(days=3)
    [outcome] = watch.run().sources
    [objection] = outcome.objections
    assert objection.subprocessor == "Stripe Payments Europe, Limited"
    assert (objection.deadline.deadline, objection.deadline.basis) == (
        dt.date(2025, 6, 27),
        DeadlineBasis.FIRST_SEEN,
    )


def redated(name: str, date: str) -> Page:
    """Return the page ``name`` with its "Last updated" date set to ``date``."""
    body = (DATA / name).read_bytes()
    return Page(re.sub(rb"Last updated: [^<]+", b"Last updated: " + date.encode(), body), HTML)


@pytest.mark.parametrize(
    ("date", "why"),
    [
        ("3 March 2025", "the date the version without Twilio stated already"),
        ("1 July 2025", "a date after the change was seen"),
    ],
)
def test_a_date_that_cannot_be_the_announcement_counts_from_first_seen(
    site: Site, watch: Watch, date: str, why: str
) -> None:
    url = site.url("/legal/subprocessors")
    site.pages["/legal/subprocessors"] = page("nordvakt-v1.html")
    watch.add(url, "Nordvakt", notice_days=30)
    watch.run()
    site.pages["/legal/subprocessors"] = redated("nordvakt-v2.html", date)
    watch.clock = SEEN + dt.timedelta(days=20)
    [outcome] = watch.run().sources
    [objection] = outcome.objections
    deadline = objection.deadline
    assert (deadline.deadline, deadline.basis, deadline.counted_from, deadline.days_left) == (
        dt.date(2025, 7, 30),
        DeadlineBasis.FIRST_SEEN,
        dt.date(2025, 6, 30),
        30,
    ), why


def test_two_pages_that_would_be_one_document_fail_rather_than_replace_each_other(
    site: Site, watch: Watch
) -> None:
    # two lists of one provider without a title of their own: both "Zendesk sub-processors"
    header = b"Name,Purpose,Location\n"
    site.pages["/sell.csv"] = Page(header + b"Google LLC,Hosting,USA\n", "text/csv")
    site.pages["/support.csv"] = Page(header + b"Amazon Web Services,Hosting,Ireland\n", "text/csv")
    watch.add(site.url("/sell.csv"), "Zendesk")
    watch.add(site.url("/support.csv"), "Zendesk")
    report = watch.run()
    assert (report.changed, report.failed) == (True, True)
    sell, support = report.sources
    assert (sell.result, support.result) == (SourceResult.NEW, SourceResult.FAILED)
    assert support.error == (
        f"{site.url('/support.csv')}: it is Zendesk's 'Zendesk sub-processors', as "
        f"{site.url('/sell.csv')} is, and would replace it in the map: name the service "
        "each page is about (dataflyt watch add URL --provider Zendesk --service NAME)"
    )
    assert support.version is None
    assert engaged_by(watch, "Google LLC") == [("Zendesk", "sell.csv")]
    # the next run changes nothing: the page in force stays, the other still fails
    site.pages["/sell.csv"] = Page(header + b"Google LLC,Hosting,USA\nTwilio,SMS,USA\n", "text/csv")
    sell, support = watch.run().sources
    assert (sell.result, support.result) == (SourceResult.CHANGED, SourceResult.FAILED)


def test_an_unchanged_page_answers_304_and_nothing_is_kept(site: Site, watch: Watch) -> None:
    site.pages["/list"] = page("nordvakt-v1.html", etag='"v1"')
    watch.add(site.url("/list"), "Nordvakt")
    watch.run()
    report = watch.run()
    assert (report.changed, report.failed) == (False, False)
    assert report.sources[0].result is SourceResult.UNCHANGED
    assert site.requests[-1][1]["If-None-Match"] == '"v1"'
    assert len(list(watch.evidence.iterdir())) == 1


def test_new_markup_with_the_same_list_is_no_new_version(site: Site, watch: Watch) -> None:
    site.pages["/list"] = page("nordvakt-v1.html", etag='"v1"')
    watch.add(site.url("/list"), "Nordvakt")
    watch.run()
    site.pages["/list"] = page("nordvakt-v1-restyled.html", etag='"v1b"')
    report = watch.run()
    assert report.sources[0].result is SourceResult.UNCHANGED
    assert len(list(watch.evidence.iterdir())) == 1
    # the new validators are kept, so the next check is conditional on them
    assert watch.source(site.url("/list")).status.etag == '"v1b"'


def test_a_page_that_fails_keeps_its_last_good_version(site: Site, watch: Watch) -> None:
    url = site.url("/list")
    site.pages["/list"] = page("nordvakt-v1.html")
    watch.add(url, "Nordvakt")
    watch.run()
    good = watch.source(url).status
    site.pages["/list"] = Page(b"oops", status=500)
    watch.clock = SEEN + dt.timedelta(days=1)
    report = watch.run()
    assert (report.changed, report.failed) == (False, True)
    [outcome] = report.sources
    assert (outcome.result, outcome.error) == (
        SourceResult.FAILED,
        f"{url}: HTTP 500 Internal Server Error",
    )
    assert outcome.version == good.version
    del site.pages["/list"]
    watch.clock = SEEN + dt.timedelta(days=2)
    watch.run()
    status = watch.source(url).status
    # failing since the first failure, with the last error; the good version stays in force
    assert (status.failing_since, status.last_error) == (
        SEEN + dt.timedelta(days=1),
        f"{url}: HTTP 404 Not Found",
    )
    assert (status.version, status.checked) == (good.version, good.checked)
    assert engaged_by(watch, "Mailgun") == [("Nordvakt", "list.html")]
    site.pages["/list"] = page("nordvakt-v1.html")
    assert watch.run().sources[0].result is SourceResult.UNCHANGED
    status = watch.source(url).status
    assert (status.failing_since, status.last_error) == (None, None)


def test_a_page_dataflyt_cannot_read_fails_and_is_not_loaded(site: Site, watch: Watch) -> None:
    url = site.url("/list")
    site.pages["/list"] = page("nordvakt-v1.html")
    watch.add(url, "Nordvakt")
    watch.run()
    site.pages["/list"] = Page(b"<html><body><p>Please accept cookies</p></body></html>")
    [outcome] = watch.run().sources
    assert outcome.result is SourceResult.FAILED
    assert outcome.error is not None and outcome.error.startswith(f"{url}: cannot be read: ")
    assert len(list(watch.evidence.iterdir())) == 1


def test_a_content_type_that_lies_fails_the_source(site: Site, watch: Watch) -> None:
    site.pages["/dpa.pdf"] = page("nordvakt-v1.html", "application/pdf")
    watch.add(site.url("/dpa.pdf"), "Nordvakt")
    [outcome] = watch.run().sources
    assert outcome.error == (
        f"{site.url('/dpa.pdf')}: the server says application/pdf but sent no PDF "
        "(it starts '<!DOCTYPE html>.')"
    )
    assert not watch.evidence.exists()


def test_each_kept_version_is_evidence(site: Site, watch: Watch) -> None:
    url = site.url("/legal/subprocessors")
    site.pages["/legal/subprocessors"] = page("nordvakt-v1.html", etag='"v1"')
    watch.add(url, "Nordvakt")
    watch.run()
    site.pages["/legal/subprocessors"] = page("nordvakt-v2.html", etag='"v2"')
    watch.clock = SEEN + dt.timedelta(days=1)
    watch.run()
    for name, day, etag in (
        ("nordvakt-v1.html", SEEN, '"v1"'),
        ("nordvakt-v2.html", SEEN + dt.timedelta(days=1), '"v2"'),
    ):
        data = (DATA / name).read_bytes()
        folder = watch.evidence / hashlib.sha256(data).hexdigest()
        assert (folder / "subprocessors.html").read_bytes() == data
        record = json.loads((folder / "fetches.json").read_text("utf-8"))
        assert record["sha256"] == folder.name and record["size"] == len(data)
        [fetch] = record["fetches"]
        assert fetch["url"] == fetch["final_url"] == url
        assert fetch["fetched_at"] == day.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert (fetch["etag"], fetch["content_type"], fetch["file"]) == (
            etag,
            HTML,
            "subprocessors.html",
        )
        assert fetch["http_date"].endswith(" GMT")


def test_a_version_seen_again_adds_a_fetch_to_its_record(site: Site, watch: Watch) -> None:
    url = site.url("/list")
    watch.add(url, "Nordvakt")
    for day, name in enumerate(("nordvakt-v1.html", "nordvakt-v2.html", "nordvakt-v1.html")):
        site.pages["/list"] = page(name)
        watch.clock = SEEN + dt.timedelta(days=day)
        watch.run()
    sha = hashlib.sha256((DATA / "nordvakt-v1.html").read_bytes()).hexdigest()
    record = json.loads((watch.evidence / sha / "fetches.json").read_text("utf-8"))
    assert [f["fetched_at"][:10] for f in record["fetches"]] == ["2025-06-10", "2025-06-12"]
    assert watch.source(url).status.version == sha


def test_a_corrupt_record_of_evidence_stops_the_run_naming_it(site: Site, watch: Watch) -> None:
    site.pages["/list"] = page("nordvakt-v1.html")
    watch.add(site.url("/list"), "Nordvakt")
    sha = hashlib.sha256((DATA / "nordvakt-v1.html").read_bytes()).hexdigest()
    record = watch.evidence / sha / "fetches.json"
    record.parent.mkdir(parents=True)
    record.write_text("{not json")
    with pytest.raises(RegistryError, match=f"^{record}: not a record of fetches: "):
        watch.run()
    assert record.read_text() == "{not json"


def test_a_missing_previous_version_fails_the_source_naming_it(site: Site, watch: Watch) -> None:
    url = site.url("/list")
    site.pages["/list"] = page("nordvakt-v1.html")
    watch.add(url, "Nordvakt")
    watch.run()
    kept = watch.evidence / str(watch.source(url).status.file)
    kept.unlink()
    site.pages["/list"] = page("nordvakt-v2.html")
    [outcome] = watch.run().sources
    assert outcome.error == f"{kept}: the version in force is missing from the evidence"
