"""Long answers in the explorer come a page at a time, and page after page they are the
command's answer in the command's order: on a synthetic map whose every provider's services
process email addresses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from dataflyt.graph.embedded_store import EmbeddedStore
from dataflyt.queries.touches import touches
from dataflyt.synth import write_synthetic_map
from dataflyt.web.app import create_app
from dataflyt.web.params import PAGE_SIZE
from tests.web_fixtures import text_of


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = Path(tmp_path_factory.mktemp("paging")) / "map.json"
    write_synthetic_map(path, 600, 1)
    return EmbeddedStore(path)


def _services_on(page: str) -> list[str]:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    return [text_of(row.split("</td>")[0]) for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_touches_pages_are_the_commands_answer_in_order(synthetic: EmbeddedStore) -> None:
    answer = touches(synthetic, "email address")
    assert answer.total > 2 * PAGE_SIZE  # three pages at least
    client = TestClient(create_app(synthetic))
    first = client.get("/touches?category=email+address").text
    second = client.get("/touches?category=email+address&page=2").text
    heading = f"{answer.total:,} services touch Email address"
    assert heading in text_of(first) and heading in text_of(second)
    names = [s.service.name for s in answer.services]
    assert _services_on(first) == names[:PAGE_SIZE]
    assert _services_on(second) == names[PAGE_SIZE : 2 * PAGE_SIZE]
    assert 'href="/touches?page=3&amp;category=Email+address" rel="next"' in second
    assert 'href="/touches?page=1&amp;category=Email+address" rel="prev"' in second
