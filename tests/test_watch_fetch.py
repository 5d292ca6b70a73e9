"""Fetching a watched page from a local server (127.0.0.1 only): conditional requests, error
statuses, timeouts, redirects, the size cap, and content types checked against the bytes."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from dataflyt import __version__
from dataflyt.errors import FetchError
from dataflyt.sources.content import document_extension, document_file_name
from dataflyt.sources.fetch import Fetched, Fetcher, FetchLimits, NotModified, Validators
from tests.http_pages import Page, Site

HTML = b"<!DOCTYPE html><html><body><table><tr><th>Entity</th></tr></table></body></html>"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
QUICK = FetchLimits(timeout=0.5, total=2.0, max_bytes=4096, max_redirects=3)


def fetch(site: Site, path: str, validators: Validators | None = None) -> Fetched | NotModified:
    with Fetcher(QUICK) as fetcher:
        return fetcher.fetch(site.url(path), validators)


def refused(site: Site, path: str) -> str:
    with pytest.raises(FetchError) as caught:
        fetch(site, path)
    message = str(caught.value)
    assert message.startswith(site.url(path) + ": ") and "\n" not in message
    return message.removeprefix(site.url(path) + ": ")


def test_a_page_comes_with_what_the_server_said(site: Site) -> None:
    site.pages["/list"] = Page(HTML, etag='"v1"')
    got = fetch(site, "/list")
    assert isinstance(got, Fetched)
    assert (got.content, got.content_type, got.etag) == (HTML, "text/html; charset=utf-8", '"v1"')
    assert got.final_url == got.url == site.url("/list")
    assert got.http_date is not None and got.http_date.endswith(" GMT")
    assert got.sha256 == hashlib.sha256(HTML).hexdigest()
    assert abs(got.fetched_at - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
    agent = site.requests[0][1]["User-Agent"]
    assert agent.startswith(f"dataflyt/{__version__} ")


def test_a_conditional_request_gets_304(site: Site) -> None:
    site.pages["/list"] = Page(HTML, etag='"v1"')
    got = fetch(
        site, "/list", Validators(etag='"v1"', last_modified="Mon, 03 Mar 2025 10:00:00 GMT")
    )
    assert isinstance(got, NotModified)
    headers = site.requests[0][1]
    assert headers["If-None-Match"] == '"v1"'
    assert headers["If-Modified-Since"] == "Mon, 03 Mar 2025 10:00:00 GMT"
    assert isinstance(fetch(site, "/list", Validators(etag='"v0"')), Fetched)


def test_no_validators_no_conditional_headers(site: Site) -> None:
    site.pages["/list"] = Page(HTML)
    fetch(site, "/list")
    assert not {"If-None-Match", "If-Modified-Since"} & set(site.requests[0][1])


@pytest.mark.parametrize(
    ("page", "says"),
    [
        (None, "HTTP 404 Not Found"),
        (Page(b"oops", status=500), "HTTP 500 Internal Server Error"),
        (Page(b"", status=204), "HTTP 204 No Content"),
        (Page(HTML, delay=1.5), "no answer within 0.5 s"),
        (Page(b"x" * 5000), "larger than the size cap of 4,096 bytes"),
        (Page(b"x" * 5000, send_length=False), "larger than the size cap of 4,096 bytes"),
    ],
)
def test_a_page_that_cannot_be_fetched_is_one_line(
    site: Site, page: Page | None, says: str
) -> None:
    if page is not None:
        site.pages["/p"] = page
    assert refused(site, "/p") == says


def test_a_slow_drip_stops_at_the_total_time(site: Site) -> None:
    # each piece comes well within the timeout, but the whole would take 6 s
    site.pages["/p"] = Page(b"<p>" + b"x" * 1200, drip=0.3, send_length=False)
    limits = FetchLimits(timeout=1.0, total=1.0, max_bytes=10_000)
    with Fetcher(limits) as fetcher, pytest.raises(FetchError, match="not downloaded within 1 s"):
        fetcher.fetch(site.url("/p"))


def test_an_endless_redirect_stops_after_the_limit(site: Site) -> None:
    site.pages["/loop"] = Page(location="/loop")
    assert refused(site, "/loop") == "more than 3 redirects"
    assert len(site.requests) == 4


def test_a_redirect_is_followed(site: Site) -> None:
    site.pages["/old"] = Page(location="/new")
    site.pages["/new"] = Page(HTML)
    got = fetch(site, "/old")
    assert isinstance(got, Fetched)
    assert (got.url, got.final_url) == (site.url("/old"), site.url("/new"))


def test_nothing_listening_is_one_line() -> None:
    from tests.conftest import free_port

    url = f"http://127.0.0.1:{free_port()}/list"
    with Fetcher(QUICK) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(url)
    assert str(caught.value).startswith(url + ": ") and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("content_type", "url", "data", "extension"),
    [
        ("text/html; charset=utf-8", "https://v.example/legal/subprocessors", HTML, ".html"),
        ("application/xhtml+xml", "https://v.example/x", HTML, ".html"),
        ("application/pdf", "https://v.example/dpa", PDF, ".pdf"),
        ("text/csv", "https://v.example/export", b"Entity,Purpose\nAWS,Hosting\n", ".csv"),
        ("text/markdown", "https://v.example/list", b"| Entity |\n|---|\n| AWS |\n", ".md"),
        ("text/plain", "https://raw.v.example/subprocessors.md", b"| Entity |\n", ".md"),
        ("text/plain", "https://v.example/annex", b"TJENESTEBESKRIVELSE\n", ".txt"),
        (None, "https://v.example/list.csv", b"Entity,Purpose\n", ".csv"),
        ("application/octet-stream", "https://v.example/download", PDF, ".pdf"),
        # a PDF is known by its signature whatever the server says
        ("text/html", "https://v.example/dpa", PDF, ".pdf"),
    ],
)
def test_the_extension_the_loaders_read_it_by(
    content_type: str | None, url: str, data: bytes, extension: str
) -> None:
    assert document_extension(content_type, url, data) == extension


@pytest.mark.parametrize(
    ("content_type", "data", "says"),
    [
        (
            "application/pdf",
            HTML,
            "the server says application/pdf but sent no PDF (it starts '<!DOCTYPE html><')",
        ),
        (
            "text/html",
            PNG,
            "the server says text/html but sent binary data (it starts '.PNG........IHDR')",
        ),
        (None, PNG, "the server says no content type but sent binary data"),
        ("image/png", PNG, "the server sent image/png, not a document dataflyt reads"),
        ("application/json", b"{}", "the server sent application/json, not a document"),
    ],
)
def test_a_content_type_that_lies_is_refused(
    content_type: str | None, data: bytes, says: str
) -> None:
    with pytest.raises(FetchError) as caught:
        document_extension(content_type, "https://v.example/list", data)
    assert str(caught.value).startswith(f"https://v.example/list: {says}")


@pytest.mark.parametrize(
    ("url", "extension", "name"),
    [
        ("https://v.example/legal/subprocessors", ".html", "subprocessors.html"),
        ("https://v.example/legal/subprocessors.html", ".html", "subprocessors.html"),
        ("https://v.example/docs/DPA%20Annex%203.pdf", ".pdf", "DPA-Annex-3.pdf"),
        ("https://v.example/", ".html", "v.example.html"),
        ("https://v.example/list.php?x=1", ".html", "list.php.html"),
        ("https://v.example/..%2F..%2Fetc", ".txt", "etc.txt"),
    ],
)
def test_a_kept_version_is_named_after_its_page(url: str, extension: str, name: str) -> None:
    assert document_file_name(url, extension) == name
