"""Fetching a watched page over HTTP, within limits: a timeout for each wait and one for the
whole download, a few redirects at most, a size cap checked while the body streams in (so a
huge or endless response is cut off, not read into memory), and a conditional request
(``If-None-Match``, ``If-Modified-Since``) when a version is already kept. The User-Agent
names dataflyt and its version, so a vendor can tell who reads the page.

httpx is imported only here, and only when a ``Fetcher`` is opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from dataflyt import __version__
from dataflyt.errors import FetchError

if TYPE_CHECKING:
    import httpx

__all__ = ["USER_AGENT", "FetchLimits", "Fetched", "Fetcher", "NotModified", "Validators"]

USER_AGENT = f"dataflyt/{__version__} (watches published sub-processor lists for a DPO)"
_MIB = 1024 * 1024


@dataclass(frozen=True)
class FetchLimits:
    """How long and how much a fetch may take."""

    timeout: float = 20.0  # seconds to connect, and between two parts of the response
    total: float = 120.0  # seconds for the whole download
    max_bytes: int = 25 * _MIB  # the largest body kept (vendors' annexes are a few MiB)
    max_redirects: int = 5


@dataclass(frozen=True)
class Validators:
    """What the server said of the version already kept, for a conditional request."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Fetched:
    """A response with a body: the bytes and what a DPO shows as evidence of them."""

    url: str  # as asked for
    final_url: str  # after redirects
    fetched_at: dt.datetime
    http_date: str | None  # the server's own Date header
    content_type: str | None
    etag: str | None
    last_modified: str | None
    content: bytes
    sha256: str  # of ``content``, in hex


@dataclass(frozen=True)
class NotModified:
    """The server answered 304: the version already kept is still current."""

    url: str
    fetched_at: dt.datetime


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Fetcher:
    """An HTTP client with ``limits``, opened as a context manager and reused for every
    source of a run; ``clock`` tells the time of each fetch (UTC)."""

    def __init__(
        self, limits: FetchLimits = FetchLimits(), clock: Callable[[], dt.datetime] = _utc_now
    ) -> None:
        import httpx

        self.limits = limits
        self._clock = clock
        self._client = httpx.Client(
            follow_redirects=True,
            max_redirects=limits.max_redirects,
            timeout=httpx.Timeout(limits.timeout),
            headers={"User-Agent": USER_AGENT},
        )

    def now(self) -> dt.datetime:
        """Return the time by the fetcher's clock, to the second."""
        return self._clock().replace(microsecond=0)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._client.close()

    def fetch(self, url: str, validators: Validators | None = None) -> Fetched | NotModified:
        """Return the response to GET ``url`` (conditional when ``validators`` are given).
        Raises ``FetchError``, naming the URL, for an error status, a timeout, too many
        redirects, a body over the size cap or a network failure."""
        import httpx

        try:
            return self._get(url, validators or Validators())
        except httpx.TimeoutException:
            raise FetchError(f"{url}: no answer within {self.limits.timeout:g} s") from None
        except httpx.TooManyRedirects:
            raise FetchError(f"{url}: more than {self.limits.max_redirects} redirects") from None
        except httpx.HTTPError as error:
            reason = " ".join(str(error).split()) or type(error).__name__
            raise FetchError(f"{url}: {reason}") from None

    def _get(self, url: str, validators: Validators) -> Fetched | NotModified:
        import httpx

        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        started = time.monotonic()
        fetched_at = self.now()
        with self._client.stream("GET", url, headers=headers) as response:
            if response.status_code == httpx.codes.NOT_MODIFIED:
                return NotModified(url=url, fetched_at=fetched_at)
            if response.status_code != httpx.codes.OK:
                phrase = httpx.codes.get_reason_phrase(response.status_code)
                raise FetchError(f"{url}: HTTP {response.status_code} {phrase}".rstrip())
            content = self._body(url, response, started)
            return Fetched(
                url=url,
                final_url=str(response.url),
                fetched_at=fetched_at,
                http_date=response.headers.get("Date"),
                content_type=response.headers.get("Content-Type"),
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
                content=content,
                sha256=hashlib.sha256(content).hexdigest(),
            )

    def _body(self, url: str, response: httpx.Response, started: float) -> bytes:
        """Return the body, stopping as soon as it passes the size cap or the total time."""
        cap = self.limits.max_bytes
        over = FetchError(f"{url}: larger than the size cap of {cap:,} bytes")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > cap:
            raise over
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > cap:
                raise over
            if time.monotonic() - started > self.limits.total:
                raise FetchError(f"{url}: not downloaded within {self.limits.total:g} s")
            chunks.append(chunk)
        return b"".join(chunks)
