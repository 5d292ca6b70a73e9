"""The JavaScript shipped with the explorer: every file the pages load is in the package with
its licence, at the version ``scripts/vendor-js`` pins and the vendor README lists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dataflyt.web.app import STATIC

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = (ROOT / "scripts" / "vendor-js").read_text("utf-8")
README = (STATIC / "vendor" / "README.md").read_text("utf-8")
TEMPLATES = STATIC.parent / "templates"


def pinned(variable: str) -> str:
    found = re.search(rf"^{variable}=(\S+)", SCRIPT, re.MULTILINE)
    assert found is not None, variable
    return found.group(1)


@pytest.mark.parametrize(
    ("variable", "package", "path", "version_in_file"),
    [
        ("HTMX", "htmx.org", "htmx/htmx.min.js", 'version:"{}"'),
        ("CYTOSCAPE", "cytoscape", "cytoscape/cytoscape.min.js", 'version="{}"'),
        ("CYTOSCAPE_DAGRE", "cytoscape-dagre", "cytoscape-dagre/cytoscape-dagre.min.js", None),
    ],
)
def test_each_library_is_vendored_at_its_pinned_version(
    variable: str, package: str, path: str, version_in_file: str | None
) -> None:
    version = pinned(variable)
    assert f"| {package} | {version} |" in README
    file = STATIC / "vendor" / path
    assert (file.parent / "LICENSE").stat().st_size > 500
    if version_in_file:
        assert version_in_file.format(version) in file.read_text("utf-8")


def test_pages_load_scripts_from_the_package_only() -> None:
    for template in TEMPLATES.glob("*.j2"):
        for source in re.findall(r'<script[^>]*src="([^"]+)"', template.read_text("utf-8")):
            assert (STATIC / source.removeprefix("/static/")).is_file(), (template.name, source)


def test_axe_is_for_the_tests_only() -> None:
    assert not list(STATIC.rglob("axe*"))
    assert (ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js").is_file()
    assert f"axe-core {pinned('AXE_CORE')} (MPL-2.0)" in README
