"""A digest is not lost when the mail server refuses it: its notifications are marked emailed and its
email queued together, and the email is sent when the server is back; running the task again sends nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from coproduce.core.models import OutgoingEmail
from coproduce.voice import services
from coproduce.voice.models import Notification
from coproduce.voice.tasks import send_due_digests
from tests.core.mail_servers import refusing_port, use_smtp
from tests.core.workers import make_all_due, run_due_tasks

pytestmark = pytest.mark.django_db


def test_a_refused_digest_is_sent_when_the_mail_server_is_back_and_only_once(
    member: Any, coordinator: Any, database_tasks: None, settings: Any
) -> None:
    idea = services.idea_create(actor=member, title="Crèche at job fairs", body="So parents of toddlers can come.")
    services.digest_preference_set(actor=member, frequency="daily")
    services.idea_respond(actor=coordinator, idea=idea, status="considering", text="Looking at it")
    use_smtp(settings, refusing_port(), timeout=1)
    assert send_due_digests.call() == 1
    assert run_due_tasks() == 1  # refused: it waits to be tried again
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.RETRYING
    assert not Notification.objects.filter(user=member.user, emailed_at__isnull=True).exists()

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_all_due()
    assert run_due_tasks() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.user.email]
    assert send_due_digests.call() == 0  # run again: nothing more to send
    assert run_due_tasks() == 0
    assert len(mail.outbox) == 1
