"""The registry of watched sources: URLs checked and written one way, add/list/remove, a file
beside the map written whole, and a corrupt file named in one line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dataflyt.config import Backend, store_settings
from dataflyt.errors import RegistryError, SourceURLError, UnknownNameError
from dataflyt.sources.registry import add_source, list_sources, remove_source, watched_url
from dataflyt.sources.registry_file import JsonFileRegistry, source_places

NOW = dt.datetime(2025, 3, 4, 10, 15, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        (
            "https://Vendor.EXAMPLE/legal/subprocessors",
            "https://vendor.example/legal/subprocessors",
        ),
        ("HTTP://vendor.example", "http://vendor.example/"),
        ("https://vendor.example/list?lang=en#table", "https://vendor.example/list?lang=en"),
        ("http://127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_a_url_is_kept_one_way(typed: str, kept: str) -> None:
    assert watched_url(typed) == kept


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("vendor.example/subprocessors", "did you mean https://vendor.example/subprocessors?"),
        ("ftp://vendor.example/list.csv", "only http and https pages can be watched"),
        ("file:///etc/passwd", "only http and https pages can be watched"),
        ("https://user:secret@vendor.example/", "a URL with a user name or password"),
        ("https:///no-host", "no host"),
        ("https://vendor.example/a b", "spaces or control characters"),
        ("https://vendor.example/\x1b[31m", "spaces or control characters"),
        ("https://vendor.example:99999/", "Port out of range"),
        ("", "empty"),
    ],
)
def test_a_url_that_cannot_be_watched_is_refused(typed: str, says: str) -> None:
    with pytest.raises(SourceURLError, match=says.replace("?", r"\?")) as caught:
        watched_url(typed)
    assert "secret" not in str(caught.value)


def test_add_list_remove_round_trip(tmp_path: Path) -> None:
    registry = JsonFileRegistry(tmp_path / "map.sources.json")
    first, new = add_source(registry, "https://b.example/list", "Bravo", now=NOW)
    assert new and first.notice_days == 30 and first.status.version is None
    add_source(
        registry, "https://a.example/x", "Alfa", service="Alfa Chat", notice_days=14, now=NOW
    )
    listing = list_sources(registry)
    assert listing.registry == str(tmp_path / "map.sources.json")
    assert [(s.url, s.provider, s.service, s.notice_days) for s in listing.sources] == [
        ("https://a.example/x", "Alfa", "Alfa Chat", 14),
        ("https://b.example/list", "Bravo", None, 30),
    ]
    removed = remove_source(registry, "HTTPS://B.example/list")
    assert removed.provider == "Bravo"
    assert [s.url for s in registry.sources()] == ["https://a.example/x"]


def test_adding_a_watched_url_again_updates_it_and_keeps_its_history(tmp_path: Path) -> None:
    registry = JsonFileRegistry(tmp_path / "r.json")
    source, _ = add_source(registry, "https://a.example/x", "Alfa", now=NOW)
    registry.put(
        source.model_copy(update={"status": source.status.model_copy(update={"version": "ab"})})
    )
    later = NOW + dt.timedelta(days=3)
    updated, new = add_source(registry, "https://a.example/x", "Alfa AS", notice_days=60, now=later)
    assert not new
    assert (updated.provider, updated.notice_days, updated.added, updated.status.version) == (
        "Alfa AS",
        60,
        NOW,
        "ab",
    )
    assert len(registry.sources()) == 1


def test_removing_an_unwatched_url_suggests_the_closest(tmp_path: Path) -> None:
    registry = JsonFileRegistry(tmp_path / "r.json")
    add_source(registry, "https://vendor.example/subprocessors", "Vendor", now=NOW)
    with pytest.raises(UnknownNameError) as caught:
        remove_source(registry, "https://vendor.example/subprocessor")
    assert caught.value.candidates == ["https://vendor.example/subprocessors"]
    assert len(registry.sources()) == 1


@pytest.mark.parametrize(
    ("provider", "days", "says"),
    [(" ", 30, "the provider needs a name"), ("Alfa", 366, "0 to 365 days, not 366")],
)
def test_a_bad_provider_or_notice_period_is_refused(
    tmp_path: Path, provider: str, days: int, says: str
) -> None:
    registry = JsonFileRegistry(tmp_path / "r.json")
    with pytest.raises(ValueError, match=says):
        add_source(registry, "https://a.example/", provider, notice_days=days, now=NOW)
    assert not (tmp_path / "r.json").exists()


def test_the_file_is_readable_json_sorted_by_url(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    registry = JsonFileRegistry(path)
    add_source(registry, "https://z.example/", "Zulu", now=NOW)
    add_source(registry, "https://a.example/", "Ålesund Data", now=NOW)
    text = path.read_text("utf-8")
    assert text.startswith('{\n  "format": "dataflyt-sources",\n  "version": 1,\n')
    assert "Ålesund Data" in text  # as written, not escaped
    assert text.index("https://a.example/") < text.index("https://z.example/")
    assert '"added": "2025-03-04T10:15:00Z"' in text


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"format": "dataflyt-sources", "version": 1, "sources": [', "Invalid JSON"),
        (b'{"format": "dataflyt-sources", "version": 1, "sources": [{"url": 3}]}', "sources.0"),
        (b'{"format": "dataflyt-map", "version": 1, "sources": []}', "format 'dataflyt-map'"),
        (b"\xff\xfe", "Invalid JSON"),
    ],
)
def test_a_corrupt_registry_is_one_line_naming_the_file(
    tmp_path: Path, content: bytes, says: str
) -> None:
    path = tmp_path / "map.sources.json"
    path.write_bytes(content)
    with pytest.raises(RegistryError) as caught:
        JsonFileRegistry(path).sources()
    message = str(caught.value)
    assert message.startswith(f"{path}: not a registry of sources")
    assert says in message and "\n" not in message
    with pytest.raises(RegistryError):  # and nothing is written over it
        add_source(JsonFileRegistry(path), "https://a.example/", "Alfa", now=NOW)
    assert path.read_bytes() == content


def test_the_registry_and_evidence_live_beside_the_map(tmp_path: Path) -> None:
    places = source_places(store_settings(Backend.EMBEDDED, tmp_path / "acme-map.json"))
    assert places.registry == tmp_path / "acme-map.sources.json"
    assert places.evidence == tmp_path / "acme-map.evidence"


def test_with_neo4j_they_live_in_the_current_folder(tmp_path: Path) -> None:
    places = source_places(store_settings(Backend.NEO4J, None, cwd=tmp_path))
    assert (places.registry, places.evidence) == (
        Path("dataflyt-neo4j.sources.json"),
        Path("dataflyt-neo4j.evidence"),
    )
