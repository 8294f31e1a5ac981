"""Reviews in a person's own data, and what leaving and erasure do to them."""

from __future__ import annotations

from typing import Any

from coproduce.commitments import services
from coproduce.commitments.departure import DEPARTURE
from coproduce.commitments.models import CommitmentReview
from coproduce.commitments.personal_data import EXPORT
from coproduce.partnerships.personal_data import departures, personal_data_exports
from tests.commitments.conftest import adopted_test


def _reviewed(worker: Any, coordinator: Any) -> CommitmentReview:
    test = adopted_test(worker)
    services.review_record(
        actor=coordinator, source="improvement.adopted", object_id=test.pk, what_happened="Going well.", verdict="keep"
    )
    return CommitmentReview.objects.get()


def test_registered() -> None:
    assert EXPORT in personal_data_exports()
    assert DEPARTURE in departures()


def test_the_reviewer_finds_their_reviews_in_their_data_and_nobody_else_does(worker: Any, coordinator: Any) -> None:
    review = _reviewed(worker, coordinator)
    [row] = EXPORT.export(coordinator)["reviews"]
    assert row["commitment"] == f"improvement.adopted:{review.object_id}"
    assert row["what_happened"] == "Going well."
    assert row["verdict"] == "Keep it as it is"
    assert EXPORT.export(worker)["reviews"] == []


def test_leaving_keeps_the_review_with_the_name_and_erasure_takes_the_name_off(worker: Any, coordinator: Any) -> None:
    review = _reviewed(worker, coordinator)
    assert [line.count for line in DEPARTURE.leaving(coordinator)] == [1]
    DEPARTURE.leave(coordinator)
    review.refresh_from_db()
    assert (review.reviewed_by_id, review.reviewer_name) == (coordinator.user_id, coordinator.user.name)
    assert [line.count for line in DEPARTURE.erasure(coordinator)] == [1]
    DEPARTURE.erase(coordinator)
    review.refresh_from_db()
    assert (review.reviewed_by_id, review.reviewer_name) == (None, "")
    assert review.what_happened == "Going well."
