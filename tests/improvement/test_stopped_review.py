"""The stop-doing register's review dates: entered with the practice, taken from the decision that stopped
it, shown on its page, and counted with decisions' review dates on a coordinator's attention list."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from coproduce.core.exceptions import ServiceError
from coproduce.improvement import services
from coproduce.improvement.home import _reviews_due
from coproduce.improvement.models import StoppedPractice, TestOfChange
from tests.conftest import signed_in

TODAY = timezone.localdate()


def test_a_stopped_practice_takes_a_review_date_after_today(worker: Any) -> None:
    entry = services.stopped_create(
        actor=worker, what="Paper sign-in", why="Nobody read it.", review_on=TODAY + timedelta(7)
    )
    assert entry.review_on == TODAY + timedelta(days=7)
    with pytest.raises(ServiceError) as error:
        services.stopped_create(actor=worker, what="Photo ID", why="Turned parents away.", review_on=TODAY)
    assert error.value.field == "review_on"
    assert StoppedPractice.objects.count() == 1


def test_abandoning_a_test_gives_the_register_entry_the_decisions_review_date(
    worker: Any, test_of_change: TestOfChange
) -> None:
    services.decision_record(
        actor=worker, test=test_of_change, kind="abandon", reasons="Nobody came.", review_on=TODAY + timedelta(40)
    )
    assert StoppedPractice.objects.get().review_on == TODAY + timedelta(days=40)


def test_the_form_and_page_show_the_review_date(partnership: Any, member: Any) -> None:
    client = signed_in(member.user)
    new = reverse("improvement:stopped-new", kwargs={"slug": partnership.slug})
    assert "When should we look at this again?" in client.get(new).content.decode()
    day = TODAY + timedelta(days=30)
    response = client.post(new, {"what": "Paper sign-in", "why": "Nobody read it.", "review_on": day.isoformat()})
    assert response.status_code == 302
    entry = StoppedPractice.objects.get()
    assert entry.review_on == day
    page = client.get(response["Location"]).content.decode()
    assert day.strftime("%-d %B %Y") in page


def test_review_dates_that_have_come_are_counted_for_coordinators(
    worker: Any, coordinator: Any, test_of_change: TestOfChange
) -> None:
    assert _reviews_due(coordinator) == 0
    entry = services.stopped_create(
        actor=worker, what="Paper sign-in", why="Nobody read it.", review_on=TODAY + timedelta(1)
    )
    StoppedPractice.objects.filter(pk=entry.pk).update(review_on=TODAY)
    assert _reviews_due(coordinator) == 1
    # A decision whose review date has come, and the practice it stopped: one thing to review, not two.
    services.decision_record(
        actor=worker, test=test_of_change, kind="abandon", reasons="Nobody came.", review_on=TODAY + timedelta(1)
    )
    test_of_change.decision.__class__.objects.filter(test=test_of_change).update(review_on=TODAY)
    StoppedPractice.objects.filter(test=test_of_change).update(review_on=TODAY)
    assert _reviews_due(coordinator) == 2
    page = signed_in(coordinator.user).get(reverse("partnerships:home", kwargs={"slug": worker.partnership.slug}))
    assert "2 decided changes or stopped practices whose review date has come" in page.content.decode()


def test_the_review_date_of_a_stopped_practice_is_reminded_once_to_who_entered_it(worker: Any, member: Any) -> None:
    from coproduce.notifications.models import Notice

    entry = services.stopped_create(
        actor=worker, what="Paper sign-in", why="Nobody read it.", review_on=TODAY + timedelta(1)
    )
    assert services.stopped_reminders_due() == []
    StoppedPractice.objects.filter(pk=entry.pk).update(review_on=TODAY - timedelta(days=1))
    assert services.stopped_reminders_due() == [entry.pk]
    assert services.review_reminders_send_due() == 1
    assert services.review_reminders_send_due() == 0  # run again: sent already
    notice = Notice.objects.get(kind="improvement.review_due")
    assert notice.user_id == worker.user_id
    assert "Paper sign-in" in notice.text
    assert notice.url.endswith(f"/stopped/{entry.pk}/")


def test_a_practice_stopped_by_a_decision_is_reminded_with_the_decision_not_twice(
    worker: Any, test_of_change: TestOfChange
) -> None:
    services.decision_record(
        actor=worker, test=test_of_change, kind="abandon", reasons="Nobody came.", review_on=TODAY + timedelta(1)
    )
    StoppedPractice.objects.filter(test=test_of_change).update(review_on=TODAY - timedelta(days=1))
    assert services.stopped_reminders_due() == []
