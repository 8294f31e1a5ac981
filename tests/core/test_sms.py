"""Text messages leave through their outbox (core.sms): sent by a task, once, retried with back-off when the
provider fails for a while, given up when it refuses, never over a day's limits or to someone who stopped
them, and nothing secret kept once done; mobile numbers are checked and kept in E.164."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from notifications_python_client.errors import HTTPError

from coproduce.core import sms
from coproduce.core.form_fields import MobileNumberField
from coproduce.core.models import OutgoingText
from coproduce.core.tasks import send_text_message
from tests.core.workers import make_all_due, run_due_tasks

pytestmark = pytest.mark.django_db

AISHA = "+447700900123"
SECRET = "123456 is your Coproduce code."


def queue(**overrides: Any) -> OutgoingText:
    fields: dict[str, Any] = {"to": AISHA, "body": SECRET, "kind": "account.sign_in_code", "reference": "code:1"}
    return sms.send_text(**{**fields, **overrides})


def status(text: OutgoingText) -> str:
    """What became of a text (the row as it is now: the tests' backend has run its task meanwhile)."""
    return OutgoingText.objects.get(pk=text.pk).status


def the_task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path=send_text_message.module_path)


class TestNumbers:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("07700 900123", "+447700900123"),
            ("07700900123", "+447700900123"),
            ("+44 7700 900123", "+447700900123"),
            ("0044 7700 900123", "+447700900123"),
            (" (07700) 900-123 ", "+447700900123"),
            ("+48 512 345 678", "+48512345678"),  # a Polish mobile, typed with its country code
        ],
    )
    def test_a_mobile_number_is_kept_in_e164(self, typed: str, stored: str) -> None:
        assert sms.mobile_number(typed) == stored

    @pytest.mark.parametrize(
        "typed",
        ["", "hello", "0131 496 0000", "0800 123 4567", "07700", "077009001234567", "+44 20 7946 0000", "1" * 40],
    )
    def test_anything_but_a_mobile_number_is_refused_with_an_example(self, typed: str) -> None:
        with pytest.raises(ValidationError) as refused:
            sms.mobile_number(typed)
        assert "07700 900123" in str(refused.value.messages[0])

    def test_the_form_field_cleans_to_e164_and_says_what_is_wrong(self) -> None:
        field = MobileNumberField()
        assert field.clean("07700 900123") == AISHA
        with pytest.raises(ValidationError, match="Enter a UK mobile number"):
            field.clean("0131 496 0000")
        with pytest.raises(ValidationError, match="Enter your mobile number"):
            field.clean("")

    def test_a_number_is_shown_as_people_write_it(self) -> None:
        assert sms.number_shown(AISHA) == "07700 900123"


class TestSending:
    def test_a_queued_text_is_sent_by_the_worker_and_nothing_secret_is_kept(self, database_tasks: None) -> None:
        text = queue()
        assert not sms.outbox  # nothing is sent in the request
        assert the_task().args_kwargs == {"args": [text.pk], "kwargs": {}}  # the task stores only the id
        assert run_due_tasks() == 1
        assert [(t.to, t.body, t.reference) for t in sms.outbox] == [(AISHA, SECRET, "code:1")]
        text.refresh_from_db()
        assert text.status == OutgoingText.Status.SENT and text.attempts == 1
        assert (text.to, text.body) == ("", "")
        assert text.provider_id == "locmem-1" and text.number_key == sms.number_key(AISHA)

    def test_the_same_text_queued_twice_is_one_row_sent_once(self, database_tasks: None) -> None:
        first = queue()
        again = queue()
        assert again.pk == first.pk and OutgoingText.objects.count() == 1
        send_text_message.enqueue(first.pk)  # and its task run twice
        run_due_tasks()
        assert len(sms.outbox) == 1

    def test_a_text_and_its_task_are_saved_together_or_not_at_all(self, database_tasks: None) -> None:
        from django.db import transaction

        def failing_request() -> None:
            with transaction.atomic():
                queue()
                raise RuntimeError("the request failed after queueing")

        with pytest.raises(RuntimeError):
            failing_request()
        assert not OutgoingText.objects.exists() and not DBTaskResult.objects.exists()

    def test_a_run_that_died_mid_send_is_taken_up_only_by_its_own_task(self, database_tasks: None) -> None:
        text = queue()
        task = the_task()
        OutgoingText.objects.filter(pk=text.pk).update(
            status=OutgoingText.Status.SENDING, claimed_by=str(task.pk), claimed_at=timezone.now(), attempts=1
        )
        assert sms.deliver(text.pk, run="another task") == ""
        assert sms.deliver(text.pk, run=str(task.pk)) == "sent"
        assert len(sms.outbox) == 1

    def test_the_demo_prints_the_text_in_the_terminal(self, settings: Any, capsys: pytest.CaptureFixture[str]) -> None:
        settings.COPRODUCE_SMS_BACKEND = "console"
        queue()
        assert f"Text message to {AISHA}: {SECRET}" in capsys.readouterr().out

    def test_another_provider_is_one_class_named_in_the_settings(self, settings: Any) -> None:
        settings.COPRODUCE_SMS_BACKEND = "tests.core.test_sms.OtherProvider"
        queue()
        assert OtherProvider.sent == [AISHA]
        assert OutgoingText.objects.get().provider_id == "other-1"


class OtherProvider:
    sent: list[str] = []

    def send(self, *, to: str, body: str, reference: str) -> str:
        self.sent.append(to)
        return "other-1"


