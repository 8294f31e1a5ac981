"""Decisions' report figures (``decisions.reporting``): decisions closed in the period, votes cast and the
people who voted; inside the period only, for the partnership asked about only, in a fixed number of
queries, never with a proposal's or a reason's words."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from coproduce.accounts.models import User
from coproduce.decisions.models import Decision, Participation
from coproduce.partnerships.models import Partnership
from tests.factories import PartnershipFactory, UserFactory
from tests.reports.figures_support import (
    AFTER,
    BEFORE,
    FIRST_MOMENT,
    INSIDE,
    LAST_MOMENT,
    queries_for,
    query,
    section,
    values,
    words,
)

pytestmark = pytest.mark.django_db

KEY = "decisions.participation"


def _decision(
    partnership: Partnership, closed_at: dt.datetime | None = None, title: str = "Open on Saturdays"
) -> Decision:
    return Decision.objects.create(
        partnership=partnership,
        kind="everyday",
        method="consent",
        title=title,
        participants="everyone",
        closes_at=closed_at or AFTER + dt.timedelta(days=30),
        status="closed" if closed_at else "open",
        closed_at=closed_at,
    )


def _answer(decision: Decision, user: User | None, at: dt.datetime, **kwargs: Any) -> Participation:
    fields = {"position": "agree", **kwargs}
    return Participation.objects.create(
        decision=decision, user=user, is_member=user is not None, created_at=at, **fields
    )


def test_counts_what_happened_in_the_period_and_nothing_else(partnership: Partnership) -> None:
    first = _decision(partnership, closed_at=FIRST_MOMENT)
    _decision(partnership, closed_at=LAST_MOMENT)
    early = _decision(partnership, closed_at=BEFORE)
    _decision(partnership, closed_at=AFTER)
    still_open = _decision(partnership)
    amina, bea = UserFactory(), UserFactory()
    _answer(still_open, amina, INSIDE)
    _answer(first, amina, FIRST_MOMENT - dt.timedelta(hours=2))  # before the period
    _answer(early, bea, BEFORE)
    _answer(still_open, bea, AFTER)
    _answer(still_open, None, INSIDE, imported=True)  # an imported ballot: a vote, not a person
    # Another partnership's decisions and votes never count.
    other = _decision(PartnershipFactory(), closed_at=INSIDE)
    _answer(other, UserFactory(), INSIDE)

    found = values(section(KEY).tables(query(partnership.pk)))

    assert found[f"{KEY}/closed"] == 2
    assert found[f"{KEY}/votes"] == 2
    assert found[f"{KEY}/voters"] == 1


def test_no_proposal_or_reason_words_in_the_tables(partnership: Partnership) -> None:
    decision = _decision(partnership, closed_at=INSIDE, title="Zzyzx proposal")
    _answer(decision, UserFactory(), INSIDE, position="disagree", reason="Quixotic reason a parent wrote")

    seen = words(section(KEY).tables(query(partnership.pk)))

    assert "Zzyzx" not in seen
    assert "Quixotic" not in seen


def _activity(partnership: Partnership, n: int) -> None:
    for _ in range(n):
        _answer(_decision(partnership, closed_at=INSIDE), UserFactory(), INSIDE)


def test_the_number_of_queries_does_not_grow_with_the_data(partnership: Partnership) -> None:
    bigger = PartnershipFactory()
    _activity(partnership, 1)
    _activity(bigger, 50)

    one = queries_for(lambda: section(KEY).tables(query(partnership.pk)))
    fifty = queries_for(lambda: section(KEY).tables(query(bigger.pk)))

    assert one == fifty <= 2
    assert values(section(KEY).tables(query(bigger.pk)))[f"{KEY}/voters"] == 50
