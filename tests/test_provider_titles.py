"""Whose document it is: stated by the title or the text, or given with ``--provider``; never
guessed from a title word. Without either, loading stops with exit 2 and one line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import UnknownProviderError
from dataflyt.loaders import parse_document
from dataflyt.loaders.titles import ANNEX_WORDS, provider_in_title

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("title", "provider"),
    [
        ("Zendesk Sub-processors", "Zendesk"),
        ("Zendesk Sub-processors | Zendesk Trust Center", "Zendesk"),
        ("Sub-processor Policy \u2013 Zendesk help", "Zendesk"),
        ("Sub-processors | Slack", "Slack"),
        ("Slack's sub-processors", "Slack"),
        ("Slack sub-processors (Archived) | Slack", "Slack"),
        ("GitHub Subprocessors", "GitHub"),
        # the page's other topic, after the list words, is not part of the name
        ("GitHub Subprocessors and Cookies", "GitHub"),
        ("Acme Sub-processors and Cookie Policy", "Acme"),
        ("Underleverandører for Phonero", "Phonero"),
        ("Unterauftragsverarbeiter der Muster Software GmbH", "Muster Software GmbH"),
        ("Underbiträden för Exempel Lön AB", "Exempel Lön AB"),
        ("Liste over godkendte underdatabehandlere", None),
        ("Appendix 2 \u2013 Sub Processors", None),
        ("Appendix B: Sub-processors", None),
        ("List of Sub-processors Denmark, Norway, Sweden", None),
        ("Our approved sub-processors", None),
        ("Third Party Subprocessors", None),
        ("Underdatabehandlere", None),
        ("Datautveksling | Fiken", None),  # no list word: a site name is not a statement
    ],
)
def test_provider_stated_by_a_list_title(title: str, provider: str | None) -> None:
    assert provider_in_title(title) == provider


@pytest.mark.parametrize(
    ("title", "provider"),
    [
        ("PHONERO TJENESTEBESKRIVELSE", "Phonero"),
        ("ACME TELECOM SERVICE DESCRIPTION", "Acme Telecom"),
        ("Telia Norge \u2013 tjenestebeskrivelse", "Telia Norge"),
        ("Bilag 3 \u2013 Tjenestebeskrivelse", None),
        ("Vedlegg 2 Databehandleravtale", None),
        ("Appendix", None),
    ],
)
def test_provider_stated_by_an_annex_title(title: str, provider: str | None) -> None:
    assert provider_in_title(title, ANNEX_WORDS) == provider


@pytest.mark.parametrize(
    "name",
    [
        "normative-appendix-2.html",
        "digitalcab-underdatabehandlere.html",
        "fiken-underdatabehandlere.html",
        "telenor-underleverandorer.csv",
        "bilag-kundeservice.txt",
    ],
)
def test_a_document_naming_no_provider_stops_the_load_with_exit_2(
    name: str, tmp_path: Path, runner: CliRunner
) -> None:
    path = DATA / name
    with pytest.raises(UnknownProviderError):
        parse_document(path)
    map_path = tmp_path / "map.json"
    result = runner.invoke(app, ["load", "--map", str(map_path), str(path)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"dataflyt: error: {path}: cannot tell whose document this is (it names no provider); "
        "give --provider NAME\n"
    )
    assert not map_path.exists()
    given = runner.invoke(app, ["load", "--map", str(map_path), "--provider", "Acme", str(path)])
    assert given.exit_code == 0, given.output


def test_an_annex_whose_text_names_its_provider(tmp_path: Path) -> None:
    path = tmp_path / "vedlegg.txt"
    path.write_text(
        "Vedlegg 2\n\nDenne oversikten er et vedlegg til Fikens databehandleravtale.\n\n"
        "Tjeneste\tRolle\tDatatyper\tUnderleverandører\tBehandlingssted\n"
        "Regnskap\tDatabehandler\tNavn\tGoogle\tIrland\n",
        "utf-8",
    )
    assert parse_document(path).provider == "Fiken"


def test_two_lists_of_one_provider_are_two_documents() -> None:
    zendesk = parse_document(DATA / "zendesk-subprocessors.html")
    slack_2022 = parse_document(DATA / "slack-subprocessors-2022.html")
    slack_md = parse_document(DATA / "slack-subprocessors.md")
    assert (slack_2022.provider, slack_md.provider) == ("Slack", "Slack")
    assert slack_2022.title != slack_md.title
    assert zendesk.title == "Zendesk Sub-processors | Zendesk Trust Center"
    csv = parse_document(DATA / "telenor-underleverandorer.csv", "Telenor", service="Mobil")
    # a list with no title of its own is named after its provider; --service is its subject
    assert (csv.title, csv.about) == ("Telenor sub-processors", "Mobil")
