"""``--columns`` on ``load`` and ``diff``: a list whose columns are not recognised is read as
the user names them; bad ``--columns`` text is one error line and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from tests.test_list_columns import UNREAD


def test_cli_load_and_diff_with_columns(tmp_path: Path, runner: CliRunner) -> None:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text(UNREAD, "utf-8")
    new.write_text(UNREAD + "Zendesk;Support;Tyskland;\n", "utf-8")
    columns = ["--columns", 'name="Aktør",purpose="Hva",places="Hvor"']
    map_path = str(tmp_path / "map.json")
    result = runner.invoke(
        app, ["load", "--map", map_path, "--provider", "Acme", *columns, str(old), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["counts"]["Organisation"] == 3  # Acme, Visma, Stripe
    result = runner.invoke(
        app, ["diff", "--provider", "Acme", *columns, str(old), str(new), "--json"]
    )
    assert result.exit_code == 1, result.output
    [changed] = json.loads(result.stdout)["services_changed"]
    assert changed["subprocessors_added"] == ["Zendesk"]


@pytest.mark.parametrize("command", ["load", "diff"])
def test_cli_bad_columns_is_one_line_exit_2(
    tmp_path: Path, runner: CliRunner, command: str
) -> None:
    path = tmp_path / "liste.csv"
    path.write_text(UNREAD, "utf-8")
    files = [str(path)] if command == "load" else [str(path), str(path)]
    extra = ["--map", str(tmp_path / "map.json")] if command == "load" else []
    result = runner.invoke(app, [command, *extra, "--columns", "navn=Aktør", *files])
    assert result.exit_code == 2
    assert result.stderr.startswith("dataflyt: error: unknown column 'navn' in --columns")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "map.json").exists()
