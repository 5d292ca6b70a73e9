"""The command line through typer's CliRunner: exit codes, JSON shapes, error lines; plus one
real run of the installed ``dataflyt`` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.models import CommandInfo
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.cli.output import PIPED_WIDTH
from tests.conftest import DATAFLYT, SEED
from tests.shared_maps import DATA
from tests.web_fixtures import ACME


@pytest.fixture
def loaded(tmp_path: Path, runner: CliRunner) -> list[str]:
    map_path = tmp_path / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(SEED)])
    assert result.exit_code == 0, result.output
    return ["--map", str(map_path)]


def run_json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def row_cells(table: str, first: str) -> list[str]:
    """Return the cells of the row of ``table`` (a rich table as printed) whose first cell is
    ``first``, each cell's text joined across the lines it wraps over."""
    lines = [[cell.strip() for cell in line.split("│")[1:-1]] for line in table.splitlines()]
    at = next(i for i, cells in enumerate(lines) if cells and cells[0] == first)
    row = [lines[at]]
    for cells in lines[at + 1 :]:
        if not cells or cells[0]:
            break
        row.append(cells)
    return [" ".join(" ".join(parts).split()) for parts in zip(*row, strict=True)]


def test_load_prints_a_summary(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["load", "--map", str(tmp_path / "m.json"), str(SEED)])
    assert result.exit_code == 0
    assert (
        "Loaded PHONERO TJENESTEBESKRIVELSE (Phonero, dated 2021-03-15): 11 services"
        in result.stdout
    )
    assert "Every term was mapped to the vocabulary." in result.stdout


def test_load_reports_unmapped_terms(tmp_path: Path, runner: CliRunner) -> None:
    acme = Path(__file__).parent / "data" / "acme-annex.txt"
    result = runner.invoke(app, ["load", "--map", str(tmp_path / "m.json"), str(acme), "--json"])
    report = json.loads(result.stdout)
    assert [(t["text"], t["source"]["line"]) for t in report["unmapped"]] == [("skostørrelse", 7)]
    assert report["counts"]["Service"] == 3


def test_map_from_environment(tmp_path: Path, runner: CliRunner) -> None:
    map_path = tmp_path / "env-map.json"
    env = {"DATAFLYT_MAP": str(map_path)}
    assert runner.invoke(app, ["load", str(SEED)], env=env).exit_code == 0
    assert map_path.exists()
    listing = json.loads(runner.invoke(app, ["list", "services", "--json"], env=env).stdout)
    assert len(listing["items"]) == 11


def test_touches_json(runner: CliRunner, loaded: list[str]) -> None:
    result = run_json(runner, "touches", "samtaleopptak", *loaded)
    assert [s["service"]["name"] for s in result["services"]] == ["Mobilt Opptak (MVR)"]
    assert result["services"][0]["matched"][0]["source"]["line"] == 13


def test_breach_json_keys(runner: CliRunner, loaded: list[str]) -> None:
    result = run_json(runner, "breach", "Zendesk", *loaded)
    assert [s["facts"]["name"] for s in result["services"]] == ["Supporthenvendelser via mail/Chat"]
    [link] = [link for link in result["services"][0]["chain"] if link["role"] == "sub_processor"]
    assert [(p["code"], p["source"]["line"]) for p in link["places"]] == [("DE", 24)]
    assert result["countries"] == [
        {
            "name": "Germany",
            "code": "DE",
            "eea": True,
            "services": ["Supporthenvendelser via mail/Chat"],
        }
    ]
    assert {"Users", "Customers"} == {s["name"] for s in result["data_subjects"]}
    assert all("name" in c for c in result["data_categories"])


def test_transfers_json(runner: CliRunner, loaded: list[str]) -> None:
    result = run_json(runner, "transfers", *loaded)
    assert (result["transfers"], result["not_stated"], result["leaves_eea"]) == ([], [], False)
    assert [(f["holder"]["name"], f["processor"]["name"]) for f in result["not_exhaustive"]] == [
        ("Analog Aksess (fastlinje tale)", "Phonero"),
        ("Analog Aksess (fastlinje tale)", "Telenor"),
        ("ISDN aksess", "Phonero"),
        ("ISDN aksess", "Telenor"),
    ]


@pytest.mark.parametrize(
    "kind", ["services", "organisations", "categories", "subjects", "countries"]
)
def test_list_json(runner: CliRunner, loaded: list[str], kind: str) -> None:
    assert run_json(runner, "list", kind, *loaded)["items"]


def test_show_json(runner: CliRunner, loaded: list[str]) -> None:
    result = run_json(runner, "show", "Tyskland", *loaded)
    assert (result["name"], result["kind"]) == ("Germany", "country")
    # the annex row's place covers the service and the sub-processor the row names: the
    # service's data, processed there by it
    assert {(n["name"], tuple(n["details"])) for n in result["neighbours"]} == {
        ("Supporthenvendelser via mail/Chat", ()),
        ("Supporthenvendelser via mail/Chat", ("by: Zendesk",)),
        ("Phonero nettbutikk Smart Mobilkjøp", ()),
        ("Phonero nettbutikk Smart Mobilkjøp", ("by: Bluestone AS",)),
    }


