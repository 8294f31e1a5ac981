"""Sign-in codes and password resets are emailed by a background task: a mail server that never answers
or refuses cannot hold up or break those pages (accounts.adapter.AccountAdapter.send_mail)."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from coproduce.core.models import OutgoingEmail
from tests.core.mail_servers import refusing_port, silent_server, use_smtp
from tests.core.workers import run_due_tasks

pytestmark = pytest.mark.django_db

PAGES = [("account_request_login_code", "account/email/login_code"), ("account_reset_password", "account/email/")]


def timed_post(name: str, email: str) -> tuple[Any, float]:
    started = time.monotonic()
    response = Client().post(reverse(name), {"email": email})
    return response, time.monotonic() - started


@pytest.mark.parametrize(("page", "kind"), PAGES)
def test_with_a_mail_server_that_never_answers_the_page_answers_at_once(
    page: str, kind: str, member: Any, database_tasks: None, settings: Any
) -> None:
    with silent_server() as port:
        use_smtp(settings, port, timeout=5)
        response, seconds = timed_post(page, member.user.email)
    assert response.status_code == 302
    assert seconds < 2  # it would take the mail server's whole timeout if it were sent here
    queued = OutgoingEmail.objects.get()
    assert queued.kind.startswith(kind) and queued.status == OutgoingEmail.Status.QUEUED
    assert queued.recipients == [member.user.email]
    assert DBTaskResult.objects.get().args_kwargs == {"args": [queued.pk], "kwargs": {}}


@pytest.mark.parametrize(("page", "kind"), PAGES)
def test_with_a_refusing_mail_server_the_page_answers_calmly_and_the_task_retries(
    page: str, kind: str, member: Any, database_tasks: None, settings: Any
) -> None:
    use_smtp(settings, refusing_port(), timeout=2)
    response = Client().post(reverse(page), {"email": member.user.email}, follow=True)
    assert response.status_code == 200
    assert run_due_tasks() == 1
    message = OutgoingEmail.objects.get()
    assert message.status == OutgoingEmail.Status.RETRYING and message.last_error == "ConnectionRefusedError"
    task = DBTaskResult.objects.get()
    assert task.status == TaskResultStatus.READY and task.exception_class_path == "builtins.ConnectionRefusedError"


def test_the_emailed_code_still_signs_the_person_in(member: Any, database_tasks: None) -> None:
    import re

    client = Client()
    client.post(reverse("account_request_login_code"), {"email": member.user.email})
    assert not mail.outbox
    run_due_tasks()
    found = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", str(mail.outbox[0].body), re.MULTILINE)
    assert found is not None
    assert OutgoingEmail.objects.get().body == ""  # the code is not kept once sent
    assert client.post(reverse("account_confirm_login_code"), {"code": found.group(1)}).status_code == 302
