"""One organisation however it is spelled, two legal entities never joined, distinct names
never one node: ids, the name rules, merges, conflicts, possible duplicates and aliases
declared after the documents they join."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.graph.model import AnyEdge, Document, NodeKind
from dataflyt.graph.store import GraphStore
from dataflyt.ids import organisation_id, service_id
from dataflyt.ingest.load import LoadReport, load_files
from dataflyt.ingest.names import Alias, AliasSource, NameResolver
from dataflyt.queries.breach import breach

# invented vendors, so that the reference data of vendor groups plays no part
LIST = """\
Sub-processors of Nordvik
DATE: May 6th, 2025
Sub-processor;Description of processing;Corporate location;Data location
"Nordvik, Inc.";Support;Ireland;"EEA, US (SCCs)"
SCH;Hosting;USA;Ireland
"""
MAP = """\
organisations:
  - name: NORDVIK INC
    country: US
  - name: Skyhost Cloud
    aliases: [SCH]
services:
  - name: Nordvik
    provider: Nordvik
    role: controller
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    listed, mapped = tmp_path / "list.csv", tmp_path / "map.yaml"
    listed.write_text(LIST, "utf-8")
    mapped.write_text(MAP, "utf-8")
    return listed, mapped


def _merges(report: LoadReport) -> list[tuple[str, list[tuple[str, str, int | None]], str]]:
    return [
        (
            m.name,
            [(s.value, Path(s.source.path or "").name, s.source.line) for s in m.spellings],
            m.reason,
        )
        for m in report.merges
    ]


def _conflicts(report: LoadReport) -> list[tuple[str, str, str, list[tuple[str, int | None]]]]:
    return [
        (c.kind, c.about, c.name, [(s.value, s.source.line) for s in c.statements])
        for c in report.conflicts
    ]


# "OOO Yandex and its branches" and "AO Kaspersky and its branches", in Russian
_TAIL = " \u0438 \u0435\u0433\u043e \u0444\u0438\u043b\u0438\u0430\u043b\u044b"
YANDEX = "\u041e\u041e\u041e \u00ab\u042f\u043d\u0434\u0435\u043a\u0441\u00bb" + _TAIL
KASPERSKY = (
    "\u0410\u041e \u00ab\u041a\u0430\u0441\u043f\u0435\u0440\u0441\u043a\u0438\u0439\u00bb" + _TAIL
)
# Baidu Online Network Technology (Beijing) Co., Ltd. and its Shanghai branch, in Chinese
BAIDU = "\u767e\u5ea6\u5728\u7ebf\u7f51\u7edc\u6280\u672f"
BAIDU_BEIJING = BAIDU + "\uff08\u5317\u4eac\uff09\u6709\u9650\u516c\u53f8"
BAIDU_SHANGHAI = BAIDU + "\uff08\u4e0a\u6d77\uff09\u6709\u9650\u516c\u53f8"


# -- ids ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "names",
    [
        ("Zendesk, Inc.", "ZENDESK INC", "zendesk inc", "Zendesk  Inc.", "Zendesk Incorporated"),
        ("Procter & Gamble", "Procter and Gamble", "PROCTER  &  GAMBLE"),
        ("Acme A/S", "ACME AS", "acme as"),
        ("Amazon Web Services EMEA SARL", "Amazon Web Services EMEA S.A.R.L."),
    ],
)
def test_one_legal_entity_however_written_has_one_id(names: tuple[str, ...]) -> None:
    assert len({organisation_id(name) for name in names}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("GitHub, Inc.", "GitHub B.V."),  # two legal entities of one group
        ("Telenor ASA", "Telenor Norge AS"),
        ("Mobil", "Mobil+"),  # a character a readable key leaves out
        ("mail/Chat", "mail Chat"),
        ("Zendesk", "Z\u0435ndesk"),  # a Cyrillic "e"
        ("Zendesk", "\u0396endesk"),  # a Greek "Z"
        (YANDEX, KASPERSKY),  # long Russian names, alike in their long tails
        (BAIDU_BEIJING, BAIDU_SHANGHAI),  # two branches, told apart by one word
    ],
)
def test_distinct_names_get_distinct_ids(one: str, other: str) -> None:
    assert organisation_id(one) != organisation_id(other)
    assert service_id("org:x", one) != service_id("org:x", other)


