"""The command line on Neo4j: every query command answers from the server exactly as from the
map file, the backend and the connection come from options, the environment or ``.env``, and
a failure is one line with exit code 3 that never shows the password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.config import Neo4jSettings
from dataflyt.graph.neo4j_store import Neo4jStore
from tests.conftest import SEED, free_port

QUESTIONS = [
    ["touches", "call recordings"],
    ["touches", "kontaktinformasjon"],
    ["breach", "Link Mobility"],
    ["breach", "Telenor"],
    ["transfers"],
    ["show", "Mobilt Opptak (MVR)"],
    ["list", "services"],
    ["list", "organisations"],
    ["list", "countries"],
]


def connection(settings: Neo4jSettings, **changes: str) -> dict[str, str]:
    """Return the environment that points dataflyt at ``settings`` (with ``changes``)."""
    env = {
        "NEO4J_URI": settings.uri,
        "NEO4J_USER": settings.user,
        "NEO4J_PASSWORD": settings.password,
        "NEO4J_DATABASE": settings.database,
    }
    return {**env, **changes}


def answer(runner: CliRunner, args: list[str], env: dict[str, str]) -> object:
    """Return the JSON answer of ``dataflyt ARGS --json``; fail on a non-zero exit."""
    result = runner.invoke(app, [*args, "--json"], env=env)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def loaded_both(
    neo4j_store: Neo4jStore, neo4j_settings: Neo4jSettings, tmp_path: Path, runner: CliRunner
) -> tuple[list[str], dict[str, str]]:
    """Load the seed into an embedded map and, through ``--backend neo4j``, into the server;
    return the embedded map's options and the Neo4j environment."""
    map_args = ["--map", str(tmp_path / "map.json")]
    env = connection(neo4j_settings)
    for backend in (map_args, ["--backend", "neo4j"]):
        result = runner.invoke(app, ["load", *backend, str(SEED)], env=env)
        assert result.exit_code == 0, result.output
    return map_args, env


@pytest.mark.neo4j
@pytest.mark.parametrize("question", QUESTIONS, ids=" ".join)
def test_every_query_command_answers_the_same_from_neo4j(
    question: list[str], loaded_both: tuple[list[str], dict[str, str]], runner: CliRunner
) -> None:
    map_args, env = loaded_both
    embedded = answer(runner, [*question, *map_args], env)
    assert answer(runner, [*question, "--backend", "neo4j"], env) == embedded
    # the environment chooses the backend as well as the option does
    assert answer(runner, question, {**env, "DATAFLYT_BACKEND": "neo4j"}) == embedded


@pytest.mark.neo4j
def test_status_names_the_server_and_what_it_holds(
    loaded_both: tuple[list[str], dict[str, str]], runner: CliRunner
) -> None:
    _, env = loaded_both
    status = answer(runner, ["status", "--backend", "neo4j"], env)
    assert isinstance(status, dict)
    assert status["backend"] == "neo4j"
    assert status["server"]["version"].startswith("5.26.")
    assert status["server"]["edition"] == "community"
    assert status["counts"]["Service"] == 11
    assert [d["date"] for d in status["documents"]] == ["2021-03-15"]


@pytest.mark.neo4j
def test_the_settings_come_from_dotenv_in_the_current_folder(
    loaded_both: tuple[list[str], dict[str, str]],
    neo4j_settings: Neo4jSettings,
    runner: CliRunner,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    map_args, env = loaded_both
    folder = tmp_path / "project"
    folder.mkdir()
    (folder / ".env").write_text(
        "".join(f"{key}={value}\n" for key, value in env.items()) + "DATAFLYT_BACKEND=neo4j\n"
    )
    for key in [*env, "DATAFLYT_BACKEND"]:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.chdir(folder)
    # (before --map was refused for the Neo4j store, this line read Neo4j too)
    question = ["touches", "call recordings"]
    embedded = answer(runner, [*question, *map_args, "--backend", "embedded"], {})
    assert answer(runner, question, {}) == embedded


@pytest.mark.neo4j
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            {"NEO4J_PASSWORD": "wrong-Secret-4711"},
            "dataflyt: error: Neo4j refused the credentials for user neo4j at {uri}: "
            "check NEO4J_USER / NEO4J_PASSWORD in the environment or .env",
        ),
        (
            {"NEO4J_DATABASE": "nosuchmap"},
            "dataflyt: error: Neo4j database nosuchmap does not exist at {uri}: "
            "check NEO4J_DATABASE",
        ),
        (
            {"NEO4J_URI": "bolt://127.0.0.1:{port}"},
            "dataflyt: error: cannot reach Neo4j at {uri}: is it running? start it with "
            "scripts/neo4j-local start or docker compose up -d",
        ),
    ],
    ids=["wrong password", "wrong database", "server down"],
)
def test_a_connection_failure_is_one_line_and_exit_code_3(
    changes: dict[str, str], expected: str, neo4j_settings: Neo4jSettings, runner: CliRunner
) -> None:
    port = str(free_port())
    env = connection(neo4j_settings, **{k: v.format(port=port) for k, v in changes.items()})
    result = runner.invoke(app, ["breach", "--backend", "neo4j", "Telenor"], env=env)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr == expected.format(uri=env["NEO4J_URI"]) + "\n"
    for secret in {env["NEO4J_PASSWORD"], neo4j_settings.password}:
        assert secret not in result.output


OUTPUTS = [
    ["diagram", "--service", "Mobilt Opptak (MVR)", "--format", "dot"],
    ["diagram", "--organisation", "Link Mobility", "--format", "mmd"],
    ["diagram", "--all", "--format", "dot"],
    ["report", "--service", "Mobilt Opptak (MVR)", "--format", "md"],
    ["export", "--format", "json"],
    ["export", "--format", "ropa-csv"],
]


@pytest.mark.neo4j
@pytest.mark.parametrize("command", OUTPUTS, ids=" ".join)
def test_diagrams_reports_and_exports_are_the_same_from_neo4j(
    command: list[str],
    loaded_both: tuple[list[str], dict[str, str]],
    runner: CliRunner,
    tmp_path: Path,
) -> None:
    map_args, env = loaded_both
    written = []
    for backend in (map_args, ["--backend", "neo4j"]):
        target = tmp_path / f"out-{len(written)}"
        result = runner.invoke(app, [*command, *backend, "-o", str(target)], env=env)
        assert result.exit_code == 0, result.output
        written.append(target.read_text(encoding="utf-8"))
    assert written[0] == written[1]
    assert "Mobilt Opptak" in written[0] or "Link Mobility" in written[0]
