"""The Art. 28(2) objection deadline: the document's own date, else the day the change was
first seen, plus the provider's notice period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataflyt.queries.deadline import DeadlineBasis, objection_deadline

D = dt.date


def test_counted_from_the_date_the_document_states() -> None:
    found = objection_deadline(D(2025, 6, 10), D(2025, 6, 2), 30, today=D(2025, 6, 10))
    assert (found.deadline, found.counted_from, found.basis) == (
        D(2025, 7, 2),
        D(2025, 6, 2),
        DeadlineBasis.STATED,
    )
    assert found.days_left == 22


def test_counted_from_first_seen_when_the_document_states_no_date() -> None:
    found = objection_deadline(D(2025, 6, 10), None, 14, today=D(2025, 6, 10))
    assert (found.deadline, found.basis, found.days_left) == (
        D(2025, 6, 24),
        DeadlineBasis.FIRST_SEEN,
        14,
    )


def test_a_deadline_already_past_has_negative_days_left() -> None:
    # a list dated in January, first seen in June: the notice period ran out unseen
    found = objection_deadline(D(2025, 6, 10), D(2025, 1, 15), 30, today=D(2025, 6, 10))
    assert (found.deadline, found.days_left) == (D(2025, 2, 14), -116)


def test_crosses_month_and_leap_day() -> None:
    assert objection_deadline(D(2024, 2, 20), None, 10, D(2024, 2, 20)).deadline == D(2024, 3, 1)


def test_no_notice_period_means_the_same_day() -> None:
    assert objection_deadline(D(2025, 3, 1), None, 0, D(2025, 3, 1)).deadline == D(2025, 3, 1)


def test_a_negative_notice_period_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be negative"):
        objection_deadline(D(2025, 3, 1), None, -1, D(2025, 3, 1))


@given(
    seen=st.dates(D(2000, 1, 1), D(2100, 1, 1)),
    stated=st.none() | st.dates(D(2000, 1, 1), D(2100, 1, 1)),
    days=st.integers(0, 365),
)
def test_always_notice_days_after_its_start(seen: D, stated: D | None, days: int) -> None:
    found = objection_deadline(seen, stated, days, today=seen)
    assert found.counted_from == (stated or seen)
    assert (found.deadline - found.counted_from).days == days == found.notice_days
