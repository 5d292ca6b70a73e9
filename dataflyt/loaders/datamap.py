"""The data-map loader: the DPO's own inventory in YAML or JSON (schema in ``datamap_model``).

Step one reads the file into plain data with the position of every value (``positions``,
``json_positions``); step two validates it with the pydantic model and turns it into a
``ParsedDocument``. Every error names ``file:line:column`` and the field path, e.g.
``map.yaml:14:7: services[2].countries[0]: 'Narnia' is not a known country``.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from dataflyt.errors import LoadError
from dataflyt.ids import slug
from dataflyt.loaders.datamap_model import (
    CategoryEntry,
    CountryEntry,
    DataMap,
    MapController,
    MapOrganisation,
    MapService,
    SubProcessorEntry,
    term_key,
)
from dataflyt.loaders.json_positions import read_json
from dataflyt.loaders.models import (
    CategoryFact,
    DocumentFormat,
    LocationFact,
    OrganisationRecord,
    OrganisationRelation,
    ParsedDocument,
    ServiceRecord,
    Source,
    SubProcessorFact,
    UnmappedTerm,
)
from dataflyt.loaders.names import OrganisationName, read_name
from dataflyt.loaders.places import safeguard_key
from dataflyt.loaders.positions import Located, Path_, field_path, read_yaml
from dataflyt.loaders.text import SourceText
from dataflyt.reference.jurisdictions import resolve_place
from dataflyt.reference.vocabulary import fold

__all__ = ["parse_datamap", "read_datamap"]

# every field name of the format, to suggest the one meant by a misspelt key
_FIELDS = sorted(
    {
        field.alias or name
        for model in (
            DataMap,
            MapController,
            MapOrganisation,
            MapService,
            SubProcessorEntry,
            CountryEntry,
            CategoryEntry,
        )
        for name, field in model.model_fields.items()
    }
)


def _fail(
    source: SourceText, located: Located, path: Path_, message: str, key: bool = False
) -> LoadError:
    line, column = located.position(path, key=key)
    return LoadError(source.path, message, line=line, column=column, field=field_path(path) or None)


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind == "missing":
        return "this required field is missing"
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(error["loc"][-1]), _FIELDS, n=1, cutoff=0.75)
        return "unknown field" + (f"; did you mean {close[0]!r}?" if close else "")
    if kind == "model_type":
        return "expected a mapping" + (
            " or a text" if error["loc"] and isinstance(error["loc"][-1], int) else ""
        )
    shown = repr(error["input"])
    got = f" (got {shown})" if len(shown) <= 40 else ""
    return str(error["msg"])[0].lower() + str(error["msg"])[1:] + got


def read_datamap(source: SourceText) -> tuple[DataMap, Located]:
    """Return the validated data map of ``source`` and the positions of its values; raise
    ``LoadError`` with line, column and field path for the first problem in the file."""
    as_json = source.path.lower().endswith(".json") or source.text.lstrip().startswith("{")
    located = read_json(source) if as_json else read_yaml(source)
    if not isinstance(located.data, dict):
        raise _fail(source, located, (), "a data map is a mapping with organisations and services")
    try:
        model = DataMap.model_validate(located.data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = min(
            errors,
            key=lambda e: located.position(tuple(e["loc"]), key=e["type"] == "extra_forbidden"),
        )
        raise _fail(
            source,
            located,
            tuple(first["loc"]),
            _message(first),
            key=first["type"] == "extra_forbidden",
        ) from None
    _check(model, located, source)
    return model, located


def _check(model: DataMap, located: Located, source: SourceText) -> None:
    """Raise ``LoadError`` for a name written twice or a sub-processor receiving a category
    its service does not process."""
    names: dict[str, Path_] = {}
    for i, org in enumerate(model.organisations):
        spelled = [(org.name, ("organisations", i, "name"))] + [
            (alias, ("organisations", i, "aliases", j)) for j, alias in enumerate(org.aliases)
        ]
        for name, path in spelled:
            if fold(name) in names and names[fold(name)][1] != i:
                earlier = field_path(names[fold(name)])
                raise _fail(source, located, path, f"{name!r} is already named in {earlier}")
            names.setdefault(fold(name), path)
    services: dict[tuple[str, str], int] = {}
    for i, service in enumerate(model.services):
        key = (fold(service.provider), fold(service.name))
        if key in services:
            raise _fail(
                source,
                located,
                ("services", i, "name"),
                f"{service.name!r} by {service.provider!r} is already services[{services[key]}]",
            )
        services[key] = i
        processed = {_category_key(c.category) for c in service.categories}
        for j, sub in enumerate(service.subprocessors):
            for k, category in enumerate(sub.categories or []):
                if _category_key(category) not in processed:
                    raise _fail(
                        source,
                        located,
                        ("services", i, "subprocessors", j, "categories", k),
                        f"{category!r} is not among the service's categories",
                    )


def _organisation_name(written: str) -> OrganisationName:
    """Return an organisation's name as the name rules read it ("Amazon Web Services (AWS)"
    is "Amazon Web Services" also called "AWS"); a name with an address or a number in it is
    kept as written, since an organisation entry has no attributes to hold them."""
    named = read_name(written)
    return named if not named.attributes else OrganisationName(written)


def _category_key(text: str) -> str:
    return term_key("categories", text) or "unmapped:" + slug(text)


def parse_datamap(source: SourceText, provider: str | None = None) -> ParsedDocument:
    """Return what a data-map file says; raise ``LoadError`` naming line, column and field."""
    model, located = read_datamap(source)
    title = model.title or Path(source.path).stem
    facts = _Facts(source.path, located)
    organisations: list[OrganisationRecord] = []
    relations: list[OrganisationRelation] = []
    for i, org in enumerate(model.organisations):
        at = ("organisations", i)
        place = resolve_place(org.country) if org.country else None
        named = _organisation_name(org.name)
        organisations.append(
            OrganisationRecord(
                name=named.name,
                aliases=list(dict.fromkeys([*named.aliases, *org.aliases])),
                country=place.code if place else None,
                dpf_certified=org.dpf_certified,
                source=facts.source(at, org.name),
            )
        )
        relations.extend(
            OrganisationRelation(
                organisation=named.name,
                subprocessor=facts.subprocessor(sub, (*at, "subprocessors", j)),
            )
            for j, sub in enumerate(org.subprocessors)
        )
    organisations = _with_controller(organisations, model, facts)
    services = [facts.service(s, ("services", i)) for i, s in enumerate(model.services)]
    return ParsedDocument(
        path=source.path,
        title=title,
        provider=model.owner
        or (model.controller.name if model.controller else None)
        or provider
        or title,
        format=DocumentFormat.DATAMAP,
        date=model.date,
        sha256=source.sha256,
        services=services,
        organisations=organisations,
        relations=relations,
        unmapped=facts.unmapped,
    )


def _with_controller(
    organisations: list[OrganisationRecord], model: DataMap, facts: _Facts
) -> list[OrganisationRecord]:
    """Return ``organisations`` with the one the ``controller`` block names (by its name or an
    alias) marked as the controller, with its contacts; or with the controller added first
    when no organisation entry names it."""
    controller = model.controller
    if controller is None:
        return organisations
    marks = {
        "controller": True,
        "contact": controller.contact,
        "dpo_contact": controller.dpo_contact,
    }
    for i, org in enumerate(model.organisations):
        if fold(controller.name) in {fold(name) for name in [org.name, *org.aliases]}:
            marked = organisations[i].model_copy(update=marks)
            return [*organisations[:i], marked, *organisations[i + 1 :]]
    source = facts.source(("controller", "name"), controller.name)
    own = OrganisationRecord(name=controller.name, source=source).model_copy(update=marks)
    return [own, *organisations]


class _Facts:
    """Turns validated entries into facts, each citing the line it was written on."""

    def __init__(self, file: str, located: Located) -> None:
        self.file = file
        self.located = located
        self.unmapped: list[UnmappedTerm] = []

    def source(self, path: Path_, text: str) -> Source:
        return Source(file=self.file, line=self.located.position(path)[0], text=text)

    def category(self, text: str, path: Path_) -> str:
        key = _category_key(text)
        if key.startswith("unmapped:"):
            self.unmapped.append(
                UnmappedTerm(kind="category", text=text, source=self.source(path, text))
            )
        return key

    def places(self, entries: list[CountryEntry], path: Path_) -> list[LocationFact]:
        found = []
        for i, entry in enumerate(entries):
            place = entry.place
            found.append(
                LocationFact(
                    code=place.code,
                    name=place.name,
                    is_region=place.is_region,
                    exhaustive=entry.exhaustive,
                    note=entry.note,
                    safeguards=list(
                        dict.fromkeys(filter(None, map(safeguard_key, entry.safeguards)))
                    ),
                    source=self.source((*path, i), entry.country),
                )
            )
        return found

    def subprocessor(self, entry: SubProcessorEntry, path: Path_) -> SubProcessorFact:
        categories = (
            None if entry.categories is None else [_category_key(c) for c in entry.categories]
        )
        named = read_name(entry.name)
        return SubProcessorFact(
            name=named.name,
            aliases=named.aliases,
            attributes=named.attributes,
            purpose=entry.purpose,
            categories=categories,
            locations=self.places(entry.countries, (*path, "countries")),
            source=self.source(path, entry.name),
        )

    def service(self, service: MapService, path: Path_) -> ServiceRecord:
        return ServiceRecord(
            name=service.name,
            provider=service.provider,
            role=term_key("roles", service.role) or "unknown",
            role_text=service.role,
            categories=[
                self.category_fact(c, service, (*path, "categories", i))
                for i, c in enumerate(service.categories)
            ],
            subprocessors=[
                self.subprocessor(s, (*path, "subprocessors", i))
                for i, s in enumerate(service.subprocessors)
            ],
            locations=self.places(service.countries, (*path, "countries")),
            purposes=service.purposes,
            recipients=service.recipients,
            legal_basis=service.legal_basis,
            retention=service.retention,
            security_measures=service.security_measures,
            source=self.source(path, service.name),
        )

    def category_fact(self, entry: CategoryEntry, service: MapService, path: Path_) -> CategoryFact:
        key = self.category(entry.category, path)
        subjects = entry.subjects or service.subjects
        return CategoryFact(
            key=key,
            label=entry.category,
            mapped=not key.startswith("unmapped:"),
            subjects=sorted({term_key("subjects", s) or s for s in subjects}),
            source=self.source(path, entry.category),
        )
