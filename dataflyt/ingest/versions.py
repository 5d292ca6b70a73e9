"""Where a newly loaded document goes among the versions of that document the map keeps.

A document's identity is its provider, its title and the service it is about (when one was
named); its versions are told apart by their contents (SHA-256). A version is in force from its
own date (the date the document states, else the day it was loaded) until the next version's
date. Loading a newer version ends the one in force; loading an older one records it as
history between the versions around it; loading the same contents again gives that version
its facts anew.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

import msgspec

from dataflyt.graph.model import Document
from dataflyt.ids import document_identity, document_version_id
from dataflyt.loaders.models import ParsedDocument

__all__ = ["Placement", "VersionStatus", "place_version"]


class VersionStatus(StrEnum):
    """What loading a document did to its versions."""

    NEW = "new"  # the first version of this document in the map
    NEWER = "newer"  # a new version, now in force
    HISTORY = "history"  # an older version than the one in force, recorded as history
    SAME = "same"  # contents already in the map: that version's facts are read again


@dataclass(frozen=True)
class Placement:
    """A loaded document's version node, what loading it did, the version it ends (the one
    that was in force before, for ``NEWER``) and the other versions whose validity changes."""

    version: Document
    status: VersionStatus
    previous: Document | None
    restamped: list[Document]


def place_version(parsed: ParsedDocument, existing: list[Document], loaded: dt.date) -> Placement:
    """Return where the version ``parsed`` goes among the ``existing`` versions of every
    document (those of other documents are passed by), loaded on ``loaded``."""
    identity = document_identity(parsed.provider, parsed.title, parsed.about)
    mine = [v for v in existing if v.identity == identity]
    same = next((v for v in mine if v.sha256 == parsed.sha256), None)
    stated = parsed.date.isoformat() if parsed.date else None
    version = Document(
        id=document_version_id(identity, parsed.sha256),
        name=parsed.title,
        identity=identity,
        provider=parsed.provider,
        about=parsed.about,
        path=parsed.path,
        format=parsed.format.value,
        date=stated,
        sha256=parsed.sha256,
        loaded=same.loaded if same else loaded.isoformat(),
        valid_from=same.valid_from if same else stated or loaded.isoformat(),
        valid_to=same.valid_to if same else None,
        services=len(parsed.services),
    )
    if same is not None:
        return Placement(version, VersionStatus.SAME, None, [])
    if not mine:
        return Placement(version, VersionStatus.NEW, None, [])
    # the version loaded now comes after every version in force from the same date or earlier
    ordered = sorted(mine, key=lambda v: (v.valid_from, v.loaded, v.id))
    at = sum(1 for v in ordered if v.valid_from <= version.valid_from)
    ordered.insert(at, version)
    restamped: list[Document] = []
    placed = version
    for index, current in enumerate(ordered):
        after = ordered[index + 1].valid_from if index + 1 < len(ordered) else None
        if current.id == version.id:
            placed = msgspec.structs.replace(current, valid_to=after)
        elif current.valid_to != after:
            restamped.append(msgspec.structs.replace(current, valid_to=after))
    before = next((v for v in mine if v.valid_to is None), None)
    status = VersionStatus.HISTORY if placed.valid_to is not None else VersionStatus.NEWER
    return Placement(placed, status, before if status is VersionStatus.NEWER else None, restamped)
