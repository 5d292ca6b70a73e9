"""``dataflyt diff`` on the seed against edited copies of it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli import app
from dataflyt.queries.diff import diff_files
from tests.conftest import SEED


def edited(tmp_path: Path, *pairs: tuple[str, str], drop: str | None = None) -> Path:
    text = SEED.read_text("utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    lines = [line for line in text.split("\n") if drop is None or not line.startswith(drop)]
    path = tmp_path / "new.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path


def test_same_document_has_no_changes() -> None:
    assert diff_files([SEED], [SEED]).changed is False


def test_new_subprocessor_says_what_it_receives(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Touch Technology AS\tNorge", "Touch Technology AS; Opptak AB\tNorge"))
    result = diff_files([SEED], [new])
    [change] = result.services_changed
    assert (change.service, change.subprocessors_added) == ("Mobilt Opptak (MVR)", ["Opptak AB"])
    [sub] = result.new_subprocessors
    assert sub.name == "Opptak AB" and sub.assumption is True
    assert "Call recordings" in sub.categories
    assert sub.data_subjects == ["Employees"] and sub.countries == ["Norway"]


def test_country_moving_outside_the_eea_is_flagged(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Bluestone AS\tTyskland", "Bluestone AS\tIndia"))
    [change] = diff_files([SEED], [new]).services_changed
    [added] = change.countries_added
    assert (added.code, added.leaves_eea, added.without_adequacy) == ("IN", True, True)
    assert [c.code for c in change.countries_removed] == ["DE"]


def test_role_date_and_removed_service(tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        ("Phonero SIP aksess\tDatabehandler", "Phonero SIP aksess\tBehandlingsansvarlig*"),
        ("15.03.2021", "01.02.2024"),
        drop="ISDN aksess",
    )
    result = diff_files([SEED], [new])
    assert result.dates == [("PHONERO TJENESTEBESKRIVELSE", "2021-03-15", "2024-02-01")]
    assert result.services_removed == ["ISDN aksess"]
    [change] = result.services_changed
    assert change.role == ("Processor", "Independent controller")


@pytest.mark.parametrize(("same", "code"), [(True, 0), (False, 1)])
def test_cli_exit_codes(tmp_path: Path, runner: CliRunner, same: bool, code: int) -> None:
    new = SEED if same else edited(tmp_path, ("15.03.2021", "16.03.2021"))
    result = runner.invoke(app, ["diff", str(SEED), str(new), "--json"])
    assert result.exit_code == code
    assert json.loads(result.stdout)["changed"] is not same


def test_cli_bad_input_exits_2(tmp_path: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["diff", str(SEED), str(tmp_path / "missing.txt")])
    assert result.exit_code == 2
    assert result.stderr.strip().endswith("missing.txt: no such file")
