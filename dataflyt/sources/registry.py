"""What is watched: each source's URL, whose document it is, the provider's notice period and
how the last checks went; behind ``SourceRegistry``, a small interface a file implements
(``registry_file``) and a graph database can implement too.

A URL is checked and written one way (``watched_url``), so the same page is one source however
it was typed.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit

from pydantic import BaseModel, Field

from dataflyt.errors import SourceURLError, UnknownNameError
from dataflyt.queries.deadline import DEFAULT_NOTICE_DAYS

__all__ = [
    "SourceListing",
    "SourceRegistry",
    "SourceStatus",
    "WatchedSource",
    "add_source",
    "list_sources",
    "remove_source",
    "watched_url",
]

# the longest notice period accepted; contracts give days or weeks, never years
MAX_NOTICE_DAYS = 365
_UNPRINTABLE = re.compile(r"[\x00-\x20\x7f-\x9f]")


class SourceStatus(BaseModel):
    """How the checks of a source went: the version in force (the last good one), the
    validators for a conditional request, and since when it fails."""

    version: str | None = Field(default=None, description="SHA-256 of the version in force")
    file: str | None = Field(default=None, description="that version, in the evidence folder")
    since: dt.datetime | None = Field(default=None, description="when it was first seen")
    checked: dt.datetime | None = Field(default=None, description="the last successful check")
    etag: str | None = None
    last_modified: str | None = None
    failing_since: dt.datetime | None = None
    last_error: str | None = None


class WatchedSource(BaseModel):
    """A vendor's published document that is watched, and how its checks went."""

    url: str
    provider: str
    service: str | None = None
    notice_days: int = Field(default=DEFAULT_NOTICE_DAYS, ge=0, le=MAX_NOTICE_DAYS)
    added: dt.datetime
    status: SourceStatus = Field(default_factory=SourceStatus)


class SourceListing(BaseModel):
    """Every watched source, and where the registry is."""

    registry: str
    sources: list[WatchedSource]


class SourceRegistry(Protocol):
    """Where the watched sources are kept. ``location`` names it in messages."""

    @property
    def location(self) -> str:
        """Return where the registry is, for messages (a file's path)."""
        ...

    def sources(self) -> list[WatchedSource]:
        """Return every watched source, sorted by URL; raise ``RegistryError`` when the
        registry cannot be read."""
        ...

    def put(self, source: WatchedSource) -> None:
        """Add ``source``, or replace the one with its URL; raise ``RegistryError`` when the
        registry cannot be written (it is then unchanged)."""
        ...

    def remove(self, url: str) -> bool:
        """Remove the source with ``url``; return False when there is none."""
        ...


def watched_url(text: str) -> str:
    """Return ``text`` as the URL a source is kept under: scheme and host in lower case, no
    fragment, ``/`` for an empty path. Raises ``SourceURLError`` unless it is an http or https
    URL with a host and without credentials."""
    if not text or _UNPRINTABLE.search(text):
        raise SourceURLError(f"{text!r} is not a URL: empty, or spaces or control characters")
    if "://" not in text:
        raise SourceURLError(f"{text!r} is not a URL: no scheme (did you mean https://{text}?)")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as error:
        raise SourceURLError(f"{text!r} is not a URL: {error}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise SourceURLError(f"{text!r}: only http and https pages can be watched")
    if parts.username is not None or parts.password is not None:
        raise SourceURLError(
            f"{parts.hostname}: a URL with a user name or password would be written to the "
            "registry and the evidence; watch a page readable without them"
        )
    if not parts.hostname:
        raise SourceURLError(f"{text!r} is not a URL: no host")
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    netloc = host if port is None else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def add_source(
    registry: SourceRegistry,
    url: str,
    provider: str,
    *,
    service: str | None = None,
    notice_days: int = DEFAULT_NOTICE_DAYS,
    now: dt.datetime,
) -> tuple[WatchedSource, bool]:
    """Watch ``url`` as ``provider``'s document; return the source and True when it is new,
    False when it was watched already (its settings are then replaced and its history kept).
    Raises ``SourceURLError`` for a URL that cannot be watched, ``ValueError`` for an empty
    provider or a notice period out of range."""
    key = watched_url(url)
    if not provider.strip():
        raise ValueError("the provider needs a name")
    if not 0 <= notice_days <= MAX_NOTICE_DAYS:
        raise ValueError(f"a notice period is 0 to {MAX_NOTICE_DAYS} days, not {notice_days}")
    known = {source.url: source for source in registry.sources()}
    before = known.get(key)
    source = WatchedSource(
        url=key,
        provider=provider.strip(),
        service=service.strip() if service and service.strip() else None,
        notice_days=notice_days,
        added=before.added if before else now,
        status=before.status if before else SourceStatus(),
    )
    registry.put(source)
    return source, before is None


def remove_source(registry: SourceRegistry, url: str) -> WatchedSource:
    """Stop watching ``url``; return the source that was watched. Raises ``UnknownNameError``
    (with the closest watched URLs) when it is not watched."""
    key = watched_url(url)
    known = {source.url: source for source in registry.sources()}
    if key not in known or not registry.remove(key):
        closest = difflib.get_close_matches(key, list(known), n=3, cutoff=0.6)
        raise UnknownNameError("source", key, closest)
    return known[key]


def list_sources(registry: SourceRegistry) -> SourceListing:
    """Return every watched source, sorted by URL, with where the registry is."""
    return SourceListing(registry=registry.location, sources=registry.sources())
