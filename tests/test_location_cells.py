"""Place cells as published lists write them: hedges ("bl.a.", "e.g.", "m.fl.") around the
places, footnote markers after them, names with an article or in Swedish, a place in brackets
after a data-centre name. Each place is read, with its citation, and a hedge or a footnote
makes the places not exhaustive or adds the safeguard it states."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.loaders import parse_document
from dataflyt.loaders.models import ParsedDocument, Source
from dataflyt.loaders.places import parse_location_cell

DATA = Path(__file__).parent / "data"
# (code, exhaustive, safeguards, note)
Place = tuple[str, bool, list[str], str | None]


def _places(doc: ParsedDocument, name: str) -> list[Place]:
    sub = next(s for s in doc.services[0].subprocessors if s.name == name)
    return [(p.code, p.exhaustive, p.safeguards, p.note) for p in sub.locations]


def _lines(doc: ParsedDocument, name: str) -> set[tuple[int | None, str]]:
    sub = next(s for s in doc.services[0].subprocessors if s.name == name)
    return {(p.source.line, p.source.text) for p in sub.locations}


@pytest.mark.parametrize(
    ("cell", "codes", "exhaustive"),
    [
        ("Bl.a. Belgien og Finland", ["BE", "FI"], False),
        ("EU/EES, bl.a. Irland", ["EEA", "IE"], False),
        ("EU/EØS, fx Irland", ["EEA", "IE"], False),
        ("e.g. Germany, France", ["DE", "FR"], False),
        ("including Ireland", ["IE"], False),
        ("Storbritannien, USA m.fl.", ["GB", "US"], False),
        ("Sverige, Finland m.fl.", ["SE", "FI"], False),
        ("Ireland, USA etc.", ["IE", "US"], False),
        ("United States, EU, and others", ["US", "EEA"], False),
        ("Ireland and the Netherlands", ["IE", "NL"], True),
        ("the United States", ["US"], True),
        ("the UK", ["GB"], True),
        ("Förenta staterna", ["US"], True),
        ("Turkey", ["TR"], True),
        ("UAE", ["AE"], True),
        ("Republic of Ireland", ["IE"], True),
        ("USA*", ["US"], True),
        ("Ireland¹", ["IE"], True),
        ("United States†", ["US"], True),
        ("Germany**, Ireland [2]", ["DE", "IE"], True),
        ("AWS eu-west-1 (Ireland)", ["IE"], True),
        ("Frankfurt data centre (Germany)", ["DE"], True),
    ],
)
def test_every_place_of_a_cell_is_read(cell: str, codes: list[str], exhaustive: bool) -> None:
    found, unknown = parse_location_cell(cell, Source(file="x"))
    assert [p.code for p in found] == codes
    assert {p.exhaustive for p in found} == {exhaustive}
    assert unknown == []


def test_a_place_in_brackets_keeps_the_words_before_it_as_its_note() -> None:
    found, _ = parse_location_cell("AWS eu-west-1 (Ireland)", Source(file="x"))
    assert [(p.code, p.note) for p in found] == [("IE", "AWS eu-west-1")]


def test_a_remark_in_brackets_notes_the_place_before_it() -> None:
    found, _ = parse_location_cell("Irland (Dublin) og USA (Virginia)", Source(file="x"))
    assert [(p.code, p.note) for p in found] == [("IE", "Dublin"), ("US", "Virginia")]


def test_a_footnote_states_the_safeguard_and_the_note_of_its_place() -> None:
    footnotes = {"*": "Overførsel til USA sker på grundlag af EU's standardkontraktbestemmelser."}
    found, unknown = parse_location_cell("Irland, USA*", Source(file="x"), footnotes)
    assert [(p.code, p.safeguards, p.note) for p in found] == [
        ("IE", [], None),
        ("US", ["scc"], footnotes["*"]),
    ]
    assert unknown == []


def test_english_markdown_list_with_footnotes() -> None:
    doc = parse_document(DATA / "vendora-subprocessors.md")
    assert doc.provider == "Vendora"
    assert _places(doc, "Amazon Web Services EMEA SARL") == [
        ("IE", True, [], None),
        ("NL", True, [], None),
    ]
    assert _places(doc, "Google LLC") == [("US", True, [], None)]
    assert _places(doc, "Twilio Ireland Limited") == [
        ("IE", False, [], "Twilio may also process data in the United States for message routing.")
    ]
    assert _places(doc, "Zendesk, Inc.") == [
        ("US", True, ["scc"], "Transfers are based on the EU Standard Contractual Clauses.")
    ]
    assert _places(doc, "Iyzico Ödeme Hizmetleri A.Ş") == [("TR", True, [], None)]
    assert _places(doc, "MongoDB, Inc.") == [("IE", True, [], "AWS eu-west-1")]
    assert _places(doc, "Datadog, Inc.") == [("DE", False, [], None), ("FR", False, [], None)]
    assert _places(doc, "Cloudflare, Inc.") == [("US", False, [], None), ("EEA", False, [], None)]
    assert _lines(doc, "Twilio Ireland Limited") == {(11, "Ireland¹")}
    assert doc.unmapped == []


def test_danish_csv_with_hedges_and_a_footnote() -> None:
    doc = parse_document(DATA / "dansk-underdatabehandlere.csv", "Dansk Løn")
    footnote = (
        "Overførsel til USA sker på grundlag af EU-Kommissionens standardkontraktbestemmelser."
    )
    assert _places(doc, "Twilio Inc.") == [("US", True, ["scc"], footnote)]
    assert _places(doc, "Google Cloud EMEA Limited") == [
        ("BE", False, [], None),
        ("FI", False, [], None),
    ]
    # the safeguard column's SCCs go to every place outside the EEA, the US among them
    assert _places(doc, "Zendesk Inc.") == [
        ("GB", False, ["scc"], None),
        ("US", False, ["scc"], None),
    ]
    assert _places(doc, "Intercom R&D Unlimited Company") == [
        ("EEA", False, [], None),
        ("IE", False, [], None),
    ]
    assert _lines(doc, "Zendesk Inc.") == {(7, "Storbritannien, USA m.fl.")}
    assert doc.unmapped == []


def test_swedish_csv_with_hedges() -> None:
    doc = parse_document(DATA / "exempel-underbitraden-hedged.csv", "Exempel Bokföring AB")
    assert _places(doc, "Google Ireland Ltd") == [("EEA", False, [], None), ("IE", False, [], None)]
    assert _places(doc, "Telia Sverige AB") == [("SE", False, [], None), ("FI", False, [], None)]
    assert _places(doc, "Sendgrid Inc.") == [("US", True, [], None)]
    assert doc.unmapped == []
