"""Where a newly loaded document goes among the versions of that document the map keeps.

A document's identity is its provider, its title and the service it is about (when one was
named); its versions are told apart by their contents (SHA-256). A version is in force from its
own date (the date the document states, else the day it was loaded) until the next version's
date. Loading a newer version ends the one in force; loading an older one records it as
history between the versions around it; loading the same contents again gives that version
its facts anew. Contents that come back after another version, dated (or loaded) later than
the version in force, as an undated list that changes and changes back, are a version of
their own, in force again from that day.
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
    stated = parsed.date.isoformat() if parsed.date else None
    since = stated or loaded.isoformat()
    same = _same_contents(mine, parsed.sha256, since)
    back = same is None and any(v.sha256 == parsed.sha256 for v in mine)
    version = Document(
        id=document_version_id(identity, parsed.sha256, since if back else None),
        name=parsed.title,
        identity=identity,
        provider=parsed.provider,
        about=parsed.about,
        path=parsed.path,
        format=parsed.format.value,
        date=stated,
        sha256=parsed.sha256,
        loaded=same.loaded if same else loaded.isoformat(),
        valid_from=same.valid_from if same else since,
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


def _same_contents(mine: list[Document], sha256: str, since: str) -> Document | None:
    """Return the version with these contents that loading them again refers to: the latest
    with them, unless another version came into force after it and these contents are dated
    (or loaded) later still: then they come back as a version of their own (None)."""
    same = [v for v in mine if v.sha256 == sha256]
    if not same:
        return None
    latest = max(same, key=lambda v: (v.valid_from, v.loaded, v.id))
    in_force = next((v for v in mine if v.valid_to is None), None)
    came_back = in_force is not None and in_force.sha256 != sha256 and since > in_force.valid_from
    return None if came_back else latest