def test_ids_keep_letters_of_every_script_and_are_never_cut() -> None:
    long_name = "Ж" * 500
    assert organisation_id(long_name) == "org:" + "ж" * 500
    assert organisation_id("Mobil+").startswith("org:mobil~")


# -- the name rules -----------------------------------------------------------------------


def test_a_bare_name_is_the_one_legal_entity_of_that_name() -> None:
    names = NameResolver(["Zendesk, Inc.", "Zendesk"])
    assert names.resolve("Zendesk").id == "org:zendesk.inc"
    assert names.resolve("ZENDESK INC").id == "org:zendesk.inc"


def test_a_bare_name_shared_by_several_legal_entities_groups_them() -> None:
    names = NameResolver(["GitHub, Inc.", "GitHub B.V.", "GitHub"])
    github = names.resolve("GitHub")
    assert (github.id, github.members) == ("org:github", ("org:github.bv", "org:github.inc"))
    assert names.resolve("GitHub B.V.").id == "org:github.bv"
    group = names.group_of("GitHub B.V.")
    assert group is not None and group.id == "org:github"


def test_an_alias_wins_the_users_over_a_data_maps_over_a_documents() -> None:
    names = NameResolver(
        ["Twilio Inc.", "Twillio", "Vonage"],
        [
            Alias("Twillio", "Vonage", AliasSource.DOCUMENT),
            Alias("Twillio", "Twilio Inc.", AliasSource.USER),
        ],
    )
    found = names.resolve("twillio")
    assert found.id == "org:twilio.inc"
    assert found.via is not None and found.via.source is AliasSource.USER


# -- loads --------------------------------------------------------------------------------


def test_merges_and_conflicts_are_reported_with_their_sources(
    store: GraphStore, tmp_path: Path, files: tuple[Path, Path]
) -> None:
    report = load_files(store, list(files))
    assert _merges(report) == [
        (
            "NORDVIK INC",
            [
                ("Nordvik", "map.yaml", 7),
                ("NORDVIK INC", "map.yaml", 2),
                ("Nordvik", "list.csv", 3),
                ("Nordvik, Inc.", "list.csv", 4),
            ],
            "Nordvik, without a legal form, can only be NORDVIK INC: the one legal entity so named",
        ),
        (
            "Skyhost Cloud",
            [("Skyhost Cloud", "map.yaml", 4), ("SCH", "list.csv", 5)],
            "SCH is an alias of Skyhost Cloud (in a data map)",
        ),
    ]
    assert _conflicts(report) == [
        ("country", "organisation", "NORDVIK INC", [("US", 2), ("IE", 4)]),
        ("role", "service", "Nordvik", [("controller", 7), ("processor", 3)]),
    ]
    assert store.node("org:sch") is None
    assert {n.id for n in store.nodes(NodeKind.ORGANISATION)} == {
        "org:nordvik.inc",
        "org:skyhost-cloud",
    }


def test_loading_again_gives_the_same_map_and_report(
    store: GraphStore, tmp_path: Path, files: tuple[Path, Path]
) -> None:
    first = load_files(store, list(files))
    before = everything(store)
    again = load_files(store, list(reversed(files)))
    assert (again.merges, again.conflicts) == (first.merges, first.conflicts)
    assert everything(store) == before


def everything(store: GraphStore) -> tuple[list[Document], list[AnyEdge]]:
    """Return every document version of the map with every fact of them."""
    versions = store.document_versions()
    return versions, store.document_edges([v.id for v in versions])


