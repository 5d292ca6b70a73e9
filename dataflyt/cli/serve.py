"""``dataflyt serve``: the web explorer over the map, read-only, on this machine by default,
answering as of ``--as-of`` (the latest versions without it) and, for a page that asks
(``?as_of=``), as of another date.

Binding an address other than a loopback one needs an access token (``--token-file`` or the
environment variable ``DATAFLYT_TOKEN``); without one the command refuses to start. The token
is never printed or logged. Ctrl-C stops the server and closes the store.
"""

from __future__ import annotations

import os
import re
import socket
from contextlib import suppress
from pathlib import Path
from typing import Annotated

import typer

from dataflyt.cli.common import (
    AsOfOption,
    BackendOption,
    MapOption,
    checked_date,
    fail,
    open_cli_store,
    store_opener,
)

__all__ = ["serve"]

TOKEN_VARIABLE = "DATAFLYT_TOKEN"
# long enough not to be guessed, and safe in a header, a cookie and an address unescaped
_TOKEN_SHAPE = re.compile(r"[A-Za-z0-9._~+/=-]{16,}")


def read_token(token_file: Path | None) -> str | None:
    """Return the access token from ``token_file`` (its first line) or ``DATAFLYT_TOKEN``, or
    None when neither gives one; a token of the wrong shape is a usage error (exit 2)."""
    if token_file is not None:
        try:
            lines = token_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as error:
            fail(f"{token_file}: cannot read the token: {getattr(error, 'strerror', error)}", 1)
        token = lines[0].strip() if lines else ""
        origin = str(token_file)
    else:
        token = os.environ.get(TOKEN_VARIABLE, "").strip()
        origin = TOKEN_VARIABLE
    if not token:
        return None
    if not _TOKEN_SHAPE.fullmatch(token):
        fail(
            f"{origin}: the token must be at least 16 characters of letters, digits and "
            "._~+/=- (e.g. from: python -c 'import secrets; print(secrets.token_urlsafe())')",
            2,
        )
    return token


def serve(
    map_path: MapOption = None,
    backend: BackendOption = None,
    as_of: AsOfOption = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on; any but a loopback one needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8765,
    token_file: Annotated[
        Path | None,
        typer.Option(help="File whose first line is the access token (env DATAFLYT_TOKEN)."),
    ] = None,
) -> None:
    """Serve the web explorer over the map (read-only) and print its address; Ctrl-C stops
    it."""
    import logging

    import uvicorn

    from dataflyt.config import controller_name
    from dataflyt.web.app import create_app
    from dataflyt.web.security import RedactTokenFilter, is_loopback

    token = read_token(token_file)
    loopback = is_loopback(host)
    if not loopback and token is None:
        fail(
            f"--host {host} reaches beyond this machine: give an access token with "
            f"--token-file FILE or {TOKEN_VARIABLE}",
            2,
        )
    date = checked_date(as_of)
    with open_cli_store(backend, map_path, date) as store:
        hosts = ["127.0.0.1", "localhost", "::1", "[::1]"] if loopback else None
        app = create_app(
            store,
            opener=store_opener(backend, map_path),
            controller=controller_name(),
            token=token,
            allowed_hosts=hosts,
        )
        logging.getLogger("uvicorn.access").addFilter(RedactTokenFilter())
        config = uvicorn.Config(
            app, host=host, port=port, log_level="warning", access_log=True, server_header=False
        )
        listening = _listen(host, port)
        shown = f"[{host}]" if ":" in host else host
        dated = f", as of {date}" if date else ""
        typer.echo(f"dataflyt explorer: http://{shown}:{port}/{dated} (Ctrl-C stops it)")
        if token is not None:
            typer.echo("Open it once with ?token=YOUR-TOKEN; the browser then keeps it.")
        # uvicorn raises the Ctrl-C again once it has shut down
        with suppress(KeyboardInterrupt):
            uvicorn.Server(config).run(sockets=[listening])
    typer.echo("dataflyt explorer stopped.")


def _listen(host: str, port: int) -> socket.socket:
    """Return a socket listening on ``host``:``port``; on failure print one error line and exit
    1 (before anything is said to be served)."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        return socket.create_server((host, port), family=family)
    except OSError as error:
        fail(f"cannot listen on {host}:{port}: {error.strerror or error}", 1)