def notify_error(status: int) -> HTTPError:
    response = mock.Mock(status_code=status)
    response.json.return_value = {"errors": [{"message": "x"}]}
    return HTTPError(response)


class TestNotify:
    @pytest.fixture
    def notify(self, settings: Any) -> Any:
        settings.COPRODUCE_SMS_BACKEND = "notify"
        settings.NOTIFY_API_KEY = "test-key"
        settings.NOTIFY_SMS_TEMPLATE_ID = "11111111-2222-3333-4444-555555555555"
        settings.NOTIFY_TIMEOUT = 3
        with mock.patch("notifications_python_client.notifications.NotificationsAPIClient") as client:
            yield client

    def test_a_text_goes_through_the_one_template_with_its_body(self, notify: Any) -> None:
        notify.return_value.send_sms_notification.return_value = {"id": "notify-id-1"}
        text = queue()
        notify.assert_called_once_with("test-key", timeout=3)
        notify.return_value.send_sms_notification.assert_called_once_with(
            phone_number=AISHA,
            template_id="11111111-2222-3333-4444-555555555555",
            personalisation={"body": SECRET},
            reference="code:1",
        )
        text.refresh_from_db()
        assert text.status == OutgoingText.Status.SENT and text.provider_id == "notify-id-1"

    def test_a_busy_or_failing_notify_is_retried_with_growing_waits_then_given_up(
        self, notify: Any, database_tasks: None, settings: Any
    ) -> None:
        settings.COPRODUCE_TASK_RETRY_DELAY = 30
        notify.return_value.send_sms_notification.side_effect = notify_error(500)
        text = queue()
        for attempt in range(1, 5):
            assert run_due_tasks() == 1
            text.refresh_from_db()
            assert text.status == OutgoingText.Status.RETRYING and text.attempts == attempt
            assert text.last_error == "TransientSendError 500" and text.body == SECRET
            assert run_due_tasks() == 0
            make_all_due()
        assert run_due_tasks() == 1
        text.refresh_from_db()
        assert text.status == OutgoingText.Status.FAILED and (text.to, text.body) == ("", "")
        assert the_task().status == TaskResultStatus.FAILED

    def test_a_refusal_is_given_up_at_once(self, notify: Any, database_tasks: None) -> None:
        notify.return_value.send_sms_notification.side_effect = notify_error(400)
        text = queue()
        assert run_due_tasks() == 1
        text.refresh_from_db()
        assert text.status == OutgoingText.Status.FAILED and text.attempts == 1
        assert text.last_error == "PermanentSendError 400" and text.to == ""

    @pytest.mark.parametrize(("status", "transient"), [(400, False), (403, False), (429, True), (500, True)])
    def test_which_answers_are_worth_another_attempt(self, notify: Any, status: int, transient: bool) -> None:
        notify.return_value.send_sms_notification.side_effect = notify_error(status)
        with pytest.raises(sms.SendError) as error:
            sms.NotifyBackend().send(to=AISHA, body="x", reference="r")
        assert sms.error_is_transient(error.value) is transient

    def test_notify_without_its_key_is_a_configuration_error(self, settings: Any) -> None:
        from django.core.exceptions import ImproperlyConfigured

        settings.NOTIFY_API_KEY = ""
        with pytest.raises(ImproperlyConfigured):
            sms.NotifyBackend()


class TestLimits:
    def test_a_number_gets_no_more_than_its_daily_limit(self, settings: Any) -> None:
        settings.COPRODUCE_SMS_PER_NUMBER_PER_DAY = 2
        rows = [queue(reference=f"r{i}") for i in range(3)]
        assert [status(r) for r in rows] == ["sent", "sent", "dropped"]
        assert rows[2].reason == OutgoingText.Reason.NUMBER_LIMIT and rows[2].body == ""
        assert len(sms.outbox) == 2
        assert status(queue(to="+447700900456", reference="r9")) == "sent"  # another number is not held up

    def test_a_partnership_and_the_site_have_their_daily_limits(self, settings: Any) -> None:
        settings.COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY = 1
        settings.COPRODUCE_SMS_PER_DAY = 3
        assert status(queue(reference="a", partnership_id=7)) == "sent"
        dropped = queue(to="+447700900456", reference="b", partnership_id=7)
        assert dropped.reason == OutgoingText.Reason.PARTNERSHIP_LIMIT
        assert status(queue(to="+447700900456", reference="c", partnership_id=8)) == "sent"
        assert status(queue(to="+447700900789", reference="d")) == "sent"
        assert queue(to="+447700900111", reference="e").reason == OutgoingText.Reason.SITE_LIMIT

    def test_yesterdays_texts_do_not_count(self, settings: Any) -> None:
        settings.COPRODUCE_SMS_PER_NUMBER_PER_DAY = 1
        queue(reference="old")
        OutgoingText.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))
        assert status(queue(reference="new")) == "sent"


class TestBlockers:
    def test_a_blocked_text_is_dropped_when_queued_and_when_sent(self, database_tasks: None) -> None:
        stopped: set[str] = set()

        def blocker(*, to: str, partnership_id: int | None, kind: str) -> str:
            return "opted_out" if to in stopped else ""

        sms.register_blocker(blocker)
        try:
            text = queue()
            stopped.add(AISHA)  # she stops texts while it waits
            run_due_tasks()
            text.refresh_from_db()
            assert (text.status, text.reason, text.to, text.body) == ("dropped", "opted_out", "", "")
            assert queue(reference="later").status == "dropped"
            assert not sms.outbox
        finally:
            sms._blockers.remove(blocker)
