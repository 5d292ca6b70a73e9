"""The points of a DPIA report that need the DPO's attention: communications content, national
identification numbers and other high-sensitivity data, open-ended categories, terms the
vocabulary does not know, location lists that are not exhaustive, transfers needing
safeguards or a condition checked, exchanges with independent controllers, what no document
states (``unstated``) and, for a breach, exposures that are assumptions."""

from __future__ import annotations

from dataflyt.diagrams.attention import Attention
from dataflyt.diagrams.scope import Selection, engagement_subject
from dataflyt.diagrams.unstated import unstated_points
from dataflyt.queries.places import PlaceUse
from dataflyt.reference.jurisdictions import TransferStatus
from dataflyt.reference.vocabulary import vocabulary

__all__ = ["Attention", "attention_points", "why_high"]


# why a category (or any category under it) is of high sensitivity, by vocabulary key
_HIGH_REASONS = {
    "communications_content": "communications content, confidential under ePrivacy rules",
    "special_categories": "a special category of personal data, Art. 9",
    "criminal_records": "criminal convictions and offences, Art. 10",
    "national_id": "national identification number (personopplysningsloven § 12, GDPR Art. 87)",
}


def why_high(key: str) -> str:
    """Return why the category ``key`` is of high sensitivity: its own or its nearest
    ancestor's reason."""
    for ancestor in (key, *vocabulary().ancestors(key)):
        if ancestor in _HIGH_REASONS:
            return _HIGH_REASONS[ancestor]
    return "high-sensitivity data"


def _categories(selection: Selection) -> list[Attention]:
    points = []
    for service in selection.services.values():
        shown = selection.shown.get(service.id)
        for use in service.categories:
            if shown is not None and use.key not in shown:
                continue
            if use.sensitivity == "high":
                topic = "High-sensitivity data"
                text = f"{use.name}: {why_high(use.key)}; check the legal basis and safeguards."
            elif use.open_ended:
                topic = "Open-ended category"
                text = f"{use.name}: the document leaves open what else is processed."
            elif not use.mapped:
                topic = "Unmapped term"
                text = f"{use.name}: not in the vocabulary; classify it by hand."
            else:
                continue
            points.append(
                Attention(topic=topic, subject=service.name, text=text, source=use.source)
            )
    return points


def _roles(selection: Selection) -> list[Attention]:
    roles = vocabulary().roles
    return [
        Attention(
            topic="Independent controller",
            subject=service.name,
            text=f"{service.provider.name if service.provider else 'The provider'} acts as "
            f"{service.role_label.lower()}: data exchanged is outside a data processing "
            "agreement and needs its own legal basis and transparency.",
            source=service.source,
        )
        for service in selection.services.values()
        if service.role in roles and roles[service.role].gdpr == "controller"
    ]


def _place(holder: str, place: PlaceUse) -> list[Attention]:
    """Return the points one place of ``holder`` raises: a list not exhaustive, a transfer
    needing safeguards or a condition checked, a place not pinned down."""
    points = []
    if not place.exhaustive:
        note = f" ({place.note})" if place.note else ""
        points.append(
            Attention(
                topic="Location not exhaustive",
                subject=holder,
                text=f"{place.name} is named, but the list of locations is not exhaustive{note}.",
                source=place.source,
            )
        )
    status = place.standing.status
    if status is TransferStatus.NEEDS_SAFEGUARDS:
        text = (
            f"Transfer to {place.name} without an adequacy decision: Art. 46 safeguards (such "
            "as standard contractual clauses) and a transfer impact assessment are needed."
        )
    elif status is TransferStatus.CONDITIONAL_ADEQUACY:
        text = (
            f"Transfer to {place.name}: adequacy applies to {place.standing.condition}; check "
            "that the recipient qualifies, or use Art. 46 safeguards."
        )
    elif status is TransferStatus.NOT_PINNED_DOWN:
        text = f"Processed in {place.name}: the place is not pinned down to a country."
    else:
        return points
    points.append(Attention(topic="Transfer", subject=holder, text=text, source=place.source))
    return points


def _places(selection: Selection) -> list[Attention]:
    """Return the points of every place stated: each service's own, each engagement's."""
    points = [
        point
        for service in selection.services.values()
        for place in service.places
        for point in _place(service.name, place)
    ]
    points += [
        point
        for engagement in selection.engagements
        for place in engagement.facts.places
        for point in _place(engagement_subject(engagement), place)
    ]
    return points


def attention_points(selection: Selection) -> list[Attention]:
    """Return the points needing attention in ``selection``, each once, sorted by topic,
    subject and text."""
    points = _categories(selection) + _roles(selection) + _places(selection)
    points += unstated_points(selection)
    points += [
        Attention(
            topic="Assumed exposure",
            subject=service.name,
            text="No engagement on the chain says what the breached organisation receives: "
            "every category of the service is treated as exposed.",
        )
        for service in selection.services.values()
        if service.id in selection.assumed
    ]
    unique = {(p.topic, p.subject, p.text, p.source): p for p in points}
    return sorted(unique.values(), key=lambda p: (p.topic, p.subject.casefold(), p.text))
