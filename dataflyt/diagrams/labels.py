"""Edge labels listing data categories: one line per category while the list is short, and
grouped under their top-level parent once it gets long, high-sensitivity categories always
named."""

from __future__ import annotations

from collections.abc import Iterable

from dataflyt.diagrams.model import Line
from dataflyt.queries.facts import CategoryUse
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["LONG_LIST", "category_lines"]

# more categories than this on one arrow are grouped under their top-level parent
LONG_LIST = 8


def _root(key: str) -> str:
    ancestors = vocabulary().ancestors(key)
    return ancestors[-1] if ancestors else key


def _name(key: str, uses: dict[str, CategoryUse]) -> str:
    entry = vocabulary().categories.get(key)
    return entry.en if entry else uses[key].name


def category_lines(uses: Iterable[CategoryUse]) -> tuple[Line, ...]:
    """Return the label lines for ``uses``, sorted by name: each category on its own line, or,
    past ``LONG_LIST``, one line per top-level parent such as "Contact details (3)", followed by
    the high-sensitivity members it holds."""
    by_key = {use.key: use for use in uses}
    if len(by_key) <= LONG_LIST:
        return tuple(
            Line(text=use.name, high=use.sensitivity == "high")
            for use in sorted(by_key.values(), key=lambda u: (u.name.casefold(), u.key))
        )
    groups: dict[str, list[CategoryUse]] = {}
    for use in by_key.values():
        groups.setdefault(_root(use.key), []).append(use)
    lines = []
    for root, members in groups.items():
        high = sorted(m.name for m in members if m.sensitivity == "high")
        if len(members) == 1:
            text = members[0].name
        else:
            text = f"{_name(root, by_key)} ({len(members)})"
            if high:
                text += ": " + ", ".join(high)
        lines.append(Line(text=text, high=bool(high)))
    return tuple(sorted(lines, key=lambda line: (line.text.casefold(), line.text)))
