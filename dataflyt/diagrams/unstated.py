"""What no document states, as points of a DPIA report: silence is never read as safe.

A service whose documents give no place of processing, no purpose, no data categories or no
data subjects, and an engagement that no statement of it (nor the sub-processor's own
documents) gives a place, a purpose or the categories passed on, each become a point saying
so, cited to the statement that leaves it out.
"""

from __future__ import annotations

from dataflyt.diagrams.attention import Attention
from dataflyt.diagrams.scope import Selection, engagement_id, engagement_subject
from dataflyt.graph.citation import Citation
from dataflyt.queries.chains import ChainEngagement
from dataflyt.queries.facts import ServiceFacts

__all__ = ["unstated_points"]

LOCATION = "Location not stated"
PURPOSE = "Purpose not stated"
DATA = "Data not stated"


def _missing(
    subject: str, source: Citation | None, checks: list[tuple[bool, str, str]]
) -> list[Attention]:
    """Return a point about ``subject`` for each (stated, topic, text) of ``checks`` that is
    not stated."""
    return [
        Attention(topic=topic, subject=subject, text=text, source=source)
        for stated, topic, text in checks
        if not stated
    ]


def _service(service: ServiceFacts) -> list[Attention]:
    """Return what the documents of one service leave out."""
    name = service.name
    return _missing(
        name,
        service.source,
        [
            (
                bool(service.places),
                LOCATION,
                f"No document states where {name} is processed: the data may leave the EEA.",
            ),
            (bool(service.purposes), PURPOSE, f"No document states the purposes of {name}."),
            (
                bool(service.categories),
                DATA,
                f"No document states which data categories {name} processes.",
            ),
            (
                not service.categories or bool(service.data_subjects),
                DATA,
                f"No document states whose data (which data subjects) {name} processes.",
            ),
        ],
    )


def _engagement(statements: list[ChainEngagement]) -> list[Attention]:
    """Return what every statement of one engagement (one engager, one sub-processor) leaves
    out, cited to the first of them."""
    first = statements[0]
    engager, sub = first.holder.name, first.facts.organisation.name
    return _missing(
        engagement_subject(first),
        first.facts.source,
        [
            (
                any(e.facts.places for e in statements),
                LOCATION,
                f"No document states where {sub} processes the data of {engager}: "
                "the data may leave the EEA.",
            ),
            (
                any(e.facts.purpose for e in statements),
                PURPOSE,
                f"The engaging document does not state what {sub} does for {engager}.",
            ),
            (
                any(e.facts.categories is not None for e in statements),
                DATA,
                f"The engaging document does not state which data categories {sub} receives: "
                f"all of {engager}'s categories are assumed.",
            ),
        ],
    )


def unstated_points(selection: Selection) -> list[Attention]:
    """Return a point for everything the selection's services and engagements leave
    unstated: places, purposes, data categories and data subjects."""
    points = [point for service in selection.services.values() for point in _service(service)]
    statements: dict[tuple[str, str, str], list[ChainEngagement]] = {}
    for engagement in selection.engagements:
        statements.setdefault(engagement_id(engagement), []).append(engagement)
    points += [point for found in statements.values() for point in _engagement(found)]
    return points
