"""``dataflyt diff`` on the seed against edited copies of it."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from dataflyt.cli.diff import render_diff
from dataflyt.cli.main import app
from dataflyt.exports import ExportFormat, export
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.deadline import DeadlineBasis
from dataflyt.queries.diff import DateChange, MapDiff, Notice, ValueChange, diff_files
from tests.conftest import DATAFLYT, SEED


def edited(tmp_path: Path, *pairs: tuple[str, str], drop: str | None = None) -> Path:
    text = SEED.read_text("utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    lines = [line for line in text.split("\n") if drop is None or not line.startswith(drop)]
    path = tmp_path / "new.txt"
    path.write_text("\n".join(lines), "utf-8")
    return path


def rendered(result: MapDiff) -> str:
    console = Console(width=400)
    with console.capture() as captured:
        console.print(*render_diff(result))
    return captured.get()


def test_same_document_has_no_changes() -> None:
    result = diff_files([SEED], [SEED])
    assert result.changed is False
    assert rendered(result) == "No changes.\n"


def test_new_subprocessor_says_what_it_receives(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Touch Technology AS\tNorge", "Touch Technology AS; Opptak AB\tNorge"))
    result = diff_files([SEED], [new])
    [change] = result.services_changed
    assert (change.service, change.subprocessors_added) == ("Mobilt Opptak (MVR)", ["Opptak AB"])
    [sub] = result.new_subprocessors
    assert sub.name == "Opptak AB" and sub.assumption is True
    assert "Call recordings" in sub.categories
    assert sub.data_subjects == ["Employees"]
    # the places its own row states: in the annex layout, the row's place of processing
    assert [(p.place.code, p.place.source.line) for p in sub.places] == [("NO", 13)]
    text = rendered(result)
    assert "What new sub-processors receive, and where (GDPR Art. 28(2))" in text
    assert "(assumed: all)" in text


def test_a_sub_processor_moving_from_germany_to_the_usa_is_flagged(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Bluestone AS\tTyskland", "Bluestone AS\tUSA"))
    result = diff_files([SEED], [new])
    [change] = result.services_changed
    assert change.service == "Phonero nettbutikk Smart Mobilkjøp"
    [added] = change.places_added
    assert (added.place.code, added.leaves_eea, added.without_adequacy) == ("US", True, False)
    assert added.place.standing.status == "adequacy_if_condition_met"
    assert "Data Privacy Framework" in (added.place.standing.condition or "")
    [removed] = change.places_removed
    assert (removed.place.code, removed.leaves_eea) == ("DE", False)
    [bluestone] = change.subprocessors_changed
    assert [p.place.code for p in bluestone.places_added] == ["US"]
    assert [p.place.code for p in bluestone.places_removed] == ["DE"]
    assert not result.new_subprocessors  # the same sub-processor, somewhere else
    assert (
        "United States (US): Outside the EEA: adequacy for organisations certified under the "
        "EU-US Data Privacy Framework only" in rendered(result)
    )


def test_a_country_without_adequacy_is_flagged(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Bluestone AS\tTyskland", "Bluestone AS\tIndia"))
    [change] = diff_files([SEED], [new]).services_changed
    [added] = change.places_added
    assert (added.place.code, added.leaves_eea, added.without_adequacy) == ("IN", True, True)
    assert added.place.standing.status == "needs_art46_safeguards"


LIST = """\
Acme sub-processors
Sub-processor;Purpose;Location
Link Mobility;SMS;Norway
{extra}"""


def test_a_new_sub_processor_of_a_list_gets_its_own_rows_places(tmp_path: Path) -> None:
    old, new = tmp_path / "old.csv", tmp_path / "new.csv"
    old.write_text(LIST.format(extra=""), "utf-8")
    new.write_text(
        LIST.replace("SMS;Norway", "SMS and email;Norway").format(extra="Twilio;Calls;USA (SCCs)"),
        "utf-8",
    )
    result = diff_files([old], [new], "Acme")
    [twilio] = result.new_subprocessors
    assert [(p.place.code, p.place.safeguards) for p in twilio.places] == [("US", ["scc"])]
    [change] = result.services_changed
    [link] = change.subprocessors_changed
    assert link.purpose == ValueChange(old="SMS", new="SMS and email")
    text = rendered(result)
    assert "sub-processor purpose" in text and "Link Mobility: SMS → SMS and email" in text
    assert "Norway" not in text.split("GDPR Art. 28(2)")[1]  # never the service's other places


def test_the_map_on_two_dates_compares_like_two_versions(tmp_path: Path, runner: CliRunner) -> None:
    map_path = tmp_path / "map.json"
    newer = edited(
        tmp_path, ("Bluestone AS\tTyskland", "Bluestone AS\tIndia"), ("15.03.2021", "01.02.2024")
    )
    for document in (SEED, newer):
        assert runner.invoke(app, ["load", "--map", str(map_path), str(document)]).exit_code == 0
    args = ["diff", "--map", str(map_path), "--from", "2022-01-01", "--to", "2024-06-01", "--json"]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    found = json.loads(result.stdout)
    [change] = found["services_changed"]
    assert [p["place"]["code"] for p in change["places_added"]] == ["IN"]
    same = runner.invoke(
        app, ["diff", "--map", str(map_path), "--from", "2024-03-01", "--to", "2024-06-01"]
    )
    assert (same.exit_code, same.stdout) == (0, "No changes.\n")
    bad = runner.invoke(
        app, ["diff", "--map", str(map_path), "--from", "yesterday", "--to", "2024-06-01"]
    )
    assert bad.exit_code == 2 and "is not a date" in bad.stderr
    # backwards in time a removed sub-processor would read as new, with a deadline
    backwards = runner.invoke(
        app, ["diff", "--map", str(map_path), "--from", "2024-06-01", "--to", "2022-01-01"]
    )
    assert (backwards.exit_code, backwards.stdout, backwards.stderr) == (
        2,
        "",
        "dataflyt: error: --from 2024-06-01 is after --to 2022-01-01: give the earlier date "
        "first\n",
    )


def test_role_date_and_removed_service(tmp_path: Path) -> None:
    new = edited(
        tmp_path,
        ("Phonero SIP aksess\tDatabehandler", "Phonero SIP aksess\tBehandlingsansvarlig*"),
        ("15.03.2021", "01.02.2024"),
        drop="ISDN aksess",
    )
    result = diff_files([SEED], [new])
    assert result.dates == [
        DateChange(document="PHONERO TJENESTEBESKRIVELSE", old="2021-03-15", new="2024-02-01")
    ]
    assert (result.services_removed, result.services_added) == (["ISDN aksess"], [])
    [change] = result.services_changed
    assert change.role == ValueChange(old="Processor", new="Independent controller")
    text = rendered(result)
    assert "2021-03-15 → 2024-02-01" in text
    assert "Processor → Independent controller" in text


def test_all_edits_at_once_give_one_json_object(tmp_path: Path, runner: CliRunner) -> None:
    new = edited(
        tmp_path,
        ("Touch Technology AS\tNorge", "Touch Technology AS; Opptak AB\tNorge"),
        ("Bluestone AS\tTyskland", "Bluestone AS\tUSA"),
        ("Phonero SIP aksess\tDatabehandler", "Phonero SIP aksess\tBehandlingsansvarlig*"),
        ("15.03.2021", "01.02.2024"),
        drop="ISDN aksess",
    )
    result = runner.invoke(app, ["diff", str(SEED), str(new), "--json"])
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert found["changed"] is True
    assert found["dates"] == [
        {"document": "PHONERO TJENESTEBESKRIVELSE", "old": "2021-03-15", "new": "2024-02-01"}
    ]
    assert found["services_removed"] == ["ISDN aksess"]
    changed = {c["service"]: c for c in found["services_changed"]}
    assert set(changed) == {
        "Mobilt Opptak (MVR)",
        "Phonero SIP aksess",
        "Phonero nettbutikk Smart Mobilkjøp",
    }
    assert changed["Phonero SIP aksess"]["role"] == {
        "old": "Processor",
        "new": "Independent controller",
    }
    assert [s["name"] for s in found["new_subprocessors"]] == ["Opptak AB"]


def test_a_new_spelling_of_the_same_sub_processor_is_no_change(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Touch Technology AS\tNorge", "TOUCH TECHNOLOGY A/S\tNorge"))
    assert diff_files([SEED], [new]).changed is False


def test_map_exports_compare_like_documents(tmp_path: Path) -> None:
    exported = []
    changed = edited(tmp_path, ("15.03.2021", "16.03.2021"))
    for name, document in (("old", SEED), ("new", changed)):
        store = EmbeddedStore(tmp_path / f"{name}-map.json")
        load_files(store, [document])
        path = tmp_path / f"{name}-export.json"
        path.write_text(str(export(store, ExportFormat.JSON)), "utf-8")
        exported.append(path)
    result = diff_files([exported[0]], [exported[1]])
    assert [(d.old, d.new) for d in result.dates] == [("2021-03-15", "2021-03-16")]
    assert not result.services_changed


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


def test_cli_never_touches_the_users_map(tmp_path: Path, runner: CliRunner) -> None:
    new = edited(tmp_path, ("15.03.2021", "16.03.2021"))
    result = runner.invoke(
        app, ["diff", str(SEED), str(new)], env={"DATAFLYT_MAP": str(tmp_path / "mine.json")}
    )
    assert result.exit_code == 1
    assert "document date" in result.stdout
    assert not (tmp_path / "mine.json").exists()


def test_installed_command_exits_like_diff(tmp_path: Path) -> None:
    same = subprocess.run([DATAFLYT, "diff", SEED, SEED], capture_output=True, text=True)
    assert (same.returncode, same.stdout) == (0, "No changes.\n")
    new = edited(tmp_path, ("15.03.2021", "16.03.2021"))
    changed = subprocess.run(
        [DATAFLYT, "diff", SEED, new, "--json"], capture_output=True, text=True
    )
    assert changed.returncode == 1 and json.loads(changed.stdout)["changed"] is True


def test_a_new_sub_processor_has_its_objection_deadline(tmp_path: Path, runner: CliRunner) -> None:
    new = edited(
        tmp_path,
        ("Touch Technology AS\tNorge", "Touch Technology AS; Opptak AB\tNorge"),
        ("15.03.2021", "01.02.2024"),
    )
    result = runner.invoke(app, ["diff", str(SEED), str(new), "--notice-days", "14", "--json"])
    assert result.exit_code == 1
    [sub] = json.loads(result.stdout)["new_subprocessors"]
    deadline = sub["deadline"]
    # counted from the date the new version states, plus the provider's notice period
    assert (deadline["counted_from"], deadline["notice_days"], deadline["deadline"]) == (
        "2024-02-01",
        14,
        "2024-02-15",
    )
    table = runner.invoke(app, ["diff", str(SEED), str(new)])
    assert "objection deadline" in table.stdout and "2024-03-02" in table.stdout  # 30 days
    negative = runner.invoke(app, ["diff", str(SEED), str(new), "--notice-days", "-1"])
    assert negative.exit_code == 2


def test_a_date_the_old_version_stated_already_is_no_announcement(tmp_path: Path) -> None:
    new = edited(tmp_path, ("Touch Technology AS\tNorge", "Touch Technology AS; Opptak AB\tNorge"))
    today = dt.date(2025, 6, 10)
    result = diff_files([SEED], [new], notice=Notice(days=30, today=today))
    [sub] = result.new_subprocessors
    # both versions say "Sist oppdatert 15.03.2021": the change was first seen today
    assert sub.deadline is not None
    assert (sub.deadline.basis, sub.deadline.counted_from, sub.deadline.deadline) == (
        DeadlineBasis.FIRST_SEEN,
        today,
        dt.date(2025, 7, 10),
    )


def test_the_map_on_two_dates_counts_an_undated_change_from_when_it_was_loaded(
    tmp_path: Path, runner: CliRunner
) -> None:
    map_path = tmp_path / "map.json"
    lists = Path(__file__).parent / "data" / "watch"
    for name, loaded in (("kvittering-v1.md", "2025-06-01"), ("kvittering-v2.md", "2025-06-15")):
        load_files(
            EmbeddedStore(map_path),
            [lists / name],
            "Kvittering",
            today=dt.date.fromisoformat(loaded),
        )
    args = ["diff", "--map", str(map_path), "--from", "2025-06-10", "--to", "2025-06-20"]
    result = runner.invoke(app, [*args, "--notice-days", "14", "--json"])
    assert result.exit_code == 1, result.output
    [sub] = json.loads(result.stdout)["new_subprocessors"]
    # the list states no date: the change was first seen the day v2 was loaded, not today
    assert sub["name"] == "Stripe Payments Europe, Limited"
    deadline = sub["deadline"]
    assert (deadline["counted_from"], deadline["basis"], deadline["deadline"]) == (
        "2025-06-15",
        "first seen",
        "2025-06-29",
    )
