"""Well-known vendor groups (``vendor_groups.json``): each group's name, the brand names that
stand for the whole group, and its distinct legal entities with their country and the names
that stand for that entity alone.

Entities of one group stay distinct: "GitHub, Inc." and "GitHub B.V." are two entities of the
group "GitHub". Names are looked up folded, with dots and commas ignored ("GitHub BV" is
"GitHub B.V."); an entity is also found by its name without the legal form ("Zendesk
International" is "Zendesk International Ltd."), as long as only one entity fits.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from dataflyt.reference.jurisdictions import country_name
from dataflyt.reference.legal_forms import without_legal_form
from dataflyt.reference.vocabulary import fold

__all__ = [
    "GroupEntry",
    "LegalEntity",
    "VendorGroup",
    "VendorGroups",
    "VendorGroupsFile",
    "name_key",
    "vendor_groups",
]


def name_key(text: str) -> str:
    """Return the form names are compared in: folded, without dots, commas, trademark signs
    ("GitHub B.V." and "GitHub BV" are one name)."""
    return " ".join(re.sub(r"[.®™©]", "", fold(text)).replace(",", " ").split())


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityEntry(_Strict):
    """A legal entity as the file writes it."""

    name: str = Field(min_length=1)
    country: str = Field(description="ISO 3166-1 alpha-2 code of where it is established")
    aliases: list[str] = Field(default_factory=list)

    @field_validator("country")
    @classmethod
    def _known_country(cls, code: str) -> str:
        if len(code) != 2 or country_name(code.upper()) == code.upper():
            raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
        return code.upper()


class GroupEntry(_Strict):
    """A vendor group as the file writes it."""

    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)
    entities: list[EntityEntry] = Field(min_length=1)


class VendorGroupsFile(_Strict):
    """The shape of ``vendor_groups.json`` and of a user's file extending it."""

    version: str | None = None
    about: str | None = None
    groups: list[GroupEntry]


@dataclass(frozen=True)
class LegalEntity:
    """One legal entity of a group: its name, country of establishment and other names."""

    name: str
    country: str
    aliases: tuple[str, ...]
    group: str


@dataclass(frozen=True)
class VendorGroup:
    """A vendor group: its name, brand names standing for the whole group, its entities."""

    name: str
    aliases: tuple[str, ...]
    entities: tuple[LegalEntity, ...]


class VendorGroups:
    """The groups, indexed by every name they and their entities go by."""

    def __init__(self, groups: Iterable[VendorGroup]) -> None:
        self._groups = {name_key(g.name): g for g in groups}
        self._group_names: dict[str, VendorGroup] = {}
        self._entity_names: dict[str, LegalEntity] = {}
        self._entity_stems: dict[str, set[LegalEntity]] = {}
        for group in self._groups.values():
            for name in (group.name, *group.aliases):
                self._group_names.setdefault(name_key(name), group)
            for entity in group.entities:
                for name in (entity.name, *entity.aliases):
                    self._entity_names.setdefault(name_key(name), entity)
                    stem = name_key(without_legal_form(name))
                    self._entity_stems.setdefault(stem, set()).add(entity)

    def __iter__(self) -> Iterator[VendorGroup]:
        return iter(sorted(self._groups.values(), key=lambda g: name_key(g.name)))

    def __len__(self) -> int:
        return len(self._groups)

    def group_named(self, text: str) -> VendorGroup | None:
        """Return the group ``text`` names by its name or a brand alias, or None."""
        return self._group_names.get(name_key(text))

    def entity_named(self, text: str) -> LegalEntity | None:
        """Return the one legal entity ``text`` names (by name or alias, else by the name
        without its legal form when a single entity fits), or None."""
        exact = self._entity_names.get(name_key(text))
        if exact is not None:
            return exact
        fits = self._entity_stems.get(name_key(without_legal_form(text)), set())
        return next(iter(fits)) if len(fits) == 1 else None

    def group_of(self, entity: LegalEntity) -> VendorGroup:
        """Return the group ``entity`` belongs to."""
        return self._groups[name_key(entity.group)]

    def merged_with(self, extra: Iterable[VendorGroup]) -> VendorGroups:
        """Return these groups with ``extra`` added; a group of the same name is replaced."""
        replaced = {name_key(g.name): g for g in extra}
        kept = [g for key, g in self._groups.items() if key not in replaced]
        return VendorGroups([*kept, *replaced.values()])


def groups_from(entries: list[GroupEntry]) -> list[VendorGroup]:
    """Return the groups of validated file entries."""
    return [
        VendorGroup(
            name=entry.name,
            aliases=tuple(entry.aliases),
            entities=tuple(
                LegalEntity(e.name, e.country, tuple(e.aliases), entry.name) for e in entry.entities
            ),
        )
        for entry in entries
    ]


def clashes(groups: VendorGroups, extra: list[VendorGroup]) -> list[tuple[int, str, str]]:
    """Return, for each group of ``extra`` (by index), a name it shares with another group in
    ``groups`` (which includes it): (index, the name, the other group's name)."""
    found = []
    for index, group in enumerate(extra):
        for name in (group.name, *group.aliases):
            owner = groups.group_named(name)
            if owner is not None and owner is not group:
                found.append((index, name, owner.name))
        for entity in group.entities:
            for name in (entity.name, *entity.aliases):
                other = groups.entity_named(name)
                if other is not None and other.group != group.name:
                    found.append((index, name, other.group))
    return found


def _builtin() -> dict[str, Any]:
    text = resources.files("dataflyt.reference").joinpath("vendor_groups.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


@cache
def vendor_groups() -> VendorGroups:
    """Return the vendor groups shipped in the package (read once per process)."""
    return VendorGroups(groups_from(VendorGroupsFile.model_validate(_builtin()).groups))
