"""The data-map file: exact facts from the bundled example, YAML and JSON alike, errors that
name file:line:column and the field path, the JSON Schema, and chains in ``breach``."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.errors import LoadError
from dataflyt.examples import example_paths
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.loaders import parse_document
from dataflyt.loaders.datamap_model import datamap_json_schema
from dataflyt.loaders.models import DocumentFormat, ParsedDocument
from dataflyt.queries.breach import breach
from dataflyt.queries.touches import touches
from tests.conftest import DATAFLYT

EXAMPLE = next(p.parent / "acme-datamap.yaml" for p in example_paths())


def _write(tmp_path: Path, text: str, name: str = "map.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _error(path: Path) -> str:
    with pytest.raises(LoadError) as error:
        parse_document(path)
    return str(error.value)


def test_example_organisations_and_chain() -> None:
    doc = parse_document(EXAMPLE)
    assert (doc.title, doc.provider, str(doc.date), doc.format) == (
        "Acme data map",
        "Acme AS",
        "2025-01-31",
        DocumentFormat.DATAMAP,
    )
    assert [
        (o.name, o.aliases, o.country, o.dpf_certified, o.source.line) for o in doc.organisations
    ] == [
        ("Acme AS", [], None, None, 9),
        ("Zendesk, Inc.", ["Zendesk"], "US", True, 14),
        ("Amazon Web Services", ["AWS", "Amazon Web Services EMEA SARL"], "US", None, 24),
    ]
    assert [
        (r.organisation, r.subprocessor.name, r.subprocessor.purpose) for r in doc.relations
    ] == [
        ("Zendesk, Inc.", "Amazon Web Services", "hosting"),
        ("Amazon Web Services", "Equinix", "data centre"),
    ]
    hosting = doc.relations[0].subprocessor.locations
    assert [(p.code, p.safeguards, p.source.line) for p in hosting] == [
        ("IE", [], 22),
        ("US", ["scc"], 23),
    ]


def test_example_service() -> None:
    (service,) = parse_document(EXAMPLE).services
    assert (service.name, service.provider, service.role, service.role_text) == (
        "Customer support",
        "Zendesk",
        "processor",
        "databehandler",
    )
    assert service.purposes == ["customer service"]
    assert service.retention == "12 months after the ticket is closed"
    assert [(c.key, c.label, c.subjects, c.source.line) for c in service.categories] == [
        ("name", "navn", ["customers"], 39),
        ("email_address", "e-post", ["customers"], 40),
        ("call_recordings", "Samtaleopptak", ["callers"], 41),
    ]
    (twilio,) = service.subprocessors
    assert (twilio.name, twilio.categories) == ("Twilio", ["call_recordings"])
    assert [(p.code, p.safeguards) for p in twilio.locations] == [("US", ["scc", "dpf"])]
    assert [(p.code, p.exhaustive) for p in service.locations] == [("NO", True), ("US", False)]


def _facts(doc: ParsedDocument) -> object:
    """Return what a document says, without file names and lines."""
    dumped = doc.model_dump(exclude={"path", "sha256", "format"})
    text = json.dumps(dumped, sort_keys=True, default=str)
    return json.loads(text.replace(str(doc.path), "FILE"), object_hook=_no_line)


def _no_line(item: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in item.items() if key != "line"}


def test_json_says_the_same_as_yaml(tmp_path: Path) -> None:
    import yaml

    as_json = _write(
        tmp_path,
        json.dumps(yaml.safe_load(EXAMPLE.read_text("utf-8")), default=str),
        "acme-datamap.json",
    )
    yaml_path = _write(tmp_path, EXAMPLE.read_text("utf-8"), "acme-datamap.yaml")
    assert _facts(parse_document(as_json)) == _facts(parse_document(yaml_path))


def test_yaml_scalars_keep_their_text(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "organisations:\n  - name: 1881\n    country: NO\n"
        "services:\n  - name: Yes\n    provider: 1881\n    countries:\n"
        "      - {country: NO, exhaustive: no}\n",
    )
    doc = parse_document(path)
    assert [(o.name, o.country) for o in doc.organisations] == [("1881", "NO")]
    assert [(s.name, s.provider) for s in doc.services] == [("Yes", "1881")]
    assert [(p.code, p.exhaustive) for p in doc.services[0].locations] == [("NO", False)]


def test_unknown_category_is_kept_as_unmapped(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "services:\n  - name: A\n    provider: B\n    categories: [shoe size]\n"
    )
    doc = parse_document(path)
    assert [(c.key, c.mapped) for c in doc.services[0].categories] == [
        ("unmapped:shoe-size", False)
    ]
    assert [(u.kind, u.text, u.source.line) for u in doc.unmapped] == [("category", "shoe size", 4)]


NARNIA = """\
organisations:
  - name: Zendesk
