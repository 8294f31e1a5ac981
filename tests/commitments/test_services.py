"""Recording a review: checks, audit, the owner's notice, and the database's own rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from coproduce.commitments import services
from coproduce.commitments.models import CommitmentReview
from coproduce.core.exceptions import NotPermitted, ServiceError
from coproduce.core.models import AuditEvent
from coproduce.notifications.models import Notice
from tests.commitments.conftest import adopted_test, award

TODAY = timezone.localdate()


def _review(actor: Any, source: str, object_id: int, **overrides: Any) -> CommitmentReview:
    values = {"what_happened": "Twelve parents came each week.", "verdict": "keep", **overrides}
    return services.review_record(actor=actor, source=source, object_id=object_id, **values)


def test_a_review_is_recorded_audited_and_the_owner_told(worker: Any, coordinator: Any) -> None:
    test = adopted_test(worker)
    review = _review(coordinator, "improvement.adopted", test.pk, next_review_on=TODAY + timedelta(days=90))
    assert review.reviewed_on == TODAY
    assert review.reviewed_by == coordinator.user
    assert review.reviewer_name == coordinator.user.name
    assert review.partnership_id == coordinator.partnership_id
    event = AuditEvent.objects.get(action="commitments.reviewed")
    assert event.actor == coordinator.user
    assert event.detail["verdict"] == "keep"
    notice = Notice.objects.get(kind="commitments.reviewed")
    assert notice.user_id == worker.user_id
    assert test.title in notice.text


def test_the_owner_reviewing_their_own_commitment_is_not_told(worker: Any) -> None:
    test = adopted_test(worker)
    _review(worker, "improvement.adopted", test.pk)
    assert not Notice.objects.filter(kind="commitments.reviewed").exists()


def test_an_organisation_owner_gets_no_notice(worker: Any, partnership: Any) -> None:
    made = award(partnership)
    _review(worker, "fund.award", made.pk, verdict="change")
    assert CommitmentReview.objects.get().verdict == "change"
    assert not Notice.objects.filter(kind="commitments.reviewed").exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"what_happened": "   "}, "what_happened"),
        ({"verdict": "shrug"}, "verdict"),
        ({"reviewed_on": TODAY + timedelta(days=1)}, "reviewed_on"),
        ({"next_review_on": TODAY}, "next_review_on"),
        ({"what_happened": "x" * 4001}, "what_happened"),
    ],
)
def test_bad_reviews_are_refused_and_nothing_saved(worker: Any, overrides: dict[str, Any], field: str) -> None:
    test = adopted_test(worker)
    with pytest.raises(ServiceError) as error:
        _review(worker, "improvement.adopted", test.pk, **overrides)
    assert error.value.field == field
    assert not CommitmentReview.objects.exists()
    assert not AuditEvent.objects.filter(action="commitments.reviewed").exists()


def test_members_and_observers_may_not_record_reviews(worker: Any, member: Any, observer: Any) -> None:
    test = adopted_test(worker)
    for actor in (member, observer):
        with pytest.raises(NotPermitted):
            _review(actor, "improvement.adopted", test.pk)
    assert not CommitmentReview.objects.exists()


def test_a_commitment_of_another_partnership_cannot_be_reviewed(worker: Any, outsider: Any) -> None:
    from tests.factories import staff_membership

    other_staff = staff_membership(outsider.partnership, role="coordinator")
    test = adopted_test(worker)
    with pytest.raises(NotPermitted):
        _review(other_staff, "improvement.adopted", test.pk)
    with pytest.raises(NotPermitted):
        _review(worker, "improvement.adopted", test.pk + 100)


def _row(partnership: Any, **overrides: Any) -> dict[str, Any]:
    values = {
        "partnership": partnership,
        "source": "fund.award",
        "object_id": 1,
        "reviewed_on": TODAY,
        "what_happened": "Paid.",
        "verdict": "keep",
    }
    values.update(overrides)
    return values


@pytest.mark.parametrize(
    "overrides",
    [
        {"verdict": "maybe"},
        {"what_happened": ""},
        {"source": ""},
        {"next_review_on": TODAY},
        {"next_review_on": TODAY - timedelta(days=1)},
    ],
)
def test_the_database_refuses_a_review_that_breaks_its_rules(partnership: Any, overrides: dict[str, Any]) -> None:
    CommitmentReview.objects.create(**_row(partnership, next_review_on=TODAY + timedelta(days=1)))
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitmentReview.objects.create(**_row(partnership, **overrides))
