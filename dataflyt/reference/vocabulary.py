"""The controlled vocabulary (``vocabulary.json``): data categories, data subjects and roles.

Terms are matched the way people write them: case-insensitive, Norwegian or English, on word
boundaries, longest synonym first, so "e-post" inside "E-post- og Chat-henvendelser" does not
shadow the longer term.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

__all__ = [
    "Category",
    "Role",
    "Subject",
    "TermMatch",
    "Vocabulary",
    "fold",
    "vocabulary",
]


def fold(text: str) -> str:
    """Return ``text`` case-folded with runs of white space made one space.

    Characters whose case-folding would change the length (such as "ß") are kept, so offsets
    into ``fold(text)`` are offsets into ``" ".join(text.split())``.
    """
    single = " ".join(text.split())
    folded = single.casefold()
    if len(folded) == len(single):  # nearly always: no character folded to several
        return folded
    return "".join(ch if len(ch.casefold()) != 1 else ch.casefold() for ch in single)


@dataclass(frozen=True)
class Category:
    """A data category: a node in the category tree, with labels and mappings."""

    key: str
    parent: str | None
    en: str
    no: str
    synonyms: tuple[str, ...]
    fides: str
    dpv: str
    sensitivity: str
    open_ended: bool = False
    description: str | None = None


@dataclass(frozen=True)
class Subject:
    """A kind of data subject (employees, callers, ...)."""

    key: str
    en: str
    no: str
    synonyms: tuple[str, ...]
    dpv: str
    fides: str


@dataclass(frozen=True)
class Role:
    """A GDPR role an organisation plays for a service."""

    key: str
    en: str
    no: str
    gdpr: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class TermMatch:
    """A vocabulary term found in a text: its key and where it stands (folded offsets)."""

    key: str
    start: int
    end: int


@dataclass
class Vocabulary:
    """All vocabulary entries, indexed for lookup and matching."""

    version: str
    categories: dict[str, Category]
    subjects: dict[str, Subject]
    roles: dict[str, Role]
    _patterns: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    def children(self, key: str) -> list[str]:
        """Return the keys of the categories whose parent is ``key``, sorted."""
        return sorted(c.key for c in self.categories.values() if c.parent == key)

    def ancestors(self, key: str) -> list[str]:
        """Return the keys of the parents of category ``key``, nearest first."""
        found: list[str] = []
        parent = self.categories[key].parent if key in self.categories else None
        while parent is not None:
            found.append(parent)
            parent = self.categories[parent].parent
        return found

    def lookup(self, table: str, text: str) -> str | None:
        """Return the key in ``table`` (categories, subjects, roles) whose label or synonym is
        exactly ``text`` (folded), or None."""
        wanted = fold(text)
        return next((key for key, labels in self._labels(table).items() if wanted in labels), None)

    def with_word(self, table: str, word: str) -> list[str]:
        """Return the keys of ``table`` whose label (either language) or a synonym has the
        whole word ``word`` ("payment" is in "payment data"), sorted."""
        wanted = fold(word)
        pattern = re.compile(rf"(?<![\w-]){re.escape(wanted)}(?![\w])")
        return sorted(
            key
            for key, labels in self._labels(table).items()
            if any(pattern.search(label) for label in labels)
        )

    def _labels(self, table: str) -> dict[str, set[str]]:
        return {
            str(key): {fold(entry.en), fold(entry.no), fold(key.replace("_", " ")), *entry.synonyms}
            for key, entry in getattr(self, table).items()
        }

    def find(self, table: str, text: str) -> list[TermMatch]:
        """Return the non-overlapping terms of ``table`` found in ``fold(text)``, in order."""
        pattern = self._pattern(table)
        folded = fold(text)
        index = self._synonym_index(table)
        return [
            TermMatch(index[match.group(0)], match.start(), match.end())
            for match in pattern.finditer(folded)
        ]

    @cache  # noqa: B019 - one vocabulary per process, kept for its lifetime
    def _synonym_index(self, table: str) -> dict[str, str]:
        index: dict[str, str] = {}
        for key, entry in getattr(self, table).items():
            for synonym in (*entry.synonyms, fold(entry.en), fold(entry.no)):
                index.setdefault(synonym, key)
        return index

    def _pattern(self, table: str) -> re.Pattern[str]:
        if table not in self._patterns:
            synonyms = sorted(self._synonym_index(table), key=len, reverse=True)
            alternatives = "|".join(re.escape(s) for s in synonyms)
            self._patterns[table] = re.compile(rf"(?<![\w-])(?:{alternatives})(?![\w])")
        return self._patterns[table]

    def __hash__(self) -> int:
        return hash(self.version)


@cache
def vocabulary() -> Vocabulary:
    """Return the vocabulary shipped in the package (read once per process)."""
    raw = json.loads(
        resources.files("dataflyt.reference").joinpath("vocabulary.json").read_text("utf-8")
    )
    categories = {
        c["key"]: Category(
            key=c["key"],
            parent=c["parent"],
            en=c["en"],
            no=c["no"],
            synonyms=tuple(fold(s) for s in c["synonyms"]),
            fides=c["fides"],
            dpv=c["dpv"],
            sensitivity=c["sensitivity"],
            open_ended=c.get("open_ended", False),
            description=c.get("description"),
        )
        for c in raw["categories"]
    }
    subjects = {
        s["key"]: Subject(
            s["key"], s["en"], s["no"], tuple(fold(x) for x in s["synonyms"]), s["dpv"], s["fides"]
        )
        for s in raw["subjects"]
    }
    roles = {
        r["key"]: Role(r["key"], r["en"], r["no"], r["gdpr"], tuple(fold(x) for x in r["synonyms"]))
        for r in raw["roles"]
    }
    return Vocabulary(raw["version"], categories, subjects, roles)
