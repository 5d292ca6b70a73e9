"""Places of processing as answers show them: the country or region, whether the list it
comes from is complete, the safeguards stated, and how processing there stands under GDPR
Chapter V (inside the EEA, adequacy, adequacy on a condition, safeguards needed, not pinned
down), with the words a DPO reads."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import msgspec

from dataflyt.graph.citation import Citation, cite
from dataflyt.graph.model import AnyNode, Country, ProcessedIn
from dataflyt.reference.jurisdictions import Place, TransferStatus, adequacy, transfer_status

__all__ = ["NOT_STATED", "PlaceUse", "Standing", "leaves_eea", "place_use", "standing"]

# what an answer says where no document states a place (or a purpose, a category, ...)
NOT_STATED = "not stated"


class Standing(msgspec.Struct, kw_only=True, frozen=True):
    """How processing in one place stands under GDPR Chapter V: the status, its wording, and
    the adequacy decision covering it (with the condition it sets, if any)."""

    status: TransferStatus
    wording: str
    decision: str | None = None
    decided: str | None = None
    condition: str | None = None

    @property
    def leaves_eea(self) -> bool:
        """Return whether the data leaves the EEA (a region not pinned down may)."""
        return self.status is not TransferStatus.EEA


class PlaceUse(msgspec.Struct, kw_only=True, frozen=True):
    """A place where some processing happens, as a document states it."""

    code: str
    name: str
    eea: bool
    region: bool = False
    exhaustive: bool = True
    safeguards: list[str] = msgspec.field(default_factory=list)
    note: str | None = None
    standing: Standing
    source: Citation


def leaves_eea(standings: Iterable[Standing | None]) -> bool | None:
    """Return whether data processed at places of these standings leaves the EEA: True when
    one is known to (outside it, and pinned down to a country), None (unknown) when none is
    known to but a place is not stated (None) or not pinned down, False when every place is
    stated and inside the EEA."""
    found = list(standings)
    if any(s and s.leaves_eea and s.status is not TransferStatus.NOT_PINNED_DOWN for s in found):
        return True
    if any(s is None or s.leaves_eea for s in found):
        return None
    return False


# a pure function of a place, asked again for every flow to it
@lru_cache(maxsize=1024)
def standing(country: Country, dpf_certified: bool = False) -> Standing:
    """Return how processing at ``country`` stands; a processor certified under the EU-US
    Data Privacy Framework (or a transfer the document says rests on it) meets the US adequacy
    decision's condition."""
    place = Place(country.code, country.name, country.region)
    decision = None if place.is_region else adequacy(place.code)
    status = transfer_status(place)
    if status is TransferStatus.CONDITIONAL_ADEQUACY and place.code == "US" and dpf_certified:
        status = TransferStatus.ADEQUACY
    wording = status.description
    if status is TransferStatus.CONDITIONAL_ADEQUACY and decision and decision.get("condition"):
        wording = f"Outside the EEA: adequacy for {decision['condition']}"
    return Standing(
        status=status,
        wording=wording,
        decision=decision["decision"] if decision else None,
        decided=decision["decided"] if decision else None,
        condition=decision.get("condition") if decision else None,
    )


def place_use(
    edge: ProcessedIn, nodes: Mapping[str, AnyNode], dpf_certified: bool = False
) -> PlaceUse:
    """Return the place of one ``ProcessedIn`` edge, with ``nodes`` holding its country and
    document."""
    country = nodes[edge.target]
    if not isinstance(country, Country):
        raise ValueError(f"{edge.target} is not a country or region")
    return PlaceUse(
        code=country.code,
        name=country.name,
        eea=country.eea,
        region=country.region,
        exhaustive=edge.exhaustive,
        safeguards=list(edge.safeguards),
        note=edge.note,
        standing=standing(country, dpf_certified or "dpf" in edge.safeguards),
        source=cite(edge, nodes),
    )
