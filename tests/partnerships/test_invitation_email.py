"""The invitation email is sent in the background; the invitations page says honestly whether it went,
and a coordinator can send it again when it could not be sent."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

from coproduce.core.models import AuditEvent, OutgoingEmail
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation
from coproduce.partnerships.tokens import invitation_token
from tests.conftest import signed_in
from tests.core.mail_servers import refusing_port, use_smtp
from tests.core.workers import make_all_due, run_due_tasks

pytestmark = pytest.mark.django_db


def url(name: str, partnership: Any, **kwargs: Any) -> str:
    return reverse(f"partnerships:{name}", kwargs={"slug": partnership.slug, **kwargs})


def invitations_page(coordinator: Any) -> str:
    return signed_in(coordinator.user).get(url("invitations", coordinator.partnership)).content.decode()


def invite(coordinator: Any, email: str = "aisha@example.org") -> Invitation:
    return services.invitation_create(actor=coordinator, email=email, roles={"member"}, organisation=None)


def fail_every_attempt() -> None:
    """Run the email's task, without its waits, until it is given up."""
    make_all_due()
    while run_due_tasks():
        make_all_due()


class TestTheEmailGoesInTheBackground:
    def test_the_page_says_the_email_is_on_its_way_then_that_it_went(
        self, coordinator: Any, database_tasks: None
    ) -> None:
        response = signed_in(coordinator.user).post(
            url("invitations", coordinator.partnership), {"email": "aisha@example.org", "roles": ["member"]}
        )
        assert response.status_code == 302
        assert not mail.outbox
        assert "The email is on its way." in invitations_page(coordinator)
        assert run_due_tasks() == 1
        assert mail.outbox[0].to == ["aisha@example.org"]
        page = invitations_page(coordinator)
        assert "Email sent." in page and "on its way" not in page

    def test_the_link_is_made_when_the_email_is_sent_and_never_stored(
        self, coordinator: Any, database_tasks: None
    ) -> None:
        invitation = invite(coordinator)
        token = invitation_token(invitation)
        stored = OutgoingEmail.objects.get()
        assert token not in str(OutgoingEmail.objects.values().get())
        assert stored.composer == "coproduce.partnerships.tasks.invitation_email"
        run_due_tasks()
        assert f"/invitations/{token}/" in mail.outbox[0].body

    def test_running_the_task_twice_sends_one_invitation(self, coordinator: Any, database_tasks: None) -> None:
        from coproduce.core.tasks import send_email

        invitation = invite(coordinator)
        send_email.enqueue(invitation.email_message_id)
        assert run_due_tasks() == 2
        assert len(mail.outbox) == 1

    def test_an_invitation_withdrawn_before_its_email_went_sends_nothing(
        self, coordinator: Any, database_tasks: None
    ) -> None:
        invitation = invite(coordinator)
        services.invitation_revoke(actor=coordinator, invitation=invitation)
        run_due_tasks()
        assert not mail.outbox
        assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.CANCELLED


class TestWhenTheEmailCannotBeSent:
    def test_the_page_says_so_and_a_coordinator_sends_it_again(
        self, coordinator: Any, database_tasks: None, settings: Any
    ) -> None:
        use_smtp(settings, refusing_port(), timeout=1)
        invitation = invite(coordinator)
        assert run_due_tasks() == 1
        assert "The email has not gone yet: trying again." in invitations_page(coordinator)
        fail_every_attempt()
        page = invitations_page(coordinator)
        assert "The email could not be sent." in page
        resend = url("invitation-resend", coordinator.partnership, invitation_id=invitation.pk)
        assert f'action="{resend}"' in page and "Send again" in page

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # the mail server is back
        response = signed_in(coordinator.user).post(resend, follow=True)
        assert "The invitation to aisha@example.org is being sent again." in response.content.decode()
        assert "The email is on its way." in response.content.decode()
        assert run_due_tasks() == 1
        link = re.search(r"/invitations/(\S+)/", str(mail.outbox[0].body))
        assert link is not None and link.group(1) == invitation_token(invitation)  # the same link
        assert "Email sent." in invitations_page(coordinator)
        event = AuditEvent.objects.get(action="invitation.resent")
        assert event.actor == coordinator.user and event.target_id == str(invitation.pk)

    def test_sending_again_while_one_is_on_its_way_sends_nothing_more(
        self, coordinator: Any, database_tasks: None
    ) -> None:
        invitation = invite(coordinator)
        response = signed_in(coordinator.user).post(
            url("invitation-resend", coordinator.partnership, invitation_id=invitation.pk), follow=True
        )
        assert "already on its way" in response.content.decode()
        assert run_due_tasks() == 1
        assert len(mail.outbox) == 1
        assert not AuditEvent.objects.filter(action="invitation.resent").exists()

    def test_a_withdrawn_invitation_is_not_sent_again(self, coordinator: Any) -> None:
        invitation = invite(coordinator)
        services.invitation_revoke(actor=coordinator, invitation=invitation)
        response = signed_in(coordinator.user).post(
            url("invitation-resend", coordinator.partnership, invitation_id=invitation.pk), follow=True
        )
        assert "This invitation was withdrawn. Invite them again instead." in response.content.decode()
        assert len(mail.outbox) == 1  # the first, sent at once by the tests' backend

    @pytest.mark.parametrize("role", ["member", "worker", "partner_lead", "observer", "outsider"])
    def test_only_a_coordinator_may_send_it_again(self, role: str, coordinator: Any, request: Any) -> None:
        invitation = invite(coordinator)
        person = request.getfixturevalue(role)
        response = signed_in(person.user).post(
            url("invitation-resend", coordinator.partnership, invitation_id=invitation.pk)
        )
        assert response.status_code == 404
        assert OutgoingEmail.objects.count() == 1

    def test_another_partnerships_invitation_is_missing(self, coordinator: Any, outsider: Any) -> None:
        from tests.factories import staff_membership

        theirs = invite(staff_membership(outsider.partnership, role="coordinator"))
        response = signed_in(coordinator.user).post(
            url("invitation-resend", coordinator.partnership, invitation_id=theirs.pk)
        )
        assert response.status_code == 404