def test_a_conflict_is_not_reported_once_the_documents_agree(
    store: GraphStore, tmp_path: Path, files: tuple[Path, Path]
) -> None:
    listed, mapped = files
    load_files(store, [listed, mapped])
    mapped.write_text(
        MAP.replace("country: US", "country: Ireland").replace("controller", "processor")
    )
    assert load_files(store, [mapped]).conflicts == []


def test_an_alias_declared_later_rebuilds_the_earlier_document_onto_it(
    store: GraphStore, tmp_path: Path, files: tuple[Path, Path]
) -> None:
    listed, mapped = files
    load_files(store, [listed])
    assert store.node("org:sch") is not None
    report = load_files(store, [mapped])
    assert [(m.name, m.now_name) for m in report.moved] == [("SCH", "Skyhost Cloud")]
    assert store.node("org:sch") is None
    hosting = breach(store, "Skyhost Cloud")
    assert [s.facts.name for s in hosting.services] == ["Nordvik"]
    link = hosting.services[0].chain[-1]
    # the list's own words are kept
    assert (link.name, [p.code for p in link.places]) == ("Skyhost Cloud", ["IE"])


def test_a_bare_name_loaded_first_joins_its_legal_entity_loaded_later(
    store: GraphStore, tmp_path: Path
) -> None:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(
        "services:\n  - name: Support\n    provider: Acme\n    subprocessors: [Ringvik]\n"
    )
    second.write_text("organisations:\n  - name: Ringvik Inc.\n    country: US\n")
    load_files(store, [first])
    report = load_files(store, [second])
    assert [(m.name, m.now_name) for m in report.moved] == [("Ringvik", "Ringvik Inc.")]
    assert [s.facts.name for s in breach(store, "Ringvik Inc.").services] == ["Support"]


def test_legal_entities_of_one_group_stay_apart_and_the_group_covers_them(
    store: GraphStore, tmp_path: Path
) -> None:
    listed = tmp_path / "github.csv"
    listed.write_text(
        "GitHub, Inc. sub-processors\n"
        "Sub-processor;Purpose;Location\n"
        "GitHub B.V.;Support;Netherlands\n"
        "Zendesk, Inc.;Ticketing;United States\n",
        "utf-8",
    )
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "services:\n  - name: Code\n    provider: Acme\n    subprocessors: [GitHub]\n", "utf-8"
    )
    load_files(store, [listed, mapped], provider="GitHub, Inc.")
    assert store.node("org:github.inc") is not None
    assert store.node("org:github.bv") is not None
    whole = breach(store, "GitHub")
    assert [c.name for c in whole.covers] == ["GitHub B.V.", "GitHub, Inc."]
    subsidiary = breach(store, "GitHub B.V.")
    assert subsidiary.covers == []
    # GitHub, Inc.'s own services reach its subsidiary; its place is the row's, not the provider's
    [service] = [
        s
        for s in subsidiary.services
        if s.facts.provider and s.facts.provider.id == "org:github.inc"
    ]
    assert [p.code for p in service.chain[-1].places] == ["NL"]


def test_near_identical_and_look_alike_names_are_listed_not_joined(
    store: GraphStore, tmp_path: Path
) -> None:
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "services:\n"
        "  - name: Calls\n    provider: Acme\n    subprocessors: [Twilio, Twillio]\n"
        '  - name: Tickets\n    provider: Acme\n    subprocessors: [Zendesk, "Z\u0435ndesk"]\n',
        "utf-8",
    )
    report = load_files(store, [mapped])
    assert [(d.name, d.other, d.reason) for d in report.duplicates] == [
        ("Twilio", "Twillio", "nearly the same spelling"),
        ("Zendesk", "Z\u0435ndesk", "look-alike letters"),
    ]
    assert report.duplicates[0].command == 'dataflyt alias add "Twilio" "Twillio"'
    assert len(store.nodes(NodeKind.ORGANISATION)) == 5


