"""What keeps the explorer safe whoever reaches it: the access token, the security headers on
every response, and an access log that never writes the token.

The token is required when the server listens beyond this machine (``serve`` refuses to start
there without one); a browser hands it over once as ``?token=...``, gets it back as an HttpOnly
cookie and is sent to the same address without it, and scripts send ``Authorization: Bearer``.
Tokens are compared in constant time.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl, urlencode

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CONTENT_SECURITY_POLICY",
    "TOKEN_COOKIE",
    "RedactTokenFilter",
    "SecurityHeaders",
    "TokenGate",
    "is_loopback",
    "without_token",
]

TOKEN_COOKIE = "dataflyt_token"
TOKEN_PARAMETER = "token"
# scripts and styles only from the app's own files: no inline script, no style attribute, no
# eval; nothing fetched elsewhere; never framed
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


def is_loopback(host: str) -> bool:
    """Return whether ``host`` (an address or ``localhost``) is reachable from this machine
    only."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def without_token(query: str) -> str:
    """Return the query string ``query`` without its token parameter."""
    pairs = parse_qsl(query, keep_blank_values=True)
    return urlencode([(key, value) for key, value in pairs if key != TOKEN_PARAMETER])


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response (and no-store to every
    page, as answers may name personal data)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"server"]
                headers += _HEADERS
                if not scope["path"].startswith("/static/"):
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class TokenGate:
    """ASGI middleware answering 401 to every request without the token (from the cookie, an
    ``Authorization: Bearer`` header or a ``token`` parameter, which is then set as the cookie
    and taken out of the address)."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        self.app = app
        self.token = token.encode()

    def _matches(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        cookie = SimpleCookie(headers.get("cookie", "")).get(TOKEN_COOKIE)
        authorization = headers.get("authorization", "")
        bearer = authorization[7:] if authorization.lower().startswith("bearer ") else None
        query = scope.get("query_string", b"").decode("latin-1")
        given = dict(parse_qsl(query)).get(TOKEN_PARAMETER)
        if self._matches(given):
            rest = without_token(query).encode("latin-1")
            location = scope.get("raw_path") or scope["path"].encode("utf-8")
            await _respond(
                send,
                303,
                b"",
                [
                    (b"location", location + (b"?" + rest if rest else b"")),
                    (
                        b"set-cookie",
                        f"{TOKEN_COOKIE}={given}; HttpOnly; SameSite=Strict; Path=/".encode(),
                    ),
                ],
            )
            return
        if self._matches(cookie.value if cookie else None) or self._matches(bearer):
            await self.app(scope, receive, send)
            return
        await _respond(
            send,
            401,
            b"401: this explorer needs its access token. Open the address with ?token=... "
            b"once, or send the header Authorization: Bearer ...\n",
            [(b"content-type", b"text/plain; charset=utf-8"), (b"www-authenticate", b"Bearer")],
        )


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [*headers, (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class RedactTokenFilter(logging.Filter):
    """A filter for uvicorn's access log that takes the token parameter out of every logged
    address (uvicorn logs neither headers nor cookies)."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            path, _, query = args[2].partition("?")
            if query:
                rest = without_token(query)
                record.args = (*args[:2], path + (f"?{rest}" if rest else ""), *args[3:])
        return True
