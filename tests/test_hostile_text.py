"""Names from documents are inert wherever they are shown: a name holding terminal escapes,
rich markup, bidirectional overrides or NUL is printed as the letters it holds, by every
command, in tables, in DOT, Mermaid, SVG, HTML and Markdown; and a name that shows nothing (a
zero-width space, a bidi mark) is rejected at load like an empty one."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.safe_text import one_line, visible, why_not_a_name
from tests.conftest import DATAFLYT
from tests.regenerate_golden import HOSTILE

# what a screen obeys rather than shows: C0/C1 controls (ESC, NUL, CSI), bidi controls
OBEYED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

SERVICE = "Evil \x1b[2J\x1b[8mhidden [/bold] \u202eexe.txt"
PROVIDER = "Acme [red]red[/red] [link=https://evil.example]click[/link]"
SUBPROCESSOR = "Sub \u202ecorp\u202c [/bold]"
CATEGORY = "secret [/bold] \x00notes"
TITLE = "Hostile [/bold] map \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\"
# each as a screen must show it (control characters gone, bidi controls as their codes)
SHOWN = {
    SERVICE: "Evil [2J[8mhidden [/bold] [U+202E]exe.txt",
    PROVIDER: PROVIDER,
    SUBPROCESSOR: "Sub [U+202E]corp[U+202C] [/bold]",
    CATEGORY: "secret [/bold] notes",
    TITLE: "Hostile [/bold] map ]8;;https://evil.example\\link]8;;\\",
}


def _yaml(text: str) -> str:
    """Return ``text`` as a YAML double-quoted scalar, control characters escaped."""
    body = "".join(
        f"\\x{ord(c):02x}" if ord(c) < 0x20 else f"\\u{ord(c):04x}" if c in "\u202c\u202e" else c
        for c in text.replace("\\", "\\\\").replace('"', '\\"')
    )
    return f'"{body}"'


HOSTILE_MAP = f"""\
title: {_yaml(TITLE)}
services:
  - name: {_yaml(SERVICE)}
    provider: {_yaml(PROVIDER)}
    purposes: [{_yaml(HOSTILE["provider"])}]
    categories: ["call recordings", {_yaml(CATEGORY)}]
    subprocessors:
      - name: {_yaml(SUBPROCESSOR)}
        countries: [USA]
    countries: [Norway]
"""


@pytest.fixture(autouse=True)
def wide_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lay tables out wide enough that no name is folded over two lines."""
    from dataflyt.cli import output

    monkeypatch.setattr(output.console, "width", 400)


@pytest.fixture
def hostile_map(tmp_path: Path) -> Path:
    """Return the data map whose names are hostile to a terminal."""
    path = tmp_path / "hostile.yaml"
    path.write_text(HOSTILE_MAP, "utf-8")
    return path


@pytest.fixture
def loaded(tmp_path: Path, hostile_map: Path) -> list[str]:
    """Return the ``--map`` options of a map holding the hostile data map."""
    map_path = tmp_path / "map.json"
    load_files(EmbeddedStore(map_path), [hostile_map])
    return ["--map", str(map_path)]


def _inert(output: str) -> str:
    assert OBEYED.search(output) is None, repr(OBEYED.search(output))
    assert "Traceback" not in output
    return output


def test_load_prints_the_names_and_never_crashes_after_writing(
    tmp_path: Path, hostile_map: Path, runner: CliRunner
) -> None:
    map_path = tmp_path / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(hostile_map)])
    assert result.exit_code == 0, result.output
    output = _inert(result.stdout)
    assert f"Loaded {SHOWN[TITLE]} (" in output
    assert "│ category │ secret [/bold] notes │" in output
    assert map_path.exists()


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["list", "services"], [SERVICE]),
        (["list", "organisations"], [PROVIDER, SUBPROCESSOR]),
        (["list", "categories"], [CATEGORY]),
        (["list", "documents"], [TITLE]),
        (["touches", "call recordings"], [SERVICE]),
        (["breach", PROVIDER], [SERVICE, CATEGORY]),
        (["breach", SUBPROCESSOR], [SERVICE]),
        (["show", "Evil"], [SERVICE, PROVIDER, SUBPROCESSOR, CATEGORY, TITLE]),
        (["transfers"], [SUBPROCESSOR]),
        (["status"], [TITLE]),
    ],
)
def test_every_command_prints_names_as_their_letters(
    args: list[str], shown: list[str], loaded: list[str], runner: CliRunner
) -> None:
    result = runner.invoke(app, [*args, *loaded])
    assert result.exit_code == 0, result.output
    output = _inert(result.stdout)
    for name in shown:
        assert SHOWN[name] in output


def test_diff_prints_names_as_their_letters(
    tmp_path: Path, hostile_map: Path, runner: CliRunner
) -> None:
    old = tmp_path / "old.yaml"
    old.write_text(HOSTILE_MAP.split("    subprocessors:")[0], "utf-8")
    result = runner.invoke(app, ["diff", str(old), str(hostile_map)])
    assert result.exit_code == 1, result.output
    output = _inert(result.stdout)
    assert f"+ sub-processor │ {SHOWN[SUBPROCESSOR]}" in output


