"""The data-map file's schema: the DPO's own inventory of organisations, services and chains of
sub-processors, as pydantic models. ``dataflyt schema`` prints it as JSON Schema.

Vocabulary terms (data categories, data subjects, roles) may be written in English or
Norwegian, countries in any language pycountry knows or as ISO codes. Unknown subjects, roles,
countries and safeguards are errors; an unknown data category is kept as an unmapped category.
Entries that are often just a name (a country, a category, a sub-processor) may be written as
a text or as a mapping.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    StringConstraints,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from dataflyt.loaders.places import safeguard_key
from dataflyt.reference.jurisdictions import Place, resolve_place
from dataflyt.reference.safeguards import SAFEGUARDS
from dataflyt.reference.vocabulary import vocabulary
from dataflyt.safe_text import why_not_a_name

__all__ = [
    "CategoryEntry",
    "CountryEntry",
    "DataMap",
    "MapController",
    "MapOrganisation",
    "MapService",
    "SubProcessorEntry",
    "datamap_json_schema",
    "term_key",
]


def term_key(table: str, text: str) -> str | None:
    """Return the vocabulary key (categories, subjects, roles) ``text`` names, or None; a key
    itself ("call_recordings") is accepted too."""
    vocab = vocabulary()
    return text if text in getattr(vocab, table) else vocab.lookup(table, text)


def _subject(text: str) -> str:
    if term_key("subjects", text) is None:
        raise ValueError(f"{text!r} is not a known data subject")
    return text


def _role(text: str) -> str:
    if term_key("roles", text) is None:
        known = ", ".join(sorted(vocabulary().roles))
        raise ValueError(f"{text!r} is not a known role ({known})")
    return text


def _safeguard(text: str) -> str:
    if safeguard_key(text) is None:
        raise ValueError(f"{text!r} is not a known safeguard ({', '.join(SAFEGUARDS)})")
    return text


def _country(text: str) -> str:
    place = resolve_place(text)
    if place is None:
        raise ValueError(f"{text!r} is not a known country")
    if place.is_region:
        raise ValueError(f"{text!r} is a region; an organisation's country must be a country")
    return text


def _shown(text: str) -> str:
    if problem := why_not_a_name(text, "the value"):
        raise ValueError(problem)
    return text


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_shown)
]
Subject = Annotated[Text, AfterValidator(_subject)]
Role = Annotated[Text, AfterValidator(_role)]
Safeguard = Annotated[Text, AfterValidator(_safeguard)]
Country = Annotated[Text, AfterValidator(_country)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Shorthand(_Strict):
    """An entry that may be written as a plain text, standing for its main field."""

    shorthand: ClassVar[str]

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return {cls.shorthand: value} if isinstance(value, str) else value

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        full = handler.resolve_ref_schema(handler(schema))
        text = {"type": "string", "description": f"short for {{{cls.shorthand}: ...}}"}
        return {"anyOf": [text, dict(full)]}


class CountryEntry(_Shorthand):
    """A country or region where data is processed: "Norway", "US", "EEA", "Worldwide"."""

    shorthand = "country"
    country: Text = Field(
        description="country (name in English, Norwegian, ... or ISO code) "
        "or region (EEA, EU, Worldwide)"
    )
    exhaustive: bool = Field(
        default=True, description="false when data may also be processed in other places"
    )
    safeguards: list[Safeguard] = Field(
        default_factory=list, description="transfer safeguards: SCCs, adequacy, BCR, DPF"
    )
    note: str | None = None

    @property
    def place(self) -> Place:
        """Return the country or region this entry names."""
        place = resolve_place(self.country)
        if place is None:
            raise ValueError(f"{self.country!r} is not a known country")
        return place

    @model_validator(mode="after")
    def _known_place(self) -> CountryEntry:
        self.place  # noqa: B018 - raises for an unknown country
        return self


class CategoryEntry(_Shorthand):
    """A data category, and whose data it is (defaults to the service's subjects)."""

    shorthand = "category"
    category: Text = Field(description="vocabulary term in English or Norwegian, or own wording")
    subjects: list[Subject] = Field(default_factory=list)


class SubProcessorEntry(_Shorthand):
    """An organisation engaged as sub-processor, for a service or for all of an organisation's
    processing."""

    shorthand = "name"
    name: Text
    purpose: str | None = None
    categories: list[Text] | None = Field(
        default=None, description="the data categories it receives; leave out when unknown"
    )
    countries: list[CountryEntry] = Field(default_factory=list)


class MapController(_Strict):
    """Your own organisation: the controller of the processing the data map lists, named once
    with how to reach it and its data protection officer (GDPR Art. 30(1)(a))."""

    name: Text = Field(description="your organisation's name, as the record of processing gives it")
    contact: Text | None = Field(
        default=None, description="how to reach it: address, e-mail or telephone"
    )
    dpo_contact: Text | None = Field(
        default=None, description="how to reach its data protection officer"
    )


class MapOrganisation(_Strict):
    """An organisation: the names it goes by, its country, and its own sub-processors."""

    name: Text
    aliases: list[Text] = Field(
        default_factory=list,
        description="other spellings; every document's use of them means this organisation",
    )
    country: Country | None = None
    dpf_certified: bool | None = Field(
        default=None, description="certified under the EU-US Data Privacy Framework"
    )
    subprocessors: list[SubProcessorEntry] = Field(
        default_factory=list,
        description="organisations it engages for all its processing; "
        "write their own sub-processors under them to describe a chain of any depth",
    )


class MapService(_Strict):
    """A service: who provides it in which role, for which purposes, with which data."""

    name: Text
    provider: Text
    role: Role = Field(default="processor", description="the provider's role for this service")
    purposes: list[Text] = Field(default_factory=list)
    subjects: list[Subject] = Field(
        default_factory=list, description="data subjects of categories that name none"
    )
    categories: list[CategoryEntry] = Field(default_factory=list)
    subprocessors: list[SubProcessorEntry] = Field(default_factory=list)
    countries: list[CountryEntry] = Field(default_factory=list)
    recipients: list[Text] = Field(default_factory=list)
    legal_basis: str | None = None
    retention: str | None = None
    security_measures: str | None = None


class DataMap(_Strict):
    """A dataflyt data-map file: organisations and services, written by hand."""

    model_config = ConfigDict(extra="forbid", title="dataflyt data map")

    schema_: str | None = Field(default=None, alias="$schema")
    version: int = Field(default=1, ge=1, le=1, description="version of this format")
    title: Text | None = Field(default=None, description="defaults to the file name")
    owner: Text | None = Field(default=None, description="whose inventory this is")
    date: dt.date | None = Field(default=None, description="when it was last revised")
    controller: MapController | None = Field(
        default=None,
        description="your own organisation, the controller of the processing listed here",
    )
    organisations: list[MapOrganisation] = Field(default_factory=list)
    services: list[MapService] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> DataMap:
        if not self.organisations and not self.services and self.controller is None:
            raise ValueError("the data map names no controller, no organisations and no services")
        return self


def datamap_json_schema() -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of the data-map file."""
    schema = DataMap.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
