"""A place that is not pinned down to a country ("Europe", "Worldwide") leaves it unknown
whether data leaves the EEA, and the command and the explorer say why in the same words."""

from __future__ import annotations

from pathlib import Path

from starlette.testclient import TestClient
from typer.testing import CliRunner

from dataflyt.cli.main import app
from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.ingest.load import load_files
from dataflyt.queries.transfers import transfers
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.web.app import create_app
from tests.web_fixtures import text_of

# every service placed in Norway; its host says only "Europe", which reaches beyond the EEA
RECORD = """\
title: Acme record of processing
owner: Acme AS
date: 2025-01-01
services:
  - name: Acme CRM
    provider: Crm Vendor AS
    categories: [navn]
    countries: [Norge]
    subprocessors:
      - name: HostCo GmbH
        purpose: hosting
        countries: [Europe]
"""
WHY = (
    "Not known whether data leaves the EEA: no flow is stated to, but some places are not "
    "pinned down."
)


def test_europe_is_not_pinned_down_on_both_faces(tmp_path: Path, runner: CliRunner) -> None:
    record, map_path = tmp_path / "record.yaml", tmp_path / "map.json"
    record.write_text(RECORD, "utf-8")
    store = EmbeddedStore(map_path)
    load_files(store, [record])
    result = transfers(store)
    assert [(f.processor.name if f.processor else "", f.code) for f in result.transfers] == [
        ("HostCo GmbH", "EUROPE")
    ]
    assert result.transfers[0].standing is not None
    assert result.transfers[0].standing.status is TransferStatus.NOT_PINNED_DOWN
    assert (result.not_stated, result.leaves_eea) == ([], None)
    shown = runner.invoke(app, ["transfers", "--map", str(map_path)])
    assert shown.exit_code == 0
    assert shown.stdout.rstrip().endswith(WHY)
    page = text_of(TestClient(create_app(store)).get("/transfers").text)
    assert WHY in page
