"""Typed models of a parsed document: what each loader returns, before it becomes a graph.

Every fact keeps its provenance (``Source``: file, line, original wording).
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from dataflyt.formats import DocumentFormat

__all__ = [
    "CategoryFact",
    "DocumentFormat",
    "LocationFact",
    "OrganisationRecord",
    "OrganisationRelation",
    "ParsedDocument",
    "ServiceRecord",
    "Source",
    "SubProcessorFact",
    "UnmappedTerm",
]


class Source(BaseModel):
    """Where a fact was read: file, page (PDF documents, 1-based), line (1-based, on that page
    for a PDF) and the original wording."""

    file: str
    line: int | None = None
    page: int | None = None
    text: str = ""


class CategoryFact(BaseModel):
    """A data category a service processes, and whose data it is."""

    key: str = Field(description="vocabulary key, or 'unmapped:<slug>' for unknown terms")
    label: str = Field(description="the term as written in the document")
    mapped: bool = True
    subjects: list[str] = Field(default_factory=list, description="data-subject keys")
    source: Source


class SubProcessorFact(BaseModel):
    """An organisation a service engages (one engagement), with what the document states about
    that engagement: purpose, what it receives, where it processes the data. Every one of these
    describes this engagement only, never the organisation's processing for others."""

    name: str = Field(description="the legal entity's name, without address or number")
    aliases: list[str] = Field(
        default_factory=list,
        description="other names the document gives it: a short name in brackets, an 'aka'",
    )
    purpose: str | None = None
    categories: list[str] | None = Field(
        default=None, description="category keys it receives; None when the document is silent"
    )
    locations: list[LocationFact] = Field(
        default_factory=list,
        description="where it processes the data for this engagement; [] when not stated",
    )
    attributes: dict[str, str] = Field(
        default_factory=dict,
        description="what else the row states, by the column's label (and 'registration "
        "number', 'address' taken out of the name), cited by ``source``",
    )
    added: dt.date | None = Field(default=None, description="when the row says it was added")
    source: Source


class LocationFact(BaseModel):
    """A place where a service's data is processed."""

    code: str = Field(description="ISO 3166-1 alpha-2 code, or a region key such as EEA")
    name: str
    is_region: bool = False
    exhaustive: bool = True
    note: str | None = None
    safeguards: list[str] = Field(
        default_factory=list,
        description="transfer safeguards stated for this place: scc, adequacy, bcr, dpf, ...",
    )
    source: Source


class UnmappedTerm(BaseModel):
    """A term the vocabulary does not know; kept, never dropped, and reported by ``load``."""

    kind: str
    text: str
    source: Source


class ServiceRecord(BaseModel):
    """One service as a document describes it."""

    name: str
    provider: str
    role: str = Field(description="role key from the vocabulary")
    role_text: str
    categories: list[CategoryFact]
    subprocessors: list[SubProcessorFact]
    locations: list[LocationFact] = Field(
        description="where the service itself processes data, as stated; [] when not stated"
    )
    portals: list[str] = Field(default_factory=list, description="self-service portals named")
    purposes: list[str] = Field(default_factory=list, description="purposes of the processing")
    recipients: list[str] = Field(
        default_factory=list, description="recipients that are not sub-processors (Art. 30)"
    )
    legal_basis: str | None = None
    retention: str | None = Field(default=None, description="how long the data is kept")
    security_measures: str | None = None
    source: Source


class OrganisationRecord(BaseModel):
    """An organisation as a document describes it: other names it goes by, where it is."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    country: str | None = Field(
        default=None, description="ISO 3166-1 alpha-2 code of where it is established"
    )
    dpf_certified: bool | None = Field(
        default=None, description="certified under the EU-US Data Privacy Framework"
    )
    controller: bool = Field(
        default=False,
        description="the user's own organisation: the controller of the services a data map lists",
    )
    contact: str | None = Field(default=None, description="how to reach it (the controller)")
    dpo_contact: str | None = Field(
        default=None, description="how to reach its data protection officer (the controller)"
    )
    source: Source


class OrganisationRelation(BaseModel):
    """An organisation engaging another as its sub-processor, for all its processing (where
    the sub-processor processes for it: ``subprocessor.locations``)."""

    organisation: str
    subprocessor: SubProcessorFact


class ParsedDocument(BaseModel):
    """Everything one document says, with its identity (provider, title and the service it is
    about when one was named) and version date."""

    path: str
    title: str
    provider: str
    about: str | None = Field(
        default=None, description="the one service the document is about, when named (--service)"
    )
    format: DocumentFormat
    date: dt.date | None = None
    sha256: str
    services: list[ServiceRecord]
    organisations: list[OrganisationRecord] = Field(default_factory=list)
    relations: list[OrganisationRelation] = Field(default_factory=list)
    unmapped: list[UnmappedTerm] = Field(default_factory=list)
    notes: list[Source] = Field(default_factory=list)