def test_cli_load_prints_merges_conflicts_and_duplicates(
    tmp_path: Path, runner: CliRunner, files: tuple[Path, Path]
) -> None:
    result = runner.invoke(app, ["load", "--map", str(tmp_path / "m.json"), *map(str, files)])
    assert result.exit_code == 0, result.output
    assert "Organisations written differently, taken as one" in result.stdout
    assert "Documents that disagree" in result.stdout
    assert "NORDVIK INC" in result.stdout


def test_a_group_the_reference_data_knows_covers_its_legal_entities(
    store: GraphStore, tmp_path: Path
) -> None:
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "services:\n"
        "  - name: Hosting\n    provider: Acme\n    subprocessors: [AWS]\n"
        "  - name: Backups\n    provider: Acme\n"
        "    subprocessors: [Amazon Web Services EMEA SARL]\n",
        "utf-8",
    )
    load_files(store, [mapped])
    # "AWS" is the group's brand: a breach at it covers the group and its entities
    whole = breach(store, "AWS")
    assert sorted(s.facts.name for s in whole.services) == ["Backups", "Hosting"]
    assert [c.name for c in whole.covers] == ["Amazon Web Services EMEA SARL"]
    # a breach at the entity reaches what names it, and what names only the brand, possibly
    entity = breach(store, "Amazon Web Services EMEA SARL")
    assert [(s.facts.name, s.possible) for s in entity.services] == [
        ("Backups", None),
        (
            "Hosting",
            "the document names Amazon Web Services, a group or brand, not which of its legal "
            "entities",
        ),
    ]


def test_a_name_the_reference_data_gives_an_entity_stays_as_written(
    store: GraphStore, tmp_path: Path
) -> None:
    from tests.conftest import SEED

    load_files(store, [SEED])
    # the annex writes "Phonero": the reference data knows Phonero AS of the Telia group,
    # which no document names, so the name stays as written and belongs to the group
    assert store.node("org:phonero") is not None
    telia = breach(store, "Telia")
    assert [c.name for c in telia.covers] == ["Phonero"]
    assert len(telia.services) == 11


def test_a_users_file_of_vendor_groups_extends_the_reference_data(
    tmp_path: Path, runner: CliRunner
) -> None:
    groups = tmp_path / "groups.yaml"
    groups.write_text(
        "groups:\n"
        "  - name: Nordvik Group\n"
        "    aliases: [Nordvik]\n"
        "    entities:\n"
        "      - {name: Nordvik Cloud AS, country: NO}\n"
        "      - {name: Nordvik Mail AB, country: SE}\n",
        "utf-8",
    )
    mapped = tmp_path / "map.yaml"
    mapped.write_text(
        "services:\n"
        "  - name: Mail\n    provider: Acme\n    subprocessors: [Nordvik Mail AB]\n"
        "  - name: Files\n    provider: Acme\n    subprocessors: [Nordvik Cloud AS]\n",
        "utf-8",
    )
    args = ["--map", str(tmp_path / "m.json")]
    env = {"DATAFLYT_VENDOR_GROUPS": str(groups)}
    assert runner.invoke(app, ["load", *args, str(mapped)], env=env).exit_code == 0
    result = runner.invoke(app, ["breach", "Nordvik", *args, "--json"])
    assert result.exit_code == 0, result.output
    found = json.loads(result.stdout)
    assert [c["name"] for c in found["covers"]] == ["Nordvik Cloud AS", "Nordvik Mail AB"]
    assert sorted(s["facts"]["name"] for s in found["services"]) == ["Files", "Mail"]
    groups.write_text("groups:\n  - name: Bad\n    entities: []\n", "utf-8")
    bad = runner.invoke(app, ["load", *args, str(mapped)], env=env)
    assert bad.exit_code == 1 and "groups.yaml" in bad.stderr
