"""The objection deadline of GDPR Art. 28(2): a controller may object to a new sub-processor
within the notice period its contract with the processor gives, counted from the day the change
was announced. The day the document states (its "Last updated" date) is the announcement when
there is one; otherwise the day dataflyt first saw the change is the earliest the controller
can be shown to have known."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

import msgspec

__all__ = ["DEFAULT_NOTICE_DAYS", "DeadlineBasis", "ObjectionDeadline", "objection_deadline"]

# the notice period when the provider's contract is not known; a common term in DPAs
DEFAULT_NOTICE_DAYS = 30


class DeadlineBasis(StrEnum):
    """What the notice period is counted from."""

    STATED = "the document's date"
    FIRST_SEEN = "first seen"


class ObjectionDeadline(msgspec.Struct, kw_only=True, frozen=True):
    """The last day to object to a new sub-processor, how it was reached, and the days left
    from the day it was computed (negative once it has passed)."""

    deadline: dt.date
    counted_from: dt.date
    basis: DeadlineBasis
    notice_days: int
    days_left: int


def objection_deadline(
    first_seen: dt.date, stated: dt.date | None, notice_days: int, today: dt.date
) -> ObjectionDeadline:
    """Return the objection deadline of a change first seen on ``first_seen`` in a document
    dated ``stated`` (None when it states no date): that date, else ``first_seen``, plus
    ``notice_days``; ``days_left`` counts from ``today``. Raises ``ValueError`` for a negative
    notice period."""
    if notice_days < 0:
        raise ValueError(f"a notice period cannot be negative ({notice_days} days)")
    basis = DeadlineBasis.FIRST_SEEN if stated is None else DeadlineBasis.STATED
    start = first_seen if stated is None else stated
    deadline = start + dt.timedelta(days=notice_days)
    return ObjectionDeadline(
        deadline=deadline,
        counted_from=start,
        basis=basis,
        notice_days=notice_days,
        days_left=(deadline - today).days,
    )
