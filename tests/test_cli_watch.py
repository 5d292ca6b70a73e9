"""``dataflyt watch`` through the CLI against a local site (127.0.0.1 only): exit codes 0
(nothing changed), 1 (changed), 3 (a page could not be fetched), one-line errors, the
registry beside the map, ``--json`` for schedulers and the progress bar on a terminal."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.cli.render import console
from tests.conftest import DATAFLYT
from tests.http_pages import Page, Site
from tests.test_progress import on_terminal

DATA = Path(__file__).parent / "data" / "watch"


def nordvakt(version: str, etag: str | None = None) -> Page:
    return Page((DATA / f"nordvakt-{version}.html").read_bytes(), etag=etag)


@pytest.fixture
def mapped(tmp_path: Path) -> list[str]:
    return ["--map", str(tmp_path / "map.json")]


def invoke(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_add_list_remove_round_trip(runner: CliRunner, mapped: list[str], tmp_path: Path) -> None:
    url = "https://trust.nordvakt.example/legal/subprocessors"
    code, out, _ = invoke(
        runner, "watch", "add", url, "--provider", "Nordvakt", "--notice-days", "14", *mapped
    )
    registry = tmp_path / "map.sources.json"
    assert (code, out) == (
        0,
        f"Watching {url}: Nordvakt, 14 days' notice of changes; registry {registry}\n",
    )
    code, out, _ = invoke(runner, "watch", "list", *mapped)
    assert code == 0 and url in out and "14 days" in out and "none yet" in out
    listing = json.loads(invoke(runner, "watch", "list", "--json", *mapped)[1])
    assert listing["registry"] == str(registry)
    assert [(s["url"], s["provider"], s["notice_days"]) for s in listing["sources"]] == [
        (url, "Nordvakt", 14)
    ]
    code, out, _ = invoke(runner, "watch", "remove", url, *mapped)
    assert (code, out) == (
        0,
        f"No longer watching {url}; its versions stay in {tmp_path / 'map.evidence'}\n",
    )
    assert json.loads(invoke(runner, "watch", "list", "--json", *mapped)[1])["sources"] == []
    assert (
        invoke(runner, "watch", "list", *mapped)[1]
        == f"No pages are watched (registry {registry}).\n"
    )


@pytest.mark.parametrize(
    ("args", "code", "line"),
    [
        (
            ["add", "ftp://vendor.example/list.csv", "--provider", "V"],
            2,
            "'ftp://vendor.example/list.csv': only http and https pages can be watched",
        ),
        (
            ["add", "vendor.example/list", "--provider", "V"],
            2,
            "'vendor.example/list' is not a URL: no scheme (did you mean https://vendor.example/list?)",
        ),
        (["add", "https://vendor.example/", "--provider", " "], 2, "the provider needs a name"),
        (["remove", "https://vendor.example/"], 2, "unknown source 'https://vendor.example/'"),
    ],
)
def test_bad_input_is_one_line(
    runner: CliRunner, mapped: list[str], args: list[str], code: int, line: str
) -> None:
    assert invoke(runner, "watch", *args, *mapped) == (code, "", f"dataflyt: error: {line}\n")


def test_a_notice_period_out_of_range_is_a_usage_error(
    runner: CliRunner, mapped: list[str]
) -> None:
    code, _, err = invoke(
        runner,
        "watch",
        "add",
        "https://v.example/",
        "--provider",
        "V",
        "--notice-days",
        "-1",
        *mapped,
    )
    assert code == 2 and "--notice-days" in err


@pytest.mark.parametrize(
    "command", [["list"], ["run"], ["add", "https://v.example/", "--provider", "V"]]
)
def test_a_corrupt_registry_is_one_line_naming_it(
    runner: CliRunner, mapped: list[str], tmp_path: Path, command: list[str]
) -> None:
    registry = tmp_path / "map.sources.json"
    registry.write_text('{"format": "dataflyt-sources", "version": 1, "sources": [{"url": "x"}]}')
    code, out, err = invoke(runner, "watch", *command, *mapped)
    assert (code, out) == (1, "")
    assert err.startswith(f"dataflyt: error: {registry}: not a registry of sources: sources.0.")
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_a_page_that_gains_a_subprocessor_exits_1_with_its_deadline(
    runner: CliRunner, mapped: list[str], site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(console, "width", 250)  # as on a wide terminal: one line per row
    site.pages["/legal/subprocessors"] = nordvakt("v1")
    url = site.url("/legal/subprocessors")
    invoke(runner, "watch", "add", url, "--provider", "Nordvakt", *mapped)
    code, out, _ = invoke(runner, "watch", "run", *mapped)
    assert code == 1
    assert "new source" in out and "Mailgun Technologies, Inc." in out
    assert invoke(runner, "watch", "run", *mapped)[0] == 0
    site.pages["/legal/subprocessors"] = nordvakt("v2")
    code, out, _ = invoke(runner, "watch", "run", *mapped)
    assert code == 1
    lines = [" ".join(line.replace("│", " ").split()) for line in out.splitlines()]
    assert f"changed: {url}" in lines
    assert "Nordvakt + sub-processor Twilio Inc." in lines
    row = next(
        line for line in lines if line.startswith("Nordvakt Twilio Inc. (SMS and voice alerts)")
    )
    # the page names no data subjects: said, not left blank; its place is its own row's only
    assert "Name, Phone number not stated United States (US): Outside the EEA" in row
    assert "Germany" not in row
    assert "2025-07-02 (30 days from the document's date 2025-06-02;" in row
    # the map answers with the new version
    shown = runner.invoke(app, ["show", "Twilio", *mapped, "--json"])
    assert "subprocessors.html" in shown.stdout


def test_json_for_schedulers(runner: CliRunner, mapped: list[str], site: Site) -> None:
    site.pages["/list"] = nordvakt("v1")
    invoke(
        runner,
        "watch",
        "add",
        site.url("/list"),
        "--provider",
        "Nordvakt",
        "--notice-days",
        "10",
        *mapped,
    )
    invoke(runner, "watch", "run", *mapped)
    site.pages["/list"] = nordvakt("v2")
    code, out, _ = invoke(runner, "watch", "run", "--json", *mapped)
    report = json.loads(out)
    assert (code, report["changed"], report["failed"]) == (1, True, False)
    [source] = report["sources"]
    assert source["result"] == "changed"
    assert source["diff"]["new_subprocessors"][0]["categories"] == ["Name", "Phone number"]
    [objection] = source["objections"]
    assert objection["subprocessor"] == "Twilio Inc."
    assert objection["deadline"]["deadline"] == "2025-06-12"
    assert objection["deadline"]["basis"] == "the document's date"


def test_a_304_exits_0(runner: CliRunner, mapped: list[str], site: Site) -> None:
    site.pages["/list"] = nordvakt("v1", etag='"abc"')
    invoke(runner, "watch", "add", site.url("/list"), "--provider", "Nordvakt", *mapped)
    invoke(runner, "watch", "run", *mapped)
    code, out, _ = invoke(runner, "watch", "run", "--json", *mapped)
    assert (code, json.loads(out)["sources"][0]["result"]) == (0, "unchanged")
    assert site.requests[-1][1]["If-None-Match"] == '"abc"'


BIG = Page(b"<table>" + b"x" * (2 * 1024 * 1024))


@pytest.mark.parametrize(
    ("page", "options", "error"),
    [
        (None, [], "HTTP 404 Not Found"),
        (Page(b"oops", status=500), [], "HTTP 500 Internal Server Error"),
        (Page(b"<p>late</p>", delay=1.0), ["--timeout", "0.3"], "no answer within 0.3 s"),
        (Page(location="/p"), [], "more than 5 redirects"),
        (BIG, ["--max-size", "1"], "larger than the size cap of 1,048,576 bytes"),
        (
            Page(b"<!DOCTYPE html><p>Log in</p>", "application/pdf"),
            [],
            "the server says application/pdf but sent no PDF",
        ),
    ],
)
def test_a_page_that_cannot_be_fetched_exits_3(
    runner: CliRunner,
    mapped: list[str],
    site: Site,
    page: Page | None,
    options: list[str],
    error: str,
) -> None:
    if page is not None:
        site.pages["/p"] = page
    invoke(runner, "watch", "add", site.url("/p"), "--provider", "Nordvakt", *mapped)
    code, out, _ = invoke(runner, "watch", "run", "--json", *options, *mapped)
    report = json.loads(out)
    assert (code, report["changed"], report["failed"]) == (3, False, True)
    assert report["sources"][0]["error"].startswith(f"{site.url('/p')}: {error}")


def test_a_failing_page_keeps_its_version_and_list_says_since_when(
    runner: CliRunner, mapped: list[str], site: Site
) -> None:
    site.pages["/list"] = nordvakt("v1")
    site.pages["/other"] = nordvakt("v1")
    for path in ("/list", "/other"):
        invoke(runner, "watch", "add", site.url(path), "--provider", "Nordvakt", *mapped)
    invoke(runner, "watch", "run", *mapped)
    del site.pages["/list"]
    code, out, _ = invoke(runner, "watch", "run", *mapped)
    assert code == 3
    assert f"{site.url('/list')}: HTTP 404 Not Found (the version in force stays)" in " ".join(
        out.split()
    )
    listing = json.loads(invoke(runner, "watch", "list", "--json", *mapped)[1])
    failing = {s["url"]: s["status"] for s in listing["sources"]}
    assert failing[site.url("/list")]["last_error"] == f"{site.url('/list')}: HTTP 404 Not Found"
    assert failing[site.url("/list")]["failing_since"] is not None
    assert failing[site.url("/list")]["version"] is not None
    assert failing[site.url("/other")]["failing_since"] is None
    table = " ".join(invoke(runner, "watch", "list", *mapped)[1].replace("│", " ").split())
    assert "since 20" in table and "HTTP 404 Not Found" in table


def test_no_pages_watched_exits_0(runner: CliRunner, mapped: list[str]) -> None:
    code, out, _ = invoke(runner, "watch", "run", *mapped)
    assert (code, out) == (
        0,
        "No pages are watched: add one with dataflyt watch add URL --provider NAME.\n",
    )


def test_with_neo4j_the_registry_is_in_the_current_folder(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = invoke(
        runner, "watch", "add", "https://v.example/", "--provider", "V", "--backend", "neo4j"
    )
    assert code == 0 and out.endswith("registry dataflyt-neo4j.sources.json\n")
    assert (tmp_path / "dataflyt-neo4j.sources.json").is_file()
    code, _, err = invoke(runner, "watch", "list", "--backend", "neo4j", "--map", "m.json")
    assert code == 2 and "names an embedded map file, but the map is in Neo4j" in err


def test_the_installed_command_draws_a_bar_on_a_terminal(site: Site, tmp_path: Path) -> None:
    site.pages["/list"] = nordvakt("v1")
    mapped = ["--map", str(tmp_path / "map.json")]
    subprocess.run(
        [DATAFLYT, "watch", "add", site.url("/list"), "--provider", "Nordvakt", *mapped],
        check=True,
        capture_output=True,
    )
    code, out, terminal = on_terminal(["watch", "run", *mapped])
    assert code == 1 and "new source" in out
    assert "Checked" in terminal and "1/1" in terminal
    code, _, terminal = on_terminal(["watch", "run", "--quiet", *mapped])
    assert code == 0 and "\x1b[" not in terminal
    env = {**os.environ}
    done = subprocess.run(
        [DATAFLYT, "watch", "run", *mapped], capture_output=True, text=True, env=env
    )
    assert (done.returncode, done.stderr) == (0, "")