def test_tables_for_people(runner: CliRunner, loaded: list[str]) -> None:
    result = runner.invoke(app, ["breach", "Link Mobility", *loaded], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "A breach at Link Mobility affects 3 services" in result.stdout
    assert "Art. 33(1)" in result.stdout


def test_breach_says_not_stated_where_no_document_names_the_categories(
    runner: CliRunner, loaded: list[str]
) -> None:
    # Kvitre Mail's list names Mailgun but no category of its service: a silence, as the
    # explorer says, never "0 categories"
    kvitre = ["--provider", "Kvitre Mail", str(DATA / "kvitre-subprocessors.md")]
    assert runner.invoke(app, ["load", *loaded, *kvitre]).exit_code == 0
    result = runner.invoke(app, ["breach", "Mailgun", *loaded], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    cells = row_cells(result.stdout, "Kvitre Mail")
    assert cells[2:4] == ["not stated: no document names its categories", "not stated"]
    assert (
        "Data categories exposed: not stated: no document names the categories of the "
        "services affected."
    ) in result.stdout
    assert "0 categories" not in result.stdout


def test_show_names_what_an_engagement_receives_as_the_explorer_does(
    runner: CliRunner, loaded: list[str]
) -> None:
    # the bundled data map passes Twilio call recordings; GitHub's list does not say what
    github = ["--provider", "GitHub", str(DATA / "github-subprocessors.md")]
    assert runner.invoke(app, ["load", *loaded, str(ACME), *github]).exit_code == 0
    result = runner.invoke(app, ["show", "Twilio", *loaded], env={"COLUMNS": "300"})
    assert result.exit_code == 0
    receives = [row_cells(result.stdout, by)[3] for by in ("Customer support", "GitHub")]
    assert receives == [
        "Call recordings",
        "not stated (all of the service's categories assumed)",
    ]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["breach", "Zendsk"], "did you mean: Zendesk"),
        (["show", "Phonero B"], "ambiguous service"),
        (["touches", "skostørrelse"], "unknown data category"),
        (["show", "Narnia"], "unknown name"),
    ],
)
def test_unknown_or_ambiguous_names_exit_2(
    runner: CliRunner, loaded: list[str], args: list[str], needle: str
) -> None:
    result = runner.invoke(app, [*args, *loaded])
    assert result.exit_code == 2
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def every_command() -> dict[str, CommandInfo]:
    """Return every command by its full name ("load", "watch add"), the groups' included."""
    commands = {c.name or c.callback.__name__: c for c in app.registered_commands}  # type: ignore[union-attr]
    for group in app.registered_groups:
        sub = group.typer_instance
        assert sub is not None
        for c in sub.registered_commands:
            commands[f"{group.name} {c.name or c.callback.__name__}"] = c  # type: ignore[union-attr]
    return commands


def test_every_command_has_help() -> None:
    for command in every_command().values():
        assert command.callback is not None and command.callback.__doc__


def test_installed_command_runs(tmp_path: Path) -> None:
    env = {**os.environ, "DATAFLYT_MAP": str(tmp_path / "m.json")}
    subprocess.run([DATAFLYT, "load", str(SEED)], check=True, env=env, capture_output=True)
    done = subprocess.run(
        [DATAFLYT, "touches", "call recordings", "--json"],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    )
    assert json.loads(done.stdout)["services"][0]["service"]["name"] == "Mobilt Opptak (MVR)"
    bad = subprocess.run([DATAFLYT, "breach", "nobody"], env=env, capture_output=True, text=True)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["--bogus"], "No such option: --bogus (see dataflyt --help)"),
        (["breach"], "Missing argument 'organisation'. (see dataflyt breach --help)"),
        (
            ["synth", "--services", "0", "-o", "x.json"],
            "Invalid value for '--services' / '-n': 0 is not in the range x>=1. "
            "(see dataflyt synth --help)",
        ),
    ],
)
def test_a_usage_error_is_one_line_exit_2(tmp_path: Path, args: list[str], line: str) -> None:
    done = subprocess.run([DATAFLYT, *args], cwd=tmp_path, capture_output=True, text=True)
    assert (done.returncode, done.stdout, done.stderr) == (2, "", f"dataflyt: error: {line}\n")


