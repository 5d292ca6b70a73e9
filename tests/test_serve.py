"""``dataflyt serve`` and what keeps the explorer safe: the token (required beyond this machine,
compared in constant time, handed over once, never logged), the host check against DNS
rebinding, and a real server that prints its address and stops cleanly on Ctrl-C."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from starlette.testclient import TestClient
from typer.testing import CliRunner

from dataflyt.cli.main import app as cli
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.web.app import create_app
from dataflyt.web.security import TOKEN_COOKIE, RedactTokenFilter, is_loopback
from tests.conftest import DATAFLYT, free_port

TOKEN = "s3cret-token-for-tests-only"


@pytest.fixture
def gated(seed_store: EmbeddedStore) -> TestClient:
    return TestClient(create_app(seed_store, token=TOKEN))


def test_without_the_token_every_request_gets_401(gated: TestClient) -> None:
    for path in ("/", "/static/app.css", "/breach.json?organisation=Zendesk", "/nothing"):
        response = gated.get(path)
        assert response.status_code == 401, path
        assert response.headers["www-authenticate"] == "Bearer"
        assert "Zendesk" not in response.text
    assert (
        gated.get("/", headers={"Authorization": "Bearer wrong-token-0123456"}).status_code == 401
    )
    gated.cookies.set(TOKEN_COOKIE, TOKEN + "x")
    assert gated.get("/").status_code == 401


def test_a_bearer_header_or_the_cookie_lets_in(gated: TestClient) -> None:
    assert gated.get("/", headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
    gated.cookies.set(TOKEN_COOKIE, TOKEN)
    assert gated.get("/").status_code == 200


def test_the_token_in_the_address_becomes_a_cookie_and_leaves_the_address(
    gated: TestClient,
) -> None:
    response = gated.get(f"/search?q=opptak&token={TOKEN}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/search?q=opptak"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{TOKEN_COOKIE}={TOKEN};")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert gated.get("/search?q=opptak").status_code == 200  # the client kept the cookie
    other = gated.get(f"/node/org:%C3%B8st?token={TOKEN}", follow_redirects=False)
    assert other.headers["location"] == "/node/org:%C3%B8st"


def test_the_token_is_compared_in_constant_time() -> None:
    source = (Path(__file__).parents[1] / "dataflyt/web/security.py").read_text("utf-8")
    assert "hmac.compare_digest(" in source and "== self.token" not in source


def test_another_host_name_is_refused(seed_store: EmbeddedStore) -> None:
    local = TestClient(create_app(seed_store, allowed_hosts=["127.0.0.1", "localhost"]))
    assert local.get("/", headers={"Host": "127.0.0.1:8765"}).status_code == 200
    assert local.get("/", headers={"Host": "attacker.example:8765"}).status_code == 400


def test_the_access_log_never_holds_the_token() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, "", 0, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", f"/breach?organisation=Zendesk&token={TOKEN}", "1.1", 303),
        None,
    )  # fmt: skip
    assert RedactTokenFilter().filter(record)
    assert TOKEN not in record.getMessage()
    assert "/breach?organisation=Zendesk" in record.getMessage()


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.1.2.3", True),
     ("0.0.0.0", False), ("192.168.1.10", False), ("example.org", False)],
)  # fmt: skip
def test_loopback_addresses(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_serving_beyond_this_machine_needs_a_token(
    runner: CliRunner, map_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFLYT_TOKEN", raising=False)
    result = runner.invoke(cli, ["serve", "--map", str(map_path), "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--host 0.0.0.0 reaches beyond this machine: give an access token" in result.output


def test_a_weak_token_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    token_file = tmp_path / "token"
    token_file.write_text("short\n", "utf-8")
    result = runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--token-file", str(token_file)])
    assert result.exit_code == 2
    assert "the token must be at least 16 characters" in result.output
    assert "short" not in result.output.replace("at least 16", "")


def test_a_port_in_use_is_one_error_line(seed_store: EmbeddedStore, map_path: Path) -> None:
    import socket

    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        run = subprocess.run(
            [str(DATAFLYT), "serve", "--map", str(map_path), "--port", str(port)],
            capture_output=True, text=True, timeout=30,
        )  # fmt: skip
    assert run.returncode == 1
    assert run.stderr.startswith(f"dataflyt: error: cannot listen on 127.0.0.1:{port}:")
    assert "Traceback" not in run.stderr and run.stdout == ""


def read_page(url: str, headers: dict[str, str] | None = None) -> bytes:
    """Return the body of ``url`` once the server answers (it may still be starting)."""
    request = urllib.request.Request(url, headers=headers or {})
    deadline = time.monotonic() + 10
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                body: bytes = response.read()
                return body
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def test_serve_prints_its_address_answers_and_stops_on_ctrl_c(
    seed_store: EmbeddedStore, map_path: Path
) -> None:
    port = free_port()
    env = {**os.environ, "DATAFLYT_TOKEN": TOKEN}
    server = subprocess.Popen(
        [str(DATAFLYT), "serve", "--map", str(map_path), "--port", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == f"dataflyt explorer: http://127.0.0.1:{port}/ (Ctrl-C stops it)\n"
        hint = server.stdout.readline()  # read here: communicate() skips what readline buffered
        assert hint == "Open it once with ?token=YOUR-TOKEN; the browser then keeps it.\n"
        answer = read_page(
            f"http://127.0.0.1:{port}/breach.json?organisation=Zendesk",
            {"Authorization": f"Bearer {TOKEN}"},
        )
        assert b"Supporthenvendelser via mail/Chat" in answer
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0
    assert out == "dataflyt explorer stopped.\n"
    assert "Traceback" not in err and TOKEN not in out + err + first


def test_serve_as_of_a_date_says_so_on_every_page(
    seed_store: EmbeddedStore, map_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DATAFLYT_TOKEN", raising=False)
    port = free_port()
    command = [str(DATAFLYT), "serve", "--map", str(map_path), "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--as-of", "2021-06-01"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        first = server.stdout.readline()
        assert first == (
            f"dataflyt explorer: http://127.0.0.1:{port}/, as of 2021-06-01 (Ctrl-C stops it)\n"
        )
        page = read_page(f"http://127.0.0.1:{port}/").decode("utf-8")
        assert "As of <strong>2021-06-01</strong>: the versions of the documents in force" in page
        before = read_page(f"http://127.0.0.1:{port}/list/documents?as_of=2020-01-01")
        assert b"<h1>0 documents</h1>" in before
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=15)
    finally:
        if server.poll() is None:
            server.kill()
    assert server.returncode == 0


def test_serve_refuses_a_date_that_is_none(runner: CliRunner, map_path: Path) -> None:
    result = runner.invoke(cli, ["serve", "--map", str(map_path), "--as-of", "soon"])
    assert result.exit_code == 2
    assert result.output == (
        "dataflyt: error: --as-of 'soon' is not a date: write it as YYYY-MM-DD\n"
    )
