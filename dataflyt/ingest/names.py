"""Which organisation node a name in a document stands for.

Documents spell one company many ways ("Zendesk", "Zendesk, Inc.", "ZENDESK INC"); distinct
legal entities of one group ("GitHub, Inc." and "GitHub B.V.") must stay apart. The rules, in
order:

1. A declared alias is read as the name it stands for: one a user confirmed (``dataflyt alias
   add``) before one a data map declares, before one a document gives in brackets ("Amazon Web
   Services (AWS)"), before one the reference data of vendor groups knows.
2. A name with a legal form is the legal entity of that name and form
   (``ids.organisation_id``): "Zendesk, Inc." and "ZENDESK INC" are one, "GitHub, Inc." and
   "GitHub B.V." two.
3. A name without one is a group the reference data knows by that name (its entities are
   ``PART_OF`` it); else the one legal entity of that name the map and the new documents hold;
   with several such entities it stands for all of them, as their group.
4. Otherwise it is an organisation of its own, by that name.

The resolver is built from every name the map and the new documents hold, so that the same
name in two documents is the same node, and ``moved`` tells which organisations already in the
map now stand for another (a bare name whose entity has just been loaded, an alias just
declared), so that their documents can be rebuilt onto it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import IntEnum

from dataflyt.ids import bare_name, legal_form, normalised, organisation_id
from dataflyt.reference.vendor_groups import VendorGroups

__all__ = ["Alias", "AliasSource", "NameResolver", "Resolution", "reference_names"]


class AliasSource(IntEnum):
    """Who declared an alias; a lower value wins over a higher one."""

    USER = 0
    DATA_MAP = 1
    DOCUMENT = 2
    REFERENCE = 3


@dataclass(frozen=True)
class Alias:
    """Another name for an organisation, and who says so."""

    alias: str
    name: str
    source: AliasSource


@dataclass(frozen=True)
class Resolution:
    """What a name stands for: the organisation's id and the name it is shown by; ``members``
    are the ids of the entities it groups (a group), ``via`` the alias read, if one was, and
    ``brands`` the names the reference data gives a group."""

    id: str
    name: str
    members: tuple[str, ...] = ()
    via: Alias | None = None
    brands: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReferenceNames:
    """What the reference data of vendor groups tells the resolver: group and brand names
    (normalised -> the group's name), legal entities (normalised name -> their group's name)
    and the entities' other names, as aliases."""

    groups: dict[str, str]
    members: dict[str, str]
    aliases: list[Alias]
    brands: dict[str, tuple[str, ...]]


def reference_names(groups: VendorGroups) -> ReferenceNames:
    """Return what ``groups`` (the built-in vendor groups, or those merged with a user's
    file) tell the resolver."""
    named: dict[str, str] = {}
    members: dict[str, str] = {}
    aliases: list[Alias] = []
    for group in groups:
        for name in (group.name, *group.aliases):
            named.setdefault(normalised(name), group.name)
    for group in groups:
        for entity in group.entities:
            for name in (entity.name, *entity.aliases):
                members.setdefault(normalised(name), group.name)
            aliases += [
                Alias(a, entity.name, AliasSource.REFERENCE)
                for a in entity.aliases
                if normalised(a) not in named
            ]
    brands = {group.name: group.aliases for group in groups}
    return ReferenceNames(named, members, aliases, brands)


@dataclass
class NameResolver:
    """Resolves organisation names by the rules of this module.

    ``names`` are the organisations' own names (and their spellings) the map and the new
    documents hold; ``aliases`` the declared aliases; ``groups`` the reference data's groups by
    their names and aliases (normalised -> the group's name) and ``members`` its entities
    (normalised entity name -> the group's name)."""

    names: Iterable[str]
    aliases: Iterable[Alias] = ()
    groups: Mapping[str, str] = field(default_factory=dict)
    members: Mapping[str, str] = field(default_factory=dict)
    brands: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._aliases: dict[str, Alias] = {}
        for alias in sorted(self.aliases, key=lambda a: (a.source, a.alias, a.name)):
            key = normalised(alias.alias)
            if key != normalised(alias.name):
                self._aliases.setdefault(key, alias)
        self._entities: dict[str, dict[str, str]] = {}
        self._bare: dict[str, str] = {}
        for name in sorted(set(self.names)):
            base = bare_name(name)
            if legal_form(name)[1] is not None:
                self._entities.setdefault(base, {}).setdefault(organisation_id(name), name)
            else:
                self._bare.setdefault(base, name)

    def resolve(self, name: str) -> Resolution:
        """Return what ``name`` stands for. The reference data's alias of a legal entity
        joins only that entity as the map or the new documents name it (the name stays as
        written otherwise, and belongs to the entity's group)."""
        alias = self._aliases.get(normalised(name))
        if alias is not None and alias.source is AliasSource.REFERENCE:
            known = self._entities.get(bare_name(alias.name), {})
            alias = alias if organisation_id(alias.name) in known else None
        found = self._own(alias.name if alias else name)
        return Resolution(found.id, found.name, found.members, alias)

    def _own(self, name: str) -> Resolution:
        """Return what ``name`` stands for by rules 2 to 4."""
        org = organisation_id(name)
        if legal_form(name)[1] is not None:
            return Resolution(org, name)
        entities = self._entities.get(bare_name(name), {})
        group = self.groups.get(normalised(name))
        if group is not None:
            members = {
                entity
                for base, found in self._entities.items()
                for entity, entity_name in found.items()
                if self.members.get(normalised(entity_name)) == group or base == bare_name(group)
            }
            # the document's own spelling, where it writes the group's name another way
            shown = name if normalised(name) == normalised(group) else group
            brands = self.brands.get(group, ())
            return Resolution(organisation_id(group), shown, tuple(sorted(members)), None, brands)
        if len(entities) == 1:
            ((entity, entity_name),) = entities.items()
            return Resolution(entity, entity_name)
        return Resolution(org, name, tuple(sorted(entities)) if entities else ())

    def group_of(self, name: str) -> Resolution | None:
        """Return the group the legal entity ``name`` belongs to: the reference data's, or the
        bare name it shares with other entities; None when it belongs to none."""
        group = self.members.get(normalised(name))
        if group is not None:
            return self._own(group)
        bare = self._bare.get(bare_name(name))
        if bare is None or len(self._entities.get(bare_name(name), {})) < 2:
            return None
        return self._own(bare)

    def moved(self, organisations: Iterable[tuple[str, str]]) -> dict[str, Resolution]:
        """Return, for each (id, name) of an organisation in the map whose name now resolves
        to another organisation, what it stands for now."""
        found = {}
        for org, name in organisations:
            now = self.resolve(name)
            if now.id != org and org not in now.members:
                found[org] = now
        return found
