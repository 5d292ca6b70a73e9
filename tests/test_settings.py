"""Settings from ``.env``, read as docker compose and python-dotenv read it (a byte-order mark,
``export``, inline comments, quotes), a file that is not UTF-8 as one error line, and a
password written into ``NEO4J_URI`` masked like ``NEO4J_PASSWORD`` in every message."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from dataflyt.config import Backend, Neo4jSettings, store_settings
from tests.conftest import DATAFLYT, free_port

BOM = "\ufeff"
SETTINGS = [
    "DATAFLYT_BACKEND",
    "DATAFLYT_MAP",
    "NEO4J_URI",
    "NEO4J_USER",
    "NEO4J_PASSWORD",
    "NEO4J_DATABASE",
]


@pytest.fixture(autouse=True)
def no_settings_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Leave ``.env`` the only source of settings."""
    for key in SETTINGS:
        monkeypatch.delenv(key, raising=False)


def _settings(tmp_path: Path, dotenv: str) -> dict[str, str]:
    (tmp_path / ".env").write_text(dotenv, "utf-8")
    chosen = store_settings(cwd=tmp_path)
    neo4j = chosen.neo4j
    return {
        "backend": chosen.backend.value,
        "map": str(chosen.map_path),
        "uri": neo4j.uri,
        "user": neo4j.user,
        "password": neo4j.password,
    }


def test_a_byte_order_mark_does_not_hide_the_first_key(tmp_path: Path) -> None:
    settings = _settings(tmp_path, f"{BOM}DATAFLYT_BACKEND=neo4j\nNEO4J_USER=dpo\n")
    assert (settings["backend"], settings["user"]) == (Backend.NEO4J.value, "dpo")


@pytest.mark.parametrize(
    ("line", "password"),
    [
        ("NEO4J_PASSWORD=s3cret # the local server's", "s3cret"),
        ("export\tNEO4J_PASSWORD=s3cret", "s3cret"),
        ("export NEO4J_PASSWORD='s3cret'", "s3cret"),
        ('NEO4J_PASSWORD="s3 # cret"  # quoted: the # is the password\'s', "s3 # cret"),
        ("NEO4J_PASSWORD=s3#cret", "s3#cret"),
        ("NEO4J_PASSWORD=${NEO4J_USER}-2", "dpo-2"),
    ],
)
def test_lines_are_read_as_docker_compose_reads_them(
    tmp_path: Path, line: str, password: str
) -> None:
    settings = _settings(tmp_path, f"# settings\nNEO4J_USER=dpo\n\n{line}\nJUST_A_KEY\n")
    assert settings["password"] == password


def test_the_environment_wins_over_dotenv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATAFLYT_MAP", "from-the-environment.json")
    assert _settings(tmp_path, "DATAFLYT_MAP=from-dotenv.json\n")["map"] == (
        "from-the-environment.json"
    )


def _run(folder: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    inherited = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    done = subprocess.run(
        [DATAFLYT, *args],
        cwd=folder,
        env={**inherited, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_the_backend_after_a_byte_order_mark_is_the_one_used(tmp_path: Path) -> None:
    # before, the BOM hid DATAFLYT_BACKEND=neo4j and the command answered from a map file
    (tmp_path / ".env").write_text(f"{BOM}DATAFLYT_BACKEND=neo4j\n", "utf-8")
    code, out, err = _run(tmp_path, "touches", "call recordings", "--map", "m.json")
    assert (code, out) == (2, "")
    assert "(DATAFLYT_BACKEND=neo4j in .env)" in err


def test_a_dotenv_that_is_not_utf8_is_one_error_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"NEO4J_USER=dpo\nNEO4J_PASSWORD=s\xe6cret\n")
    code, out, err = _run(tmp_path, "touches", "call recordings")
    assert (code, out) == (2, "")
    assert err == (
        f"dataflyt: error: {tmp_path / '.env'}:2: byte 0xe6 is not UTF-8: save the file as UTF-8\n"
    )


@pytest.mark.parametrize("where", ["environment", ".env"])
def test_a_password_in_the_uri_is_masked(tmp_path: Path, where: str) -> None:
    # nothing listens on the port: the command fails, and says where it tried
    uri = f"bolt://dpo:s3cret-4711@127.0.0.1:{free_port()}"
    env = {"NEO4J_PASSWORD": "other-9"}
    if where == ".env":
        (tmp_path / ".env").write_text(f"NEO4J_URI={uri}\n", "utf-8")
    else:
        env["NEO4J_URI"] = uri
    code, out, err = _run(tmp_path, "status", "--backend", "neo4j", env=env)
    assert code == 3
    assert "s3cret-4711" not in out + err
    assert "bolt://dpo:***@127.0.0.1:" in err
    assert len(err.splitlines()) == 1


def test_the_settings_never_show_a_password() -> None:
    settings = Neo4jSettings(
        uri="neo4j://dpo:s3cret@db.example:7687", user="dpo", database="neo4j", password="pw"
    )
    assert "s3cret" not in repr(settings) and "pw" not in repr(settings)
    assert settings.shown_uri == "neo4j://dpo:***@db.example:7687"
    assert settings.hidden("failed at neo4j://dpo:s3cret@db with pw") == (
        "failed at neo4j://dpo:***@db with ***"
    )


IMPORTED = "import sys, dataflyt.config as c; c.store_settings(); print('dotenv' in sys.modules)"


@pytest.mark.parametrize(("dotenv", "imported"), [(None, "False"), ("DATAFLYT_MAP=m.json", "True")])
def test_python_dotenv_is_imported_only_to_read_a_dotenv(
    tmp_path: Path, dotenv: str | None, imported: str
) -> None:
    if dotenv is not None:
        (tmp_path / ".env").write_text(dotenv, "utf-8")
    python = DATAFLYT.parent / "python"
    done = subprocess.run(
        [python, "-c", IMPORTED], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == imported