@pytest.mark.parametrize(
    ("option", "env", "dotenv", "origin"),
    [
        (["--backend", "neo4j"], {}, "", "--backend neo4j"),
        ([], {"DATAFLYT_BACKEND": "neo4j"}, "", "DATAFLYT_BACKEND=neo4j in the environment"),
        ([], {}, "DATAFLYT_BACKEND=neo4j\n", "DATAFLYT_BACKEND=neo4j in .env"),
    ],
)
def test_a_map_file_for_the_neo4j_store_is_refused_before_connecting(
    tmp_path: Path, option: list[str], env: dict[str, str], dotenv: str, origin: str
) -> None:
    # the Neo4j store would answer from the server and never read the file: before this
    # check a user who had DATAFLYT_BACKEND=neo4j in .env got Neo4j's answer to a question
    # about the file they named
    (tmp_path / ".env").write_text(dotenv)
    # no Neo4j listens at this address: the command must fail before it tries
    settings = {"NEO4J_URI": "bolt://127.0.0.1:9", "NEO4J_PASSWORD": "x"}
    inherited = {k: v for k, v in os.environ.items() if k != "DATAFLYT_BACKEND"}
    done = subprocess.run(
        [DATAFLYT, "touches", "call recordings", "--map", "m.json", *option],
        cwd=tmp_path,
        env={**inherited, **settings, **env},
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"dataflyt: error: --map m.json names an embedded map file, but the map is in Neo4j "
        f"({origin}): drop --map, or add --backend embedded\n"
    )


def test_a_backend_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    env = {**os.environ, "DATAFLYT_BACKEND": "mongo"}
    done = subprocess.run(
        [DATAFLYT, "status"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert (done.returncode, done.stdout, done.stderr) == (
        2,
        "",
        "dataflyt: error: DATAFLYT_BACKEND='mongo' is not one of: embedded, neo4j\n",
    )


def test_without_a_command_the_help_is_shown() -> None:
    done = subprocess.run([DATAFLYT], capture_output=True, text=True)
    assert done.returncode == 2 and "Usage: dataflyt [OPTIONS] COMMAND" in done.stdout


def test_the_help_lists_every_command_with_its_whole_summary() -> None:
    done = subprocess.run([DATAFLYT, "--help"], capture_output=True, text=True)
    listed = dict(
        line.split(maxsplit=1) for line in done.stdout.split("Commands:\n")[1].splitlines()
    )
    assert done.returncode == 0
    commands = {
        command.name or command.callback.__name__: command.short_help  # type: ignore[union-attr]
        for command in app.registered_commands
    }
    groups = {group.name: group.short_help for group in app.registered_groups}
    assert listed == commands | groups


def test_piped_tables_are_laid_out_wide_unless_columns_say_otherwise(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    env["DATAFLYT_MAP"] = str(tmp_path / "m.json")
    subprocess.run([DATAFLYT, "load", str(SEED)], check=True, env=env, capture_output=True)

    def touches(**extra: str) -> list[str]:
        done = subprocess.run(
            [DATAFLYT, "touches", "call recordings"],
            check=True,
            env={**env, **extra},
            capture_output=True,
            text=True,
        )
        return done.stdout.splitlines()

    piped = touches()
    assert 80 < max(map(len, piped)) <= PIPED_WIDTH  # rich alone wrapped a pipe at 80 columns
    assert any("│ Mobilt Opptak (MVR) │ Phonero (Processor) │" in line for line in piped)
    assert max(map(len, touches(COLUMNS="72"))) <= 72


HEAVY = (
    "{'neo4j', 'graphviz', 'rdflib', 'openpyxl', 'jinja2', 'fideslang', 'networkx', 'pydantic',"
    " 'httpx', 'pdfplumber', 'pdfminer'}"
)


def test_cli_import_loads_no_heavy_module() -> None:
    code = (
        f"import sys, dataflyt.cli; heavy = {HEAVY}; "
        "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "args",
    [
        ["touches", "call recordings"],
        ["breach", "Link Mobility"],
        ["transfers"],
        ["show", "Link Mobility"],
        ["list", "services"],
        ["status"],
    ],
)
def test_a_query_on_the_embedded_map_loads_no_heavy_module(
    loaded: list[str], args: list[str]
) -> None:
    # pydantic alone (imported by the answers' models, or by typer 0.29's adapters of
    # parameters) took ~100 ms, where the whole command now takes ~160 ms
    code = (
        "import sys; from dataflyt.cli.main import main; sys.argv[1:] = sys.argv[2:]\n"
        f"try: main()\nfinally: print(sorted({HEAVY} & {{m.split('.')[0] for m in sys.modules}}))"
    )
    command = [sys.executable, "-c", code, "dataflyt", *args, *loaded, "--json"]
    done = subprocess.run(command, capture_output=True, text=True)
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "[]")


def test_every_command_appears_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    for name in every_command():
        assert f"dataflyt {name}" in readme, name


def test_help_names_the_environment_variables_and_defaults(runner: CliRunner) -> None:
    result = runner.invoke(app, ["touches", "--help"])
    assert result.exit_code == 0
    text = " ".join(result.stdout.replace("│", " ").split())  # the table's lines wrap
    assert "(env DATAFLYT_MAP; default dataflyt-map.json)" in text
    assert "(env DATAFLYT_BACKEND; default embedded)" in text
