"""Every email is plain text and HTML, branded with its partnership (or Coproduce), escaped once: a name with
an apostrophe reads as itself in the subject and the text, and is escaped once in the HTML (core.email)."""

from __future__ import annotations

from email.utils import parseaddr
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from coproduce.datarights import services as datarights
from coproduce.partnerships import services as partnerships
from tests.core.workers import run_due_tasks

pytestmark = pytest.mark.django_db

NAME = "Riverside Parents' <Group> & Friends"


def html_of(message: Any) -> str:
    parts = [content for content, mimetype in message.alternatives if mimetype == "text/html"]
    assert len(parts) == 1, "every email has one HTML part"
    return str(parts[0])


def assert_escaped_once(message: Any, name: str) -> None:
    assert "&#x27;" not in message.subject and "&amp;" not in message.subject
    assert "&#x27;" not in message.body and "&lt;" not in message.body and "&amp;" not in message.body
    html = html_of(message)
    assert "Riverside Parents&#x27; &lt;Group&gt; &amp; Friends" in html
    assert "&amp;#x27;" not in html and "&amp;lt;" not in html and "<Group>" not in html
    assert name in message.body


class TestPartnershipEmails:
    @pytest.fixture(autouse=True)
    def _named(self, partnership: Any) -> None:
        partnership.name = NAME
        partnership.save()

    def test_the_invitation_names_the_partnership_as_it_is_written(
        self, coordinator: Any, database_tasks: None
    ) -> None:
        partnerships.invitation_create(
            actor=coordinator, email="aisha@example.org", roles={"member"}, organisation=None
        )
        run_due_tasks()
        [message] = mail.outbox
        assert message.subject == f"You are invited to join {NAME} on Coproduce"
        assert parseaddr(message.from_email)[0] == NAME
        assert_escaped_once(message, NAME)
        assert '<a href="http' in html_of(message)  # the link is a link

    def test_taking_someone_out_is_told_in_text_and_html(
        self, coordinator: Any, member: Any, database_tasks: None
    ) -> None:
        datarights.membership_remove(actor=coordinator, membership=member)
        run_due_tasks()
        [message] = mail.outbox
        assert message.subject == f"You are no longer in {NAME}"
        assert parseaddr(message.from_email)[0] == NAME
        assert_escaped_once(message, NAME)


def test_the_sign_in_code_email_is_from_coproduce_not_from_an_address(member: Any, database_tasks: None) -> None:
    Client().post(reverse("account_request_login_code"), {"email": member.user.email})
    run_due_tasks()
    [message] = mail.outbox
    assert "Hello from" not in message.body and "testserver" not in message.body
    assert "Thank you for using" not in message.body
    assert message.body.startswith("Hello,")
    assert parseaddr(message.from_email)[0] == "Coproduce"
    assert message.subject.startswith("[Coproduce] ")
    assert "Coproduce" in html_of(message)
