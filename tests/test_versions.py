"""The map over time: every version of a document is kept with its dates, answers are given
as of any date, ``history`` lists versions and what each changed, and the aliases a user
confirms apply before and after."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from tests.conftest import SEED


@pytest.fixture
def two_versions(tmp_path: Path, runner: CliRunner) -> list[str]:
    """Return the --map arguments of a map holding the seed (2021) and a 2024 version that
    moves the web shop's sub-processor from Germany to India."""
    newer = tmp_path / "phonero-2024.txt"
    text = SEED.read_text("utf-8").replace("Bluestone AS\tTyskland", "Bluestone AS\tIndia")
    newer.write_text(text.replace("15.03.2021", "01.02.2024"), "utf-8")
    args = ["--map", str(tmp_path / "map.json")]
    for document in (SEED, newer):
        result = runner.invoke(app, ["load", *args, str(document)])
        assert result.exit_code == 0, result.output
    return args


def _json(runner: CliRunner, *args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_a_new_version_says_what_it_replaced(tmp_path: Path, runner: CliRunner) -> None:
    args = ["--map", str(tmp_path / "map.json")]
    runner.invoke(app, ["load", *args, str(SEED)])
    newer = tmp_path / "phonero-2024.txt"
    newer.write_text(SEED.read_text("utf-8").replace("15.03.2021", "01.02.2024"), "utf-8")
    result = runner.invoke(app, ["load", *args, str(newer)], env={"COLUMNS": "300"})
    assert "a new version: it replaces the version in force since 2021-03-15" in result.stdout


def test_every_query_answers_as_of_a_date(two_versions: list[str], runner: CliRunner) -> None:
    def where(*extra: str) -> list[str]:
        found = _json(runner, "breach", "Bluestone", *two_versions, *extra)
        return [p["code"] for s in found["services"] for p in s["chain"][-1]["places"]]

    assert where() == ["IN"]
    assert where("--as-of", "2023-12-31") == ["DE"]
    assert where("--as-of", "2024-02-01") == ["IN"]
    before = _json(runner, "transfers", *two_versions, "--as-of", "2022-01-01")
    assert before["transfers"] == []
    today = _json(runner, "transfers", *two_versions)
    assert {f["code"] for f in today["transfers"]} == {"IN"}
    status = _json(runner, "status", *two_versions, "--as-of", "2022-01-01")
    assert (status["as_of"], status["versions"], len(status["documents"])) == ("2022-01-01", 2, 1)
    assert status["documents"][0]["date"] == "2021-03-15"


def test_before_the_first_version_nothing_is_known(
    two_versions: list[str], runner: CliRunner
) -> None:
    result = runner.invoke(app, ["breach", "Bluestone", *two_versions, "--as-of", "2020-01-01"])
    assert result.exit_code == 2
    assert "unknown organisation" in result.stderr


def test_a_date_that_is_no_date_is_a_usage_error(
    two_versions: list[str], runner: CliRunner
) -> None:
    result = runner.invoke(app, ["touches", "name", *two_versions, "--as-of", "31.12.2023"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "dataflyt: error: --as-of '31.12.2023' is not a date: write it as YYYY-MM-DD"
    )


def test_a_map_opened_as_of_a_date_is_read_only(two_versions: list[str]) -> None:
    from dataflyt.errors import StoreError
    from dataflyt.graph.embedded_store import EmbeddedStore

    store = EmbeddedStore(Path(two_versions[1]), as_of="2022-01-01")
    with pytest.raises(StoreError, match="opened as of 2022-01-01"), store.writing(lambda: None):
        pass


def test_history_lists_versions_and_what_each_changed(
    two_versions: list[str], runner: CliRunner
) -> None:
    found = _json(runner, "history", "Bluestone", *two_versions)
    [document] = found["documents"]
    assert [
        (v["version"]["valid_from"], v["version"].get("valid_to"), v["in_force"])
        for v in document["versions"]
    ] == [("2021-03-15", "2024-02-01", False), ("2024-02-01", None, True)]
    changes = document["versions"][1]["changes"]
    [shop] = changes["services_changed"]
    assert shop["service"] == "Phonero nettbutikk Smart Mobilkjøp"
    assert [p["place"]["code"] for p in shop["places_added"]] == ["IN"]
    [bluestone] = shop["subprocessors_changed"]
    assert [p["place"]["code"] for p in bluestone["places_removed"]] == ["DE"]
    unknown = runner.invoke(app, ["history", "Nobody", *two_versions])
    assert unknown.exit_code == 2


def test_history_finds_a_name_as_show_does(two_versions: list[str], runner: CliRunner) -> None:
    # a prefix of the organisation's name, as show and breach take it
    found = _json(runner, "history", "Bluest", *two_versions)
    assert [d["title"] for d in found["documents"]] == [
        d["title"] for d in _json(runner, "history", "Bluestone", *two_versions)["documents"]
    ]
    assert len(found["documents"]) == 1
    unknown = runner.invoke(app, ["history", "Bluestonx", *two_versions])
    assert unknown.exit_code == 2
    assert "Bluestone AS" in unknown.output  # the name it may mean


def test_an_alias_applies_to_documents_loaded_before_and_after(
    tmp_path: Path, runner: CliRunner
) -> None:
    args = ["--map", str(tmp_path / "map.json")]
    first = tmp_path / "first.yaml"
    first.write_text(
        "services:\n  - name: Calls\n    provider: Acme\n    subprocessors: [Twillio]\n"
    )
    later = tmp_path / "later.yaml"
    later.write_text(
        "services:\n  - name: Texts\n    provider: Acme\n    subprocessors: [Twillio]\n"
    )
    assert runner.invoke(app, ["load", *args, str(first)]).exit_code == 0
    twilio = tmp_path / "twilio.yaml"
    twilio.write_text("organisations:\n  - name: Twilio\n    country: US\n")
    assert runner.invoke(app, ["load", *args, str(twilio)]).exit_code == 0
    added = runner.invoke(app, ["alias", "add", *args, "Twillio", "Twilio"])
    assert added.exit_code == 0, added.output
    assert runner.invoke(app, ["load", *args, str(later)]).exit_code == 0
    found = _json(runner, "breach", "Twilio", *args)
    assert sorted(s["facts"]["name"] for s in found["services"]) == ["Calls", "Texts"]
    assert _json(runner, "alias", "list", *args)["aliases"] == [
        {"alias": "Twillio", "organisation": "Twilio", "organisation_id": "org:twilio"}
    ]
    unknown = runner.invoke(app, ["alias", "add", *args, "X", "Nobody"])
    assert unknown.exit_code == 2 and "unknown organisation" in unknown.stderr
    removed = runner.invoke(app, ["alias", "remove", *args, "Twillio"])
    assert removed.exit_code == 0
    assert _json(runner, "alias", "list", *args)["aliases"] == []
    again = runner.invoke(app, ["alias", "remove", *args, "Twillio"])
    assert again.exit_code == 2 and "is no alias confirmed" in again.stderr
