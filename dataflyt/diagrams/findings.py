"""The points of a DPIA report that need the DPO's attention: communications content and other
high-sensitivity data, open-ended categories, terms the vocabulary does not know, location lists
that are not exhaustive, transfers needing safeguards or a condition checked, exchanges with
independent controllers and, for a breach, exposures that are assumptions."""

from __future__ import annotations

import msgspec

from dataflyt.diagrams.places import PlaceRow
from dataflyt.diagrams.scope import Selection
from dataflyt.queries.services import Cite
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["Attention", "attention_points"]


class Attention(msgspec.Struct, kw_only=True):
    """One point to look at: its topic, the service or organisation, what and where it says."""

    topic: str
    subject: str
    text: str
    source: Cite | None = None


_HIGH_REASONS = {
    "communications_content": "communications content, confidential under ePrivacy rules",
    "special_categories": "a special category of personal data, Art. 9",
    "criminal_records": "criminal convictions and offences, Art. 10",
}


def _why_high(key: str) -> str:
    for ancestor in (key, *vocabulary().ancestors(key)):
        if ancestor in _HIGH_REASONS:
            return _HIGH_REASONS[ancestor]
    return "high-sensitivity data"


def _categories(selection: Selection) -> list[Attention]:
    points = []
    for view in selection.views.values():
        shown = selection.shown.get(view.id)
        for use in view.categories:
            if shown is not None and use.key not in shown:
                continue
            if use.sensitivity == "high":
                topic = "High-sensitivity data"
                text = f"{use.name} ({_why_high(use.key)}): check the legal basis and safeguards."
            elif use.open_ended:
                topic = "Open-ended category"
                text = f"{use.name}: the document leaves open what else is processed."
            elif not use.mapped:
                topic = "Unmapped term"
                text = f"{use.name}: not in the vocabulary; classify it by hand."
            else:
                continue
            points.append(Attention(topic=topic, subject=view.name, text=text, source=use.source))
    return points


def _roles(selection: Selection) -> list[Attention]:
    roles = vocabulary().roles
    return [
        Attention(
            topic="Independent controller",
            subject=view.name,
            text=f"{view.provider.name if view.provider else 'The provider'} acts as "
            f"{view.role_label.lower()}: data exchanged is outside a data processing agreement "
            "and needs its own legal basis and transparency.",
            source=view.source,
        )
        for view in selection.views.values()
        if view.role in roles and roles[view.role].gdpr == "controller"
    ]


def _places(rows: list[PlaceRow]) -> list[Attention]:
    points = []
    for row in rows:
        if not row.exhaustive:
            note = f" ({row.note})" if row.note else ""
            points.append(
                Attention(
                    topic="Location not exhaustive",
                    subject=row.holder,
                    text=f"{row.place} is named, but the list of locations is not "
                    f"exhaustive{note}.",
                    source=row.source,
                )
            )
        if row.status == TransferStatus.NEEDS_SAFEGUARDS:
            text = f"Transfer to {row.place} without an adequacy decision: Art. 46 "
            text += "safeguards (such as standard contractual clauses) and a transfer impact "
            text += "assessment are needed."
        elif row.status == TransferStatus.CONDITIONAL_ADEQUACY:
            text = f"Transfer to {row.place}: adequacy applies to "
            text += (
                f"{row.condition}; check that the recipient qualifies, or use Art. 46 safeguards."
            )
        elif row.status == TransferStatus.NOT_PINNED_DOWN:
            text = f"Processed in {row.place}: the place is not pinned down to a country."
        else:
            continue
        points.append(Attention(topic="Transfer", subject=row.holder, text=text, source=row.source))
    return points


def attention_points(selection: Selection, places: list[PlaceRow]) -> list[Attention]:
    """Return the points needing attention in ``selection``, whose services and organisations
    process data at ``places``, sorted by topic, subject and text."""
    points = _categories(selection) + _roles(selection) + _places(places)
    points += [
        Attention(
            topic="Assumed exposure",
            subject=view.name,
            text="No engagement on the chain says what the breached organisation receives: "
            "every category of the service is treated as exposed.",
        )
        for view in selection.views.values()
        if view.id in selection.assumed
    ]
    return sorted(points, key=lambda p: (p.topic, p.subject.casefold(), p.text))
