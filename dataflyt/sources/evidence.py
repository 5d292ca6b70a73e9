"""The versions of watched documents, kept as evidence a DPO can show: each version's bytes in
a folder named by their SHA-256 (so anyone can check them with ``sha256sum``), beside a small
``fetches.json`` saying where and when they were fetched and what the server said (its
``Date``, content type, ``ETag`` and ``Last-Modified``).

Layout::

    <evidence>/<sha256>/<name>.<ext>    the bytes, named after the page they came from
    <evidence>/<sha256>/fetches.json    each fetch that brought them in as a new version

Every file is written whole or not at all; bytes already kept are not written again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, ValidationError

from dataflyt.atomic import write_atomically
from dataflyt.errors import RegistryError
from dataflyt.sources.fetch import Fetched
from dataflyt.sources.registry_file import first_problem

__all__ = ["FetchRecord", "VersionRecord", "keep_version"]

METADATA = "fetches.json"


class FetchRecord(BaseModel):
    """One fetch that brought a version in: where from, when, and what the server said."""

    url: str
    final_url: str
    file: str
    fetched_at: dt.datetime
    http_date: str | None
    content_type: str | None
    etag: str | None
    last_modified: str | None


class VersionRecord(BaseModel):
    """What is known of one version's bytes: their hash and size, and every fetch of them."""

    sha256: str
    size: int
    fetches: list[FetchRecord]


def keep_version(evidence: Path, fetched: Fetched, file_name: str) -> Path:
    """Keep ``fetched``'s bytes as ``<evidence>/<sha256>/<file_name>`` and add the fetch to
    the version's ``fetches.json``; return the path of the bytes. Raises ``OSError`` when
    the folder cannot be written (what was there stays as it was), ``RegistryError`` when
    the version's ``fetches.json`` is corrupt."""
    folder = evidence / fetched.sha256
    path = folder / file_name
    if not path.is_file():
        write_atomically(path, fetched.content)
    record = FetchRecord(
        url=fetched.url,
        final_url=fetched.final_url,
        file=file_name,
        fetched_at=fetched.fetched_at,
        http_date=fetched.http_date,
        content_type=fetched.content_type,
        etag=fetched.etag,
        last_modified=fetched.last_modified,
    )
    known = _read(folder / METADATA)
    version = VersionRecord(
        sha256=fetched.sha256,
        size=len(fetched.content),
        fetches=[*(known.fetches if known else []), record],
    )
    write_atomically(folder / METADATA, version.model_dump_json(indent=2).encode() + b"\n")
    return path


def _read(path: Path) -> VersionRecord | None:
    """Return the version's record, or None when there is none yet. Raises ``RegistryError``
    naming the file when it is corrupt: evidence is never silently written over."""
    try:
        return VersionRecord.model_validate_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except ValidationError as error:
        raise RegistryError(f"{path}: not a record of fetches: {first_problem(error)}") from None
