"""Reminders the day before (from 09:00) and on the day (from 07:00), London time, across the changes of the
clocks; once each; through notices, so each person's choice of channel applies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from coproduce.core.scheduler import periodic_jobs, task_of
from coproduce.learning import services
from coproduce.learning.models import Event, Registration
from coproduce.notifications.models import Notice, NoticePreference
from coproduce.partnerships.models import Membership
from tests.learning.conftest import at, make_event, members

pytestmark = pytest.mark.django_db


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def event_at(organiser: Membership, starts_at: datetime, **kw: Any) -> Event:
    with at(starts_at - timedelta(days=10)):
        return make_event(organiser, starts_at=starts_at, **kw)


def reminded(kind_field: str) -> int:
    return Registration.objects.filter(**{f"{kind_field}__isnull": False}).count()


def register(people: list[Membership], event: Event) -> None:
    with at(event.starts_at - timedelta(days=5)):
        for person in people:
            services.registration_make(actor=person, event=event)


def test_the_job_is_hourly_and_its_task_is_declared() -> None:
    job = next(j for j in periodic_jobs() if j.key == "learning.event_reminders")
    assert job.every == timedelta(hours=1)
    assert task_of(job).module_path == "coproduce.learning.tasks.send_due_event_reminders"


def test_spring_forward_day_before_at_nine_gmt_and_on_the_day_at_seven_bst(
    worker: Membership, partnership: Any
) -> None:
    # Sunday 28 March 2027, the clocks go forward at 01:00 GMT. The session is at 10:00 BST (09:00 UTC).
    event = event_at(worker, utc(2027, 3, 28, 9, 0))
    assert timezone.localtime(event.starts_at).hour == 10
    register(members(partnership, 2), event)
    # Saturday is still GMT: 09:00 London is 09:00 UTC.
    assert services.event_reminders_send_due(utc(2027, 3, 27, 8, 59)) == 0
    assert services.event_reminders_send_due(utc(2027, 3, 27, 9, 0)) == 2
    assert reminded("reminded_day_before_at") == 2
    assert services.event_reminders_send_due(utc(2027, 3, 27, 22, 0)) == 0  # once
    # Sunday is BST: 07:00 London is 06:00 UTC (a clock that forgot the change would wait until 07:00 UTC).
    assert services.event_reminders_send_due(utc(2027, 3, 28, 5, 59)) == 0
    assert services.event_reminders_send_due(utc(2027, 3, 28, 6, 0)) == 2
    assert services.event_reminders_send_due(utc(2027, 3, 28, 8, 0)) == 0
    texts = list(Notice.objects.filter(kind="learning.event_reminder").values_list("text", flat=True))
    assert len(texts) == 2  # the on-the-day notice joins the unread day-before one (same subject)
    assert all("Today at 10:00" in t for t in texts)


def test_fall_back_day_before_at_nine_bst_and_on_the_day_at_seven_gmt(worker: Membership, partnership: Any) -> None:
    # Sunday 31 October 2027, the clocks go back at 02:00 BST. The session is at 10:00 GMT (10:00 UTC).
    event = event_at(worker, utc(2027, 10, 31, 10, 0))
    register(members(partnership, 1), event)
    # Saturday is BST: 09:00 London is 08:00 UTC.
    assert services.event_reminders_send_due(utc(2027, 10, 30, 7, 59)) == 0
    assert services.event_reminders_send_due(utc(2027, 10, 30, 8, 0)) == 1
    notice = Notice.objects.get(kind="learning.event_reminder")
    assert "Tomorrow at 10:00" in notice.text
    # Sunday is GMT: 07:00 London is 07:00 UTC.
    assert services.event_reminders_send_due(utc(2027, 10, 31, 6, 59)) == 0
    assert services.event_reminders_send_due(utc(2027, 10, 31, 7, 0)) == 1


def test_no_reminder_for_the_waiting_the_cancelled_or_a_cancelled_event(worker: Membership, partnership: Any) -> None:
    event = event_at(worker, utc(2027, 5, 12, 13, 0), capacity=1)
    first, waiting, leaver = members(partnership, 3)
    register([first, waiting], event)
    other = event_at(worker, utc(2027, 5, 12, 15, 0))
    register([leaver], other)
    with at(utc(2027, 5, 1)):
        services.registration_cancel(actor=leaver, registration=Registration.objects.get(user_id=leaver.user_id))
    cancelled = event_at(worker, utc(2027, 5, 12, 17, 0))
    register([first], cancelled)
    with at(utc(2027, 5, 2)):
        services.event_cancel(actor=worker, event=cancelled)
    assert services.event_reminders_send_due(utc(2027, 5, 11, 10, 0)) == 1
    assert list(Notice.objects.filter(kind="learning.event_reminder").values_list("user_id", flat=True)) == [
        first.user_id
    ]


def test_an_event_already_started_is_not_reminded(worker: Membership, partnership: Any) -> None:
    event = event_at(worker, utc(2027, 5, 12, 9, 0))
    register(members(partnership, 1), event)
    assert services.event_reminders_send_due(utc(2027, 5, 12, 9, 30)) == 0


def test_each_persons_choice_of_channel_applies(worker: Membership, partnership: Any) -> None:
    event = event_at(worker, utc(2027, 6, 9, 12, 0))
    by_email, on_site = members(partnership, 2)
    NoticePreference.objects.create(user=on_site.user, kind="learning.event_reminder", delivery="site")
    register([by_email, on_site], event)
    services.event_reminders_send_due(utc(2027, 6, 8, 9, 0))
    deliveries = dict(Notice.objects.filter(kind="learning.event_reminder").values_list("user_id", "delivery"))
    assert deliveries == {by_email.user_id: "email", on_site.user_id: "site"}


def test_the_task_sends_what_is_due_at_the_time_it_runs(worker: Membership, partnership: Any) -> None:
    from coproduce.learning.tasks import send_due_event_reminders

    event = event_at(worker, utc(2027, 6, 9, 12, 0))
    register(members(partnership, 1), event)
    with at(utc(2027, 6, 8, 7, 0)):  # 08:00 BST the day before: too early
        assert send_due_event_reminders.call() == 0
    with at(utc(2027, 6, 8, 8, 0)):  # 09:00 BST
        assert send_due_event_reminders.call() == 1
        assert send_due_event_reminders.call() == 0
