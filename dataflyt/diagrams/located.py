"""The arrows from each box to the places where it processes data, and to "Location not
stated" where no document says or a list of places is not complete: silence is drawn, never
left out.

A process box (a service, or one provider's services aggregated) points at its services' own
places. A sub-processor's box points at the places of each engagement drawn: when its
engagements in the diagram do not all have the same places, each arrow says whose data it
carries ("for <engager>"), so that a place one provider's document states never reads as
applying to another's.
"""

from __future__ import annotations

from collections import Counter

import msgspec

from dataflyt.diagrams.model import Flow, FlowKind, Line
from dataflyt.queries.places import PlaceUse

__all__ = ["NOT_STATED_KEY", "Placing", "located_flows"]

# the key of the "Location not stated" box; no node id starts with "unstated:"
NOT_STATED_KEY = "unstated:location"
# past this many engagers on one arrow, the rest are counted
_MOST_NAMED = 4
_NOT_STATED = "not stated"
_NOT_EXHAUSTIVE = "list not exhaustive"


class Placing(msgspec.Struct, frozen=True, kw_only=True):
    """Where one box processes the data of one service or engagement: ``holder`` is whose
    data it is (the service's id, or the engagement's holder's), ``whose`` how an arrow
    names it (two holders may share a name), ``places`` as stated ([] not stated);
    ``counted`` names what the placings of an aggregate box are ("services"), which are
    then counted rather than named."""

    box: str
    holder: str
    whose: str
    places: list[PlaceUse]
    counted: str | None = None

    @property
    def targets(self) -> dict[str, str | None]:
        """Return the keys this placing points at, each with why where it is not a place
        (the place's own key is its country code)."""
        found: dict[str, str | None] = {p.code: None for p in self.places}
        if not self.places:
            found[NOT_STATED_KEY] = _NOT_STATED
        elif not all(p.exhaustive for p in self.places):
            found[NOT_STATED_KEY] = _NOT_EXHAUSTIVE
        return found


def _named(names: list[str]) -> list[str]:
    """Return ``names`` with all past the first few counted."""
    if len(names) <= _MOST_NAMED + 1:
        return names
    return [*names[:_MOST_NAMED], f"and {len(names) - _MOST_NAMED} more"]


def _box_flows(box: str, placings: list[Placing], place_keys: dict[str, str]) -> list[Flow]:
    """Return the arrows of one box: where all its placings point alike, unlabelled (but for
    a list not exhaustive), else each labelled with whose data it carries."""
    alike = len({tuple(sorted(p.targets.items(), key=str)) for p in placings}) == 1
    whose: dict[str, dict[str, tuple[str, str | None]]] = {}
    for placing in placings:
        for target, why in placing.targets.items():
            whose.setdefault(target, {})[placing.holder] = (placing.whose, why)
    flows = []
    for target in sorted(whose):
        said = whose[target].values()
        if alike:
            texts = sorted({why for _, why in said if why and why != _NOT_STATED})
        elif placings[0].counted:
            reasons = Counter(why for _, why in said)
            noun = placings[0].counted
            texts = [
                f"for {count:,} of {len(placings):,} {noun}" + (f" ({why})" if why else "")
                for why, count in sorted(reasons.items(), key=str)
            ]
        else:
            said_for = {f"for {name}" + (f" ({why})" if why else "") for name, why in said}
            texts = _named(sorted(said_for, key=str.casefold))
        lines = tuple(Line(text=text) for text in texts)
        flows.append(
            Flow(
                source=box,
                target=place_keys.get(target, target),
                kind=FlowKind.LOCATED,
                lines=lines,
                dashed=target == NOT_STATED_KEY,
            )
        )
    return flows


def located_flows(placings: list[Placing], place_keys: dict[str, str]) -> list[Flow]:
    """Return the arrows from each box to its places (``place_keys`` gives the element key of
    each country code) and to "Location not stated", one arrow per box and place; a holder's
    placing in a box counts once (an engagement two documents state has the same places)."""
    by_box: dict[str, dict[str, Placing]] = {}
    for placing in placings:
        by_box.setdefault(placing.box, {}).setdefault(placing.holder, placing)
    return [
        flow
        for box in sorted(by_box)
        for flow in _box_flows(box, list(by_box[box].values()), place_keys)
    ]
