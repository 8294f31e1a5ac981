"""Invitations by text message (a mobile number instead of an email address, the short link in the text,
an email address asked on accepting, the number confirmed), and a coordinator's switch that turns the
partnership's texts off."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from coproduce.accounts.models import User
from coproduce.core import sms
from coproduce.core.models import AuditEvent, OutgoingText
from coproduce.partnerships import services
from coproduce.partnerships.models import Invitation, Membership, Partnership
from coproduce.partnerships.tokens import invitation_token
from tests.conftest import signed_in
from tests.factories import InvitationFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

NUMBER = "+447700900456"
TYPED = "07700 900456"


def invitations_url(partnership: Partnership) -> str:
    return reverse("partnerships:invitations", kwargs={"slug": partnership.slug})


def texts_url(partnership: Partnership) -> str:
    return reverse("partnerships:settings-texts", kwargs={"slug": partnership.slug})


def invite(client: Any, partnership: Partnership, captured: Any, **fields: Any) -> Any:
    data = {"email": "", "phone": TYPED, "roles": ["member"], **fields}
    with captured(execute=True):
        return client.post(invitations_url(partnership), data)


class TestInvitingByText:
    def test_a_coordinator_invites_a_number_and_the_text_carries_the_name_and_short_link(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any
    ) -> None:
        response = invite(signed_in(coordinator.user), coordinator.partnership, django_capture_on_commit_callbacks)
        assert response.status_code == 302
        invitation = Invitation.objects.get(partnership=coordinator.partnership)
        assert (invitation.email, invitation.phone) == ("", NUMBER)
        assert len(invitation.short_code) == 10
        [text] = sms.outbox
        assert text.to == NUMBER
        assert coordinator.partnership.name in text.body
        assert f"/i/{invitation.short_code}/" in text.body
        row = OutgoingText.objects.get(kind="partnerships.invitation")
        assert row.partnership_id == coordinator.partnership.pk
        event = AuditEvent.objects.get(action="invitation.created")
        assert event.detail["channel"] == "text"
        page = signed_in(coordinator.user).get(invitations_url(coordinator.partnership)).content.decode()
        assert "07700 900456" in page and "(by text message)" in page

    def test_a_partner_lead_invites_her_own_staff_by_text(
        self, partner_lead: Membership, django_capture_on_commit_callbacks: Any
    ) -> None:
        response = invite(
            signed_in(partner_lead.user),
            partner_lead.partnership,
            django_capture_on_commit_callbacks,
            roles=["worker"],
        )
        assert response.status_code == 302
        invitation = Invitation.objects.get(partnership=partner_lead.partnership)
        assert invitation.organisation_id == partner_lead.organisation_id
        assert len(sms.outbox) == 1

    @pytest.mark.parametrize("role_fixture", ["member", "worker", "observer", "outsider"])
    def test_no_one_else_may_invite(
        self, request: pytest.FixtureRequest, partnership: Partnership, role_fixture: str
    ) -> None:
        person = request.getfixturevalue(role_fixture)
        user = person if isinstance(person, User) else person.user
        response = signed_in(user).post(invitations_url(partnership), {"phone": TYPED, "roles": ["member"]})
        assert response.status_code == 404
        assert not Invitation.objects.exists() and not sms.outbox

    @pytest.mark.parametrize(
        ("fields", "message"),
        [
            ({"phone": "0141 496 0000"}, "Enter a UK mobile number, like 07700 900123."),
            ({"phone": "not a number"}, "Enter a UK mobile number, like 07700 900123."),
            ({"phone": ""}, "Enter the email address or the mobile number of the person to invite."),
            ({"email": "a@example.org"}, "Enter an email address or a mobile number, not both."),
        ],
    )
    def test_bad_input_is_refused_with_a_clear_message(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any, fields: dict[str, str], message: str
    ) -> None:
        response = invite(
            signed_in(coordinator.user), coordinator.partnership, django_capture_on_commit_callbacks, **fields
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not Invitation.objects.exists() and not sms.outbox

    def test_the_same_number_is_not_invited_twice_while_open(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any
    ) -> None:
        client = signed_in(coordinator.user)
        invite(client, coordinator.partnership, django_capture_on_commit_callbacks)
        response = invite(client, coordinator.partnership, django_capture_on_commit_callbacks, phone="+44 7700 900456")
        assert response.status_code == 200
        assert "This number already has an open invitation" in response.content.decode()
        assert Invitation.objects.count() == 1 and len(sms.outbox) == 1

    def test_a_number_of_someone_already_in_the_partnership_is_refused(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any
    ) -> None:
        MembershipFactory(partnership=coordinator.partnership, is_member=True, user=UserFactory(phone=NUMBER))
        response = invite(signed_in(coordinator.user), coordinator.partnership, django_capture_on_commit_callbacks)
        assert "This person is already in the partnership" in response.content.decode()
        assert not Invitation.objects.exists() and not sms.outbox

    def test_the_daily_limits_apply(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any, settings: Any
    ) -> None:
        settings.COPRODUCE_SMS_PER_PARTNERSHIP_PER_DAY = 0
        invite(signed_in(coordinator.user), coordinator.partnership, django_capture_on_commit_callbacks)
        assert Invitation.objects.count() == 1
        assert not sms.outbox
        assert OutgoingText.objects.get().reason == OutgoingText.Reason.PARTNERSHIP_LIMIT

    def test_a_text_invitation_is_not_sent_again_but_may_be_withdrawn(self, coordinator: Membership) -> None:
        invitation = InvitationFactory(partnership=coordinator.partnership, email="", phone=NUMBER)
        client = signed_in(coordinator.user)
        kwargs = {"slug": coordinator.partnership.slug, "invitation_id": invitation.pk}
        resent = client.post(reverse("partnerships:invitation-resend", kwargs=kwargs), follow=True)
        assert "is not sent again" in resent.content.decode()
        client.post(reverse("partnerships:invitation-revoke", kwargs=kwargs))
        assert Invitation.objects.get(pk=invitation.pk).revoked_at is not None
        assert AuditEvent.objects.get(action="invitation.revoked").target_label == "07700 900456"


class TestAcceptingATextInvitation:
    def accept_url(self, invitation: Invitation) -> str:
        return reverse("partnerships:invitation-accept", kwargs={"token": invitation_token(invitation)})

    def test_the_short_link_leads_to_a_page_asking_for_an_email_address(self, partnership: Partnership) -> None:
        code = services.short_code_new()
        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER, short_code=code)
        page = self.client_get(reverse("partnerships:invitation-short", kwargs={"code": code}))
        assert page.status_code == 200
        html = page.content.decode()
        assert 'name="email"' in html and "Your email address" in html
        assert invitation.phone not in html

    def client_get(self, url: str) -> Any:
        from django.test import Client

        return Client().get(url, follow=True)

    def test_a_new_person_gives_an_email_and_her_number_is_confirmed(self, partnership: Partnership) -> None:
        from django.test import Client

        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER)
        response = Client().post(
            self.accept_url(invitation),
            {
                "email": "Zofia@Example.org",
                "display_name": "Zofia",
                "password1": "a long pass phrase 7",
                "password2": "a long pass phrase 7",
            },
        )
        assert response.status_code == 302
        user = User.objects.get(email="zofia@example.org")
        assert (user.phone, user.phone_verified) == (NUMBER, True)
        assert Membership.objects.filter(partnership=partnership, user=user, is_member=True).exists()

    @pytest.mark.parametrize(
        ("email", "message"),
        [("", "Enter your email address."), ("nope", "Enter an email address in the right format")],
    )
    def test_a_missing_or_bad_email_is_asked_again(self, partnership: Partnership, email: str, message: str) -> None:
        from django.test import Client

        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER)
        response = Client().post(
            self.accept_url(invitation),
            {
                "email": email,
                "display_name": "Zofia",
                "password1": "a long pass phrase 7",
                "password2": "a long pass phrase 7",
            },
        )
        assert response.status_code == 200
        assert message in response.content.decode()
        assert not User.objects.filter(display_name="Zofia").exists()

    def test_an_email_that_has_an_account_is_told_to_sign_in(self, partnership: Partnership) -> None:
        from django.test import Client

        UserFactory(email="taken@example.org")
        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER)
        response = Client().post(
            self.accept_url(invitation),
            {
                "email": "taken@example.org",
                "display_name": "Zofia",
                "password1": "a long pass phrase 7",
                "password2": "a long pass phrase 7",
            },
        )
        assert "There is already an account for this email address" in response.content.decode()
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is None

    def test_someone_signed_in_accepts_and_the_number_becomes_hers(self, partnership: Partnership) -> None:
        user = UserFactory()
        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER)
        response = signed_in(user).post(self.accept_url(invitation))
        assert response.status_code == 302
        user.refresh_from_db()
        assert (user.phone, user.phone_verified) == (NUMBER, True)
        assert Membership.objects.filter(partnership=partnership, user=user).exists()

    def test_a_number_that_is_another_accounts_is_refused(self, partnership: Partnership) -> None:
        UserFactory(phone=NUMBER)
        user = UserFactory()
        invitation = InvitationFactory(partnership=partnership, email="", phone=NUMBER)
        response = signed_in(user).post(self.accept_url(invitation))
        assert "This mobile number belongs to another account" in response.content.decode()
        assert not Membership.objects.filter(partnership=partnership, user=user).exists()


class TestTheTextsSwitch:
    def test_a_coordinator_turns_texts_off_and_nothing_is_texted_for_the_partnership(
        self, coordinator: Membership, django_capture_on_commit_callbacks: Any
    ) -> None:
        client = signed_in(coordinator.user)
        assert client.get(texts_url(coordinator.partnership)).status_code == 200
        response = client.post(texts_url(coordinator.partnership), {"texts": "off"})
        assert response.status_code == 302
        coordinator.partnership.refresh_from_db()
        assert coordinator.partnership.texts_allowed is False
        assert AuditEvent.objects.filter(action="partnership.texts_off").count() == 1
        invite(client, coordinator.partnership, django_capture_on_commit_callbacks)
        assert not sms.outbox
        assert OutgoingText.objects.get().reason == OutgoingText.Reason.PARTNERSHIP_OFF
        # Sign-in codes are no partnership's: they still go.
        with django_capture_on_commit_callbacks(execute=True):
            sms.send_text(to=NUMBER, body="123456", kind="account.sign_in_code", reference="code:1")
        assert len(sms.outbox) == 1
        client.post(texts_url(coordinator.partnership), {"texts": "on"})
        coordinator.partnership.refresh_from_db()
        assert coordinator.partnership.texts_allowed is True
        assert AuditEvent.objects.filter(action="partnership.texts_on").count() == 1

    def test_a_text_queued_before_the_switch_is_dropped_when_sent(
        self, coordinator: Membership, database_tasks: None
    ) -> None:
        text = sms.send_text(
            to=NUMBER, body="hello", kind="notice", reference="n:1", partnership_id=coordinator.partnership.pk
        )
        Partnership.objects.filter(pk=coordinator.partnership.pk).update(texts_allowed=False)
        assert sms.deliver(text.pk, run="r1") == "dropped"
        assert not sms.outbox

    def test_saving_without_a_change_audits_nothing_and_a_bad_choice_is_refused(self, coordinator: Membership) -> None:
        client = signed_in(coordinator.user)
        client.post(texts_url(coordinator.partnership), {"texts": "on"})
        assert not AuditEvent.objects.filter(action__startswith="partnership.texts").exists()
        response = client.post(texts_url(coordinator.partnership), {"texts": "maybe"})
        assert response.status_code == 200 and "Choose on or off." in response.content.decode()

    @pytest.mark.parametrize("role_fixture", ["member", "worker", "partner_lead", "observer", "outsider"])
    def test_only_a_coordinator_may(
        self, request: pytest.FixtureRequest, partnership: Partnership, role_fixture: str
    ) -> None:
        person = request.getfixturevalue(role_fixture)
        user = person if isinstance(person, User) else person.user
        assert signed_in(user).post(texts_url(partnership), {"texts": "off"}).status_code == 404
        partnership.refresh_from_db()
        assert partnership.texts_allowed is True

    def test_the_settings_page_lists_the_section(self, coordinator: Membership) -> None:
        page = signed_in(coordinator.user).get(
            reverse("partnerships:settings", kwargs={"slug": coordinator.partnership.slug})
        )
        assert texts_url(coordinator.partnership) in page.content.decode()