def test_an_unknown_hostile_name_is_one_inert_error_line(
    loaded: list[str], runner: CliRunner
) -> None:
    result = runner.invoke(app, ["breach", "\x1b[2J\u202e[/bold]", *loaded])
    assert result.exit_code == 2
    assert len(_inert(result.stderr).splitlines()) == 1


def test_the_installed_command_prints_no_escape(tmp_path: Path, hostile_map: Path) -> None:
    map_path = tmp_path / "map.json"
    for args in (["load", hostile_map], ["breach", PROVIDER], ["list", "organisations"]):
        done = subprocess.run(
            [DATAFLYT, *args, "--map", map_path], capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        _inert(done.stdout)
    assert SHOWN[SUBPROCESSOR] in done.stdout


@pytest.mark.parametrize(
    ("command", "fmt", "marker"),
    [
        ("diagram", "dot", "[U+202E&#93;"),
        ("diagram", "mmd", "#91;U#43;202E#93;"),
        ("diagram", "svg", "[U+202E]"),
        ("report", "html", "[U+202E]"),
        ("report", "md", "\\[U+202E\\]"),
    ],
)
def test_diagrams_and_reports_hold_no_control_or_bidi_character(
    command: str, fmt: str, marker: str, tmp_path: Path, loaded: list[str], runner: CliRunner
) -> None:
    output = tmp_path / f"out.{fmt}"
    result = runner.invoke(app, [command, "--all", "-o", str(output), *loaded])
    assert result.exit_code == 0, result.output
    text = output.read_text("utf-8")
    _inert(text.replace("\n", " ").replace("\t", " "))
    assert marker in text


# -- the rules themselves ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[2Jb", "a[2Jb"),
        ("a\x00b\x7fc\x9bd", "abcd"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\u202egnp.exe", "[U+202E]gnp.exe"),
        ("\u2066x\u2069", "[U+2066]x[U+2069]"),
        ("Zendesk, Inc.", "Zendesk, Inc."),
        ("\u05e2\u05d1\u05e8\u05d9\u05ea", "\u05e2\u05d1\u05e8\u05d9\u05ea"),
    ],
)
def test_visible(text: str, shown: str) -> None:
    assert visible(text) == shown


def test_one_line() -> None:
    assert one_line(" a\r\n\tb  \x1b c ") == "a b c"


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("", "the name is empty"),
        (" \t", "the name is empty"),
        ("\u200b", "the name holds only invisible characters (U+200B)"),
        ("\u200e \u200f", "the name holds only invisible characters (U+200E, U+200F)"),
        ("\ufeff\u3164", "the name holds only invisible characters (U+3164, U+FEFF)"),
        ("x\u200b", None),
        ("\u202eAcme", None),
    ],
)
def test_why_not_a_name(name: str, problem: str | None) -> None:
    assert why_not_a_name(name, "the name") == problem


ANNEX_HEADER = "Tjeneste\tRolle\tDatatyper\tUnderleverandører\tBehandlingssted\n"


@pytest.mark.parametrize(
    ("file", "content", "message"),
    [
        (
            "annex.txt",
            f"ACME TJENESTEBESKRIVELSE\n\n{ANNEX_HEADER}\u200b\tDatabehandler\tNavn\t\tNorge\n",
            "4: Tjeneste: the service name holds only invisible characters (U+200B)",
        ),
        (
            "list.csv",
            "Name,Location\n\u200f,Norway\n",
            "2: Name: the sub-processor name holds only invisible characters (U+200F)",
        ),
        (
            "register.csv",
            "Activity,Controller,Processor,Purposes,Data subjects,Personal data,"
            "Sub-processors,Countries,Safeguards,Retention,Security measures,Legal basis,Role\n"
            "\u200b\u200d,Acme AS,,,,,,,,,,,\n",
            "2:1: Activity: the processing activity holds only invisible characters "
            "(U+200B, U+200D)",
        ),
        (
            "map.yaml",
            'services:\n  - name: "\\u200b"\n    provider: Acme\n',
            "2:11: services[0].name: the value holds only invisible characters (U+200B)",
        ),
    ],
)
def test_a_name_of_invisible_characters_is_rejected(
    tmp_path: Path, file: str, content: str, message: str
) -> None:
    path = tmp_path / file
    path.write_text(content, "utf-8")
    with pytest.raises(LoadError) as error:
        parse_document(path, "Acme")
    assert str(error.value) == f"{path}:{message}"


def test_an_invisible_subprocessor_in_an_annex_cell_is_no_organisation(tmp_path: Path) -> None:
    path = tmp_path / "annex.txt"
    row = "Acme Sky\tDatabehandler\tNavn\tTelenor, \u200b, \u2060\tNorge\n"
    path.write_text(f"ACME TJENESTEBESKRIVELSE\n\n{ANNEX_HEADER}{row}", "utf-8")
    (service,) = parse_document(path).services
    assert [s.name for s in service.subprocessors] == ["Telenor"]
