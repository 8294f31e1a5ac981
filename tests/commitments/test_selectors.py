"""The board: statuses, latest reviews, filters, and a constant number of queries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.commitments import selectors
from coproduce.commitments.models import CommitmentReview
from coproduce.core.exceptions import NotPermitted
from coproduce.partnerships.commitments import Commitment, commitment_sources
from tests.commitments.conftest import adopted_test, award, idea_we_will_do, stopped_practice

TODAY = timezone.localdate()


def commitment(**overrides: Any) -> Commitment:
    values: dict[str, Any] = {
        "source": "test.kind",
        "object_id": 1,
        "what": "Run the drop-in",
        "owner": "Riverside Hub",
        "due_on": None,
        "review_on": None,
        "done": False,
        "url": "/",
        "made_on": TODAY - timedelta(days=100),
    }
    values.update(overrides)
    return Commitment(**values)


def review(reviewed_on: Any, next_review_on: Any = None) -> CommitmentReview:
    return CommitmentReview(reviewed_on=reviewed_on, next_review_on=next_review_on, verdict="keep")


@pytest.mark.parametrize(
    ("overrides", "latest", "expected"),
    [
        ({"done": True, "due_on": TODAY - timedelta(days=9)}, None, "done"),
        ({"due_on": TODAY - timedelta(days=1)}, None, "overdue"),
        ({"due_on": TODAY}, None, "on_track"),
        ({"due_on": TODAY + timedelta(days=5)}, None, "on_track"),
        ({"review_on": TODAY}, None, "review_due"),
        ({"review_on": TODAY - timedelta(days=3)}, review(TODAY - timedelta(days=5)), "review_due"),
        ({"review_on": TODAY - timedelta(days=3)}, review(TODAY - timedelta(days=1)), "no_date"),
        ({"review_on": TODAY + timedelta(days=3)}, review(TODAY - timedelta(days=1)), "on_track"),
        ({"review_on": TODAY - timedelta(days=3)}, review(TODAY - timedelta(days=9), TODAY + timedelta(9)), "on_track"),
        (
            {"review_on": TODAY - timedelta(days=3)},
            review(TODAY - timedelta(days=1), TODAY + timedelta(days=90)),
            "on_track",
        ),
        ({"review_on": TODAY - timedelta(days=30)}, review(TODAY - timedelta(days=20), TODAY), "review_due"),
        ({"review_on": TODAY + timedelta(days=3)}, None, "on_track"),
        ({}, None, "no_date"),
        ({"due_on": TODAY - timedelta(days=1), "review_on": TODAY}, None, "overdue"),
    ],
)
def test_status(overrides: dict[str, Any], latest: Any, expected: str) -> None:
    assert selectors.status_of(commitment(**overrides), latest, today=TODAY) == expected


def test_the_board_lists_every_kind_with_status_overdue_first(one_of_each: Any, worker: Any) -> None:
    items = selectors.board_for(worker)
    assert {i.commitment.source for i in items} == {
        "voice.response",
        "improvement.adopted",
        "improvement.stopped",
        "fund.award",
    }
    assert items[0].commitment.source == "fund.award"
    assert items[0].status == "overdue"
    assert items[0].status_label == "Overdue"


def test_filters_by_kind_and_overdue(one_of_each: Any, worker: Any) -> None:
    assert [i.commitment.source for i in selectors.board_for(worker, kind="improvement.stopped")] == [
        "improvement.stopped"
    ]
    overdue = selectors.board_for(worker, overdue_only=True)
    assert [(i.commitment.source, i.status) for i in overdue] == [("fund.award", "overdue")]
    assert selectors.board_for(worker, kind="no.such.kind") == []
    assert selectors.overdue_count(worker) == 1


def test_the_latest_review_is_found_and_moves_the_review_date(worker: Any, partnership: Any) -> None:
    test = adopted_test(worker, review_in_days=1)
    CommitmentReview.objects.create(
        partnership=partnership,
        source="improvement.adopted",
        object_id=test.pk,
        reviewed_on=TODAY - timedelta(days=3),
        what_happened="Early look.",
        verdict="keep",
    )
    later = CommitmentReview.objects.create(
        partnership=partnership,
        source="improvement.adopted",
        object_id=test.pk,
        reviewed_on=TODAY,
        what_happened="Going well.",
        verdict="change",
        next_review_on=TODAY + timedelta(days=60),
    )
    [item] = selectors.board_for(worker)
    # The latest review set the next review date: it replaces the decision's (tomorrow).
    assert item.latest_review is not None and item.latest_review.pk == later.pk
    assert item.next_review_on == TODAY + timedelta(days=60)
    assert item.status == "on_track"
    assert [r.what_happened for r in selectors.reviews_of(worker, item)] == ["Going well.", "Early look."]


def test_the_board_takes_the_same_number_of_queries_however_many(
    worker: Any, coordinator: Any, partnership: Any, django_assert_max_num_queries: Any
) -> None:
    def add_some(n: int) -> None:
        for k in range(n):
            test = adopted_test(worker, title=f"Test {k}")
            stopped_practice(worker, what=f"Practice {k}", review_on=TODAY + timedelta(days=5))
            idea_we_will_do(coordinator, title=f"Idea {k}")
            award(partnership)
            CommitmentReview.objects.create(
                partnership=partnership,
                source="improvement.adopted",
                object_id=test.pk,
                reviewed_on=TODAY,
                what_happened="Fine.",
                verdict="keep",
            )

    add_some(1)
    budget = 1 + len(commitment_sources())  # one query a source, one for the reviews
    with django_assert_max_num_queries(budget):
        first = len(selectors.board_for(worker))
    add_some(4)
    with django_assert_max_num_queries(budget):
        assert len(selectors.board_for(worker)) == first * 5


def test_one_item_out_of_reach_is_not_permitted(one_of_each: Any, worker: Any, outsider: Any) -> None:
    award_id = one_of_each["award"].pk
    assert selectors.item_for(worker, "fund.award", award_id).commitment.object_id == award_id
    with pytest.raises(NotPermitted):
        selectors.item_for(outsider, "fund.award", award_id)
    with pytest.raises(NotPermitted):
        selectors.item_for(worker, "fund.award", award_id + 1000)
    with pytest.raises(NotPermitted):
        selectors.item_for(worker, "nothing", award_id)
