"""Email leaves through the outbox: sent by a task, once, with a timeout, retried with back-off when the mail
server fails, marked failed after the last attempt, and nothing secret kept once it is done (core.outbox)."""

from __future__ import annotations

import smtplib
from typing import Any

import pytest
from django.core import mail
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coproduce.core import outbox
from coproduce.core.models import OutgoingEmail
from coproduce.core.tasks import send_email
from tests.core.mail_servers import refusing_port, silent_server, use_smtp
from tests.core.workers import make_all_due, run_due_tasks, worker

pytestmark = pytest.mark.django_db

SECRET = "Your sign-in code: 7KQ2-M9XD"


def queue(**overrides: Any) -> OutgoingEmail:
    fields: dict[str, Any] = {
        "kind": "account/email/login_code",
        "to": ["sam@example.org"],
        "subject": "Your sign-in code",
        "body": SECRET,
    }
    return outbox.queue_email(**{**fields, **overrides})


def the_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=send_email.module_path)


class TestSending:
    def test_a_queued_email_is_sent_by_the_worker_and_nothing_secret_is_kept(self, database_tasks: None) -> None:
        message = queue(html="<p>Your sign-in code: 7KQ2-M9XD</p>")
        assert not mail.outbox  # nothing is sent in the request
        task = the_task()
        assert task.args_kwargs == {"args": [message.pk], "kwargs": {}}  # the task stores only the id
        assert run_due_tasks() == 1
        assert len(mail.outbox) == 1
        sent = mail.outbox[0]
        assert isinstance(sent, EmailMultiAlternatives)
        assert sent.to == ["sam@example.org"] and sent.body == SECRET
        assert sent.alternatives[0][1] == "text/html"
        message.refresh_from_db()
        assert message.status == OutgoingEmail.Status.SENT and message.attempts == 1
        assert (message.body, message.html, message.subject, message.recipients) == ("", "", "", [])
        assert message.kind == "account/email/login_code" and message.finished_at is not None

    def test_running_the_task_twice_sends_one_email(self, database_tasks: None) -> None:
        message = queue()
        send_email.enqueue(message.pk)  # the same message queued a second time
        assert run_due_tasks() == 2
        assert len(mail.outbox) == 1
        assert [t.return_value for t in DBTaskResult.objects.order_by("enqueued_at")] == ["sent", ""]

    def test_a_message_and_its_task_are_saved_together_or_not_at_all(self, database_tasks: None) -> None:
        from django.db import transaction

        def failing_request() -> None:
            with transaction.atomic():
                queue()
                raise RuntimeError("the request failed after queueing")

        with pytest.raises(RuntimeError):
            failing_request()
        assert not OutgoingEmail.objects.exists() and not DBTaskResult.objects.exists()

    def test_the_same_task_run_again_after_its_worker_died_mid_send_sends_it(self, database_tasks: None) -> None:
        message = queue()
        task = the_task()
        OutgoingEmail.objects.filter(pk=message.pk).update(
            status=OutgoingEmail.Status.SENDING, claimed_by=str(task.pk), claimed_at=timezone.now(), attempts=1
        )
        assert outbox.deliver(message.pk, run="another task") == ""  # someone else's: left alone
        assert not mail.outbox
        assert outbox.deliver(message.pk, run=str(task.pk)) == "sent"
        assert len(mail.outbox) == 1

    def test_only_a_marked_composer_is_ever_called_by_name(self) -> None:
        def not_a_composer() -> EmailMessage:
            return EmailMessage("x", "y", None, ["a@example.org"])

        with pytest.raises(ValueError, match="not marked"):
            outbox.queue_composed(kind="test", compose=not_a_composer)
        sneaky = OutgoingEmail.objects.create(kind="test", composer="os.getcwd")
        with pytest.raises(ValueError, match="not an email composer"):
            outbox.deliver(sneaky.pk, run="r")


class TestFailingMailServer:
    def test_a_refusing_server_is_retried_with_growing_waits_then_the_email_is_marked_failed(
        self, database_tasks: None, settings: Any
    ) -> None:
        use_smtp(settings, refusing_port(), timeout=2)
        settings.COPRODUCE_TASK_RETRY_DELAY = 30
        message = queue()
        waits = []
        for attempt in range(1, 5):
            before = timezone.now()
            assert run_due_tasks() == 1
            message.refresh_from_db()
            assert message.status == OutgoingEmail.Status.RETRYING and message.attempts == attempt
            assert message.last_error == "ConnectionRefusedError"
            assert message.body == SECRET  # kept for the next attempt
            task = the_task()
            assert task.status == TaskResultStatus.READY
            waits.append(round((task.run_after - before).total_seconds()))
            assert run_due_tasks() == 0  # not before the wait is over
            make_all_due()
        assert run_due_tasks() == 1  # the fifth and last attempt
        assert waits == [30, 60, 120, 240]
        message.refresh_from_db()
        assert message.status == OutgoingEmail.Status.FAILED and message.attempts == 5
        assert (message.body, message.recipients) == ("", [])  # given up: nothing kept
        assert the_task().status == TaskResultStatus.FAILED

    def test_a_server_that_never_answers_costs_a_task_the_timeout_then_a_retry(
        self, database_tasks: None, settings: Any
    ) -> None:
        message = queue()
        with silent_server() as port:
            use_smtp(settings, port, timeout=0.5)
            started = timezone.now()
            assert worker().run_next() is True
            took = (timezone.now() - started).total_seconds()
        assert took < 5
        message.refresh_from_db()
        assert message.status == OutgoingEmail.Status.RETRYING
        assert the_task().status == TaskResultStatus.READY

    def test_the_settings_give_a_timeout(self) -> None:
        from django.conf import settings

        assert 0 < settings.EMAIL_TIMEOUT <= 30


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (ConnectionRefusedError(), True),
        (TimeoutError(), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPResponseException(421, b"try later"), True),
        (smtplib.SMTPDataError(451, b"local error"), True),
        (smtplib.SMTPResponseException(554, b"no"), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"no such person")}), False),
        (smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"mailbox busy")}), True),
        (ValueError("a bug"), False),
    ],
)
def test_which_errors_are_worth_another_attempt(error: BaseException, transient: bool) -> None:
    assert outbox.error_is_transient(error) is transient


def test_an_error_is_described_without_its_text(db: Any) -> None:
    refused = smtplib.SMTPRecipientsRefused({"sam@example.org": (550, b"sam@example.org unknown")})
    assert "sam" not in outbox.describe(refused)
    assert outbox.describe(smtplib.SMTPDataError(451, b"sam@example.org")) == "SMTPDataError 451"
