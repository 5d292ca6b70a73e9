"""A local HTTP server for the ``watch`` tests: it listens on 127.0.0.1 only, on a port the
system picks, and serves the ``Page`` set at each path. A page can answer late, drip its body,
redirect, hide its length or answer 304 to the ETag it sent; every request is recorded."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Page:
    """What the server answers at one path."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    delay: float = 0.0  # seconds before answering
    drip: float = 0.0  # seconds between pieces of 64 bytes
    location: str | None = None  # answer 302 to this path
    send_length: bool = True


@dataclass
class Site:
    """The pages served, by path, and the requests received: (path, headers)."""

    base: str
    pages: dict[str, Page] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def url(self, path: str) -> str:
        """Return the URL of ``path`` on this server."""
        return self.base + path


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        site = self.server.site
        site.requests.append((self.path, dict(self.headers.items())))
        page = site.pages.get(self.path)
        if page is None:
            self.send_error(404)
            return
        time.sleep(page.delay)
        if page.location is not None:
            self.send_response(302)
            self.send_header("Location", page.location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if page.etag is not None and self.headers.get("If-None-Match") == page.etag:
            self.send_response(304)
            self.send_header("ETag", page.etag)
            self.end_headers()
            return
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        if page.etag is not None:
            self.send_header("ETag", page.etag)
        if page.send_length:
            self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        piece = 64 if page.drip else max(len(page.body), 1)
        for start in range(0, len(page.body), piece):
            self.wfile.write(page.body[start : start + piece])
            self.wfile.flush()
            time.sleep(page.drip)

    def log_message(self, format: str, *args: object) -> None:
        """Log nothing: the tests read ``Site.requests``."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    site: Site

    def handle_error(self, request: object, client_address: object) -> None:
        """Ignore a client that hung up (a test's timeout): that is the point of the test."""


@contextmanager
def serve() -> Iterator[Site]:
    """Serve a ``Site`` on 127.0.0.1 for the length of the ``with`` block."""
    server = _Server(("127.0.0.1", 0), _Handler)
    server.site = Site(base=f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server.site
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