services:
  - name: A
    provider: Zendesk
  - name: B
    provider: Zendesk
  - name: C
    provider: Zendesk
    countries:
    - Norway
    - Narnia
"""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (NARNIA, "12:7: services[2].countries[1]: 'Narnia' is not a known country"),
        (
            "services:\n  - name: A\n    provider: B\n    colour: red\n",
            "4:5: services[0].colour: unknown field",
        ),
        (
            "services:\n  - name: A\n    provider: B\n    countires: [Norway]\n",
            "4:5: services[0].countires: unknown field; did you mean 'countries'?",
        ),
        ("services:\n  - name: A\n", "2:5: services[0].provider: this required field is missing"),
        (
            "services:\n  - name: A\n    provider: B\n    role: boss\n",
            "4:11: services[0].role: 'boss' is not a known role (controller, "
            "independent_controller, joint_controller, processor, reseller_processor, "
            "sub_processor)",
        ),
        (
            "services:\n  - name: A\n    provider: B\n    categories:\n"
            "      - {category: navn, subjects: [aliens]}\n",
            "5:37: services[0].categories[0].subjects[0]: 'aliens' is not a known data subject",
        ),
        (
            "organisations:\n  - name: A\n    country: EEA\n",
            "3:14: organisations[0].country: 'EEA' is a region; an organisation's country must be "
            "a country",
        ),
        (
            "services:\n  - name: A\n    provider: B\n    countries: [{country: US, "
            "safeguards: [pinky promise]}]\n",
            "4:44: services[0].countries[0].safeguards[0]: 'pinky promise' is not a known "
            "safeguard (scc, adequacy, bcr, dpf, privacy_shield)",
        ),
        (
            "organisations:\n  - name: AWS\n  - name: Amazon\n    aliases: [aws]\n",
            "4:15: organisations[1].aliases[0]: 'aws' is already named in organisations[0].name",
        ),
        (
            "services:\n  - name: A\n    provider: B\n    categories: [navn]\n    subprocessors:\n"
            "      - name: C\n        categories: [telefonnummer]\n",
            "7:22: services[0].subprocessors[0].categories[0]: 'telefonnummer' is not among the "
            "service's categories",
        ),
        (
            "services:\n  - {name: A, provider: B}\n  - {name: a, provider: b}\n",
            "3:12: services[1].name: 'a' by 'b' is already services[0]",
        ),
        (
            "services: []\n",
            "1:1: the data map names no controller, no organisations and no services",
        ),
        ("- a\n- b\n", "1:1: a data map is a mapping with organisations and services"),
        (
            "services:\n  - name: A\n  name: B\n",
            "3:3: not valid YAML: expected <block end>, but found '?'",
        ),
        ("services: &a [*a]\n", "1:11: a YAML alias refers to the value that contains it"),
        ("services:\n  - name: A\n    name: B\n", "3:5: duplicate key 'name'"),
        (
            "version: 2\nservices: [{name: A, provider: B}]\n",
            "1:10: version: input should be less than or equal to 1 (got '2')",
        ),
    ],
)
def test_errors_name_line_column_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    assert _error(path) == f"{path}:{message}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"services": [\n  {"name": "A", "provider": "B", "countries": ["Narnia"]}\n]}',
            "2:48: services[0].countries[0]: 'Narnia' is not a known country",
        ),
        (
            '{"services": [\n  {"name": "A",, }]}',
            "2:16: not valid JSON: expected a key in double quotes",
        ),
        ('{"services": [], "services": []}', "1:18: not valid JSON: duplicate key 'services'"),
        (
            '{"services": [{"name": 3, "provider": "B"}]}',
            "1:24: services[0].name: input should be a valid string (got 3)",
        ),
        ('{"services": [] } x', "1:19: not valid JSON: extra data after the document"),
    ],
)
def test_json_errors_name_line_column_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text, "map.json")
    assert _error(path) == f"{path}:{message}"


def test_breach_follows_a_three_level_chain(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [EXAMPLE])
    (service,) = breach(store, "Equinix").services
    assert [(link.name, link.role, [p.code for p in link.places]) for link in service.chain] == [
        ("Customer", "controller", []),
        ("Zendesk, Inc.", "processor", ["NO", "US"]),
        ("Amazon Web Services", "sub_processor", ["IE", "US"]),
        ("Equinix", "sub_processor", ["IE"]),
    ]
    assert service.assumption is True
    twilio_breach = breach(store, "Twilio")
    (twilio,) = twilio_breach.services
    assert (twilio.exposed, twilio.assumption) == (["call_recordings"], False)
    # only callers' data reaches Twilio: they are the data subjects told, not the customers
    assert twilio.data_subjects == ["Callers"]
    assert twilio_breach.notifications[-1].recipient == "Data subjects: Callers"
    assert [s.service.name for s in touches(store, "call recordings").services] == [
        "Customer support"
    ]


def test_schema_command_prints_the_json_schema(runner: CliRunner) -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema == datamap_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert set(schema["properties"]) == {
        "$schema",
        "version",
        "title",
        "owner",
        "date",
        "controller",
        "organisations",
        "services",
    }
    country = schema["$defs"]["CountryEntry"]["anyOf"]
    assert country[0]["type"] == "string"
    assert set(country[1]["properties"]) == {"country", "exhaustive", "safeguards", "note"}
    assert schema["$defs"]["MapService"]["additionalProperties"] is False


def test_cli_bad_map_is_one_line_and_leaves_the_map_unchanged(
    tmp_path: Path, runner: CliRunner
) -> None:
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(EXAMPLE)]).exit_code == 0
    before = map_path.read_bytes()
    bad = _write(tmp_path, NARNIA)
    result = runner.invoke(app, ["load", "--map", str(map_path), str(EXAMPLE), str(bad)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"dataflyt: error: {bad}:12:7: services[2].countries[1]: 'Narnia' is not a known country\n"
    )
    assert map_path.read_bytes() == before


def test_transfers_name_who_processes_and_honour_dpf_certification(tmp_path: Path) -> None:
    from dataflyt.examples import example_paths
    from dataflyt.graph.embedded_store import EmbeddedStore
    from dataflyt.ingest.load import load_files
    from dataflyt.queries.transfers import transfers

    folder = example_paths()[0].parent
    store = EmbeddedStore(tmp_path / "map.json")
    load_files(store, [folder / "acme-datamap.yaml"])
    flows = {
        (f.holder.name, f.processor.name if f.processor else None): f
        for f in transfers(store).transfers
    }
    assert set(flows) == {
        ("Customer support", "Zendesk, Inc."),
        ("Customer support", "Twilio"),
        ("Zendesk, Inc.", "Amazon Web Services"),
    }

    def status(holder: str, processor: str) -> str:
        found = flows[holder, processor].standing
        assert found is not None
        return found.status.value

    # Zendesk is certified under the Data Privacy Framework; Twilio's transfer rests on it
    assert status("Customer support", "Zendesk, Inc.") == "adequacy"
    assert status("Customer support", "Twilio") == "adequacy"
    assert status("Zendesk, Inc.", "Amazon Web Services") == "adequacy_if_condition_met"
    assert flows["Zendesk, Inc.", "Amazon Web Services"].safeguards == ["scc"]


def test_safeguards_are_named_in_words_on_the_terminal_and_in_the_report(
    tmp_path: Path, runner: CliRunner
) -> None:
    map_path = tmp_path / "map.json"
    assert runner.invoke(app, ["load", "--map", str(map_path), str(EXAMPLE)]).exit_code == 0
    shown = subprocess.run(
        [DATAFLYT, "transfers", "--map", str(map_path)],
        env={**os.environ, "COLUMNS": "400"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert "stated safeguards: Standard Contractual Clauses, EU-US Data Privacy Framework" in (
        shown.stdout
    )
    report = tmp_path / "report.md"
    args = ["report", "--map", str(map_path), "--service", "Customer support", "-o", str(report)]
    assert runner.invoke(app, [*args, "--format", "md"]).exit_code == 0
    text = report.read_text("utf-8")
    assert (
        "| Twilio | Sub-processor of Customer support | telephony | Call recordings | United States"
        " (Third country with an adequacy decision (Art. 45); stated safeguards: Standard "
        "Contractual Clauses, EU-US Data Privacy Framework) |"
    ) in text
    assert "scc" not in text
