"""``DatedStores``: the explorer's map as of the date it serves and as of other dates pages ask
about, each opened once, a few kept, none closed while a request still reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.web.stores import KEPT_DATES, DatedStores

# the dates of the stores closed, in order
closed_dates: list[str | None] = []


class Counted(EmbeddedStore):
    """An embedded store that records being closed."""

    def close(self) -> None:
        closed_dates.append(self.as_of)


@pytest.fixture
def stores(tmp_path: Path) -> tuple[DatedStores, list[str]]:
    """Return the stores of an empty map, and the dates it opened the map for."""
    opened: list[str] = []
    closed_dates.clear()

    def opener(day: str) -> Counted:
        opened.append(day)
        return Counted(tmp_path / "map.json", as_of=day)

    return DatedStores(EmbeddedStore(tmp_path / "map.json"), opener), opened


def test_the_served_date_needs_no_opening(stores: tuple[DatedStores, list[str]]) -> None:
    dated, opened = stores
    with dated.reading(None) as store:
        assert store is dated.served
    assert opened == []


def test_each_date_is_opened_once(stores: tuple[DatedStores, list[str]]) -> None:
    dated, opened = stores
    for _ in range(3):
        with dated.reading("2024-01-01") as store:
            assert store.as_of == "2024-01-01"
    assert opened == ["2024-01-01"]


def test_beyond_the_dates_kept_the_least_used_is_closed(
    stores: tuple[DatedStores, list[str]],
) -> None:
    dated, _ = stores
    days = [f"2024-01-{day:02}" for day in range(1, KEPT_DATES + 2)]
    for day in days:
        with dated.reading(day):
            pass
    assert closed_dates == [days[0]]
    dated.close()
    assert sorted(closed_dates, key=str) == sorted(days, key=str)


def test_a_store_read_while_retired_is_closed_after_the_read(
    stores: tuple[DatedStores, list[str]],
) -> None:
    dated, _ = stores
    with dated.reading("2023-01-01") as first:
        for day in range(1, KEPT_DATES + 1):
            with dated.reading(f"2024-01-{day:02}"):
                pass
        assert closed_dates == []
        assert first.as_of == "2023-01-01"
    assert closed_dates == ["2023-01-01"]


def test_without_an_opener_another_date_is_refused(tmp_path: Path) -> None:
    dated = DatedStores(EmbeddedStore(tmp_path / "map.json"))
    assert not dated.dated
    with pytest.raises(ValueError), dated.reading("2024-01-01"):
        pass
