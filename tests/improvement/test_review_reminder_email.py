"""A review reminder is not lost when the mail server refuses it, and is sent once however often its task runs."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from coproduce.core.models import OutgoingEmail
from coproduce.improvement import services
from coproduce.improvement.models import Decision, TestOfChange
from coproduce.improvement.tasks import send_due_review_reminders
from tests.core.mail_servers import refusing_port, use_smtp
from tests.core.workers import make_all_due, run_due_tasks

pytestmark = pytest.mark.django_db


def test_a_refused_reminder_is_sent_when_the_mail_server_is_back_and_only_once(
    worker: Any, member: Any, test_of_change: TestOfChange, database_tasks: None, settings: Any
) -> None:
    decision = services.decision_record(
        actor=worker,
        test=test_of_change,
        kind="adopt",
        reasons="It worked.",
        review_on=timezone.localdate() + timedelta(days=30),
    )
    # Yesterday's review date: due whatever the time of day the test runs.
    Decision.objects.filter(pk=decision.pk).update(review_on=timezone.localdate() - timedelta(days=1))
    use_smtp(settings, refusing_port(), timeout=1)
    assert send_due_review_reminders.call() == 1
    assert run_due_tasks() == 1
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.RETRYING

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_all_due()
    assert run_due_tasks() == 1
    assert set(mail.outbox[0].to) == {worker.user.email, member.user.email}
    assert send_due_review_reminders.call() == 0  # run again: already sent
    assert run_due_tasks() == 0
    assert len(mail.outbox) == 1
